"""Pure parts of the Windows build: pinned requirements, wheels, Qt trim, pynsist config.

Nothing here touches the network or runs tools, so tests/packaging covers it directly.

Errors: :class:`BuildError` (bad input: a pin without hashes, a missing or ambiguous wheel, a
trim pattern that would drop a module the app needs).
"""

from __future__ import annotations

import configparser
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "Animaze Panel"  # Start menu, Add/Remove Programs, window titles of the installer
DIST_NAME = "animaze-panel"  # install folder, registry key, command name, installer file name
PUBLISHER = "animaze-panel developers"
ENTRY_POINT = "animaze_panel.__main__:main"
PY_MINOR = "3.11"


class BuildError(RuntimeError):
    """The build cannot go on; the message says what to fix."""


@dataclass(frozen=True)
class Pin:
    """One ``name==version`` line of a hash-pinned requirements file.

    Attributes:
        name: Normalised project name (PEP 503: lower case, runs of ``-_.`` -> ``-``).
        version: Exact version.
        hashes: Allowed sha256 digests (hex) of its files.
    """

    name: str
    version: str
    hashes: frozenset[str]


def normalize(name: str) -> str:
    """PEP 503 name normalisation."""
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_pins(text: str) -> list[Pin]:
    """Parse ``uv pip compile --generate-hashes`` output.

    Args:
        text: The requirements file (continuation lines, comments, ``--hash=sha256:...``).

    Returns:
        The pins in file order.

    Raises:
        BuildError: A requirement is not ``name==version`` or carries no sha256 hash.
    """
    joined = re.sub(r"\\\s*\n", " ", text)
    pins = []
    for raw in joined.splitlines():
        line = re.sub(r"(^|\s)#.*$", "", raw).strip()
        if not line or line.startswith("-"):
            continue
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;]+)", line)
        if not match:
            raise BuildError(f"requirement is not pinned as name==version: {line!r}")
        hashes = frozenset(re.findall(r"--hash=sha256:([0-9a-f]{64})", line))
        if not hashes:
            raise BuildError(f"requirement {match.group(1)} has no sha256 hash")
        pins.append(Pin(normalize(match.group(1)), match.group(2), hashes))
    return pins


_WHEEL = re.compile(r"^(?P<name>[^-]+)-(?P<version>[^-]+)(?:-\d[^-]*)?-[^-]+-[^-]+-[^-]+\.whl$")


def wheel_name_version(filename: str) -> tuple[str, str] | None:
    """(normalised name, version) of a wheel file name, or None if it is not a wheel name."""
    match = _WHEEL.match(filename)
    if not match:
        return None
    return normalize(match.group("name")), match.group("version")


def select_wheels(pins: Sequence[Pin], available: Mapping[str, str]) -> dict[Pin, str]:
    """Pick, for each pin, the one downloaded wheel whose sha256 the pin allows.

    Selecting by hash (not by "newest file in the cache") means stale wheels from earlier builds
    in the same cache can never slip into the installer.

    Args:
        pins: The resolved Windows requirements.
        available: Wheel file name -> sha256 hex of every wheel in the download cache.

    Returns:
        Pin -> wheel file name.

    Raises:
        BuildError: A pin has no matching wheel (name, version and hash all match), naming it.
    """
    chosen: dict[Pin, str] = {}
    missing = []
    for pin in pins:
        matches = sorted(
            fname
            for fname, digest in available.items()
            if wheel_name_version(fname) == (pin.name, pin.version) and digest in pin.hashes
        )
        if not matches:
            missing.append(f"{pin.name}=={pin.version}")
        else:
            chosen[pin] = matches[0]
    if missing:
        raise BuildError("no verified win_amd64 wheel for: " + ", ".join(missing))
    return chosen


# What the installer leaves out of the PySide6 wheels. pynsist matches these (fnmatch, "*" also
# crosses "/") against "pkgs/<path in wheel>"; a pattern not ending in "*" also drops everything
# under a folder of that name. The build re-checks the result two ways: MUST_KEEP below, and the
# DLL import tables of every kept binary (winbuild.pe_imports), so a pattern that drops something
# still linked fails the build instead of a user's first start.
QT_EXCLUDES: tuple[str, ...] = (
    # Qt WebEngine (Chromium) stays for the Akool live view (widgets + WebChannel); its QML
    # front end, Qt WebView, Qt PDF (PDFium), Chromium's debug builds of its data files and the
    # DevTools front end go.
    "pkgs/PySide6/*WebEngineQuick*",
    "pkgs/PySide6/*WebView*",
    "pkgs/PySide6/*Pdf*",
    "pkgs/PySide6/resources/*.debug.*",
    "pkgs/PySide6/resources/qtwebengine_devtools_resources*",
    "pkgs/PySide6/plugins/webview",
    "pkgs/PySide6/plugins/imageformats/qpdf.dll",
    # Qt's own translations; the app is English and installs no QTranslator, so they are never
    # loaded. WebEngine's Chromium locales (translations/qtwebengine_locales) stay.
    "pkgs/PySide6/translations/*.qm",
    # Qt 3D / Quick 3D, their plugins, and Qt Graphs (built on Quick 3D).
    "pkgs/PySide6/*3D*",
    "pkgs/PySide6/*Graphs*",
    "pkgs/PySide6/plugins/sceneparsers",
    "pkgs/PySide6/plugins/assetimporters",
    "pkgs/PySide6/plugins/geometryloaders",
    "pkgs/PySide6/plugins/renderers",
    "pkgs/PySide6/plugins/renderplugins",
    # QML modules and tooling: the UI is Qt Widgets.
    "pkgs/PySide6/qml",
    "pkgs/PySide6/plugins/qmltooling",
    "pkgs/PySide6/plugins/qmllint",
    # Developer tools and build-time data: Designer, Linguist, uic/rcc, qml tools, headers,
    # type-system XML, metatypes JSON, code-generation glue, .pyi stubs, deploy scripts.
    "pkgs/PySide6/[!Q]*.exe",  # every tool but QtWebEngineProcess.exe (Chromium's renderer)
    "pkgs/PySide6/*Designer*",
    "pkgs/PySide6/plugins/designer",
    "pkgs/PySide6/include",
    "pkgs/PySide6/typesystems",
    "pkgs/PySide6/metatypes",
    "pkgs/PySide6/glue",
    "pkgs/PySide6/doc",
    "pkgs/PySide6/examples",
    "pkgs/PySide6/scripts",
    "pkgs/PySide6/*.pyi",
    "pkgs/shiboken6/*.pyi",
)

# Files the app needs at run time; a trim pattern hitting one of these fails the build.
# Qt Multimedia plays the Kinetix tab's preview; Svg draws icons; Network is used by Multimedia;
# WebEngine (its renderer process and Chromium data files) and WebChannel run the Akool live view.
MUST_KEEP: tuple[str, ...] = (
    "PySide6/QtWebEngineCore.pyd",
    "PySide6/QtWebEngineWidgets.pyd",
    "PySide6/QtWebChannel.pyd",
    "PySide6/Qt6WebEngineCore.dll",
    "PySide6/Qt6WebEngineWidgets.dll",
    "PySide6/Qt6WebChannel.dll",
    "PySide6/QtWebEngineProcess.exe",
    "PySide6/resources/icudtl.dat",
    "PySide6/resources/qtwebengine_resources.pak",
    "PySide6/resources/v8_context_snapshot.bin",
    "PySide6/translations/qtwebengine_locales/en-US.pak",
    "animaze_panel/resources/web/vendor/AgoraRTC_N.js",  # scripts/vendor-agora, in our wheel
    "PySide6/QtCore.pyd",
    "PySide6/QtGui.pyd",
    "PySide6/QtWidgets.pyd",
    "PySide6/QtNetwork.pyd",
    "PySide6/QtSvg.pyd",
    "PySide6/QtSvgWidgets.pyd",
    "PySide6/QtMultimedia.pyd",
    "PySide6/QtMultimediaWidgets.pyd",
    "PySide6/Qt6Multimedia.dll",
    "PySide6/Qt6MultimediaWidgets.dll",
    "PySide6/Qt6Network.dll",
    "PySide6/Qt6Svg.dll",
    "PySide6/plugins/platforms/qwindows.dll",
    "PySide6/plugins/multimedia/ffmpegmediaplugin.dll",
    "PySide6/plugins/multimedia/windowsmediaplugin.dll",
    "PySide6/plugins/imageformats/qsvg.dll",
    "PySide6/plugins/iconengines/qsvgicon.dll",
    "PySide6/plugins/styles/qmodernwindowsstyle.dll",
    # The Kaltura page: WebRTC in Python (aiortc + aioice) and H.264/Opus decoding with PyAV's
    # bundled FFmpeg (its DLLs are held to the import check like Qt's); --self-test decodes a
    # frame, so a wheel that lost them fails the release workflow.
    "aiortc/__init__.py",
    "aiortc/codecs/h264.py",
    "aioice/__init__.py",
    "av/__init__.py",
)


def exclude_regexes(patterns: Iterable[str]) -> list[re.Pattern[str]]:
    """Compile exclude patterns with pynsist's own semantics (see ``nsist.wheels``).

    Kept in sync by a test that compares against ``nsist.wheels.make_exclude_regexen``.
    """
    import fnmatch

    out = set()
    for pattern in patterns:
        out.add(fnmatch.translate(pattern))
        if not pattern.endswith("*"):
            out.add(fnmatch.translate(pattern + ("*" if pattern.endswith("/") else "/*")))
    return [re.compile(p) for p in sorted(out)]


def is_excluded(path_in_wheel: str, regexes: Sequence[re.Pattern[str]]) -> bool:
    """Would pynsist leave out this wheel member?"""
    full = "pkgs/" + path_in_wheel.replace("\\", "/")
    return any(r.match(full) for r in regexes)


def check_must_keep(patterns: Iterable[str], must_keep: Iterable[str] = MUST_KEEP) -> None:
    """Raise if a trim pattern would drop a file the app needs.

    Raises:
        BuildError: Naming the files.
    """
    regexes = exclude_regexes(patterns)
    dropped = [p for p in must_keep if is_excluded(p, regexes)]
    if dropped:
        raise BuildError("trim patterns would drop required files: " + ", ".join(dropped))


def installer_filename(version: str) -> str:
    """``animaze-panel-<version>-setup.exe``."""
    return f"{DIST_NAME}-{version}-setup.exe"


def render_config(
    *,
    version: str,
    py_version: str,
    icon: Path,
    wheel_glob: str,
    build_dir: Path,
    nsi_template: str,
    excludes: Sequence[str],
) -> str:
    """Write the pynsist ``installer.cfg`` text.

    Args:
        version: Our version (from the wheel we just built).
        py_version: Full version of the verified embeddable CPython, e.g. ``3.11.9``.
        icon: Absolute path of resources/icon.ico.
        wheel_glob: Absolute glob matching exactly the wheels to bundle (ours included).
        build_dir: Absolute pynsist build directory (pynsist deletes it first).
        nsi_template: Template file name, relative to the config file's folder.
        excludes: Trim patterns.

    Returns:
        The config file text.

    Raises:
        BuildError: ``py_version`` is not a 3.11.x version.
    """
    if not re.fullmatch(re.escape(PY_MINOR) + r"\.\d+", py_version):
        raise BuildError(f"embeddable Python is {py_version}, expected {PY_MINOR}.x")
    cfg = configparser.ConfigParser(interpolation=None)
    cfg.optionxform = str  # type: ignore[assignment,method-assign]  # keep key case
    cfg["Application"] = {
        "name": APP_NAME,
        "version": version,
        "publisher": PUBLISHER,
        "entry_point": ENTRY_POINT,
        "icon": icon.as_posix(),
        "console": "false",
    }
    # bin\animaze-panel.exe, put on the user's PATH: the `call` CLI for Stream Deck /
    # Streamer.bot, and a console entry whose exit code CI can check (`--self-test`).
    cfg[f"Command {DIST_NAME}"] = {"entry_point": ENTRY_POINT, "console": "true"}
    cfg["Python"] = {
        "version": py_version,
        "bitness": "64",
        "format": "bundled",
        # The UCRT is part of Windows 10+, the oldest Windows Qt 6 supports; VC++ runtime DLLs
        # ship inside the embeddable Python and the PySide6 wheels.
        "include_msvcrt": "false",
    }
    cfg["Include"] = {
        "local_wheels": wheel_glob,
        "exclude": "\n" + "\n".join(excludes) if excludes else "",
    }
    cfg["Build"] = {
        "directory": build_dir.as_posix(),
        "installer_name": installer_filename(version),
        "nsi_template": nsi_template,
    }
    buf = io.StringIO()
    cfg.write(buf)
    return buf.getvalue()
