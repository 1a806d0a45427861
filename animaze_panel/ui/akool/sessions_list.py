"""SessionsList: Akool's session list with a status filter, and closing a session from it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...cloud.akool_models import Session, SessionStatus
from .catalogue import CatalogueModel
from .status_label import StatusLabel

_NAMES = {SessionStatus.QUEUEING: "queueing", SessionStatus.PROCESSING: "running",
          SessionStatus.COMPLETED: "ended", SessionStatus.FAILED: "failed"}


class SessionsList(QWidget):
    """List, filter and close sessions (closing refunds the unused paid time)."""

    def __init__(self, model: CatalogueModel, parent: QWidget | None = None) -> None:
        """Bind to ``model``."""
        super().__init__(parent)
        self.setObjectName("akoolSessions")
        self.model = model
        self.filter_combo = QComboBox()
        self.filter_combo.setObjectName("akoolSessionFilter")
        self.filter_combo.addItem("All", None)
        for status, name in _NAMES.items():
            self.filter_combo.addItem(name.capitalize(), int(status))
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.setObjectName("akoolRefreshSessions")
        self.tree = QTreeWidget()
        self.tree.setObjectName("akoolSessionTree")
        self.tree.setHeaderLabels(["Session", "Status", "Avatar", "Paid"])
        self.tree.setRootIsDecorated(False)
        self.close_button = QPushButton("Close selected")
        self.close_button.setObjectName("akoolCloseSession")
        self.status = StatusLabel("akoolSessionsStatus")

        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(self.filter_combo, 1)
        row.addWidget(self.refresh_button)
        layout.addLayout(row)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.close_button)
        layout.addWidget(self.status)

        self.refresh_button.clicked.connect(self.refresh)
        self.filter_combo.currentIndexChanged.connect(self.refresh)
        self.close_button.clicked.connect(self._close)
        model.sessionsChanged.connect(self._show)
        model.sessionsStatus.connect(self.status.show_status)

    def status_filter(self) -> SessionStatus | None:
        """The chosen status, or None for all."""
        value = self.filter_combo.currentData()
        return None if value is None else SessionStatus(int(value))

    def refresh(self) -> None:
        """Reload with the current filter."""
        self.model.refresh_sessions(self.status_filter())

    def _show(self, sessions: list[Session]) -> None:
        self.tree.clear()
        for session in sessions:
            item = QTreeWidgetItem([session.id, _NAMES.get(session.status, "unknown"),
                                    session.avatar_id, f"{session.duration // 60} min"])
            item.setData(0, Qt.ItemDataRole.UserRole, session.id)
            self.tree.addTopLevelItem(item)

    def _close(self) -> None:
        item = self.tree.currentItem()
        if item is None:
            self.status.show_status("Select a session to close.", False)
            return
        self.model.close_session(str(item.data(0, Qt.ItemDataRole.UserRole)),
                                 self.status_filter())
