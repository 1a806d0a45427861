"""TileSize: the one icon size shared by every deck of buttons (emotes, actions, poses...).

Ctrl+wheel over a deck, View > Bigger tiles / Smaller tiles change it for all decks at once; the
main window stores it with the layout.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

MIN_TILE = 32
MAX_TILE = 128
DEFAULT_TILE = 56
STEP = 8


class TileSize(QObject):
    """The deck's icon side in pixels; :attr:`changed` fires with the new value."""

    changed = Signal(int)

    def __init__(self, value: int = DEFAULT_TILE, parent: QObject | None = None) -> None:
        """Start at ``value`` (clamped to :data:`MIN_TILE`..:data:`MAX_TILE`)."""
        super().__init__(parent)
        self._value = _clamp(value)

    @property
    def value(self) -> int:
        """The icon side in pixels."""
        return self._value

    def set(self, value: int) -> None:
        """Set the size (clamped); emits :attr:`changed` when it actually changes."""
        value = _clamp(value)
        if value != self._value:
            self._value = value
            self.changed.emit(value)

    def step(self, steps: int) -> None:
        """Grow (positive) or shrink (negative) by ``steps`` * :data:`STEP` pixels."""
        self.set(self._value + steps * STEP)


def _clamp(value: int) -> int:
    return max(MIN_TILE, min(MAX_TILE, int(value)))
