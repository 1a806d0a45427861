"""KinetixClient against the fake Kinetix server over real loopback sockets: routes and flow."""

from __future__ import annotations

from pathlib import Path

import pytest

from animaze_panel.cloud.kinetix import (
    KinetixAuthError,
    KinetixClient,
    KinetixInputError,
    KinetixNetworkError,
    KinetixProcessNotReady,
    KinetixTokenExpired,
    KinetixValidationDisabled,
)
from animaze_panel.cloud.kinetix_models import (
    EmoteSubmission,
    ProcessStatus,
    describe_step,
    format_timestamp,
    parse_timestamp,
    status_of_step,
)
from animaze_panel.fakes._kinetix_data import STEPS, emote_files
from animaze_panel.fakes.kinetix_server import FakeKinetixServer, ManualClock
from animaze_panel.secrets import Secret

from .conftest import API_KEY, make_client


def submission(video: Path, **overrides: object) -> EmoteSubmission:
    values: dict[str, object] = {
        "video": video, "name": "Happy dance", "mature": False, "start_ms": 500, "end_ms": 2500,
    }
    values.update(overrides)
    return EmoteSubmission(**values)  # type: ignore[arg-type]


async def make_done_process(
    client: KinetixClient, clock: ManualClock, video: Path, user: str = "player-1"
) -> str:
    token = await client.create_token(user)
    process = await client.create_process(token, submission(video))
    clock.advance(len(STEPS))
    return process.uuid


@pytest.mark.asyncio
async def test_plans(client: KinetixClient) -> None:
    plans = await client.get_plans()
    assert [p.name for p in plans] == ["Demo plan"]
    assert plans[0].muge_limit == 50 and plans[0].calls_limit == 100000


@pytest.mark.asyncio
async def test_token_and_status_then_expiry(
    client: KinetixClient, clock: ManualClock, video: Path
) -> None:
    token = await client.create_token("player-1")
    assert f"?token={token.uuid}&expire=" in token.url and 290 < token.seconds_left() <= 300
    status = await client.get_token_status(token)
    assert status.expire_in == 300 and status.retake is False
    clock.advance(299)
    assert (await client.get_token_status(token.uuid)).expire_in == 1
    clock.advance(1)
    with pytest.raises(KinetixTokenExpired) as caught:
        await client.get_token_status(token)
    assert "expired" in str(caught.value) and caught.value.status == 404
    assert caught.value.server_message == "Token not found"
    with pytest.raises(KinetixTokenExpired) as refused:
        await client.create_process(token, submission(video))
    assert (refused.value.status, refused.value.code) == (403, "wrongToken")


@pytest.mark.asyncio
async def test_upload_fields_arrive_and_token_is_single_use(
    client: KinetixClient, server: FakeKinetixServer, video: Path
) -> None:
    import hashlib

    token = await client.create_token("player-1")
    process = await client.create_process(token, submission(video, mature=True))
    upload = server.uploads[-1]
    assert upload.fields == {
        "name": "Happy dance", "mature": "true", "start": "00:00:00.500", "end": "00:00:02.500",
    }
    assert upload.filename == "dance.mp4" and upload.content_type == "video/mp4"
    assert upload.sha256 == hashlib.sha256(video.read_bytes()).hexdigest()
    assert process.uuid == upload.process_uuid and process.step == "initialized"
    assert process.status is ProcessStatus.PENDING
    # The token is deleted as soon as it is used (tokenAuth.js): 403 on reuse, 404 on status.
    with pytest.raises(KinetixTokenExpired) as reused:
        await client.create_process(token, submission(video))
    assert reused.value.server_message == "Wrong generation token" and reused.value.status == 403
    with pytest.raises(KinetixTokenExpired):
        await client.get_token_status(token)
    assert len(server.uploads) == 1


@pytest.mark.asyncio
async def test_process_advances_through_every_step(
    client: KinetixClient, clock: ManualClock, video: Path
) -> None:
    token = await client.create_token("player-1")
    uuid = (await client.create_process(token, submission(video))).uuid
    seen = []
    for _ in STEPS:
        process = await client.get_process(uuid)
        seen.append((process.step, process.status))
        assert describe_step(process.step)
        clock.advance(1)
    assert [step for step, _ in seen] == list(STEPS)
    assert seen[5] == ("ml_running", ProcessStatus.PROCESSING)
    assert seen[-1] == ("done", ProcessStatus.DONE)
    assert (await client.get_process(uuid)).percent == 100


@pytest.mark.asyncio
async def test_failed_process(
    client: KinetixClient, server: FakeKinetixServer, clock: ManualClock, video: Path
) -> None:
    server.process_fail_step = "ml_failed"
    uuid = await make_done_process(client, clock, video)
    process = await client.get_process(uuid)
    assert process.step == "ml_failed" and process.status is ProcessStatus.FAILED


@pytest.mark.asyncio
async def test_validate_and_retake(client: KinetixClient, clock: ManualClock, video: Path) -> None:
    first = await make_done_process(client, clock, video)
    validated = await client.validate_process(first)
    assert validated.validated and validated.status is ProcessStatus.FINAL
    second = await make_done_process(client, clock, video)
    new_token = await client.retake_process(second)
    assert (await client.get_token_status(new_token)).retake is True
    assert (await client.get_process(second)).rejected


@pytest.mark.asyncio
async def test_validate_before_ready_says_wait(client: KinetixClient, video: Path) -> None:
    token = await client.create_token("player-1")
    uuid = (await client.create_process(token, submission(video))).uuid
    with pytest.raises(KinetixProcessNotReady, match="wait until it is done") as caught:
        await client.validate_process(uuid)
    assert caught.value.status == 403
    assert caught.value.server_message == "Process is not ready to be validated"


@pytest.mark.asyncio
async def test_validation_flow_disabled_is_explained(
    client: KinetixClient, server: FakeKinetixServer, clock: ManualClock, video: Path
) -> None:
    uuid = await make_done_process(client, clock, video)
    server.validation_enabled = False
    for call in (client.validate_process, client.retake_process):
        with pytest.raises(KinetixValidationDisabled) as caught:
            await call(uuid)
        assert "not enabled for this game" in str(caught.value) and caught.value.status == 403
        assert "validation flow is disabled" in caught.value.server_message


@pytest.mark.asyncio
async def test_user_process_list(client: KinetixClient, clock: ManualClock, video: Path) -> None:
    first = await make_done_process(client, clock, video)
    token = await client.create_token("player-1")
    second = (await client.create_process(token, submission(video, name="Wave"))).uuid
    await make_done_process(client, clock, video, user="someone-else")
    listed = await client.list_user_processes("player-1")
    assert [p.uuid for p in listed] == [second, first]
    assert listed[0].name == "Wave" and listed[1].status is ProcessStatus.DONE


@pytest.mark.asyncio
async def test_emote_files_download_without_api_key(
    client: KinetixClient, server: FakeKinetixServer, clock: ManualClock, video: Path,
    tmp_path: Path,
) -> None:
    uuid = await make_done_process(client, clock, video)
    emote = await client.get_emote((await client.get_process(uuid)).emote)
    assert {(f.name, f.extension) for f in emote.files} == set(emote_files(emote.uuid))
    folder = tmp_path / "out"
    folder.mkdir()
    progress: list[tuple[int, int]] = []
    for file in emote.files:
        path = await client.download(file.url, folder, file.filename,
                                     lambda a, b: progress.append((a, b)))
        assert path.parent == folder
        assert path.read_bytes() == emote_files(emote.uuid)[(file.name, file.extension)]
    assert sorted(p.name for p in folder.iterdir()) == sorted(f.filename for f in emote.files)
    assert server.file_requests_with_key == 0 and progress[-1][0] == progress[-1][1]


@pytest.mark.asyncio
async def test_download_name_cannot_escape_folder(
    client: KinetixClient, clock: ManualClock, video: Path, tmp_path: Path
) -> None:
    uuid = await make_done_process(client, clock, video)
    emote = await client.get_emote((await client.get_process(uuid)).emote)
    folder = tmp_path / "safe"
    folder.mkdir()
    path = await client.download(emote.files[0].url, folder, "../../evil/..\\x.png")
    assert path.parent == folder and path.name == "x.png"


@pytest.mark.asyncio
async def test_emote_files_empty_until_done(client: KinetixClient, video: Path) -> None:
    token = await client.create_token("player-1")
    process = await client.create_process(token, submission(video))
    assert (await client.get_emote(process.emote)).files == ()


@pytest.mark.asyncio
async def test_wrong_key_keeps_server_message(server: FakeKinetixServer) -> None:
    client = make_client(server.base_url)
    client.api_key = Secret("wrong-key-value")
    try:
        with pytest.raises(KinetixAuthError) as caught:
            await client.get_plans()
    finally:
        await client.aclose()
    assert (caught.value.status, caught.value.server_message) == (403, "Unknown API key")
    assert "does not know this API key" in str(caught.value)
    assert "wrong-key-value" not in repr(caught.value) + str(caught.value) + repr(client)


@pytest.mark.asyncio
async def test_missing_key_sends_nothing(server: FakeKinetixServer) -> None:
    client = make_client(server.base_url)
    client.api_key = None
    try:
        with pytest.raises(KinetixAuthError, match="No Kinetix API key"):
            await client.create_token("player-1")
    finally:
        await client.aclose()
    assert server.hits["token"] == 0


@pytest.mark.asyncio
async def test_unreachable_server_is_a_network_error() -> None:
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = make_client(f"http://127.0.0.1:{port}")
    try:
        with pytest.raises(KinetixNetworkError) as caught:
            await client.get_plans()
        assert str(caught.value) == ("Cannot reach Kinetix (no connection); check your "
                                     "connection and try again")
    finally:
        await client.aclose()


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("video_name", "overrides", "field"),
    [
        ("clip.gif", {}, "video"),
        ("clip", {}, "video"),
        ("missing.mp4", {}, "video"),
        (None, {"name": "  "}, "name"),
        (None, {"end_ms": 500}, "end"),
        (None, {"end_ms": 100}, "end"),
    ],
)
async def test_bad_input_is_refused_before_upload(
    client: KinetixClient, server: FakeKinetixServer, video: Path,
    video_name: str | None, overrides: dict[str, object], field: str,
) -> None:
    if video_name is not None:
        other = video.parent / video_name
        if video_name != "missing.mp4":
            other.write_bytes(b"GIF89a")
        video = other
    token = await client.create_token("player-1")
    with pytest.raises(KinetixInputError) as caught:
        await client.create_process(token, submission(video, **overrides))
    assert caught.value.field == field and str(caught.value)
    assert server.hits["create_process"] == 0


def test_end_inside_video_duration(video: Path) -> None:
    submission(video, end_ms=2000).validate(duration_ms=2000)
    with pytest.raises(KinetixInputError, match="past the end") as caught:
        submission(video, end_ms=2001).validate(duration_ms=2000)
    assert caught.value.field == "end"


@pytest.mark.parametrize("text", ["0:00:01.000", "00:00:01", "00:60:00.000", "aa", "00:00:01.0000"])
def test_timestamp_format_is_strict(text: str) -> None:
    with pytest.raises(ValueError, match="HH:mm:ss.SSS"):
        parse_timestamp(text)


def test_timestamp_round_trip() -> None:
    for millis in (0, 1, 999, 61_001, 3_723_456):
        assert parse_timestamp(format_timestamp(millis)) == millis
    assert format_timestamp(2000) == "00:00:02.000"


def test_every_step_is_grouped() -> None:
    groups = {
        ProcessStatus.PENDING: ["initialized", "transcode_done", "waiting_scheduler",
                                "requesting_ml", "waiting_runner"],
        ProcessStatus.PROCESSING: ["ml_running", "ml_done"],
        ProcessStatus.DONE: ["render_done", "done"],
        ProcessStatus.FAILED: ["transcode_failed", "ml_request_failed", "render_failed",
                               "association_failed", "ml_failed"],
        ProcessStatus.FINAL: ["validated", "rejected"],
    }
    for status, steps in groups.items():
        assert all(status_of_step(step) is status for step in steps)
    assert status_of_step("brand_new_step") is ProcessStatus.UNKNOWN
    assert describe_step("brand_new_step") == "Step: brand_new_step"


@pytest.mark.asyncio
async def test_api_key_in_client_repr_is_masked() -> None:
    client = make_client("http://127.0.0.1:1")
    await client.aclose()
    assert API_KEY not in repr(client) and "****" in repr(client)


# -- user registration ----------------------------------------------------------------------


@pytest.mark.asyncio
async def test_new_user_is_registered_once_before_its_first_token(
    client: KinetixClient, server: FakeKinetixServer
) -> None:
    assert "new-player" not in server.users
    await client.create_token("new-player")
    await client.create_token("new-player")
    assert "new-player" in server.users and server.hits["register_user"] == 1
    assert server.json_content_types == ["application/json"]


@pytest.mark.asyncio
async def test_unregistered_user_gets_no_token_from_the_server(server: FakeKinetixServer) -> None:
    import httpx

    async with httpx.AsyncClient(base_url=server.base_url) as raw:
        response = await raw.get("/v1/process/token", params={"userId": "ghost"},
                                 headers={"x-api-key": API_KEY})
    assert response.status_code == 404
    assert response.json() == {"errorCode": "notFound", "message": "User not found.", "data": {}}


@pytest.mark.asyncio
async def test_already_registered_user_is_fine(server: FakeKinetixServer) -> None:
    server.users.add("old-player")  # registered by an earlier session
    client = make_client(server.base_url)
    try:
        assert await client.register_user("old-player") is False  # 409 alreadyExists
        assert await client.register_user("fresh-player") is True
        token = await client.create_token("old-player")
    finally:
        await client.aclose()
    assert token.uuid and server.hits["register_user"] == 2


@pytest.mark.asyncio
async def test_a_user_forgotten_by_the_server_is_registered_again(
    client: KinetixClient, server: FakeKinetixServer
) -> None:
    await client.create_token("player-1")
    server.users.clear()  # e.g. the key now belongs to another game
    await client.create_token("player-1")
    assert server.hits["register_user"] == 2 and "player-1" in server.users


@pytest.mark.asyncio
async def test_another_key_registers_again(
    client: KinetixClient, server: FakeKinetixServer
) -> None:
    await client.create_token("player-1")
    client.api_key = Secret(API_KEY)  # same value: nothing to redo
    await client.create_token("player-1")
    assert server.hits["register_user"] == 1
    server.read_only_keys.add("other")
    client.api_key = Secret("other")
    with pytest.raises(KinetixAuthError):
        await client.create_token("player-1")
    assert server.hits["register_user"] == 2


@pytest.mark.asyncio
async def test_unregistered_user_has_no_processes(client: KinetixClient) -> None:
    assert await client.list_user_processes("never-seen") == []


@pytest.mark.asyncio
async def test_json_posts_carry_the_json_content_type(
    client: KinetixClient, server: FakeKinetixServer, clock: ManualClock, video: Path
) -> None:
    await client.get_plans()
    uuid = await make_done_process(client, clock, video)
    await client.validate_process(uuid)
    uuid = await make_done_process(client, clock, video)
    await client.retake_process(uuid)
    # plans, the user registration, validate, retake
    assert server.json_content_types == ["application/json"] * 4
