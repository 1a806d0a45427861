"""Rules and error answers of the fake Kaltura server, each from a named source."""

from __future__ import annotations

import json
import secrets
from typing import Any

from aiohttp import web

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
