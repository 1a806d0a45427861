"""Static data of the fake Kinetix server: route names, steps, the server's errors, fake files.

Pure helpers without I/O, kept apart so :mod:`.kinetix_server` stays about the HTTP behaviour.
Every error below is worded, coded and numbered as Kinetix's own SDK API server does it
(``kinetix-platform/kinetix-sdk-on-premises`` on GitHub; the file is named beside each one).
"""

from __future__ import annotations

import functools
import struct
import zlib
from typing import Any, NamedTuple

ROUTES = (
    "plans",
    "register_user",
    "token",
    "token_status",
    "create_process",
    "process",
    "validate",
    "retake",
    "user_processes",
    "emote",
    "file",
)
"""Route names accepted by ``FakeKinetixServer.fail`` and counted in ``hits``."""

STEPS = (
    "initialized",
    "transcode_done",
    "waiting_scheduler",
    "requesting_ml",
    "waiting_runner",
    "ml_running",
    "ml_done",
    "render_done",
    "done",
)
"""The happy path of a process, one step per ``step_seconds`` (step names of
src/api/controllers/user.js ``statusMap`` and controllers/process.js)."""


class ApiError(NamedTuple):
    """One error answer: HTTP status, ``message`` and ``errorCode`` (``""`` = none sent)."""

    status: int
    message: str
    code: str


# src/api/middlewares/keyAuth.js
MISSING_KEY = ApiError(401, "Missing API key", "missingApiKey")
UNKNOWN_KEY = ApiError(403, "Unknown API key", "unknownApiKey")
# src/api/middlewares/keyWrite.js passes no code; src/api/helpers/error.js then sends
# "forbidden" for any 403 (and "notFound" for 404, "badRequest" for 400, none otherwise).
READ_ONLY_KEY = ApiError(403, "Wrong API key", "forbidden")
# src/api/middlewares/tokenAuth.js
MISSING_TOKEN = ApiError(401, "Missing generation token", "missingToken")
WRONG_TOKEN = ApiError(403, "Wrong generation token", "wrongToken")
# src/api/controllers/process.js getToken
TOKEN_NOT_FOUND = ApiError(404, "Token not found", "notFound")
# src/api/middlewares/ugeLimitUser.js (runs before controllers/process.js request)
USER_NOT_FOUND_DOT = ApiError(404, "User not found.", "notFound")
USER_LIMIT = ApiError(429, "Too many processes for today for this user.", "tooManyUserProcesses")
# src/api/controllers/virtualWorld.js createUser
USER_EXISTS = ApiError(409, "User already exists", "alreadyExists")
# src/api/controllers/process.js request/create
NO_UGC = ApiError(403, "Virtual world does not allow UGC", "noUGC")
# src/api/controllers/process.js validate/retake/get
VALIDATION_OFF = ApiError(
    403, "This route is disabled when validation flow is disabled. Check settings.", "forbidden"
)
NOT_READY = ApiError(403, "Process is not ready to be validated", "forbidden")
PROCESS_NOT_FOUND = ApiError(404, "Process not found", "notFound")
RETAKE_LIMIT = ApiError(404, "Process retake limit reached", "notFound")
# Every controller's catch-all (controllers/process.js, virtualWorld.js): no errorCode for 500.
INTERNAL = ApiError(500, "An error occured", "")
# src/api/middlewares/rateLimiting.js (it sends no Retry-After header)
RATE_LIMITED = ApiError(429, "You have exceeded the 100 requests in 5 minutes limit!",
                        "rateLimiting")
# Wording of src/api/controllers/user.js for an emote the store does not know.
EMOTE_NOT_FOUND = ApiError(404, "Emote not found", "notFound")


def error_body(error: ApiError) -> dict[str, Any]:
    """The JSON body ``{errorCode?, message, data}`` (src/api/middlewares/error.js)."""
    body: dict[str, Any] = {"errorCode": error.code} if error.code else {}
    body.update(message=error.message, data={})
    return body


def malformed_body(details: str) -> dict[str, Any]:
    """The 400 body of a request failing its Joi schema (src/api/middlewares/validator.js)."""
    return {"error": True, "details": details, "message": "malformed request"}


def png_gray(rows: list[list[bool]], scale: int = 4) -> bytes:
    """Encode a black/white matrix (True = black) as an 8-bit grayscale PNG."""
    width = len(rows[0]) * scale
    raw = bytearray()
    for row in rows:
        line = b"\x00" + b"".join((b"\x00" if dark else b"\xff") * scale for dark in row)
        raw += line * scale

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, len(rows) * scale, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(raw)))
        + chunk(b"IEND", b"")
    )


_GIF_1PX = bytes.fromhex(
    "47494638396101000100800000ffffff00000021f90401000000002c00000000010001000002024401003b"
)


@functools.lru_cache(maxsize=64)
def emote_files(emote: str) -> dict[tuple[str, str], bytes]:
    """Return the fake files of an emote: ``{(name, extension): content}``."""
    checker = [[(x + y) % 2 == 0 for x in range(8)] for y in range(8)]
    blob = f"fake Kinetix animation of emote {emote}\n".encode()
    return {
        ("thumbnail", "png"): png_gray(checker, scale=8),
        ("thumbnail", "gif"): _GIF_1PX,
        ("animation", "fbx"): b"Kaydara FBX Binary  \x00" + blob * 64,
        ("animation", "glb"): b"glTF" + blob * 64,
        ("animation", "kinanim"): b"KINANIM" + blob * 64,
    }
