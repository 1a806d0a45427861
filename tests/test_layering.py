"""Architecture checks: PySide6 only in ui/, platform/ and app.py; lower layers stay pure.

Modelled on qutebrowser's ``scripts/dev/misc_checks.py``: a grep over the source tree, so a
stray import fails the suite instead of a reviewer having to notice it.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "animaze_panel"
QT_ALLOWED = ("ui", "platform")
QT_ALLOWED_FILES = ("app.py",)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif isinstance(node, ast.ImportFrom) and node.level > 0:
            names.add("." * node.level + (node.module or ""))
    return names


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def test_pyside6_only_in_ui_platform_and_app() -> None:
    strays = []
    for path in _modules():
        rel = path.relative_to(PACKAGE)
        if rel.parts[0] in QT_ALLOWED or str(rel) in QT_ALLOWED_FILES:
            continue
        if any(name.split(".")[0] in {"PySide6", "qasync", "shiboken6"} for name in _imports(path)):
            strays.append(str(rel))
    assert strays == [], f"Qt imported outside ui/, platform/ and app.py: {strays}"


def test_protocol_core_has_no_io() -> None:
    forbidden = {"websockets", "httpx", "aiohttp", "socket", "asyncio"}
    core = ["messages.py", "overrides.py", "protocol.py", "errors.py", "geometry.py"]
    for name in core:
        path = PACKAGE / "animaze" / name
        if not path.exists():
            continue
        bad = {n for n in _imports(path) if n.split(".")[0] in forbidden}
        assert not bad, f"animaze/{name} is the sans-I/O core but imports {bad}"


def test_lower_layers_do_not_import_upper_layers() -> None:
    rules = {
        "animaze": ("animaze_panel.cloud", "animaze_panel.ui", "animaze_panel.app"),
        "cloud": ("animaze_panel.ui", "animaze_panel.app"),
        "ui": ("animaze_panel.app",),
    }
    for path in _modules():
        rel = path.relative_to(PACKAGE)
        banned = rules.get(rel.parts[0])
        if not banned:
            continue
        for name in _imports(path):
            assert not name.startswith(banned), f"{rel} imports {name} from a higher layer"


def test_every_module_has_a_docstring() -> None:
    missing = []
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if ast.get_docstring(tree) is None:
            missing.append(str(path.relative_to(PACKAGE)))
    assert missing == [], f"modules without a docstring: {missing}"
