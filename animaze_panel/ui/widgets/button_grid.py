"""ButtonGrid: a filterable, width-aware grid of push buttons (emotes, avatar animations).

Buttons are real ``QPushButton`` objects so Tab/Space/Enter work and screen readers see them.
The grid reflows to as many columns as fit its width; :meth:`ButtonGrid.set_filter` hides
non-matching buttons (case-insensitive substring of the label or the key) and closes the gaps.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from functools import partial

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

BUTTON_MIN_WIDTH = 110
CHUNK = 8
"""Buttons created per event-loop pass (each costs ~0.5 ms on the GUI thread)."""


@dataclass(frozen=True)
class GridItem:
    """One button: what it shows and the key reported when it is clicked.

    Attributes:
        label: Button text (a friendly name).
        key: Reported by :attr:`ButtonGrid.activated` (item name, index...).
        tooltip: Extra detail, e.g. the item name behind a friendly name.
    """

    label: str
    key: Hashable
    tooltip: str = ""


class ButtonGrid(QWidget):
    """A scrollable grid of buttons; emits :attr:`activated` with the item's key."""

    activated = Signal(object)

    def __init__(self, empty_text: str = "Nothing here", parent: QWidget | None = None) -> None:
        """Create an empty grid.

        Args:
            empty_text: Shown when there are no (matching) items.
            parent: Parent widget.
        """
        super().__init__(parent)
        self._items: list[GridItem] = []
        self._buttons: list[QPushButton] = []
        self._more = QTimer(self)  # builds the next CHUNK of buttons on the next loop pass
        self._more.setSingleShot(True)
        self._more.setInterval(0)
        self._more.timeout.connect(self._build_more)
        self._filter = ""
        self._columns = 0
        self._scroll = QScrollArea(self)
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        inner = QWidget(self._scroll)
        self._grid = QGridLayout(inner)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(4)
        self._grid.setAlignment(Qt.AlignmentFlag.AlignTop)
        self._scroll.setWidget(inner)
        self._empty_text = empty_text
        self._empty = QLabel(empty_text, self)
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._empty.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._empty)
        layout.addWidget(self._scroll, 1)
        self._update_empty()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        """A compact default: about three columns of buttons."""
        return QSize(3 * BUTTON_MIN_WIDTH + 24, 160)

    @property
    def items(self) -> list[GridItem]:
        """The items shown (before filtering)."""
        return list(self._items)

    def buttons(self) -> list[QPushButton]:
        """All buttons in item order (hidden ones included); for tests and keyboard focus."""
        self._complete()
        return list(self._buttons)

    def visible_labels(self) -> list[str]:
        """Labels of the buttons that match the filter, in order."""
        self._complete()
        return [b.text() for b in self._buttons if not b.isHidden()]

    def button_for(self, key: Hashable) -> QPushButton | None:
        """The button of the item with ``key``, if any."""
        self._complete()
        for item, button in zip(self._items, self._buttons, strict=True):
            if item.key == key:
                return button
        return None

    def set_items(self, items: Iterable[GridItem]) -> None:
        """Replace the items (the filter stays).

        Existing buttons are reused; new ones are created :data:`CHUNK` per event-loop pass,
        so a long list never holds the GUI thread (and a hotkey press) for long. Accessors
        (:meth:`buttons`, :meth:`visible_labels`, :meth:`button_for`) finish the work first.
        """
        self._items = list(items)
        for button in self._buttons[len(self._items):]:
            self._grid.removeWidget(button)
            button.deleteLater()
        del self._buttons[len(self._items):]
        for item, button in zip(self._items, self._buttons, strict=False):
            self._configure(button, item)
        self._columns = 0  # force a full relayout
        self._build_more()

    def _configure(self, button: QPushButton, item: GridItem) -> None:
        button.setText(item.label)
        button.setToolTip(item.tooltip or item.label)

    def _build_more(self, limit: int | None = CHUNK) -> None:
        parent = self._grid.parentWidget()
        missing = self._items[len(self._buttons):]
        for item in missing if limit is None else missing[:limit]:
            button = QPushButton(parent)
            self._configure(button, item)
            button.setMinimumWidth(BUTTON_MIN_WIDTH // 2)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.setAutoDefault(False)
            button.clicked.connect(partial(self._clicked, button))
            self._buttons.append(button)
        self._relayout()
        if len(self._buttons) < len(self._items):
            self._more.start()
        else:
            self._more.stop()

    def _complete(self) -> None:
        if len(self._buttons) < len(self._items):
            self._build_more(limit=None)

    def _clicked(self, button: QPushButton) -> None:
        if button in self._buttons:
            self.activated.emit(self._items[self._buttons.index(button)].key)

    def set_filter(self, text: str) -> None:
        """Show only items whose label or key contains ``text`` (case-insensitive)."""
        self._filter = text.strip().casefold()
        self._relayout()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        """Reflow the columns to the new width."""
        super().resizeEvent(event)
        if self._wanted_columns() != self._columns:
            self._relayout()

    def _matches(self, item: GridItem) -> bool:
        if not self._filter:
            return True
        return self._filter in item.label.casefold() or self._filter in str(item.key).casefold()

    def _wanted_columns(self) -> int:
        # The grid's own width, not the viewport's: the scroll area may be hidden (empty
        # state) and its viewport size stale when items arrive.
        scrollbar = self._scroll.verticalScrollBar().sizeHint().width()
        return max(1, (self.width() - scrollbar) // BUTTON_MIN_WIDTH)

    def _relayout(self) -> None:
        self._columns = self._wanted_columns()
        for button in self._buttons:
            self._grid.removeWidget(button)
        shown = 0
        for item, button in zip(self._items, self._buttons, strict=False):
            visible = self._matches(item)
            button.setHidden(not visible)
            if visible:
                row, column = divmod(shown, self._columns)
                self._grid.addWidget(button, row, column)
                shown += 1
        if len(self._buttons) < len(self._items):  # the rest are still being built
            shown += sum(1 for item in self._items[len(self._buttons):] if self._matches(item))
        self._update_empty(shown)

    def _update_empty(self, shown: int = 0) -> None:
        if self._items and self._filter:
            self._empty.setText(f"Nothing matches \u201c{self._filter}\u201d")
        else:
            self._empty.setText(self._empty_text)
        self._empty.setVisible(shown == 0)
        self._scroll.setVisible(shown > 0)
