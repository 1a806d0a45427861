"""GalleryPane: one tab of the gallery (avatars or scenes), a filtered icon grid.

The pane owns its :class:`~.gallery_model.GalleryModel` and the proxy the search box filters;
the dock fills the model and loads what is activated.
"""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from ..widgets.icon_cache import IconCache
from .gallery_model import GalleryModel
from .gallery_view import GalleryView


class GalleryPane(QWidget):
    """One tab (avatars or scenes): the grid over a filtered :class:`GalleryModel`."""

    def __init__(self, icons: IconCache, parent: QWidget | None = None) -> None:
        """Build the grid."""
        super().__init__(parent)
        self.model = GalleryModel(icons, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterRole(GalleryModel.SearchRole)
        self.view = GalleryView(self)
        self.view.setModel(self.proxy)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)

    def visible_names(self) -> list[str]:
        """Names of the items on screen."""
        return [
            str(self.proxy.index(row, 0).data(GalleryModel.NameRole))
            for row in self.view.visible_rows()
        ]
