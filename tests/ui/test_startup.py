"""Start-up: no display explained in one line, one panel per settings file, Help > About."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QDir

from animaze_panel.__main__ import EXIT_NO_DISPLAY, display_problem
from animaze_panel.ui.main_window import MainWindow
from animaze_panel.ui.single_instance import SingleInstance, server_name

from .conftest import QT_OFFSCREEN_NOISE, signal_future

pytestmark = pytest.mark.qt_log_ignore(QT_OFFSCREEN_NOISE)

ROOT = Path(__file__).resolve().parents[2]


def test_display_problem_on_linux(tmp_path: Path) -> None:
    linux = "linux"
    assert display_problem([], {}, linux) is not None
    assert display_problem(["--self-test"], {}, linux) is None
    assert display_problem([], {"QT_QPA_PLATFORM": "offscreen"}, linux) is None
    assert display_problem([], {"WAYLAND_DISPLAY": "wayland-0"}, linux) is None
    assert "WAYLAND_DISPLAY" in (display_problem([], {"QT_QPA_PLATFORM": "wayland"}, linux) or "")
    gone = display_problem([], {"DISPLAY": ":4242"}, linux)
    assert gone is not None and "X4242" in gone
    assert display_problem([], {"DISPLAY": "remote:0"}, linux) is None  # cannot tell: Qt tries
    assert display_problem([], {}, "win32") is None


def test_no_display_is_one_line_and_an_exit_code() -> None:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run(
        [sys.executable, "-m", "animaze_panel"], capture_output=True, text=True, timeout=60,
        env=env, cwd=ROOT,
    )
    assert result.returncode == EXIT_NO_DISPLAY
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "no display" in lines[0] and "core" not in lines[0]


@pytest.mark.asyncio
async def test_second_claim_raises_the_first(qapp: object, tmp_path: Path) -> None:
    settings = str(tmp_path / "a.ini")
    first = SingleInstance(settings)
    assert first.claim()
    raised = signal_future(first.raiseRequested)
    assert not SingleInstance(settings).claim()
    await asyncio.wait_for(raised, 5)
    other = SingleInstance(str(tmp_path / "b.ini"))  # other settings: a panel of its own
    assert other.claim()
    other.release()
    first.release()
    again = SingleInstance(settings)
    assert again.claim()  # released: the next start is the panel
    again.release()
    assert server_name(settings) != server_name(str(tmp_path / "b.ini"))


def test_second_start_brings_the_running_panel_forward(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    settings = str(tmp_path / "settings.ini")
    command = [sys.executable, "-m", "animaze_panel", "--settings", settings,
               "--url", "ws://127.0.0.1:9"]  # nothing listens there: the panel just waits
    first = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
    reader: threading.Thread | None = None
    try:
        # The first panel owns the settings once its socket exists (a Unix socket in /tmp).
        socket = Path(QDir.tempPath()) / server_name(settings)
        deadline = time.monotonic() + 60
        while not socket.exists():
            assert first.poll() is None, "the first panel exited"
            assert time.monotonic() < deadline, "the first panel never started"
            time.sleep(0.05)
        lines: list[str] = []
        assert first.stdout is not None
        reader = threading.Thread(target=lambda: lines.extend(first.stdout or ()), daemon=True)
        reader.start()
        second = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True,
                                timeout=60)
        assert second.returncode == 0 and "already running" in second.stdout
        # The first panel handles the request on its own loop: wait for its log line.
        deadline = time.monotonic() + 60
        while not any("bringing it to the front" in line for line in list(lines)):
            assert first.poll() is None, "the first panel exited"
            assert time.monotonic() < deadline, "".join(lines)[-3000:]
            time.sleep(0.05)
    finally:
        first.send_signal(signal.SIGINT)  # closes the window cleanly
        first.wait(timeout=30)
        if reader is not None:
            reader.join(30)  # EOF once the panel exited: nothing reads the pipe after this
        if first.stdout is not None:
            first.stdout.close()


@pytest.mark.asyncio
async def test_about_names_the_versions(main_window: MainWindow) -> None:
    import platform

    import PySide6
    from PySide6.QtCore import qVersion

    from animaze_panel import __version__

    main_window.about_action.trigger()
    box = main_window.about_box
    assert box is not None and box.isVisible()
    text = box.text()
    for part in (__version__, qVersion(), PySide6.__version__, platform.python_version()):
        assert part in text
    box.close()



def test_a_socket_left_by_a_crashed_panel_is_taken_over(qapp: object, tmp_path: Path) -> None:
    import socket as sockets

    settings = str(tmp_path / "crashed.ini")
    path = Path(QDir.tempPath()) / server_name(settings)
    stale = sockets.socket(sockets.AF_UNIX, sockets.SOCK_STREAM)
    stale.bind(str(path))  # bound, never listening: what a killed panel leaves behind
    stale.close()
    try:
        assert path.exists()
        instance = SingleInstance(settings)
        assert instance.claim()  # not "already running"
        assert not SingleInstance(settings).claim()  # and it really owns the name now
        instance.release()
    finally:
        path.unlink(missing_ok=True)
