"""ThreadedClient: the one Animaze connection, run on its own asyncio loop in its own thread.

The GUI thread of the panel is busy for milliseconds at a time while the window repaints
(every dock filling in after a connect, a 500-icon gallery loading). A hotkey must not wait
behind that, so the socket lives elsewhere: :class:`~.loop_thread.IoThread` runs an asyncio
loop in a daemon thread and :class:`ThreadedClient` runs an :class:`~.client.AnimazeClient` on it.

Two ways in:

* the **GUI side** (the ``home`` loop that created the ThreadedClient) uses the same API as
  :class:`~.client.AnimazeClient` (:class:`~.link.AnimazeLink`): ``await request(...)`` hops to
  the I/O loop and back, and every listener (state, triggers, frames) is called on the home
  loop, in the order the I/O loop saw them. :attr:`ThreadedClient.state` mirrors the state as of the
  last state callback delivered, so what a widget reads agrees with the signals it got;
* the **hotkey lane** (:attr:`ThreadedClient.inner` + :attr:`ThreadedClient.io_loop`) runs
  code on the I/O loop itself: a key event read there becomes a frame on the socket without
  touching the GUI thread (see ``ui/hotkeys/hotkeys_service.py``).

No Qt here; the home loop may be qasync's or a plain asyncio loop (tests). Errors are the
client's own (:mod:`.errors`), re-raised on the home loop unchanged.
"""

from __future__ import annotations

import asyncio
import collections
import functools
import logging
import threading
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from .client import DEFAULT_URL, AnimazeClient
from .errors import AnimazeDisconnected, AnimazeError
from .loop_thread import IoThread
from .messages import Trigger
from .observers import (
    ConnectionState,
    Direction,
    FrameListener,
    StateListener,
    TriggerListener,
    add_listener,
    notify,
)
from .request_base import Request
from .responses import Response

log = logging.getLogger(__name__)
R = TypeVar("R", bound=Response)
T = TypeVar("T")

FRAME_LOG_DELAY = 0.005
"""Seconds a traffic-log frame may wait for company before the home loop is woken for it.

An outgoing request's frame and its answer then reach the GUI in one wake-up instead of
two (each costs tens of microseconds of a sleeping thread being scheduled); five
milliseconds are invisible in a log a person reads."""


class ThreadedClient:
    """An :class:`AnimazeClient` on an :class:`IoThread`, used from the loop that created it."""

    def __init__(self, url: str = DEFAULT_URL, **options: Any) -> None:
        """Start the I/O thread and create the client on it.

        Must be called on the running home loop (from a coroutine or callback): listeners
        are called there.

        Args:
            url: ``ws://host:port`` of Animaze's API.
            **options: Passed to :class:`AnimazeClient` (timeouts, backoff, pings...).
        """
        self._home = asyncio.get_running_loop()
        self._outbox: collections.deque[tuple[Callable[..., object], tuple[Any, ...]]] = (
            collections.deque())
        self._outbox_lock = threading.Lock()
        self._outbox_pending = False
        self._frames_timer: asyncio.TimerHandle | None = None  # I/O loop only
        self._io = IoThread().start()
        self._inner: AnimazeClient = self._io.submit(_make_client(url, options)).result()
        self._state = self._inner.state
        self._state_listeners: list[StateListener] = []
        self._trigger_listeners: list[TriggerListener] = []
        self._frame_listeners: list[FrameListener] = []
        self._removers = [
            self._inner.add_state_listener(self._post_state),
            self._inner.subscribe(self._post_trigger),
            self._inner.add_frame_listener(self._post_frame),
        ]
        self._closed = False

    # ------------------------------------------------------------------ the lane

    @property
    def inner(self) -> AnimazeClient:
        """The client itself: use it only from code running on :attr:`io_loop`."""
        return self._inner

    @property
    def io_loop(self) -> asyncio.AbstractEventLoop:
        """The I/O thread's loop."""
        return self._io.loop

    # ------------------------------------------------------------------ observers

    @property
    def url(self) -> str:
        """Where the client connects."""
        return self._inner.url

    @property
    def state(self) -> ConnectionState:
        """The state as of the last state callback delivered on the home loop."""
        return self._state

    @property
    def connected(self) -> bool:
        """Whether the last state delivered is CONNECTED."""
        return self._state is ConnectionState.CONNECTED

    @property
    def last_error(self) -> AnimazeError | None:
        """Why the last connection attempt failed."""
        return self._inner.last_error

    @property
    def request_timeout(self) -> float:
        """Default seconds to wait for an answer."""
        return self._inner.request_timeout

    @request_timeout.setter
    def request_timeout(self, seconds: float) -> None:
        # One float attribute, read by the I/O loop when it sends: the store is atomic.
        self._inner.request_timeout = seconds

    def add_state_listener(self, callback: StateListener) -> Callable[[], None]:
        """Call ``callback(state)`` on the home loop on every change. Returns a remover."""
        return add_listener(self._state_listeners, callback)

    def subscribe(self, callback: TriggerListener) -> Callable[[], None]:
        """Call ``callback(trigger)`` on the home loop for every trigger. Returns a remover."""
        return add_listener(self._trigger_listeners, callback)

    def add_frame_listener(self, callback: FrameListener) -> Callable[[], None]:
        """Call ``callback(direction, text)`` on the home loop for every frame."""
        return add_listener(self._frame_listeners, callback)

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> None:
        """Start connecting in the background (on the I/O loop)."""
        if not self._closed:
            self._io.loop.call_soon_threadsafe(self._inner.start)

    async def connect(self) -> None:
        """Start and wait for the first connection attempt.

        Raises:
            AnimazeUnreachable: The first attempt failed.
        """
        await self._run(self._inner.connect())
        await self._caught_up()

    async def wait_connected(self, timeout: float | None = None) -> None:
        """Wait until the link is up (and the home loop has been told).

        Raises:
            AnimazeTimeout: Not connected within ``timeout`` seconds.
        """
        await self._run(self._inner.wait_connected(timeout))
        await self._caught_up()

    def reconnect_now(self) -> None:
        """Skip the current backoff delay."""
        if not self._closed:
            self._io.loop.call_soon_threadsafe(self._inner.reconnect_now)

    async def set_url(self, url: str) -> None:
        """Drop the current link and connect to ``url``."""
        await self._run(self._inner.set_url(url))

    async def request(self, request: Request[R], *, timeout: float | None = None) -> R:
        """Send ``request`` from the I/O loop and wait for its typed response here.

        The hand-over is one ``call_soon_threadsafe`` each way (no task, no concurrent
        future): the I/O loop writes the frame and posts the outcome back from
        ``data_received``. Cancelling the caller cancels the request on the I/O loop.

        Raises:
            AnimazeDisconnected, AnimazeTimeout, AnimazeCommandError, ProtocolError: As
                :meth:`AnimazeClient.request`.
        """
        if not self._io.running:
            raise AnimazeDisconnected(f"Not connected to Animaze at {self.url}: the panel "
                                      "closed the connection")
        answer: asyncio.Future[Any] = self._home.create_future()
        sent: list[Callable[[], None]] = []
        self._io.loop.call_soon_threadsafe(self._send_on_io, request, timeout, answer, sent)
        try:
            return await answer  # type: ignore[no-any-return]
        except asyncio.CancelledError:
            if self._io.running:  # runs after _send_on_io: one loop's callbacks keep order
                self._io.loop.call_soon_threadsafe(_cancel_all, sent)
            raise

    async def close(self) -> None:
        """Close the link, then stop the I/O thread. Idempotent."""
        if self._closed:
            return
        self._closed = True
        try:
            await self._run(self._inner.close())
        finally:
            for remove in self._removers:
                self._io.loop.call_soon_threadsafe(remove)
            self._io.stop()  # the loop has only cancelled leftovers to finish: milliseconds
        self._state = ConnectionState.DISCONNECTED

    # ------------------------------------------------------------------ internals

    async def _run(self, coro: Coroutine[Any, Any, T]) -> T:
        if not self._io.running:
            coro.close()
            raise AnimazeDisconnected(f"Not connected to Animaze at {self.url}: the panel "
                                      "closed the connection")
        return await asyncio.wrap_future(self._io.submit(coro))

    def _send_on_io(self, request: Request[Any], timeout: float | None,
                    answer: asyncio.Future[Any], sent: list[Callable[[], None]]) -> None:
        """On the I/O loop: write the frame; its outcome is posted home as soon as it is known."""
        try:
            sent.append(self._inner.send_then(
                request, functools.partial(self.post_home, _settle, answer), timeout=timeout))
        except AnimazeError as exc:
            self.post_home(_settle, answer, None, exc)

    def post_home(self, fn: Callable[..., object], *args: Any) -> None:
        """From the I/O loop: run ``fn(*args)`` on the home loop, after what was posted before.

        Code running on the I/O loop (the hotkey lane, the control API) reports to the GUI
        through this too, so its results arrive in order with the frames that caused them.

        Posts share one mailbox, and the home loop is woken only when it was empty: a burst
        (a frame for the traffic log, then its answer) costs one thread wake-up, not three.
        """
        with self._outbox_lock:
            self._outbox.append((fn, args))
            if self._outbox_pending:
                return
            self._outbox_pending = True
        self._wake_home()

    def _post_lazily(self, fn: Callable[..., object], *args: Any) -> None:
        """On the I/O loop: like :meth:`post_home`, but wake the home loop only if nothing
        else does within :data:`FRAME_LOG_DELAY` (the next post carries this one along)."""
        with self._outbox_lock:
            self._outbox.append((fn, args))
            if self._outbox_pending or self._frames_timer is not None:
                return
        self._frames_timer = self._io.loop.call_later(FRAME_LOG_DELAY, self._frames_due)

    def _frames_due(self) -> None:
        self._frames_timer = None
        with self._outbox_lock:
            if self._outbox_pending or not self._outbox:
                return  # already on its way, or delivered with a later post
            self._outbox_pending = True
        self._wake_home()

    def _wake_home(self) -> None:
        try:
            self._home.call_soon_threadsafe(self._drain_outbox)
        except RuntimeError:  # the home loop closed first: nobody is waiting any more
            log.debug("Dropped a result for a closed loop")

    def _drain_outbox(self) -> None:
        while True:
            with self._outbox_lock:
                if not self._outbox:
                    self._outbox_pending = False
                    return
                fn, args = self._outbox.popleft()
            try:
                fn(*args)
            except Exception:
                log.exception("An Animaze callback failed")

    async def _caught_up(self) -> None:
        """Return once every callback the I/O loop posted so far has run here."""
        done = self._home.create_future()
        self._io.loop.call_soon_threadsafe(self.post_home, _set_if_pending, done)
        await done

    def _post_state(self, state: ConnectionState) -> None:
        self.post_home(self._deliver_state, state)

    def _post_trigger(self, trigger: Trigger) -> None:
        if self._trigger_listeners:
            self.post_home(notify, self._trigger_listeners, trigger)

    def _post_frame(self, direction: Direction, text: str) -> None:
        if self._frame_listeners:  # nobody listening: no reason to wake the home loop
            self._post_lazily(notify, self._frame_listeners, direction, text)

    def _deliver_state(self, state: ConnectionState) -> None:
        if state is self._state:
            return
        self._state = state
        notify(self._state_listeners, state)


async def _make_client(url: str, options: dict[str, Any]) -> AnimazeClient:
    return AnimazeClient(url, **options)


def _settle(future: asyncio.Future[Any], response: Any, error: BaseException | None) -> None:
    if future.done():  # the caller was cancelled meanwhile
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(response)


def _cancel_all(cancels: list[Callable[[], None]]) -> None:
    for cancel in cancels:
        cancel()


def _set_if_pending(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)
