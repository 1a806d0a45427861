"""In-app hotkeys (``QShortcut``): the fallback when no global backend can run.

They fire only while a window of the panel has the focus, which the editor says plainly.
Presses come from application-wide shortcuts (no auto-repeat); releases from an application
event filter watching key releases of the keys currently held, so hold bindings work too.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QShortcut
from PySide6.QtWidgets import QApplication, QWidget

from ..hotkeys.keys import KeyCombo
from .base import HotkeyBackend, RegistrationError
from .qt_keys import qt_key, to_key_sequence


class InAppBackend(HotkeyBackend):
    """Shortcuts that work while the panel has the focus."""

    NAME = "in-app"
    IS_GLOBAL = False
    DESCRIPTION = "In-app shortcuts (work only while the panel has the focus)"

    def __init__(self, window: QWidget, parent: QObject | None = None) -> None:
        """Attach shortcuts to ``window`` (application-wide context)."""
        super().__init__(parent or window)
        self._window = window
        self._shortcuts: dict[KeyCombo, QShortcut] = {}
        self._held: dict[int, KeyCombo] = {}
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def _grab(self, combo: KeyCombo) -> None:
        sequence = to_key_sequence(combo)
        if sequence.isEmpty():
            raise RegistrationError(combo, "Qt cannot use this combination")
        shortcut = QShortcut(sequence, self._window)
        shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)
        shortcut.setAutoRepeat(False)
        shortcut.activated.connect(lambda c=combo: self._on_activated(c))
        self._shortcuts[combo] = shortcut

    def _ungrab(self, combo: KeyCombo) -> None:
        shortcut = self._shortcuts.pop(combo, None)
        if shortcut is not None:
            shortcut.setEnabled(False)
            shortcut.deleteLater()

    def close(self) -> None:
        """Remove the shortcuts and the event filter."""
        super().close()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def _on_activated(self, combo: KeyCombo) -> None:
        self._held[int(qt_key(combo))] = combo
        self._emit_pressed(combo)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        """Report the release of a held shortcut key (never consumes the event)."""
        if (
            self._held
            and event.type() == QEvent.Type.KeyRelease
            and isinstance(event, QKeyEvent)
            and not event.isAutoRepeat()
        ):
            combo = self._held.pop(event.key(), None)
            if combo is not None:
                self._emit_released(combo)
        return False
