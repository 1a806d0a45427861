"""AvatarList: the streaming avatars with thumbnails; unavailable ones shown but not pickable."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...cloud.akool_models import Avatar
from .catalogue import CatalogueModel
from .status_label import StatusLabel

ICON = 40


class AvatarList(QWidget):
    """Pick the avatar of the next session."""

    selectionChanged = Signal(str)  # noqa: N815  avatar_id ("" for none)

    def __init__(self, model: CatalogueModel, parent: QWidget | None = None) -> None:
        """Bind to ``model``."""
        super().__init__(parent)
        self.setObjectName("akoolAvatars")
        self.model = model
        self.list = QListWidget()
        self.list.setObjectName("akoolAvatarList")
        self.list.setIconSize(QSize(ICON, ICON))
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.setObjectName("akoolRefreshAvatars")
        self.status = StatusLabel("akoolAvatarsStatus")
        self._items: dict[str, QListWidgetItem] = {}

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list, 1)
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        row.addWidget(self.refresh_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(row)

        self.refresh_button.clicked.connect(model.refresh)
        model.avatarsChanged.connect(self._show)
        model.avatarsStatus.connect(self.status.show_status)
        model.thumbnailReady.connect(self._thumbnail)
        self.list.currentItemChanged.connect(lambda *_: self.selectionChanged.emit(
            self.selected_avatar_id()))

    def selected_avatar_id(self) -> str:
        """The picked avatar's id, or ""."""
        item = self.list.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else ""

    def select(self, avatar_id: str) -> bool:
        """Pick ``avatar_id`` if it is listed and available."""
        item = self._items.get(avatar_id)
        if item is None or not item.flags() & Qt.ItemFlag.ItemIsEnabled:
            return False
        self.list.setCurrentItem(item)
        return True

    def _show(self, avatars: list[Avatar]) -> None:
        previous = self.selected_avatar_id()
        self.list.clear()
        self._items.clear()
        for avatar in avatars:
            said = avatar.available or "unavailable" in avatar.name.lower()
            label = avatar.name if said else f"{avatar.name} (unavailable)"
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, avatar.avatar_id)
            note = "" if avatar.available else " - not available now"
            item.setToolTip(f"{avatar.avatar_id}{note}")
            if not avatar.available:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
            self.list.addItem(item)
            self._items[avatar.avatar_id] = item
        if not (previous and self.select(previous)):
            first = next((a.avatar_id for a in avatars if a.available), "")
            if first:
                self.select(first)

    def _thumbnail(self, avatar_id: str, data: bytes) -> None:
        item = self._items.get(avatar_id)
        pixmap = QPixmap()
        if item is not None and pixmap.loadFromData(data):
            item.setIcon(QIcon(pixmap.scaled(ICON, ICON, Qt.AspectRatioMode.KeepAspectRatio,
                                             Qt.TransformationMode.SmoothTransformation)))
