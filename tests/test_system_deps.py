"""scripts/install-system-deps: the one list of apt packages, used by .ci/run."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_list_holds_what_the_checks_use_and_ci_installs_it() -> None:
    listed = subprocess.run(
        ["bash", str(ROOT / "scripts" / "install-system-deps"), "--list"],
        capture_output=True, text=True, timeout=30, check=True,
    ).stdout.split()
    # Qt on xcb, Xvfb for screenshots and hotkeys (xvfb-run needs xauth), the load generator,
    # the installer build, the null-sink sound server.
    for package in ("libxcb-cursor0", "xvfb", "xauth", "xdotool", "stress-ng", "nsis",
                    "pulseaudio", "pulseaudio-utils"):
        assert package in listed
    assert len(listed) == len(set(listed))
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "scripts/install-system-deps" in ci and "APT_PACKAGES" not in ci  # one list
