"""MediaThread: an asyncio loop on its own thread for the WebRTC receiver.

aiortc does its network work (ICE, DTLS, SRTP, RTP reordering, jitter buffers) on the event
loop that runs the peer connection. On the GUI thread's loop that work would queue behind
repaints and the repaints behind it: the picture would stutter and the sound arrive in bursts.
So the receiver runs here; it hands frames to thread-safe sinks (the video surface, the audio
player) and its state changes go back to the GUI loop with ``call_soon_threadsafe``.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


class MediaThread:
    """Runs coroutines on a private event loop in a daemon thread."""

    def __init__(self, name: str = "media") -> None:
        """Create the loop and start its thread."""
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name=name, daemon=True)
        self._thread.start()

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        """The thread's event loop."""
        return self._loop

    @property
    def running(self) -> bool:
        """Whether the thread still runs its loop."""
        return self._thread.is_alive() and not self._loop.is_closed()

    async def run(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run ``coro`` on the media loop and await its result from the calling loop.

        Cancelling the caller cancels the coroutine on the media loop too.

        Raises:
            RuntimeError: The thread was closed (``coro`` is closed, never run).
        """
        if not self.running:
            coro.close()
            raise RuntimeError("the media thread is closed")
        future = asyncio.run_coroutine_threadsafe(coro, self._loop)
        return await asyncio.wrap_future(future)

    def close(self, timeout: float = 5.0) -> None:
        """Stop the loop and join the thread (idempotent). Run the receiver's stop first."""
        if self._loop.is_closed():
            return
        if self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout)
        if not self._thread.is_alive():
            self._loop.close()
