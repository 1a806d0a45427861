"""HTTP helpers shared by the cloud clients: GET retries with backoff and streamed multipart.

Nothing here knows a service: each client maps the results to its own exception hierarchy.

* :func:`send_with_retry` re-sends an idempotent request on transient failures (transport
  errors, timeouts, 429/500/502/503/504) with capped exponential backoff, honouring
  ``Retry-After``. Non-idempotent requests (POST) must be sent once, never through it.
* :class:`MultipartFile` is a ``multipart/form-data`` body whose file part is read from disk in
  chunks while it is sent (never whole in memory), with an exact ``Content-Length`` and a
  progress callback reporting bytes of the file handed to the transport.
* :func:`error_message` extracts a server's ``{"message": ...}`` (or other key's) text from an
  error answer.
* :func:`transport_reason` says in plain words why no answer arrived (for a user's message).
"""

from __future__ import annotations

import asyncio
import mimetypes
import os
import random
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx

ProgressCallback = Callable[[int, int], None]
"""Called with ``(bytes_sent, bytes_total)`` of the file part."""

RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
CHUNK_SIZE = 1024 * 1024
T = TypeVar("T")

# Blocking file I/O runs on plain Python threads of our own, not on the loop's default
# executor: under qasync that default is a QThread pool, and pure-Python work on QThreads
# crashed the interpreter (segfault) in the Qt test suite.
_IO_POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="cloud-io")


async def run_blocking(fn: Callable[..., T], *args: Any) -> T:
    """Run the blocking ``fn(*args)`` on the I/O thread pool and await its result."""
    return await asyncio.get_running_loop().run_in_executor(_IO_POOL, fn, *args)


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently idempotent requests are retried.

    Attributes:
        attempts: Total tries, including the first (1 disables retries).
        base_delay: Delay before the first retry, in seconds; doubles on each retry.
        max_delay: Upper bound of one delay (also caps ``Retry-After``).
    """

    attempts: int = 3
    base_delay: float = 0.5
    max_delay: float = 8.0

    def delay(self, retry: int, retry_after: float | None) -> float:
        """Return the pause before retry number ``retry`` (0-based).

        Args:
            retry: How many retries were already made.
            retry_after: The server's ``Retry-After`` in seconds, if any.
        """
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.max_delay)
        backoff = min(self.base_delay * (2**retry), self.max_delay)
        # Jitter spreads retries of several clients; never below half the backoff.
        return float(backoff * (0.5 + random.random() / 2))


def retry_after_seconds(response: httpx.Response) -> float | None:
    """Return the ``Retry-After`` header in seconds when it is a number, else ``None``."""
    value = response.headers.get("retry-after")
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        return None


async def send_with_retry(
    send: Callable[[], Awaitable[httpx.Response]],
    policy: RetryPolicy,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> httpx.Response:
    """Send an idempotent request, retrying transient failures.

    Args:
        send: Sends the request once and returns the (read) response.
        policy: Retry limits.
        sleep: Awaitable pause, injectable for tests.

    Returns:
        The last response (possibly an error status when retries ran out).

    Raises:
        httpx.TransportError: The last attempt failed at the transport level.
    """
    retry = 0
    while True:
        try:
            response = await send()
        except httpx.TransportError:
            if retry + 1 >= policy.attempts:
                raise
            await sleep(policy.delay(retry, None))
            retry += 1
            continue
        if response.status_code not in RETRYABLE_STATUSES or retry + 1 >= policy.attempts:
            return response
        await sleep(policy.delay(retry, retry_after_seconds(response)))
        retry += 1


def transport_reason(exc: httpx.TransportError) -> str:
    """Return why no answer arrived, in plain words (never httpx's class name or text).

    Args:
        exc: The transport failure of one request.
    """
    if isinstance(exc, httpx.TimeoutException):
        return "no answer in time"
    if isinstance(exc, httpx.ConnectError):
        return "no connection"
    if isinstance(exc, (httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError)):
        return "the connection dropped"
    return "the connection failed"


def error_message(response: httpx.Response, keys: tuple[str, ...] = ("message",)) -> str:
    """Return the server's error text, else a short body excerpt.

    Args:
        response: The (read) error answer.
        keys: The JSON keys that may hold the text, the first present wins.
    """
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        for key in keys:
            if isinstance(body.get(key), str):
                return str(body[key])
    text = response.text.strip()
    return text[:200] if text else (response.reason_phrase or f"HTTP {response.status_code}")


class MultipartFile:
    """A streamed ``multipart/form-data`` body: text fields, then one file part read from disk.

    Iterate it asynchronously (httpx does, given it as ``content=``) to get the encoded bytes;
    file chunks are read in a worker thread so a slow disk never blocks the event loop.
    """

    def __init__(
        self,
        fields: Mapping[str, str],
        file_field: str,
        path: Path,
        progress: ProgressCallback | None = None,
        chunk_size: int = CHUNK_SIZE,
        content_type: str | None = None,
    ) -> None:
        """Describe the body; nothing is read until iteration.

        Args:
            fields: Text fields, sent before the file.
            file_field: Name of the file part.
            path: The file to stream.
            progress: Called with ``(sent, total)`` file bytes after each chunk.
            chunk_size: Bytes read per chunk.
            content_type: The file part's type; guessed from the suffix when ``None``.

        Raises:
            OSError: ``path`` cannot be inspected.
        """
        self.boundary = uuid.uuid4().hex
        self.path = path
        self.file_size = os.stat(path).st_size
        self._progress = progress
        self._chunk_size = chunk_size
        ctype = content_type or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        head = b"".join(self._field(name, value) for name, value in fields.items())
        filename = path.name.replace('"', "%22").replace("\r", "").replace("\n", "")
        head += (
            f"--{self.boundary}\r\n"
            f'Content-Disposition: form-data; name="{file_field}"; filename="{filename}"\r\n'
            f"Content-Type: {ctype}\r\n\r\n"
        ).encode()
        self._head = head
        self._tail = f"\r\n--{self.boundary}--\r\n".encode()

    def _field(self, name: str, value: str) -> bytes:
        return (
            f"--{self.boundary}\r\n"
            f'Content-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        ).encode()

    @property
    def content_type(self) -> str:
        """The ``Content-Type`` header value, with the boundary."""
        return f"multipart/form-data; boundary={self.boundary}"

    @property
    def content_length(self) -> int:
        """Exact size of the encoded body in bytes."""
        return len(self._head) + self.file_size + len(self._tail)

    def headers(self) -> dict[str, str]:
        """Return the ``Content-Type`` and ``Content-Length`` headers for this body."""
        return {"Content-Type": self.content_type, "Content-Length": str(self.content_length)}

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield self._head
        sent = 0
        if self._progress is not None:
            self._progress(0, self.file_size)
        with open(self.path, "rb") as handle:
            while sent < self.file_size:
                want = min(self._chunk_size, self.file_size - sent)
                chunk = await run_blocking(handle.read, want)
                if not chunk:
                    raise OSError(f"{self.path.name} shrank while it was being uploaded")
                sent += len(chunk)
                yield chunk
                if self._progress is not None:
                    self._progress(min(sent, self.file_size), self.file_size)
        yield self._tail
