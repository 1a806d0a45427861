"""Fixtures for the platform tests: a private Xvfb server and X helpers (xdotool, grabs)."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import qasync
from PySide6.QtWidgets import QApplication


def pytest_asyncio_loop_factories(config: pytest.Config, item: pytest.Item) -> dict[str, Any]:
    """Async tests here run on a qasync loop: backends deliver events through Qt."""

    def factory() -> asyncio.AbstractEventLoop:
        app = QApplication.instance() or QApplication([])
        QApplication.setQuitOnLastWindowClosed(False)
        return qasync.QEventLoop(app)

    return {"qasync": factory}


def _free_display() -> int | None:
    for number in range(121, 160):
        if not Path(f"/tmp/.X11-unix/X{number}").exists() and not Path(
            f"/tmp/.X{number}-lock"
        ).exists():
            return number
    return None


@pytest.fixture
def xvfb() -> Iterator[str]:
    """A private ``Xvfb :N -screen 0 1280x800x24``; yields its DISPLAY (skips without Xvfb)."""
    binary = shutil.which("Xvfb")
    if binary is None or shutil.which("xdotool") is None:
        pytest.skip("Xvfb and xdotool are needed (.ci/run installs them)")
    number = _free_display()
    if number is None:
        pytest.skip("no free X display number")
    proc = subprocess.Popen(
        [binary, f":{number}", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    socket = Path(f"/tmp/.X11-unix/X{number}")
    deadline = time.monotonic() + 10
    while not socket.exists():  # Xvfb creates its socket once it accepts clients
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            proc.wait(10)
            pytest.fail(f"Xvfb :{number} did not start (exit status {proc.returncode})")
        time.sleep(0.02)
    try:
        yield f":{number}"
    finally:
        proc.terminate()
        proc.wait(10)


def xdotool(display: str, *args: str) -> str:
    """Run xdotool on ``display``; returns its stdout."""
    result = subprocess.run(
        ["xdotool", *args], env=dict(os.environ, DISPLAY=display), capture_output=True,
        text=True, timeout=20, check=True,
    )
    return result.stdout.strip()


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll ``condition`` (a cross-process state: X grabs, sockets) until true.

    Raises:
        AssertionError: Still false after ``timeout`` seconds.
    """
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.02)


@pytest.fixture
def focused_window(xvfb: str) -> Iterator[str]:
    """Another X client's window (xmessage) holding the keyboard focus; yields its id."""
    if shutil.which("xmessage") is None:
        pytest.skip("xmessage (x11-utils) is needed")
    title = f"not-the-panel-{os.getpid()}"
    proc = subprocess.Popen(
        ["xmessage", "-title", title, "-name", title, "a game has the focus"],
        env=dict(os.environ, DISPLAY=xvfb), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        window = xdotool(xvfb, "search", "--sync", "--name", title).splitlines()[0]
        xdotool(xvfb, "windowfocus", "--sync", window)
        assert xdotool(xvfb, "getwindowfocus") == window
        yield window
    finally:
        proc.terminate()
        proc.wait(10)
