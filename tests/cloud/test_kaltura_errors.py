"""Every Kaltura route x every error: the right exception, a readable message, no secret in it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import httpx
import pytest

from animaze_panel.cloud.kaltura import (
    AvatarSession,
    KalturaAuthError,
    KalturaClient,
    KalturaError,
    KalturaForbidden,
    KalturaNetworkError,
    KalturaProtocolError,
    KalturaRateLimited,
    KalturaRequestRejected,
    KalturaSayTextUnavailable,
    KalturaServerError,
    KalturaSessionGone,
    KalturaTimeout,
)
from animaze_panel.fakes.kaltura_server import SESSION_ROUTES, FakeKalturaServer
from animaze_panel.secrets import Secret

from .kaltura_fixtures import *  # noqa: F403 (fixtures)
from .kaltura_fixtures import KS, make_client

pytestmark = pytest.mark.asyncio

Call = Callable[[KalturaClient, AvatarSession], Awaitable[object]]
CALLS: dict[str, Call] = {
    "init-client": lambda c, s: c.init_client(s),
    "say-text": lambda c, s: c.say_text(s, "hello"),
    "interrupt": lambda c, s: c.interrupt(s),
    "keep-alive": lambda c, s: c.keep_alive(s),
    "end": lambda c, s: c.end_session(s),
}
assert set(CALLS) == set(SESSION_ROUTES)


def assert_clean(error: KalturaError, *secrets: str) -> None:
    text = str(error) + error.server_message + repr(error)
    for secret in (KS, *secrets):
        assert secret not in text


async def test_wrong_ks_on_create_says_the_ks_is_wrong_or_expired(
    kaltura_server: FakeKalturaServer,
) -> None:
    async with make_client(kaltura_server.base_url, ks="an-old-ks") as client:
        with pytest.raises(KalturaAuthError) as info:
            await client.create_session("avatar-1")
    assert "the KS is wrong or expired" in str(info.value)
    assert "Invalid Kaltura Session" in str(info.value)  # the server's own words
    assert info.value.status == 401
    assert "an-old-ks" not in str(info.value)
    assert client.live_sessions == ()


@pytest.mark.parametrize(
    ("status", "expected"),
    [(403, KalturaForbidden), (400, KalturaRequestRejected), (500, KalturaServerError),
     (503, KalturaServerError)],
)
async def test_create_errors(
    kaltura: KalturaClient, kaltura_server: FakeKalturaServer, status: int,
    expected: type[KalturaError],
) -> None:
    kaltura_server.fail("create", status)
    with pytest.raises(expected) as info:
        await kaltura.create_session("avatar-1")
    assert type(info.value) is expected
    assert info.value.status == status
    assert kaltura_server.hits["create"] == 1  # a POST is never repeated
    assert_clean(info.value)


async def test_server_text_echoing_the_ks_is_scrubbed(
    kaltura: KalturaClient, kaltura_server: FakeKalturaServer
) -> None:
    kaltura_server.fail("create", 500, message=f"cannot parse KS {KS}")
    with pytest.raises(KalturaServerError) as info:
        await kaltura.create_session("avatar-1")
    assert "cannot parse KS ********" in str(info.value)
    assert_clean(info.value)


@pytest.mark.parametrize("route", SESSION_ROUTES)
async def test_wrong_token_is_401(
    kaltura: KalturaClient, kaltura_server: FakeKalturaServer, route: str
) -> None:
    session = await kaltura.create_session("avatar-1")
    forged = AvatarSession(session.session_id, Secret("forged-token"))
    with pytest.raises(KalturaAuthError) as info:
        await CALLS[route](kaltura, forged)
    assert "wrong or expired" in str(info.value)
    assert_clean(info.value, "forged-token", session.token.reveal())


@pytest.mark.parametrize("route", [r for r in SESSION_ROUTES if r != "end"])
@pytest.mark.parametrize("ended_status", [410, 404])
async def test_ended_session_is_gone(
    kaltura: KalturaClient, kaltura_server: FakeKalturaServer, route: str, ended_status: int
) -> None:
    kaltura_server.ended_status = ended_status
    session = await kaltura.create_session("avatar-1")
    kaltura_server.sessions[session.session_id].ended = True
    with pytest.raises(KalturaSessionGone) as info:
        await CALLS[route](kaltura, session)
    assert "not found or has already ended" in str(info.value)
    assert info.value.status == ended_status


@pytest.mark.parametrize("route", [r for r in SESSION_ROUTES if r != "end"])
async def test_unknown_session_is_gone(kaltura: KalturaClient, route: str) -> None:
    ghost = AvatarSession("sess-does-not-exist", Secret("t"))
    with pytest.raises(KalturaSessionGone) as info:
        await CALLS[route](kaltura, ghost)
    assert info.value.status == 404


async def test_say_text_503_is_shown_as_unavailable_and_not_repeated(
    kaltura: KalturaClient, kaltura_server: FakeKalturaServer
) -> None:
    session = await kaltura.create_session("avatar-1")
    kaltura_server.fail("say-text", 503, times=1)

    with pytest.raises(KalturaSayTextUnavailable) as info:
        await kaltura.say_text(session, "Are you there?")

    assert "did not say this line" in str(info.value)
    assert kaltura_server.hits["say-text"] == 1
    assert kaltura_server.sessions[session.session_id].said == []
    # The session stays usable: the next line goes through.
    await kaltura.say_text(session, "Now?")
    assert [s["text"] for s in kaltura_server.sessions[session.session_id].said] == ["Now?"]


@pytest.mark.parametrize("route", SESSION_ROUTES)
@pytest.mark.parametrize(
    ("status", "expected"),
    [(400, KalturaRequestRejected), (500, KalturaServerError), (503, KalturaServerError)],
)
async def test_session_route_statuses(
    kaltura: KalturaClient, kaltura_server: FakeKalturaServer, route: str, status: int,
    expected: type[KalturaError],
) -> None:
    session = await kaltura.create_session("avatar-1")
    kaltura_server.fail(route, status)
    if route == "say-text" and status == 503:
        expected = KalturaSayTextUnavailable
    with pytest.raises(expected) as info:
        await CALLS[route](kaltura, session)
    assert type(info.value) is expected
    assert kaltura_server.hits[route] == 1
    assert_clean(info.value, session.token.reveal())


@pytest.mark.parametrize("route", ["create", "init-client"])
async def test_an_answer_that_is_not_json_is_a_protocol_error(
    kaltura: KalturaClient, kaltura_server: FakeKalturaServer, route: str
) -> None:
    session = await kaltura.create_session("avatar-1")
    kaltura_server.garble(route)
    with pytest.raises(KalturaProtocolError) as info:
        if route == "create":
            await kaltura.create_session("avatar-1")
        else:
            await kaltura.init_client(session)
    assert f"Kaltura's {route} answer is not JSON" in str(info.value)
    assert "try again" in str(info.value)
    if route == "create":  # the panel cannot end a session whose id it never read
        assert "may still have been opened" in str(info.value)


@pytest.mark.parametrize(("retry_after", "wait"), [("7", "Wait 7 s"), (None, "Wait a minute")])
async def test_429_says_when_to_try_again_and_is_not_repeated(
    kaltura: KalturaClient, kaltura_server: FakeKalturaServer, retry_after: str | None,
    wait: str,
) -> None:
    session = await kaltura.create_session("avatar-1")
    kaltura_server.fail("say-text", 429, retry_after=retry_after)
    with pytest.raises(KalturaRateLimited) as info:
        await kaltura.say_text(session, "hello")
    assert f"{wait} and try again" in str(info.value)
    assert info.value.status == 429
    assert info.value.retry_after == (None if retry_after is None else float(retry_after))
    assert kaltura_server.hits["say-text"] == 1  # a POST is never repeated
    assert_clean(info.value, session.token.reveal())


async def test_a_slow_server_times_out_instead_of_hanging(
    kaltura_server: FakeKalturaServer,
) -> None:
    async with make_client(kaltura_server.base_url, timeout=0.3) as client:
        session = await client.create_session("avatar-1")
        kaltura_server.delay("say-text", 30.0)
        with pytest.raises(KalturaTimeout) as info:
            await client.say_text(session, "hello")
        assert "did not answer say-text within 0.3 s" in str(info.value)
        kaltura_server.clear_faults()


async def test_an_unreachable_server_is_a_network_error() -> None:
    async with make_client("http://127.0.0.1:9/v1/avatar-session") as client:
        with pytest.raises(KalturaNetworkError) as info:
            await client.create_session("avatar-1")
    assert "Cannot reach Kaltura" in str(info.value)
    assert_clean(info.value)


@pytest.mark.parametrize(
    ("body", "error"),
    [({"turnId": "t1", "isFinal": True}, "Text is required"),
     ({"text": "", "turnId": "t1", "isFinal": True}, "Text is required"),
     ({"text": "hi", "isFinal": True}, "turnId is required"),
     ({"text": "hi", "turnId": "t1"}, "isFinal is required")],
)
async def test_the_fake_requires_all_say_text_fields(
    kaltura: KalturaClient, kaltura_server: FakeKalturaServer, body: dict[str, object],
    error: str,
) -> None:
    session = await kaltura.create_session("avatar-1")
    async with httpx.AsyncClient() as http:
        response = await http.post(
            f"{kaltura_server.base_url}/{session.session_id}/say-text", json=body,
            headers={"Authorization": f"Bearer {session.token.reveal()}"},
        )
    assert response.status_code == 400
    assert response.json() == {"success": False, "error": error}


async def test_the_fake_refuses_a_create_without_avatar(
    kaltura_server: FakeKalturaServer,
) -> None:
    async with httpx.AsyncClient() as http:
        response = await http.post(
            kaltura_server.base_url, json={"visualConfig": {}},
            headers={"Authorization": f"KS {KS}"},
        )
    assert response.status_code == 400
    assert response.json()["success"] is False


async def test_a_closed_client_refuses_calls_with_a_kaltura_error(
    kaltura_server: FakeKalturaServer,
) -> None:
    client = make_client(kaltura_server.base_url)
    await client.aclose()
    with pytest.raises(KalturaNetworkError) as info:
        await client.create_session("avatar-1")
    assert "closed" in str(info.value)
    assert kaltura_server.hits["create"] == 0


@pytest.mark.parametrize(
    "voice", [{"id": 7}, {"id": "v", "speed": "fast"}, "voice-1"],
)
async def test_the_fake_checks_voice_config_types(
    kaltura_server: FakeKalturaServer, voice: object
) -> None:
    async with httpx.AsyncClient() as http:
        response = await http.post(
            kaltura_server.base_url,
            json={"visualConfig": {"id": "a"}, "voiceConfig": voice},
            headers={"Authorization": f"KS {KS}"},
        )
    assert response.status_code == 400
    assert "voiceConfig" in response.json()["error"]


async def test_a_200_saying_success_false_is_not_taken_as_done(
    kaltura: KalturaClient, kaltura_server: FakeKalturaServer
) -> None:
    session = await kaltura.create_session("avatar-1")
    kaltura_server.fail("interrupt", 200, message="Avatar is busy")
    with pytest.raises(KalturaRequestRejected) as info:
        await kaltura.interrupt(session)
    assert "did not carry out interrupt" in str(info.value)
    assert "Avatar is busy" in str(info.value)
