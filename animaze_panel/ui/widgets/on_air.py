"""OnAirLabel: the red ON AIR mark shown while Animaze's virtual camera broadcast is on.

Animaze cannot report whether it is broadcasting, so the mark shows what this panel last set
(its tooltip says so). The main window puts one in the tool bar and one in the status bar and
shows them together.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

ON_AIR_RED = "#d92b2b"
"""Broadcast-studio red: the same in both themes, white text on it reads in both."""

_STYLE = f"""
QLabel {{
    background: {ON_AIR_RED}; color: #ffffff; font-weight: 800;
    border-radius: 4px; padding: 2px 10px; letter-spacing: 1px;
}}
"""

TOOLTIP = (
    "Animaze's virtual camera broadcast is on, as last set by this panel "
    "(Animaze does not report it). Ctrl+B switches it off."
)


class OnAirLabel(QLabel):
    """A bold white-on-red "ON AIR" label."""

    def __init__(self, object_name: str, parent: QWidget | None = None) -> None:
        """Create the label (its visibility is the owner's business)."""
        super().__init__("\u25cf ON AIR", parent)
        self.setObjectName(object_name)
        self.setStyleSheet(_STYLE)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setToolTip(TOOLTIP)
        self.setAccessibleName("On air: broadcast is on")
