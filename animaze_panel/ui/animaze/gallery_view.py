"""GalleryView: the gallery's icon grid, which can say which of its items are on screen.

Icons are fetched only for the items on screen (:class:`~..widgets.icon_cache.IconCache` works
on demand), so the grid reports :meth:`GalleryView.visible_rows` for the dock to ask for.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

ICON_PX = 80
"""Side of a gallery icon in device-independent pixels."""
GRID = QSize(112, 124)


class GalleryView(QListView):
    """An icon grid that tells the dock when what is on screen changes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        """Configure a uniform, wrapping icon grid."""
        super().__init__(parent)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setIconSize(QSize(ICON_PX, ICON_PX))
        self.setGridSize(GRID)
        self.setUniformItemSizes(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Static)
        self.setWrapping(True)
        # One line per name, elided in the middle ("Dragon…Knight"); the tooltip has it all.
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.setSpacing(4)
        # SinglePass: with uniform sizes laying out 500 items takes a few ms, and batched
        # layout reports bogus rectangles for items not laid out yet (they look "visible").
        self.setLayoutMode(QListView.LayoutMode.SinglePass)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)

    def visible_rows(self) -> list[int]:
        """Rows (of the view's model) whose cell intersects the viewport."""
        model = self.model()
        if model is None:
            return []
        area = self.viewport().rect()
        rows = []
        for row in range(model.rowCount()):
            rect = self.visualRect(model.index(row, 0))
            if rect.isValid() and rect.intersects(area):
                rows.append(row)
            elif rows and rect.top() > area.bottom():
                break  # items are laid out in order: nothing further is visible
        return rows
