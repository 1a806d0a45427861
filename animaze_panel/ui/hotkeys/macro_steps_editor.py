"""MacroStepsEditor: the ordered steps of a macro (actions with Wait pauses between them).

A list of steps plus an :class:`~.action_picker.ActionPicker` (with ``Wait``): *Add* appends
the picked step after the selected one, *Update* replaces the selected step, *Remove*, *Up*
and *Down* edit the order. Selecting a step shows it in the picker.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...hotkeys.actions import Action
from ...hotkeys.errors import EntryError
from ..widgets.theme import Tone, set_tone
from .action_choices import ActionChoices
from .action_picker import ActionPicker


class MacroStepsEditor(QWidget):
    """Edit a list of macro steps."""

    changed = Signal()

    def __init__(self, choices: ActionChoices | None = None, parent: QWidget | None = None) -> None:
        """Build the editor (empty).

        Args:
            choices: Target lists for the step picker.
            parent: Qt parent.
        """
        super().__init__(parent)
        self._steps: list[Action] = []
        self.list = QListWidget(self)
        self.list.setObjectName("macroSteps")
        self.list.setMinimumHeight(110)
        self.picker = ActionPicker(choices, allow_wait=True, parent=self)
        self.picker.setObjectName("macroStepPicker")
        self.add_button = QPushButton("Add step", self)
        self.update_button = QPushButton("Update", self)
        self.remove_button = QPushButton("Remove", self)
        self.up_button = QPushButton("Up", self)
        self.down_button = QPushButton("Down", self)
        self.add_button.setToolTip("Add the step below the selected one")
        self.update_button.setToolTip("Replace the selected step with the one below")
        self.picker_error = QLabel(self)
        self.picker_error.setObjectName("macroStepError")
        set_tone(self.picker_error, Tone.ERROR)

        side = QVBoxLayout()
        side.setContentsMargins(0, 0, 0, 0)
        for button in (self.up_button, self.down_button, self.remove_button):
            side.addWidget(button)
        side.addStretch(1)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.list, 1)
        top.addLayout(side)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.picker_error, 1)
        buttons.addWidget(self.update_button)
        buttons.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.picker)
        layout.addLayout(buttons)

        self.add_button.clicked.connect(self.add_picked)
        self.update_button.clicked.connect(self.update_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button.clicked.connect(lambda: self.move_selected(1))
        self.list.currentRowChanged.connect(self._on_selected)
        self.picker.changed.connect(self._sync_buttons)
        self._sync_buttons()

    # ------------------------------------------------------------------ public API

    @property
    def steps(self) -> list[Action]:
        """The steps, in order (a copy)."""
        return list(self._steps)

    def set_steps(self, steps: list[Action] | tuple[Action, ...]) -> None:
        """Show these steps (the selection is cleared)."""
        self._steps = list(steps)
        self._rebuild(-1)

    def add_step(self, step: Action) -> None:
        """Insert ``step`` after the selected step (at the end when none is selected)."""
        row = self.list.currentRow()
        at = row + 1 if row >= 0 else len(self._steps)
        self._steps.insert(at, step)
        self._rebuild(at)

    def add_picked(self) -> None:
        """Add the step shown in the picker (nothing if it is invalid)."""
        try:
            step = self.picker.action()
        except EntryError:
            return
        self.add_step(step)

    def update_selected(self) -> None:
        """Replace the selected step with the picked one."""
        row = self.list.currentRow()
        try:
            step = self.picker.action()
        except EntryError:
            return
        if 0 <= row < len(self._steps):
            self._steps[row] = step
            self._rebuild(row)

    def remove_selected(self) -> None:
        """Delete the selected step."""
        row = self.list.currentRow()
        if 0 <= row < len(self._steps):
            del self._steps[row]
            self._rebuild(min(row, len(self._steps) - 1))

    def move_selected(self, offset: int) -> None:
        """Move the selected step up (-1) or down (+1)."""
        row = self.list.currentRow()
        target = row + offset
        if 0 <= row < len(self._steps) and 0 <= target < len(self._steps):
            self._steps[row], self._steps[target] = self._steps[target], self._steps[row]
            self._rebuild(target)

    # ------------------------------------------------------------------ internals

    def _rebuild(self, select: int) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for number, step in enumerate(self._steps, 1):
            item = QListWidgetItem(f"{number}. {step.describe()}")
            item.setData(Qt.ItemDataRole.UserRole, number - 1)
            self.list.addItem(item)
        self.list.setCurrentRow(select)
        self.list.blockSignals(False)
        self._sync_buttons()
        self.changed.emit()

    def _on_selected(self, row: int) -> None:
        if 0 <= row < len(self._steps):
            self.picker.set_action(self._steps[row])
        self._sync_buttons()

    def _sync_buttons(self) -> None:
        row = self.list.currentRow()
        selected = 0 <= row < len(self._steps)
        error = self.picker.error()
        self.picker_error.setText(error)
        self.add_button.setEnabled(not error)
        self.update_button.setEnabled(selected and not error)
        self.remove_button.setEnabled(selected)
        self.up_button.setEnabled(selected and row > 0)
        self.down_button.setEnabled(selected and row < len(self._steps) - 1)
