"""PcmQueue bounds; AudioPlayer plays pushed frames through a real (null) PulseAudio sink."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from animaze_panel.ui.widgets.audio_player import MAX_DELAY_MS, AudioPlayer
from animaze_panel.ui.widgets.pcm_queue import PcmQueue

from .kaltura_support import shared_pulse, tone_frame

FRAME_MS = 20


def test_queue_drops_oldest_whole_frames() -> None:
    queue = PcmQueue(frame_bytes=4, target_bytes=8, max_bytes=16)
    queue.push(bytes(range(12)))
    assert len(queue) == 12 and queue.dropped_bytes == 0
    queue.push(bytes(range(12, 24)))  # 24 > 16: the oldest cut, 8 left
    assert queue.dropped_bytes == 16
    assert queue.pull(100) == bytes(range(16, 24))
    queue.push(bytes(range(8)))
    assert queue.pull(6) == bytes(range(4))  # never half a frame
    assert len(queue) == 4


def test_queue_drop_to_keeps_the_newest_whole_frames() -> None:
    queue = PcmQueue(frame_bytes=4, target_bytes=64, max_bytes=64)
    queue.push(bytes(range(16)))
    assert queue.drop_to(10) == 8  # 6 over the limit: two whole frames go
    assert queue.pull(100) == bytes(range(8, 16))
    assert queue.drop_to(100) == 0
    assert queue.dropped_bytes == 8


def test_queue_rejects_bad_sizes() -> None:
    with pytest.raises(ValueError):
        PcmQueue(4, 20, 10)


@pytest.fixture
def pulse() -> bool:
    return shared_pulse()


@pytest.fixture
def player(qtbot: QtBot, pulse: bool) -> Iterator[AudioPlayer]:
    p = AudioPlayer()
    if not p.available:
        pytest.skip("no audio output (install pulseaudio for the null sink)")
    yield p
    p.stop()


def _stream(player: AudioPlayer, frames: int, stop: threading.Event) -> threading.Thread:
    """Push 20 ms frames at real-time pace from another thread (as the receiver does)."""

    def run() -> None:
        start = time.monotonic()
        for i in range(frames):
            if stop.is_set():
                return
            player.push(tone_frame(i))
            delay = start + (i + 1) * 0.02 - time.monotonic()
            if delay > 0:
                time.sleep(delay)  # pacing a live stream, not waiting for a result

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_plays_live_stream_with_bounded_delay(qtbot: QtBot, player: AudioPlayer) -> None:
    player.start()
    player.set_perceived_volume(50)
    assert 0.0 < player.volume < 0.5
    player.set_muted(True)
    assert player.muted and player.volume > 0
    stop = threading.Event()
    thread = _stream(player, 1000, stop)  # until the sink has played 0.3 s (stopped below)
    qtbot.waitUntil(lambda: player.processed_ms > 300, timeout=10_000)  # it is heard
    # Whatever the machine's load did to the threads, the feeder holds no more than the
    # lip-sync budget once it has run (timing-free: checked after a feed, not at a moment).
    qtbot.waitUntil(lambda: player.delay_ms() <= MAX_DELAY_MS + FRAME_MS, timeout=5000)
    stop.set()
    thread.join()


def test_burst_is_cut_to_bounded_delay_and_gap_counts_underrun(
    qtbot: QtBot, player: AudioPlayer
) -> None:
    player.start()
    for i in range(50):  # one second arriving at once (a stalled network catching up)
        player.push(tone_frame(i))
    assert player.dropped_ms > 500
    qtbot.waitUntil(lambda: player.delay_ms() <= MAX_DELAY_MS + 1, timeout=5000)
    # Nothing more arrives: the sink plays what it has, then runs dry once.
    qtbot.waitUntil(lambda: player.underruns == 1, timeout=10_000)
    player.stop()
    assert not player.playing
