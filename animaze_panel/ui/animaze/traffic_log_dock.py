"""TrafficLogDock: every frame between the panel and Animaze, filterable, copyable as JSON.

The table shows time, direction, action and size; selecting a row shows the frame pretty-printed
below. "Follow" keeps the newest frame in view; the filter box (Ctrl+F inside the dock) matches
action names and frame text; Ctrl+C or "Copy as JSON" copies the selected frames (all shown
frames when nothing is selected). Base64 payloads are shortened (see
:mod:`.traffic_log_model`), so the log never holds megabytes of icons.
"""

from __future__ import annotations

import json

from PySide6.QtCore import QItemSelection, QPoint, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...animaze.observers import Direction
from ..session import AnimazeSession
from ..widgets import resources
from .traffic_log_model import MAX_ROWS, LoggedFrame, TrafficFilterModel, TrafficLogModel


class TrafficLogDock(QDockWidget):
    """The traffic log dock (objectName ``trafficLogDock``)."""

    def __init__(self, session: AnimazeSession, parent: QWidget | None = None) -> None:
        """Build the dock and start logging ``session``'s frames."""
        super().__init__("Traffic log", parent)
        self.setObjectName("trafficLogDock")
        self.model = TrafficLogModel(parent=self)
        self.proxy = TrafficFilterModel(self)
        self.proxy.setSourceModel(self.model)
        session.frameLogged.connect(self.model.append)

        body = QWidget(self)
        # Opaque: a repaint of the log then stops here instead of repainting the main window
        # beneath it (the log updates several times a second while Animaze is busy).
        body.setAutoFillBackground(True)
        self.filter_edit = QLineEdit(body)
        self.filter_edit.setObjectName("trafficFilter")
        self.filter_edit.setPlaceholderText("Filter by action or text…")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.addAction(
            resources.icon("search"), QLineEdit.ActionPosition.LeadingPosition
        )
        self.filter_edit.textChanged.connect(self.proxy.set_text)
        self.direction_box = QComboBox(body)
        self.direction_box.addItem("In + out", None)
        self.direction_box.addItem("Out only", Direction.OUT)
        self.direction_box.addItem("In only", Direction.IN)
        self.direction_box.currentIndexChanged.connect(
            lambda _i: self.proxy.set_direction(self.direction_box.currentData())
        )
        self.follow_box = QCheckBox("Follow", body)
        self.follow_box.setChecked(True)
        self.follow_box.setToolTip("Keep the newest frame in view")
        self.copy_action = QAction(resources.icon("copy"), "Copy as JSON", self)
        self.copy_action.setShortcut(QKeySequence.StandardKey.Copy)
        self.copy_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.copy_action.triggered.connect(self.copy_selected)
        self.clear_action = QAction(resources.icon("clear"), "Clear", self)
        self.clear_action.triggered.connect(self.model.clear)
        self.count_label = QLabel(body)
        self.count_label.setProperty("role", "muted")
        # A fixed width: a count that changes its width would re-lay out the whole bar.
        self.count_label.setFixedWidth(
            self.count_label.fontMetrics().horizontalAdvance(f"{MAX_ROWS:,} frames") + 8
        )
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        bar = QHBoxLayout()
        bar.addWidget(self.filter_edit, 1)
        bar.addWidget(self.direction_box)
        bar.addWidget(self.follow_box)
        for action in (self.copy_action, self.clear_action):
            button = QToolButton(body)
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            bar.addWidget(button)
        bar.addWidget(self.count_label)

        self.view = QTableView(body)
        self.view.setObjectName("trafficTable")
        self.view.setModel(self.proxy)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setWordWrap(False)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(22)
        self.view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        header = self.view.horizontalHeader()
        for column, width in enumerate((96, 56, 170, 70)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.view.addAction(self.copy_action)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.view.selectionModel().selectionChanged.connect(self._show_selected)

        self.detail = QPlainTextEdit(body)
        self.detail.setObjectName("trafficDetail")
        self.detail.setReadOnly(True)
        self.detail.setPlaceholderText("Select a frame to see it in full (base64 shortened).")
        self.detail.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        splitter = QSplitter(Qt.Orientation.Vertical, body)
        splitter.addWidget(self.view)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([400, 0])  # the detail pane opens when a frame is selected
        self._splitter = splitter

        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)
        self.setWidget(body)
        body.addAction(self.copy_action)
        find = QAction(self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.triggered.connect(self._focus_filter)
        body.addAction(find)
        self.model.rowsInserted.connect(self._after_insert)
        self.model.modelReset.connect(self._update_count)

    def selected_frames(self) -> list[LoggedFrame]:
        """Frames selected in the table (all shown frames when none are), oldest first."""
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        if not rows:
            rows = list(range(self.proxy.rowCount()))
        out = []
        for row in rows:
            frame = self.proxy.index(row, 0).data(TrafficLogModel.FrameRole)
            if isinstance(frame, LoggedFrame):
                out.append(frame)
        return out

    def copy_selected(self) -> str:
        """Copy the selected frames to the clipboard as a JSON array; returns the text."""
        text = json.dumps([f.to_json() for f in self.selected_frames()], indent=2,
                          ensure_ascii=False)
        QGuiApplication.clipboard().setText(text)
        return text

    def _focus_filter(self) -> None:
        self.filter_edit.setFocus()
        self.filter_edit.selectAll()

    def _after_insert(self) -> None:
        self._update_count()
        if self.follow_box.isChecked():
            self.view.scrollToBottom()

    def _update_count(self) -> None:
        self.count_label.setText(f"{self.model.rowCount():,} frames")

    def _show_selected(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = self.view.selectionModel().selectedRows()
        frame = rows[-1].data(TrafficLogModel.FrameRole) if rows else None
        self.detail.setPlainText(frame.pretty() if isinstance(frame, LoggedFrame) else "")
        sizes = self._splitter.sizes()
        if rows and sizes[1] == 0:
            total = sum(sizes)
            self._splitter.setSizes([total * 3 // 5, total - total * 3 // 5])

    def _context_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        menu.addAction(self.copy_action)
        menu.addAction(self.clear_action)
        menu.popup(self.view.viewport().mapToGlobal(pos))
