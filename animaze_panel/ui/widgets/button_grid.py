"""ButtonGrid: a deck of big icon tiles (emotes, avatar animations), filterable, width-aware.

Like a Stream Deck page or VTube Studio's hotkey list: each item is a real ``QToolButton`` (Tab,
Space and Enter work; screen readers see it) showing a picture above its name. The picture is,
in order: the item's own image (e.g. a quickscene thumbnail), its Animaze icon fetched lazily
through an :class:`~.icon_cache.IconCache` (``GetItemIcon``, cached on disk) for the tiles on
screen only, or a lettered tile. Names are elided in the middle with the full name as tooltip.

The grid reflows to as many columns as fit its width (never a horizontal scroll bar);
:meth:`ButtonGrid.set_filter` hides non-matching items (case-insensitive substring of the label
or the key) and closes the gaps. The tile size follows a shared :class:`~.tile_size.TileSize`
(Ctrl+wheel over a deck changes it for every deck).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from functools import partial

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QIcon, QResizeEvent, QShowEvent, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QFrame,
    QGridLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from .icon_cache import IconCache
from .letter_tile import initial, placeholder_icon
from .tile_size import DEFAULT_TILE, TileSize

CHUNK = 8
"""Buttons created per event-loop pass (each costs ~0.5 ms on the GUI thread)."""
SPACING = 6
TILE_PADDING = 28
"""Width a tile adds around its icon (frame, margins, room for a short name)."""
MIN_TILE_WIDTH = 92
"""Narrowest tile: wide enough for names like "Thumbs Up" under a small icon."""
PLACEHOLDER_PX = 128
"""Side of the lettered tiles (scaled down to the tile size)."""


@dataclass(frozen=True)
class GridItem:
    """One tile: what it shows and the key reported when it is clicked.

    Attributes:
        label: The item's display name (shown, elided in the middle if long).
        key: Reported by :attr:`ButtonGrid.activated` (item name, index...).
        tooltip: Extra detail, e.g. the item name behind a display name.
        icon_name: Animaze item name to fetch the icon of (``GetItemIcon``); empty for items
            that have no gallery icon (they show a lettered tile).
        icon: A picture the caller already has (a quickscene thumbnail); wins over both.
    """

    label: str
    key: Hashable
    tooltip: str = ""
    icon_name: str = ""
    icon: QIcon | None = field(default=None, compare=False)


class ButtonGrid(QWidget):
    """A scrollable deck of tiles; emits :attr:`activated` with the item's key."""

    activated = Signal(object)
    contextMenuRequested = Signal(object, QPoint)  # key, global position

    def __init__(self, empty_text: str = "Nothing here", parent: QWidget | None = None) -> None:
        """Create an empty deck.

        Args:
            empty_text: Shown when there are no (matching) items.
            parent: Parent widget.
        """
        super().__init__(parent)
        self._items: list[GridItem] = []
        self._buttons: list[QToolButton] = []
        self._more = QTimer(self)  # builds the next CHUNK of buttons on the next loop pass
        self._more.setSingleShot(True)
        self._more.setInterval(0)
        self._more.timeout.connect(self._build_more)
        self._icon_timer = QTimer(self)  # asks for the icons on screen once things settle
        self._icon_timer.setSingleShot(True)
        self._icon_timer.setInterval(0)
        self._icon_timer.timeout.connect(self._request_visible_icons)
        self._icons: IconCache | None = None
        self._tile_size: TileSize | None = None
        self._tile = DEFAULT_TILE
        self._filter = ""
        self._columns = 0
        self._scroll = QScrollArea(self)
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._scroll.viewport().installEventFilter(self)
        self._scroll.verticalScrollBar().valueChanged.connect(self._schedule_icons)
        inner = QWidget(self._scroll)
        self._grid = QGridLayout(inner)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(SPACING)
        self._grid.setAlignment(Qt.AlignmentFlag.AlignTop)
        self._scroll.setWidget(inner)
        self._empty_text = empty_text
        self._empty = QLabel(empty_text, self)
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._empty.setWordWrap(True)
        self._empty.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._empty)
        layout.addWidget(self._scroll, 1)
        self._update_empty()

    # ------------------------------------------------------------------ configuration

    def set_icon_cache(self, icons: IconCache | None) -> None:
        """Fetch Animaze icons through ``icons`` (``None``: lettered tiles only)."""
        if self._icons is not None:
            self._icons.iconReady.disconnect(self._icon_ready)
        self._icons = icons
        if icons is not None:
            icons.iconReady.connect(self._icon_ready)
        self._refresh_icons()

    def bind_tile_size(self, tile_size: TileSize) -> None:
        """Follow ``tile_size`` (and change it on Ctrl+wheel)."""
        self._tile_size = tile_size
        tile_size.changed.connect(self.set_tile_size)
        self.set_tile_size(tile_size.value)

    def set_tile_size(self, px: int) -> None:
        """Show icons ``px`` pixels wide (tiles grow with them) and reflow."""
        self._tile = px
        for item, button in zip(self._items, self._buttons, strict=False):
            self._size_button(button)
            self._configure(button, item)
        self._columns = 0
        self._relayout()

    @property
    def tile_size(self) -> int:
        """The icon side in pixels."""
        return self._tile

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        """A compact default: three tiles wide, one and a half high."""
        width, height = self._tile_dimensions()
        return QSize(3 * (width + SPACING) + 24, height * 3 // 2)

    # ------------------------------------------------------------------ items

    @property
    def items(self) -> list[GridItem]:
        """The items shown (before filtering)."""
        return list(self._items)

    def buttons(self) -> list[QAbstractButton]:
        """All tiles in item order (hidden ones included); for tests and keyboard focus."""
        self._complete()
        return list(self._buttons)

    def visible_labels(self) -> list[str]:
        """Full names of the items that match the filter, in order."""
        self._complete()
        pairs = zip(self._items, self._buttons, strict=True)
        return [item.label for item, button in pairs if not button.isHidden()]

    def button_for(self, key: Hashable) -> QAbstractButton | None:
        """The tile of the item with ``key``, if any."""
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

    def set_filter(self, text: str) -> None:
        """Show only items whose label or key contains ``text`` (case-insensitive)."""
        self._filter = text.strip().casefold()
        self._relayout()

    # ------------------------------------------------------------------ Qt events

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        """Reflow the columns to the new width."""
        super().resizeEvent(event)
        if self._wanted_columns() != self._columns:
            self._relayout()
        self._schedule_icons()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        """A deck that becomes visible (e.g. its tab is chosen) asks for its icons."""
        super().showEvent(event)
        self._schedule_icons()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        """Ctrl+wheel over the deck resizes the tiles of every deck."""
        if (
            isinstance(event, QWheelEvent)
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
            and self._tile_size is not None
        ):
            delta = event.angleDelta().y()
            if delta:
                self._tile_size.step(1 if delta > 0 else -1)
            return True
        return super().eventFilter(watched, event)

    # ------------------------------------------------------------------ building

    def _tile_dimensions(self) -> tuple[int, int]:
        text_height = self.fontMetrics().height()
        width = max(MIN_TILE_WIDTH, self._tile + TILE_PADDING)
        return width, self._tile + text_height + 18

    def _size_button(self, button: QToolButton) -> None:
        width, height = self._tile_dimensions()
        button.setIconSize(QSize(self._tile, self._tile))
        button.setMinimumWidth(width)
        button.setFixedHeight(height)

    def _configure(self, button: QToolButton, item: GridItem) -> None:
        width, _height = self._tile_dimensions()
        metrics = button.fontMetrics()
        button.setText(metrics.elidedText(item.label, Qt.TextElideMode.ElideMiddle, width - 10))
        button.setToolTip(item.tooltip or item.label)
        button.setAccessibleName(item.label)
        button.setIcon(self._icon_for(item))

    def _icon_for(self, item: GridItem) -> QIcon:
        if item.icon is not None:
            return item.icon
        if item.icon_name and self._icons is not None:
            icon = self._icons.icon(item.icon_name)
            if icon is not None:
                return icon
        return placeholder_icon(initial(item.label), PLACEHOLDER_PX, item.label)

    def _build_more(self, limit: int | None = CHUNK) -> None:
        parent = self._grid.parentWidget()
        missing = self._items[len(self._buttons):]
        for item in missing if limit is None else missing[:limit]:
            button = QToolButton(parent)
            button.setProperty("role", "slot")
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            button.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            button.customContextMenuRequested.connect(partial(self._context_menu, button))
            self._size_button(button)
            self._configure(button, item)
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

    def _clicked(self, button: QToolButton) -> None:
        if button in self._buttons:
            self.activated.emit(self._items[self._buttons.index(button)].key)

    def _context_menu(self, button: QToolButton, pos: QPoint) -> None:
        if button in self._buttons:
            key = self._items[self._buttons.index(button)].key
            self.contextMenuRequested.emit(key, button.mapToGlobal(pos))

    def _matches(self, item: GridItem) -> bool:
        if not self._filter:
            return True
        return self._filter in item.label.casefold() or self._filter in str(item.key).casefold()

    def _wanted_columns(self) -> int:
        # The grid's own width, not the viewport's: the scroll area may be hidden (empty
        # state) and its viewport size stale when items arrive.
        scrollbar = self._scroll.verticalScrollBar().sizeHint().width()
        width, _height = self._tile_dimensions()
        return max(1, (self.width() - scrollbar + SPACING) // (width + SPACING))

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
        # Every column of the row exists even when few items are shown: three poses stay three
        # tiles of the usual size instead of stretching across the whole deck.
        width, _height = self._tile_dimensions()
        for column in range(max(self._grid.columnCount(), self._columns)):
            used = column < self._columns
            self._grid.setColumnStretch(column, 1 if used else 0)
            self._grid.setColumnMinimumWidth(column, width if used else 0)
        if len(self._buttons) < len(self._items):  # the rest are still being built
            shown += sum(1 for item in self._items[len(self._buttons):] if self._matches(item))
        self._update_empty(shown)
        self._schedule_icons()

    def _update_empty(self, shown: int = 0) -> None:
        if self._items and self._filter:
            self._empty.setText(f"Nothing matches \u201c{self._filter}\u201d")
        else:
            self._empty.setText(self._empty_text)
        self._empty.setVisible(shown == 0)
        self._scroll.setVisible(shown > 0)

    # ------------------------------------------------------------------ icons

    def _schedule_icons(self, *_args: object) -> None:
        if self._icons is not None:
            self._icon_timer.start()

    def on_screen(self) -> list[GridItem]:
        """The items whose tiles are (at least partly) on screen now."""
        if not self.isVisible() or not self._scroll.isVisible():
            return []
        viewport = self._scroll.viewport()
        area = QRect(0, self._scroll.verticalScrollBar().value(), viewport.width(),
                     viewport.height())
        return [
            item
            for item, button in zip(self._items, self._buttons, strict=False)
            if not button.isHidden() and button.geometry().intersects(area)
        ]

    def _request_visible_icons(self) -> None:
        icons = self._icons
        if icons is None:
            return
        for item in self.on_screen():
            if item.icon is None and item.icon_name and icons.icon(item.icon_name) is None:
                icons.request(item.icon_name)

    def _icon_ready(self, name: str) -> None:
        for item, button in zip(self._items, self._buttons, strict=False):
            if item.icon_name == name and item.icon is None:
                button.setIcon(self._icon_for(item))

    def _refresh_icons(self) -> None:
        for item, button in zip(self._items, self._buttons, strict=False):
            button.setIcon(self._icon_for(item))
        self._schedule_icons()
