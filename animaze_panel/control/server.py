"""The control API server: aiohttp on the panel's own event loop, off by default.

Routes (all JSON; every ``/v1`` route needs ``Authorization: Bearer <token>``; the events
WebSocket also accepts ``?token=`` because some deck plugins cannot set headers):

* ``POST /v1/actions/run`` — body is an action table, the same as in ``hotkeys.toml``
  (``{"type": "emote", "name": "Emote_Wave"}``), or ``{"type": "macro", "name": ...}`` for a
  named macro binding;
* ``POST /v1/bindings/{name}/press`` and ``/release``; ``POST /v1/macros/stop``;
* ``POST /v1/animaze`` — one raw Animaze API request (``{"action": "GetAvatars"}``) over the
  panel's connection, answered with Animaze's response (``animaze-panel call`` uses it);
* ``GET /v1/state``, ``GET /v1/catalog``, ``GET /v1/openapi.json``; ``WS /v1/events``;
* ``GET /`` — a short page on how to use it (no state, no secrets).

Safety: bound to 127.0.0.1 unless the caller opts in to another interface (and then a token
is mandatory, as it always is); per-client token buckets (client = ``X-Client-Id`` header or
the peer address); a body limit; an ``Idempotency-Key`` header makes a retried request answer
from the first run instead of running twice. Nothing logged or answered carries the token.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import ipaddress
import itertools
import json
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import WSMsgType, web

from ..animaze.errors import ValidationError
from ..animaze.requests import parse_request
from ..hotkeys.actions import action_from_dict
from ..hotkeys.errors import EntryError
from ..secrets import Secret
from . import openapi
from .backend import ControlBackend
from .errors import (
    BadRequest,
    ControlError,
    NotFound,
    PayloadTooLarge,
    Refused,
    Unauthorized,
    Unprocessable,
)
from .model import changes
from .ratelimit import RateLimiter

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
DEFAULT_PORT = 8765
IDEMPOTENCY_TTL = 300.0
_BACKEND = web.AppKey("backend", ControlBackend)


@dataclass(frozen=True)
class ServerConfig:
    """Where and how the server listens.

    Attributes:
        host: Interface to bind; anything but loopback needs ``allow_remote``.
        port: TCP port (0: any free port, for tests).
        allow_remote: The user's explicit opt-in to listen beyond this machine.
        max_body: Largest request body, in bytes.
        rate: Sustained requests per second per client.
        burst: Requests a client may send at once.
    """

    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    allow_remote: bool = False
    max_body: int = 16 * 1024
    rate: float = 50.0
    burst: int = 100

    def check(self) -> None:
        """Refuse a configuration that would expose the panel by accident.

        Raises:
            BadRequest: A non-loopback host without ``allow_remote``, or a bad port.
        """
        if not 0 <= self.port <= 65535:
            raise BadRequest(f"port {self.port} is not a TCP port (0-65535)")
        if not is_loopback(self.host) and not self.allow_remote:
            raise BadRequest(
                f"listening on {self.host} would let other machines drive the panel; "
                "turn on 'Allow other machines' first", code="remote_not_allowed")


def is_loopback(host: str) -> bool:
    """Whether ``host`` only reaches this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class ControlServer:
    """The HTTP + WebSocket server; start/stop it on the panel's loop."""

    def __init__(self, backend: ControlBackend, token: Secret, config: ServerConfig | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        """Create a stopped server.

        Args:
            backend: The panel.
            token: The shared secret every request must carry (never empty).
            config: Where to listen and the limits.
            clock: Monotonic seconds (rate limits, idempotency keys).

        Raises:
            BadRequest: An empty token or an unsafe configuration.
        """
        self.config = config or ServerConfig()
        self.config.check()
        self._token = _checked(token)
        self._backend = backend
        self._clock = clock
        self._limiter = RateLimiter(self.config.rate, self.config.burst, clock)
        self._runner: web.AppRunner | None = None
        self._site: web.TCPSite | None = None
        self._sockets: set[web.WebSocketResponse] = set()
        self._last_state: dict[str, Any] | None = None
        self._unwatch: Callable[[], None] | None = None
        self._push_pending = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._done: dict[str, tuple[float, int, dict[str, Any], str]] = {}
        self._running: set[str] = set()
        self._tasks: set[asyncio.Task[Any]] = set()
        self.url = ""
        self.on_clients: Callable[[int], None] | None = None

    def __repr__(self) -> str:
        return f"ControlServer(url={self.url!r}, clients={len(self._sockets)})"

    @property
    def clients(self) -> int:
        """WebSocket clients connected to ``/v1/events``."""
        return len(self._sockets)

    def set_token(self, token: Secret) -> None:
        """Rotate the token: later requests need the new one; event sockets are closed."""
        self._token = _checked(token)
        for ws in list(self._sockets):
            self._spawn(ws.close(code=4001, message=b"token rotated"))

    def build_app(self) -> web.Application:
        """The aiohttp application (routes + middlewares); :meth:`start` serves it."""
        app = web.Application(client_max_size=self.config.max_body,
                              middlewares=[self._errors, self._guard])
        app[_BACKEND] = self._backend
        app.router.add_get("/", self._index)
        app.router.add_get("/v1/openapi.json", self._openapi)
        app.router.add_get("/v1/state", self._state)
        app.router.add_get("/v1/catalog", self._catalog)
        app.router.add_post("/v1/actions/run", self._run)
        app.router.add_post("/v1/bindings/{name}/press", self._press)
        app.router.add_post("/v1/bindings/{name}/release", self._release)
        app.router.add_post("/v1/macros/stop", self._stop_macros)
        app.router.add_post("/v1/animaze", self._animaze)
        app.router.add_get("/v1/events", self._events)
        return app

    async def start(self) -> str:
        """Listen; returns the base URL (``http://127.0.0.1:8765``).

        Raises:
            OSError: The port is taken or the address cannot be bound.
        """
        runner = web.AppRunner(self.build_app(), access_log=None, handle_signals=False)
        await runner.setup()
        site = web.TCPSite(runner, self.config.host, self.config.port)
        try:
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner, self._site = runner, site
        port = int(runner.addresses[0][1]) if runner.addresses else self.config.port
        host = self.config.host if ":" not in self.config.host else f"[{self.config.host}]"
        self.url = f"http://{host}:{port}"
        self._loop = asyncio.get_running_loop()
        self._last_state = self._backend.state().to_wire()
        self._unwatch = self._backend.watch(self._state_changed)
        log.info("Control API listening on %s", self.url)
        return self.url

    async def stop(self) -> None:
        """Close every socket and stop listening (idempotent)."""
        if self._unwatch is not None:
            self._unwatch()
            self._unwatch = None
        for ws in list(self._sockets):
            await ws.close(code=1001, message=b"panel stopping")
        self._sockets.clear()
        self._notify_clients()
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._runner is not None:
            await self._runner.cleanup()
        self._runner = self._site = None
        self.url = ""

    # ------------------------------------------------------------------ middlewares

    @web.middleware
    async def _errors(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            return await handler(request)
        except ControlError as exc:
            return _error(exc)
        except web.HTTPRequestEntityTooLarge:
            return _error(PayloadTooLarge(
                f"the body is larger than {self.config.max_body} bytes"))
        except web.HTTPNotFound:
            return _error(NotFound(f"no route {request.method} {request.path}"))
        except web.HTTPMethodNotAllowed as exc:
            allowed = ", ".join(sorted(exc.allowed_methods))
            resp = _error(BadRequest(f"{request.method} is not allowed here (use {allowed})",
                                     code="method_not_allowed"))
            resp.set_status(405)
            resp.headers["Allow"] = allowed
            return resp

    @web.middleware
    async def _guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        client = request.headers.get("X-Client-Id", "")[:64] or (request.remote or "?")
        wait = self._limiter.take(client)
        if wait > 0:
            raise Refused("too many requests from this client; slow down",
                          retry_after=wait)
        if request.path != "/":
            self._authenticate(request)
        length = request.content_length
        if length is not None and length > self.config.max_body:
            raise PayloadTooLarge(f"the body is larger than {self.config.max_body} bytes")
        response = await handler(request)
        log.debug("%s %s -> %s", request.method, request.path, response.status)
        return response

    def _authenticate(self, request: web.Request) -> None:
        header = request.headers.get("Authorization", "")
        given = header[7:].strip() if header[:7].lower() == "bearer " else ""
        if not given and request.path == "/v1/events":
            given = request.query.get("token", "")
        if not given:
            raise Unauthorized("send the panel's API token as 'Authorization: Bearer <token>' "
                               "(shown in the panel under Settings > Control API)")
        if not hmac.compare_digest(given.encode(), self._token.reveal().encode()):
            raise Unauthorized("wrong API token; copy it again from Settings > Control API "
                               "(it changes when rotated)", code="wrong_token")

    # ------------------------------------------------------------------ routes

    async def _index(self, request: web.Request) -> web.Response:
        return web.Response(text=openapi.INDEX_HTML, content_type="text/html")

    async def _openapi(self, request: web.Request) -> web.Response:
        return web.json_response(openapi.document())

    async def _state(self, request: web.Request) -> web.Response:
        return web.json_response(self._backend.state().to_wire())

    async def _catalog(self, request: web.Request) -> web.Response:
        return web.json_response(self._backend.catalog().to_wire())

    async def _run(self, request: web.Request) -> web.Response:
        body = await _json_object(request)

        async def run() -> dict[str, Any]:
            if str(body.get("type", "")).strip().casefold() == "macro":
                extra = set(body) - {"type", "name"}
                if extra or not isinstance(body.get("name"), str) or not body["name"].strip():
                    raise BadRequest("a macro action is {\"type\": \"macro\", \"name\": "
                                     "\"<binding name>\"}", code="invalid_action")
                return (await self._backend.press(body["name"], macro=True)).to_wire()
            try:
                action = action_from_dict(body)
            except EntryError as exc:
                raise BadRequest(str(exc), code="invalid_action") from exc
            return (await self._backend.run(action)).to_wire()

        return await self._once(request, run)

    async def _press(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        return await self._once(request, lambda: self._wire(self._backend.press(name)))

    async def _release(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        return await self._once(request, lambda: self._wire(self._backend.release(name)))

    async def _animaze(self, request: web.Request) -> web.Response:
        body = await _json_object(request)

        async def call() -> dict[str, Any]:
            try:
                animaze_request = parse_request(body)
            except ValidationError as exc:
                raise BadRequest(str(exc), code="invalid_request") from exc
            return await self._backend.call(animaze_request)

        return await self._once(request, call)

    async def _stop_macros(self, request: web.Request) -> web.Response:
        async def stop() -> dict[str, Any]:
            return {"ok": True, "stopped": await self._backend.stop_macros()}

        return await self._once(request, stop)

    @staticmethod
    async def _wire(outcome: Awaitable[Any]) -> dict[str, Any]:
        result: dict[str, Any] = (await outcome).to_wire()
        return result

    async def _once(self, request: web.Request,
                    run: Callable[[], Awaitable[dict[str, Any]]]) -> web.Response:
        """Run at most once per ``Idempotency-Key``: a retry gets the first answer."""
        key = request.headers.get("Idempotency-Key", "")[:128]
        if not key:
            return web.json_response(await run())
        # The key names one request: the same route and body (the IETF Idempotency-Key draft).
        fingerprint = hashlib.sha256(
            f"{request.method} {request.path}\n".encode() + await request.read()).hexdigest()
        now = self._clock()
        # Answers are kept in the order they were made: forget expired ones from the front
        # (never a pass over the whole table per request).
        for old in list(itertools.islice(self._done, 64)):
            if now - self._done[old][0] < IDEMPOTENCY_TTL:
                break
            del self._done[old]
        if key in self._done:
            _, status, body, seen = self._done[key]
            if seen != fingerprint:
                raise Unprocessable("this Idempotency-Key was already used for a different "
                                    "request; use a new key per request",
                                    code="idempotency_key_reused")
            return web.json_response(body, status=status,
                                     headers={"Idempotent-Replayed": "true"})
        if key in self._running:
            raise Refused("a request with this Idempotency-Key is still running",
                          code="in_progress", retry_after=0.5)
        self._running.add(key)
        try:
            body = await run()
            self._done[key] = (self._clock(), 200, body, fingerprint)
            return web.json_response(body)
        except ControlError as exc:
            if not isinstance(exc, Refused):  # refused: nothing ran, a retry may run it
                self._done[key] = (self._clock(), exc.status, exc.to_wire(), fingerprint)
            raise
        finally:
            self._running.discard(key)

    async def _events(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(heartbeat=20.0, max_msg_size=self.config.max_body)
        await ws.prepare(request)
        self._sockets.add(ws)
        self._notify_clients()
        try:
            await ws.send_json({"type": "hello", "state": self._backend.state().to_wire()})
            async for msg in ws:  # clients only listen; anything they send is ignored
                if msg.type is WSMsgType.ERROR:
                    break
        finally:
            self._sockets.discard(ws)
            self._notify_clients()
        return ws

    # ------------------------------------------------------------------ events

    def _state_changed(self) -> None:
        # Called from any thread (the panel's GUI thread announces its changes): hop to the
        # server's loop; a burst of changes is coalesced into one push per loop pass.
        loop = self._loop
        if self._push_pending or loop is None or loop.is_closed():
            return
        self._push_pending = True
        loop.call_soon_threadsafe(self._push)

    def _push(self) -> None:
        self._push_pending = False
        state = self._backend.state().to_wire()
        delta = changes(self._last_state, state)
        self._last_state = state
        if not delta or not self._sockets:
            return
        text = json.dumps({"type": "state", "changes": delta})
        for ws in list(self._sockets):
            if not ws.closed:
                self._spawn(ws.send_str(text))

    def _spawn(self, coro: Awaitable[Any]) -> None:
        task: asyncio.Task[Any] = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _notify_clients(self) -> None:
        if self.on_clients is not None:
            self.on_clients(len(self._sockets))


def _checked(token: Secret) -> Secret:
    if not token or len(token.reveal()) < 16:
        raise BadRequest("the API token must be at least 16 characters", code="weak_token")
    return token


async def _json_object(request: web.Request) -> dict[str, Any]:
    raw = await request.read()
    try:
        body = json.loads(raw or b"null")
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadRequest(f"the body is not valid JSON ({exc})", code="bad_json") from exc
    if not isinstance(body, dict):
        raise BadRequest("the body must be a JSON object", code="bad_json")
    return body


def _error(exc: ControlError) -> web.Response:
    headers = {}
    if isinstance(exc, Refused):
        headers["Retry-After"] = str(max(1, round(exc.retry_after + 0.499)))
    return web.json_response(exc.to_wire(), status=exc.status, headers=headers)
