"""Layering: the import-linter contracts in pyproject.toml hold, and they can fail.

``scripts/check`` runs ``lint-imports``; these tests make sure the contracts bite: a planted
violation in a temporary copy of the package must break them, and importing the lower layers
must leave Qt out of the process (the contracts see imports statically; this sees them run).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def test_lower_layers_import_without_qt() -> None:
    code = (
        "import sys\n"
        "import animaze_panel.animaze, animaze_panel.animaze.io_thread, animaze_panel.cloud\n"
        "import animaze_panel.hotkeys, animaze_panel.hotkeys.store, animaze_panel.cli\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in\n"
        "             {'PySide6', 'shiboken6', 'qasync'}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, timeout=60, check=True)
    assert out.stdout.strip() == "[]"


def run_lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(root))  # the copy, not the installed package
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], capture_output=True, text=True,
                          cwd=root, env=env, timeout=120)


def test_the_contracts_hold() -> None:
    result = run_lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


PLANTED = [
    ("animaze/requests.py", "import asyncio", "The Animaze protocol core is sans-I/O BROKEN"),
    ("animaze/geometry.py", "from . import client",
     "The Animaze protocol core is sans-I/O BROKEN"),
    ("hotkeys/bindings.py", "from ..ui import session", "never import the UI BROKEN"),
    ("simulator/state.py", "from ..ui.widgets import theme", "never import the UI BROKEN"),
    ("cloud/_http.py", "from ..platform import base", "Qt only in ui/, platform/ and app.py"),
    ("animaze/client.py", "from ..cloud import kinetix", "< ui < app BROKEN"),
    ("app_cloud.py", "from . import app", "< ui < app BROKEN"),
    ("app_cloud.py", "from .simulator import SimulatorThread", "only in the demo wiring BROKEN"),
    ("ui/session.py", "from ..simulator import Simulator", "only in the demo wiring BROKEN"),
]


@pytest.mark.parametrize(("module", "line", "broken"), PLANTED,
                         ids=[f"{m}:{line}" for m, line, _ in PLANTED])
def test_a_planted_violation_breaks_a_contract(
    tmp_path: Path, module: str, line: str, broken: str
) -> None:
    shutil.copytree(ROOT / "animaze_panel", tmp_path / "animaze_panel",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / "animaze_panel" / module
    text = target.read_text(encoding="utf-8")
    head, sep, rest = text.partition("from __future__ import annotations\n")
    assert sep, f"{module} has no __future__ import to plant after"
    target.write_text(f"{head}{sep}{line}  # planted\n{rest}", encoding="utf-8")
    result = run_lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert broken in result.stdout, result.stdout
