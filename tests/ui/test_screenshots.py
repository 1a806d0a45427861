"""Real window under Xvfb (xcb): ``--demo`` saves PNGs of the whole window to build/screenshots/.

Starts its own ``Xvfb :N -screen 0 1600x1000x24`` and runs the panel as a process with the
hidden ``--screenshot DIR`` flag, which waits until the docks are populated and the visible
gallery icons are shown, then saves the window in the dark and the light theme (and with the
Kinetix dock raised). The PNGs must be the window's full size and not blank.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "build" / "screenshots"
WIDTH, HEIGHT = 1600, 1000

pytestmark = pytest.mark.xvfb


@pytest.fixture
def xvfb() -> Iterator[str]:
    """A private X server; yields its DISPLAY (skips when Xvfb is not installed)."""
    binary = shutil.which("Xvfb")
    if binary is None:
        pytest.skip("Xvfb is not installed (.ci/run installs it)")
    for number in range(91, 120):
        if not Path(f"/tmp/.X11-unix/X{number}").exists() and not Path(
            f"/tmp/.X{number}-lock"
        ).exists():
            break
    else:
        pytest.skip("no free X display number")
    proc = subprocess.Popen(
        [binary, f":{number}", "-screen", "0", f"{WIDTH}x{HEIGHT}x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    socket = Path(f"/tmp/.X11-unix/X{number}")
    deadline = time.monotonic() + 10
    while not socket.exists():  # Xvfb creates its socket once it accepts clients
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            proc.wait(10)
            pytest.fail(f"Xvfb :{number} did not start (exit status {proc.returncode})")
        time.sleep(0.05)
    try:
        yield f":{number}"
    finally:
        proc.terminate()
        proc.wait(10)


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
