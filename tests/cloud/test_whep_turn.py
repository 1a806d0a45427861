"""WHEP through a real TURN relay, relay-only, as production runs (the server's only candidate
is private, so Kaltura's clients relay everything: WIRE-PROTOCOL §5-6)."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import av
import pytest

from animaze_panel.cloud.kaltura import KalturaClient
from animaze_panel.cloud.whep import MediaState, WhepConnectTimeout, WhepReceiver
from animaze_panel.fakes._kaltura_media import read_frame_number
from animaze_panel.fakes.kaltura_server import FakeKalturaServer

from .kaltura_fixtures import *  # noqa: F403 (fixtures)
from .kaltura_fixtures import wait_until
from .turn_relay import PASSWORD, USERNAME, Relay, free_udp_port, interface_address, start_relay

HOST = interface_address()
pytestmark = pytest.mark.skipif(HOST is None, reason="no non-loopback interface for media")


@pytest.fixture
def relay() -> Iterator[Relay]:
    assert HOST is not None
    yield from start_relay(HOST, free_udp_port(HOST))


async def _receive(kaltura: KalturaClient, **options: object) -> tuple[WhepReceiver, list[int]]:
    init = await kaltura.init_client(await kaltura.create_session("avatar-1"))
    numbers: list[int] = []
    audio: list[av.AudioFrame] = []

    def video(frame: av.VideoFrame) -> None:
        numbers.append(read_frame_number(frame))

    receiver = WhepReceiver(init.whep_url, init.turn, on_video=video, on_audio=audio.append,
                            on_state=lambda s: None, **options)  # type: ignore[arg-type]
    await receiver.start()
    await wait_until(lambda: len(numbers) >= 15 and len(audio) >= 15)
    return receiver, numbers


@pytest.mark.asyncio
async def test_media_flows_through_the_relay_only(
    kaltura: KalturaClient, kaltura_server: FakeKalturaServer, relay: Relay
) -> None:
    kaltura_server.turn = {"url": relay.url(), "username": USERNAME, "credential": PASSWORD}

    receiver, numbers = await _receive(kaltura, connect_timeout=20)

    assert receiver.relay_only and receiver.state is MediaState.CONNECTED
    assert receiver.turn_url == relay.url()
    assert numbers == sorted(numbers) and numbers[-1] > numbers[0]
    await receiver.stop()


@pytest.mark.asyncio
async def test_a_wrong_relay_password_fails_in_words(
    kaltura: KalturaClient, kaltura_server: FakeKalturaServer, relay: Relay
) -> None:
    kaltura_server.turn = {"url": relay.url(), "username": USERNAME, "credential": "wrong"}
    init = await kaltura.init_client(await kaltura.create_session("avatar-1"))
    receiver = WhepReceiver(init.whep_url, init.turn, connect_timeout=3,
                            on_video=lambda f: None, on_audio=lambda f: None,
                            on_state=lambda s: None)
    with pytest.raises(WhepConnectTimeout) as info:
        await receiver.start()
    assert receiver.state is MediaState.FAILED
    assert "relay" in str(info.value)
    await receiver.stop()


def _port_free(host: str, port: int) -> bool:
    for kind in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
        with socket.socket(socket.AF_INET, kind) as sock:
            try:
                sock.bind((host, port))
            except OSError:
                return False
    return True


@pytest.fixture
def relay_on_443() -> Iterator[Relay]:
    """The relay on port 443 only: of a bare host's URLs, UDP 80 fails and UDP 443 works."""
    assert HOST is not None
    if not (_port_free(HOST, 80) and _port_free(HOST, 443)):
        pytest.skip("ports 80/443 of the interface are in use here")
    yield from start_relay(HOST, 443)


@pytest.mark.asyncio
async def test_a_bare_relay_host_falls_through_to_the_url_that_works(
    kaltura: KalturaClient, kaltura_server: FakeKalturaServer, relay_on_443: Relay
) -> None:
    kaltura_server.turn = {"url": relay_on_443.host, "username": USERNAME,
                           "credential": PASSWORD}

    receiver, numbers = await _receive(kaltura, connect_timeout=3)

    assert receiver.state is MediaState.CONNECTED and numbers[-1] > numbers[0]
    assert receiver.turn_url == f"turn:{relay_on_443.host}:443?transport=udp"
    await receiver.stop()
