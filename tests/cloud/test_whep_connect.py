"""WHEP helpers and set-up: TURN URLs, Location resolution, newest-frame relay, timeouts."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from fractions import Fraction

import av
import pytest
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack

from animaze_panel.cloud._whep_parts import whep_error_for
from animaze_panel.cloud.kaltura import KalturaClient, TurnServer
from animaze_panel.cloud.whep import (
    MediaState,
    NewestFrame,
    WhepClosed,
    WhepConnectTimeout,
    WhepNetworkError,
    WhepProtocolError,
    WhepReceiver,
    WhepRejected,
    answer_sends_video,
    turn_urls,
    whep_resource_url,
)
from animaze_panel.fakes._kaltura_media import (
    SpeechQueue,
    TestPatternTrack,
    read_frame_number,
    read_speaking,
)
from animaze_panel.fakes.kaltura_server import FakeKalturaServer

from .kaltura_fixtures import *  # noqa: F403 (fixtures)
from .kaltura_fixtures import needs_media, wait_until


def test_a_bare_turn_host_becomes_four_explicit_urls() -> None:
    expected = [
        "turn:turn.example.net:80?transport=udp",
        "turn:turn.example.net:443?transport=udp",
        "turn:turn.example.net:80?transport=tcp",
        "turns:turn.example.net:443?transport=tcp",
    ]
    assert turn_urls(TurnServer("turn.example.net")) == expected
    assert turn_urls(TurnServer("turn:turn.example.net/")) == expected
    assert turn_urls(TurnServer("turns:turn.example.net")) == expected


def test_an_explicit_turn_url_is_kept() -> None:
    assert turn_urls(TurnServer("turn:relay.example.net:3478?transport=tcp")) == [
        "turn:relay.example.net:3478?transport=tcp"
    ]
    assert turn_urls(TurnServer("relay.example.net:3478")) == ["turn:relay.example.net:3478"]


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        ("https://media.example.net/res/1", "https://media.example.net/res/1"),
        ("/viewer/v1", "https://m.example.net/rtc/v1/whep/session/s1/viewer/v1"),
        ("s1/viewer/v1", "https://m.example.net/rtc/v1/whep/session/s1/viewer/v1"),
        ("/resource/abc", "https://m.example.net/resource/abc"),
        ("abc", "https://m.example.net/rtc/v1/whep/session/abc"),
    ],
)
def test_location_resolution(location: str, expected: str) -> None:
    assert whep_resource_url(location, "https://m.example.net/rtc/v1/whep/session/s1") == expected


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        ("/viewer/v1", "https://srs.example.net/rtc/v1/whep/viewer/v1"),
        ("/rtc/v1/whep/?action=delete&token=t&app=app&stream=s1",
         "https://srs.example.net/rtc/v1/whep/?action=delete&token=t&app=app&stream=s1"),
    ],
)
def test_location_resolution_against_the_srs_fallback_url(location: str, expected: str) -> None:
    whep_url = "https://srs.example.net/rtc/v1/whep/?app=app&stream=s1"  # wire.js whepUrl()
    assert whep_resource_url(location, whep_url) == expected


class _Backlog(MediaStreamTrack):
    """A track holding ``count`` ready frames, then nothing until stopped."""

    kind = "video"

    def __init__(self, count: int) -> None:
        super().__init__()
        self._frames = [self._frame(i) for i in range(count)]
        self._stopped = asyncio.Event()

    @staticmethod
    def _frame(index: int) -> av.VideoFrame:
        frame = av.VideoFrame(64, 48, "yuv420p")
        frame.pts, frame.time_base = index, Fraction(1, 30)
        return frame

    async def recv(self) -> av.VideoFrame:
        if self._frames:
            return self._frames.pop(0)
        await self._stopped.wait()
        raise MediaStreamError

    def stop(self) -> None:
        self._stopped.set()
        super().stop()


@pytest.mark.asyncio
async def test_a_backlog_of_frames_is_drained_and_only_the_newest_delivered() -> None:
    delivered: list[int] = []
    relay = NewestFrame(lambda frame: delivered.append(int(frame.pts or 0)))
    deliver = asyncio.create_task(relay.deliver())
    track = _Backlog(10)
    pump = asyncio.create_task(relay.pump(track))

    await wait_until(lambda: relay.delivered == 1)
    track.stop()
    await pump
    deliver.cancel()
    await asyncio.gather(deliver, return_exceptions=True)

    assert delivered == [9]
    assert (relay.received, relay.dropped) == (10, 9)
    assert (relay.width, relay.height) == (64, 48)


@pytest.fixture
def blackhole() -> Iterator[int]:
    """A UDP port that receives and never answers: an unreachable TURN server."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    try:
        yield sock.getsockname()[1]
    finally:
        sock.close()


@needs_media
@pytest.mark.asyncio
async def test_relay_only_with_an_unreachable_turn_times_out(
    kaltura: KalturaClient, kaltura_server: FakeKalturaServer, blackhole: int
) -> None:
    kaltura_server.turn = {"url": f"turn:127.0.0.1:{blackhole}?transport=udp",
                           "username": "kaltura", "credential": "avatar"}
    session = await kaltura.create_session("avatar-1")
    init = await kaltura.init_client(session)
    states: list[MediaState] = []
    receiver = WhepReceiver(init.whep_url, init.turn, connect_timeout=1.5,
                            on_video=lambda f: None, on_audio=lambda f: None,
                            on_state=states.append)
    assert receiver.relay_only

    with pytest.raises(WhepConnectTimeout) as info:
        await asyncio.wait_for(receiver.start(), 30)

    assert "within 1.5 s" in str(info.value) and "firewall" in str(info.value)
    assert states == [MediaState.CONNECTING, MediaState.FAILED]
    # An offer that was answered is released again.
    fake = kaltura_server.sessions[session.session_id]
    assert fake.viewer is None and fake.viewers_created == kaltura_server.hits["whep"]
    await receiver.stop()
    assert states[-1] is MediaState.CLOSED


@pytest.mark.asyncio
async def test_every_turn_url_is_tried_in_turn(
    kaltura: KalturaClient, kaltura_server: FakeKalturaServer
) -> None:
    kaltura_server.turn = {"url": "127.0.0.1", "username": "kaltura", "credential": "avatar"}
    session = await kaltura.create_session("avatar-1")
    init = await kaltura.init_client(session)
    receiver = WhepReceiver(init.whep_url, init.turn, connect_timeout=1.0,
                            on_video=lambda f: None, on_audio=lambda f: None,
                            on_state=lambda s: None)

    with pytest.raises(WhepConnectTimeout) as info:
        await asyncio.wait_for(receiver.start(), 60)

    assert "any of the 4 TURN relay addresses of 127.0.0.1" in str(info.value)
    assert kaltura_server.sessions[session.session_id].viewer is None
    await receiver.stop()


@pytest.mark.asyncio
async def test_an_unreachable_whep_server_is_a_network_error() -> None:
    receiver = WhepReceiver("http://127.0.0.1:9/whep", None, connect_timeout=5,
                            on_video=lambda f: None, on_audio=lambda f: None,
                            on_state=lambda s: None)
    with pytest.raises(WhepNetworkError) as info:
        await receiver.start()
    assert "Cannot reach the avatar's media server (no connection)" in str(info.value)
    assert "try again" in str(info.value)
    assert receiver.state is MediaState.FAILED
    await receiver.stop()


@pytest.mark.parametrize(
    ("status", "retry_after", "expected", "says"),
    [(401, None, WhepRejected, "refused this stream (HTTP 401). Start a new session."),
     (403, None, WhepRejected, "refused this stream (HTTP 403). Start a new session."),
     (429, 7.0, WhepRejected, "(HTTP 429). Wait 7 s and connect again."),
     (429, None, WhepRejected, "(HTTP 429). Wait a minute and connect again."),
     (503, None, WhepRejected, "failed (HTTP 503). Try again in a moment."),
     (200, None, WhepProtocolError, "without a usable SDP answer (HTTP 200). Try again")],
)
def test_whep_answers_say_what_to_do(
    status: int, retry_after: float | None, expected: type[Exception], says: str
) -> None:
    error = whep_error_for(status, retry_after)
    assert type(error) is expected and error.status == status
    assert says in str(error)


@pytest.mark.asyncio
async def test_stop_while_connecting_ends_start_quickly(
    kaltura: KalturaClient, kaltura_server: FakeKalturaServer, blackhole: int
) -> None:
    kaltura_server.turn = {"url": f"turn:127.0.0.1:{blackhole}?transport=udp"}
    init = await kaltura.init_client(await kaltura.create_session("avatar-1"))
    states: list[MediaState] = []
    receiver = WhepReceiver(init.whep_url, init.turn, connect_timeout=60,
                            on_video=lambda f: None, on_audio=lambda f: None,
                            on_state=states.append)
    start = asyncio.create_task(receiver.start())
    await wait_until(lambda: states == [MediaState.CONNECTING])

    await asyncio.wait_for(receiver.stop(), 20)

    with pytest.raises(WhepClosed):
        await asyncio.wait_for(start, 20)
    assert states == [MediaState.CONNECTING, MediaState.CLOSED]


@pytest.mark.asyncio
async def test_a_viewer_granted_after_stop_is_released(
    kaltura: KalturaClient, kaltura_server: FakeKalturaServer
) -> None:
    session = await kaltura.create_session("avatar-1")
    init = await kaltura.init_client(session)
    kaltura_server.delay("whep", 1.0, times=1)
    receiver = WhepReceiver(init.whep_url, None, on_video=lambda f: None,
                            on_audio=lambda f: None, on_state=lambda s: None)
    start = asyncio.create_task(receiver.start())
    await wait_until(lambda: kaltura_server.hits["whep"] == 1)

    await asyncio.wait_for(receiver.stop(), 20)

    with pytest.raises(WhepClosed):
        await start
    fake = kaltura_server.sessions[session.session_id]
    assert fake.viewers_created == 1 and fake.viewer is None and fake.viewers_deleted == 1


def test_speech_queues_lines_and_interrupt_clears_the_queue() -> None:
    now = [100.0]
    speech = SpeechQueue(lambda: now[0])
    assert not speech.speaking()

    first_end = speech.say("x" * 50)  # 3 s
    second_end = speech.say("hi")  # at least 0.5 s, after the first
    assert (first_end, second_end) == (103.0, 103.5)
    now[0] = 103.2
    assert speech.speaking()

    speech.interrupt()
    assert not speech.speaking()
    assert speech.spoken == ["x" * 50, "hi"] and speech.interrupts == 1


def test_the_pattern_carries_frame_number_and_speaking_flag() -> None:
    track = TestPatternTrack(320, 240)
    assert read_frame_number(track.frame(4242)) == 4242
    assert read_speaking(track.frame(1, speaking=True))
    assert not read_speaking(track.frame(1, speaking=False))
    with pytest.raises(ValueError):
        TestPatternTrack(200, 240)


def test_answer_video_direction_is_read() -> None:
    base = "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 96\r\na=sendonly\r\n"
    assert answer_sends_video(base + "m=video 9 UDP/TLS/RTP/SAVPF 97\r\na=sendonly\r\n")
    assert not answer_sends_video(base + "m=video 9 UDP/TLS/RTP/SAVPF 97\r\na=inactive\r\n")
    assert not answer_sends_video(base + "m=video 0 UDP/TLS/RTP/SAVPF 97\r\na=sendonly\r\n")
    assert not answer_sends_video(base)
