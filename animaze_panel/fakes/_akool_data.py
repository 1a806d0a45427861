"""Fixed data and fault descriptions of the fake Akool server.

Shapes follow the spec (``shared/specs/akool-streaming-avatar-api.txt``), Akool's docs pages
(docs.akool.com live-avatar list/detail, voice list, language list) and the public React demo's
types (``src/types/api.schemas.ts``). The names and IDs are invented, except the official
avatar ``dvp_Tristan_cloth2_1080P``, which the spec's Create session page names.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

ROUTES = {
    "token": ("POST", "/api/open/v3/getToken"),
    "avatar_create": ("POST", "/api/open/v3/avatar/create"),
    "avatar_detail": ("GET", "/api/open/v3/avatar/detail"),
    "avatar_list": ("GET", "/api/open/v4/liveAvatar/avatar/list"),
    "session_create": ("POST", "/api/open/v4/liveAvatar/session/create"),
    "session_detail": ("GET", "/api/open/v4/liveAvatar/session/detail"),
    "session_close": ("POST", "/api/open/v4/liveAvatar/session/close"),
    "session_list": ("GET", "/api/open/v4/liveAvatar/session/list"),
    "voice_list": ("GET", "/api/open/v4/voice/list"),
    "language_list": ("GET", "/api/open/v3/language/list"),
}
"""Route name -> (method, path); the names are what :meth:`FakeAkoolServer.fail` takes."""

# The spec's "Response Code Description" table, word for word (typos included): the fake
# answers these ``msg`` texts with the code.
CODE_MESSAGES = {
    1000: "OK",
    1003: "Parameter error or Parameter can not beempty",
    1008: "The content you get does not exist",
    1009: "Youdo not have permission to operate",
    1101: "Invalid authorization or Therequest token has expired",
    1102: "Authorization cannot be empty",
    1200: "The account has been banned",
    1201: "create audio error, pleasetry again later",
    1202: "The same video cannot be translated lipSync inthe same language more than 1 times",
    1203: "video should be with audio",
    1204: "Your video duration is exceed 60s!",
    1205: "Create videoerror, please try again later",
    1207: "The video you are using exceeds thesize limit allowed by the system by 300M",
    1209: "Please upload a videoin another encoding format",
    1210: "The video you are using exceeds thevalue allowed by the system by 60fp",
    1211: "Create lipsync error, pleasetry again later",
}

FAKE_AGORA_APP_ID = "fakeakoolagoraappid0000000000000"
"""App ID in every fake Agora credential; the SDK test double accepts only this one."""
FAKE_AGORA_TOKEN_PREFIX = "fake-agora-token:"
"""Fake Agora tokens are this prefix + the channel name, so the double can check the pair."""

OFFICIAL_AVATARS: list[dict[str, Any]] = [
    {"avatar_id": "dvp_Tristan_cloth2_1080P", "name": "Tristan", "voice_id": "voiceTristan",
     "gender": "male", "available": True, "type": 2, "from": 2},
    {"avatar_id": "fakeLinda1080P", "name": "Linda", "voice_id": "voiceLinda",
     "gender": "female", "available": True, "type": 2, "from": 2},
    {"avatar_id": "fakeBusyAvatar", "name": "Busy (unavailable)", "voice_id": "voiceTristan",
     "gender": "male", "available": False, "type": 2, "from": 2},
]

VOICES: list[dict[str, Any]] = [
    # ``type`` 1 = cloned voices, 2 = Akool voices (the demo's getVoiceList(type) comment).
    {"voice_id": "voiceTristan", "name": "Tristan", "gender": "Male", "language": "English",
     "accent": "American", "description": "Calm and warm", "type": 2},
    {"voice_id": "voiceLinda", "name": "Linda", "gender": "Female", "language": "English",
     "accent": "British", "description": "Bright", "type": 2},
    {"voice_id": "voiceCarmen", "name": "Carmen", "gender": "Female", "language": "Spanish",
     "accent": "Castilian", "description": "Lively", "type": 2},
    {"voice_id": "voiceMyClone", "name": "My clone", "gender": "Male", "language": "English",
     "accent": "", "description": "Cloned voice", "type": 1},
]

LANGUAGES: list[dict[str, str]] = [
    {"lang_code": "en", "lang_name": "English", "url": ""},
    {"lang_code": "es", "lang_name": "Spanish", "url": ""},
    {"lang_code": "fr", "lang_name": "French", "url": ""},
    {"lang_code": "zh", "lang_name": "Chinese", "url": ""},
]


@dataclass(frozen=True)
class Fault:
    """What the next call(s) of a route do instead of their normal work.

    Attributes:
        code: Answer this Akool code (with the table's ``msg``) and HTTP 200, unless
            ``http_status`` is set too.
        http_status: Answer this HTTP status (with ``code`` in the body when given, else a
            plain error body).
        reset: Drop the connection without an answer.
        malformed: Answer HTTP 200 with truncated JSON.
        delay: Wait this many seconds first (released early when the server stops), then do
            the other fault, or the normal work when there is none.
        times: How many calls the fault applies to; ``None`` = every call.
        retry_after: A ``Retry-After`` header (seconds) sent with ``http_status`` (RFC 9110
            10.2.3; a rate-limiting gateway's answer to 429).
    """

    code: int | None = None
    http_status: int | None = None
    reset: bool = False
    malformed: bool = False
    delay: float = 0.0
    times: int | None = 1
    retry_after: str | None = None


def thumbnail_png(name: str, size: int = 64) -> bytes:
    """Return a small solid-colour PNG whose colour is derived from ``name`` (a thumbnail)."""
    digest = hashlib.sha256(name.encode()).digest()
    pixel = bytes(digest[:3])
    row = b"\x00" + pixel * size  # filter byte 0, then RGB pixels
    raw = row * size

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b""))


def page_of(query: Mapping[str, str], max_size: int | None) -> tuple[int, int] | None:
    """Return ``(page, size)`` from a query (spec defaults: page 1, size 100), or ``None``."""
    try:
        page = int(query.get("page", "1"))
        size = int(query.get("size", "100"))
    except ValueError:
        return None
    if page < 1 or size < 1 or (max_size is not None and size > max_size):
        return None
    return page, size
