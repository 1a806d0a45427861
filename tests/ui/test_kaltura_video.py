"""VideoSurface / VideoView / VideoWindow: frames in on any thread, newest picture painted."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import av
import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from animaze_panel.ui.kaltura import decoder_check
from animaze_panel.ui.kaltura.decoder_check import DecoderCheckFailed, decode_test_frame
from animaze_panel.ui.widgets.video_surface import VideoSurface, fit_size
from animaze_panel.ui.widgets.video_view import VideoView
from animaze_panel.ui.widgets.video_window import VideoWindow

from .conftest import QT_OFFSCREEN_NOISE


def solid(width: int, height: int, rgb: tuple[int, int, int]) -> av.VideoFrame:
    """A yuv420p frame of one colour (as a decoder would hand it over)."""
    frame = av.VideoFrame(width, height, "rgb24")
    plane = frame.planes[0]
    row = bytes(rgb) * width + bytes(plane.line_size - 3 * width)
    plane.update(row * height)
    return frame.reformat(format="yuv420p")


def near(colour: QColor, rgb: tuple[int, int, int], tolerance: int = 12) -> bool:
    return all(abs(a - b) <= tolerance for a, b in
               zip((colour.red(), colour.green(), colour.blue()), rgb, strict=True))


@pytest.fixture
def surface() -> Iterator[VideoSurface]:
    s = VideoSurface()
    yield s
    s.close()


def test_fit_size_keeps_aspect() -> None:
    assert fit_size(QSize(1280, 720), QSize(640, 640)) == QSize(640, 360)
    assert fit_size(QSize(512, 512), QSize(1280, 720)) == QSize(720, 720)
    assert fit_size(QSize(512, 512), QSize(0, 10)).isEmpty()


def test_view_paints_newest_frame_scaled_with_bars(qtbot: QtBot, surface: VideoSurface) -> None:
    view = VideoView(surface, placeholder="Waiting")
    qtbot.addWidget(view)
    view.resize(400, 200)
    view.show()
    qtbot.waitExposed(view)
    surface.push(solid(512, 512, (200, 30, 30)))  # square into a wide view: bars left/right
    qtbot.waitUntil(lambda: view.frames_painted >= 1, timeout=5000)
    grab = view.grab().toImage()
    assert near(grab.pixelColor(200, 100), (200, 30, 30))
    assert near(grab.pixelColor(10, 100), (0, 0, 0))
    image = surface.image()
    assert image is not None and image.size() == QSize(200, 200)  # converted at view size
    surface.push(solid(512, 512, (30, 200, 30)))
    qtbot.waitUntil(lambda: near(view.grab().toImage().pixelColor(200, 100), (30, 200, 30)),
                    timeout=5000)
    assert surface.source_size == QSize(512, 512)


def test_frames_from_another_thread_only_newest_kept(qtbot: QtBot,
                                                     surface: VideoSurface) -> None:
    view = VideoView(surface)
    qtbot.addWidget(view)
    view.resize(320, 180)
    view.show()
    qtbot.waitExposed(view)
    frames = [solid(1280, 720, (i * 8 % 256, 100, 50)) for i in range(30)]
    last = solid(1280, 720, (10, 20, 240))

    def producer() -> None:
        for frame in frames:
            surface.push(frame)
        surface.push(last)

    thread = threading.Thread(target=producer)
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: near(view.grab().toImage().pixelColor(160, 90), (10, 20, 240)),
                    timeout=5000)
    stats = surface.stats
    assert stats.received == 31
    assert stats.converted + stats.dropped == 31
    assert stats.failed == 0


def test_clear_shows_placeholder(qtbot: QtBot, surface: VideoSurface) -> None:
    view = VideoView(surface, placeholder="Session ended")
    qtbot.addWidget(view)
    view.resize(320, 180)
    view.show()
    surface.push(solid(64, 64, (250, 250, 250)))
    qtbot.waitUntil(lambda: surface.image() is not None, timeout=5000)
    surface.clear()
    assert surface.image() is None
    qtbot.waitUntil(lambda: near(view.grab().toImage().pixelColor(5, 5), (0, 0, 0)),
                    timeout=5000)
    assert not near(view.grab().toImage().pixelColor(160, 90), (250, 250, 250))


@pytest.mark.qt_log_ignore(QT_OFFSCREEN_NOISE)
def test_window_fixed_size_and_title(qtbot: QtBot, surface: VideoSurface) -> None:
    window = VideoWindow(surface, "Animaze Panel - Kaltura avatar", QSize(512, 512),
                         object_name="kalturaVideoWindow")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.windowTitle() == "Animaze Panel - Kaltura avatar"
    assert window.size() == QSize(512, 512)
    assert window.minimumSize() == window.maximumSize()
    surface.push(solid(1280, 720, (255, 200, 0)))  # wide into square: bars top/bottom
    qtbot.waitUntil(lambda: window.view.frames_painted >= 1, timeout=5000)
    grab: QImage = window.grab().toImage()
    assert near(grab.pixelColor(256, 256), (255, 200, 0))
    assert near(grab.pixelColor(256, 20), (0, 0, 0))
    window.set_capture_size(QSize(720, 720))
    assert window.size() == QSize(720, 720)
    with qtbot.waitSignal(window.closed, timeout=2000):
        window.close()


def test_h264_test_frame_decodes_to_its_picture() -> None:
    assert decode_test_frame() == (64, 64)


def test_h264_check_fails_on_a_broken_stream(monkeypatch: pytest.MonkeyPatch) -> None:
    # Only the parameter sets, no picture: the decoder yields nothing.
    monkeypatch.setattr(decoder_check, "TEST_FRAME", decoder_check.TEST_FRAME[:40])
    with pytest.raises(DecoderCheckFailed):
        decode_test_frame()
