"""Every route x every injected failure maps to its exception and a readable message."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from animaze_panel.cloud.kinetix import (
    KinetixAuthError,
    KinetixClient,
    KinetixError,
    KinetixNotAuthorized,
    KinetixNotFound,
    KinetixProtocolError,
    KinetixRateLimited,
    KinetixServerError,
    KinetixTimeout,
    KinetixTokenExpired,
    KinetixValidationDisabled,
)
from animaze_panel.cloud.kinetix_models import EmoteSubmission
from animaze_panel.fakes._kinetix_data import STEPS
from animaze_panel.fakes.kinetix_server import Failure, FakeKinetixServer, ManualClock

from .conftest import API_KEY, FAST_RETRY

Call = Callable[[], Awaitable[object]]
GET_ROUTES = {"token", "token_status", "dev_token", "process", "user_processes", "emote"}


async def route_calls(
    client: KinetixClient, clock: ManualClock, video: Path
) -> dict[str, Call]:
    """Prepare healthy state, then return one valid call per route."""
    sub = EmoteSubmission(video, "Wave", False, 0, 1000)
    token = await client.create_token("player-1")
    process = await client.create_process(token, sub)
    clock.advance(len(STEPS))
    fresh = await client.create_token("player-1")
    return {
        "plans": client.get_plans,
        "token": lambda: client.create_token("player-1"),
        "token_status": lambda: client.get_token_status(fresh),
        "dev_token": lambda: client.get_dev_token_qr("player-1"),
        "create_process": lambda: client.create_process(fresh, sub),
        "process": lambda: client.get_process(process.uuid),
        "validate": lambda: client.validate_process(process.uuid),
        "retake": lambda: client.retake_process(process.uuid),
        "user_processes": lambda: client.list_user_processes("player-1"),
        "emote": lambda: client.get_emote(process.emote),
    }


EXPECTED: dict[Failure, type[KinetixError]] = {
    Failure.UNAUTHENTICATED: KinetixAuthError,
    Failure.FORBIDDEN: KinetixNotAuthorized,
    Failure.NOT_FOUND: KinetixNotFound,
    Failure.RATE_LIMITED: KinetixRateLimited,
    Failure.SERVER_ERROR: KinetixServerError,
    Failure.TIMEOUT: KinetixTimeout,
    Failure.MALFORMED_JSON: KinetixProtocolError,
}
SERVER_TEXT = {
    Failure.UNAUTHENTICATED: "user not authenticated",
    Failure.FORBIDDEN: "user not authorized",
    Failure.NOT_FOUND: "not found",
    Failure.RATE_LIMITED: "too many requests",
    Failure.SERVER_ERROR: "internal error",
}
ROUTES = ["plans", "token", "token_status", "dev_token", "create_process", "process",
          "validate", "retake", "user_processes", "emote"]


@pytest.mark.asyncio
@pytest.mark.parametrize("failure", list(Failure), ids=lambda f: f.name.lower())
@pytest.mark.parametrize("route", ROUTES)
async def test_failure_maps_to_exception(
    client: KinetixClient, server: FakeKinetixServer, clock: ManualClock, video: Path,
    route: str, failure: Failure,
) -> None:
    if failure is Failure.TIMEOUT:
        client.config = type(client.config)(client.config.base_url, timeout=0.3, retry=FAST_RETRY)
        client._http.timeout = __import__("httpx").Timeout(0.3)
    calls = await route_calls(client, clock, video)
    server.fail(route, failure)
    hits_before = server.hits[route]
    with pytest.raises(EXPECTED[failure]) as caught:
        await calls[route]()
    error = caught.value
    message = str(error)
    assert message and message[0].isupper() and API_KEY not in message + repr(error)
    if failure in SERVER_TEXT:
        assert error.server_message == SERVER_TEXT[failure]
        assert SERVER_TEXT[failure] in message
    if failure is Failure.FORBIDDEN and route in ("validate", "retake"):
        assert isinstance(error, KinetixValidationDisabled)
    if failure is Failure.NOT_FOUND and route in ("token_status", "create_process"):
        assert isinstance(error, KinetixTokenExpired)
    if failure is Failure.RATE_LIMITED:
        assert isinstance(error, KinetixRateLimited) and error.retry_after == 0
    # Retries: idempotent GETs are re-sent on transient failures, POSTs never.
    transient = failure in (Failure.RATE_LIMITED, Failure.SERVER_ERROR, Failure.TIMEOUT)
    expected_hits = FAST_RETRY.attempts if transient and route in GET_ROUTES else 1
    assert server.hits[route] - hits_before == expected_hits


@pytest.mark.asyncio
@pytest.mark.parametrize("failure", [Failure.SERVER_ERROR, Failure.TIMEOUT, Failure.RATE_LIMITED])
async def test_get_recovers_from_one_transient_failure(
    client: KinetixClient, server: FakeKinetixServer, clock: ManualClock, video: Path,
    failure: Failure,
) -> None:
    client._http.timeout = __import__("httpx").Timeout(0.3)
    calls = await route_calls(client, clock, video)
    for route in sorted(GET_ROUTES):
        server.fail(route, failure, times=1)
        before = server.hits[route]
        await calls[route]()
        assert server.hits[route] - before == 2, route


@pytest.mark.asyncio
@pytest.mark.parametrize("route", ["plans", "create_process", "validate", "retake"])
async def test_post_is_never_retried(
    client: KinetixClient, server: FakeKinetixServer, clock: ManualClock, video: Path, route: str
) -> None:
    calls = await route_calls(client, clock, video)
    server.fail(route, Failure.SERVER_ERROR, times=1)
    with pytest.raises(KinetixServerError):
        await calls[route]()
    assert server.hits[route] == (2 if route == "create_process" else 1)
    await calls[route]()  # healthy again: the failure was consumed by exactly one call
