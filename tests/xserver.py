"""A private X server for real-window tests and benchmarks: Xvfb, xdotool and grab checks.

Shared by tests/platform (global hotkeys), tests/ui/test_screenshots.py and
bench/hotkey_latency.py. Nothing here imports Qt.
"""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager


class XvfbUnavailable(RuntimeError):
    """Xvfb is not installed or no display number is free (tests skip on this)."""


@contextmanager
def xvfb(width: int, height: int, *, first: int = 91, last: int = 199) -> Iterator[str]:
    """Run ``Xvfb -screen 0 WIDTHxHEIGHTx24`` for the duration; yields its DISPLAY.

    Xvfb picks a free display number itself (``-displayfd``) and tells it through a pipe:
    choosing one here by looking for lock files raced with other test runs on the machine,
    and a test could end up on another run's server and lose it when that run ended.
    ``first`` and ``last`` only name the range a caller expects; Xvfb searches on its own.

    Raises:
        XvfbUnavailable: Xvfb is not installed.
        RuntimeError: Xvfb did not come up within 10 s.
    """
    binary = shutil.which("Xvfb")
    if binary is None:
        raise XvfbUnavailable("Xvfb is not installed (.ci/run installs it)")
    read_end, write_end = os.pipe()
    proc = subprocess.Popen(
        # -noreset: by default Xvfb resets when its last client leaves, and a client that
        # connects during the reset (a grab check right after the panel closed) is cut off.
        [binary, "-displayfd", str(write_end), "-screen", "0", f"{width}x{height}x24",
         "-nolisten", "tcp", "-noreset"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, pass_fds=(write_end,),
    )
    os.close(write_end)
    try:
        number = _read_display(read_end, proc)
        yield f":{number}"
    finally:
        os.close(read_end)
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


def _read_display(fd: int, proc: subprocess.Popen[bytes], timeout: float = 10.0) -> int:
    """The display number Xvfb writes to ``fd`` once it accepts clients."""
    deadline = time.monotonic() + timeout
    text = b""
    while not text.endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0 or proc.poll() is not None:
            raise RuntimeError(f"Xvfb did not start (status {proc.poll()})")
        ready, _, _ = select.select([fd], [], [], min(left, 0.5))
        if ready:
            chunk = os.read(fd, 64)
            if not chunk:  # Xvfb closed the pipe without a number: it is exiting
                raise RuntimeError(f"Xvfb did not start (status {proc.wait(10)})")
            text += chunk
    return int(text)


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
