"""Real window under Xvfb (xcb): ``--demo`` saves PNGs of the whole window to build/screenshots/.

Starts its own ``Xvfb :N -screen 0 1600x1000x24`` and runs the panel as a process with the
hidden ``--screenshot DIR`` flag, which waits until the docks are populated and the visible
gallery icons are shown, then saves the window in the dark and the light theme (and with the
Kinetix dock raised). The PNGs must be the window's full size and not blank.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from .. import xserver

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "build" / "screenshots"
WIDTH, HEIGHT = 1600, 1000

pytestmark = pytest.mark.xvfb


@pytest.fixture
def xvfb() -> Iterator[str]:
    """A private X server of the window's size; yields its DISPLAY (skips without Xvfb)."""
    try:
        with xserver.xvfb(WIDTH, HEIGHT, first=91, last=120) as display:
            yield display
    except xserver.XvfbUnavailable as exc:
        pytest.skip(str(exc))


def _variance(image: QImage, step: int = 8) -> float:
    values = [
        image.pixelColor(x, y).lightness()
        for y in range(0, image.height(), step)
        for x in range(0, image.width(), step)
    ]
    mean = sum(values) / len(values)
    return sum((v - mean) ** 2 for v in values) / len(values)


def _mean(image: QImage, step: int = 8) -> float:
    values = [
        image.pixelColor(x, y).lightness()
        for y in range(0, image.height(), step)
        for x in range(0, image.width(), step)
    ]
    return sum(values) / len(values)


def test_demo_window_screenshots(xvfb: str, tmp_path: Path, qapp: object) -> None:
    if SHOTS.exists():
        for old in SHOTS.glob("panel-*.png"):
            old.unlink()
    env = dict(os.environ, DISPLAY=xvfb, QT_QPA_PLATFORM="xcb")
    result = subprocess.run(
        [sys.executable, "-m", "animaze_panel", "--demo", "--screenshot", str(SHOTS),
         "--settings", str(tmp_path / "settings.ini")],
        capture_output=True, text=True, timeout=90, env=env, cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    files = {p.name: p for p in SHOTS.glob("panel-*.png")}
    assert {"panel-dark.png", "panel-light.png", "panel-hotkeys-light.png"} <= set(files)
    images = {name: QImage(str(path)) for name, path in files.items()}
    for name, image in images.items():
        assert not image.isNull(), name
        assert (image.width(), image.height()) == (WIDTH, HEIGHT), name
        assert _variance(image) > 200, f"{name} looks blank"
    assert _mean(images["panel-light.png"]) > _mean(images["panel-dark.png"]) + 40
