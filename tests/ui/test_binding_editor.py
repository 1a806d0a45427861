"""Key recorder, action picker and binding editor: recording, validation, conflicts, choices."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QWidget
from pytestqt.qtbot import QtBot

from animaze_panel.animaze.overrides import BEHAVIOURS
from animaze_panel.hotkeys import actions as a
from animaze_panel.hotkeys.bindings import Binding, Overlap
from animaze_panel.hotkeys.keys import KeyCombo
from animaze_panel.simulator import SimulatorThread
from animaze_panel.ui.hotkeys.action_choices import ActionChoices
from animaze_panel.ui.hotkeys.action_picker import ActionPicker
from animaze_panel.ui.hotkeys.binding_editor import HOLD, MACRO, BindingEditor
from animaze_panel.ui.hotkeys.hotkey_recorder import HotkeyRecorder
from animaze_panel.ui.session import AnimazeSession

from . import controls_support as cs
from .conftest import make_client

sim = cs.sim
session = cs.session
pytestmark = cs.QT_LOG_IGNORE

M = Qt.KeyboardModifier


def key(widget: QWidget, code: Qt.Key, mods: Qt.KeyboardModifier = M.NoModifier,
        *, repeat: bool = False) -> None:
    """Deliver a key press to ``widget`` as Qt would (through event())."""
    event = QKeyEvent(QEvent.Type.KeyPress, code, mods, "", repeat)
    QApplication.sendEvent(widget, event)


def ok_enabled(editor: BindingEditor) -> bool:
    return editor.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()


def test_recorder_turns_ctrl_shift_f1_into_a_combo(qtbot: QtBot) -> None:
    recorder = HotkeyRecorder()
    qtbot.addWidget(recorder)
    recorder.start_recording()
    assert recorder.recording
    key(recorder, Qt.Key.Key_Control, M.ControlModifier)
    assert recorder.display.text() == "Ctrl+…"  # still waiting for the key
    assert recorder.combo is None
    with qtbot.waitSignal(recorder.comboChanged) as got:
        key(recorder, Qt.Key.Key_F1, M.ControlModifier | M.ShiftModifier)
    assert got.args == [KeyCombo.parse("Ctrl+Shift+F1")]
    assert recorder.combo == KeyCombo.parse("Ctrl+Shift+F1")
    assert not recorder.recording
    assert recorder.display.text() == "Ctrl+Shift+F1"


def test_recorder_escape_cancels_backspace_clears_tab_is_recorded(qtbot: QtBot) -> None:
    recorder = HotkeyRecorder()
    qtbot.addWidget(recorder)
    recorder.set_combo(KeyCombo.parse("Alt+F9"))
    recorder.start_recording()
    key(recorder, Qt.Key.Key_Escape)
    assert not recorder.recording and recorder.combo == KeyCombo.parse("Alt+F9")
    recorder.start_recording()
    key(recorder, Qt.Key.Key_F2, M.ControlModifier, repeat=True)  # auto-repeat is ignored
    assert recorder.recording
    key(recorder, Qt.Key.Key_Backspace)
    assert recorder.combo is None and not recorder.recording
    recorder.start_recording()
    key(recorder, Qt.Key.Key_Tab, M.ControlModifier)  # not focus navigation while recording
    assert recorder.combo == KeyCombo.parse("Ctrl+Tab")
    recorder.start_recording()
    key(recorder, Qt.Key.Key_Exclam, M.ControlModifier | M.ShiftModifier)  # Shift+1 gives "!"
    assert recorder.combo == KeyCombo.parse("Ctrl+Shift+1")


def test_recorder_shows_warnings_live(qtbot: QtBot) -> None:
    recorder = HotkeyRecorder(checker=lambda c: [f"{c} is busy"] if c.key == "F1" else [])
    qtbot.addWidget(recorder)
    recorder.show()
    recorder.start_recording()
    key(recorder, Qt.Key.Key_F1, M.ControlModifier)
    assert recorder.warning.isVisible() and "Ctrl+F1 is busy" in recorder.warning.text()
    recorder.start_recording()
    key(recorder, Qt.Key.Key_F2, M.ControlModifier)
    assert not recorder.warning.isVisible()


def test_editor_shows_a_conflict_for_a_duplicate_combination(qtbot: QtBot) -> None:
    taken = Binding(KeyCombo.parse("Ctrl+F1"), (a.Emote("Emote_Cool"),), name="Cool")
    editor = BindingEditor([taken])
    qtbot.addWidget(editor)
    editor.show()
    editor.press_picker.set_action(a.Emote("Emote_Fire"))
    editor.recorder.start_recording()
    key(editor.recorder, Qt.Key.Key_F1, M.ControlModifier)
    assert editor.recorder.combo == KeyCombo.parse("Ctrl+F1")
    assert "Ctrl+F1 is used by 'Cool'" in editor.conflict_label.text()
    assert editor.conflict_label.isVisible()
    assert "Ctrl+F1 is used by 'Cool'" in editor.recorder.warning.text()  # live, in the field
    assert not ok_enabled(editor)
    editor.accept()
    assert editor.isVisible()  # OK refused
    editor.recorder.set_combo(KeyCombo.parse("Ctrl+F2"))
    assert ok_enabled(editor) and not editor.conflict_label.isVisible()


def test_validation_names_the_field_and_ok_waits_for_a_valid_binding(qtbot: QtBot) -> None:
    editor = BindingEditor([])
    qtbot.addWidget(editor)
    editor.show()
    assert editor.error_label.text().startswith("Keys:")
    assert not ok_enabled(editor)
    editor.recorder.set_combo(KeyCombo.parse("Ctrl+Alt+E"))
    assert editor.error_label.text() == "Action (emote): choose or type a name"
    assert not ok_enabled(editor)
    editor.press_picker.target_combo.setEditText("Emote_Wave")
    assert ok_enabled(editor) and not editor.error_label.isVisible()
    editor.press_picker.set_kind("chatpal")
    assert editor.error_label.text() == "Action (message): type what to send"
    editor.press_picker.message_edit.setText("Hello chat")
    editor.press_picker.echo_check.setChecked(True)
    editor.cooldown_spin.setValue(2.5)
    assert ok_enabled(editor)
    result = editor.binding()
    assert result.press == (a.ChatPal("Hello chat", echo=True),)
    assert result.cooldown == 2.5
    # A typing key warns but does not block.
    editor.recorder.set_combo(KeyCombo.parse("Q"))
    assert "without Ctrl/Alt/Meta" in editor.conflict_label.text() and ok_enabled(editor)


def test_macro_steps_with_waits_add_move_remove(qtbot: QtBot) -> None:
    editor = BindingEditor([])
    qtbot.addWidget(editor)
    editor.show()
    editor.recorder.set_combo(KeyCombo.parse("Ctrl+F4"))
    editor.press_picker.set_action(a.Emote("Emote_Wave"))
    editor.set_kind(MACRO)
    steps = editor.macro_editor
    assert steps.steps == [a.Emote("Emote_Wave")]  # the single action starts the macro
    steps.picker.set_action(a.Wait(1.5))
    steps.add_button.click()
    steps.picker.set_action(a.Pose(2))
    steps.add_button.click()
    steps.picker.set_action(a.Idle(0))
    steps.add_button.click()
    assert [s.describe() for s in steps.steps] == ["Emote Emote_Wave", "Wait 1.5 s", "Pose #2",
                                                  "Idle #0"]
    steps.list.setCurrentRow(3)
    steps.up_button.click()
    assert steps.steps[2] == a.Idle(0) and steps.list.currentRow() == 2
    steps.down_button.click()
    steps.remove_button.click()
    assert steps.steps == [a.Emote("Emote_Wave"), a.Wait(1.5), a.Pose(2)]
    steps.list.setCurrentRow(1)
    assert steps.picker.kind == "wait"  # selecting a step shows it
    steps.picker.seconds_spin.setValue(3.0)
    steps.update_button.click()
    editor.overlap_combo.setCurrentIndex(editor.overlap_combo.findData(Overlap.ALLOW))
    result = editor.binding()
    assert result.press == (a.Emote("Emote_Wave"), a.Wait(3.0), a.Pose(2))
    assert result.overlap is Overlap.ALLOW and result.is_macro
    steps.set_steps([a.Wait(1.0)])
    assert "a macro of only waits does nothing" in editor.error_label.text()
    assert not ok_enabled(editor)


def test_hold_and_round_trip_of_every_kind(qtbot: QtBot) -> None:
    editor = BindingEditor([])
    qtbot.addWidget(editor)
    editor.recorder.set_combo(KeyCombo.parse("Ctrl+F3"))
    editor.set_kind(HOLD)
    editor.press_picker.set_action(a.Pose(1))
    editor.release_picker.set_action(a.Idle(0))
    hold = editor.binding()
    assert hold.press == (a.Pose(1),) and hold.release == (a.Idle(0),) and hold.is_hold
    samples = [
        hold,
        Binding(KeyCombo.parse("Meta+F1"), (a.Behaviour("Cross Eyes", "on"),), name="Eyes",
                enabled=False, cooldown=1.0),
        Binding(KeyCombo.parse("Ctrl+Num5"), (a.Emote("Emote_Cool"), a.Wait(0.5),
                                              a.CameraPreset("Wide")),
                release=(a.Idle(0),), overlap=Overlap.RESTART),
        Binding(KeyCombo.parse("Alt+B"), (a.Broadcast("on"),)),
        Binding(KeyCombo.parse("Alt+Q"), (a.Quickscene(5),)),
        Binding(KeyCombo.parse("Alt+S"), (a.LoadScene("Neon_City"),)),
    ]
    for sample in samples:
        other = BindingEditor([], sample)
        qtbot.addWidget(other)
        assert other.binding() == sample, sample


@pytest.mark.asyncio
async def test_picker_types_names_and_indices_without_animaze(qtbot: QtBot) -> None:
    client = make_client("ws://127.0.0.1:9")  # never started: disconnected
    try:
        choices = ActionChoices(AnimazeSession(client))
        assert choices.refresh() is None
        picker = ActionPicker(choices)
        qtbot.addWidget(picker)
        picker.set_kind("pose")
        assert picker.target_combo.count() == 0
        picker.target_combo.setEditText("3 - Surprised")
        assert picker.action() == a.Pose(3)
        picker.target_combo.setEditText("surprised")
        assert picker.error() == "pose: choose one or type its index (0, 1, 2...)"
        picker.set_kind("behaviour")
        assert picker.target_combo.count() == len(BEHAVIOURS) == 19
        picker.target_combo.setEditText("no such behaviour")
        assert picker.error().startswith("behaviour: unknown behaviour")
        picker.set_kind("load_avatar")
        picker.target_combo.setEditText("  Custom_Avatar ")
        assert picker.action() == a.LoadAvatar("Custom_Avatar")
    finally:
        await client.close()


@pytest.mark.asyncio
async def test_picker_offers_what_animaze_has(
    qtbot: QtBot, sim: SimulatorThread, session: AnimazeSession
) -> None:
    choices = ActionChoices(session, lambda: ["Close-up", "Wide"])
    task = choices.refresh()
    assert task is not None
    await task
    assert choices.loaded
    picker = ActionPicker(choices)
    qtbot.addWidget(picker)
    picker.set_kind("emote")
    labels = [picker.target_combo.itemText(i) for i in range(picker.target_combo.count())]
    assert "Heart Eyes (Emote_HeartEyes)" in labels and len(labels) == 30
    picker.target_combo.setCurrentIndex(labels.index("Heart Eyes (Emote_HeartEyes)"))
    assert picker.action() == a.Emote("Emote_HeartEyes")

    world = sim.simulator.world
    picker.set_kind("pose")
    pose = world.avatar.poses[-1]
    row = picker.target_combo.findText(f"{pose.index} - {pose.anim_name}")
    assert row >= 0
    picker.target_combo.setCurrentIndex(row)
    assert picker.action() == a.Pose(pose.index)
    picker.set_kind("special_action")
    assert picker.target_combo.count() == len(world.avatar.special_actions)
    picker.set_kind("load_avatar")
    assert picker.target_combo.count() == len(world.catalogue.avatars)
    picker.set_kind("load_scene")
    assert picker.target_combo.findData(world.catalogue.scenes[0].item_name) >= 0
    picker.set_kind("quickscene")
    assert picker.target_combo.count() > 0
    picker.set_kind("camera_preset")
    assert [picker.target_combo.itemText(i) for i in range(2)] == ["Close-up", "Wide"]
    # A typed index still works for lists Animaze filled.
    picker.set_kind("idle")
    picker.target_combo.setEditText("0")
    assert picker.action() == a.Idle(0)
