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
  the whole duration is charged at create and the unused rest refunded at close (the billing
  rule of the project's Akool notes), recorded in :attr:`FakeAkoolServer.charges` and
  :attr:`FakeAkoolServer.refunds`;
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
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Any

from aiohttp import web

from ._akool_data import (
    FAKE_AGORA_APP_ID,
    FAKE_AGORA_TOKEN_PREFIX,
    LANGUAGES,
    OFFICIAL_AVATARS,
    ROUTES,
    VOICES,
    Fault,
    page_of,
    thumbnail_png,
)
from ._akool_http import answer, json_body, reset
from ._akool_sessions import SessionBook
from ._server_thread import ServerThread
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
        self.host = host
        self.session_list_key = "data"  # spec shows data.data; "result" exercises the other
        self.avatar_fails = False  # next uploads end in status 4
        self.account_banned = False  # every signed-in call answers 1200 (spec table)
        self.hits: Counter[str] = Counter()
        self.auth_seen: list[tuple[str, str]] = []  # (route, "bearer"/"api-key"/"none")
        self.last_query: dict[str, dict[str, str]] = {}
        self.last_body: dict[str, Any] = {}
        self.tokens: set[str] = set()
        self.avatars: dict[str, FakeAvatar] = {}
        self.book = SessionBook(clock, session_start_seconds)
        # The book's records, under the server for tests and demo inspection.
        self.sessions, self.charges = self.book.sessions, self.book.charges
        self.refunds, self.closes = self.book.refunds, self.book.closes
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
        return self.book.status(self.sessions[session_id])

    def open_session_ids(self) -> list[str]:
        """IDs of sessions still queueing or running (still being paid for)."""
        return self.book.open_ids()

    # -- plumbing ---------------------------------------------------------------------------

    def _wrap(self, name: str, handler: Handler, auth: bool) -> Any:
        async def wrapped(request: web.Request) -> web.StreamResponse:
            self.hits[name] += 1
            self.last_query[name] = dict(request.query)
            if request.method == "POST":
                self.last_body[name] = await json_body(request)  # aiohttp caches the body
            fault = self._take_fault(name)
            if fault is not None:
                faulty = await self._apply(request, fault)
                if faulty is not None:
                    return faulty
            if auth:
                refused = self._check_auth(name, request)
                if refused is not None:
                    return answer(refused)
            result = await handler(request)
            if isinstance(result, int):
                return answer(result)
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
                self._faults[name] = replace(fault, times=fault.times - 1)
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
            reset(request)
            raise web.HTTPBadRequest()  # never reaches the client: the socket is gone
        if fault.malformed:
            return web.Response(text='{"code": 1000, "msg": "OK", "data": {"_id', status=200,
                                content_type="application/json")
        if fault.http_status is not None:
            if fault.code is not None:
                response = answer(fault.code, fault.http_status)
            else:
                response = web.Response(text=f"<html>HTTP {fault.http_status}</html>",
                                        status=fault.http_status, content_type="text/html")
            if fault.retry_after is not None:
                response.headers["Retry-After"] = fault.retry_after
            return response
        if fault.code is not None:
            return answer(fault.code)
        return None

    def _check_auth(self, name: str, request: web.Request) -> int | None:
        # docs: "If both Authorization and x-api-key have values, Authorization will be used
        # first and x-api-key will be discarded."
        header = request.headers.get("Authorization", "")
        if header:
            self.auth_seen.append((name, "bearer"))
            scheme, _, token = header.partition(" ")
            if scheme != "Bearer" or token not in self.tokens:
                return 1101
            return 1200 if self.account_banned else None
        key = request.headers.get("x-api-key", "")
        if key:
            self.auth_seen.append((name, "api-key"))
            if not secrets.compare_digest(key, self.api_key):
                return 1101
            return 1200 if self.account_banned else None
        self.auth_seen.append((name, "none"))
        return 1102  # spec: "Authorization cannot be empty"

    def _new_id(self) -> str:
        # 24 hex digits like the docs' Mongo-style ``_id`` examples.
        return f"{next(self._ids):024x}"

    # -- handlers ---------------------------------------------------------------------------

    async def _token(self, request: web.Request) -> dict[str, Any] | int:
        body = await json_body(request)
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
        body = await json_body(request)
        if not isinstance(body, dict):
            return 1003
        url, avatar_id = body.get("url"), body.get("avatar_id")
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            return 1003  # spec: "url: Avatar resource link"
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
        # Akool's own samples poll ``?id=<data._id of create>``; the avatar ID is accepted too.
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
                              "voice_id": "", "url": avatar.url,
                              "thumbnailUrl": f"{self.base_url}/media/{avatar.avatar_id}.png",
                              "gender": "", "available": True, "type": 2, "from": 3})
        return items

    async def _avatar_list(self, request: web.Request) -> dict[str, Any] | int:
        page_size = page_of(request.query, max_size=100)  # spec: size max 100
        if page_size is None:
            return 1003
        page, size = page_size
        items = self._avatar_items()
        return {"data": {"count": len(items), "result": items[(page - 1) * size:page * size]}}

    async def _session_create(self, request: web.Request) -> dict[str, Any] | int:
        avatars = {a["avatar_id"]: a for a in self._avatar_items()}
        return self.book.create(await json_body(request), avatars, self._new_id)

    async def _session_detail(self, request: web.Request) -> dict[str, Any] | int:
        session = self.book.find(request.query.get("id"))
        return session if isinstance(session, int) else {"data": self.book.to_json(session)}

    async def _session_close(self, request: web.Request) -> dict[str, Any] | int:
        return self.book.close(await json_body(request))

    async def _session_list(self, request: web.Request) -> dict[str, Any] | int:
        return self.book.listing(request.query, self.session_list_key)

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


class FakeAkoolThread(ServerThread[FakeAkoolServer]):
    """Run a :class:`FakeAkoolServer` in a daemon thread with its own event loop."""

    def __init__(self, **server_kwargs: Any) -> None:
        """Build (not start) the server with ``server_kwargs``."""
        super().__init__(FakeAkoolServer(**server_kwargs), "fake-akool")
