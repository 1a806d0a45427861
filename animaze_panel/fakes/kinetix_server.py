"""A fake Kinetix UGE API on loopback (aiohttp), for tests and ``--demo``.

It answers as Kinetix's own SDK API server does (``kinetix-platform/kinetix-sdk-on-premises``:
the routers in ``src/api/routers/v1/process/index.js`` and ``v1/virtualWorld/index.js``, the
middlewares and controllers named beside each rule below); the plans route follows the public
route list (``shared/specs/kinetix-api-routes.txt``). In short:

* a user must be registered (``POST /v1/virtual-world/users``) before a token is made for it;
* ``x-api-key`` missing is 401, unknown 403; a read-only key may not write;
* a token lives ``token_ttl`` clock seconds and is deleted as soon as an upload presents it
  (403 ``Wrong generation token`` afterwards; its status route then answers 404);
* validate/retake answer 403 when the game's validation flow is off, and validate answers 403
  while the process is not done;
* errors are ``{errorCode?, message, data}``; schema failures are the validator's 400 body.

``POST /v1/process`` parses the multipart body *streaming* (the video is hashed chunk by chunk,
never held in memory); :attr:`FakeKinetixServer.uploads` records what arrived. A process
advances one step every ``step_seconds`` of the injectable clock (:class:`ManualClock` in tests).
:meth:`FakeKinetixServer.fail` injects infrastructure faults (401, 403, 404, 429, 500, 503, a
hang, a connection reset, a truncated body) into a route, always or for the next ``times`` calls.

Start it in-process from a running loop (``await server.start()`` returns the base URL), or in
a background thread with its own loop (:class:`FakeKinetixThread`) so a GUI loop never serves
HTTP. The data, state, wire helpers and fault answers live in the ``_kinetix_*`` siblings.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from aiohttp import web

from . import _kinetix_data as kx
from ._kinetix_data import ROUTES, emote_files
from ._kinetix_faults import Failure, FailureTable, failure_response
from ._kinetix_state import KinetixBook, Process, emote_process, process_json, retake_chain, step_of
from ._kinetix_wire import (
    ManualClock,
    Received,
    Upload,
    drain,
    error_response,
    is_uuid,
    key_error,
    malformed,
    read_upload,
    schema_error,
)
from ._server_thread import ServerThread

__all__ = ["DEMO_API_KEY", "Failure", "FakeKinetixServer", "FakeKinetixThread", "ManualClock",
           "Upload"]

Handler = Callable[[web.Request], Any]
DEMO_API_KEY = "demo-key"
"""The key the fake accepts by default (``--demo``)."""


class FakeKinetixServer:
    """The fake API; configure it, then ``await start()``."""

    def __init__(
        self,
        api_key: str = DEMO_API_KEY,
        clock: Callable[[], float] = time.monotonic,
        step_seconds: float = 1.0,
        token_ttl: float = 300.0,
        validation_enabled: bool = True,
        hang_seconds: float = 30.0,
        host: str = "127.0.0.1",
    ) -> None:
        """Configure the fake (attributes may be changed later too).

        Args:
            api_key: The accepted ``x-api-key`` (read and write).
            clock: Time source for token expiry and process steps.
            step_seconds: Clock seconds per process step.
            token_ttl: Clock seconds a token lives (``UGE_TOKEN_EXPIRE``, 300 by default).
            validation_enabled: The game's validation flow (``ugcValidation``).
            hang_seconds: How long a ``TIMEOUT`` failure hangs at most.
            host: Loopback address to bind.
        """
        self.api_key = api_key
        self.read_only_keys: set[str] = set()
        self.clock = clock
        self.step_seconds = step_seconds
        self.token_ttl = token_ttl
        self.validation_enabled = validation_enabled
        self.max_retry = 3  # ugcValidation.maxRetry
        self.allow_ugc = True  # configuration.allowUGC
        self.max_emotes: int | None = None  # configuration.maxEmotes per user and day
        self.hang_seconds = hang_seconds
        self.process_fail_step: str | None = None  # e.g. "ml_failed" for the next processes
        # Kinetix sends no Retry-After (rateLimiting.js); set it to test the client's handling.
        self.retry_after: str | None = None
        self.host = host
        self.users: set[str] = set()
        self.hits: Counter[str] = Counter()
        self.json_content_types: list[str] = []  # Content-Type of each JSON POST received
        self.uploads: list[Upload] = []
        self.aborted_uploads: list[int] = []
        self.file_requests_with_key = 0
        self._failures = FailureTable()
        self._book = KinetixBook(clock())
        self._runner: web.AppRunner | None = None
        self._release: asyncio.Event | None = None
        self.base_url = ""

    # -- lifecycle --------------------------------------------------------------------------

    async def start(self, port: int = 0) -> str:
        """Listen on ``host:port`` (0 = a free port) and return the base URL."""
        app = web.Application()
        route = app.router.add_route
        route("POST", "/v1/plans", self._wrap("plans", self._plans))
        route("POST", "/v1/virtual-world/users", self._wrap("register_user", self._register))
        route("GET", "/v1/process/token", self._wrap("token", self._token))
        route("GET", "/v1/process/token/{uuid}", self._wrap("token_status", self._token_status))
        route("POST", "/v1/process", self._wrap("create_process", self._create, drain_first=True))
        route("GET", "/v1/process/{uuid}", self._wrap("process", self._process))
        route("POST", "/v1/process/{uuid}/validate", self._wrap("validate", self._validate))
        route("POST", "/v1/process/{uuid}/retake", self._wrap("retake", self._retake))
        route("GET", "/v2/users/{user}/processes", self._wrap("user_processes", self._list))
        route("GET", "/v1/emotes/{uuid}", self._wrap("emote", self._emote))
        route("GET", "/files/{emote}/{file}", self._wrap("file", self._file))
        route("GET", "/record/", self._record)
        self._release = asyncio.Event()
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, port)
        await site.start()
        bound = self._runner.addresses[0][1]
        self.base_url = f"http://{self.host}:{bound}"
        return self.base_url

    async def stop(self) -> None:
        """Release hanging requests and close the server."""
        if self._release is not None:
            self._release.set()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # -- configuration ----------------------------------------------------------------------

    def fail(self, route: str, failure: Failure, times: int | None = None) -> None:
        """Make ``route`` (one of :data:`ROUTES`) fail, always or for the next ``times`` calls."""
        if route not in ROUTES:
            raise ValueError(f"unknown route {route!r}; known: {', '.join(ROUTES)}")
        self._failures.set(route, failure, times)

    # -- plumbing ---------------------------------------------------------------------------

    def _wrap(self, name: str, handler: Handler, drain_first: bool = False) -> Any:
        async def wrapped(request: web.Request) -> web.StreamResponse:
            self.hits[name] += 1
            failure = self._failures.take(name)
            if failure is None:
                result: web.StreamResponse = await handler(request)
                return result
            if drain_first:
                await drain(request)
                if failure is Failure.SERVER_ERROR:
                    # A failure inside controller.create comes after tokenAuth(true) deleted
                    # the token: the server took the upload, failed, and the token is gone.
                    self._book.tokens.pop(request.headers.get("x-api-token", ""), None)
            assert self._release is not None
            return await failure_response(request, failure, release=self._release,
                                          hang_seconds=self.hang_seconds,
                                          retry_after=self.retry_after)

        return wrapped

    def _key_error(self, request: web.Request, write: bool) -> web.Response | None:
        return key_error(request, self.api_key, self.read_only_keys, write=write)

    def _new_token(self, user_id: str, parent: str | None = None) -> dict[str, Any]:
        return self._book.issue_token(user_id, self.clock(), self.token_ttl, self.base_url,
                                      parent)

    def _step(self, process: Process) -> str:
        return step_of(process, self.clock(), self.step_seconds)[0]

    def _json(self, process: Process) -> dict[str, Any]:
        return process_json(process, self.clock(), self.step_seconds)

    # -- handlers ---------------------------------------------------------------------------

    async def _plans(self, request: web.Request) -> web.Response:
        # Route and body shape: shared/specs/kinetix-api-routes.txt ("POST /v1/plans").
        if (denied := self._key_error(request, write=False)) is not None:
            return denied
        self.json_content_types.append(request.content_type)
        plan = {"name": "Demo plan", "mugeLimit": 50, "totalUsersLimit": 1000,
                "callsLimit": 100000, "createdAt": self._book.wall(self._book.opened)}
        return web.json_response([plan])

    async def _register(self, request: web.Request) -> web.Response:
        # routers/v1/virtualWorld/index.js: validator(createUser), keyAuth, keyWrite, createUser.
        self.json_content_types.append(request.content_type)
        body = await request.json() if request.content_type == "application/json" else {}
        user = body.get("id") if isinstance(body, dict) else None
        if not isinstance(user, str) or not user:
            return malformed('"id" is required')  # v1/virtualWorld/schema.js createUser
        if (denied := self._key_error(request, write=True)) is not None:
            return denied
        if user in self.users:
            return error_response(kx.USER_EXISTS)  # controllers/virtualWorld.js createUser
        self.users.add(user)
        return web.json_response({"id": len(self.users), "virtualWorldId": user})

    async def _token(self, request: web.Request) -> web.Response:
        # routers/v1/process/index.js: validator(requestToken), keyAuth, keyWrite,
        # ugeLimitUser, controller.request.
        user = request.query.get("userId", "")
        if not user:
            return malformed('"userId" is required')
        if (denied := self._key_error(request, write=True)) is not None:
            return denied
        if user not in self.users:
            return error_response(kx.USER_NOT_FOUND_DOT)  # ugeLimitUser.js
        limit = self.max_emotes
        if limit is not None and self._book.made_today(user, self.clock()) >= limit:
            return error_response(kx.USER_LIMIT)
        if not self.allow_ugc:
            return error_response(kx.NO_UGC)
        return web.json_response(self._new_token(user))

    async def _token_status(self, request: web.Request) -> web.Response:
        # routers/v1/process/index.js: validator(getToken) only (no key check);
        # controllers/process.js getToken: 404 once the cache entry is gone.
        token_uuid = request.match_info["uuid"]
        if not is_uuid(token_uuid):
            return malformed('"uuid" must be a valid GUID')
        token = self._book.live_token(token_uuid, self.clock(), self.token_ttl)
        if token is None:
            return error_response(kx.TOKEN_NOT_FOUND)
        left = token.created + self.token_ttl - self.clock()
        return web.json_response({"expireIn": int(left), "retake": token.parent is not None,
                                  "expire": self._book.wall(token.created + self.token_ttl)})

    async def _create(self, request: web.Request) -> web.Response:
        # routers/v1/process/index.js: multer (the whole body first), validator(create),
        # tokenAuth(true) (deletes the token before checking it), controller.create (201).
        if not request.content_type.startswith("multipart/form-data"):
            await drain(request)
            return malformed('"files" is required')
        received = Received()
        try:
            upload = await read_upload(request, received)
        except ValueError as exc:
            await drain(request)
            return malformed(str(exc))
        except (ConnectionError, EOFError, asyncio.IncompleteReadError):
            # The client went away mid-upload (cancel): remember how much had arrived. Nobody
            # reads the answer; returning one keeps aiohttp from logging an error.
            self.aborted_uploads.append(received.size)
            return malformed("upload aborted")
        if (problem := schema_error(upload)) is not None:
            return malformed(problem)
        token_uuid = request.headers.get("x-api-token", "")
        if not token_uuid:
            return error_response(kx.MISSING_TOKEN)
        token = self._book.use_token(token_uuid, self.clock(), self.token_ttl)
        if token is None or token.user_id not in self.users:
            return error_response(kx.WRONG_TOKEN)
        if not self.allow_ugc:
            return error_response(kx.NO_UGC)
        process = self._book.start_process(token, upload.fields.get("name", ""), self.clock(),
                                           self.process_fail_step)
        upload.process_uuid = process.uuid
        self.uploads.append(upload)
        return web.json_response(self._json(process), status=201)

    def _lookup(self, request: web.Request) -> Process | web.Response:
        """The schema's uuid check, then keyAuth + keyWrite, then the process (404)."""
        process_uuid = request.match_info["uuid"]
        if not is_uuid(process_uuid):
            return malformed('"uuid" must be a valid GUID')
        if (denied := self._key_error(request, write=True)) is not None:
            return denied
        if request.method == "POST":
            self.json_content_types.append(request.content_type)
            if not self.validation_enabled:  # checked before the lookup in process.js
                return error_response(kx.VALIDATION_OFF)
        process = self._book.processes.get(process_uuid)
        return error_response(kx.PROCESS_NOT_FOUND) if process is None else process

    async def _process(self, request: web.Request) -> web.Response:
        process = self._lookup(request)
        if isinstance(process, web.Response):
            return process
        return web.json_response(self._json(process))

    async def _validate(self, request: web.Request) -> web.Response:
        process = self._lookup(request)
        if isinstance(process, web.Response):
            return process
        # controllers/process.js validate: `process.step.includes('done')`, so "ml_done" passes
        # too; the client only offers validation once the emote is ready.
        if "done" not in self._step(process):
            return error_response(kx.NOT_READY)
        process.final = "validated"
        return web.json_response(self._json(process))

    async def _retake(self, request: web.Request) -> web.Response:
        process = self._lookup(request)
        if isinstance(process, web.Response):
            return process
        # controllers/process.js retake: follow the chain of retakes to its last process; no
        # readiness check; 404 once the chain holds maxRetry ancestors.
        last, ancestors = retake_chain(self._book.processes, process)
        if ancestors >= self.max_retry:
            return error_response(kx.RETAKE_LIMIT)
        last.final = "rejected"
        return web.json_response(self._new_token(last.user_id, parent=last.uuid))

    async def _list(self, request: web.Request) -> web.Response:
        # routers/v2/users/index.js + controllers/user.js getProcessesV2 (404 "User not found.").
        if (denied := self._key_error(request, write=False)) is not None:
            return denied
        user = request.match_info["user"]
        if user not in self.users:
            return error_response(kx.USER_NOT_FOUND_DOT)
        return web.json_response(self._book.listing(user, self.clock(), self.step_seconds))

    async def _emote(self, request: web.Request) -> web.Response:
        # Shape {name, files: [{extension, url, ...}]}: git-kinetix/kinetix-fivem
        # kinetix_mod/server/core.lua DownloadYCD reads exactly these.
        if (denied := self._key_error(request, write=False)) is not None:
            return denied
        process = emote_process(self._book.processes, request.match_info["uuid"])
        if process is None:
            return error_response(kx.EMOTE_NOT_FOUND)
        ready = self._step(process) in ("render_done", "done", "validated")
        files = [
            {"name": name, "extension": ext, "url": f"{self.base_url}/files/{process.emote}/"
             f"{name}.{ext}"}
            for name, ext in (emote_files(process.emote) if ready else {})
        ]
        return web.json_response({"uuid": process.emote, "name": process.name, "files": files})

    async def _file(self, request: web.Request) -> web.Response:
        # Files live on a CDN (core.lua downloads obj.url): no API key is checked or wanted.
        if "x-api-key" in request.headers:
            self.file_requests_with_key += 1
        emote = request.match_info["emote"]
        name, _, ext = request.match_info["file"].rpartition(".")
        known = emote_process(self._book.processes, emote) is not None
        content = emote_files(emote).get((name, ext)) if known else None
        if content is None:
            return web.Response(status=404, text="Not Found")
        return web.Response(body=content, content_type="application/octet-stream")

    async def _record(self, request: web.Request) -> web.Response:
        # Stands in for Kinetix's recording web app (VWC_URL in controllers/process.js), which a
        # token's url opens on the player's phone.
        return web.Response(text="Fake Kinetix recorder: this is where a player would film "
                            "their emote.", content_type="text/plain")


class FakeKinetixThread(ServerThread[FakeKinetixServer]):
    """Run a :class:`FakeKinetixServer` in a daemon thread with its own event loop."""

    def __init__(self, **server_kwargs: Any) -> None:
        """Build (not start) the server with ``server_kwargs``."""
        super().__init__(FakeKinetixServer(**server_kwargs), "fake-kinetix")
