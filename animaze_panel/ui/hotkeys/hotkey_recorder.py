"""HotkeyRecorder: record a key combination by pressing it.

Click the field (or press Enter/Space on it) to start recording, then press the combination:
the first non-modifier key completes it (``Ctrl+Shift+F1``). While recording, Esc cancels
(the previous combination stays) and Backspace clears it; shortcuts of the panel (and in-app
hotkeys) do not fire, so an existing binding's keys can be recorded too.

A checker callable (the editor's) turns a combination into warning lines, shown live under the
field: duplicates, reserved system keys, keys that would break typing.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from ...hotkeys.keys import KeyCombo
from ...platform.qt_keys import from_qt
from ..widgets.note_list import NoteList
from ..widgets.theme import ACCENT, Tone

Checker = Callable[[KeyCombo], list[str]]
PROMPT = "Press the keys…"
EMPTY = "Click, then press a combination"
_MODIFIER_NAMES = (
    ("Ctrl", Qt.KeyboardModifier.ControlModifier),
    ("Alt", Qt.KeyboardModifier.AltModifier),
    ("Shift", Qt.KeyboardModifier.ShiftModifier),
    ("Meta", Qt.KeyboardModifier.MetaModifier),
)
# Some platforms (X11) report a modifier's own press without its flag set yet.
_MODIFIER_KEYS = {
    int(Qt.Key.Key_Control): "Ctrl", int(Qt.Key.Key_Alt): "Alt", int(Qt.Key.Key_Shift): "Shift",
    int(Qt.Key.Key_Meta): "Meta", int(Qt.Key.Key_Super_L): "Meta",
    int(Qt.Key.Key_Super_R): "Meta",
}  # fmt: skip


class HotkeyRecorder(QWidget):
    """A focusable field that turns key presses into a :class:`KeyCombo`."""

    comboChanged = Signal(object)  # KeyCombo | None
    recordingChanged = Signal(bool)

    def __init__(self, parent: QWidget | None = None, checker: Checker | None = None) -> None:
        """Build the field.

        Args:
            parent: Qt parent.
            checker: Returns warnings for a combination (shown live); ``None``: no check.
        """
        super().__init__(parent)
        self.setObjectName("hotkeyRecorder")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._combo: KeyCombo | None = None
        self._recording = False
        self._checker = checker
        self.display = QLabel(EMPTY, self)
        self.display.setObjectName("hotkeyDisplay")
        self.display.setMinimumWidth(160)
        self.frame = QFrame(self)
        self.frame.setFrameShape(QFrame.Shape.StyledPanel)
        inner = QHBoxLayout(self.frame)
        inner.setContentsMargins(6, 3, 6, 3)
        inner.addWidget(self.display, 1)
        self.clear_button = QToolButton(self)
        self.clear_button.setText("Clear")
        self.clear_button.setToolTip("Remove the combination (Backspace while recording)")
        self.clear_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.clear_button.clicked.connect(lambda: self.set_combo(None))
        self.warning = NoteList(self)
        self.warning.setObjectName("hotkeyWarning")
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.frame, 1)
        row.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.warning)
        self.setToolTip("Click here, then press the key combination. Esc cancels.")

    # ------------------------------------------------------------------ public API

    @property
    def combo(self) -> KeyCombo | None:
        """The recorded combination (``None``: none yet)."""
        return self._combo

    @property
    def recording(self) -> bool:
        """Whether the next key press is recorded."""
        return self._recording

    def set_combo(self, combo: KeyCombo | None) -> None:
        """Show ``combo`` (and its warnings) and stop recording."""
        self._set_recording(False)
        changed = combo != self._combo
        self._combo = combo
        self._show()
        if changed:
            self.comboChanged.emit(combo)

    def start_recording(self) -> None:
        """Record the next combination pressed (takes the keyboard focus)."""
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        self._set_recording(True)

    def refresh_warning(self) -> None:
        """Re-run the checker (the other bindings changed)."""
        self._show()

    # ------------------------------------------------------------------ events

    def event(self, event: QEvent) -> bool:
        """While recording, take every key (Tab, and keys that are shortcuts elsewhere)."""
        if self._recording and event.type() == QEvent.Type.ShortcutOverride:
            event.accept()
            return True
        if self._recording and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            self.keyPressEvent(event)
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        """Record a combination, or cancel (Esc) / clear (Backspace) while recording."""
        key = event.key()
        mods = event.modifiers()
        plain = not (mods & ~Qt.KeyboardModifier.KeypadModifier)
        if not self._recording:
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space) and plain:
                self._set_recording(True)
                event.accept()
                return
            super().keyPressEvent(event)
            return
        event.accept()
        if event.isAutoRepeat():
            return
        if key == Qt.Key.Key_Escape and plain:
            self._set_recording(False)
            return
        if key == Qt.Key.Key_Backspace and plain:
            self.set_combo(None)
            return
        combo = from_qt(key, mods)
        if combo is None:  # a modifier alone (still pressing) or a key we cannot bind
            held = [name for name, flag in _MODIFIER_NAMES
                    if mods & flag or _MODIFIER_KEYS.get(int(key)) == name]
            self.display.setText("+".join([*held, "…"]) if held else PROMPT)
            return
        self.set_combo(combo)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        """A click starts recording."""
        if event.button() == Qt.MouseButton.LeftButton:
            self.start_recording()
            event.accept()
            return
        super().mousePressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt API)
        """Leaving the field cancels a recording in progress."""
        self._set_recording(False)
        super().focusOutEvent(event)

    # ------------------------------------------------------------------ internals

    def _set_recording(self, on: bool) -> None:
        if on == self._recording:
            return
        self._recording = on
        self.frame.setStyleSheet(f"QFrame {{ border: 1px solid {ACCENT}; }}" if on else "")
        self._show()
        self.recordingChanged.emit(on)

    def _show(self) -> None:
        if self._recording:
            self.display.setText(PROMPT)
        else:
            self.display.setText(str(self._combo) if self._combo is not None else EMPTY)
        warnings = self._checker(self._combo) if self._checker and self._combo else []
        self.warning.set_notes([(Tone.WARNING, w) for w in warnings])
