"""GalleryModel: the avatars or scenes Animaze offers, with icons from the :class:`IconCache`.

A flat list model of item names. The decoration is the cached thumbnail, or a placeholder (a
tinted tile with the item's initial) until it arrives. Fetching is the dock's job: it asks the
cache for the rows actually on screen after every scroll, resize or filter change. The item
currently loaded in Animaze is shown in bold with a tick.
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
from PySide6.QtGui import QFont

from ..widgets.icon_cache import IconCache
from ..widgets.letter_tile import placeholder_icon

_Index = QModelIndex | QPersistentModelIndex
_WORD = re.compile(r"[_\-]+")


def display_name(item_name: str) -> str:
    """A readable label for an item name (``avatar01_BS_Full`` -> ``avatar01 BS Full``)."""
    return _WORD.sub(" ", item_name).strip() or item_name


class GalleryModel(QAbstractListModel):
    """Item names with lazily fetched icons."""

    NameRole = Qt.ItemDataRole.UserRole + 1
    CurrentRole = Qt.ItemDataRole.UserRole + 2

    def __init__(self, icons: IconCache, parent: QObject | None = None) -> None:
        """Create an empty model whose icons come from ``icons``."""
        super().__init__(parent)
        self._icons = icons
        self._names: list[str] = []
        self._rows: dict[str, int] = {}
        self._current = ""
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

    @property
    def current(self) -> str:
        """The item loaded in Animaze ("" when unknown)."""
        return self._current

    def row_of(self, name: str) -> int | None:
        """Row of ``name`` or ``None``."""
        return self._rows.get(name)

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
            return ("✓ " if current else "") + display_name(name)
        if role == Qt.ItemDataRole.DecorationRole:
            icon = self._icons.icon(name)
            if icon is None:
                # No fetch from here: views also ask for decorations to measure items (e.g.
                # the last row), which is not "on screen"; the dock requests visible rows.
                return placeholder_icon(name[:1] or "?", self._icons.size)
            return icon
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{name}{' (loaded now)' if current else ''}\nDouble-click or Enter to load"
        if role == Qt.ItemDataRole.FontRole and current:
            font = QFont()
            font.setBold(True)
            return font
        if role == self.NameRole:
            return name
        if role == self.CurrentRole:
            return current
        return None

    def _icon_ready(self, name: str) -> None:
        row = self._rows.get(name)
        if row is not None:
            index = self.index(row)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])
