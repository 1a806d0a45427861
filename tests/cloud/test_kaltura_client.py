"""The Kaltura client against the fake server over real sockets: every route, happy paths."""

from __future__ import annotations

import asyncio

import pytest

from animaze_panel.cloud.kaltura import (
    QUICKSTART_CREATE,
    KalturaClient,
    KalturaConfig,
    KalturaInputError,
    TurnServer,
)
from animaze_panel.fakes.kaltura_server import FakeKalturaServer
from animaze_panel.secrets import Secret

from .kaltura_fixtures import *  # noqa: F403 (fixtures)
from .kaltura_fixtures import KS, make_client, wait_until

pytestmark = pytest.mark.asyncio


async def test_create_posts_to_the_base_with_visual_and_voice_config(
    kaltura: KalturaClient, kaltura_server: FakeKalturaServer
) -> None:
    session = await kaltura.create_session(" avatar-7 ", "voice-3", 1.5)

    fake = kaltura_server.sessions[session.session_id]
    assert kaltura_server.create_paths == ["/v1/avatar-session"]
    assert fake.avatar_id == "avatar-7"
    assert fake.voice == {"id": "voice-3", "speed": 1.5}
    assert session.token.reveal() == fake.token
    assert kaltura.live_sessions == (session,)


async def test_create_without_voice_sends_no_voice_config(
    kaltura: KalturaClient, kaltura_server: FakeKalturaServer
) -> None:
    session = await kaltura.create_session("avatar-1")
    assert kaltura_server.sessions[session.session_id].voice is None


async def test_quick_start_variant_posts_to_create(kaltura_server: FakeKalturaServer) -> None:
    config = KalturaConfig(base_url=kaltura_server.base_url, create_route=QUICKSTART_CREATE)
    async with KalturaClient(config, ks=Secret(KS)) as client:
        session = await client.create_session("avatar-2")
    assert kaltura_server.create_paths == ["/v1/avatar-session/create"]
    assert kaltura_server.sessions[session.session_id].avatar_id == "avatar-2"


@pytest.mark.parametrize(
    ("ks", "avatar", "speed", "field"),
    [(None, "a", None, "ks"), (KS, "  ", None, "avatar id"), (KS, "a", 0.0, "voice speed")],
)
async def test_bad_create_input_is_refused_before_sending(
    kaltura_server: FakeKalturaServer, ks: str | None, avatar: str, speed: float | None, field: str
) -> None:
    async with make_client(kaltura_server.base_url, ks=ks) as client:
        with pytest.raises(KalturaInputError) as info:
            await client.create_session(avatar, "v", speed)
    assert info.value.field == field
    assert kaltura_server.hits["create"] == 0


async def test_init_client_returns_whep_url_and_turn(
    kaltura: KalturaClient, kaltura_server: FakeKalturaServer
) -> None:
    kaltura_server.turn = {"url": "turn.example.net", "username": "u1",
                           "credential": "turn-credential-xyz"}
    session = await kaltura.create_session("avatar-1")

    init = await kaltura.init_client(session)

    assert init.whep_url.startswith(kaltura_server.origin + "/rtc/v1/stv/")
    assert init.whep_url.endswith(f"/whep/session/{session.session_id}")
    assert init.turn == TurnServer("turn.example.net", "u1", "turn-credential-xyz")
    assert "turn-credential-xyz" not in repr(init)
    assert kaltura_server.sessions[session.session_id].init_clients == 1


async def test_init_client_without_turn(kaltura: KalturaClient) -> None:
    session = await kaltura.create_session("avatar-1")
    assert (await kaltura.init_client(session)).turn is None


async def test_say_text_sends_text_turn_and_final(
    kaltura: KalturaClient, kaltura_server: FakeKalturaServer
) -> None:
    session = await kaltura.create_session("avatar-1")

    first = await kaltura.say_text(session, "Hello chat!")
    second = await kaltura.say_text(session, "Second line")

    said = kaltura_server.sessions[session.session_id].said
    assert said == [first.to_wire(), second.to_wire()]
    assert said[0]["text"] == "Hello chat!" and said[0]["isFinal"] is True
    assert first.turn_id != second.turn_id


async def test_a_streamed_turn_shares_its_turn_id(
    kaltura: KalturaClient, kaltura_server: FakeKalturaServer
) -> None:
    session = await kaltura.create_session("avatar-1")
    part = await kaltura.say_text(session, "Once upon", is_final=False)
    await kaltura.say_text(session, "a time.", turn_id=part.turn_id, is_final=True)

    said = kaltura_server.sessions[session.session_id].said
    assert [s["turnId"] for s in said] == [part.turn_id, part.turn_id]
    assert [s["isFinal"] for s in said] == [False, True]


async def test_blank_text_is_refused_before_sending(
    kaltura: KalturaClient, kaltura_server: FakeKalturaServer
) -> None:
    session = await kaltura.create_session("avatar-1")
    with pytest.raises(KalturaInputError) as info:
        await kaltura.say_text(session, "   ")
    assert info.value.field == "text"
    assert kaltura_server.hits["say-text"] == 0


async def test_interrupt_and_keep_alive_reach_the_session(
    kaltura: KalturaClient, kaltura_server: FakeKalturaServer
) -> None:
    session = await kaltura.create_session("avatar-1")
    await kaltura.interrupt(session)
    await kaltura.keep_alive(session)
    fake = kaltura_server.sessions[session.session_id]
    assert fake.interrupts == 1
    assert len(fake.keep_alives) == 1


async def test_end_ends_once_and_a_second_end_counts_as_gone(
    kaltura: KalturaClient, kaltura_server: FakeKalturaServer
) -> None:
    session = await kaltura.create_session("avatar-1")

    assert await kaltura.end_session(session) is True
    assert kaltura_server.sessions[session.session_id].ended
    assert kaltura.live_sessions == ()
    assert await kaltura.end_session(session) is False


async def test_aclose_ends_every_live_session(kaltura_server: FakeKalturaServer) -> None:
    client = make_client(kaltura_server.base_url)
    one = await client.create_session("avatar-1")
    two = await client.create_session("avatar-2")
    await client.end_session(one)

    await client.aclose()

    assert kaltura_server.sessions[two.session_id].ended
    assert kaltura_server.hits["end"] == 2  # one each, the ended one not again


async def test_aclose_survives_a_session_the_server_already_ended(
    kaltura_server: FakeKalturaServer,
) -> None:
    client = make_client(kaltura_server.base_url)
    session = await client.create_session("avatar-1")
    kaltura_server.sessions[session.session_id].ended = True

    await client.aclose()

    assert client.live_sessions == ()


async def test_aclose_sends_end_again_after_a_dropped_connection(
    kaltura_server: FakeKalturaServer,
) -> None:
    pauses: list[float] = []

    async def sleep(seconds: float) -> None:
        pauses.append(seconds)

    client = KalturaClient(KalturaConfig(base_url=kaltura_server.base_url, timeout=2.0),
                           ks=Secret(KS), sleep=sleep)
    session = await client.create_session("avatar-1")
    kaltura_server.reset("end", times=1)

    await client.aclose()

    assert kaltura_server.sessions[session.session_id].ended
    assert kaltura_server.hits["end"] == 2 and len(pauses) == 1


async def test_aclose_does_not_send_end_again_after_a_timeout(
    kaltura_server: FakeKalturaServer,
) -> None:
    client = make_client(kaltura_server.base_url, timeout=0.3)
    await client.create_session("avatar-1")
    kaltura_server.delay("end", 30.0)

    await client.aclose()  # the timeout already made the quit wait; it does not wait again

    assert kaltura_server.hits["end"] == 1
    assert client.live_sessions == ()
    kaltura_server.clear_faults()


async def test_secrets_stay_out_of_repr(kaltura: KalturaClient) -> None:
    session = await kaltura.create_session("avatar-1")
    text = repr(kaltura) + repr(session) + str(session)
    assert KS not in text
    assert session.token.reveal() not in text


async def test_a_create_abandoned_by_its_caller_is_still_ended_on_close(
    kaltura_server: FakeKalturaServer,
) -> None:
    client = make_client(kaltura_server.base_url)
    kaltura_server.delay("create", 0.5, times=1)
    create = asyncio.create_task(client.create_session("avatar-1"))
    await wait_until(lambda: kaltura_server.hits["create"] == 1)
    create.cancel()  # the page closed while Kaltura was still creating
    with pytest.raises(asyncio.CancelledError):
        await create

    await client.aclose()

    assert len(kaltura_server.sessions) == 1
    assert all(s.ended for s in kaltura_server.sessions.values())
