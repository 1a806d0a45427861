"""State records, rules and error answers of the fake Kaltura server (rules sourced)."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiortc import RTCPeerConnection

from ._kaltura_media import SpeechQueue, TestPatternTrack, ToneTrack

ERRORS = {
    400: "Bad request",  # keep-alive/interrupt/end pages: "400 - Bad request"
    401: "Invalid or expired token",  # init-client / say-text pages
    403: "Kaltura Session not authorized",  # create-session page
    404: "Session not found",  # init-client / say-text pages
    409: "the stream already has a viewer",  # WHEP: the SDK's whepStatusHint
    410: "Session ended",  # init-client / say-text pages
    415: "Content-Type must be application/sdp",  # WHEP: the SDK's whepStatusHint
    500: "Internal server error",  # create-session page
    503: "Service temporarily unavailable",  # say-text live answer: SDK avatar-sessions.js
}
"""The ``error`` text of each status (``{success: false, error}``)."""


@dataclass
class Fault:
    """A fault injected into one route."""

    status: int | None
    delay: float
    times: int | None
    message: str | None = None
    garbled: bool = False
    retry_after: str | None = None
    reset: bool = False


@dataclass
class Viewer:
    """One WHEP viewer: its peer connection and generated tracks."""

    viewer_id: str
    pc: RTCPeerConnection
    video: TestPatternTrack
    audio: ToneTrack


@dataclass
class FakeSession:
    """One session as the fake sees it (inspect it in tests)."""

    session_id: str
    token: str
    avatar_id: str
    voice: dict[str, Any] | None
    ended: bool = False
    said: list[dict[str, Any]] = field(default_factory=list)
    interrupts: int = 0
    keep_alives: list[float] = field(default_factory=list)
    init_clients: int = 0
    viewer: Viewer | None = None
    viewers_created: int = 0
    viewers_deleted: int = 0
    speech: SpeechQueue = field(default_factory=SpeechQueue)


def voice_config_problem(voice: Any) -> str:
    """Create-session page: ``voiceConfig`` is optional; ``id`` a string, ``speed`` a number."""
    if voice is None:
        return ""
    if not isinstance(voice, dict):
        return "voiceConfig must be an object"
    if "id" in voice and not isinstance(voice["id"], str):
        return "voiceConfig.id must be a string"
    speed = voice.get("speed")
    if "speed" in voice and (isinstance(speed, bool) or not isinstance(speed, int | float)):
        return "voiceConfig.speed must be a number"
    return ""


def say_text_problem(body: Any) -> str:
    """Say-text page: text, turnId and isFinal are required; its 400 is "Text is required"."""
    if not isinstance(body, dict) or not isinstance(body.get("text"), str) or not body["text"]:
        return "Text is required"
    if not isinstance(body.get("turnId"), str) or not body["turnId"]:
        return "turnId is required"
    if not isinstance(body.get("isFinal"), bool):
        return "isFinal is required"
    return ""


async def json_body(request: web.Request) -> Any:
    """The request's JSON body: ``{}`` when empty, ``None`` when not JSON."""
    raw = await request.read()
    if not raw:
        return {}
    try:
        return json.loads(raw)
    except ValueError:
        return None


def jwt_like() -> str:
    """A random token shaped like the JWT the real create returns."""
    return f"eyJhbGciOiJIUzI1NiJ9.{secrets.token_urlsafe(24)}.{secrets.token_urlsafe(16)}"


def error(status: int, message: str | None = None) -> web.Response:
    """An error answer ``{success: false, error}`` (the shape of every endpoint page)."""
    text = message or ERRORS.get(status, f"HTTP {status}")
    return web.json_response({"success": False, "error": text}, status=status)
