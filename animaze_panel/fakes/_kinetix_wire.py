"""HTTP plumbing of the fake Kinetix server: a manual clock, the API-key checks, error answers,
streamed uploads and the upload's schema.

Kept apart so :mod:`.kinetix_server` reads as the server's rules.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass

from aiohttp import BodyPartReader, web

from . import _kinetix_data as kx
from ._kinetix_data import ApiError


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


def is_uuid(text: str) -> bool:
    """Whether ``text`` is a UUID (the routers' Joi ``uuid()`` check)."""
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def key_error(
    request: web.Request, api_key: str, read_only_keys: set[str], *, write: bool
) -> web.Response | None:
    """keyAuth.js (401 missing, 403 unknown), then keyWrite.js (403 for a read-only key)."""
    key = request.headers.get("x-api-key")
    if not key:
        return error_response(kx.MISSING_KEY)
    if key != api_key and key not in read_only_keys:
        return error_response(kx.UNKNOWN_KEY)
    if write and key != api_key:
        return error_response(kx.READ_ONLY_KEY)
    return None


def error_response(error: ApiError) -> web.Response:
    """The JSON answer of ``error`` with its status."""
    return web.json_response(kx.error_body(error), status=error.status)


def malformed(details: str) -> web.Response:
    """The validator's 400 answer naming what was malformed."""
    return web.Response(text=json.dumps(kx.malformed_body(details)), status=400,
                        content_type="application/json")


async def drain(request: web.Request) -> None:
    """Read and drop the rest of the request body."""
    while await request.content.readany():
        pass


# Fields the upload's Joi schema allows (src/api/routers/v1/process/schema.js ``create``).
_UPLOAD_FIELDS = {"mature", "start", "end", "name", "x", "y", "outputWidth", "outputHeight"}


def schema_error(upload: Upload) -> str | None:
    """What the upload's Joi schema (``create``) rejects in ``upload``, or ``None``."""
    unknown = sorted(set(upload.fields) - _UPLOAD_FIELDS)
    if unknown:
        return f'"{unknown[0]}" is not allowed'
    if not upload.filename:
        return '"files" is required'
    if upload.fields.get("mature", "false") not in ("true", "false"):
        return '"mature" must be a boolean'
    return None


class Received:
    """Bytes of the video read so far (reported when the client aborts)."""

    def __init__(self) -> None:
        self.size = 0


async def read_upload(request: web.Request, received: Received) -> Upload:
    """Read the multipart upload, hashing the video as it streams in (never whole in memory).

    Raises:
        ValueError: The body is not the expected multipart shape.
        ConnectionError: The client went away mid-upload.
    """
    reader = await request.multipart()
    fields: dict[str, str] = {}
    digest = hashlib.sha256()
    max_chunk = 0
    filename = content_type = ""
    async for part in reader:
        if not isinstance(part, BodyPartReader):
            raise ValueError("nested multipart is not expected")
        if part.filename:
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
