"""StatusLabel: one line of status next to the control it is about (errors in the theme's red)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

_ERROR = "color: palette(bright-text);"  # the theme's error red in both palettes


class StatusLabel(QLabel):
    """A word-wrapped label showing a status or an error (with what to do)."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        """Create an empty label with objectName ``name``."""
        super().__init__(parent)
        self.setObjectName(name)
        self.setWordWrap(True)
        self.ok = True

    def show_status(self, text: str, ok: bool = True) -> None:
        """Show ``text``; ``ok=False`` marks it as an error."""
        self.ok = ok
        self.setText(text)
        self.setStyleSheet("" if ok else _ERROR)
