"""MessageLabel: a one- or two-line status message in the success or the error colour.

Its height is fixed (two lines) whether empty or full, so a message that appears, grows or goes
never moves the controls around it (a button must not slide away under the cursor). The full
text stays in the tooltip when it is longer than two lines.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from ..widgets import theme

# The theme's state colours (connection indicator): readable on the dark and the light palette.
SUCCESS_COLOR = getattr(theme, "SUCCESS", "#3ecf8e")
ERROR_COLOR = getattr(theme, "ERROR", "#ef4444")


class MessageLabel(QLabel):
    """A status line of constant height; :meth:`show_message` sets text and tone."""

    def __init__(self, lines: int = 2, parent: QWidget | None = None) -> None:
        """Build an empty label ``lines`` text lines high."""
        super().__init__(parent)
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setFixedHeight(self.fontMetrics().lineSpacing() * lines + 4)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.ok = True

    def show_message(self, text: str, ok: bool = True) -> None:
        """Show ``text`` in the success (``ok``) or the error colour."""
        self.ok = ok
        self.setStyleSheet(f"color: {SUCCESS_COLOR if ok else ERROR_COLOR};")
        self.setText(text)
        self.setToolTip(text)

    def clear(self) -> None:
        """Empty the message (the height stays)."""
        super().clear()
        self.setToolTip("")
