"""WHEP end to end over real sockets: fake Kaltura server -> aiortc -> decoded frames and sound."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import av
import httpx
import pytest
import pytest_asyncio

from animaze_panel.cloud.kaltura import ClientInit, KalturaClient
from animaze_panel.cloud.whep import (
    MediaState,
    WhepConflict,
    WhepError,
    WhepNotFound,
    WhepProtocolError,
    WhepReceiver,
    WhepRejected,
    WhepUnsupportedMediaType,
)
from animaze_panel.cloud.whep_thread import WhepThread
from animaze_panel.fakes._kaltura_media import read_frame_number, read_speaking, read_tone_hz
from animaze_panel.fakes.kaltura_server import FakeKalturaServer

from .kaltura_fixtures import *  # noqa: F403 (fixtures)
from .kaltura_fixtures import needs_media, wait_until

pytestmark = [pytest.mark.asyncio, needs_media]


@dataclass
class Sink:
    """Collects what a receiver delivers."""

    numbers: list[int] = field(default_factory=list)
    sizes: set[tuple[int, int]] = field(default_factory=set)
    audio: list[av.AudioFrame] = field(default_factory=list)
    states: list[MediaState] = field(default_factory=list)

    def video(self, frame: av.VideoFrame) -> None:
        self.numbers.append(read_frame_number(frame))
        self.sizes.add((frame.width, frame.height))

    def receiver(self, init: ClientInit, **kwargs: object) -> WhepReceiver:
        return WhepReceiver(
            init.whep_url, init.turn, on_video=self.video, on_audio=self.audio.append,
            on_state=self.states.append, **kwargs,  # type: ignore[arg-type]
        )


@dataclass
class Live:
    server: FakeKalturaServer
    client: KalturaClient
    session_id: str
    init: ClientInit


@pytest_asyncio.fixture
async def live(
    kaltura: KalturaClient, kaltura_server: FakeKalturaServer
) -> AsyncIterator[Live]:
    session = await kaltura.create_session("avatar-1")
    yield Live(kaltura_server, kaltura, session.session_id, await kaltura.init_client(session))


async def test_frames_and_sound_arrive_and_stop_deletes_the_viewer(live: Live) -> None:
    sink = Sink()
    receiver = sink.receiver(live.init)

    await receiver.start()
    await wait_until(lambda: len(sink.numbers) >= 15 and len(sink.audio) >= 15)

    assert receiver.state is MediaState.CONNECTED
    assert sink.sizes == {(320, 240)}
    assert sink.numbers == sorted(sink.numbers) and len(set(sink.numbers)) == len(sink.numbers)
    assert sink.numbers[-1] > sink.numbers[0]  # the picture changes: the counter runs
    assert {f.sample_rate for f in sink.audio} == {48000}
    fake = live.server.sessions[live.session_id]
    assert fake.viewer is not None
    assert live.server.whep_content_types == ["application/sdp"]
    video, audio = (section for section in live.server.whep_offers[0].split("m=")[1:])
    assert video.startswith("video") and "H264/90000" in video and "VP8" not in video
    assert "a=recvonly" in video and "a=recvonly" in audio
    assert "opus/48000" in audio.lower() and "PCMU" not in audio

    await receiver.stop()

    assert fake.viewer is None and fake.viewers_deleted == 1
    assert sink.states == [MediaState.CONNECTING, MediaState.CONNECTED, MediaState.CLOSED]
    stats = receiver.stats
    assert stats.video_received == stats.video_delivered + stats.video_dropped
    assert (stats.width, stats.height) == (320, 240)


async def test_a_second_viewer_gets_409_until_the_first_leaves(live: Live) -> None:
    first, second = Sink(), Sink()
    one = first.receiver(live.init)
    await one.start()
    two = second.receiver(live.init)

    with pytest.raises(WhepConflict) as info:
        await two.start()

    assert info.value.status == 409
    assert "already has a viewer" in str(info.value)
    assert two.state is MediaState.FAILED and two.error is info.value
    await two.stop()
    await one.stop()
    three = Sink().receiver(live.init)
    await three.start()
    assert three.state is MediaState.CONNECTED
    await three.stop()


async def test_an_ended_session_has_no_stream(live: Live) -> None:
    await live.client.end_session(live.client.live_sessions[0])
    receiver = Sink().receiver(live.init)
    with pytest.raises(WhepNotFound) as info:
        await receiver.start()
    assert "no active session" in str(info.value)
    await receiver.stop()


@pytest.mark.parametrize(
    ("status", "expected"), [(415, WhepUnsupportedMediaType), (500, WhepRejected)]
)
async def test_whep_statuses_map_to_errors(
    live: Live, status: int, expected: type[WhepError]
) -> None:
    live.server.fail("whep", status, times=1)
    receiver = Sink().receiver(live.init)
    with pytest.raises(expected):
        await receiver.start()
    assert receiver.state is MediaState.FAILED
    await receiver.stop()


async def test_the_fake_refuses_a_wrong_content_type(live: Live) -> None:
    async with httpx.AsyncClient() as http:
        response = await http.post(live.init.whep_url, content=b"v=0\r\n",
                                   headers={"Content-Type": "text/plain"})
    assert response.status_code == 415


async def test_ending_the_session_ends_the_media(live: Live) -> None:
    sink = Sink()
    receiver = sink.receiver(live.init, reconnect_delay=0.05)
    await receiver.start()
    await wait_until(lambda: len(sink.numbers) >= 3)

    await live.client.end_session(live.client.live_sessions[0])

    await wait_until(lambda: receiver.state is MediaState.FAILED)
    assert MediaState.RECONNECTING in sink.states
    assert isinstance(receiver.error, WhepNotFound)
    await receiver.stop()


async def test_a_lost_connection_reconnects_and_media_resumes(live: Live) -> None:
    sink = Sink()
    receiver = sink.receiver(live.init, reconnect_delay=0.05)
    await receiver.start()
    await wait_until(lambda: len(sink.numbers) >= 3)

    assert await live.server.drop_viewers() == 1
    await wait_until(lambda: receiver.stats.reconnects == 1)
    count = len(sink.numbers)
    await wait_until(lambda: len(sink.numbers) >= count + 3)

    assert sink.states == [MediaState.CONNECTING, MediaState.CONNECTED,
                           MediaState.RECONNECTING, MediaState.CONNECTED]
    assert live.server.sessions[live.session_id].viewers_created == 2
    await receiver.stop()
    assert live.server.sessions[live.session_id].viewer is None


async def test_a_square_stream_arrives_at_its_own_size(
    kaltura: KalturaClient, kaltura_server: FakeKalturaServer
) -> None:
    kaltura_server.width = kaltura_server.height = 512  # the real server has sent 512x512
    init = await kaltura.init_client(await kaltura.create_session("avatar-1"))
    sink = Sink()
    receiver = sink.receiver(init)
    await receiver.start()
    await wait_until(lambda: len(sink.numbers) >= 3)
    await receiver.stop()

    assert sink.sizes == {(512, 512)}
    assert (receiver.stats.width, receiver.stats.height) == (512, 512)
    assert receiver.stats.last_video_at > 0


async def test_said_text_makes_the_avatar_speak_until_interrupted(live: Live) -> None:
    speaking: list[bool] = []
    tones: list[float] = []
    receiver = WhepReceiver(
        live.init.whep_url, None, on_video=lambda f: speaking.append(read_speaking(f)),
        on_audio=lambda f: tones.append(read_tone_hz(f)), on_state=lambda s: None,
    )
    await receiver.start()
    await wait_until(lambda: len(speaking) >= 5 and len(tones) >= 10)
    assert not any(speaking)
    assert 400 < tones[-1] < 480  # idle tone, 440 Hz

    session = live.client.live_sessions[0]
    await live.client.say_text(session, "A long line for the avatar to say. " * 10)
    await wait_until(lambda: speaking[-1] and 620 < tones[-1] < 700)

    await live.client.interrupt(session)
    await wait_until(lambda: not speaking[-1] and 400 < tones[-1] < 480)
    await receiver.stop()

    assert live.server.sessions[live.session_id].speech.interrupts == 1


async def test_the_threaded_receiver_keeps_media_off_the_calling_loop(live: Live) -> None:
    sink = Sink()
    threads: set[str] = set()

    def video(frame: av.VideoFrame) -> None:
        threads.add(threading.current_thread().name)
        sink.video(frame)

    receiver = WhepThread(live.init.whep_url, None, on_video=video,
                          on_audio=sink.audio.append, on_state=sink.states.append)
    initial = receiver.state  # a local: a narrowed receiver.state would outlive start()
    assert initial is MediaState.IDLE
    await receiver.start()
    await wait_until(lambda: len(sink.numbers) >= 10 and len(sink.audio) >= 10)

    assert threads == {"whep-media"}
    assert receiver.state is MediaState.CONNECTED and receiver.stats.video_delivered >= 10
    await receiver.stop()
    await receiver.stop()

    assert not receiver.thread.is_alive()
    assert sink.states[-1] is MediaState.CLOSED
    assert live.server.sessions[live.session_id].viewers_deleted == 1


async def test_the_threaded_receiver_reports_a_failure_and_still_stops(live: Live) -> None:
    live.server.fail("whep", 404)
    receiver = WhepThread(live.init.whep_url, None, on_video=lambda f: None,
                          on_audio=lambda f: None, on_state=lambda s: None)
    with pytest.raises(WhepNotFound):
        await receiver.start()
    assert receiver.state is MediaState.FAILED and isinstance(receiver.error, WhepNotFound)
    await receiver.stop()
    assert not receiver.thread.is_alive()


async def test_a_failed_delete_is_retried_before_the_next_offer(live: Live) -> None:
    sink = Sink()
    receiver = sink.receiver(live.init, reconnect_delay=0.05)
    await receiver.start()
    await wait_until(lambda: len(sink.numbers) >= 3)
    live.server.fail("whep-delete", 503, times=1)

    # The media breaks but the server still counts the viewer; the first DELETE fails.
    assert await live.server.drop_viewers(keep_resources=True) == 1
    await wait_until(lambda: receiver.stats.reconnects == 1)

    assert live.server.hits["whep-delete"] == 2  # failed once, retried before the new POST
    assert live.server.sessions[live.session_id].viewers_created == 2
    assert receiver.state is MediaState.CONNECTED
    await receiver.stop()


async def test_an_answer_without_video_fails_instead_of_showing_connected(live: Live) -> None:
    live.server.video_inactive = True
    receiver = Sink().receiver(live.init)

    with pytest.raises(WhepProtocolError) as info:
        await receiver.start()

    assert "sends no video" in str(info.value)
    assert receiver.state is MediaState.FAILED
    fake = live.server.sessions[live.session_id]
    assert fake.viewer is None and fake.viewers_deleted == 1  # released again
    await receiver.stop()

