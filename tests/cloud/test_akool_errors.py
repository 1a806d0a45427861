"""Every Akool code and transport failure becomes the right typed error; GETs retry, POSTs don't."""

from __future__ import annotations

import logging

import pytest

from animaze_panel.cloud._http import RetryPolicy
from animaze_panel.cloud.akool import AkoolClient
from animaze_panel.cloud.akool_errors import (
    CODE_TABLE,
    AkoolAuthError,
    AkoolError,
    AkoolNetworkError,
    AkoolNotFound,
    AkoolPermissionDenied,
    AkoolProtocolError,
    AkoolRateLimited,
    AkoolRequestRejected,
    AkoolServerError,
    AkoolTimeout,
    AkoolUnknownCode,
)
from animaze_panel.cloud.akool_models import SessionOptions
from animaze_panel.fakes._akool_data import CODE_MESSAGES
from animaze_panel.fakes.akool_server import FakeAkoolServer, Fault
from animaze_panel.secrets import Secret

# The fixtures come from test_akool_client (no shared conftest): test arguments name them.
# ruff: noqa: F811
from .test_akool_client import (  # noqa: F401
    API_KEY,
    CLIENT_SECRET,
    TRISTAN,
    akool,
    akool_server,
    clock,
    make_akool,
)

ERROR_CODES = sorted(code for code in CODE_MESSAGES if code != 1000)


def test_the_code_table_covers_the_spec() -> None:
    assert sorted(CODE_TABLE) == ERROR_CODES


@pytest.mark.asyncio
@pytest.mark.parametrize("code", ERROR_CODES)
async def test_every_code_becomes_its_typed_error(
    akool_server: FakeAkoolServer, code: int
) -> None:
    # API-key auth, so 1101 is reported directly rather than refreshed.
    akool_server.fail("avatar_list", Fault(code=code))
    async with make_akool(akool_server.base_url, api_key=Secret(API_KEY)) as client:
        with pytest.raises(AkoolError) as caught:
            await client.list_avatars()
    error = caught.value
    cls, meaning, action = CODE_TABLE[code]
    assert type(error) is cls
    assert error.code == code and error.status == 200
    assert error.server_message == CODE_MESSAGES[code]
    assert meaning in str(error) and action in str(error)
    assert str(error).startswith("Loading the avatars: ")
    assert API_KEY not in str(error)


@pytest.mark.asyncio
async def test_unknown_code(akool: AkoolClient, akool_server: FakeAkoolServer) -> None:
    akool_server.fail("language_list", Fault(code=4242))
    with pytest.raises(AkoolUnknownCode) as caught:
        await akool.list_languages()
    assert caught.value.code == 4242 and "4242" in str(caught.value)


@pytest.mark.asyncio
async def test_code_in_a_non_2xx_answer_is_still_mapped(
    akool: AkoolClient, akool_server: FakeAkoolServer
) -> None:
    akool_server.fail("session_detail", Fault(code=1008, http_status=404))
    with pytest.raises(AkoolNotFound) as caught:
        await akool.get_session("abc")
    assert caught.value.code == 1008 and caught.value.status == 404


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("status", "cls"),
    [(400, AkoolRequestRejected), (401, AkoolAuthError), (403, AkoolPermissionDenied),
     (404, AkoolNotFound), (500, AkoolServerError), (502, AkoolServerError)],
)
async def test_http_errors_without_code_on_post(
    akool: AkoolClient, akool_server: FakeAkoolServer, status: int, cls: type[AkoolError]
) -> None:
    akool_server.fail("session_close", Fault(http_status=status))
    with pytest.raises(cls) as caught:
        await akool.close_session("abc")
    assert caught.value.status == status and caught.value.code is None
    assert akool_server.hits["session_close"] == 1


@pytest.mark.asyncio
async def test_get_retries_5xx_and_429_then_succeeds(
    akool: AkoolClient, akool_server: FakeAkoolServer
) -> None:
    akool_server.fail("avatar_list", Fault(http_status=503, times=2))
    assert (await akool.list_avatars()).count == 3
    assert akool_server.hits["avatar_list"] == 3
    akool_server.fail("voice_list", Fault(http_status=429, times=1))
    assert await akool.list_voices()
    assert akool_server.hits["voice_list"] == 2


@pytest.mark.asyncio
async def test_get_retries_a_reset_connection(
    akool: AkoolClient, akool_server: FakeAkoolServer
) -> None:
    akool_server.fail("language_list", Fault(reset=True, times=2))
    assert len(await akool.list_languages()) == 4
    assert akool_server.hits["language_list"] == 3


@pytest.mark.asyncio
async def test_get_gives_up_after_the_policy(
    akool: AkoolClient, akool_server: FakeAkoolServer
) -> None:
    akool_server.fail("avatar_list", Fault(http_status=503, times=None))
    with pytest.raises(AkoolServerError):
        await akool.list_avatars()
    assert akool_server.hits["avatar_list"] == 3
    akool_server.fail("voice_list", Fault(http_status=429, times=None))
    with pytest.raises(AkoolRateLimited):
        await akool.list_voices()


@pytest.mark.asyncio
async def test_post_is_never_repeated(akool: AkoolClient, akool_server: FakeAkoolServer) -> None:
    akool_server.fail("session_create", Fault(http_status=503))
    with pytest.raises(AkoolServerError):
        await akool.create_session(SessionOptions(avatar_id=TRISTAN, duration=60))
    assert akool_server.hits["session_create"] == 1
    akool_server.fail("session_create", Fault(reset=True))
    with pytest.raises(AkoolNetworkError) as caught:
        await akool.create_session(SessionOptions(avatar_id=TRISTAN, duration=60))
    assert str(caught.value).startswith("Starting the session: Cannot reach Akool")
    assert "session list" in str(caught.value) and "session list" in caught.value.action
    assert akool_server.hits["session_create"] == 2 and akool_server.sessions == {}


@pytest.mark.asyncio
async def test_malformed_json_is_a_protocol_error(
    akool: AkoolClient, akool_server: FakeAkoolServer
) -> None:
    akool_server.fail("session_list", Fault(malformed=True))
    with pytest.raises(AkoolProtocolError) as caught:
        await akool.list_sessions()
    assert "cannot read" in str(caught.value)


@pytest.mark.asyncio
async def test_slow_answer_times_out(akool_server: FakeAkoolServer) -> None:
    # The fault holds the answer for 60 s (released when the server stops); the client waits 0.5.
    akool_server.fail("voice_list", Fault(delay=60.0))
    async with make_akool(akool_server.base_url, timeout=0.5,
                          retry=RetryPolicy(attempts=1)) as client:
        with pytest.raises(AkoolTimeout) as caught:
            await client.list_voices()
    assert "did not answer in time" in str(caught.value)


@pytest.mark.asyncio
async def test_unreachable_server_is_a_network_error(akool_server: FakeAkoolServer) -> None:
    url = akool_server.base_url
    await akool_server.stop()
    async with make_akool(url, api_key=Secret(API_KEY)) as client:
        with pytest.raises(AkoolNetworkError) as caught:
            await client.list_languages()
    assert "Cannot reach Akool" in str(caught.value)


@pytest.mark.asyncio
async def test_secrets_stay_out_of_errors_and_logs(
    akool: AkoolClient, akool_server: FakeAkoolServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await akool.list_languages()
    assert akool.token is not None
    token = akool.token.reveal()
    texts = [repr(akool)]
    for fault in (Fault(code=1009), Fault(http_status=500), Fault(malformed=True),
                  Fault(reset=True)):
        akool_server.fail("session_close", fault)
        with pytest.raises(AkoolError) as caught:
            await akool.close_session("abc")
        texts += [str(caught.value), repr(caught.value)]
    texts.append(caplog.text)
    for secret in (CLIENT_SECRET, token):
        assert all(secret not in text for text in texts)
