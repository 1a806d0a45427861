"""The simulated Animaze: a WebSocket server speaking the Animaze API with state and faults.

::

    async with Simulator(port=0) as sim:          # port 0: pick a free port
        ...connect to sim.url...
        sim.faults.set(latency=0.1)
        frame = await sim.wait_for_frame(lambda f: f.action == "LoadAvatar")

Requests are parsed with the protocol core (:func:`~..animaze.messages.parse_request`, action
names in any casing, with or without ``id``), carried out by :class:`~.state.World` and answered
with the typed responses' ``to_wire()``. Each connection is served in order; a request's reply
is always sent *before* the triggers it caused (AvatarChanged, ChatPal speech), because simple
clients take the next frame as the answer. Every received frame is recorded for tests.
"""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
import logging
import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Coroutine, Iterable
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed

from ..animaze import responses as r
from ..animaze.errors import ProtocolError, ValidationError
from ..animaze.messages import (
    ChatbotSpeechEnded,
    ChatbotSpeechStarted,
    Trigger,
    decode,
    encode,
    parse_request,
)
from .bad_frames import SMALL_KINDS, BadKind, bad_frame
from .catalogue import BASE_AVATAR_COUNT, build_catalogue
from .faults import GARBAGE, Faults
from .state import Outcome, World

log = logging.getLogger(__name__)

CLOSE_TIMEOUT = 1.0
"""Seconds :meth:`Simulator.stop` waits for a client to answer its close frame before dropping
the connection. websockets' default is 10 s, as long as a caller's whole stop timeout: one client
whose loop no longer runs (a panel torn down first) would make every stop fail."""

DEFAULT_SPEECH_SECONDS_PER_CHAR = 0.06
"""About 16 characters a second, the pace of a text-to-speech voice."""


@dataclass(frozen=True)
class ReceivedFrame:
    """One frame a client sent to the simulator.

    Attributes:
        seq: Position in the simulator's record (0-based).
        client: Which connection sent it (1, 2, ... in connection order).
        text: The frame as text (binary frames decoded leniently).
        message: The decoded JSON object, or ``None`` when the frame was not one.
        received_at: ``time.monotonic()`` on arrival.
    """

    seq: int
    client: int
    text: str
    message: dict[str, Any] | None
    received_at: float

    @property
    def action(self) -> str | None:
        """The frame's ``action`` as sent, if it has a string one."""
        action = None if self.message is None else self.message.get("action")
        return action if isinstance(action, str) else None


FramePredicate = Callable[[ReceivedFrame], bool]


def frame_is(action: str, /, **fields: Any) -> FramePredicate:
    """A frame predicate: action ``action`` (as sent) with these wire fields equal.

    Example: ``frame_is("TriggerEmote", itemName="Emote_Alarm")``.
    """

    def match(frame: ReceivedFrame) -> bool:
        if frame.action != action or frame.message is None:
            return False
        return all(frame.message.get(key) == value for key, value in fields.items())

    return match

_Waiter = tuple[FramePredicate, "asyncio.Future[ReceivedFrame]", int]


class Simulator:
    """An Animaze API server on loopback (or any host) for tests, benchmarks and --demo."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        num_avatars: int = BASE_AVATAR_COUNT,
        icon_size: int | None = None,
        speech_seconds_per_char: float = DEFAULT_SPEECH_SECONDS_PER_CHAR,
    ) -> None:
        """Configure the simulator; nothing listens until :meth:`start`.

        Args:
            host: Interface to listen on.
            port: TCP port; 0 picks a free one (read :attr:`port` after start).
            num_avatars: Avatars on offer (benchmarks use hundreds).
            icon_size: Minimum PNG size in bytes of every icon/thumbnail (padding added), to
                set payload sizes for benchmarks; ``None`` keeps the natural ~30 KB.
            speech_seconds_per_char: ChatPal speaks for ``len(reply) * this`` seconds between
                ChatbotSpeechStarted and ChatbotSpeechEnded (tests use ~0.001).
        """
        self.host = host
        self._requested_port = port
        self.world = World(build_catalogue(num_avatars), icon_size=icon_size)
        self.faults = Faults()
        self.speech_seconds_per_char = speech_seconds_per_char
        self._server: Server | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._clients: dict[ServerConnection, int] = {}
        self._client_ids = itertools.count(1)
        self._frames: list[ReceivedFrame] = []
        self._frames_lock = threading.Lock()
        self._waiters: list[_Waiter] = []
        self._tasks: set[asyncio.Task[None]] = set()

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> Self:
        """Start listening. Returns ``self``."""
        self._loop = asyncio.get_running_loop()
        # No permessage-deflate: Animaze's server does not negotiate it either.
        self._server = await serve(self._serve, self.host, self._requested_port, compression=None,
                                   close_timeout=CLOSE_TIMEOUT)
        log.info("Animaze simulator listening on %s", self.url)
        return self

    async def stop(self) -> None:
        """Close every connection and stop listening. Idempotent."""
        server, self._server = self._server, None
        if server is not None:
            server.close()
            await server.wait_closed()
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for _, future, _ in self._waiters:
            if not future.done():
                future.cancel()

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        """The TCP port listened on.

        Raises:
            RuntimeError: Not started.
        """
        if self._server is None:
            raise RuntimeError("the simulator is not running")
        port: int = next(iter(self._server.sockets)).getsockname()[1]
        return port

    @property
    def url(self) -> str:
        """``ws://host:port`` to connect to."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"ws://{host}:{self.port}"

    @property
    def loop(self) -> asyncio.AbstractEventLoop | None:
        """The event loop the simulator runs on (``None`` before start)."""
        return self._loop

    @property
    def connection_count(self) -> int:
        """Number of clients connected right now."""
        return len(self._clients)

    # ------------------------------------------------------------------ recorded frames

    @property
    def frames(self) -> list[ReceivedFrame]:
        """A copy of every frame received so far (safe from any thread)."""
        with self._frames_lock:
            return list(self._frames)

    @property
    def frame_count(self) -> int:
        """How many frames were received so far (pass it as ``since`` to skip them)."""
        with self._frames_lock:
            return len(self._frames)

    async def wait_for_frame(
        self, predicate: FramePredicate, timeout: float = 5.0, *, since: int = 0
    ) -> ReceivedFrame:
        """Return the first received frame matching ``predicate``, waiting for it if needed.

        Args:
            predicate: Called with each :class:`ReceivedFrame`.
            timeout: Seconds to wait.
            since: Ignore frames recorded before this :attr:`frame_count`.

        Raises:
            TimeoutError: No such frame within ``timeout``.
        """
        future: asyncio.Future[ReceivedFrame] = asyncio.get_running_loop().create_future()
        waiter: _Waiter = (predicate, future, since)
        for frame in self.frames[since:]:
            if predicate(frame):
                return frame
        self._waiters.append(waiter)
        try:
            return await asyncio.wait_for(future, timeout)
        except TimeoutError:
            raise TimeoutError(f"no matching frame received within {timeout:g} s") from None
        finally:
            self._waiters.remove(waiter)

    def wait_for_frame_blocking(
        self, predicate: FramePredicate, timeout: float = 5.0, *, since: int = 0
    ) -> ReceivedFrame:
        """Blocking :meth:`wait_for_frame` for threads other than the simulator's loop.

        Raises:
            TimeoutError: No such frame within ``timeout``.
            RuntimeError: Called from the simulator's own loop (it would deadlock) or before
                :meth:`start`.
        """
        loop = self._loop
        if loop is None:
            raise RuntimeError("the simulator is not running")
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            raise RuntimeError("in the simulator's loop, use 'await wait_for_frame(...)'")
        coro = self.wait_for_frame(predicate, timeout, since=since)
        return asyncio.run_coroutine_threadsafe(coro, loop).result(timeout + 5)

    def _record(self, client: int, text: str, message: dict[str, Any] | None) -> None:
        with self._frames_lock:
            frame = ReceivedFrame(len(self._frames), client, text, message, time.monotonic())
            self._frames.append(frame)
        for predicate, future, since in list(self._waiters):
            if future.done() or frame.seq < since:
                continue
            try:
                if predicate(frame):
                    future.set_result(frame)
            except Exception as exc:  # a broken test predicate must surface in the test
                future.set_exception(exc)

    # ------------------------------------------------------------------ things Animaze does

    async def broadcast(self, trigger: Trigger) -> None:
        """Send a trigger to every connected client."""
        text = encode(trigger.to_wire())
        for ws in list(self._clients):
            try:
                await ws.send(text)
            except ConnectionClosed:
                pass

    async def change_avatar(self, name: str) -> None:
        """Switch avatar as a user would in Animaze itself, broadcasting AvatarChanged.

        Raises:
            KeyError: No such avatar.
        """
        avatar = self.world.catalogue.avatar(name)
        if avatar is None:
            raise KeyError(name)
        await self.broadcast(self.world.load_avatar(avatar))

    async def send_bad_frames(
        self, count: int, *, seed: int = 0, kinds: Iterable[BadKind] = SMALL_KINDS
    ) -> Counter[BadKind]:
        """Send ``count`` bad frames (kinds in turn, content seeded) to every client.

        Returns:
            How many of each kind were sent.
        """
        rng = random.Random(seed)
        order = tuple(kinds)
        sent: Counter[BadKind] = Counter()
        for i in range(count):
            kind = order[i % len(order)]
            frame = bad_frame(kind, rng)
            for ws in list(self._clients):
                try:
                    await ws.send(frame)
                except ConnectionClosed:
                    continue
            sent[kind] += 1
        return sent

    def drop_connections(self) -> None:
        """Abort every client's TCP connection, as if Animaze crashed (keeps listening)."""
        for ws in list(self._clients):
            ws.transport.abort()

    # ------------------------------------------------------------------ serving

    async def _serve(self, ws: ServerConnection) -> None:
        client = next(self._client_ids)
        self._clients[ws] = client
        try:
            async for frame in ws:
                if not await self._on_frame(ws, client, frame):
                    return
        except ConnectionClosed:
            pass
        finally:
            del self._clients[ws]

    async def _on_frame(self, ws: ServerConnection, client: int, frame: str | bytes) -> bool:
        text = frame if isinstance(frame, str) else frame.decode("utf-8", "replace")
        message: dict[str, Any] | None = None
        problem: ProtocolError | None = None
        try:
            message = decode(frame)
        except ProtocolError as exc:
            problem = exc
        self._record(client, text, message)
        log.debug("client %d -> %s", client, text[:200])
        if self.faults.take_drop():
            ws.transport.abort()
            return False
        knobs = self.faults.settings
        if knobs.stall:
            return True
        outcome = self._outcome(message, problem)
        if knobs.latency and await _closed_within(ws, knobs.latency):
            return False  # closed (e.g. by stop()) while "Animaze was busy"
        for i in range(knobs.garbage_frames):
            await ws.send(GARBAGE[i % len(GARBAGE)])
        response = outcome.response
        if knobs.omit_id:
            response = dataclasses.replace(response, id=None)
        wire = response.to_wire()
        if "id" in wire and message is not None and "id" in message:
            wire["id"] = message["id"]  # echoed exactly as sent: a numeric id stays a number
        if not wire.get("action"):
            del wire["action"]  # a frame we could not read: there is no action to echo
        await ws.send(encode(wire))
        for trigger in outcome.triggers:
            await self.broadcast(trigger)
        if outcome.speech is not None:
            self._spawn(self._speak(outcome.speech))
        return True

    def _outcome(self, message: dict[str, Any] | None, problem: ProtocolError | None) -> Outcome:
        if message is None:
            return Outcome(r.ErrorReply(action="", error=f"Malformed request: {problem}"))
        raw_id = message.get("id")
        request_id = None if raw_id is None else str(raw_id)
        action = message.get("action")
        echoed = action if isinstance(action, str) else ""
        try:
            request = parse_request(message)
        except ValidationError as exc:
            return Outcome(r.ErrorReply(action=echoed, id=request_id, error=str(exc)))
        try:
            return self.world.handle(request, echoed, request_id)
        except Exception as exc:  # a simulator bug must not kill the connection
            log.exception("simulator failed on %s", echoed)
            error = f"Internal simulator error: {exc}"
            return Outcome(r.ErrorReply(action=echoed, id=request_id, error=error))

    async def _speak(self, text: str) -> None:
        await self.broadcast(ChatbotSpeechStarted())
        await asyncio.sleep(len(text) * self.speech_seconds_per_char)
        await self.broadcast(ChatbotSpeechEnded())

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)


async def _closed_within(ws: ServerConnection, seconds: float) -> bool:
    """Wait ``seconds``, ending early if the connection closes; return whether it closed."""
    try:
        await asyncio.wait_for(ws.wait_closed(), seconds)
    except TimeoutError:
        return False
    return True
