"""ErrorLabel: a field's error in words, right under the field; hidden when there is none."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

ERROR_COLOUR = "#c0392b"
"""Readable on the dark and the light theme (as the Kinetix page's errors)."""


class ErrorLabel(QLabel):
    """A red, word-wrapped, selectable label that hides itself when empty."""

    def __init__(self, object_name: str, parent: QWidget | None = None) -> None:
        """Create it hidden, named ``object_name``."""
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setWordWrap(True)
        self.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def show_error(self, message: str) -> None:
        """Show ``message`` (an empty one hides the label)."""
        self.setText(message)
        self.setVisible(bool(message))
