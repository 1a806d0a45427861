"""Pinned requirements, wheel selection, the Qt trim and the generated pynsist config."""

from __future__ import annotations

from pathlib import Path

import pytest
from nsist import configreader
from nsist.wheels import make_exclude_regexen
from winbuild.config import (
    MUST_KEEP,
    QT_EXCLUDES,
    BuildError,
    Pin,
    check_must_keep,
    exclude_regexes,
    installer_filename,
    is_excluded,
    parse_pins,
    render_config,
    select_wheels,
    wheel_name_version,
)

H1, H2, H3 = "a" * 64, "b" * 64, "c" * 64

COMPILED = f"""\
aiohttp==3.14.5 \\
    --hash=sha256:{H1} \\
    --hash=sha256:{H2}
    # via animaze-panel
pywin32-ctypes==0.2.3 \\
    --hash=sha256:{H3}
    # via keyring
PySide6_Essentials==6.10.3 --hash=sha256:{H3}
"""


def test_parse_pins_reads_uv_compile_output() -> None:
    pins = parse_pins(COMPILED)
    assert pins == [
        Pin("aiohttp", "3.14.5", frozenset({H1, H2})),
        Pin("pywin32-ctypes", "0.2.3", frozenset({H3})),
        Pin("pyside6-essentials", "6.10.3", frozenset({H3})),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [("httpx>=0.27 --hash=sha256:" + H1, "not pinned"), ("httpx==0.28.1", "no sha256 hash")],
)
def test_parse_pins_rejects_unpinned_or_unhashed(text: str, message: str) -> None:
    with pytest.raises(BuildError, match=message):
        parse_pins(text)


def test_wheel_name_version() -> None:
    assert wheel_name_version("pyside6_essentials-6.10.3-cp39-abi3-win_amd64.whl") == (
        "pyside6-essentials",
        "6.10.3",
    )
    assert wheel_name_version("foo-1.0-1build-py3-none-any.whl") == ("foo", "1.0")
    assert wheel_name_version("foo-1.0.tar.gz") is None


def test_select_wheels_by_hash_ignores_stale_and_foreign_files() -> None:
    pin = Pin("aiohttp", "3.14.5", frozenset({H1}))
    available = {
        "aiohttp-3.14.5-cp311-cp311-win_amd64.whl": H1,
        "aiohttp-3.14.4-cp311-cp311-win_amd64.whl": H1,  # older build from an earlier run
        "aiohttp-3.14.5-cp311-cp311-manylinux_x86_64.whl": H2,  # hash not allowed
    }
    assert select_wheels([pin], available) == {pin: "aiohttp-3.14.5-cp311-cp311-win_amd64.whl"}


def test_select_wheels_names_what_is_missing() -> None:
    pins = [Pin("aiohttp", "3.14.5", frozenset({H1})), Pin("keyring", "25.7.0", frozenset({H2}))]
    with pytest.raises(BuildError, match="keyring==25.7.0"):
        select_wheels(pins, {"aiohttp-3.14.5-cp311-cp311-win_amd64.whl": H1,
                             "keyring-25.7.0-py3-none-any.whl": H3})


def test_exclude_semantics_match_pynsist() -> None:
    ours = sorted(r.pattern for r in exclude_regexes(QT_EXCLUDES))
    theirs = sorted(r.pattern for r in make_exclude_regexen(QT_EXCLUDES))
    assert ours == theirs


def test_trim_keeps_what_the_app_needs() -> None:
    check_must_keep(QT_EXCLUDES)  # raises on failure
    regexes = exclude_regexes(QT_EXCLUDES)
    for path in MUST_KEEP:
        assert not is_excluded(path, regexes), path
    for path in (
        "PySide6/opengl32sw.dll",  # software OpenGL for VMs / remote desktop
        "PySide6/plugins/tls/qschannelbackend.dll",
        "PySide6/avcodec-61.dll",  # FFmpeg for the Multimedia backend
        "shiboken6/shiboken6.abi3.dll",
        "animaze_panel/resources/icon.png",
        "animaze_panel/resources/web/vendor/AgoraRTC_N.js",
        "PySide6/translations/qtwebengine_locales/de.pak",
        "PySide6/resources/qtwebengine_resources_200p.pak",
        "animaze_panel/resources/kaltura.svg",
        "av/video/frame.cp311-win_amd64.pyd",  # PyAV decodes the Kaltura avatar's video
    ):
        assert not is_excluded(path, regexes), path


@pytest.mark.parametrize(
    "path",
    [
        "PySide6/Qt6WebEngineQuick.dll",
        "PySide6/QtWebEngineQuick.pyd",
        "PySide6/Qt6Pdf.dll",
        "PySide6/resources/qtwebengine_resources.debug.pak",
        "PySide6/resources/qtwebengine_devtools_resources.pak",
        "PySide6/translations/qtbase_de.qm",
        "PySide6/qsb.exe",
        "PySide6/Qt63DRender.dll",
        "PySide6/qml/QtQuick/Controls/impl/qtquickcontrols2implplugin.dll",
        "PySide6/designer.exe",
        "PySide6/plugins/designer/qwebengineview.dll",
        "PySide6/QtWidgets.pyi",
        "PySide6/include/QtCore/qglobal.h",
    ],
)
def test_trim_drops_the_bulk(path: str) -> None:
    assert is_excluded(path, exclude_regexes(QT_EXCLUDES))


def test_must_keep_guard_catches_a_greedy_pattern() -> None:
    with pytest.raises(BuildError, match="QtMultimedia.pyd"):
        check_must_keep([*QT_EXCLUDES, "pkgs/PySide6/*Multimedia*"])


def render(**overrides: object) -> str:
    args: dict[str, object] = {
        "version": "0.1.0",
        "py_version": "3.11.9",
        "icon": Path("/src/resources/icon.ico"),
        "wheel_glob": "/b/wheels/*.whl",
        "build_dir": Path("/b/nsis"),
        "nsi_template": "animaze_panel_installer.nsi",
        "excludes": QT_EXCLUDES,
    }
    args.update(overrides)
    return render_config(**args)  # type: ignore[arg-type]


def test_config_is_valid_for_pynsist(tmp_path: Path) -> None:
    cfg_file = tmp_path / "installer.cfg"
    cfg_file.write_text(render(), encoding="utf-8")
    args = configreader.get_installer_builder_args(configreader.read_and_validate(str(cfg_file)))
    assert args["appname"] == "Animaze Panel"
    assert args["version"] == "0.1.0"
    assert args["py_version"] == "3.11.9"
    assert args["py_bitness"] == 64
    assert args["inc_msvcrt"] is False
    assert args["local_wheels"] == ["/b/wheels/*.whl"]
    assert args["exclude"] == list(QT_EXCLUDES)
    assert args["installer_name"] == "animaze-panel-0.1.0-setup.exe"
    assert args["nsi_template"] == "animaze_panel_installer.nsi"
    assert args["icon"] == "/src/resources/icon.ico"
    assert args["pypi_wheel_reqs"] == []  # nothing is fetched by pynsist itself
    shortcut = args["shortcuts"]["Animaze Panel"]
    assert shortcut["entry_point"] == "animaze_panel.__main__:main"
    assert shortcut["console"] is False
    assert args["commands"]["animaze-panel"]["entry_point"] == "animaze_panel.__main__:main"


def test_config_without_trim_has_empty_exclude(tmp_path: Path) -> None:
    cfg_file = tmp_path / "installer.cfg"
    cfg_file.write_text(render(excludes=()), encoding="utf-8")
    args = configreader.get_installer_builder_args(configreader.read_and_validate(str(cfg_file)))
    assert args["exclude"] == []


def test_config_rejects_other_python() -> None:
    with pytest.raises(BuildError, match="3.12.1"):
        render(py_version="3.12.1")


def test_installer_filename() -> None:
    assert installer_filename("1.2.3") == "animaze-panel-1.2.3-setup.exe"
