"""WHEP receiver on aiortc: the avatar's video (H.264) and audio (Opus), receive-only. No Qt.

Protocol (draft-ietf-wish-whep, on RFC 9725 WHIP; Kaltura's use of it from
``kaltura/intelligent-agents-sdk`` ``scripted-video-session.js``, ``whep.js``, ``wire.js`` and
``docs/WIRE-PROTOCOL.md`` §6):

* POST the SDP offer (recvonly video + audio) with only ``Content-Type: application/sdp``; 201
  brings the answer and a ``Location``, resolved by :func:`whep_resource_url`; DELETE it on stop.
  404 = no active session, 409 = the stream already has a viewer, 415 = wrong content type.
* TURN: the server's only candidate is a private address, so media goes through the TURN relay
  (relay-only when a TURN server is given, like the SDK's STV policy). :func:`turn_urls` expands
  the bare host into explicit-port URLs like ``wire.js``; aiortc uses only the first TURN URL of
  a server, so each URL is tried in turn, each with ``connect_timeout`` (relay-only with an
  unreachable relay stays "new" forever without one).
* After a connection, ICE/DTLS failure or a remote close triggers a reconnect (new offer, new
  viewer) with the state ``RECONNECTING``; 404 or running out of attempts ends in ``FAILED``.

Callbacks run on the event loop that runs the receiver; to keep the media off a GUI loop, run
it on a thread of its own with :class:`animaze_panel.cloud.whep_thread.WhepThread` (same
interface). Video: aiortc's frame queue is unbounded, so a reader drains it and only the newest
frame is handed to ``on_video``; stale ones are counted in :attr:`WhepReceiver.stats` and
dropped. Audio: every frame is handed on.

The exceptions (:class:`WhepError` and its kinds) are drawn in :mod:`._whep_parts`; the HTTP
requests (POST the offer, DELETE the resource) are sent by :mod:`._whep_signalling`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

import av
import httpx
from aiortc import RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack

from ._whep_parts import (
    MediaState,
    MediaStats,
    NewestFrame,
    WhepClosed,
    WhepConflict,
    WhepConnectTimeout,
    WhepError,
    WhepNetworkError,
    WhepNotFound,
    WhepProtocolError,
    WhepRejected,
    WhepUnsupportedMediaType,
    answer_sends_video,
    receive_only_peer,
    safe_call,
    turn_urls,
    whep_resource_url,
)
from ._whep_signalling import WhepSignalling
from .kaltura_models import TurnServer

__all__ = [
    "MediaState",
    "MediaStats",
    "NewestFrame",
    "TurnServer",
    "answer_sends_video",
    "WhepClosed",
    "WhepConflict",
    "WhepConnectTimeout",
    "WhepError",
    "WhepNetworkError",
    "WhepNotFound",
    "WhepProtocolError",
    "WhepReceiver",
    "WhepRejected",
    "WhepUnsupportedMediaType",
    "turn_urls",
    "whep_resource_url",
]

log = logging.getLogger(__name__)


class WhepReceiver:
    """Receives one WHEP stream; create, ``await start()``, then ``await stop()``."""

    def __init__(
        self,
        whep_url: str,
        turn: TurnServer | None,
        *,
        connect_timeout: float = 15.0,
        on_video: Callable[[av.VideoFrame], None],
        on_audio: Callable[[av.AudioFrame], None],
        on_state: Callable[[MediaState], None],
        relay_only: bool | None = None,
        reconnect_attempts: int = 3,
        reconnect_delay: float = 1.0,
        http_timeout: float = 10.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        """Prepare the receiver (nothing is sent until :meth:`start`).

        Args:
            whep_url: The WHEP endpoint (init-client's ``whepUrl``).
            turn: The TURN relay (init-client's ``turn``), or ``None`` for direct media.
            connect_timeout: Seconds one connection attempt (one TURN URL) may take.
            on_video: Gets the newest decoded video frame.
            on_audio: Gets every decoded audio frame.
            on_state: Gets every state change.
            relay_only: Force relay candidates; default: when a TURN server is given.
            reconnect_attempts: Reconnect rounds after a lost connection before ``FAILED``.
            reconnect_delay: Seconds before the first reconnect round (doubles each round).
            http_timeout: Seconds for each WHEP HTTP request.
            transport: httpx transport, injectable for tests.
        """
        self.whep_url = whep_url
        self.turn = turn
        self.connect_timeout = connect_timeout
        self.relay_only = turn is not None if relay_only is None else relay_only
        self.reconnect_attempts = reconnect_attempts
        self.reconnect_delay = reconnect_delay
        self.error: WhepError | None = None
        self.resource_url: str | None = None
        self.turn_url: str | None = None
        """The TURN URL of the connection that is up (``None``: direct, or not connected)."""
        self._on_video = on_video
        self._on_audio = on_audio
        self._on_state = on_state
        self._signalling = WhepSignalling(whep_url, timeout=http_timeout, transport=transport)
        self._state = MediaState.IDLE
        self._pc: RTCPeerConnection | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._reconnect_task: asyncio.Task[None] | None = None
        self._video = NewestFrame(on_video)
        self._audio_frames = 0
        self._reconnects = 0
        self._stopping = False
        self._delivering = False
        self._posting = False
        self._connect_task: asyncio.Task[None] | None = None
        self._undeleted: str | None = None

    @property
    def state(self) -> MediaState:
        """The current state."""
        return self._state

    @property
    def stats(self) -> MediaStats:
        """A snapshot of the counters."""
        video = self._video
        return MediaStats(video.received, video.delivered, video.dropped, self._audio_frames,
                          self._reconnects, video.width, video.height, video.last_at)

    async def start(self) -> None:
        """Connect; returns once media is connected.

        Raises:
            WhepError: The connection failed (the state is then ``FAILED``, :attr:`error` set).
        """
        if self._state not in (MediaState.IDLE, MediaState.FAILED):
            raise RuntimeError(f"start() from state {self._state.value}")
        self.error = None
        self._set_state(MediaState.CONNECTING)
        if not self._delivering:
            self._delivering = True
            self._spawn(self._video.deliver(), "whep-video-delivery")
        try:
            await self._connect()
        except WhepError as exc:
            if self._stopping:
                raise WhepClosed("The media connection was closed while connecting.") from exc
            self.error = exc
            self._set_state(MediaState.FAILED)
            raise
        if self._stopping:
            raise WhepClosed("The media connection was closed while connecting.")
        if self._is(MediaState.CONNECTING):  # not if it was lost again at once
            self._set_state(MediaState.CONNECTED)

    async def stop(self) -> None:
        """Close the connection, DELETE the WHEP resource and end in ``CLOSED``.

        A :meth:`start` still connecting ends with :class:`WhepClosed`; a resource it was
        granted meanwhile is deleted too. The receiver cannot be started again afterwards.
        """
        if self._state is MediaState.CLOSED:
            return
        self._stopping = True
        reconnect, self._reconnect_task = self._reconnect_task, None
        if reconnect is not None and reconnect is not asyncio.current_task():
            reconnect.cancel()
            await asyncio.gather(reconnect, return_exceptions=True)
        connecting = self._connect_task
        if connecting is not None and not self._posting:
            # Gathering with an unreachable relay ignores a closed pc for seconds: cancel it.
            # A POST in flight is awaited instead, so a viewer it is granted can be released.
            connecting.cancel()
        await self._teardown()
        if connecting is not None:
            await asyncio.gather(connecting, return_exceptions=True)
        await self._teardown()
        await self._release_undeleted()
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await self._signalling.aclose()
        self._set_state(MediaState.CLOSED)

    # -- connecting -------------------------------------------------------------------------

    async def _connect(self) -> None:
        task = asyncio.get_running_loop().create_task(self._connect_urls(), name="whep-connect")
        self._connect_task = task
        try:
            await task
        except asyncio.CancelledError:
            current = asyncio.current_task()
            if self._stopping and current is not None and not current.cancelling():
                raise WhepClosed("The media connection was closed while connecting.") from None
            task.cancel()
            raise
        finally:
            self._connect_task = None

    async def _connect_urls(self) -> None:
        urls: list[str | None] = list(turn_urls(self.turn)) if self.turn else []
        if not urls:
            urls = [None]
        last: WhepError | None = None
        for url in urls:
            if self._stopping:
                raise WhepClosed("The media connection was closed while connecting.")
            await self._release_undeleted()
            try:
                await self._attempt(url)
                self.turn_url = url
                return
            except (WhepConnectTimeout, WhepNetworkError) as exc:
                # Only a media/relay problem moves on to the next TURN URL.
                last = exc
                await self._teardown()
            except WhepError:
                await self._teardown()
                raise
        assert last is not None
        if len(urls) > 1 and isinstance(last, WhepConnectTimeout):
            raise WhepConnectTimeout(
                f"No media connection through any of the {len(urls)} TURN relay addresses of "
                f"{self.turn.url if self.turn else ''} ({self.connect_timeout:g} s each). Check "
                "that the firewall or VPN lets connections to the relay through, then try again."
            ) from last
        raise last

    async def _attempt(self, turn_url: str | None) -> None:
        pc = receive_only_peer(turn_url, self.turn, self.relay_only)
        self._pc = pc
        # Resolves with the first decisive state; a result, never an exception, so a pc
        # closed after an abandoned attempt leaves no unretrieved exception behind.
        settled: asyncio.Future[str] = asyncio.get_running_loop().create_future()

        @pc.on("connectionstatechange")
        def on_change() -> None:
            state = pc.connectionState
            if state in ("connected", "failed", "closed"):
                if not settled.done():
                    settled.set_result(state)
                elif state != "connected" and pc is self._pc and not self._stopping:
                    self._lost(state)

        @pc.on("track")
        def on_track(track: MediaStreamTrack) -> None:
            reader = self._video.pump if track.kind == "video" else self._read_audio
            self._spawn(reader(track), f"whep-{track.kind}-reader")

        try:
            async with asyncio.timeout(self.connect_timeout):
                await pc.setLocalDescription(await pc.createOffer())
                self._posting = True
                try:
                    answer, resource = await self._signalling.post_offer(pc.localDescription.sdp)
                finally:
                    self._posting = False
                if pc is not self._pc or self._stopping:
                    # Stopped meanwhile: release what the server just granted (as the SDK does).
                    if resource is not None:
                        await self._signalling.delete(resource)
                    raise WhepClosed("The media connection was closed while connecting.")
                self.resource_url = resource
                if not answer_sends_video(answer):
                    raise WhepProtocolError(
                        "The avatar's media server sends no video for this connection (its "
                        "answer leaves the video inactive; it only sends H.264).")
                try:
                    await pc.setRemoteDescription(RTCSessionDescription(answer, "answer"))
                except ValueError as exc:
                    raise WhepProtocolError(f"The WHEP answer is not usable SDP ({exc}).") from exc
                outcome = await settled
            if outcome != "connected":
                raise WhepNetworkError(f"The media connection {outcome} while connecting.")
        except TimeoutError as exc:
            via = f" through the TURN relay {turn_url}" if turn_url else ""
            raise WhepConnectTimeout(
                f"No media connection{via} within {self.connect_timeout:g} s. Check that the "
                "firewall or VPN lets the connection to the relay through, then try again."
            ) from exc

    # -- losing and regaining the connection ------------------------------------------------

    def _lost(self, why: str) -> None:
        if self._reconnect_task is None or self._reconnect_task.done():
            log.info("whep connection %s; reconnecting", why)
            self._set_state(MediaState.RECONNECTING)
            self._reconnect_task = asyncio.get_running_loop().create_task(
                self._reconnect(), name="whep-reconnect"
            )

    async def _reconnect(self) -> None:
        delay = self.reconnect_delay
        for _ in range(self.reconnect_attempts):
            await self._teardown()
            await asyncio.sleep(delay)
            delay *= 2
            try:
                await self._connect()
            except WhepNotFound as exc:
                self.error = exc
                break
            except WhepError as exc:
                self.error = exc
                continue
            self._reconnects += 1
            self.error = None
            self._set_state(MediaState.CONNECTED)
            return
        await self._teardown()
        self._set_state(MediaState.FAILED)

    async def _teardown(self) -> None:
        """Close the peer connection and DELETE its WHEP resource (best effort)."""
        pc, self._pc = self._pc, None
        if pc is not None:
            await pc.close()
        url, self.resource_url = self.resource_url, None
        if url is not None and not await self._signalling.delete(url):
            # Still held by the server: the next POST would get 409, so try again before it.
            self._undeleted = url

    async def _release_undeleted(self) -> None:
        url = self._undeleted
        if url is not None and await self._signalling.delete(url):
            self._undeleted = None

    # -- media ------------------------------------------------------------------------------

    async def _read_audio(self, track: MediaStreamTrack) -> None:
        while True:
            try:
                frame = await track.recv()
            except MediaStreamError:
                return
            if isinstance(frame, av.AudioFrame):
                self._audio_frames += 1
                safe_call(self._on_audio, frame)

    # -- helpers ----------------------------------------------------------------------------

    def _spawn(self, coro: Any, name: str) -> None:
        task = asyncio.get_running_loop().create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _is(self, state: MediaState) -> bool:
        # A method, so type narrowing from before an await does not hide later changes.
        return self._state is state

    def _set_state(self, state: MediaState) -> None:
        if state is not self._state:
            self._state = state
            safe_call(self._on_state, state)
