"""The hotkeys profile as one human-readable TOML file (``hotkeys.toml`` in the config folder).

Loading is forgiving: the file is cut into entries at its top-level table headers
(``[settings]``, ``[[binding]]``, ``[[camera_preset]]``) and each entry is parsed and validated
on its own, so one typo costs one entry, not the whole profile. Every bad entry becomes a
:class:`Problem` with its line number, and its text is kept *verbatim*: :func:`dump` writes it
back at the end of the file under a marker comment, so saving from the panel never silently
deletes what the user wrote. (Good entries are re-written in canonical form; comments inside
them are not kept.)

Profiles can be exported to / imported from any path with the same format.
"""

from __future__ import annotations

import math
import os
import re
import tempfile
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w

from .bindings import Binding
from .errors import EntryError
from .presets import CameraPresetData

FILE_NAME = "hotkeys.toml"
MARKER = "# animaze-panel:"
"""Prefix of the comments this module writes; they are dropped when an entry is re-read."""

_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_\-\"'. ]+?)\s*(\]\]?)\s*(#.*)?$")
_BROKEN_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z_][A-Za-z0-9_\-]*)\s*(\]{0,2})\s*(#.*)?$")
"""A header with unmatched brackets (``[[binding]``): it starts an entry of its own, reported,
instead of being read as part of the entry before it (which would then be lost too)."""
DECIMALS = {"position": 3, "scale": 3, "fov": 2, "seconds": 3, "rotation": 6}
"""Decimals written per field: the precision the panel shows (mm, hundredths of a degree,
ms), so float32 values read from Animaze are not stored as 1.7000000476837158."""
SIGNIFICANT = 6
"""Significant digits for other numbers."""
_SYNTAX_LINE = re.compile(r"\(at line (\d+), column (\d+)\)")
KNOWN_SECTIONS = {"settings": False, "binding": True, "camera_preset": True}
"""Top-level section name -> whether it is an array of tables (``[[...]]``)."""

HEADER_TEXT = f"""\
{MARKER} hotkeys, macros and camera presets (edit here or in View > Hotkeys).
{MARKER} keys: Ctrl/Alt/Shift/Meta + A-Z, 0-9, F1-F24, Num0-Num9, Space, Home, PageUp, ...
{MARKER} action types: emote, special_action, pose, idle, load_avatar, load_scene,
{MARKER}   quickscene, broadcast, calibrate, behaviour, chatpal, camera_preset (+ wait in macros)
"""


def default_path() -> Path:
    """``hotkeys.toml`` in the platformdirs config folder of the app."""
    from platformdirs import user_config_dir

    return Path(user_config_dir("animaze-panel", appauthor=False)) / FILE_NAME


@dataclass(frozen=True)
class Problem:
    """An entry that could not be used.

    Attributes:
        line: 1-based line of the problem in the file.
        message: What is wrong, naming the field.
        source: The entry's text as written (kept in the file on save).
    """

    line: int
    message: str
    source: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass(frozen=True)
class Profile:
    """Everything the hotkeys file holds.

    Attributes:
        enabled: The master switch (off while typing in chat, say).
        bindings: In file order.
        presets: Camera presets, names unique (case-insensitive).
    """

    enabled: bool = True
    bindings: tuple[Binding, ...] = ()
    presets: tuple[CameraPresetData, ...] = ()

    def preset(self, name: str) -> CameraPresetData | None:
        """Find a preset by name (case-insensitive)."""
        key = name.strip().casefold()
        return next((p for p in self.presets if p.name.strip().casefold() == key), None)


@dataclass(frozen=True)
class LoadResult:
    """A parsed profile plus what had to be skipped."""

    profile: Profile
    problems: tuple[Problem, ...] = ()
    kept: tuple[str, ...] = field(default=())
    """Texts to write back verbatim (the bad entries, plus a bad ``[settings]``)."""


@dataclass
class _Block:
    start: int  # 0-based index of its first line
    section: str | None  # None: the text before the first header
    lines: list[str]
    broken: bool = False  # its header's brackets do not match

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"

    def kept_text(self) -> str:
        lines = [ln for ln in self.lines if not ln.lstrip().startswith(MARKER)]
        while lines and not lines[-1].strip():
            lines.pop()
        return "\n".join(lines) + "\n"


def _split(text: str) -> list[_Block]:
    blocks = [_Block(0, None, [])]
    for number, line in enumerate(text.splitlines()):
        match = _HEADER.match(line)
        if match and match.group(1) == "[" * len(match.group(3)):
            name = match.group(2).strip().strip("\"'")
            if "." not in name:  # [binding.action] continues the current [[binding]]
                blocks.append(_Block(number, name, [line]))
                continue
        broken = _BROKEN_HEADER.match(line)
        if broken and len(broken.group(1)) != len(broken.group(3)):
            blocks.append(_Block(number, broken.group(2), [line], broken=True))
            continue
        blocks[-1].lines.append(line)
    return blocks


def loads(text: str) -> LoadResult:
    """Parse a profile, skipping (and reporting) bad entries.

    Args:
        text: The file's content.

    Returns:
        The profile, the problems (with line numbers) and the texts to keep verbatim.
    """
    enabled = True
    bindings: list[Binding] = []
    presets: list[CameraPresetData] = []
    problems: list[Problem] = []
    kept: list[str] = []
    seen_settings = False

    def bad(block: _Block, line: int, message: str) -> None:
        problems.append(Problem(line, message, block.kept_text()))
        kept.append(block.kept_text())

    for block in _split(text):
        if block.broken:
            name = block.section or ""
            brackets = f"[[{name}]]" if KNOWN_SECTIONS.get(name, True) else f"[{name}]"
            bad(block, block.start + 1,
                f"the header {block.lines[0].strip()!r} has unmatched brackets: write {brackets}")
            continue
        try:
            doc = tomllib.loads(block.text)
        except tomllib.TOMLDecodeError as exc:
            match = _SYNTAX_LINE.search(str(exc))
            line = block.start + (int(match.group(1)) if match else 1)
            reason = _SYNTAX_LINE.sub("", str(exc)).strip()
            bad(block, line, f"not valid TOML: {reason}")
            continue
        header = block.start + 1
        if block.section is None:
            if doc:
                key = next(iter(doc))
                bad(block, _key_line(block, key), f"{key!r} must be inside a section such as "
                    "[settings] or [[binding]]")
            continue
        expected_array = KNOWN_SECTIONS.get(block.section)
        if expected_array is None:
            bad(block, header, f"unknown section [{block.section}] (expected [settings], "
                "[[binding]] or [[camera_preset]])")
            continue
        value = doc.get(block.section)
        if expected_array != isinstance(value, list):
            brackets = f"[[{block.section}]]" if expected_array else f"[{block.section}]"
            bad(block, header, f"write the header as {brackets}")
            continue
        entry = value[0] if isinstance(value, list) else value
        if not isinstance(entry, dict):
            bad(block, header, f"[{block.section}] must be a table")
            continue
        try:
            if block.section == "settings":
                if seen_settings:
                    raise EntryError("settings", "a second [settings] section")
                enabled = _settings(entry)
                seen_settings = True
            elif block.section == "binding":
                bindings.append(Binding.from_dict(entry))
            else:
                preset = CameraPresetData.from_dict(entry)
                if any(p.name.casefold() == preset.name.casefold() for p in presets):
                    raise EntryError("name", f"a second preset called {preset.name!r}")
                presets.append(preset)
        except EntryError as exc:
            where = "" if block.section == "settings" else f"{block.section}: "
            bad(block, _key_line(block, exc.field) or header, f"{where}{exc.field}: {exc.reason}")
    return LoadResult(Profile(enabled, tuple(bindings), tuple(presets)), tuple(problems),
                      tuple(kept))


def _settings(entry: Mapping[str, Any]) -> bool:
    for key in entry:
        if key != "enabled":
            raise EntryError(key, "unknown setting (expected: enabled)")
    value = entry.get("enabled", True)
    if not isinstance(value, bool):
        raise EntryError("enabled", f"must be true or false, got {value!r}")
    return value


def _key_line(block: _Block, dotted: str) -> int:
    """1-based line of the top-level key of ``dotted`` in ``block`` (0 if not found)."""
    key = re.split(r"[.\[]", dotted, maxsplit=1)[0]
    if not key:
        return 0
    assign = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
    table = re.compile(rf"^\s*\[\[?\s*{re.escape(block.section or '')}\.{re.escape(key)}\b")
    for offset, line in enumerate(block.lines):
        if assign.match(line) or table.match(line):
            return block.start + offset + 1
    return 0


# ---------------------------------------------------------------------- writing


def _value(value: Any, key: str = "") -> str:
    """One TOML value, inline (tables as ``{ k = v }``), scalars escaped by tomli_w.

    ``key`` names the field, which decides how many decimals a number keeps (:data:`DECIMALS`).
    """
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        return "{ " + ", ".join(f"{_key(k)} = {_value(v, k)}" for k, v in value.items()) + " }"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v, key) for v in value) + "]"
    if isinstance(value, float):
        value = _number(value, key)
    return tomli_w.dumps({"v": value}).strip()[len("v = "):]


def _number(value: float, key: str) -> float:
    """``value`` at the precision the panel shows for ``key`` (shortest form, no -0.0)."""
    if not math.isfinite(value):
        return value
    digits = DECIMALS.get(key)
    rounded = round(value, digits) if digits is not None else float(f"{value:.{SIGNIFICANT}g}")
    return rounded + 0.0  # -0.0 -> 0.0


def _key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else tomli_w.dumps({key: 0}).split(" =")[0]


def _table(header: str, data: Mapping[str, Any]) -> str:
    lines = [header]
    for key, value in data.items():
        if isinstance(value, list) and value and isinstance(value[0], Mapping):
            lines.append(f"{_key(key)} = [")
            lines += [f"  {_value(item, key)}," for item in value]
            lines.append("]")
        else:
            lines.append(f"{_key(key)} = {_value(value, key)}")
    return "\n".join(lines) + "\n"


def dumps(profile: Profile, kept: Iterable[str] = ()) -> str:
    """Render ``profile`` as TOML, then ``kept`` (bad entries) verbatim under a marker.

    Args:
        profile: What to write.
        kept: Entry texts that could not be read when loading (see :attr:`LoadResult.kept`).
    """
    kept = list(kept)
    parts = [HEADER_TEXT]
    if not any(_split(text)[-1].section == "settings" for text in kept):
        parts.append(_table("[settings]", {"enabled": profile.enabled}))
    parts += [_table("[[binding]]", b.to_dict()) for b in profile.bindings]
    parts += [_table("[[camera_preset]]", p.to_dict()) for p in profile.presets]
    if kept:
        parts.append(f"{MARKER} the entries below could not be read; they are kept as written.\n"
                     f"{MARKER} fix them (the panel lists the problems) or delete them.\n")
        parts += kept
    return "\n".join(parts)


def load_file(path: Path) -> LoadResult:
    """Read a profile file; a missing file is an empty profile.

    Raises:
        OSError: The file exists but cannot be read.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return LoadResult(Profile())
    text = raw.decode("utf-8", errors="replace").replace("\r\n", "\n")
    return loads(text)


def save_file(path: Path, profile: Profile, kept: Sequence[str] = ()) -> None:
    """Write atomically (temp file + rename): a crash never leaves half a profile.

    Raises:
        OSError: The folder cannot be created or written.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".hotkeys-", suffix=".toml", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(dumps(profile, kept))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class ProfileStore:
    """The profile file plus what was kept from it; the editor loads and saves through this."""

    def __init__(self, path: Path | None = None) -> None:
        """Bind to ``path`` (default: :func:`default_path`); nothing is read yet."""
        self.path = path or default_path()
        self.kept: tuple[str, ...] = ()
        self.problems: tuple[Problem, ...] = ()

    def load(self) -> Profile:
        """Read the file, remembering its problems and the texts to keep.

        Raises:
            OSError: The file exists but cannot be read.
        """
        result = load_file(self.path)
        self.kept, self.problems = result.kept, result.problems
        return result.profile

    def save(self, profile: Profile) -> None:
        """Write ``profile`` with the kept entries.

        Raises:
            OSError: The file cannot be written.
        """
        save_file(self.path, profile, self.kept)


def merge(base: Profile, extra: Profile) -> Profile:
    """Import ``extra`` into ``base``: bindings appended, presets of the same name replaced."""
    names = {p.name.casefold() for p in extra.presets}
    presets = tuple(p for p in base.presets if p.name.casefold() not in names) + extra.presets
    return Profile(base.enabled, base.bindings + extra.bindings, presets)
