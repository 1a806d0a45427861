"""AnimazeClient: the asyncio + websockets glue around :class:`~.protocol.AnimazeProtocol`.

The protocol object does the thinking (ids, correlation, parsing); this module owns the socket:

* one connection (default ``ws://localhost:9000``), kept up by a supervisor task that reconnects
  with capped exponential backoff and jitter, a connect timeout, and keepalive pings so a
  half-open link (laptop sleep/wake, Animaze killed) is noticed and replaced;
* ``await client.request(GetCameraFov())`` returns the typed response, raising
  :class:`~.errors.AnimazeTimeout`, :class:`~.errors.AnimazeCommandError` or
  :class:`~.errors.AnimazeDisconnected` (every request pending when the link drops fails at
  once with the latter; nothing hangs);
* observers: triggers (:meth:`AnimazeClient.subscribe`), connection state
  (:meth:`AnimazeClient.add_state_listener`) and every frame in/out for a traffic log
  (:meth:`AnimazeClient.add_frame_listener`). Observer exceptions are logged, never propagated.

The socket itself is a :class:`~.transport.WebSocketLink` (websockets' sans-I/O protocol on
an asyncio transport): answers are matched to their requests straight from ``data_received``.
Transport exceptions from ``websockets`` and ``OSError`` are translated here with
``raise ... from exc``; callers only ever see :mod:`.errors`. The requests in flight are kept
by :mod:`.pending`; states, listener types and their helpers are in :mod:`.observers`.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import random
from collections.abc import Callable
from types import TracebackType
from typing import Self, TypeVar

from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI

from . import protocol as p
from .errors import (
    AnimazeDisconnected,
    AnimazeError,
    AnimazeTimeout,
    AnimazeUnreachable,
)
from .lograte import RateLimitedLog, kind_of
from .observers import (
    ConnectionState,
    Direction,
    FrameListener,
    StateListener,
    TriggerListener,
    add_listener,
    notify,
)
from .pending import Outcome, PendingRequests, settle
from .request_base import Request
from .responses import ErrorReply, Response
from .transport import WebSocketLink, open_link

log = logging.getLogger(__name__)

DEFAULT_URL = "ws://localhost:9000"
MAX_FRAME_BYTES = 128 * 1024 * 1024
"""Quickscene lists carry base64 images; the websockets default (1 MiB) would drop them."""

R = TypeVar("R", bound=Response)


def backoff_delay(attempt: int, initial: float, maximum: float) -> float:
    """Delay before reconnect attempt ``attempt`` (0-based): capped exponential, jittered.

    The jitter ("equal jitter": half fixed, half random) stops several panels that lost the
    same Animaze from reconnecting in lock-step.
    """
    capped: float = min(maximum, initial * 2.0 ** min(attempt, 30))
    return capped / 2 + random.uniform(0, capped / 2)


class AnimazeClient:
    """One connection to Animaze, shared by the whole app."""

    def __init__(
        self,
        url: str = DEFAULT_URL,
        *,
        request_timeout: float = 5.0,
        connect_timeout: float = 3.0,
        reconnect: bool = True,
        backoff_initial: float = 0.5,
        backoff_max: float = 10.0,
        ping_interval: float | None = 5.0,
        ping_timeout: float | None = 5.0,
        max_frame_bytes: int = MAX_FRAME_BYTES,
    ) -> None:
        """Configure the client; nothing connects until :meth:`start` or :meth:`connect`.

        Args:
            url: ``ws://host:port`` of Animaze's API (Settings > Animaze API).
            request_timeout: Default seconds to wait for each answer.
            connect_timeout: Seconds allowed for the TCP + WebSocket handshake.
            reconnect: Keep reconnecting after a failure or drop (the GUI); ``False`` for
                one-shot tools such as the CLI.
            backoff_initial: First reconnect delay in seconds.
            backoff_max: Cap of the reconnect delay.
            ping_interval: Seconds between keepalive pings (``None`` disables them).
            ping_timeout: Seconds without a pong before the link is declared dead.
            max_frame_bytes: Largest frame accepted.
        """
        self._url = url
        self.request_timeout = request_timeout
        self._connect_timeout = connect_timeout
        self._reconnect = reconnect
        self._backoff = (backoff_initial, backoff_max)
        self._ping = (ping_interval, ping_timeout)
        self._max_frame = max_frame_bytes
        self._proto = p.AnimazeProtocol()
        self._warn = RateLimitedLog(log)
        self._pending = PendingRequests(self._proto)
        self._ws: WebSocketLink | None = None
        self._state = ConnectionState.DISCONNECTED
        self._supervisor: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self._connected = asyncio.Event()
        self._first_attempt: asyncio.Future[None] | None = None
        self._closing = False
        self.last_error: AnimazeError | None = None
        self._state_listeners: list[StateListener] = []
        self._trigger_listeners: list[TriggerListener] = []
        self._frame_listeners: list[FrameListener] = []

    # ------------------------------------------------------------------ observers

    @property
    def url(self) -> str:
        """The URL the client connects to."""
        return self._url

    @property
    def state(self) -> ConnectionState:
        """The current connection state."""
        return self._state

    @property
    def connected(self) -> bool:
        """Whether requests can be sent right now."""
        return self._state is ConnectionState.CONNECTED

    @property
    def pending(self) -> int:
        """How many requests await an answer."""
        return len(self._pending)

    def add_state_listener(self, callback: StateListener) -> Callable[[], None]:
        """Call ``callback(state)`` on every state change. Returns a function that removes it."""
        return add_listener(self._state_listeners, callback)

    def subscribe(self, callback: TriggerListener) -> Callable[[], None]:
        """Call ``callback(trigger)`` for every trigger. Returns a function that removes it."""
        return add_listener(self._trigger_listeners, callback)

    def add_frame_listener(self, callback: FrameListener) -> Callable[[], None]:
        """Call ``callback(direction, text)`` for every frame. Returns a remover."""
        return add_listener(self._frame_listeners, callback)

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> None:
        """Start connecting in the background; never raises (watch the state instead)."""
        if self._supervisor is None or self._supervisor.done():
            self._closing = False
            self._first_attempt = asyncio.get_running_loop().create_future()
            self._supervisor = asyncio.create_task(self._supervise(), name="animaze-supervisor")

    async def connect(self) -> None:
        """Start and wait for the first connection attempt.

        Raises:
            AnimazeUnreachable: The first attempt failed (the client keeps retrying in the
                background if ``reconnect`` is on).
        """
        self.start()
        assert self._first_attempt is not None
        await asyncio.shield(self._first_attempt)

    async def wait_connected(self, timeout: float | None = None) -> None:
        """Wait until the link is up.

        Raises:
            AnimazeTimeout: Not connected within ``timeout`` seconds.
        """
        try:
            await asyncio.wait_for(self._connected.wait(), timeout)
        except TimeoutError:
            raise AnimazeTimeout("connect", timeout or 0.0) from None

    def reconnect_now(self) -> None:
        """Skip the current backoff delay and try to connect immediately."""
        self._wake.set()

    async def set_url(self, url: str) -> None:
        """Switch to another Animaze: drop the current link and connect to ``url``."""
        self._url = url
        ws = self._ws
        if ws is not None:
            await ws.close()
        self._wake.set()

    async def close(self) -> None:
        """Close the link, stop reconnecting, fail pending requests. Idempotent."""
        self._closing = True
        self._wake.set()
        ws = self._ws
        if ws is not None:
            await ws.close()
        task, self._supervisor = self._supervisor, None
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        self._pending.fail_all("the panel closed the connection")
        self._set_state(ConnectionState.DISCONNECTED)

    async def __aenter__(self) -> Self:
        await self.connect()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    # ------------------------------------------------------------------ requests

    async def request(self, request: Request[R], *, timeout: float | None = None) -> R:
        """Send ``request`` and wait for its typed response.

        Args:
            request: A validated request object, e.g. ``TriggerEmote("Emote_Alarm")``.
            timeout: Seconds to wait; defaults to ``request_timeout``.

        Returns:
            The response, typed by the request (e.g. ``CameraFov`` for ``GetCameraFov``).

        Raises:
            AnimazeDisconnected: Not connected, or the link dropped before the answer.
            AnimazeTimeout: No answer in time.
            AnimazeCommandError: Animaze answered with an error.
            ProtocolError: Animaze's answer could not be parsed.
        """
        future: asyncio.Future[Response] = asyncio.get_running_loop().create_future()
        cancel = self.send_then(request, functools.partial(settle, future), timeout=timeout)
        try:
            return await future  # type: ignore[return-value]  # typed by Request[R].RESPONSE
        finally:
            cancel()  # a no-op once answered; forgets the request if the caller was cancelled

    def send_then(
        self, request: Request[R], on_done: Outcome, *, timeout: float | None = None
    ) -> Callable[[], None]:
        """Write ``request`` now; report its outcome to ``on_done`` on this loop.

        ``on_done(response, None)`` or ``on_done(None, error)`` is called exactly once, as soon
        as the answer is parsed (inside ``data_received``, no extra loop iteration), with
        :class:`~.errors.AnimazeTimeout` after ``timeout`` seconds (default
        ``request_timeout``) or :class:`~.errors.AnimazeDisconnected` if the link drops
        first. :meth:`request` awaits it through a future; the I/O thread hands the outcome
        to the GUI loop directly.

        Returns:
            A function that forgets the request: ``on_done`` is then never called.

        Raises:
            AnimazeDisconnected: Not connected, or the link is closing.
        """
        ws = self._ws
        if ws is None or self._state is not ConnectionState.CONNECTED:
            raise AnimazeDisconnected(f"Not connected to Animaze at {self._url}")
        request_id = self._proto.send_request(request)
        try:
            for text in self._proto.data_to_send():
                self._notify_frame(Direction.OUT, text)
                ws.send_text(text)
        except ConnectionClosed as exc:
            self._proto.forget(request_id)
            lost = f"Connection to Animaze lost sending {request.ACTION}"
            raise AnimazeDisconnected(lost) from exc
        limit = self.request_timeout if timeout is None else timeout
        timer = asyncio.get_running_loop().call_later(
            limit, self._pending.finish, request_id, None, AnimazeTimeout(request.ACTION, limit))
        self._pending.add(request_id, on_done, timer)
        return functools.partial(self._pending.forget, request_id)

    # ------------------------------------------------------------------ internals

    async def _supervise(self) -> None:
        attempt = 0
        while not self._closing:
            self._set_state(ConnectionState.CONNECTING if attempt == 0 else self._state)
            try:
                ws = await self._open()
            except AnimazeUnreachable as exc:
                self.last_error = exc
                self._resolve_first(exc)
                if not self._reconnect:
                    self._set_state(ConnectionState.DISCONNECTED)
                    return
                self._set_state(ConnectionState.RECONNECTING)
                await self._sleep(backoff_delay(attempt, *self._backoff))
                attempt += 1
                continue
            attempt = 0
            self.last_error = None
            self._ws = ws
            self._set_state(ConnectionState.CONNECTED)
            self._resolve_first(None)
            try:
                await ws.wait_closed()
                log.info("Animaze connection closed")
            finally:
                self._ws = None
                self._pending.fail_all("the connection to Animaze was lost")
            if self._closing or not self._reconnect:
                break
            self._set_state(ConnectionState.RECONNECTING)
            await self._sleep(backoff_delay(0, *self._backoff) / 2)
        self._set_state(ConnectionState.DISCONNECTED)

    async def _open(self) -> WebSocketLink:
        ping_interval, ping_timeout = self._ping
        try:
            return await open_link(
                self._url,
                self._on_text,
                open_timeout=self._connect_timeout,
                ping_interval=ping_interval,
                ping_timeout=ping_timeout,
                max_size=self._max_frame,
                close_timeout=2,
            )
        except InvalidURI as exc:
            raise AnimazeUnreachable(self._url, "the address is not a ws:// URL") from exc
        except TimeoutError as exc:
            raise AnimazeUnreachable(self._url, "connection timed out") from exc
        except InvalidHandshake as exc:
            raise AnimazeUnreachable(self._url, f"not a WebSocket server: {exc}") from exc
        except OSError as exc:
            raise AnimazeUnreachable(self._url, exc.strerror or str(exc)) from exc

    def _on_text(self, text: str) -> None:
        self._notify_frame(Direction.IN, text)
        for event in self._proto.receive_data(text):
            self._dispatch(event)

    def _dispatch(self, event: p.Event) -> None:
        if isinstance(event, p.ResponseReceived | p.RequestFailed):
            if isinstance(event, p.ResponseReceived):
                self._pending.finish(event.request_id, event.response, None)
            else:
                self._pending.finish(event.request_id, None, event.error)
        elif isinstance(event, p.TriggerReceived):
            notify(self._trigger_listeners, event.trigger)
        elif isinstance(event, p.UnsolicitedResponse):
            if isinstance(event.response, ErrorReply):
                self._warn.warning(kind_of(event.response.error),
                                   "Animaze reported an error: %s", event.response.error[:300])
            else:
                log.debug("Unmatched response from Animaze: %s", event.response.action)
        else:
            # A broken peer can send thousands a second: each kind once, then summaries.
            self._warn.warning(kind_of(str(event.error)),
                               "Skipped a malformed frame from Animaze (%s): %.200s",
                               event.error, event.frame)

    async def _sleep(self, delay: float) -> None:
        self._wake.clear()
        try:
            await asyncio.wait_for(self._wake.wait(), delay)
        except TimeoutError:
            pass

    def _resolve_first(self, error: AnimazeError | None) -> None:
        first = self._first_attempt
        if first is not None and not first.done():
            if error is None:
                first.set_result(None)
            else:
                first.set_exception(error)
                first.exception()  # mark retrieved: start() callers may never await it

    def _set_state(self, state: ConnectionState) -> None:
        if state is ConnectionState.CONNECTED:
            self._connected.set()
        else:
            self._connected.clear()
        if state is self._state:
            return
        self._state = state
        notify(self._state_listeners, state)

    def _notify_frame(self, direction: Direction, text: str) -> None:
        notify(self._frame_listeners, direction, text)
