"""Real window under Xvfb (xcb): ``--demo --screenshot DIR`` saves every side page, checked.

Starts its own ``Xvfb :N -screen 0 1920x1080x24`` and runs the panel as a process with the
hidden ``--screenshot DIR`` flag (what ``scripts/screenshots`` runs for the README), which waits
until the docks are populated and the visible icons are shown, then saves each page at 1280x720
and 1920x1080 in the dark theme (and the Animaze page in the light theme). The PNGs must be of
exactly that size (the window never grows, whichever page is shown) and not blank, and no page
may need a scroll bar or clip a button at either size (``layout-problems.txt``, see
ui/screenshots.py).
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
WIDTH, HEIGHT = 1920, 1080
SIZES = ((1280, 720), (1920, 1080))

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


def test_no_page_grows_the_window_or_needs_a_scroll_bar(xvfb: str, tmp_path: Path) -> None:
    if SHOTS.exists():
        for old in SHOTS.glob("*.png"):
            old.unlink()
    env = dict(os.environ, DISPLAY=xvfb, QT_QPA_PLATFORM="xcb")
    result = subprocess.run(
        [sys.executable, "-m", "animaze_panel", "--demo", "--screenshot", str(SHOTS),
         "--settings", str(tmp_path / "settings.ini")],
        capture_output=True, text=True, timeout=120, env=env, cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    files = {p.name: p for p in SHOTS.glob("*.png")}
    pages = {name.split("-")[0] for name in files}
    assert {"animaze", "kinetix"} <= pages
    oversize: list[str] = []
    for page in pages:
        for width, height in SIZES:
            name = f"{page}-{width}x{height}.png"
            assert name in files, name
            image = QImage(str(files[name]))
            if (image.width(), image.height()) != (width, height):
                oversize.append(f"{name}: {image.width()}x{image.height()}")
            assert _variance(image) > 20, f"{name} looks blank"  # a blank window: ~0
    dark = QImage(str(files["animaze-1280x720.png"]))
    light = QImage(str(files["animaze-1280x720-light.png"]))
    assert _mean(light) > _mean(dark) + 40  # the dark theme really is dark
    # Any growth on any page (or a page, shown or hidden, that needs more than the window
    # leaves it), scroll bar or clipped button at either size is a problem.
    problems = (SHOTS / "layout-problems.txt").read_text(encoding="utf-8").splitlines()
    assert problems == []
    assert oversize == []
