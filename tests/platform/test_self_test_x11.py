"""``--self-test`` on a machine with an X display checks the X11 backend end to end."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.xvfb


def test_self_test_presses_its_combination_through_x11(xvfb: str, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM",
                                                            "ANIMAZE_PANEL_HOTKEYS")}
    env["DISPLAY"] = xvfb
    result = subprocess.run([sys.executable, "-m", "animaze_panel", "--self-test"],
                            capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path)
    lines = [line for line in result.stdout.splitlines() if line.startswith("self-test:")]
    assert result.returncode == 0, result.stdout + result.stderr
    assert lines and ("hotkeys: x11, Ctrl+Alt+Shift+F12 registered, pressed and released, "
                      "unregistered)") in lines[0], lines
