"""A private X server for real-window tests and benchmarks: Xvfb, xdotool and grab checks.

Shared by tests/platform (global hotkeys), tests/ui/test_screenshots.py and
bench/hotkey_latency.py. Nothing here imports Qt.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class XvfbUnavailable(RuntimeError):
    """Xvfb is not installed or no display number is free (tests skip on this)."""


def free_display(first: int, last: int) -> int:
    """The first X display number in ``first..last`` with no socket and no lock file.

    Raises:
        XvfbUnavailable: All are taken.
    """
    for number in range(first, last + 1):
        if not Path(f"/tmp/.X11-unix/X{number}").exists() and not Path(
            f"/tmp/.X{number}-lock"
        ).exists():
            return number
    raise XvfbUnavailable(f"no free X display number in :{first}..:{last}")


@contextmanager
def xvfb(width: int, height: int, *, first: int = 91, last: int = 199) -> Iterator[str]:
    """Run ``Xvfb :N -screen 0 WIDTHxHEIGHTx24`` for the duration; yields its DISPLAY.

    Raises:
        XvfbUnavailable: Xvfb is not installed or no display number is free.
        RuntimeError: Xvfb did not come up within 10 s.
    """
    binary = shutil.which("Xvfb")
    if binary is None:
        raise XvfbUnavailable("Xvfb is not installed (.ci/run installs it)")
    number = free_display(first, last)
    proc = subprocess.Popen(
        [binary, f":{number}", "-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    socket = Path(f"/tmp/.X11-unix/X{number}")
    deadline = time.monotonic() + 10
    try:
        while not socket.exists():  # Xvfb creates its socket once it accepts clients
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"Xvfb :{number} did not start (status {proc.poll()})")
            time.sleep(0.02)
        yield f":{number}"
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


def xdotool(display: str, *args: str) -> str:
    """Run xdotool on ``display``; returns its stdout."""
    result = subprocess.run(
        ["xdotool", *args], env=dict(os.environ, DISPLAY=display), capture_output=True,
        text=True, timeout=20, check=True,
    )
    return result.stdout.strip()


def grabbed_elsewhere(display: str, keysym: str, mods: int) -> bool:
    """Whether another X client grabs ``keysym`` with ``mods`` (our XGrabKey gets BadAccess).

    Args:
        display: The X display.
        keysym: An X keysym name, e.g. ``"F1"``.
        mods: X modifier mask, e.g. ``X.ControlMask | X.ShiftMask``.
    """
    from Xlib import XK, X, error
    from Xlib import display as xdisplay

    conn = xdisplay.Display(display)
    try:
        code = conn.keysym_to_keycode(XK.string_to_keysym(keysym))
        catcher = error.CatchError(error.BadAccess)
        root = conn.screen().root
        root.grab_key(code, mods, True, X.GrabModeAsync, X.GrabModeAsync, onerror=catcher)
        conn.sync()
        if catcher.get_error() is not None:
            return True
        root.ungrab_key(code, mods)
        conn.sync()
        return False
    finally:
        conn.close()
