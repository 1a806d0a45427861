"""A fake Akool streaming-avatar OpenAPI on loopback (aiohttp), for tests and ``--demo``.

It serves every route of :mod:`animaze_panel.cloud.akool` for real over HTTP. Sources of its
rules (each also named where it is applied):

* spec = ``shared/specs/akool-streaming-avatar-api.txt`` (routes, fields, statuses, code table);
* docs = docs.akool.com (authentication usage; live-avatar create/detail/close/list pages);
* demo = Akool's public React demo ``akool-streaming-avatar-react-demo`` (``src/apiService.ts``).

Behaviour:

* every answer is ``{code, msg, data}`` with HTTP 200, failures included (spec "Response Code
  Description"; demo ``fetchApi`` reads ``code`` from 200 answers);
* auth: ``POST getToken {clientId, clientSecret}`` -> ``{code: 1000, token}`` (token at the top
  level, docs); then ``Authorization: Bearer`` or ``x-api-key``, Authorization winning when both
  are sent (docs, every live-avatar page); none -> 1102, wrong/expired -> 1101 (spec table);
* uploaded avatars go 1 queueing -> 2 processing -> 3 ready (or 4 failed) with the clock;
* sessions go 1 queueing -> 2 processing -> 3 completed (closed or duration over) / 4 failed;
  the whole duration is charged at create and the unused rest refunded at close (issue facts),
  recorded in :attr:`FakeAkoolServer.charges` / :attr:`FakeAkoolServer.refunds`;
* :meth:`FakeAkoolServer.fail` injects a :class:`Fault` per route (code, HTTP status, reset,
  malformed JSON, delay), once, N times or always.

Start it in-process (``await server.start()`` returns the base URL) or in a thread with its own
loop (:class:`FakeAkoolThread`) so a GUI loop never serves HTTP.
"""

from __future__ import annotations

import asyncio
import itertools
import re
import secrets
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from ._akool_data import (
    CODE_MESSAGES,
    FAKE_AGORA_APP_ID,
    FAKE_AGORA_TOKEN_PREFIX,
    LANGUAGES,
    OFFICIAL_AVATARS,
    ROUTES,
    VOICES,
    Fault,
    thumbnail_png,
)
from .kinetix_server import ManualClock

__all__ = ["DEMO_API_KEY", "DEMO_CLIENT_ID", "DEMO_CLIENT_SECRET", "FAKE_AGORA_APP_ID",
           "FAKE_AGORA_TOKEN_PREFIX", "FakeAkoolServer", "FakeAkoolThread", "Fault",
           "ManualClock", "ROUTES"]

DEMO_CLIENT_ID = "demo-client-id"
DEMO_CLIENT_SECRET = "demo-client-secret"
DEMO_API_KEY = "demo-api-key"
_AVATAR_ID_RE = re.compile(r"^[a-zA-Z0-9]+$")  # spec, Upload: "Can only contain /^a-zA-Z0-9/"
Handler = Callable[[web.Request], Awaitable[dict[str, Any] | int]]


@dataclass
class FakeAvatar:
    """An uploaded avatar and when it was made."""

    record_id: str
    avatar_id: str
    name: str
    url: str
    created: float
    fails: bool


@dataclass
class FakeSession:
    """A session, its paid time and its lifecycle."""

    session_id: str
    avatar_id: str
    duration: int
    created: float
    stream_type: str
    uid: int
    options: dict[str, Any]
    closed_at: float | None = None
    failed: bool = False
    credentials: dict[str, Any] = field(default_factory=dict)


class FakeAkoolServer:
    """The fake API; configure it, then ``await start()``."""

    def __init__(
        self,
        client_id: str = DEMO_CLIENT_ID,
        client_secret: str = DEMO_CLIENT_SECRET,
        api_key: str = DEMO_API_KEY,
        clock: Callable[[], float] = time.monotonic,
        avatar_step_seconds: float = 2.0,
        session_start_seconds: float = 1.0,
        host: str = "127.0.0.1",
    ) -> None:
        """Configure the fake (attributes may be changed later too).

        Args:
            client_id: The accepted client ID of ``getToken``.
            client_secret: The accepted client secret.
            api_key: The accepted ``x-api-key``.
            clock: Time source for avatar processing, session status and refunds.
            avatar_step_seconds: Clock seconds an upload spends queueing, then processing.
            session_start_seconds: Clock seconds a session stays queueing before it runs.
            host: Loopback address to bind.
        """
        self.client_id, self.client_secret, self.api_key = client_id, client_secret, api_key
        self.clock = clock
        self.avatar_step_seconds = avatar_step_seconds
        self.session_start_seconds = session_start_seconds
        self.host = host
        self.session_list_key = "data"  # spec shows data.data; "result" exercises the other
        self.avatar_fails = False  # next uploads end in status 4
        self.hits: Counter[str] = Counter()
        self.auth_seen: list[tuple[str, str]] = []  # (route, "bearer"/"api-key"/"none")
        self.last_query: dict[str, dict[str, str]] = {}
        self.last_body: dict[str, Any] = {}
        self.tokens: set[str] = set()
        self.charges: dict[str, int] = {}
        self.refunds: dict[str, float] = {}
        self.closes: list[str] = []
        self.avatars: dict[str, FakeAvatar] = {}
        self.sessions: dict[str, FakeSession] = {}
        self._faults: dict[str, Fault] = {}
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self._release: asyncio.Event | None = None
        self.base_url = ""

    # -- lifecycle --------------------------------------------------------------------------

    async def start(self, port: int = 0) -> str:
        """Listen on ``host:port`` (0 = a free port) and return the base URL."""
        handlers: dict[str, Handler] = {
            "avatar_create": self._avatar_create, "avatar_detail": self._avatar_detail,
            "avatar_list": self._avatar_list, "session_create": self._session_create,
            "session_detail": self._session_detail, "session_close": self._session_close,
            "session_list": self._session_list, "voice_list": self._voice_list,
            "language_list": self._language_list,
        }
        app = web.Application()
        for name, (method, path) in ROUTES.items():
            handler = self._token if name == "token" else handlers[name]
            app.router.add_route(method, path, self._wrap(name, handler, auth=name != "token"))
        app.router.add_route("GET", "/media/{file}", self._media)
        self._release = asyncio.Event()
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, port)
        await site.start()
        self.base_url = f"http://{self.host}:{self._runner.addresses[0][1]}"
        return self.base_url

    async def stop(self) -> None:
        """Release delayed requests and close the server."""
        if self._release is not None:
            self._release.set()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # -- configuration and inspection -------------------------------------------------------

    def fail(self, route: str, fault: Fault) -> None:
        """Make ``route`` (a key of :data:`ROUTES`) misbehave as ``fault`` says."""
        if route not in ROUTES:
            raise ValueError(f"unknown route {route!r}; known: {', '.join(ROUTES)}")
        self._faults[route] = fault

    def clear_faults(self) -> None:
        """Make every route healthy again."""
        self._faults.clear()

    def expire_tokens(self) -> None:
        """Invalidate every issued token (the next call with one answers 1101)."""
        self.tokens.clear()

    def fail_session(self, session_id: str) -> None:
        """Make a session end in status 4 (failed)."""
        self.sessions[session_id].failed = True

    def session_status(self, session_id: str) -> int:
        """Return a session's status now (1-4, spec)."""
        return self._session_status(self.sessions[session_id])

    def open_session_ids(self) -> list[str]:
        """IDs of sessions still queueing or running (still being paid for)."""
        return [s.session_id for s in self.sessions.values() if self._session_status(s) in (1, 2)]

    # -- plumbing ---------------------------------------------------------------------------

    def _wrap(self, name: str, handler: Handler, auth: bool) -> Any:
        async def wrapped(request: web.Request) -> web.StreamResponse:
            self.hits[name] += 1
            self.last_query[name] = dict(request.query)
            if request.method == "POST":
                self.last_body[name] = await _json_body(request)  # aiohttp caches the body
            fault = self._take_fault(name)
            if fault is not None:
                faulty = await self._apply(request, fault)
                if faulty is not None:
                    return faulty
            if auth:
                refused = self._check_auth(name, request)
                if refused is not None:
                    return _answer(refused)
            result = await handler(request)
            if isinstance(result, int):
                return _answer(result)
            return web.json_response({"code": 1000, "msg": "OK", **result})

        return wrapped

    def _take_fault(self, name: str) -> Fault | None:
        fault = self._faults.get(name)
        if fault is None:
            return None
        if fault.times is not None:
            if fault.times <= 1:
                del self._faults[name]
            else:
                self._faults[name] = Fault(fault.code, fault.http_status, fault.reset,
                                           fault.malformed, fault.delay, fault.times - 1)
        return fault

    async def _apply(self, request: web.Request, fault: Fault) -> web.StreamResponse | None:
        if fault.delay > 0:
            assert self._release is not None
            try:
                await asyncio.wait_for(self._release.wait(), fault.delay)
            except TimeoutError:
                pass
        if fault.reset:
            await request.read()
            _reset(request)
            raise web.HTTPBadRequest()  # never reaches the client: the socket is gone
        if fault.malformed:
            return web.Response(text='{"code": 1000, "msg": "OK", "data": {"_id', status=200,
                                content_type="application/json")
        if fault.http_status is not None:
            if fault.code is not None:
                return _answer(fault.code, fault.http_status)
            return web.Response(text=f"<html>HTTP {fault.http_status}</html>",
                                status=fault.http_status, content_type="text/html")
        if fault.code is not None:
            return _answer(fault.code)
        return None

    def _check_auth(self, name: str, request: web.Request) -> int | None:
        # docs: "If both Authorization and x-api-key have values, Authorization will be used
        # first and x-api-key will be discarded."
        header = request.headers.get("Authorization", "")
        if header:
            self.auth_seen.append((name, "bearer"))
            scheme, _, token = header.partition(" ")
            return None if scheme == "Bearer" and token in self.tokens else 1101
        key = request.headers.get("x-api-key", "")
        if key:
            self.auth_seen.append((name, "api-key"))
            return None if secrets.compare_digest(key, self.api_key) else 1101
        self.auth_seen.append((name, "none"))
        return 1102  # spec: "Authorization cannot be empty"

    def _new_id(self) -> str:
        # 24 hex digits like the docs' Mongo-style ``_id`` examples.
        return f"{next(self._ids):024x}"

    # -- handlers ---------------------------------------------------------------------------

    async def _token(self, request: web.Request) -> dict[str, Any] | int:
        body = await _json_body(request)
        if not isinstance(body, dict) or not body.get("clientId") or not body.get("clientSecret"):
            return 1003
        if (body["clientId"], body["clientSecret"]) != (self.client_id, self.client_secret):
            return 1101  # not documented for getToken; the table's "Invalid authorization"
        token = secrets.token_urlsafe(24)
        self.tokens.add(token)
        return {"token": token}  # docs: token at the top level, not under data

    def _avatar_status(self, avatar: FakeAvatar) -> int:
        # spec, Upload: status 1 queueing, 2 processing, 3 success, 4 failed.
        steps = int((self.clock() - avatar.created) / self.avatar_step_seconds)
        if steps >= 2:
            return 4 if avatar.fails else 3
        return 1 + steps

    def _avatar_json(self, avatar: FakeAvatar) -> dict[str, Any]:
        return {"_id": avatar.record_id, "avatar_id": avatar.avatar_id, "name": avatar.name,
                "url": avatar.url, "type": 2, "status": self._avatar_status(avatar)}

    async def _avatar_create(self, request: web.Request) -> dict[str, Any] | int:
        body = await _json_body(request)
        if not isinstance(body, dict):
            return 1003
        url, avatar_id = body.get("url"), body.get("avatar_id")
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            return 1003
        if not isinstance(avatar_id, str) or not _AVATAR_ID_RE.match(avatar_id):
            return 1003
        if str(body.get("type")) != "2" or body.get("url_from", 1) not in (1, 2):
            return 1003  # spec: type 2 = streaming avatar; url_from 1 or 2
        if avatar_id in {a.avatar_id for a in self.avatars.values()} or avatar_id in {
            a["avatar_id"] for a in OFFICIAL_AVATARS
        }:
            return 1003  # not documented; an ID is "unique" (spec), so a repeat is refused
        avatar = FakeAvatar(self._new_id(), avatar_id, str(body.get("name") or avatar_id), url,
                            self.clock(), self.avatar_fails)
        self.avatars[avatar.record_id] = avatar
        return {"data": self._avatar_json(avatar)}

    async def _avatar_detail(self, request: web.Request) -> dict[str, Any] | int:
        record_id = request.query.get("id", "")
        if not record_id:
            return 1003
        avatar = self.avatars.get(record_id) or next(
            (a for a in self.avatars.values() if a.avatar_id == record_id), None)
        if avatar is None:
            return 1008
        return {"data": self._avatar_json(avatar)}

    def _avatar_items(self) -> list[dict[str, Any]]:
        items = [{**a, "url": f"{self.base_url}/media/{a['avatar_id']}.png",
                  "thumbnailUrl": f"{self.base_url}/media/{a['avatar_id']}.png"}
                 for a in OFFICIAL_AVATARS]
        for avatar in self.avatars.values():
            if self._avatar_status(avatar) == 3:  # spec: usable once status is 3
                items.append({"avatar_id": avatar.avatar_id, "name": avatar.name,
                              "voice_id": "", "url": avatar.url, "thumbnailUrl": "",
                              "gender": "", "available": True, "type": 2, "from": 3})
        return items

    async def _avatar_list(self, request: web.Request) -> dict[str, Any] | int:
        page_size = _page(request, max_size=100)  # spec: size max 100
        if page_size is None:
            return 1003
        page, size = page_size
        items = self._avatar_items()
        return {"data": {"count": len(items), "result": items[(page - 1) * size:page * size]}}

    def _session_status(self, session: FakeSession) -> int:
        # spec: 1 queueing, 2 processing, 3 completed, 4 failed.
        if session.failed:
            return 4
        now = self.clock()
        if session.closed_at is not None or now - session.created >= session.duration:
            return 3
        return 1 if now - session.created < self.session_start_seconds else 2

    def _session_json(self, session: FakeSession) -> dict[str, Any]:
        # docs, Create session / Get Session Info: {_id, uid, type, status, stream_type,
        # credentials}; avatar_id and duration added for the list.
        return {"_id": session.session_id, "uid": session.uid, "type": 1,
                "status": self._session_status(session), "stream_type": session.stream_type,
                "avatar_id": session.avatar_id, "duration": session.duration,
                "credentials": session.credentials}

    async def _session_create(self, request: web.Request) -> dict[str, Any] | int:
        body = await _json_body(request)
        if not isinstance(body, dict):
            return 1003
        avatar_id, duration = body.get("avatar_id"), body.get("duration")
        if not isinstance(avatar_id, str) or not avatar_id:
            return 1003
        if not isinstance(duration, int) or isinstance(duration, bool) \
                or not 1 <= duration <= 3600:
            return 1003  # spec: duration in seconds, at most 3600
        if body.get("mode_type") not in (None, 1, 2):
            return 1003  # issue facts: mode_type 1 retell, 2 dialogue
        stream_type = body.get("stream_type", "agora")
        if stream_type not in ("agora", "livekit", "trtc"):
            return 1003
        known = {a["avatar_id"]: a for a in self._avatar_items()}
        if avatar_id not in known:
            return 1008  # spec: "The content you get does not exist"
        if not known[avatar_id]["available"]:
            return 1009  # not documented; an unavailable avatar may not be used
        voice = body.get("voice_id")
        if voice and voice not in {v["voice_id"] for v in VOICES}:
            return 1008
        language = body.get("language")
        if language and language not in {lang["lang_code"] for lang in LANGUAGES}:
            return 1003
        session_id = self._new_id()
        uid = 100000 + len(self.sessions)
        session = FakeSession(session_id, avatar_id, duration, self.clock(), stream_type, uid,
                              body, credentials=_credentials(stream_type, session_id, uid))
        self.sessions[session_id] = session
        self.charges[session_id] = duration  # issue facts: the whole duration, up front
        return {"data": self._session_json(session)}

    def _find_session(self, session_id: Any) -> FakeSession | int:
        if not isinstance(session_id, str) or not session_id:
            return 1003
        return self.sessions.get(session_id) or 1008

    async def _session_detail(self, request: web.Request) -> dict[str, Any] | int:
        session = self._find_session(request.query.get("id"))
        if isinstance(session, int):
            return session
        return {"data": self._session_json(session)}

    async def _session_close(self, request: web.Request) -> dict[str, Any] | int:
        body = await _json_body(request)
        if not isinstance(body, dict):
            return 1003
        # demo sends {"id"}; some doc examples send {"session_id"}: accept both.
        session = self._find_session(body.get("id") or body.get("session_id"))
        if isinstance(session, int):
            return session
        if self._session_status(session) in (1, 2):
            now = self.clock()
            session.closed_at = now
            # issue facts: closing early refunds the unused rest of the duration.
            self.refunds[session.session_id] = max(0.0, session.duration - (now - session.created))
            self.closes.append(session.session_id)
        # A repeated close is not documented; it is answered as success with no new refund.
        return {"data": {"_id": session.session_id, "status": self._session_status(session)}}

    async def _session_list(self, request: web.Request) -> dict[str, Any] | int:
        page_size = _page(request, max_size=None)
        if page_size is None:
            return 1003
        page, size = page_size
        status = request.query.get("status")
        if status not in (None, "1", "2", "3", "4"):
            return 1003  # spec: status 1-4
        items = [self._session_json(s) for s in reversed(self.sessions.values())]
        if status is not None:
            items = [item for item in items if item["status"] == int(status)]
        chunk = items[(page - 1) * size:page * size]
        return {"data": {"count": len(items), self.session_list_key: chunk}}

    async def _voice_list(self, request: web.Request) -> dict[str, Any] | int:
        kind = request.query.get("type")
        if kind not in (None, "1", "2"):
            return 1003  # demo: type 1 = voice clones, 2 = Akool voices
        items = [{k: v for k, v in voice.items() if k != "type"} for voice in VOICES
                 if kind is None or voice["type"] == int(kind)]
        for item in items:
            item["preview"] = ""  # no audio previews in the fake
        return {"data": {"count": len(items), "result": items}}

    async def _media(self, request: web.Request) -> web.Response:
        # A stand-in for Akool's CDN: thumbnails only, no auth (public links).
        name, _, ext = request.match_info["file"].rpartition(".")
        if ext != "png" or not name:
            return web.Response(status=404, text="not found")
        return web.Response(body=thumbnail_png(name), content_type="image/png")

    async def _language_list(self, request: web.Request) -> dict[str, Any] | int:
        return {"data": {"lang_list": LANGUAGES}}  # demo: data.lang_list


def _credentials(stream_type: str, session_id: str, uid: int) -> dict[str, Any]:
    # Field names: docs, Get Session Info (agora_*, livekit_*, trtc_sdk_*).
    channel = f"akool-fake-{session_id}"
    if stream_type == "livekit":
        return {"livekit_url": "wss://livekit.invalid", "livekit_token": f"lk-{session_id}",
                "livekit_room_name": channel}
    if stream_type == "trtc":
        return {"trtc_sdk_app_id": 1400000000, "trtc_sdk_room_id": channel,
                "trtc_sdk_user_id": str(uid), "trtc_sdk_user_sig": f"sig-{session_id}"}
    return {"agora_uid": uid, "agora_app_id": FAKE_AGORA_APP_ID, "agora_channel": channel,
            "agora_token": FAKE_AGORA_TOKEN_PREFIX + channel}


def _answer(code: int, status: int = 200) -> web.Response:
    return web.json_response({"code": code, "msg": CODE_MESSAGES.get(code, "error"),
                              "data": None}, status=status)


async def _json_body(request: web.Request) -> Any:
    try:
        return await request.json()
    except ValueError:
        return None


def _page(request: web.Request, max_size: int | None) -> tuple[int, int] | None:
    try:
        page = int(request.query.get("page", "1"))
        size = int(request.query.get("size", "100"))  # spec: default size 100
    except ValueError:
        return None
    if page < 1 or size < 1 or (max_size is not None and size > max_size):
        return None
    return page, size


def _reset(request: web.Request) -> None:
    """Abort the connection with a TCP reset (SO_LINGER 0), so the client sees it drop."""
    transport = request.transport
    if transport is None:
        return
    sock = transport.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()


class FakeAkoolThread:
    """Run a :class:`FakeAkoolServer` in a daemon thread with its own event loop."""

    def __init__(self, **server_kwargs: Any) -> None:
        """Build (not start) the server with ``server_kwargs``."""
        self.server = FakeAkoolServer(**server_kwargs)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="fake-akool",
                                        daemon=True)

    def start(self, port: int = 0) -> str:
        """Start the thread and the server; return the base URL."""
        self._thread.start()
        future = asyncio.run_coroutine_threadsafe(self.server.start(port), self._loop)
        return future.result(timeout=10)

    def stop(self) -> None:
        """Stop the server and the thread."""
        if not self._thread.is_alive():
            return
        asyncio.run_coroutine_threadsafe(self.server.stop(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    def call(self, fn: Callable[[FakeAkoolServer], Any]) -> Any:
        """Run ``fn(server)`` on the server's loop (thread-safe configuration/inspection)."""

        async def run() -> Any:
            return fn(self.server)

        return asyncio.run_coroutine_threadsafe(run(), self._loop).result(timeout=10)
