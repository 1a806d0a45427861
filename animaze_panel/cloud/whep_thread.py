"""A :class:`~animaze_panel.cloud.whep.WhepReceiver` on its own event loop in its own thread.

RTP, the jitter buffer and the frame hand-off of a 720p30 stream are steady work on the loop
that runs the receiver; here that loop is a daemon thread of its own, so a GUI loop only
awaits :meth:`WhepThread.start`/:meth:`WhepThread.stop` and never carries the media.

The callbacks run on the media thread (where converting a frame for display belongs, off the
GUI thread); hand results to the GUI with a queued signal or ``call_soon_threadsafe``. The
interface mirrors :class:`WhepReceiver`: ``await start()``, ``await stop()``, :attr:`state`,
:attr:`stats`, :attr:`error`.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import av

from .whep import MediaState, MediaStats, TurnServer, WhepError, WhepReceiver

T = TypeVar("T")


class WhepThread:
    """Owns a media thread and the receiver running on it; one use (start, then stop)."""

    def __init__(
        self,
        whep_url: str,
        turn: TurnServer | None,
        *,
        connect_timeout: float = 15.0,
        on_video: Callable[[av.VideoFrame], None],
        on_audio: Callable[[av.AudioFrame], None],
        on_state: Callable[[MediaState], None],
        **receiver_options: Any,
    ) -> None:
        """Prepare the receiver (the thread starts with :meth:`start`).

        Args:
            whep_url: The WHEP endpoint (init-client's ``whepUrl``).
            turn: The TURN relay, or ``None``.
            connect_timeout: Seconds one connection attempt may take.
            on_video: Gets the newest decoded video frame (on the media thread).
            on_audio: Gets every decoded audio frame (on the media thread).
            on_state: Gets every state change (on the media thread).
            **receiver_options: Further :class:`WhepReceiver` keyword arguments.
        """
        self._args = (whep_url, turn)
        self._kwargs: dict[str, Any] = dict(
            connect_timeout=connect_timeout, on_video=on_video, on_audio=on_audio,
            on_state=on_state, **receiver_options,
        )
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name="whep-media", daemon=True)
        self._receiver: WhepReceiver | None = None
        self._stopped: asyncio.Future[None] | None = None
        self._stopping = False

    @property
    def state(self) -> MediaState:
        """The receiver's state (``IDLE`` before :meth:`start`)."""
        return self._receiver.state if self._receiver else MediaState.IDLE

    @property
    def stats(self) -> MediaStats:
        """A snapshot of the receiver's counters."""
        return self._receiver.stats if self._receiver else MediaStats()

    @property
    def error(self) -> WhepError | None:
        """Why the receiver failed, if it did."""
        return self._receiver.error if self._receiver else None

    @property
    def thread(self) -> threading.Thread:
        """The media thread (callbacks run on it)."""
        return self._thread

    async def start(self) -> None:
        """Start the media thread and connect; returns once media is connected.

        Call :meth:`stop` afterwards in every case, also when this raised.

        Raises:
            WhepError: The connection failed (see :class:`WhepReceiver.start`).
        """
        self._stopped = asyncio.get_running_loop().create_future()
        self._thread.start()

        async def build() -> None:
            self._receiver = WhepReceiver(*self._args, **self._kwargs)
            await self._receiver.start()

        await self._call(build())

    async def stop(self) -> None:
        """Stop the receiver (DELETE included), then the media thread; safe to call twice."""
        stopped = self._stopped
        if stopped is None:
            return
        if not self._stopping:
            self._stopping = True
            receiver = self._receiver
            if receiver is not None:
                await self._call(receiver.stop())
            self._loop.call_soon_threadsafe(self._loop.stop)
        await asyncio.shield(stopped)
        # The thread set ``stopped`` as its very last step: this join returns at once.
        self._thread.join(timeout=1.0)

    async def _call(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run ``coro`` on the media loop and await its result from the calling loop."""
        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(coro, self._loop))

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_forever()
        finally:
            pending = [t for t in asyncio.all_tasks(self._loop) if not t.done()]
            for task in pending:
                task.cancel()
            if pending:
                self._loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            self._loop.close()
            stopped = self._stopped
            if stopped is not None:
                try:
                    stopped.get_loop().call_soon_threadsafe(_finish, stopped)
                except RuntimeError:
                    pass  # the caller's loop is already closed: nobody waits any more


def _finish(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)
