"""``python -m animaze_panel --self-test``: offscreen, against the built-in simulator, one line."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path


def test_self_test_passes_and_prints_one_line(tmp_path: Path) -> None:
    env = dict(os.environ)
    env.pop("QT_QPA_PLATFORM", None)  # the self-test must force offscreen by itself
    env["DISPLAY"] = ""
    result = subprocess.run(
        [sys.executable, "-m", "animaze_panel", "--self-test"],
        capture_output=True, text=True, timeout=90, env=env, cwd=tmp_path,
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("self-test:")]
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(lines) == 1
    assert re.fullmatch(r"self-test: OK \(\d+ checks, cold start \d+\.\d\d s; hotkeys: .+\)",
                        lines[0])
    # No display: the in-app fallback registers and releases the test combination, and says
    # why there are no global hotkeys.
    assert "hotkeys: in-app, Ctrl+Alt+Shift+F12 registered, unregistered (no global" in lines[0]
    assert int(re.search(r"\((\d+) checks", lines[0]).group(1)) >= 10  # type: ignore[union-attr]


def test_self_test_reports_a_failure(tmp_path: Path) -> None:
    # A simulator too slow to answer in time makes a check fail with a clear message.
    code = (
        "import animaze_panel.ui.self_test as st; st.CHECK_TIMEOUT = 0.5\n"
        "from animaze_panel.simulator import server\n"
        "orig = server.Simulator.__init__\n"
        "def slow(self, *a, **k):\n"
        "    orig(self, *a, **k); self.faults.set(stall=True)\n"
        "server.Simulator.__init__ = slow\n"
        "import sys; from animaze_panel.app import main; sys.exit(main(['--self-test']))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=90, cwd=tmp_path
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "self-test: FAILED: " in result.stdout
