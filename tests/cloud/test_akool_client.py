"""AkoolClient against the fake Akool server over real loopback sockets: auth and every route.

The fixtures here are imported by the other ``test_akool_*`` modules.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio

from animaze_panel.cloud._http import RetryPolicy
from animaze_panel.cloud.akool import AkoolClient, AkoolConfig
from animaze_panel.cloud.akool_errors import (
    AkoolAuthMissing,
    AkoolAvatarFailed,
    AkoolInputError,
    AkoolNotFound,
    AkoolParameterError,
    AkoolPermissionDenied,
    AkoolTokenInvalid,
)
from animaze_panel.cloud.akool_models import (
    AgoraCredentials,
    AvatarStatus,
    AvatarUploadRequest,
    LiveKitCredentials,
    ModeType,
    SessionOptions,
    SessionStatus,
    StreamType,
    TrtcCredentials,
)
from animaze_panel.fakes.akool_server import FAKE_AGORA_APP_ID, FakeAkoolServer, ManualClock
from animaze_panel.secrets import Secret

CLIENT_ID = "test-client-7"
CLIENT_SECRET = "test-secret-s3cr3t-value"
API_KEY = "test-api-key-k3y-value"
FAST_RETRY = RetryPolicy(attempts=3, base_delay=0.01, max_delay=0.05)
TRISTAN = "dvp_Tristan_cloth2_1080P"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest_asyncio.fixture
async def akool_server(clock: ManualClock) -> AsyncIterator[FakeAkoolServer]:
    fake = FakeAkoolServer(CLIENT_ID, CLIENT_SECRET, API_KEY, clock=clock,
                           avatar_step_seconds=2.0, session_start_seconds=1.0)
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()


def make_akool(base_url: str, *, clock: ManualClock | None = None, timeout: float = 5.0,
               retry: RetryPolicy = FAST_RETRY, **credentials: Secret | None) -> AkoolClient:
    """A client of the fake; the default credentials are the client ID and secret."""
    if not credentials:
        credentials = {"client_id": Secret(CLIENT_ID), "client_secret": Secret(CLIENT_SECRET)}

    async def sleep(seconds: float) -> None:
        if clock is not None:
            clock.advance(seconds)  # polls move the fake's time instead of waiting

    return AkoolClient(AkoolConfig(base_url=base_url, timeout=timeout, retry=retry,
                                   avatar_poll_interval=1.0),
                       sleep=sleep, **credentials)  # type: ignore[arg-type]


@pytest_asyncio.fixture
async def akool(akool_server: FakeAkoolServer, clock: ManualClock) -> AsyncIterator[AkoolClient]:
    client = make_akool(akool_server.base_url, clock=clock)
    try:
        yield client
    finally:
        await client.aclose()


# -- authentication --------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_token_is_fetched_once_and_sent_as_bearer(
    akool: AkoolClient, akool_server: FakeAkoolServer
) -> None:
    await akool.list_languages()
    await akool.list_voices()
    assert akool_server.hits["token"] == 1 and akool.token_fetches == 1
    assert akool_server.last_body["token"] == {"clientId": CLIENT_ID,
                                               "clientSecret": CLIENT_SECRET}
    assert [kind for _, kind in akool_server.auth_seen] == ["bearer", "bearer"]
    assert akool.token is not None and akool.token.reveal() in akool_server.tokens


@pytest.mark.asyncio
async def test_api_key_is_sent_as_x_api_key(akool_server: FakeAkoolServer) -> None:
    async with make_akool(akool_server.base_url, api_key=Secret(API_KEY)) as client:
        assert [lang.code for lang in await client.list_languages()][:2] == ["en", "es"]
    assert akool_server.hits["token"] == 0
    assert akool_server.auth_seen == [("language_list", "api-key")]


@pytest.mark.asyncio
async def test_fake_prefers_authorization_over_api_key(akool_server: FakeAkoolServer) -> None:
    # docs: when both are sent, Authorization is used and x-api-key discarded.
    async with httpx.AsyncClient(base_url=akool_server.base_url) as raw:
        answer = await raw.get("/api/open/v3/language/list",
                               headers={"Authorization": "Bearer nope", "x-api-key": API_KEY})
    assert answer.status_code == 200 and answer.json()["code"] == 1101


@pytest.mark.asyncio
async def test_no_credentials_fails_before_any_request(akool_server: FakeAkoolServer) -> None:
    async with AkoolClient(AkoolConfig(base_url=akool_server.base_url)) as client:
        assert not client.has_credentials
        with pytest.raises(AkoolAuthMissing) as caught:
            await client.list_avatars()
    assert "credentials" in str(caught.value)
    assert sum(akool_server.hits.values()) == 0


@pytest.mark.asyncio
async def test_missing_authorization_is_1102(akool_server: FakeAkoolServer) -> None:
    async with httpx.AsyncClient(base_url=akool_server.base_url) as raw:
        answer = await raw.get("/api/open/v4/liveAvatar/avatar/list")
    assert answer.json()["code"] == 1102


@pytest.mark.asyncio
async def test_wrong_secret_is_reported_without_the_secret(akool_server: FakeAkoolServer) -> None:
    wrong = "wrong-secret-value-123"
    async with make_akool(akool_server.base_url, client_id=Secret(CLIENT_ID),
                          client_secret=Secret(wrong)) as client:
        with pytest.raises(AkoolTokenInvalid) as caught:
            await client.list_avatars()
        assert wrong not in repr(client)
    text = str(caught.value)
    assert caught.value.code == 1101 and "client ID and secret" in text
    assert wrong not in text and CLIENT_ID not in text
    assert akool_server.hits["avatar_list"] == 0


@pytest.mark.asyncio
async def test_expired_token_is_refreshed_once_and_the_call_succeeds(
    akool: AkoolClient, akool_server: FakeAkoolServer
) -> None:
    await akool.list_languages()
    first = akool.token
    akool_server.expire_tokens()
    avatars = await akool.list_avatars()
    assert avatars.count == 3
    assert akool.token_fetches == 2 and akool.token != first
    assert akool_server.hits["avatar_list"] == 2  # refused once, then sent again


@pytest.mark.asyncio
async def test_second_1101_after_refresh_is_reported(
    akool: AkoolClient, akool_server: FakeAkoolServer
) -> None:
    from animaze_panel.fakes.akool_server import Fault

    akool_server.fail("session_list", Fault(code=1101, times=None))
    with pytest.raises(AkoolTokenInvalid):
        await akool.list_sessions()
    assert akool_server.hits["token"] == 2  # the first token and exactly one refresh
    assert akool_server.hits["session_list"] == 2


@pytest.mark.asyncio
async def test_1101_with_api_key_is_not_refreshed(akool_server: FakeAkoolServer) -> None:
    async with make_akool(akool_server.base_url, api_key=Secret("not-the-key")) as client:
        with pytest.raises(AkoolTokenInvalid):
            await client.list_languages()
    assert akool_server.hits["token"] == 0 and akool_server.hits["language_list"] == 1


@pytest.mark.asyncio
async def test_saved_token_without_client_secret_is_used_as_is(
    akool_server: FakeAkoolServer,
) -> None:
    akool_server.tokens.add("saved-token")
    async with make_akool(akool_server.base_url, token=Secret("saved-token")) as client:
        assert len(await client.list_languages()) == 4
        akool_server.expire_tokens()
        with pytest.raises(AkoolTokenInvalid):
            await client.list_languages()
    assert akool_server.hits["token"] == 0


# -- avatars ---------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_avatar_list_pages(akool: AkoolClient, akool_server: FakeAkoolServer) -> None:
    first = await akool.list_avatars(page=1, size=2)
    second = await akool.list_avatars(page=2, size=2)
    assert first.count == second.count == 3
    assert [a.avatar_id for a in first.avatars] == [TRISTAN, "fakeLinda1080P"]
    assert [a.available for a in second.avatars] == [False]
    assert akool_server.last_query["avatar_list"] == {"page": "2", "size": "2"}
    thumb = first.avatars[0].thumbnail_url
    async with httpx.AsyncClient() as raw:
        image = await raw.get(thumb)
    assert image.headers["content-type"] == "image/png" and image.content.startswith(b"\x89PNG")


@pytest.mark.asyncio
async def test_avatar_list_size_over_100_is_refused_locally(
    akool: AkoolClient, akool_server: FakeAkoolServer
) -> None:
    with pytest.raises(AkoolInputError) as caught:
        await akool.list_avatars(size=101)
    assert caught.value.field == "size" and akool_server.hits["avatar_list"] == 0


@pytest.mark.asyncio
async def test_upload_then_poll_until_ready_and_listed(
    akool: AkoolClient, akool_server: FakeAkoolServer
) -> None:
    request = AvatarUploadRequest(url="https://cdn.example/me.mp4", avatar_id="myAvatar1",
                                  name="Me")
    upload = await akool.upload_avatar(request)
    assert upload.status is AvatarStatus.QUEUEING and upload.avatar_id == "myAvatar1"
    assert akool_server.last_body["avatar_create"] == {
        "url": "https://cdn.example/me.mp4", "avatar_id": "myAvatar1", "type": 2,
        "url_from": 1, "name": "Me"}
    seen: list[AvatarStatus] = []
    ready = await akool.wait_for_avatar(upload.id, on_status=lambda u: seen.append(u.status))
    assert ready.status is AvatarStatus.READY
    assert seen[0] is AvatarStatus.QUEUEING and AvatarStatus.PROCESSING in seen
    ids = [a.avatar_id for a in (await akool.list_avatars()).avatars]
    assert "myAvatar1" in ids


@pytest.mark.asyncio
async def test_failed_upload_raises(akool: AkoolClient, akool_server: FakeAkoolServer) -> None:
    akool_server.avatar_fails = True
    upload = await akool.upload_avatar(
        AvatarUploadRequest(url="https://cdn.example/bad.mp4", avatar_id="bad1"))
    with pytest.raises(AkoolAvatarFailed) as caught:
        await akool.wait_for_avatar(upload.id)
    assert "video" in str(caught.value)


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("request_", "field"),
    [
        (AvatarUploadRequest(url="https://x/y.mp4", avatar_id="has space"), "avatar_id"),
        (AvatarUploadRequest(url="https://x/y.mp4", avatar_id="under_score"), "avatar_id"),
        (AvatarUploadRequest(url="ftp://x/y.mp4", avatar_id="ok1"), "url"),
        (AvatarUploadRequest(url="https://x/y.mp4", avatar_id="ok1", url_from=3), "url_from"),
    ],
)
async def test_upload_form_is_checked_before_sending(
    akool: AkoolClient, akool_server: FakeAkoolServer, request_: AvatarUploadRequest, field: str
) -> None:
    with pytest.raises(AkoolInputError) as caught:
        await akool.upload_avatar(request_)
    assert caught.value.field == field and akool_server.hits["avatar_create"] == 0


@pytest.mark.asyncio
async def test_duplicate_avatar_id_is_a_parameter_error(akool: AkoolClient) -> None:
    request = AvatarUploadRequest(url="https://cdn.example/me.mp4", avatar_id="twice")
    await akool.upload_avatar(request)
    with pytest.raises(AkoolParameterError) as caught:
        await akool.upload_avatar(request)
    assert caught.value.code == 1003 and "Uploading the avatar" in str(caught.value)


@pytest.mark.asyncio
async def test_avatar_detail_of_unknown_id_is_not_found(akool: AkoolClient) -> None:
    with pytest.raises(AkoolNotFound):
        await akool.get_avatar_detail("doesnotexist")


# -- sessions --------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_session_lifecycle_statuses_charge_and_refund(
    akool: AkoolClient, akool_server: FakeAkoolServer, clock: ManualClock
) -> None:
    options = SessionOptions(avatar_id=TRISTAN, duration=120, voice_id="voiceLinda",
                             language="es", mode_type=ModeType.DIALOGUE,
                             background_url="https://cdn.example/bg.jpg")
    session = await akool.create_session(options)
    assert akool_server.last_body["session_create"] == {
        "avatar_id": TRISTAN, "duration": 120, "voice_id": "voiceLinda", "language": "es",
        "background_url": "https://cdn.example/bg.jpg", "mode_type": 2}
    assert session.status is SessionStatus.QUEUEING and session.stream_type is StreamType.AGORA
    creds = session.credentials
    assert isinstance(creds, AgoraCredentials)
    assert creds.app_id == FAKE_AGORA_APP_ID and creds.channel and creds.token and creds.uid
    assert creds.token not in repr(session)
    assert akool_server.charges[session.id] == 120
    clock.advance(1.0)
    assert (await akool.get_session(session.id)).status is SessionStatus.PROCESSING
    clock.advance(29.0)
    await akool.close_session(session.id)
    assert akool_server.last_body["session_close"] == {"id": session.id}
    assert akool_server.closes == [session.id]
    assert akool_server.refunds[session.id] == pytest.approx(90.0)
    assert (await akool.get_session(session.id)).status is SessionStatus.COMPLETED


@pytest.mark.asyncio
async def test_session_completes_when_its_time_is_over(
    akool: AkoolClient, clock: ManualClock
) -> None:
    session = await akool.create_session(SessionOptions(avatar_id=TRISTAN, duration=10))
    clock.advance(10.0)
    assert (await akool.get_session(session.id)).status is SessionStatus.COMPLETED


@pytest.mark.asyncio
@pytest.mark.parametrize(("stream", "kind"), [(StreamType.LIVEKIT, LiveKitCredentials),
                                              (StreamType.TRTC, TrtcCredentials)])
async def test_other_transports_parse_their_credentials(
    akool: AkoolClient, stream: StreamType, kind: type
) -> None:
    session = await akool.create_session(
        SessionOptions(avatar_id=TRISTAN, duration=30, stream_type=stream))
    assert session.stream_type is stream and isinstance(session.credentials, kind)


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("options", "field"),
    [(SessionOptions(avatar_id="", duration=60), "avatar_id"),
     (SessionOptions(avatar_id=TRISTAN, duration=0), "duration"),
     (SessionOptions(avatar_id=TRISTAN, duration=3601), "duration"),
     (SessionOptions(avatar_id=TRISTAN, background_url="c:/bg.png"), "background_url"),
     (SessionOptions(avatar_id=TRISTAN, stream_type=StreamType.OTHER), "stream_type")],
)
async def test_session_form_is_checked_before_paying(
    akool: AkoolClient, akool_server: FakeAkoolServer, options: SessionOptions, field: str
) -> None:
    with pytest.raises(AkoolInputError) as caught:
        await akool.create_session(options)
    assert caught.value.field == field and akool_server.hits["session_create"] == 0


@pytest.mark.asyncio
async def test_unknown_and_unavailable_avatars_are_refused_by_the_server(
    akool: AkoolClient, akool_server: FakeAkoolServer
) -> None:
    with pytest.raises(AkoolNotFound):
        await akool.create_session(SessionOptions(avatar_id="nobody", duration=60))
    with pytest.raises(AkoolPermissionDenied):
        await akool.create_session(SessionOptions(avatar_id="fakeBusyAvatar", duration=60))
    assert akool_server.charges == {}


@pytest.mark.asyncio
@pytest.mark.parametrize("key", ["data", "result"])
async def test_session_list_filters_and_tolerates_both_shapes(
    akool: AkoolClient, akool_server: FakeAkoolServer, key: str
) -> None:
    akool_server.session_list_key = key
    kept = await akool.create_session(SessionOptions(avatar_id=TRISTAN, duration=60))
    closed = await akool.create_session(SessionOptions(avatar_id=TRISTAN, duration=60))
    await akool.close_session(closed.id)
    everything = await akool.list_sessions()
    assert everything.count == 2 and {s.id for s in everything.sessions} == {kept.id, closed.id}
    done = await akool.list_sessions(status=SessionStatus.COMPLETED)
    assert [s.id for s in done.sessions] == [closed.id]
    assert akool_server.last_query["session_list"]["status"] == "3"


@pytest.mark.asyncio
async def test_close_of_unknown_session_is_not_found(akool: AkoolClient) -> None:
    with pytest.raises(AkoolNotFound):
        await akool.close_session("ffffffffffffffffffffffff")


@pytest.mark.asyncio
async def test_fake_accepts_session_id_in_close_body(
    akool: AkoolClient, akool_server: FakeAkoolServer
) -> None:
    session = await akool.create_session(SessionOptions(avatar_id=TRISTAN, duration=60))
    assert akool.token is not None
    async with httpx.AsyncClient(base_url=akool_server.base_url) as raw:
        answer = await raw.post("/api/open/v4/liveAvatar/session/close",
                                json={"session_id": session.id},
                                headers={"Authorization": f"Bearer {akool.token.reveal()}"})
    assert answer.json()["code"] == 1000 and akool_server.closes == [session.id]


# -- voices and languages --------------------------------------------------------------------


@pytest.mark.asyncio
async def test_voices_ask_for_streaming_voices(
    akool: AkoolClient, akool_server: FakeAkoolServer
) -> None:
    voices = await akool.list_voices()
    assert akool_server.last_query["voice_list"] == {"support_stream": "1"}
    assert {v.voice_id for v in voices} >= {"voiceTristan", "voiceMyClone"}
    clones = await akool.list_voices(kind=1)
    assert [v.voice_id for v in clones] == ["voiceMyClone"]
    assert akool_server.last_query["voice_list"] == {"support_stream": "1", "type": "1"}


@pytest.mark.asyncio
async def test_languages(akool: AkoolClient) -> None:
    languages = await akool.list_languages()
    assert (languages[0].code, languages[0].name) == ("en", "English")


@pytest.mark.asyncio
async def test_new_credentials_drop_the_cached_token(
    akool: AkoolClient, akool_server: FakeAkoolServer
) -> None:
    await akool.list_languages()
    akool.set_credentials(api_key=Secret(API_KEY))
    assert akool.token is None
    await akool.list_languages()
    assert [kind for _, kind in akool_server.auth_seen] == ["bearer", "api-key"]
    akool.set_credentials()
    assert not akool.has_credentials
