"""A fake Kaltura avatar-session API with a real WHEP media endpoint, for tests and ``--demo``.

REST routes (under ``/v1/avatar-session``) and their rules, each from a named source:

* ``POST /v1/avatar-session`` (create-session endpoint page) and ``POST /v1/avatar-session/create``
  (quick start; the SDK's ``avatar-session/create``) with ``Authorization: KS <ks>``; the avatar
  id is accepted as ``visualConfig.id`` (SDK) or ``visualConfig.avatarId`` (endpoint page) ->
  200 ``{success, sessionId, token}``; 401 "Invalid Kaltura Session" (create-session page).
* ``POST /{id}/init-client|say-text|interrupt|keep-alive|end`` with ``Authorization: Bearer
  <token>``: 401 "Invalid or expired token", 404 "Session not found", 410 "Session ended" (the
  endpoint pages; ``ended_status=404`` gives the SDK's observed answer instead). say-text needs
  ``text``, ``turnId`` and ``isFinal`` (say-text page: all required; 400 "Text is required").
* Every error body is ``{success: false, error}`` (every endpoint page).

WHEP (draft-ietf-wish-whep, built on RFC 9725 WHIP; codes as Kaltura's SDK reads them in
``scripted-video-session.js`` ``whepStatusHint``): ``POST`` an SDP offer with ``Content-Type:
application/sdp`` -> 201, the SDP answer and a ``Location``; ``DELETE`` the Location ends the
viewer; 404 unknown or ended session, 409 the stream already has a viewer, 415 wrong content
type. The whepUrl has the deployment's shape ``/rtc/v1/stv/{room}/whep/session/{id}``
(``docs/WIRE-PROTOCOL.md`` §6) and the Location is relative and names a viewer (``/viewer/{n}``,
which the SDK's ``whepResourceUrl`` appends to the whepUrl). The answer is H.264 + Opus,
send-only (WIRE-PROTOCOL §6), carrying :mod:`._kaltura_media`'s test pattern and tone; said
text makes the avatar "speak" (mouth, flag block, higher tone) until interrupted.

Faults for tests: :meth:`FakeKalturaServer.fail` (a status, for the next ``times`` calls),
:meth:`FakeKalturaServer.delay`, :meth:`FakeKalturaServer.reset` (the connection drops),
:meth:`FakeKalturaServer.drop_viewers` (media breaks). Note
aioice never gathers 127.0.0.1/::1: media flows over the machine's interface addresses.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from aiohttp import web
from aiortc import RTCPeerConnection, RTCRtpSender, RTCSessionDescription

from ._akool_http import reset
from ._kaltura_media import TestPatternTrack, ToneTrack
from ._kaltura_rules import (
    ERRORS,
    FakeSession,
    Fault,
    Viewer,
    error,
    json_body,
    jwt_like,
    say_text_problem,
    voice_config_problem,
)

log = logging.getLogger(__name__)

DEMO_KS = "demo-ks"
DEMO_AVATAR_ID = "demo-avatar"  # any non-empty id is accepted; --demo fills this one in
"""The KS the fake accepts by default (``--demo``)."""
PREFIX = "/v1/avatar-session"
ROUTES = ("create", "init-client", "say-text", "interrupt", "keep-alive", "end", "whep",
          "whep-delete")
SESSION_ROUTES = ("init-client", "say-text", "interrupt", "keep-alive", "end")



class FakeKalturaServer:
    """The fake API; configure it, then ``await start()``."""

    def __init__(
        self,
        ks: str = DEMO_KS,
        *,
        width: int = 1280,
        height: int = 720,
        fps: float = 30.0,
        ended_status: int = 410,
        turn: dict[str, str] | None = None,
        clock: Callable[[], float] = time.monotonic,
        host: str = "127.0.0.1",
    ) -> None:
        """Configure the fake (attributes may be changed later too).

        Args:
            ks: The only accepted KS.
            width: Video width of the test pattern.
            height: Video height of the test pattern.
            fps: Video frame rate.
            ended_status: Answer for an ended session: 410 (endpoint pages) or 404 (the SDK).
            turn: The ``turn`` object init-client returns (``None``: none, media flows direct).
            clock: Time source recorded with keep-alives.
            host: Loopback address to bind.
        """
        self.ks = ks
        self.width, self.height, self.fps = width, height, fps
        self.ended_status = ended_status
        self.turn = turn
        self.clock = clock
        self.host = host
        self.hits: Counter[str] = Counter()
        self.sessions: dict[str, FakeSession] = {}
        self.whep_content_types: list[str] = []
        self.create_paths: list[str] = []
        self.whep_offers: list[str] = []
        self.video_inactive = False
        """Answer every offer's video inactive (as the real server does without H.264)."""
        self.base_url = ""
        self.origin = ""
        self._faults: dict[str, Fault] = {}
        self._runner: web.AppRunner | None = None
        self._release = asyncio.Event()

    # -- lifecycle --------------------------------------------------------------------------

    async def start(self, port: int = 0) -> str:
        """Listen on ``host:port`` (0 = a free port) and return the API base URL."""
        app = web.Application()
        route = app.router.add_route
        route("POST", PREFIX, self._wrap("create", self._create))
        route("POST", PREFIX + "/create", self._wrap("create", self._create))
        for name in SESSION_ROUTES:
            route("POST", f"{PREFIX}/{{sid}}/{name}", self._wrap(name, self._session_route))
        whep = "/rtc/v1/stv/{room}/whep/session/{sid}"
        route("POST", whep, self._wrap("whep", self._whep_post))
        route("DELETE", whep + "/viewer/{vid}", self._wrap("whep-delete", self._whep_delete))
        self._release = asyncio.Event()
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, port)
        await site.start()
        bound = self._runner.addresses[0][1]
        self.origin = f"http://{self.host}:{bound}"
        self.base_url = self.origin + PREFIX
        return self.base_url

    async def stop(self) -> None:
        """Close every viewer, release delayed requests and close the server."""
        self._release.set()
        for session in self.sessions.values():
            await self._close_viewer(session)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # -- configuration ----------------------------------------------------------------------

    def fail(
        self, route: str, status: int, times: int | None = None, message: str | None = None,
        retry_after: str | None = None,
    ) -> None:
        """Make ``route`` (one of :data:`ROUTES`) answer ``status``, always or ``times`` times.

        Args:
            route: The route name.
            status: The HTTP status to answer.
            times: How many calls fail (``None``: all).
            message: The ``error`` text (default: the status's usual text).
            retry_after: A ``Retry-After`` header in seconds (RFC 9110 10.2.3, with 429).
        """
        self._check_route(route)
        self._faults[route] = Fault(status, 0.0, times, message, retry_after=retry_after)

    def reset(self, route: str, times: int | None = None) -> None:
        """Make ``route`` drop the connection (TCP reset) without an answer."""
        self._check_route(route)
        self._faults[route] = Fault(None, 0.0, times, reset=True)

    def garble(self, route: str, times: int | None = None) -> None:
        """Make ``route`` answer 200 with a body that is not JSON."""
        self._check_route(route)
        self._faults[route] = Fault(None, 0.0, times, garbled=True)

    def delay(self, route: str, seconds: float, times: int | None = None) -> None:
        """Make ``route`` wait ``seconds`` before answering (released early by :meth:`stop`)."""
        self._check_route(route)
        self._faults[route] = Fault(None, seconds, times)

    def clear_faults(self) -> None:
        """Make every route healthy again."""
        self._faults.clear()

    async def drop_viewers(self, keep_resources: bool = False) -> int:
        """Break every viewer's media; return how many.

        Args:
            keep_resources: Keep the WHEP resources (a network-side loss: the server still
                counts the viewer, so a new POST gets 409 until the old one is deleted).
        """
        closed = 0
        for session in self.sessions.values():
            viewer = session.viewer
            if viewer is not None:
                if keep_resources:
                    await viewer.pc.close()
                else:
                    await self._close_viewer(session)
                closed += 1
        return closed

    def _check_route(self, route: str) -> None:
        if route not in ROUTES:
            raise ValueError(f"unknown route {route!r}; known: {', '.join(ROUTES)}")

    # -- plumbing ---------------------------------------------------------------------------

    def _wrap(self, name: str, handler: Callable[[web.Request], Any]) -> Any:
        async def wrapped(request: web.Request) -> web.StreamResponse:
            self.hits[name] += 1
            fault = self._faults.get(name)
            if fault is not None:
                if fault.times is not None:
                    fault.times -= 1
                    if fault.times <= 0:
                        del self._faults[name]
                if fault.delay:
                    try:
                        await asyncio.wait_for(self._release.wait(), fault.delay)
                    except TimeoutError:
                        pass
                if fault.reset:
                    await request.read()
                    reset(request)
                    raise web.HTTPBadRequest()  # never reaches the client: the socket is gone
                if fault.status is not None:
                    answer = error(fault.status, fault.message)
                    if fault.retry_after is not None:
                        answer.headers["Retry-After"] = fault.retry_after
                    return answer
                if fault.garbled:
                    return web.Response(status=200, text="<html>gateway</html>",
                                        content_type="text/html")
            response: web.StreamResponse = await handler(request)
            return response

        return wrapped

    def _session(self, request: web.Request) -> FakeSession | web.Response:
        session = self.sessions.get(request.match_info["sid"])
        if session is None:
            return error(404, "Session not found")
        if request.headers.get("Authorization", "") != f"Bearer {session.token}":
            return error(401, "Invalid or expired token")
        if session.ended:
            # Endpoint pages: 410 "Session ended"; the SDK saw 404 on an ended session.
            return error(self.ended_status, ERRORS[self.ended_status])
        return session

    # -- REST routes ------------------------------------------------------------------------

    async def _create(self, request: web.Request) -> web.Response:
        self.create_paths.append(request.path)
        if request.headers.get("Authorization", "") != f"KS {self.ks}":
            return error(401, "Invalid Kaltura Session")
        body = await json_body(request)
        visual = body.get("visualConfig") if isinstance(body, dict) else None
        avatar = (visual.get("id") or visual.get("avatarId")) if isinstance(visual, dict) else None
        if not isinstance(avatar, str) or not avatar:
            # The SDK refuses a create without visualConfig.id as bad_request.
            return error(400, "visualConfig.id is required")
        voice = body.get("voiceConfig")
        problem = voice_config_problem(voice)
        if problem:
            return error(400, problem)
        session = FakeSession(f"sess-{secrets.token_hex(6)}", jwt_like(), avatar, voice)
        self.sessions[session.session_id] = session
        return web.json_response(
            {"success": True, "sessionId": session.session_id, "token": session.token}
        )

    async def _session_route(self, request: web.Request) -> web.Response:
        found = self._session(request)
        if isinstance(found, web.Response):
            return found
        session = found
        name = request.path.rsplit("/", 1)[1]
        body = await json_body(request)
        if name == "init-client":
            session.init_clients += 1
            answer: dict[str, Any] = {
                "success": True,
                "whepUrl": f"{self.origin}/rtc/v1/stv/room-{session.session_id}/whep/session/"
                f"{session.session_id}",
            }
            if self.turn is not None:
                answer["turn"] = self.turn
            return web.json_response(answer)
        if name == "say-text":
            problem = say_text_problem(body)
            if problem:
                return error(400, problem)
            session.said.append(body)
            session.speech.say(body["text"])
        elif name == "interrupt":
            session.interrupts += 1
            session.speech.interrupt()
        elif name == "keep-alive":
            session.keep_alives.append(self.clock())
        elif name == "end":
            session.ended = True
            # End releases the WHEP egress too (end-session page; SDK ``end``).
            await self._close_viewer(session)
        return web.json_response({"success": True})

    # -- WHEP -------------------------------------------------------------------------------

    async def _whep_post(self, request: web.Request) -> web.Response:
        self.whep_content_types.append(request.headers.get("Content-Type", ""))
        if request.content_type != "application/sdp":
            return error(415, "Content-Type must be application/sdp")
        session = self.sessions.get(request.match_info["sid"])
        if session is None or session.ended:
            return error(404, "no active session")
        if session.viewer is not None:
            return error(409, "the stream already has a viewer")
        offer = await request.text()
        self.whep_offers.append(offer)
        pc = RTCPeerConnection()
        video = TestPatternTrack(self.width, self.height, self.fps, session.speech)
        audio = ToneTrack(session.speech)
        viewer = Viewer(f"v{session.viewers_created + 1}", pc, video, audio)
        session.viewer = viewer
        session.viewers_created += 1
        try:
            await pc.setRemoteDescription(RTCSessionDescription(offer, "offer"))
            # The real server only ever encodes H.264; an offer without it still gets 201, but
            # the video m-line comes back inactive (WIRE-PROTOCOL §6).
            with_video = "H264/90000" in _section(offer, "video") and not self.video_inactive
            pc.addTrack(audio)
            if with_video:
                pc.addTrack(video)
            for transceiver in pc.getTransceivers():
                if transceiver.kind == "video":
                    caps = RTCRtpSender.getCapabilities("video").codecs
                    transceiver.setCodecPreferences(
                        [c for c in caps if c.mimeType in ("video/H264", "video/rtx")]
                    )
                    if not with_video:
                        transceiver.direction = "inactive"
            await pc.setLocalDescription(await pc.createAnswer())
        except (ValueError, RuntimeError) as exc:
            await self._close_viewer(session)
            return error(400, f"bad SDP offer: {exc}")
        return web.Response(
            status=201,
            text=pc.localDescription.sdp,
            content_type="application/sdp",
            headers={"Location": f"/viewer/{viewer.viewer_id}"},
        )

    async def _whep_delete(self, request: web.Request) -> web.Response:
        session = self.sessions.get(request.match_info["sid"])
        vid = request.match_info["vid"]
        if session is None or session.viewer is None or session.viewer.viewer_id != vid:
            return error(404, "no such viewer")
        await self._close_viewer(session)
        session.viewers_deleted += 1
        return web.Response(status=200)

    async def _close_viewer(self, session: FakeSession) -> None:
        viewer, session.viewer = session.viewer, None
        if viewer is not None:
            viewer.video.stop()
            viewer.audio.stop()
            await viewer.pc.close()


def _section(sdp: str, kind: str) -> str:
    """The ``m=<kind>`` section of ``sdp`` ("" when absent)."""
    for part in sdp.split("\nm=")[1:]:
        if part.startswith(kind):
            return part
    return ""


class FakeKalturaThread:
    """Run a :class:`FakeKalturaServer` in a daemon thread with its own event loop."""

    def __init__(self, **server_kwargs: Any) -> None:
        """Build (not start) the server with ``server_kwargs``."""
        self._kwargs = server_kwargs
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="fake-kaltura",
                                        daemon=True)
        self.server: FakeKalturaServer | None = None

    def start(self, port: int = 0) -> str:
        """Start the thread and the server; return the API base URL."""
        self._thread.start()

        async def build() -> str:
            self.server = FakeKalturaServer(**self._kwargs)
            return await self.server.start(port)

        return asyncio.run_coroutine_threadsafe(build(), self._loop).result(timeout=10)

    def stop(self) -> None:
        """Stop the server and the thread."""
        if not self._thread.is_alive():
            return
        if self.server is not None:
            asyncio.run_coroutine_threadsafe(self.server.stop(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    def call(self, fn: Callable[[FakeKalturaServer], Any]) -> Any:
        """Run ``fn(server)`` on the server's loop; return its result (awaited if a coroutine)."""
        server = self.server
        if server is None:
            raise RuntimeError("the fake Kaltura server is not started")

        async def run() -> Any:
            result = fn(server)
            if asyncio.iscoroutine(result):
                result = await result
            return result

        return asyncio.run_coroutine_threadsafe(run(), self._loop).result(timeout=10)
