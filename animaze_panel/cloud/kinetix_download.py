"""Downloading an emote's files: streamed to disk, retried, and never with the API key.

Emote files (thumbnails, animations) live on a CDN, not on Kinetix's API host, so they are
fetched by a plain GET of the URL :meth:`~.kinetix.KinetixClient.get_emote` gave: the key must
never leave for another host. The bytes go to a ``.part`` file that becomes the target only
once complete, so a failed or cancelled download never leaves a truncated file behind.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx

from ._http import ProgressCallback, RetryPolicy, run_blocking, send_with_retry
from .kinetix_errors import Route, transport_error
from .kinetix_wire import check_status


async def download_file(
    http: httpx.AsyncClient,
    url: str,
    target: Path,
    *,
    chunk_size: int,
    retry: RetryPolicy,
    sleep: Callable[[float], Awaitable[None]],
    progress: ProgressCallback | None = None,
) -> Path:
    """Download ``url`` to ``target`` (streamed; no API key sent).

    Args:
        http: The client to send the GET with (its default headers carry no key).
        url: Absolute file URL.
        target: Where the file ends up; ``target`` + ``.part`` is written meanwhile.
        chunk_size: Bytes per chunk read from the answer.
        retry: Retry policy (the GET is idempotent).
        sleep: Pause used between retries.
        progress: Called with ``(received, total)``; ``total`` is 0 when unknown.

    Returns:
        ``target``.

    Raises:
        KinetixError: The file host answered an error, or could not be reached.
    """
    partial = target.with_name(target.name + ".part")

    async def attempt() -> httpx.Response:
        # A plain GET: no x-api-key (the file host is not Kinetix's API).
        async with http.stream("GET", url) as response:
            if response.status_code != 200:
                await response.aread()
                return response
            total = int(response.headers.get("content-length", 0))
            received = 0
            with open(partial, "wb") as out:
                async for chunk in response.aiter_bytes(chunk_size):
                    await run_blocking(out.write, chunk)
                    received += len(chunk)
                    if progress is not None:
                        progress(received, total)
            return response

    try:
        response = await send_with_retry(attempt, retry, sleep)
        check_status(response, Route.FILE)
        partial.replace(target)
    except httpx.TransportError as exc:
        raise transport_error(exc) from exc
    finally:
        partial.unlink(missing_ok=True)
    return target
