"""NoteList: a few lines of status, each with an icon that says what it is.

Errors, warnings, successes and notes are marked with the ``resources/`` icons (error, warning,
success, info) painted in the theme's tone colour, never with font glyphs (a stock Linux may
have no font with them and draws boxes). The list hides itself when empty.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from . import resources
from .theme import Tone, set_tone, tone_color

ICON_PX = 16
ICONS = {Tone.ERROR: "error", Tone.WARNING: "warning", Tone.SUCCESS: "success",
         Tone.MUTED: "info"}
"""The icon of each tone (file names in ``resources/``)."""

Note = tuple[Tone, str]


class NoteList(QWidget):
    """Lines of (icon, text); :meth:`set_notes` replaces them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        """An empty, hidden list."""
        super().__init__(parent)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(6)
        self._grid.setVerticalSpacing(2)
        self._grid.setColumnStretch(1, 1)
        self._notes: tuple[Note, ...] = ()
        self._rows: list[tuple[QLabel, QLabel]] = []
        self.hide()

    def set_notes(self, notes: Sequence[Note]) -> None:
        """Show ``notes`` (hidden when there are none)."""
        self._notes = tuple(notes)
        for icon, label in self._rows:
            icon.deleteLater()
            label.deleteLater()
        self._rows = []
        for row, (tone, text) in enumerate(self._notes):
            icon = QLabel(self)
            icon.setObjectName("noteIcon")
            icon.setProperty("icon", ICONS[tone])
            icon.setPixmap(resources.icon(ICONS[tone], tone_color(tone)).pixmap(ICON_PX, ICON_PX))
            icon.setAlignment(Qt.AlignmentFlag.AlignTop)
            label = QLabel(text, self)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            set_tone(label, tone)
            self._grid.addWidget(icon, row, 0, Qt.AlignmentFlag.AlignTop)
            self._grid.addWidget(label, row, 1)
            self._rows.append((icon, label))
        self.setVisible(bool(self._notes))

    def notes(self) -> tuple[Note, ...]:
        """What is shown."""
        return self._notes

    def text(self) -> str:
        """The shown lines as plain text (one per line)."""
        return "\n".join(text for _tone, text in self._notes)
