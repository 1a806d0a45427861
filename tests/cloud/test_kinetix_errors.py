"""Kinetix's error answers map to the right exception, by route, code, message and state.

The state-driven cases run against the fake server, whose answers follow Kinetix's server
source (see animaze_panel/fakes/_kinetix_data.py); the route-ambiguity cases feed the mapper the
exact bodies that source produces on each route.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
import pytest

from animaze_panel.cloud.kinetix import (
    KinetixAuthError,
    KinetixClient,
    KinetixError,
    KinetixNetworkError,
    KinetixNotAuthorized,
    KinetixNotFound,
    KinetixProcessNotReady,
    KinetixProtocolError,
    KinetixRateLimited,
    KinetixRetakeLimit,
    KinetixServerError,
    KinetixTimeout,
    KinetixTokenExpired,
    KinetixUgcDisabled,
    KinetixUserNotFound,
    KinetixValidationDisabled,
)
from animaze_panel.cloud.kinetix_errors import Route, ServerAnswer, error_for
from animaze_panel.cloud.kinetix_models import EmoteSubmission
from animaze_panel.fakes import _kinetix_data as kx
from animaze_panel.fakes._kinetix_data import STEPS
from animaze_panel.fakes.kinetix_server import Failure, FakeKinetixServer, ManualClock
from animaze_panel.secrets import Secret

from .conftest import API_KEY, FAST_RETRY

Call = Callable[[], Awaitable[object]]
GET_ROUTES = {"token", "token_status", "process", "user_processes", "emote"}
ROUTES = ["plans", "register_user", "token", "token_status", "create_process", "process",
          "validate", "retake", "user_processes", "emote"]


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
        "register_user": lambda: client.register_user("player-2"),
        "token": lambda: client.create_token("player-1"),
        "token_status": lambda: client.get_token_status(fresh),
        "create_process": lambda: client.create_process(fresh, sub),
        "process": lambda: client.get_process(process.uuid),
        "validate": lambda: client.validate_process(process.uuid),
        "retake": lambda: client.retake_process(process.uuid),
        "user_processes": lambda: client.list_user_processes("player-1"),
        "emote": lambda: client.get_emote(process.emote),
    }


EXPECTED: dict[Failure, type[KinetixError]] = {
    Failure.RATE_LIMITED: KinetixRateLimited,
    Failure.SERVER_ERROR: KinetixServerError,
    Failure.TIMEOUT: KinetixTimeout,
    Failure.MALFORMED_JSON: KinetixProtocolError,
    Failure.UNAUTHORIZED: KinetixAuthError,
    Failure.FORBIDDEN: KinetixAuthError,
    Failure.NOT_FOUND: KinetixNotFound,
    Failure.UNAVAILABLE: KinetixServerError,
    Failure.RESET: KinetixNetworkError,
}


@pytest.mark.asyncio
@pytest.mark.parametrize("failure", list(Failure), ids=lambda f: f.name.lower())
@pytest.mark.parametrize("route", ROUTES)
async def test_infrastructure_failure_maps_to_exception(
    client: KinetixClient, server: FakeKinetixServer, clock: ManualClock, video: Path,
    route: str, failure: Failure,
) -> None:
    if failure is Failure.TIMEOUT:
        client._http.timeout = httpx.Timeout(0.3)
    calls = await route_calls(client, clock, video)
    server.fail(route, failure)
    hits_before = server.hits[route]
    expected = EXPECTED[failure]
    if failure is Failure.NOT_FOUND and route == "token_status":
        expected = KinetixTokenExpired  # a token's 404 means used or expired
    with pytest.raises(expected) as caught:
        await calls[route]()
    error = caught.value
    message = str(error)
    assert message and message[0].isupper() and API_KEY not in message + repr(error)
    if failure is Failure.SERVER_ERROR:
        assert error.server_message == kx.INTERNAL.message and kx.INTERNAL.message in message
    if failure is Failure.RATE_LIMITED:
        assert isinstance(error, KinetixRateLimited) and error.retry_after == 0
        assert error.code == "rateLimiting" and "exceeded" in message
    # Retries: idempotent GETs are re-sent on transient failures, POSTs never.
    transient = failure in (Failure.RATE_LIMITED, Failure.SERVER_ERROR, Failure.TIMEOUT,
                            Failure.UNAVAILABLE, Failure.RESET)
    expected_hits = FAST_RETRY.attempts if transient and route in GET_ROUTES else 1
    assert server.hits[route] - hits_before == expected_hits


@pytest.mark.asyncio
@pytest.mark.parametrize("failure", [Failure.SERVER_ERROR, Failure.TIMEOUT, Failure.RATE_LIMITED])
async def test_get_recovers_from_one_transient_failure(
    client: KinetixClient, server: FakeKinetixServer, clock: ManualClock, video: Path,
    failure: Failure,
) -> None:
    client._http.timeout = httpx.Timeout(0.3)
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
    if route == "create_process":  # the failed attempt used the token up
        with pytest.raises(KinetixTokenExpired):
            await calls[route]()
    else:
        await calls[route]()  # healthy again: the failure was consumed by exactly one call


# -- state-driven answers of the server ------------------------------------------------------


@pytest.mark.asyncio
async def test_unknown_key_is_403_on_every_keyed_route(
    client: KinetixClient, server: FakeKinetixServer, clock: ManualClock, video: Path
) -> None:
    calls = await route_calls(client, clock, video)
    server.api_key = "another-game-key"
    for route in ["plans", "register_user", "token", "process", "validate", "retake",
                  "user_processes", "emote"]:
        with pytest.raises(KinetixAuthError) as caught:
            await calls[route]()
        error = caught.value
        assert (error.status, error.code, error.server_message) == (
            403, "unknownApiKey", "Unknown API key"), route
        assert "Developer Portal" in str(error)
    # The token status and the upload are not keyed (routers/v1/process/index.js).
    await calls["token_status"]()


@pytest.mark.asyncio
async def test_missing_key_answer_is_401() -> None:
    server = FakeKinetixServer(api_key=API_KEY)
    await server.start()
    try:
        async with httpx.AsyncClient(base_url=server.base_url) as raw:
            response = await raw.get("/v1/process/token", params={"userId": "p"})
    finally:
        await server.stop()
    assert response.status_code == 401
    assert response.json() == {"errorCode": "missingApiKey", "message": "Missing API key",
                               "data": {}}
    error = error_for(Route.TOKEN, ServerAnswer.of(response))
    assert isinstance(error, KinetixAuthError) and "received no API key" in str(error)


@pytest.mark.asyncio
async def test_read_only_key_may_not_write(
    client: KinetixClient, server: FakeKinetixServer
) -> None:
    server.read_only_keys.add("read-only-key")
    client.api_key = Secret("read-only-key")
    with pytest.raises(KinetixAuthError, match="may only read") as caught:
        await client.create_token("player-1")
    assert caught.value.server_message == "Wrong API key"
    assert await client.list_user_processes("player-1") == []  # reading is allowed


@pytest.mark.asyncio
async def test_game_without_ugc(client: KinetixClient, server: FakeKinetixServer) -> None:
    server.allow_ugc = False
    with pytest.raises(KinetixUgcDisabled, match="does not allow user-generated emotes") as c:
        await client.create_token("player-1")
    assert c.value.code == "noUGC"


@pytest.mark.asyncio
async def test_daily_limit_of_a_user(
    client: KinetixClient, server: FakeKinetixServer, video: Path
) -> None:
    server.max_emotes = 1
    token = await client.create_token("player-1")
    await client.create_process(token, EmoteSubmission(video, "One", False, 0, 1000))
    with pytest.raises(KinetixRateLimited, match="today's emote limit") as caught:
        await client.create_token("player-1")
    assert caught.value.code == "tooManyUserProcesses"
    await client.create_token("player-2")  # another user is not limited


@pytest.mark.asyncio
async def test_retake_limit(
    client: KinetixClient, server: FakeKinetixServer, clock: ManualClock, video: Path
) -> None:
    server.max_retry = 1
    sub = EmoteSubmission(video, "Wave", False, 0, 1000)
    first = await client.create_process(await client.create_token("player-1"), sub)
    clock.advance(len(STEPS))
    retake_token = await client.retake_process(first.uuid)
    second = await client.create_process(retake_token, sub)
    clock.advance(len(STEPS))
    with pytest.raises(KinetixRetakeLimit, match="no retakes left"):
        await client.retake_process(second.uuid)


# -- the same status means different things on different routes ------------------------------


def answer(error: kx.ApiError) -> ServerAnswer:
    return ServerAnswer(error.status, error.message, error.code)


@pytest.mark.parametrize(
    ("route", "error", "expected"),
    [
        # 403 on validate: three different causes (keyAuth.js, controllers/process.js).
        (Route.VALIDATE, kx.UNKNOWN_KEY, KinetixAuthError),
        (Route.VALIDATE, kx.VALIDATION_OFF, KinetixValidationDisabled),
        (Route.VALIDATE, kx.NOT_READY, KinetixProcessNotReady),
        (Route.RETAKE, kx.VALIDATION_OFF, KinetixValidationDisabled),
        (Route.RETAKE, kx.READ_ONLY_KEY, KinetixAuthError),
        # 403 on the upload is the token (tokenAuth.js), not the key.
        (Route.UPLOAD, kx.WRONG_TOKEN, KinetixTokenExpired),
        (Route.UPLOAD, kx.MISSING_TOKEN, KinetixTokenExpired),
        (Route.UPLOAD, kx.NO_UGC, KinetixUgcDisabled),
        # 404: a token that is gone vs a user that was never registered.
        (Route.TOKEN_STATUS, kx.TOKEN_NOT_FOUND, KinetixTokenExpired),
        (Route.TOKEN, kx.USER_NOT_FOUND_DOT, KinetixUserNotFound),
        (Route.RETAKE, kx.RETAKE_LIMIT, KinetixRetakeLimit),
        (Route.PLANS, kx.MISSING_KEY, KinetixAuthError),
    ],
)
def test_route_and_message_decide(route: Route, error: kx.ApiError,
                                  expected: type[KinetixError]) -> None:
    mapped = error_for(route, answer(error))
    assert type(mapped) is expected
    assert mapped.server_message == error.message and error.message in str(mapped)


def test_an_ambiguous_403_stays_generic() -> None:
    # An unexplained 403 on validate must not be read as "validation flow off".
    mapped = error_for(Route.VALIDATE, ServerAnswer(403, "Forbidden by a proxy"))
    assert type(mapped) is KinetixNotAuthorized
    assert str(mapped) == "Kinetix refused validating the emote (Forbidden by a proxy)"


def test_validator_body_names_what_was_malformed() -> None:
    response = httpx.Response(400, json=kx.malformed_body('"userId" is required'))
    mapped = error_for(Route.TOKEN, ServerAnswer.of(response))
    assert '"userId" is required' in str(mapped) and mapped.status == 400
