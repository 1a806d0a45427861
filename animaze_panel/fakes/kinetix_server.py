"""A fake Kinetix UGE API on loopback (aiohttp), for tests and ``--demo``.

It implements the routes of :mod:`animaze_panel.cloud.kinetix` for real over HTTP:

* every route checks ``x-api-key`` (401 ``user not authenticated`` otherwise);
* tokens expire after ``token_ttl`` seconds of the injectable ``clock`` and are single-use;
* ``POST /v1/process`` parses the multipart body *streaming* (the video is hashed chunk by
  chunk, never held in memory) and checks every field the way the client must send it;
  :attr:`FakeKinetixServer.uploads` records what arrived (size, SHA-256, fields);
* a process advances one step every ``step_seconds`` of the clock (use :class:`ManualClock` in
  tests for determinism) through the real step names, optionally ending in a failure step;
* emote files (``/files/...``) and the dev-token QR PNG are served;
* :meth:`FakeKinetixServer.fail` makes a route answer 401/403/404/429/500, hang (timeout) or
  send malformed JSON, always or for the next ``times`` calls.

Start it in-process from a running loop (``await server.start()`` returns the base URL), or in
a background thread with its own loop (:class:`FakeKinetixThread`) so a GUI loop never serves
HTTP.
"""

from __future__ import annotations

import asyncio
import hashlib
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Any

from aiohttp import BodyPartReader, web

from ._kinetix_data import ROUTES, STEPS, emote_files, png_qr, valid_time

Handler = Callable[[web.Request], Any]
DEMO_API_KEY = "demo-key"
"""The key the fake accepts by default (``--demo``)."""


class Failure(Enum):
    """What a failing route does."""

    UNAUTHENTICATED = 401
    FORBIDDEN = 403
    NOT_FOUND = 404
    RATE_LIMITED = 429
    SERVER_ERROR = 500
    TIMEOUT = "timeout"
    MALFORMED_JSON = "malformed"


class ManualClock:
    """A clock that only moves when told (seconds, like ``time.monotonic``)."""

    def __init__(self) -> None:
        """Start at 0."""
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move the clock forward."""
        self.now += seconds


@dataclass
class Upload:
    """What one ``POST /v1/process`` carried."""

    fields: dict[str, str]
    filename: str
    content_type: str
    size: int
    sha256: str
    max_chunk: int
    process_uuid: str = ""


@dataclass
class _Token:
    uuid: str
    user_id: str
    created: float
    retake: bool = False
    used: bool = False


@dataclass
class _Process:
    uuid: str
    user_id: str
    name: str
    created: float
    created_wall: str
    emote: str = field(default_factory=lambda: str(uuid.uuid4()))
    fail_step: str | None = None
    final: str | None = None  # "validated" / "rejected"


class FakeKinetixServer:
    """The fake API; configure it, then ``await start()``."""

    def __init__(
        self,
        api_key: str = DEMO_API_KEY,
        clock: Callable[[], float] = time.monotonic,
        step_seconds: float = 1.0,
        token_ttl: float = 300.0,
        validation_enabled: bool = True,
        dev_token_enabled: bool = True,
        hang_seconds: float = 30.0,
        host: str = "127.0.0.1",
    ) -> None:
        """Configure the fake (attributes may be changed later too).

        Args:
            api_key: The only accepted ``x-api-key``.
            clock: Time source for token expiry and process steps.
            step_seconds: Clock seconds per process step.
            token_ttl: Clock seconds a token lives.
            validation_enabled: Whether validate/retake are allowed (403 otherwise).
            dev_token_enabled: Whether ``/v1/process/dev-token`` exists (404 otherwise).
            hang_seconds: How long a ``TIMEOUT`` failure hangs at most.
            host: Loopback address to bind.
        """
        self.api_key = api_key
        self.clock = clock
        self.step_seconds = step_seconds
        self.token_ttl = token_ttl
        self.validation_enabled = validation_enabled
        self.dev_token_enabled = dev_token_enabled
        self.hang_seconds = hang_seconds
        self.process_fail_step: str | None = None  # e.g. "ml_failed" for the next processes
        self.retry_after = "1"
        self.host = host
        self.hits: Counter[str] = Counter()
        self.uploads: list[Upload] = []
        self.aborted_uploads: list[int] = []
        self.file_requests_with_key = 0
        self._failures: dict[str, tuple[Failure, int | None]] = {}
        self._tokens: dict[str, _Token] = {}
        self._processes: dict[str, _Process] = {}
        self._runner: web.AppRunner | None = None
        self._release: asyncio.Event | None = None
        self._clock0 = clock()
        self._wall0 = datetime.now(UTC)
        self.base_url = ""

    # -- lifecycle --------------------------------------------------------------------------

    async def start(self, port: int = 0) -> str:
        """Listen on ``host:port`` (0 = a free port) and return the base URL."""
        app = web.Application()
        route = app.router.add_route
        route("POST", "/v1/plans", self._wrap("plans", self._plans))
        route("GET", "/v1/process/token", self._wrap("token", self._token))
        route("GET", "/v1/process/token/{uuid}", self._wrap("token_status", self._token_status))
        route("GET", "/v1/process/dev-token", self._wrap("dev_token", self._dev_token))
        route("POST", "/v1/process", self._wrap("create_process", self._create, drain=True))
        route("GET", "/v1/process/{uuid}", self._wrap("process", self._process))
        route("POST", "/v1/process/{uuid}/validate", self._wrap("validate", self._validate))
        route("POST", "/v1/process/{uuid}/retake", self._wrap("retake", self._retake))
        route("GET", "/v2/users/{user}/processes", self._wrap("user_processes", self._list))
        route("GET", "/v1/emotes/{uuid}", self._wrap("emote", self._emote))
        route("GET", "/files/{emote}/{file}", self._wrap("file", self._file, auth=False))
        route("GET", "/record", self._record)
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
        self._failures[route] = (failure, times)

    def clear_failures(self) -> None:
        """Make every route healthy again."""
        self._failures.clear()

    def process_step(self, process_uuid: str) -> str:
        """Return the current step of a process (for assertions)."""
        return self._step(self._processes[process_uuid])[0]

    # -- plumbing ---------------------------------------------------------------------------

    def _wall(self, clock_value: float) -> str:
        instant = self._wall0 + timedelta(seconds=clock_value - self._clock0)
        return instant.isoformat(timespec="milliseconds").replace("+00:00", "Z")

    def _wrap(self, name: str, handler: Handler, auth: bool = True, drain: bool = False) -> Any:
        async def wrapped(request: web.Request) -> web.StreamResponse:
            self.hits[name] += 1
            if name == "file" and "x-api-key" in request.headers:
                self.file_requests_with_key += 1
            failure = self._take_failure(name)
            if failure is Failure.TIMEOUT:
                assert self._release is not None
                try:
                    await asyncio.wait_for(self._release.wait(), self.hang_seconds)
                except TimeoutError:
                    pass
                return _error(504, "gateway timeout")
            if failure is not None or (auth and request.headers.get("x-api-key") != self.api_key):
                if drain:
                    await _drain(request)
                if failure is None or failure is Failure.UNAUTHENTICATED:
                    return _error(401, "user not authenticated")
                if failure is Failure.MALFORMED_JSON:
                    return web.Response(text='{"uuid": "trunc', content_type="application/json")
                if failure is Failure.RATE_LIMITED:
                    response = _error(429, "too many requests")
                    response.headers["Retry-After"] = self.retry_after
                    return response
                messages = {403: "user not authorized", 404: "not found", 500: "internal error"}
                assert isinstance(failure.value, int)
                return _error(failure.value, messages[failure.value])
            result: web.StreamResponse = await handler(request)
            return result

        return wrapped

    def _take_failure(self, name: str) -> Failure | None:
        entry = self._failures.get(name)
        if entry is None:
            return None
        failure, times = entry
        if times is not None:
            if times <= 1:
                del self._failures[name]
            else:
                self._failures[name] = (failure, times - 1)
        return failure

    def _new_token(self, user_id: str, retake: bool = False) -> dict[str, Any]:
        token = _Token(str(uuid.uuid4()), user_id, self.clock(), retake)
        self._tokens[token.uuid] = token
        return {
            "uuid": token.uuid,
            "url": f"{self.base_url}/record?token={token.uuid}",
            "expire": self._wall(token.created + self.token_ttl),
        }

    def _live_token(self, token_uuid: str) -> _Token | None:
        token = self._tokens.get(token_uuid)
        if token is None or token.used or self.clock() - token.created >= self.token_ttl:
            return None
        return token

    def _step(self, process: _Process) -> tuple[str, float]:
        """Return ``(step, ml progression 0-100)`` from the clock."""
        if process.final is not None:
            return process.final, 100.0
        elapsed = (self.clock() - process.created) / self.step_seconds
        index = int(elapsed)
        ml_index = STEPS.index("ml_running")
        if process.fail_step is not None and index > ml_index:
            return process.fail_step, 100.0
        index = min(index, len(STEPS) - 1)
        ml = 0.0 if index < ml_index else 100.0
        if index == ml_index:
            ml = round((elapsed - index) * 100, 1)
        return STEPS[index], ml

    def _process_json(self, process: _Process) -> dict[str, Any]:
        step, ml = self._step(process)
        progression = round(100 * min(1.0, (self.clock() - process.created) /
                                      (self.step_seconds * (len(STEPS) - 1))), 1)
        return {
            "uuid": process.uuid,
            "emote": process.emote,
            "animation": process.emote,
            "video": process.uuid,
            "step": step,
            "name": process.name,
            "vw": 1,
            "user": process.user_id,
            "progression": 100.0 if process.final else progression,
            "validated": process.final == "validated",
            "rejected": process.final == "rejected",
            "createdAt": process.created_wall,
            "ml": {"progression": ml, "mlRemaining": 0, "mlElapsed": 0},
        }

    def _find(self, request: web.Request) -> _Process:
        process = self._processes.get(request.match_info["uuid"])
        if process is None:
            raise web.HTTPNotFound(
                text='{"data": {}, "message": "process not found"}',
                content_type="application/json",
            )
        return process

    # -- handlers ---------------------------------------------------------------------------

    async def _plans(self, request: web.Request) -> web.Response:
        plan = {"name": "Demo plan", "mugeLimit": 50, "totalUsersLimit": 1000,
                "callsLimit": 100000, "createdAt": self._wall(self._clock0)}
        return web.json_response([plan])

    async def _token(self, request: web.Request) -> web.Response:
        user = request.query.get("userId", "")
        if not user:
            return _error(400, "userId is required")
        return web.json_response(self._new_token(user))

    async def _token_status(self, request: web.Request) -> web.Response:
        token = self._live_token(request.match_info["uuid"])
        if token is None:
            return _error(404, "token not found")
        left = token.created + self.token_ttl - self.clock()
        return web.json_response({"expireIn": int(left), "retake": token.retake,
                                  "expire": self._wall(token.created + self.token_ttl)})

    async def _dev_token(self, request: web.Request) -> web.Response:
        user = request.query.get("userId", "")
        if not self.dev_token_enabled:
            return _error(404, "Cannot GET /v1/process/dev-token")
        if not user:
            return _error(400, "userId is required")
        data = self._new_token(user)
        png = await asyncio.to_thread(png_qr, data["url"])
        return web.Response(body=png, content_type="image/png")

    async def _create(self, request: web.Request) -> web.Response:
        token = self._live_token(request.headers.get("x-api-token", ""))
        if not request.content_type.startswith("multipart/form-data"):
            await _drain(request)
            return _error(400, "expected multipart/form-data")
        received = _Received()
        try:
            upload = await _read_upload(request, received)
        except ValueError as exc:
            await _drain(request)
            return _error(400, f"bad multipart body: {exc}")
        except (ConnectionError, EOFError, asyncio.IncompleteReadError):
            # The client went away mid-upload (cancel): remember how much had arrived. Nobody
            # reads the answer; returning one keeps aiohttp from logging an error.
            self.aborted_uploads.append(received.size)
            return _error(400, "upload aborted")
        if token is None:
            return _error(404, "token not found or expired")
        missing = [k for k in ("name", "mature", "start", "end") if k not in upload.fields]
        if missing or not upload.filename:
            return _error(400, f"missing fields: {', '.join(missing or ['video'])}")
        f = upload.fields
        if f["mature"] not in ("true", "false"):
            return _error(400, "mature must be true or false")
        start, end = valid_time(f["start"]), valid_time(f["end"])
        if start is None or end is None:
            return _error(400, "start and end must be HH:mm:ss.SSS")
        if end <= start:
            return _error(400, "end must be after start")
        ext = upload.filename.rsplit(".", 1)[-1].lower()
        if ext not in ("avi", "flv", "mkv", "mp4", "ts", "mov", "webm"):
            return _error(400, f"unsupported video format .{ext}")
        token.used = True
        process = _Process(str(uuid.uuid4()), token.user_id, f["name"], self.clock(),
                           self._wall(self.clock()), fail_step=self.process_fail_step)
        self._processes[process.uuid] = process
        upload.process_uuid = process.uuid
        self.uploads.append(upload)
        return web.json_response(self._process_json(process))

    async def _process(self, request: web.Request) -> web.Response:
        return web.json_response(self._process_json(self._find(request)))

    def _ready_for_review(self, request: web.Request) -> _Process | web.Response:
        process = self._find(request)
        if not self.validation_enabled:
            return _error(403, "user not authorized")
        if self._step(process)[0] not in ("render_done", "done"):
            return _error(400, "process is not ready for validation")
        return process

    async def _validate(self, request: web.Request) -> web.Response:
        process = self._ready_for_review(request)
        if isinstance(process, web.Response):
            return process
        process.final = "validated"
        return web.json_response(self._process_json(process))

    async def _retake(self, request: web.Request) -> web.Response:
        process = self._ready_for_review(request)
        if isinstance(process, web.Response):
            return process
        process.final = "rejected"
        return web.json_response(self._new_token(process.user_id, retake=True))

    async def _list(self, request: web.Request) -> web.Response:
        user = request.match_info["user"]
        mine = [p for p in self._processes.values() if p.user_id == user]
        mine.sort(key=lambda p: p.created, reverse=True)
        items = []
        for process in mine:
            item = self._process_json(process)
            item["status"] = _status(item["step"])
            items.append(item)
        return web.json_response(items)

    def _emote_process(self, emote_uuid: str) -> _Process | None:
        return next((p for p in self._processes.values() if p.emote == emote_uuid), None)

    async def _emote(self, request: web.Request) -> web.Response:
        process = self._emote_process(request.match_info["uuid"])
        if process is None:
            return _error(404, "emote not found")
        ready = self._step(process)[0] in ("render_done", "done", "validated")
        files = [
            {"name": name, "extension": ext, "url": f"{self.base_url}/files/{process.emote}/"
             f"{name}.{ext}"}
            for name, ext in (emote_files(process.emote) if ready else {})
        ]
        return web.json_response({"uuid": process.emote, "name": process.name, "files": files})

    async def _file(self, request: web.Request) -> web.Response:
        emote = request.match_info["emote"]
        name, _, ext = request.match_info["file"].rpartition(".")
        content = emote_files(emote).get((name, ext)) if self._emote_process(emote) else None
        if content is None:
            return _error(404, "file not found")
        return web.Response(body=content, content_type="application/octet-stream")

    async def _record(self, request: web.Request) -> web.Response:
        return web.Response(text="Fake Kinetix recorder: this is where a player would film "
                            "their emote.", content_type="text/plain")


def _status(step: str) -> str:
    groups = {"ml_running": "processing", "ml_done": "processing", "render_done": "done",
              "done": "done", "validated": "validated", "rejected": "rejected"}
    return groups.get(step, "failed" if step.endswith("_failed") else "pending")


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"data": {}, "message": message}, status=status)


async def _drain(request: web.Request) -> None:
    while await request.content.readany():
        pass


class _Received:
    """Bytes of the video read so far (reported when the client aborts)."""

    def __init__(self) -> None:
        self.size = 0


async def _read_upload(request: web.Request, received: _Received) -> Upload:
    reader = await request.multipart()
    fields: dict[str, str] = {}
    digest = hashlib.sha256()
    max_chunk = 0
    filename = content_type = ""
    async for part in reader:
        if not isinstance(part, BodyPartReader):
            raise ValueError("nested multipart is not expected")
        if part.name == "video" and part.filename:
            filename = part.filename
            content_type = part.headers.get("Content-Type", "")
            # Streamed: at most one 256 KiB chunk of the video is in memory at a time.
            while chunk := await part.read_chunk(256 * 1024):
                digest.update(chunk)
                received.size += len(chunk)
                max_chunk = max(max_chunk, len(chunk))
        elif part.name:
            fields[part.name] = await part.text()
    return Upload(fields, filename, content_type, received.size, digest.hexdigest(), max_chunk)


class FakeKinetixThread:
    """Run a :class:`FakeKinetixServer` in a daemon thread with its own event loop."""

    def __init__(self, **server_kwargs: Any) -> None:
        """Build (not start) the server with ``server_kwargs``."""
        self.server = FakeKinetixServer(**server_kwargs)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="fake-kinetix",
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

    def call(self, fn: Callable[[FakeKinetixServer], Any]) -> Any:
        """Run ``fn(server)`` on the server's loop (thread-safe configuration)."""

        async def run() -> Any:
            return fn(self.server)

        return asyncio.run_coroutine_threadsafe(run(), self._loop).result(timeout=10)
