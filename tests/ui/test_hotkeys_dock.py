"""HotkeysDock: list, status, master switch, editing, messages, import/export, installation."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QLabel,
    QMainWindow,
    QPushButton,
    QTableWidgetItem,
    QWidget,
)
from pytestqt.qtbot import QtBot

from animaze_panel.hotkeys import actions as a
from animaze_panel.hotkeys.keys import KeyCombo
from animaze_panel.hotkeys.store import load_file
from animaze_panel.simulator import SimulatorThread
from animaze_panel.ui.animaze_state import Part
from animaze_panel.ui.hotkeys.hotkeys_dock import HotkeysDock
from animaze_panel.ui.hotkeys.hotkeys_service import HotkeyService
from animaze_panel.ui.hotkeys.hotkeys_table import ENABLED, STATUS
from animaze_panel.ui.session import AnimazeSession
from tests.fake_clock import FakeClock

from . import controls_support as cs
from . import hotkeys_support as hs
from .conftest import QT_OFFSCREEN_NOISE, wait_until

sim = cs.sim
session = cs.session
window = cs.window
backend = hs.backend
clock = hs.clock
profile_path = hs.profile_path
service = hs.service
pytestmark = pytest.mark.qt_log_ignore(QT_OFFSCREEN_NOISE)

PROFILE = (
    hs.emote_binding("Ctrl+Shift+F1", "Emote_Confetti", "Party")
    + """
[[binding]]
keys = "Ctrl+F3"
action = { type = "pose", index = 1 }
release = { type = "idle", index = 0 }
cooldown = 0.5

[[binding]]
keys = "Ctrl+F2"
macro = [{ type = "emote", name = "Emote_Cool" }, { type = "wait", seconds = 1.5 },
         { type = "idle", index = 0 }]

[[binding]]
keys = "Ctrl+Alt+F12"
action = { type = "calibrate" }

[[binding]]
keys = "Ctrl+F4"
enabled = false
action = { type = "broadcast" }

[[binding]]
keys = "Ctrl+F9"
action = { type = "emote", nmae = "typo" }
"""
)
SIDE_COLUMN = 420
"""Widest minimum a dock may have to share a side column of the Animaze page at 1280x720."""
BAD_LINE = PROFILE.splitlines().index('action = { type = "emote", nmae = "typo" }') + 1


def dock_for(window: QMainWindow, service: HotkeyService) -> HotkeysDock:
    dock = HotkeysDock(service)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    window.show()
    return dock


def cells(dock: HotkeysDock, row: int) -> list[str]:
    return [item(dock, row, col).text() for col in range(dock.table.columnCount())]


def item(dock: HotkeysDock, row: int, column: int) -> QTableWidgetItem:
    cell = dock.table.item(row, column)
    assert cell is not None
    return cell


def press_ok(dock: HotkeysDock) -> None:
    assert dock.editor is not None
    button = dock.editor.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert button.isEnabled(), dock.editor.error_label.text() + dock.editor.conflict_label.text()
    button.click()


@pytest.mark.asyncio
async def test_lists_bindings_with_kind_status_conflicts_and_file_problems(
    qtbot: QtBot, window: QMainWindow, service: HotkeyService, profile_path: Path
) -> None:
    hs.write_profile(profile_path, PROFILE)
    service.load()
    dock = dock_for(window, service)
    assert dock.objectName() == "hotkeysDock" and dock.windowTitle() == "Hotkeys"
    assert dock.table.rowCount() == 5
    assert cells(dock, 0) == ["Ctrl+Shift+F1", "Party", "press", "0.25 s", "", "registered"]
    # Before Animaze has listed the poses: named as readably as the file allows.
    assert cells(dock, 1)[1:4] == ["Pose 1", "hold", "0.5 s"]
    assert cells(dock, 2)[1:3] == ["Cool, Wait 1.5 s, Idle 0", "macro"]
    assert dock.status_text(3) == "refused: taken by another program"
    assert dock.status_text(4) == "disabled"
    assert item(dock, 4, ENABLED).checkState() == Qt.CheckState.Unchecked
    assert dock.switch.isChecked()
    assert dock.backend_label.text().startswith("Global hotkeys (test)")
    assert "Ctrl+Alt+F12: taken by another program" in dock.conflicts_label.text()
    problems = dock.problems_label.text()
    assert f"hotkeys.toml line {BAD_LINE}: binding: action.nmae: unknown field" in problems
    assert dock.problems_label.isVisible()
    # The bad entry stays in the file when the panel saves.
    dock.delete(1)
    assert 'nmae = "typo"' in profile_path.read_text(encoding="utf-8")


@pytest.mark.asyncio
async def test_fits_a_side_column_without_clipping_a_button(
    qtbot: Any, window: QMainWindow, service: HotkeyService, profile_path: Path
) -> None:
    hs.write_profile(profile_path, PROFILE)  # conflicts, skipped entries, a long backend line
    service.load()
    window.setCentralWidget(QWidget())  # takes what the dock leaves
    dock = dock_for(window, service)
    assert dock.minimumSizeHint().width() <= SIDE_COLUMN
    window.resizeDocks([dock], [1], Qt.Orientation.Horizontal)  # as narrow as it goes
    await wait_until(lambda: dock.width() <= SIDE_COLUMN)
    buttons = dock.widget().findChildren(QPushButton)
    assert {b.text() for b in buttons} == {"Add…", "Edit…", "Duplicate…", "Delete",
                                           "Stop macros", "Import…", "Export…"}
    await wait_until(lambda: all(b.isVisible() and b.geometry().right() < dock.widget().width()
                                 for b in buttons))
    clipped = [b.text() for b in buttons if b.width() < b.sizeHint().width()]
    assert clipped == []


@pytest.mark.asyncio
async def test_bindings_say_what_they_do_in_animazes_words(
    qtbot: QtBot, window: QMainWindow, service: HotkeyService, profile_path: Path,
    session: AnimazeSession,
) -> None:
    hs.write_profile(profile_path, hs.emote_binding("Ctrl+Shift+F1", "Emote_Confetti") + """
[[binding]]
keys = "Ctrl+F3"
action = { type = "pose", index = 1 }
release = { type = "idle", index = 0 }
""")
    service.load()
    dock = dock_for(window, service)
    model = session.model
    await model.refresh(Part.EMOTES, Part.POSES, Part.IDLES)
    pose = next(p for p in model.poses if p.index == 1)
    await wait_until(lambda: cells(dock, 1)[1] == f"{pose.anim_name} (pose)")
    assert cells(dock, 0)[1] == "Confetti"  # not "Emote Emote_Confetti"
    assert item(dock, 0, 1).toolTip() == "Emote Emote_Confetti"  # the exact item


@pytest.mark.asyncio
async def test_an_empty_list_says_how_to_start(
    qtbot: QtBot, window: QMainWindow, service: HotkeyService, profile_path: Path
) -> None:
    service.load()  # no file yet
    dock = dock_for(window, service)
    assert dock.empty_label.isVisible() and not dock.table.isVisible()
    assert "Add…" in dock.empty_label.text() and "Import…" in dock.empty_label.text()
    hs.write_profile(profile_path, PROFILE)
    service.load()
    assert dock.table.isVisible() and not dock.empty_label.isVisible()


@pytest.mark.asyncio
async def test_status_marks_are_icons_not_glyphs(
    qtbot: QtBot, window: QMainWindow, service: HotkeyService, profile_path: Path
) -> None:
    hs.write_profile(profile_path, PROFILE)
    service.load()
    dock = dock_for(window, service)
    assert not item(dock, 0, STATUS).icon().isNull()  # registered
    assert not item(dock, 3, STATUS).icon().isNull()  # refused
    assert item(dock, 4, STATUS).icon().isNull()  # disabled: nothing to mark
    for notes in (dock.conflicts_label, dock.problems_label):
        assert notes.isVisible() and notes.notes()
        assert not any(ch in notes.text() for ch in "⚠⛔✓")
    icons = dock.conflicts_label.findChildren(QLabel, "noteIcon")
    assert icons and all(not i.pixmap().isNull() for i in icons)


@pytest.mark.asyncio
async def test_master_switch_releases_every_key(
    qtbot: QtBot,
    window: QMainWindow,
    service: HotkeyService,
    backend: hs.RecordingBackend,
    profile_path: Path,
) -> None:
    hs.write_profile(profile_path, PROFILE)
    service.load()
    dock = dock_for(window, service)
    assert len(backend.registered) == 3
    dock.switch.click()
    assert not dock.switch.isChecked() and backend.registered == frozenset()
    assert dock.status_text(0).startswith("off")
    assert load_file(profile_path).profile.enabled is False
    dock.switch.click()
    assert len(backend.registered) == 3 and dock.status_text(0) == "registered"


@pytest.mark.asyncio
async def test_add_edit_duplicate_toggle_delete_and_fire(
    qtbot: QtBot,
    sim: SimulatorThread,
    window: QMainWindow,
    service: HotkeyService,
    backend: hs.RecordingBackend,
    profile_path: Path,
    clock: FakeClock,
) -> None:
    service.load()
    dock = dock_for(window, service)
    assert dock.table.rowCount() == 0 and not dock.edit_button.isEnabled()
    dock.add_button.click()
    editor = dock.editor
    assert editor is not None and editor.isVisible()
    editor.recorder.set_combo(KeyCombo.parse("Ctrl+Shift+F1"))
    editor.press_picker.target_combo.setEditText("Emote_Sparkles")
    editor.name_edit.setText("Sparkle")
    press_ok(dock)
    assert dock.editor is None
    assert cells(dock, 0)[:3] == ["Ctrl+Shift+F1", "Sparkle", "press"]
    assert load_file(profile_path).profile.bindings[0].press == (a.Emote("Emote_Sparkles"),)
    since = sim.simulator.frame_count
    backend.press("Ctrl+Shift+F1")
    backend.release("Ctrl+Shift+F1")
    await cs.wait_frame(sim, cs.action_is("TriggerEmote", itemName="Emote_Sparkles"),
                        since=since)

    dock.table.selectRow(0)
    assert dock.edit_button.isEnabled()
    dock.edit_button.click()
    assert dock.editor is not None and dock.editor.name_edit.text() == "Sparkle"
    dock.editor.name_edit.setText("Sparkles!")
    press_ok(dock)
    assert cells(dock, 0)[1] == "Sparkles!" and dock.table.rowCount() == 1

    dock.duplicate_button.click()
    editor = dock.editor
    assert editor is not None and editor.windowTitle() == "Duplicate hotkey"
    assert "Ctrl+Shift+F1 is used by 'Sparkles!'" in editor.conflict_label.text()
    assert not editor.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    editor.recorder.set_combo(KeyCombo.parse("Ctrl+Shift+F2"))
    press_ok(dock)
    assert dock.table.rowCount() == 2 and cells(dock, 1)[0] == "Ctrl+Shift+F2"

    dock.table.item(1, ENABLED).setCheckState(Qt.CheckState.Unchecked)
    assert service.profile.bindings[1].enabled is False
    assert KeyCombo.parse("Ctrl+Shift+F2") not in backend.registered
    assert dock.status_text(1) == "disabled"

    dock.table.selectRow(0)
    dock.delete_button.click()
    assert [str(b.keys) for b in service.profile.bindings] == ["Ctrl+Shift+F2"]
    assert len(load_file(profile_path).profile.bindings) == 1

    dock.add_button.click()  # Cancel changes nothing
    assert dock.editor is not None
    dock.editor.reject()
    assert dock.editor is None and len(service.profile.bindings) == 1


@pytest.mark.asyncio
async def test_missing_emote_message_shown_in_dock(
    qtbot: QtBot,
    window: QMainWindow,
    service: HotkeyService,
    backend: hs.RecordingBackend,
    profile_path: Path,
) -> None:
    hs.write_profile(profile_path, hs.emote_binding("Ctrl+F6", "Emote_Removed", "Old"))
    service.load()
    dock = dock_for(window, service)
    message = cs.next_emission(service.message)
    backend.press("Ctrl+F6")
    await message
    assert "the emote 'Emote_Removed' is not available any more" in dock.message_label.text()
    assert dock.message_label.isVisible()


@pytest.mark.asyncio
async def test_import_reports_bad_entry_by_line_and_keeps_the_rest(
    qtbot: QtBot,
    window: QMainWindow,
    service: HotkeyService,
    profile_path: Path,
    tmp_path: Path,
) -> None:
    hs.write_profile(profile_path, hs.emote_binding("Ctrl+F1", "Emote_Cool", "Mine"))
    service.load()
    dock = dock_for(window, service)
    incoming = tmp_path / "shared.toml"
    text = (hs.emote_binding("Ctrl+F2", "Emote_Fire", "Fire")
            + '\n[[binding]]\nkeys = "Ctrl+Hyper+F3"\naction = { type = "calibrate" }\n'
            + '\n[[camera_preset]]\nname = "Wide"\nposition = [0.0, 1.6, 3.0]\n'
            + 'rotation = [0.0, 0.0, 0.0, 1.0]\nfov = 50.0\n')
    incoming.write_text(text, encoding="utf-8")
    bad_line = text.splitlines().index('keys = "Ctrl+Hyper+F3"') + 1
    assert dock.import_profile(incoming)
    assert [b.label for b in service.profile.bindings] == ["Mine", "Fire"]
    assert [p.name for p in service.profile.presets] == ["Wide"]
    assert f"Import shared.toml line {bad_line}: binding: keys:" in dock.problems_label.text()
    assert "unknown key 'Hyper'" in dock.problems_label.text()
    assert "Imported 1 hotkeys and 1 camera presets" in dock.message_label.text()
    assert len(load_file(profile_path).profile.bindings) == 2  # saved

    before = service.profile
    assert not dock.import_profile(tmp_path / "missing.toml")
    assert service.profile == before
    assert "Cannot import" in dock.problems_label.text()


@pytest.mark.asyncio
async def test_export_import_round_trip(
    qtbot: QtBot,
    window: QMainWindow,
    service: HotkeyService,
    profile_path: Path,
    tmp_path: Path,
) -> None:
    hs.write_profile(profile_path, PROFILE.split("[[binding]]\nkeys = \"Ctrl+F9\"")[0] + """
[[camera_preset]]
name = "Close-up"
position = [0.0, 1.6, 0.8]
rotation = [0.0, 0.0, 0.0, 1.0]
fov = 35.0
avatar = { position = [0.0, 0.0, 0.0], rotation = [0.0, 0.0, 0.0, 1.0], scale = 1.2 }
""")
    service.load()
    assert service.problems == ()
    dock = dock_for(window, service)
    exported = tmp_path / "out" / "profile.toml"
    assert dock.export_profile(exported)
    assert f"Exported the hotkeys to {exported}" in dock.message_label.text()
    original = service.profile
    dock.delete(0)
    dock.delete(0)
    dock.delete(0)
    dock.delete(0)
    dock.delete(0)
    service.delete_preset("Close-up")
    assert service.profile.bindings == () and service.profile.presets == ()
    assert dock.import_profile(exported)
    assert service.profile.bindings == original.bindings
    assert service.profile.presets == original.presets
    assert not dock.export_profile(tmp_path / "out" / "profile.toml" / "not-a-dir.toml")


@pytest.mark.asyncio
async def test_installed_in_main_window_with_in_app_shortcuts(
    qtbot: QtBot,
    simulator: SimulatorThread,
    animaze_session: AnimazeSession,
    settings: QSettings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from animaze_panel.app import build_window
    from animaze_panel.ui.hotkeys.hotkeys_install import hotkeys_extension
    from animaze_panel.ui.self_test import wait_ready

    monkeypatch.delenv("ANIMAZE_PANEL_HOTKEYS", raising=False)
    path = tmp_path / "hotkeys.toml"
    hs.write_profile(path, hs.emote_binding("Ctrl+Shift+F1", "Emote_Confetti", "Party")
                     + hs.emote_binding("Ctrl+Shift+F2", "Emote_Removed", "Old"))
    closers: list[Any] = []
    QApplication.setQuitOnLastWindowClosed(False)
    extension = hotkeys_extension(animaze_session, closers, profile_path=path)
    main = build_window(animaze_session, settings, icon_cache_dir=tmp_path / "icons",
                        extensions=[extension])
    try:
        main.show()
        await wait_ready(main)
        assert extension.feature is not None
        dock = extension.feature.dock
        assert dock in main.docks()
        assert any(act.text() == "Hotkeys" for act in main.docks_menu.actions())
        assert extension.feature.presets.parent() is main.camera.controls
        assert "In-app shortcuts" in dock.backend_label.text()
        assert "the 'offscreen' Qt platform has no keyboard" in dock.backend_label.text()
        assert dock.status_text(0) == "registered (in-app)"

        # A real key event reaches the in-app shortcut and becomes a TriggerEmote.
        since = simulator.simulator.frame_count
        main.activateWindow()
        await wait_until(lambda: QApplication.activeWindow() is main)
        target = main.url_edit
        target.setFocus()
        mods = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
        QTest.keyPress(target, Qt.Key.Key_F1, mods)
        QTest.keyRelease(target, Qt.Key.Key_F1, mods)
        await cs.wait_frame(simulator, cs.action_is("TriggerEmote", itemName="Emote_Confetti"),
                            since=since)

        QTest.keyPress(target, Qt.Key.Key_F2, mods)
        QTest.keyRelease(target, Qt.Key.Key_F2, mods)
        # Let go of Ctrl and Shift too: Qt keeps the last modifiers app-wide, and later tests
        # would otherwise click and select with them held.
        QTest.keyRelease(target, Qt.Key.Key_Shift, Qt.KeyboardModifier.ControlModifier)
        QTest.keyRelease(target, Qt.Key.Key_Control, Qt.KeyboardModifier.NoModifier)
        assert QApplication.keyboardModifiers() == Qt.KeyboardModifier.NoModifier
        await wait_until(lambda: "Emote_Removed" in main.statusBar().currentMessage())
        assert "not available any more" in main.statusBar().currentMessage()
    finally:
        main.close()
        for close in closers:
            await close()
        await asyncio.sleep(0)


@pytest.mark.asyncio
async def test_stop_macros_cancels_a_running_macro_and_duplicates_show_conflict(
    qtbot: QtBot,
    sim: SimulatorThread,
    window: QMainWindow,
    service: HotkeyService,
    backend: hs.RecordingBackend,
    profile_path: Path,
    clock: FakeClock,
) -> None:
    pose = sim.simulator.world.avatar.poses[0].index
    hs.write_profile(profile_path, f"""
[[binding]]
keys = "Ctrl+F2"
name = "Long show"
macro = [{{ type = "emote", name = "Emote_Cool" }}, {{ type = "wait", seconds = 3 }},
         {{ type = "pose", index = {pose} }}]
""" + hs.emote_binding("Ctrl+F2", "Emote_Fire", "Same keys"))
    service.load()
    dock = dock_for(window, service)
    assert dock.status_text(1).startswith("conflict: Ctrl+F2 is used by 'Long show' and")
    since = sim.simulator.frame_count
    finished = cs.next_emission(service.runFinished)
    backend.press("Ctrl+F2")
    await cs.wait_frame(sim, cs.action_is("TriggerEmote", itemName="Emote_Cool"), since=since)
    assert service.engine.running()
    dock.stop_button.click()
    await finished
    assert "Stopped 1 running macro" in dock.message_label.text()
    await clock.advance(5.0)
    assert not service.engine.running()
    assert cs.frames_of(sim, "TriggerPose", since) == []


@pytest.mark.asyncio
async def test_recording_releases_our_keys_so_a_bound_one_can_be_recorded(
    qtbot: QtBot,
    window: QMainWindow,
    service: HotkeyService,
    backend: hs.RecordingBackend,
    profile_path: Path,
) -> None:
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent

    hs.write_profile(profile_path, hs.emote_binding("Ctrl+Shift+F1", "Emote_Cool"))
    service.load()
    dock = dock_for(window, service)
    fired: list[Any] = []
    service.fired.connect(fired.append)
    editor = dock.add()
    editor.recorder.start_recording()
    assert service.suspended and backend.registered == frozenset()
    assert dock.status_text(0) == "paused while a combination is recorded"
    mods = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    QApplication.sendEvent(editor.recorder, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_F1, mods))
    assert editor.recorder.combo == KeyCombo.parse("Ctrl+Shift+F1") and fired == []
    assert not service.suspended and backend.registered == {KeyCombo.parse("Ctrl+Shift+F1")}
    assert "Ctrl+Shift+F1 is used by" in editor.recorder.warning.text()
    editor.recorder.start_recording()
    editor.reject()  # closing the editor mid-recording brings the keys back too
    assert not service.suspended and dock.status_text(0) == "registered"
