"""Fixtures and helpers of the Kinetix tab tests (import the fixtures into the test module).

* :func:`write_mjpeg_avi` writes a real, tiny MJPEG AVI (Qt encodes the JPEG frames) so
  QtMultimedia can read a true duration without an ffmpeg binary on the machine;
* ``kinetix_server``: the fake Kinetix server in its own thread, on a manual clock;
* ``memory_keyring``: an in-memory keyring backend for the test;
* :func:`open_tab`: a :class:`KinetixTab` against the fake server, closed on exit;
* :func:`phone_upload`: what a player's phone does with a QR code's token (its own client).
"""

from __future__ import annotations

import os
import struct
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import keyring
import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QColor, QImage

from animaze_panel.cloud._http import RetryPolicy
from animaze_panel.cloud.kinetix import KinetixClient, KinetixConfig
from animaze_panel.cloud.kinetix_models import EmoteSubmission, ProcessToken
from animaze_panel.fakes.kinetix_server import FakeKinetixThread, ManualClock
from animaze_panel.secrets import Secret, SecretStore
from animaze_panel.ui.kinetix import video
from animaze_panel.ui.kinetix.settings import KinetixSettings
from animaze_panel.ui.kinetix.tab import KinetixTab
from tests.cloud import memory_keyring as memory_keyring_module

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

API_KEY = "ui-test-key-42"
needs_media = pytest.mark.skipif(
    video.MEDIA_ERROR is not None,
    reason=f"QtMultimedia cannot load here ({video.MEDIA_ERROR}); install libpulse0",
)
"""For tests about the video preview itself; the rest of the page works without it."""
QT_MULTIMEDIA_NOISE = (
    r"Couldn't (load|resolve) .*",  # optional VA-API/PipeWire libraries of the ffmpeg backend
    r".*No RHI backend.*",
    r"No HW decoder found",
    r"Could not open media.*",  # deliberately unreadable test videos
    r"This plugin does not support propagateSizeHints\(\)",  # offscreen platform
)


def _chunk(fourcc: bytes, data: bytes) -> bytes:
    return fourcc + struct.pack("<I", len(data)) + data + (b"\0" if len(data) % 2 else b"")


def write_mjpeg_avi(path: Path, seconds: float = 2.0, fps: int = 10) -> Path:
    """Write a ``seconds``-long 64x48 MJPEG AVI to ``path`` (needs a QGuiApplication)."""
    width, height, count = 64, 48, int(seconds * fps)
    frames = []
    for index in range(count):
        image = QImage(width, height, QImage.Format.Format_RGB32)
        image.fill(QColor(index * 12 % 256, 90, 200))
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        # PySide6's stub types the format as bytes, but the binding accepts only str here.
        image.save(buffer, "JPG")  # type: ignore[call-overload]
        buffer.close()
        frames.append(bytes(data.data()))
    biggest = max(len(f) for f in frames)
    avih = struct.pack("<14I", 1_000_000 // fps, biggest * fps, 0, 0x10, count, 0, 1, biggest,
                       width, height, 0, 0, 0, 0)
    strh = b"vidsMJPG" + struct.pack("<IHHIIIIIIIIhhhh", 0, 0, 0, 0, 1, fps, 0, count, biggest,
                                     0xFFFFFFFF, 0, 0, 0, width, height)
    strf = struct.pack("<IiiHH4sIiiII", 40, width, height, 1, 24, b"MJPG", width * height * 3,
                       0, 0, 0, 0)
    strl = _chunk(b"LIST", b"strl" + _chunk(b"strh", strh) + _chunk(b"strf", strf))
    hdrl = _chunk(b"LIST", b"hdrl" + _chunk(b"avih", avih) + strl)
    movi = b""
    index_entries = b""
    for frame in frames:
        index_entries += b"00dc" + struct.pack("<III", 0x10, 4 + len(movi), len(frame))
        movi += _chunk(b"00dc", frame)
    body = b"AVI " + hdrl + _chunk(b"LIST", b"movi" + movi) + _chunk(b"idx1", index_entries)
    path.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)
    return path


class KinetixServerThread(FakeKinetixThread):
    """The fake server thread plus its manual clock and base URL."""

    clock: ManualClock
    base_url: str


@pytest.fixture
def kinetix_server() -> Iterator[KinetixServerThread]:
    clock = ManualClock()
    thread = KinetixServerThread(api_key=API_KEY, clock=clock, step_seconds=1.0, hang_seconds=5)
    thread.clock = clock
    thread.server.retry_after = "0"
    thread.base_url = thread.start()
    try:
        yield thread
    finally:
        thread.stop()


@pytest.fixture
def memory_keyring() -> Iterator[memory_keyring_module.MemoryKeyring]:
    backend, previous = memory_keyring_module.install()
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def avi_video(qapp: object, tmp_path: Path) -> Path:
    return write_mjpeg_avi(tmp_path / "wave.avi")


@asynccontextmanager
async def open_tab(base_url: str, settings_path: Path) -> AsyncIterator[KinetixTab]:
    """A started :class:`KinetixTab` against ``base_url``; closed (client too) on exit."""
    config = KinetixConfig(base_url=base_url, timeout=2.0,
                           retry=RetryPolicy(attempts=2, base_delay=0.01, max_delay=0.05))
    tab = KinetixTab(config, SecretStore("animaze-panel-test"),
                     KinetixSettings.at_path(settings_path), poll_interval=0.02)
    tab.resize(1200, 800)
    tab.start()
    try:
        yield tab
    finally:
        await tab.aclose()
        tab.close()
        tab.deleteLater()


async def phone_upload(server: KinetixServerThread, token: ProcessToken, video: Path,
                       name: str) -> None:
    """Upload ``video`` with ``token`` from another client, as the recording phone would."""
    async with KinetixClient(KinetixConfig(base_url=server.base_url),
                             api_key=Secret(API_KEY)) as phone:
        await phone.create_process(token, EmoteSubmission(video, name, False, 0, 1000))
