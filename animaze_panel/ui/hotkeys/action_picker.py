"""ActionPicker: choose one hotkey action - its type and its target - from what Animaze offers.

Every action type of :mod:`animaze_panel.hotkeys.actions` is offered (``Wait`` only inside
macros). The target is an editable combo box filled from :class:`~.action_choices.ActionChoices`
(emote names, special action / pose / idle indices with their names, avatars, scenes,
quickscene slots, the 19 behaviours, camera presets); typing works too, so a binding can be
made while Animaze is not connected (``"3"`` or ``"3 - Wave"`` for an index, any name).

:meth:`ActionPicker.action` builds the action or raises :class:`EntryError` naming the field
(the editor shows it and keeps OK disabled); :attr:`ActionPicker.changed` fires on every edit.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from ...hotkeys import actions as a
from ...hotkeys.errors import EntryError
from .action_choices import INDEXED_KINDS, NAMED_KINDS, ActionChoices

_INDEX = re.compile(r"^\s*#?(\d+)\b")
_TARGET_LABEL = {
    "emote": "Emote", "load_avatar": "Avatar", "load_scene": "Scene", "behaviour": "Behaviour",
    "camera_preset": "Preset", "special_action": "Special action", "pose": "Pose",
    "idle": "Idle", "quickscene": "Slot",
}  # fmt: skip


class ActionPicker(QWidget):
    """Type + target (+ state / message / seconds) of one action."""

    changed = Signal()

    def __init__(
        self,
        choices: ActionChoices | None = None,
        *,
        allow_wait: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        """Build the picker.

        Args:
            choices: Where the target lists come from (``None``: typing only).
            allow_wait: Offer the macro-only ``Wait`` step.
            parent: Qt parent.
        """
        super().__init__(parent)
        self.choices = choices
        self._params: dict[str, dict[str, float]] = {}  # behaviour -> params kept on edit
        self.type_combo = QComboBox(self)
        self.type_combo.setObjectName("actionType")
        for cls in a.ACTION_TYPES:
            if cls is a.Wait and not allow_wait:
                continue
            self.type_combo.addItem(cls.LABEL, cls.KIND)
        self.target_combo = QComboBox(self)
        self.target_combo.setObjectName("actionTarget")
        self.target_combo.setEditable(True)
        self.target_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.target_combo.setMinimumContentsLength(18)
        self.state_combo = QComboBox(self)
        self.state_combo.setObjectName("actionState")
        for state in a.STATES:
            self.state_combo.addItem(state, state)
        self.message_edit = QLineEdit(self)
        self.message_edit.setObjectName("actionMessage")
        self.message_edit.setPlaceholderText("What to send to ChatPal")
        self.echo_check = QCheckBox("Avatar says it verbatim (echo)", self)
        self.seconds_spin = QDoubleSpinBox(self)
        self.seconds_spin.setObjectName("actionSeconds")
        self.seconds_spin.setRange(0.0, a.MAX_WAIT)
        self.seconds_spin.setDecimals(2)
        self.seconds_spin.setSingleStep(0.25)
        self.seconds_spin.setSuffix(" s")
        self.seconds_spin.setValue(1.0)

        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.addRow("Action", self.type_combo)
        self.form.addRow("Target", self.target_combo)
        self.form.addRow("State", self.state_combo)
        self.form.addRow("Message", self.message_edit)
        self.form.addRow("", self.echo_check)
        self.form.addRow("Wait", self.seconds_spin)

        self.type_combo.currentIndexChanged.connect(self._on_type_changed)
        self.target_combo.editTextChanged.connect(lambda _t: self.changed.emit())
        self.state_combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.message_edit.textChanged.connect(lambda _t: self.changed.emit())
        self.echo_check.toggled.connect(lambda _c: self.changed.emit())
        self.seconds_spin.valueChanged.connect(lambda _v: self.changed.emit())
        if choices is not None:
            choices.changed.connect(self._fill_targets)
        self._on_type_changed()

    # ------------------------------------------------------------------ public API

    @property
    def kind(self) -> str:
        """The selected action ``KIND``."""
        return str(self.type_combo.currentData())

    def set_kind(self, kind: str) -> None:
        """Select an action type by ``KIND``."""
        index = self.type_combo.findData(kind)
        if index >= 0:
            self.type_combo.setCurrentIndex(index)

    def set_action(self, action: a.Action) -> None:
        """Show ``action`` in the controls."""
        self.set_kind(action.KIND)
        if isinstance(action, a.Emote | a.LoadAvatar | a.LoadScene | a.CameraPreset):
            self._set_target(action.name)
        elif isinstance(action, a.Behaviour):
            self._params[action.name] = dict(action.params)
            self._set_target(action.name)
            self.state_combo.setCurrentIndex(self.state_combo.findData(action.state))
        elif isinstance(action, a.SpecialAction | a.Pose | a.Idle | a.Quickscene):
            self._set_target(action.index)
        elif isinstance(action, a.Broadcast):
            self.state_combo.setCurrentIndex(self.state_combo.findData(action.state))
        elif isinstance(action, a.ChatPal):
            self.message_edit.setText(action.message)
            self.echo_check.setChecked(action.echo)
        elif isinstance(action, a.Say):
            self.message_edit.setText(action.message)
        elif isinstance(action, a.Wait):
            self.seconds_spin.setValue(action.seconds)

    def action(self) -> a.Action:
        """Build the action shown.

        Raises:
            EntryError: A field is missing or invalid (``field`` is the control's name).
        """
        kind = self.kind
        target_name = _TARGET_LABEL.get(kind, "target").lower()
        try:
            if kind in NAMED_KINDS:
                name = self._target_value()
                if not isinstance(name, str) or not name.strip():
                    raise EntryError(target_name, "choose or type a name")
                if kind == "emote":
                    return a.Emote(name)
                if kind == "load_avatar":
                    return a.LoadAvatar(name)
                if kind == "load_scene":
                    return a.LoadScene(name)
                if kind == "camera_preset":
                    return a.CameraPreset(name)
                behaviour = a.Behaviour(name, self._state(), {})
                params = self._params.get(behaviour.name, {})
                return a.Behaviour(behaviour.name, behaviour.state, params)
            if kind in INDEXED_KINDS:
                index = self._target_value()
                if not isinstance(index, int):
                    raise EntryError(target_name, "choose one or type its index (0, 1, 2...)")
                cls = a.BY_KIND[kind]
                assert issubclass(cls, a.SpecialAction | a.Pose | a.Idle | a.Quickscene)
                return cls(index)
            if kind == "broadcast":
                return a.Broadcast(self._state())
            if kind == "calibrate":
                return a.Calibrate()
            if kind == "chatpal":
                if not self.message_edit.text().strip():
                    raise EntryError("message", "type what to send")
                return a.ChatPal(self.message_edit.text(), self.echo_check.isChecked())
            if kind == "say":
                if not self.message_edit.text().strip():
                    raise EntryError("message", "type what the avatar says")
                return a.Say(self.message_edit.text())
            return a.Wait(self.seconds_spin.value())
        except EntryError as exc:
            if exc.field in (target_name, "message", "seconds", "state"):
                raise
            raise EntryError(target_name, exc.reason) from exc

    def error(self) -> str:
        """The current validation error as ``"field: reason"`` ("" when valid)."""
        try:
            self.action()
        except EntryError as exc:
            return f"{exc.field}: {exc.reason}"
        return ""

    # ------------------------------------------------------------------ internals

    def _state(self) -> str:
        return str(self.state_combo.currentData())

    def _target_value(self) -> str | int | None:
        text = self.target_combo.currentText()
        index = self.target_combo.findText(text)
        if index >= 0 and self.target_combo.itemData(index) is not None:
            data = self.target_combo.itemData(index)
            return data if isinstance(data, int | str) else None
        if self.kind in INDEXED_KINDS:
            match = _INDEX.match(text)
            return int(match.group(1)) if match else None
        return text.strip()

    def _set_target(self, value: str | int) -> None:
        for row in range(self.target_combo.count()):
            if self.target_combo.itemData(row) == value:
                self.target_combo.setCurrentIndex(row)
                return
        self.target_combo.setEditText(str(value))

    def _on_type_changed(self) -> None:
        kind = self.kind
        self._row_visible(self.target_combo, kind in NAMED_KINDS or kind in INDEXED_KINDS)
        self._row_visible(self.state_combo, kind in ("broadcast", "behaviour"))
        self._row_visible(self.message_edit, kind in ("chatpal", "say"))
        self._row_visible(self.echo_check, kind == "chatpal")
        self._row_visible(self.seconds_spin, kind == "wait")
        label = self.form.labelForField(self.target_combo)
        if isinstance(label, QLabel):
            label.setText(_TARGET_LABEL.get(kind, "Target"))
        self.target_combo.setEditText("")  # a name of another kind would not make sense
        self._fill_targets()
        self.changed.emit()

    def _row_visible(self, field: QWidget, visible: bool) -> None:
        self.form.setRowVisible(field, visible)

    def _fill_targets(self) -> None:
        kind = self.kind
        typed = self.target_combo.currentText()
        self.target_combo.blockSignals(True)
        self.target_combo.clear()
        if self.choices is not None:
            for choice in self.choices.choices(kind):
                self.target_combo.addItem(choice.label, choice.value)
        self.target_combo.setEditText(typed)
        self.target_combo.blockSignals(False)
        self.target_combo.setToolTip(
            "Choose from what Animaze offers, or type"
            + (" an index" if kind in INDEXED_KINDS else " a name")
        )
        self.changed.emit()
