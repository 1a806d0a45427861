"""GalleryModel: the avatars or scenes Animaze offers, with icons from the :class:`IconCache`.

A flat list model of item names, shown by display name: Animaze lists avatars and scenes by
item name only (``avatar01_BS_Full``) and tells the friendly name ("Fluffo") only for the
current avatar and scene, so the model learns friendly names as they become current (the dock
keeps them between runs) and shows a readable form of the item name until then. The decoration
is the cached thumbnail, or a lettered tile until it arrives. Fetching is the dock's job: it
asks the cache for the rows actually on screen after every scroll, resize or filter change. The
item currently loaded in Animaze keeps its name, in bold on a tinted cell.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette

from ..widgets.icon_cache import IconCache
from ..widgets.letter_tile import initial, placeholder_icon

_Index = QModelIndex | QPersistentModelIndex
_WORD = re.compile(r"[_\-]+")


def display_name(item_name: str) -> str:
    """A readable label for an item name (``avatar01_BS_Full`` -> ``avatar01 BS Full``)."""
    return _WORD.sub(" ", item_name).strip() or item_name


class GalleryModel(QAbstractListModel):
    """Item names with lazily fetched icons."""

    NameRole = Qt.ItemDataRole.UserRole + 1
    CurrentRole = Qt.ItemDataRole.UserRole + 2
    SearchRole = Qt.ItemDataRole.UserRole + 3
    """Display name and item name together: what the search box matches."""

    def __init__(self, icons: IconCache, parent: QObject | None = None) -> None:
        """Create an empty model whose icons come from ``icons``."""
        super().__init__(parent)
        self._icons = icons
        self._names: list[str] = []
        self._rows: dict[str, int] = {}
        self._current = ""
        self._friendly: dict[str, str] = {}
        icons.iconReady.connect(self._icon_ready)

    @property
    def names(self) -> list[str]:
        """The items, in Animaze's order."""
        return list(self._names)

    def set_names(self, names: list[str]) -> None:
        """Replace the items (keeps icons already cached)."""
        if names == self._names:
            return
        self.beginResetModel()
        self._names = list(names)
        self._rows = {n: i for i, n in enumerate(self._names)}
        self.endResetModel()

    def set_current(self, name: str) -> None:
        """Mark ``name`` as the item loaded in Animaze (case-insensitive match)."""
        old = self._current
        match = next((n for n in self._names if n.casefold() == name.casefold()), name)
        self._current = match
        for item in (old, match):
            row = self._rows.get(item)
            if row is not None:
                index = self.index(row)
                self.dataChanged.emit(index, index)

    def set_display_name(self, name: str, friendly: str) -> bool:
        """Show ``friendly`` for item ``name`` (learned when it became current).

        Returns:
            Whether this was news (the dock then saves the names).
        """
        key = name.casefold()
        if not friendly or self._friendly.get(key) == friendly:
            return False
        self._friendly[key] = friendly
        row = next((r for n, r in self._rows.items() if n.casefold() == key), None)
        if row is not None:
            index = self.index(row)
            self.dataChanged.emit(index, index)
        return True

    def display_names(self) -> dict[str, str]:
        """Every friendly name learned, by case-folded item name."""
        return dict(self._friendly)

    def label(self, name: str) -> str:
        """What the grid shows for item ``name``."""
        return self._friendly.get(name.casefold()) or display_name(name)

    @property
    def current(self) -> str:
        """The item loaded in Animaze ("" when unknown)."""
        return self._current

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        """Number of items."""
        return 0 if parent.isValid() else len(self._names)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Label, icon (fetched lazily), tooltip, bold for the current item."""
        if not index.isValid():
            return None
        name = self._names[index.row()]
        current = name == self._current
        if role == Qt.ItemDataRole.DisplayRole:
            return self.label(name)
        if role == Qt.ItemDataRole.DecorationRole:
            icon = self._icons.icon(name)
            if icon is None:
                # No fetch from here: views also ask for decorations to measure items (e.g.
                # the last row), which is not "on screen"; the dock requests visible rows.
                return placeholder_icon(initial(self.label(name)), self._icons.size, name)
            return icon
        if role == Qt.ItemDataRole.ToolTipRole:
            now = "\nLoaded in Animaze now" if current else ""
            return f"{self.label(name)}\n{name}{now}\nDouble-click or Enter to load"
        if role == Qt.ItemDataRole.FontRole and current:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole and current:
            return _current_tint()
        if role == self.NameRole:
            return name
        if role == self.CurrentRole:
            return current
        if role == self.SearchRole:
            return f"{self.label(name)} {name}"
        return None

    def _icon_ready(self, name: str) -> None:
        row = self._rows.get(name)
        if row is not None:
            index = self.index(row)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])


def _current_tint() -> QColor:
    """The palette's highlight, faint: marks the current item's cell behind its name."""
    app = QGuiApplication.instance()
    color = (
        app.palette().color(QPalette.ColorRole.Highlight)
        if isinstance(app, QGuiApplication)
        else QColor("#7c5cff")
    )
    color.setAlpha(70)
    return color
