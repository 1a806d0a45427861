"""BindingEditor: the dialog that edits one hotkey binding.

* keys: a :class:`~.hotkey_recorder.HotkeyRecorder` (press the combination), with live
  conflict warnings;
* label, enabled;
* kind: *single action*, *hold* (one action on press, another on release) or *macro* (ordered
  steps with Wait delays, :class:`~.macro_steps_editor.MacroStepsEditor`) with the overlap
  policy (ignore a press while it runs, restart it, or allow runs side by side);
* cooldown in seconds.

Every edit re-validates: the first error is shown naming its field and OK stays disabled;
conflicts with the other bindings (duplicate keys, reserved system keys, typing keys, missing
camera presets) are listed before saving, and error-level ones keep OK disabled too. A macro
binding's release steps, if the file has any, are kept as they are.

The dialog is opened non-modally-blocking with :meth:`QDialog.open` by the dock (never
``exec()``, which would nest an event loop inside the asyncio loop).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ...hotkeys import actions as a
from ...hotkeys.bindings import DEFAULT_COOLDOWN, MAX_COOLDOWN, Binding, Overlap
from ...hotkeys.conflicts import Conflict, Severity, conflicts_for
from ...hotkeys.errors import EntryError
from ...hotkeys.keys import KeyCombo
from ..widgets.note_list import NoteList
from ..widgets.theme import Tone, set_tone
from .action_choices import ActionChoices
from .action_picker import ActionPicker
from .hotkey_recorder import HotkeyRecorder
from .macro_steps_editor import MacroStepsEditor

SINGLE, HOLD, MACRO = "single", "hold", "macro"
_OVERLAP_TEXT = {
    Overlap.IGNORE: "Ignore presses while it runs",
    Overlap.RESTART: "Restart it",
    Overlap.ALLOW: "Allow overlap (runs side by side)",
}


class BindingEditor(QDialog):
    """Edit (or create) one binding; :meth:`binding` gives the result after OK."""

    def __init__(
        self,
        others: Sequence[Binding],
        binding: Binding | None = None,
        choices: ActionChoices | None = None,
        *,
        taken: Mapping[KeyCombo, str] | None = None,
        presets: Sequence[str] | None = None,
        title: str = "",
        parent: QWidget | None = None,
    ) -> None:
        """Build the dialog.

        Args:
            others: The profile's other bindings (checked for conflicts).
            binding: The binding to edit (``None``: a new one).
            choices: Target lists for the action pickers.
            taken: Combinations the OS refused (reason for each).
            presets: Existing camera preset names.
            title: Window title (default: "Add hotkey" / "Edit hotkey").
            parent: Qt parent.
        """
        super().__init__(parent)
        self.setObjectName("bindingEditor")
        self.setWindowTitle(title or ("Edit hotkey" if binding else "Add hotkey"))
        self.others = list(others)
        self.taken = dict(taken or {})
        self.presets = list(presets) if presets is not None else None
        self._kept_release: tuple[a.Action, ...] = ()

        self.recorder = HotkeyRecorder(self, checker=self._key_warnings)
        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("bindingName")
        self.name_edit.setPlaceholderText("Optional label, e.g. Wave")
        self.enabled_check = QCheckBox("Enabled", self)
        self.enabled_check.setChecked(True)
        self.kind_combo = QComboBox(self)
        self.kind_combo.setObjectName("bindingKind")
        self.kind_combo.addItem("Single action", SINGLE)
        self.kind_combo.addItem("Hold: one action on press, another on release", HOLD)
        self.kind_combo.addItem("Macro: steps with waits between them", MACRO)
        self.cooldown_spin = QDoubleSpinBox(self)
        self.cooldown_spin.setObjectName("bindingCooldown")
        self.cooldown_spin.setRange(0.0, MAX_COOLDOWN)
        self.cooldown_spin.setDecimals(2)
        self.cooldown_spin.setSingleStep(0.05)
        self.cooldown_spin.setSuffix(" s")
        self.cooldown_spin.setValue(DEFAULT_COOLDOWN)
        self.cooldown_spin.setToolTip("Presses closer together than this are dropped")
        self.overlap_combo = QComboBox(self)
        self.overlap_combo.setObjectName("bindingOverlap")
        for overlap, text in _OVERLAP_TEXT.items():
            self.overlap_combo.addItem(text, overlap)

        self.press_picker = ActionPicker(choices, parent=self)
        self.press_picker.setObjectName("pressPicker")
        self.release_picker = ActionPicker(choices, parent=self)
        self.release_picker.setObjectName("releasePicker")
        self.macro_editor = MacroStepsEditor(choices, self)
        self.press_box = QGroupBox("Action", self)
        QVBoxLayout(self.press_box).addWidget(self.press_picker)
        self.release_box = QGroupBox("On release", self)
        QVBoxLayout(self.release_box).addWidget(self.release_picker)
        self.macro_box = QGroupBox("Macro steps", self)
        macro_layout = QVBoxLayout(self.macro_box)
        macro_layout.addWidget(self.macro_editor)
        overlap_form = QFormLayout()
        overlap_form.addRow("Pressed again while running", self.overlap_combo)
        macro_layout.addLayout(overlap_form)

        self.error_label = QLabel(self)
        self.error_label.setObjectName("bindingError")
        self.error_label.setWordWrap(True)
        set_tone(self.error_label, Tone.ERROR)
        self.conflict_label = NoteList(self)
        self.conflict_label.setObjectName("bindingConflicts")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("Keys", self.recorder)
        form.addRow("Label", self.name_edit)
        form.addRow("", self.enabled_check)
        form.addRow("Kind", self.kind_combo)
        form.addRow("Cooldown", self.cooldown_spin)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.press_box)
        layout.addWidget(self.release_box)
        layout.addWidget(self.macro_box)
        layout.addWidget(self.error_label)
        layout.addWidget(self.conflict_label)
        layout.addWidget(self.buttons)

        if binding is not None:
            self.set_binding(binding)
        for signal in (self.press_picker.changed, self.release_picker.changed,
                       self.macro_editor.changed):
            signal.connect(self.validate)
        self.recorder.comboChanged.connect(lambda _c: self.validate())
        self.name_edit.textChanged.connect(lambda _t: self.validate())
        self.enabled_check.toggled.connect(lambda _c: self.validate())
        self.cooldown_spin.valueChanged.connect(lambda _v: self.validate())
        self.overlap_combo.currentIndexChanged.connect(lambda _i: self.validate())
        self.kind_combo.currentIndexChanged.connect(self._on_kind_changed)
        self._on_kind_changed()

    # ------------------------------------------------------------------ public API

    @property
    def kind(self) -> str:
        """``"single"``, ``"hold"`` or ``"macro"``."""
        return str(self.kind_combo.currentData())

    def set_kind(self, kind: str) -> None:
        """Switch the binding kind."""
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(kind))

    def set_binding(self, binding: Binding) -> None:
        """Show ``binding`` in the controls."""
        self.recorder.set_combo(binding.keys)
        self.name_edit.setText(binding.name)
        self.enabled_check.setChecked(binding.enabled)
        self.cooldown_spin.setValue(binding.cooldown)
        self.overlap_combo.setCurrentIndex(self.overlap_combo.findData(binding.overlap))
        if binding.is_macro:
            self.macro_editor.set_steps(binding.press)
            self._kept_release = binding.release
            self.set_kind(MACRO)
        else:
            self.press_picker.set_action(binding.press[0])
            if binding.release:
                self.release_picker.set_action(binding.release[0])
                self._kept_release = binding.release if len(binding.release) > 1 else ()
            self.set_kind(HOLD if binding.release else SINGLE)
            self.macro_editor.set_steps(binding.press)

    def binding(self) -> Binding:
        """Build the binding shown.

        Raises:
            EntryError: The first invalid field (``field`` names it).
        """
        combo = self.recorder.combo
        if combo is None:
            raise EntryError("keys", "click the Keys field and press a combination")
        kind = self.kind
        release: tuple[a.Action, ...] = ()
        if kind == MACRO:
            press = tuple(self.macro_editor.steps)
            if not press:
                raise EntryError("macro", "add at least one step")
            release = self._kept_release
        else:
            press = (self._picked(self.press_picker, "action"),)
            if kind == HOLD:
                release = self._kept_release or (self._picked(self.release_picker, "release"),)
        overlap = self.overlap_combo.currentData()
        return Binding(
            keys=combo,
            press=press,
            release=release,
            name=self.name_edit.text().strip(),
            enabled=self.enabled_check.isChecked(),
            cooldown=self.cooldown_spin.value(),
            overlap=overlap if isinstance(overlap, Overlap) and kind == MACRO else Overlap.IGNORE,
        )

    def conflicts(self) -> list[Conflict]:
        """Conflicts the binding shown would have with the others (none if it is invalid)."""
        try:
            candidate = self.binding()
        except EntryError:
            return []
        return conflicts_for(candidate, self.others, taken=self.taken, presets=self.presets)

    def validate(self) -> bool:
        """Re-check everything, update the error/conflict lines and the OK button.

        Returns:
            Whether OK is enabled.
        """
        try:
            self.binding()
            error = ""
        except EntryError as exc:
            error = f"{_field_title(exc.field)}: {exc.reason}"
        conflicts = self.conflicts()
        blocking = any(c.severity is Severity.ERROR for c in conflicts)
        self.error_label.setText(error)
        self.error_label.setVisible(bool(error))
        self.conflict_label.set_notes([
            (Tone.ERROR if c.severity is Severity.ERROR else Tone.WARNING, c.message)
            for c in conflicts
        ])
        ok = not error and not blocking
        button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        button.setEnabled(ok)
        button.setToolTip("" if ok else (error or "Fix the conflict first"))
        self.recorder.refresh_warning()
        return ok

    def accept(self) -> None:
        """Close with OK only when everything is valid."""
        if self.validate():
            super().accept()

    # ------------------------------------------------------------------ internals

    def _picked(self, picker: ActionPicker, field: str) -> a.Action:
        try:
            return picker.action()
        except EntryError as exc:
            raise EntryError(f"{field}.{exc.field}", exc.reason) from exc

    def _on_kind_changed(self) -> None:
        kind = self.kind
        if kind == MACRO and not self.macro_editor.steps:
            try:  # start the macro with the single action already chosen
                self.macro_editor.set_steps([self.press_picker.action()])
            except EntryError:
                pass
        self.press_box.setVisible(kind != MACRO)
        self.press_box.setTitle("On press" if kind == HOLD else "Action")
        self.release_box.setVisible(kind == HOLD)
        self.macro_box.setVisible(kind == MACRO)
        self.validate()
        self.adjustSize()

    def _key_warnings(self, combo: KeyCombo) -> list[str]:
        probe = Binding(combo, (a.Calibrate(),))
        conflicts = conflicts_for(probe, self.others, taken=self.taken)
        return [c.message for c in conflicts]


def _field_title(field: str) -> str:
    head, _, rest = field.partition(".")
    title = {"keys": "Keys", "action": "Action", "release": "On release", "macro": "Macro",
             "cooldown": "Cooldown"}.get(head, head)
    return f"{title} ({rest})" if rest else title
