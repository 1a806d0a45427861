"""The NSIS template: rendered through pynsist's own writer, and compiled by makensis if present."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from nsist import InstallerBuilder
from nsist.nsiswriter import NSISFileWriter

PACKAGING = Path(__file__).resolve().parents[2] / "packaging"
ICON = PACKAGING.parent / "resources" / "icon.ico"


def render(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, version: str = "0.1.0") -> str:
    shutil.copy2(PACKAGING / "installer.nsi", tmp_path / "tpl.nsi")
    monkeypatch.chdir(tmp_path)  # pynsist loads templates from its package dir and the cwd
    ib = InstallerBuilder(
        "Animaze Panel",
        version,
        {"Animaze Panel": {"entry_point": "animaze_panel.__main__:main", "console": False,
                           "icon": str(ICON)}},
        publisher="animaze-panel developers",
        icon=str(ICON),
        py_version="3.11.9",
        py_bitness=64,
        inc_msvcrt=False,
        build_dir=str(tmp_path),
        installer_name=f"animaze-panel-{version}-setup.exe",
        nsi_template="tpl.nsi",
        commands={"animaze-panel": {"entry_point": "animaze_panel.__main__:main"}},
    )
    # What InstallerBuilder.run() would have prepared (prepare_shortcuts, prepare_commands).
    ib.shortcuts["Animaze Panel"].update(
        target="$INSTDIR\\Python\\pythonw.exe",
        parameters='"$INSTDIR\\Animaze_Panel.launch.pyw"',
        icon="icon.ico",
    )
    ib.install_files = [("Animaze_Panel.launch.pyw", "$INSTDIR"), ("icon.ico", "$INSTDIR"),
                        ("_system_path.py", "$INSTDIR")]
    ib.install_dirs = [("Python", "$INSTDIR"), ("bin", "$INSTDIR")]
    out = tmp_path / "installer.nsi"
    NSISFileWriter("tpl.nsi", installerbuilder=ib).write(str(out))
    return out.read_text()


def uninstall_section(nsi: str) -> str:
    return nsi[nsi.index('Section "Uninstall"') : nsi.index("SectionEnd", nsi.index('"Uninstall"'))]


def test_per_user_without_admin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    nsi = render(tmp_path, monkeypatch)
    assert "RequestExecutionLevel user" in nsi
    assert 'InstallDir "$LOCALAPPDATA\\Programs\\${DIST_NAME}"' in nsi
    assert "HKLM" not in nsi and "SetShellVarContext all" not in nsi
    assert "MultiUser.nsh" not in nsi


def test_uninstaller_keeps_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    section = uninstall_section(render(tmp_path, monkeypatch))
    # Only named program folders are removed recursively; $INSTDIR itself only when empty.
    recursive = re.findall(r'RMDir /r "([^"]+)"', section)
    assert recursive and all(p.startswith("$INSTDIR\\") for p in recursive), recursive
    assert 'RMDir "$INSTDIR"' in section
    assert "APPDATA" not in section  # settings: %LOCALAPPDATA%\animaze-panel, never touched


def test_upgrade_replaces_program_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    nsi = render(tmp_path, monkeypatch)
    assert 'InstallDirRegKey HKCU "${UNINSTALL_KEY}" "InstallLocation"' in nsi
    install = nsi[nsi.index('Section "!'):]
    assert install.index('RMDir /r "$INSTDIR\\pkgs"') < install.index('File /r "pkgs\\*.*"')
    assert '!define LOCK_PROBE "$INSTDIR\\Python\\python311.dll"' in nsi


def test_shortcuts_and_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    nsi = render(tmp_path, monkeypatch)
    assert 'CreateShortCut "$SMPROGRAMS\\Animaze Panel.lnk" "$INSTDIR\\Python\\pythonw.exe"' in nsi
    assert 'CreateShortCut "$DESKTOP\\Animaze Panel.lnk"' in nsi
    assert '"/NODESKTOP"' in nsi
    assert "add_user" in nsi and 'remove "$INSTDIR\\bin"' in nsi


@pytest.mark.parametrize(("version", "vi"), [("0.1.0", "0.1.0.0"), ("1.2.0rc1", "1.2.0.0")])
def test_version_info(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, version: str, vi: str
) -> None:
    assert f'VIProductVersion "{vi}"' in render(tmp_path, monkeypatch, version)


@pytest.mark.skipif(shutil.which("makensis") is None, reason="needs makensis (apt: nsis)")
def test_makensis_compiles_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    render(tmp_path, monkeypatch)
    for folder, name in (("pkgs", "x.py"), ("Python", "python311.dll"), ("bin", "x.exe")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / name).write_bytes(b"x")
    for name in ("Animaze_Panel.launch.pyw", "_system_path.py"):
        (tmp_path / name).write_text("pass\n")
    shutil.copy2(ICON, tmp_path / "icon.ico")
    proc = subprocess.run(
        ["makensis", "-V2", "-WX", "installer.nsi"], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (tmp_path / "animaze-panel-0.1.0-setup.exe").stat().st_size > 30_000
