"""HTTP plumbing of the fake Kinetix server: a manual clock, error answers, streamed uploads.

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
