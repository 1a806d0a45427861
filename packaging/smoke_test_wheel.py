"""Install our wheel (not editable) into a fresh venv and run ``animaze-panel --self-test``.

    uv run python packaging/smoke_test_wheel.py [--wheel dist/animaze_panel-X-py3-none-any.whl]

This is what catches a wheel that works from the checkout but not installed: package data or
resources missing from the wheel, a module importing something only the dev group provides.
The venv lives in a temporary folder and the app runs with that folder as its working
directory, so nothing from the checkout can be imported by accident. Dependencies are held to
uv.lock's versions. Qt runs offscreen.

Exit status: the self-test's (0 = pass), or 1 if the wheel could not be built or installed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SELF_TEST_TIMEOUT_S = 300


def uv_exe() -> str:
    """The uv binary (``uv run`` exports its own path as $UV)."""
    found = os.environ.get("UV") or shutil.which("uv")
    if not found:
        raise SystemExit("uv not found (pip install uv)")
    return found


def check(cmd: Sequence[str], **kwargs: object) -> str:
    """Run a command, return stdout; exit 1 with its output if it fails."""
    proc = subprocess.run(list(cmd), capture_output=True, text=True, **kwargs)  # type: ignore[call-overload]
    if proc.returncode != 0:
        print(f"error: {' '.join(cmd)} failed ({proc.returncode})\n{proc.stdout}{proc.stderr}",
              file=sys.stderr)
        raise SystemExit(1)
    return str(proc.stdout)


def main(argv: Sequence[str] | None = None) -> int:
    """Build (unless given) and smoke-test the wheel; see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--wheel", type=Path, help="wheel to test (default: build one now)")
    args = parser.parse_args(argv)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="animaze-panel-smoke-") as tmp_name:
        tmp = Path(tmp_name)
        wheel = args.wheel.resolve() if args.wheel else None
        if wheel is None:
            check([uv_exe(), "build", "--wheel", "--out-dir", str(tmp / "dist"), str(ROOT)])
            wheel = next((tmp / "dist").glob("animaze_panel-*.whl"))
        venv = tmp / "venv"
        check([uv_exe(), "venv", "--quiet", "--python", "3.11", str(venv)])
        python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
        constraints = tmp / "constraints.txt"
        constraints.write_text(
            check([uv_exe(), "export", "--frozen", "--no-dev", "--no-emit-project",
                   "--no-hashes", "--no-header", "--directory", str(ROOT)])
        )
        check([uv_exe(), "pip", "install", "--quiet", "--python", str(python), str(wheel),
               "-c", str(constraints)])
        location = check([str(python), "-c", "import animaze_panel; print(animaze_panel.__file__)"],
                         cwd=tmp).strip()
        if not Path(location).resolve().is_relative_to(venv.resolve()):
            print(f"error: animaze_panel imported from {location}, not the venv", file=sys.stderr)
            return 1
        exe = venv / ("Scripts/animaze-panel.exe" if os.name == "nt" else "bin/animaze-panel")
        print(f"{wheel.name} installed in a fresh venv ({time.monotonic() - started:.0f} s); "
              f"running {exe.name} --self-test", flush=True)
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        # Settings and caches of the smoke run stay in the temporary folder.
        for var in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
            env[var] = str(tmp / var.lower())
        try:
            proc = subprocess.run([str(exe), "--self-test"], cwd=tmp, env=env,
                                  timeout=SELF_TEST_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            print(f"error: --self-test did not finish in {SELF_TEST_TIMEOUT_S} s", file=sys.stderr)
            return 1
    print(f"wheel smoke test: exit {proc.returncode} ({time.monotonic() - started:.0f} s)")
    return proc.returncode


if __name__ == "__main__":
    raise SystemExit(main())
