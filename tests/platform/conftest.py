"""Fixtures for the platform tests: a private Xvfb server and X helpers (xdotool, grabs)."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import qasync
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from animaze_panel.animaze.loop_thread import IoThread
from animaze_panel.hotkeys.keys import KeyCombo, Modifier
from animaze_panel.platform.base import HotkeyBackend
from animaze_panel.platform.x11 import KEYSYM_NAMES

from .. import xserver

ROOT = Path(__file__).resolve().parents[2]


def pytest_asyncio_loop_factories(
    config: pytest.Config, item: pytest.Item
) -> dict[str, Callable[[], asyncio.AbstractEventLoop]]:
    """Async tests here run on a qasync loop: backends deliver events through Qt."""

    def factory() -> asyncio.AbstractEventLoop:
        app = QApplication.instance() or QApplication([])
        QApplication.setQuitOnLastWindowClosed(False)
        loop: asyncio.AbstractEventLoop = qasync.QEventLoop(app)  # qasync: untyped
        return loop

    return {"qasync": factory}


@pytest.fixture
def xvfb() -> Iterator[str]:
    """A private ``Xvfb :N -screen 0 1280x800x24``; yields its DISPLAY (skips without Xvfb)."""
    if shutil.which("xdotool") is None:
        pytest.skip("Xvfb and xdotool are needed (.ci/run installs them)")
    try:
        with xserver.xvfb(1280, 800, first=121, last=160) as display:
            yield display
    except xserver.XvfbUnavailable as exc:
        pytest.skip(str(exc))


xdotool = xserver.xdotool


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


def x_combo_taken(display: str, combo: KeyCombo) -> bool:
    """Whether another X client grabs ``combo`` (our own XGrabKey on it gets BadAccess)."""
    from Xlib import X

    masks = {Modifier.CTRL: X.ControlMask, Modifier.SHIFT: X.ShiftMask, Modifier.ALT: X.Mod1Mask,
             Modifier.META: X.Mod4Mask}
    mods = 0
    for modifier in combo.modifiers:
        mods |= masks[modifier]
    return xserver.grabbed_elsewhere(display, KEYSYM_NAMES[combo.key], mods)


class PanelProcess:
    """The real panel (``python -m animaze_panel``) in a subprocess on a private X display.

    Its config/cache/data folders are under ``home`` (so ``hotkeys.toml`` is
    ``home/config/animaze-panel/hotkeys.toml``); its log (stderr) goes to ``home/panel.log``.
    """

    def __init__(self, home: Path, display: str, url: str) -> None:
        self.home = home
        self.display = display
        self.url = url
        self.log_path = home / "panel.log"
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def profile_path(self) -> Path:
        return self.home / "config" / "animaze-panel" / "hotkeys.toml"

    def start(self) -> None:
        env = {k: v for k, v in os.environ.items() if k != "ANIMAZE_PANEL_HOTKEYS"}
        env.update(DISPLAY=self.display, QT_QPA_PLATFORM="xcb",
                   XDG_CONFIG_HOME=str(self.home / "config"),
                   XDG_CACHE_HOME=str(self.home / "cache"),
                   XDG_DATA_HOME=str(self.home / "data"), XDG_RUNTIME_DIR=str(self.home / "run"))
        (self.home / "run").mkdir(mode=0o700, exist_ok=True)
        with self.log_path.open("wb") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "animaze_panel", "--url", self.url,
                 "--settings", str(self.home / "settings.ini")],
                env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
            )

    def log(self) -> str:
        return self.log_path.read_text("utf-8", "replace") if self.log_path.exists() else ""

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self) -> int | None:
        """Ctrl+C (the panel closes cleanly), then kill if it hangs; returns the exit status."""
        proc, self.proc = self.proc, None
        if proc is None:
            return None
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)
        return proc.returncode


@pytest.fixture
def panel_home(tmp_path: Path) -> Path:
    """An empty home for a panel subprocess (see :class:`PanelProcess`)."""
    (tmp_path / "config" / "animaze-panel").mkdir(parents=True)
    return tmp_path


class Recorder:
    """A backend's route on an I/O thread's loop (as in the app), recording what reaches it.

    ``events`` holds ``("press" | "release", combo)`` in arrival order; :meth:`wait` pumps Qt
    (backends read or poll through it) until that many events arrived.
    """

    def __init__(self) -> None:
        self.io = IoThread("test-lane").start()
        self.events: list[tuple[str, KeyCombo]] = []

    def attach(self, backend: HotkeyBackend) -> None:
        backend.route_to(self.io.loop, lambda c: self.events.append(("press", c)),
                         lambda c: self.events.append(("release", c)))

    def of(self, kind: str) -> list[KeyCombo]:
        return [combo for k, combo in self.events if k == kind]

    def wait(self, qtbot: QtBot, count: int, timeout: int = 5000) -> None:
        qtbot.waitUntil(lambda: len(self.events) >= count, timeout=timeout)

    def sentinel(self, qtbot: QtBot) -> None:
        """Return once everything the backend handed to the loop so far has been recorded."""
        done: list[bool] = []
        self.io.loop.call_soon_threadsafe(done.append, True)
        qtbot.waitUntil(lambda: bool(done), timeout=5000)


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    """A :class:`Recorder`; its thread is stopped after the test."""
    rec = Recorder()
    yield rec
    rec.io.stop()
