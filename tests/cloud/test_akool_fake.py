"""The fake Akool server itself: thread runner, fault bookkeeping, media, failed sessions."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from animaze_panel.cloud.akool import AkoolClient
from animaze_panel.cloud.akool_errors import AkoolAccountBanned, AkoolTryLater
from animaze_panel.cloud.akool_models import SessionOptions, SessionStatus
from animaze_panel.fakes.akool_server import (
    DEMO_API_KEY,
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    FAKE_AGORA_APP_ID,
    FAKE_AGORA_TOKEN_PREFIX,
    FakeAkoolServer,
    FakeAkoolThread,
    Fault,
)
from animaze_panel.secrets import Secret

# The fixtures come from test_akool_client (no shared conftest): test arguments name them.
# ruff: noqa: F811
from .test_akool_client import (  # noqa: F401
    TRISTAN,
    akool,
    akool_server,
    clock,
    make_akool,
)


@pytest.mark.asyncio
async def test_thread_runner_serves_the_demo_credentials() -> None:
    runner = FakeAkoolThread(session_start_seconds=0.0)
    base_url = await asyncio.to_thread(runner.start)
    try:
        async with make_akool(base_url, client_id=Secret(DEMO_CLIENT_ID),
                              client_secret=Secret(DEMO_CLIENT_SECRET)) as client:
            session = await client.create_session(SessionOptions(avatar_id=TRISTAN, duration=60))
            assert session.status is SessionStatus.PROCESSING
            assert session.credentials is not None
            wire = session.credentials.to_wire()
            assert wire["agora_app_id"] == FAKE_AGORA_APP_ID
            assert wire["agora_token"] == FAKE_AGORA_TOKEN_PREFIX + wire["agora_channel"]
            await client.close_session(session.id)
        assert await asyncio.to_thread(runner.call, lambda s: list(s.closes)) == [session.id]
        async with make_akool(base_url, api_key=Secret(DEMO_API_KEY)) as keyed:
            assert await keyed.list_languages()
    finally:
        await asyncio.to_thread(runner.stop)


@pytest.mark.asyncio
async def test_faults_count_down_and_clear(
    akool: AkoolClient, akool_server: FakeAkoolServer
) -> None:
    with pytest.raises(ValueError, match="unknown route"):
        akool_server.fail("no_such_route", Fault(code=1003))
    akool_server.fail("language_list", Fault(code=1201, times=2))
    for _ in range(2):
        with pytest.raises(AkoolTryLater, match="could not create the audio"):
            await akool.list_languages()
    assert await akool.list_languages()
    akool_server.fail("language_list", Fault(code=1201, times=None))
    akool_server.clear_faults()
    assert await akool.list_languages()


@pytest.mark.asyncio
async def test_delay_alone_then_normal_answer(
    akool: AkoolClient, akool_server: FakeAkoolServer
) -> None:
    akool_server.fail("language_list", Fault(delay=0.05))
    assert len(await akool.list_languages()) == 4
    assert akool_server.hits["language_list"] == 1


@pytest.mark.asyncio
async def test_failed_session_is_reported_failed_and_not_open(
    akool: AkoolClient, akool_server: FakeAkoolServer
) -> None:
    session = await akool.create_session(SessionOptions(avatar_id=TRISTAN, duration=60))
    akool_server.fail_session(session.id)
    assert (await akool.get_session(session.id)).status is SessionStatus.FAILED
    assert akool_server.session_status(session.id) == 4
    assert akool_server.open_session_ids() == []


@pytest.mark.asyncio
async def test_media_serves_thumbnails_only(akool_server: FakeAkoolServer) -> None:
    async with httpx.AsyncClient(base_url=akool_server.base_url) as raw:
        assert (await raw.get("/media/x.png")).status_code == 200
        assert (await raw.get("/media/x.mp4")).status_code == 404


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("path", "query", "code"),
    [("/api/open/v4/liveAvatar/avatar/list", {"size": "101"}, 1003),
     ("/api/open/v4/liveAvatar/avatar/list", {"page": "x"}, 1003),
     ("/api/open/v4/liveAvatar/session/list", {"status": "9"}, 1003),
     ("/api/open/v4/liveAvatar/session/detail", {}, 1003),
     ("/api/open/v3/avatar/detail", {}, 1003),
     ("/api/open/v4/voice/list", {"type": "7"}, 1003)],
)
async def test_fake_refuses_bad_queries(
    akool: AkoolClient, akool_server: FakeAkoolServer, path: str, query: dict[str, str],
    code: int,
) -> None:
    await akool.list_languages()
    assert akool.token is not None
    async with httpx.AsyncClient(base_url=akool_server.base_url) as raw:
        answer = await raw.get(path, params=query,
                               headers={"Authorization": f"Bearer {akool.token.reveal()}"})
    assert answer.status_code == 200 and answer.json()["code"] == code


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "body",
    [{"avatar_id": TRISTAN, "duration": "60"}, {"avatar_id": TRISTAN, "duration": 60,
                                                "mode_type": 3},
     {"avatar_id": TRISTAN, "duration": 60, "stream_type": "webrtc"},
     {"avatar_id": TRISTAN, "duration": 60, "language": "xx"}, {"duration": 60}],
)
async def test_fake_refuses_bad_session_bodies(
    akool: AkoolClient, akool_server: FakeAkoolServer, body: dict[str, object]
) -> None:
    await akool.list_languages()
    assert akool.token is not None
    async with httpx.AsyncClient(base_url=akool_server.base_url) as raw:
        answer = await raw.post("/api/open/v4/liveAvatar/session/create", json=body,
                                headers={"Authorization": f"Bearer {akool.token.reveal()}"})
    assert answer.json()["code"] == 1003 and akool_server.charges == {}


@pytest.mark.asyncio
async def test_concurrent_calls_share_one_token_fetch(
    akool: AkoolClient, akool_server: FakeAkoolServer
) -> None:
    await asyncio.gather(akool.list_languages(), akool.list_voices(), akool.list_avatars())
    assert akool_server.hits["token"] == 1


@pytest.mark.asyncio
async def test_banned_account_is_refused_everywhere(
    akool: AkoolClient, akool_server: FakeAkoolServer
) -> None:
    akool_server.account_banned = True
    with pytest.raises(AkoolAccountBanned) as caught:
        await akool.list_avatars()
    assert "support" in str(caught.value)
    async with make_akool(akool_server.base_url, api_key=Secret(akool_server.api_key)) as keyed:
        with pytest.raises(AkoolAccountBanned):
            await keyed.list_sessions()
