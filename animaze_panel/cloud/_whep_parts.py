"""WHEP building blocks: states, errors, stats, URLs, the peer set-up, the newest-frame relay.

Re-exported by :mod:`animaze_panel.cloud.whep`; import them from there.

Exceptions::

    WhepError
     ├── WhepNotFound             404: no active session (ended or expired)
     ├── WhepConflict             409: the stream already has a viewer
     ├── WhepUnsupportedMediaType 415
     ├── WhepRejected             another non-201 answer
     ├── WhepProtocolError        201 without a usable SDP answer
     ├── WhepNetworkError         the WHEP server cannot be reached
     ├── WhepClosed               stop() was called while connecting
     └── WhepConnectTimeout       no media connection in time (TURN/firewall)
"""

from __future__ import annotations

import asyncio
import enum
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import av
from aiortc import RTCConfiguration, RTCIceServer, RTCPeerConnection, RTCRtpReceiver
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack
from aiortc.rtcconfiguration import RTCBundlePolicy, RTCIceTransportPolicy

from .kaltura_models import TurnServer

log = logging.getLogger(__name__)
VIDEO_CODECS = ("video/H264", "video/rtx")
"""The offer's only video codecs: H.264, what the server sends (WIRE-PROTOCOL §6), and rtx."""
AUDIO_CODECS = ("audio/opus",)
"""The offer's only audio codec: Opus, what the server sends (WIRE-PROTOCOL §6)."""

class MediaState(enum.Enum):
    """What the receiver is doing; every change is reported through ``on_state``."""

    IDLE = "idle"
    CONNECTING = "connecting"
    CONNECTED = "connected"
    RECONNECTING = "reconnecting"
    FAILED = "failed"
    CLOSED = "closed"


class WhepError(Exception):
    """Base of the WHEP failures; ``str()`` says what went wrong and what to do."""

    def __init__(self, message: str, status: int | None = None) -> None:
        """Build the error with the HTTP ``status`` when an answer arrived."""
        super().__init__(message)
        self.status = status


class WhepNotFound(WhepError):
    """404: the stream has no active session (it ended or expired)."""


class WhepConflict(WhepError):
    """409: the stream already has a viewer."""


class WhepUnsupportedMediaType(WhepError):
    """415: the server refused the offer's content type."""


class WhepRejected(WhepError):
    """Another non-201 answer."""


class WhepProtocolError(WhepError):
    """The 201 carried no usable SDP answer."""


class WhepNetworkError(WhepError):
    """The WHEP server could not be reached."""


class WhepClosed(WhepError):
    """:meth:`WhepReceiver.stop` was called while connecting."""


class WhepConnectTimeout(WhepError):
    """No media connection within the connect timeout."""


@dataclass(frozen=True)
class MediaStats:
    """Counters of one receiver (a snapshot).

    Attributes:
        video_received: Decoded video frames taken from aiortc.
        video_delivered: Frames handed to ``on_video``.
        video_dropped: Stale frames dropped because a newer one was already waiting.
        audio_frames: Audio frames handed to ``on_audio``.
        reconnects: Successful reconnects after a lost connection.
        width: Width of the last video frame (0 before the first).
        height: Height of the last video frame.
        last_video_at: ``time.monotonic()`` of the last video frame (0.0 before the first):
            a connection that is up but delivers no picture shows here.
    """

    video_received: int = 0
    video_delivered: int = 0
    video_dropped: int = 0
    audio_frames: int = 0
    reconnects: int = 0
    width: int = 0
    height: int = 0
    last_video_at: float = 0.0


_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


def turn_urls(turn: TurnServer) -> list[str]:
    """Explicit TURN URLs for ``turn`` (``wire.js`` ``turnServers``).

    A bare host (with or without ``turn:``/``turns:``) becomes UDP 80, UDP 443, TCP 80 and TLS
    443, in that order; a URL that already names a port or transport is kept as it is.
    """
    raw = turn.url.strip().rstrip("/")
    host = re.sub(r"^turns?:", "", raw)
    if not host:
        return []
    if "?" in host or re.search(r":\d+$", host):
        return [raw if raw.startswith("turn") else f"turn:{raw}"]
    return [
        f"turn:{host}:80?transport=udp",
        f"turn:{host}:443?transport=udp",
        f"turn:{host}:80?transport=tcp",
        f"turns:{host}:443?transport=tcp",
    ]


def whep_resource_url(location: str, whep_url: str) -> str:
    """The URL to DELETE, from the 201's ``Location`` (``wire.js`` ``whepResourceUrl``).

    Absolute: used as is. Relative and naming a viewer (``.../viewer/{id}``): Kaltura's media
    server sends it path-absolute from its own root, so the ``/viewer/...`` part is appended to
    the whepUrl (plain resolution would drop the whepUrl's path prefix). Otherwise standard URL
    resolution against the whepUrl.
    """
    viewer = location.find("/viewer/")
    if viewer != -1 and not _SCHEME.match(location):
        base = re.sub(r"[?#].*$", "", whep_url).rstrip("/")
        return base + location[viewer:]
    return urljoin(whep_url, location)


def receive_only_peer(
    turn_url: str | None, turn: TurnServer | None, relay_only: bool
) -> RTCPeerConnection:
    """A peer connection with recvonly H.264 video and Opus audio, using one TURN URL.

    Args:
        turn_url: The one TURN URL to use (aiortc only uses a server's first URL), or ``None``.
        turn: Its credentials.
        relay_only: Gather relay candidates only (the SDK's STV policy).
    """
    servers = []
    if turn_url is not None and turn is not None:
        servers = [RTCIceServer(urls=turn_url, username=turn.username or None,
                                credential=turn.credential or None)]
    policy = RTCIceTransportPolicy.RELAY if relay_only else RTCIceTransportPolicy.ALL
    pc = RTCPeerConnection(RTCConfiguration(
        iceServers=servers, iceTransportPolicy=policy, bundlePolicy=RTCBundlePolicy.MAX_BUNDLE
    ))
    for kind, wanted in (("video", VIDEO_CODECS), ("audio", AUDIO_CODECS)):
        transceiver = pc.addTransceiver(kind, direction="recvonly")
        capabilities = RTCRtpReceiver.getCapabilities(kind)
        if capabilities is not None:
            transceiver.setCodecPreferences(
                [c for c in capabilities.codecs if c.mimeType in wanted]
            )
    return pc


def answer_sends_video(sdp: str) -> bool:
    """Whether an SDP answer's video m-line sends (not inactive, not rejected with port 0).

    Kaltura's server answers 201 with the video ``a=inactive`` when the offer lacks H.264, and
    no error appears anywhere else (WIRE-PROTOCOL §6): without this check the page would show
    "connected" with no picture.
    """
    for section in sdp.replace("\r\n", "\n").split("\nm=")[1:]:
        if section.startswith("video"):
            port = section.split(" ", 2)[1] if section.count(" ") >= 2 else "0"
            return port != "0" and not any(
                line in ("a=inactive", "a=recvonly") for line in section.split("\n")
            )
    return False


def whep_error_for(status: int, retry_after: float | None = None) -> WhepError:
    """The error of a non-201 WHEP answer (codes as the SDK's ``whepStatusHint`` reads them).

    Args:
        status: The answer's HTTP status.
        retry_after: The answer's ``Retry-After`` in seconds (with 429), if any.
    """
    if status == 404:
        return WhepNotFound(
            "The avatar's media stream has no active session (it ended or expired). Start a "
            "new session.", status)
    if status == 409:
        return WhepConflict(
            "The avatar's stream already has a viewer. Close the other viewer (or wait for it "
            "to time out) and connect again.", status)
    if status == 415:
        return WhepUnsupportedMediaType(
            "The media server refused the offer's content type (415).", status)
    if 200 <= status < 300:
        return unreadable_answer(status)
    if status in (401, 403):
        # The stream's address comes from the session (init-client): refused, it is stale.
        return WhepRejected(
            f"The avatar's media server refused this stream (HTTP {status}). Start a new "
            "session.", status)
    if status == 429:
        wait = f"Wait {retry_after:g} s" if retry_after is not None else "Wait a minute"
        return WhepRejected(
            f"The avatar's media server got too many requests (HTTP 429). {wait} and connect "
            "again.", status)
    if status >= 500:
        return WhepRejected(
            f"The avatar's media server failed (HTTP {status}). Try again in a moment.", status)
    return WhepRejected(
        f"The avatar's media server refused the connection (HTTP {status}). Start a new "
        "session and try again.", status)


def unreadable_answer(status: int) -> WhepProtocolError:
    """The error of a success answer that carries no SDP answer (the WHEP draft: 201 + SDP)."""
    return WhepProtocolError(
        f"The avatar's media server answered without a usable SDP answer (HTTP {status}). Try "
        "again in a moment.", status)


class NewestFrame:
    """Hands a consumer only the newest video frame of a track; stale ones are dropped.

    :meth:`pump` drains the track: ``recv()`` returns without yielding while aiortc's unbounded
    queue holds frames, so a backlog is read in one go and only its last frame stays.
    :meth:`deliver` hands that frame to the consumer whenever the loop is free.
    """

    def __init__(self, on_frame: Callable[[av.VideoFrame], None]) -> None:
        """Deliver to ``on_frame`` (called on the loop thread)."""
        self.received = 0
        self.delivered = 0
        self.dropped = 0
        self.width = 0
        self.height = 0
        self.last_at = 0.0
        self._on_frame = on_frame
        self._frame: av.VideoFrame | None = None
        self._ready = asyncio.Event()

    def put(self, frame: av.VideoFrame) -> None:
        """Keep ``frame`` as the newest, dropping a frame not yet delivered."""
        self.received += 1
        if self._frame is not None:
            self.dropped += 1
        self._frame = frame
        self.width, self.height = frame.width, frame.height
        self.last_at = time.monotonic()
        self._ready.set()

    async def pump(self, track: MediaStreamTrack) -> None:
        """Read ``track`` until it ends."""
        while True:
            try:
                frame = await track.recv()
            except MediaStreamError:
                return
            if isinstance(frame, av.VideoFrame):
                self.put(frame)

    async def deliver(self) -> None:
        """Hand each newest frame to the consumer, forever (cancel to stop)."""
        while True:
            await self._ready.wait()
            self._ready.clear()
            frame, self._frame = self._frame, None
            if frame is not None:
                self.delivered += 1
                safe_call(self._on_frame, frame)


def safe_call(fn: Callable[[Any], None], value: Any) -> None:
    """Call ``fn(value)``; a failing consumer must not stop the media, so log it and go on."""
    try:
        fn(value)
    except Exception:
        log.exception("whep callback %r failed", fn)
