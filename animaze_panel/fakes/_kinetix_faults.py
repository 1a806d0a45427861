"""Infrastructure faults the fake Kinetix server injects into a route, and how each answers.

:class:`FailureTable` holds which routes fail and for how many more calls;
:func:`failure_response` is the answer a client then meets (a status and body from Kinetix's
SDK API server, a gateway's plain text, a hang, a reset or a truncated body).
"""

from __future__ import annotations

import asyncio
from enum import Enum

from aiohttp import web

from . import _akool_http
from . import _kinetix_data as kx
from ._kinetix_wire import error_response


class Failure(Enum):
    """An infrastructure fault injected into a route."""

    UNAUTHORIZED = 401  # middlewares/keyAuth.js: missing key
    FORBIDDEN = 403  # middlewares/keyAuth.js: unknown key
    NOT_FOUND = 404  # helpers/error.js: any 404 gets errorCode "notFound"
    UNAVAILABLE = 503  # a gateway in front of the server (RFC 9110 15.6.4): plain text
    RESET = "reset"  # the connection drops without an answer (TCP reset)
    RATE_LIMITED = 429  # src/api/middlewares/rateLimiting.js
    SERVER_ERROR = 500  # any controller's catch-all
    TIMEOUT = "timeout"  # no answer (the client's timeout must fire)
    MALFORMED_JSON = "malformed"  # a truncated body, as a broken proxy would pass on


class FailureTable:
    """Which routes fail, always or for the next few calls."""

    def __init__(self) -> None:
        """Start with every route healthy."""
        self._entries: dict[str, tuple[Failure, int | None]] = {}

    def set(self, route: str, failure: Failure, times: int | None) -> None:
        """Make ``route`` fail as ``failure``, always (``times=None``) or ``times`` times."""
        self._entries[route] = (failure, times)

    def take(self, route: str) -> Failure | None:
        """The failure for this call of ``route`` (counting it), or ``None``."""
        entry = self._entries.get(route)
        if entry is None:
            return None
        failure, times = entry
        if times is not None:
            if times <= 1:
                del self._entries[route]
            else:
                self._entries[route] = (failure, times - 1)
        return failure


async def failure_response(
    request: web.Request, failure: Failure, *, release: asyncio.Event, hang_seconds: float,
    retry_after: str | None,
) -> web.StreamResponse:
    """Answer ``request`` as ``failure`` says.

    Args:
        request: The request that fails.
        failure: How it fails.
        release: Set when the server stops: a ``TIMEOUT`` hang ends early then.
        hang_seconds: How long a ``TIMEOUT`` hangs at most.
        retry_after: A ``Retry-After`` header for ``RATE_LIMITED`` (Kinetix sends none).

    Raises:
        web.HTTPBadRequest: For ``RESET``, after the socket is gone (never reaches the client).
    """
    if failure is Failure.TIMEOUT:
        try:
            await asyncio.wait_for(release.wait(), hang_seconds)
        except TimeoutError:
            pass
        return error_response(kx.INTERNAL)
    if failure is Failure.MALFORMED_JSON:
        return web.Response(text='{"uuid": "trunc', content_type="application/json")
    if failure is Failure.RESET:
        _akool_http.reset(request)
        raise web.HTTPBadRequest()  # never reaches the client: the socket is gone
    if failure is Failure.UNAUTHORIZED:
        return error_response(kx.MISSING_KEY)
    if failure is Failure.FORBIDDEN:
        return error_response(kx.UNKNOWN_KEY)
    if failure is Failure.NOT_FOUND:
        return error_response(kx.ApiError(404, "Not found", "notFound"))
    if failure is Failure.UNAVAILABLE:
        return web.Response(text="Service Unavailable", status=503)
    response = error_response(kx.RATE_LIMITED if failure is Failure.RATE_LIMITED else kx.INTERNAL)
    if failure is Failure.RATE_LIMITED and retry_after is not None:
        response.headers["Retry-After"] = retry_after
    return response
