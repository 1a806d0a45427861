"""The emote's files: a Download button each, Download all, and Open folder once saved.

Files go into a folder the user picks (``choose_folder`` is replaceable: tests, or a remembered
folder). The message under the buttons lists every file saved, or what failed; "Open folder"
shows the folder in the system's file manager.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from ...cloud.kinetix_models import EmoteFile
from .message import MessageLabel
from .util import named
from .viewmodel import KinetixViewModel


class KinetixFilesPanel(QGroupBox):
    """Lists the finished emote's files and downloads them."""

    def __init__(self, model: KinetixViewModel, parent: QWidget | None = None) -> None:
        """Build the panel over ``model``."""
        super().__init__("Emote files", parent)
        self._model = model
        self.choose_folder: Callable[[], Path | None] = self._ask_folder
        self.open_folder: Callable[[Path], object] = _open_in_file_manager
        self.folder: Path | None = None
        self.files_table = named(QTableWidget(0, 2), "kinetixFiles")
        self.files_table.setHorizontalHeaderLabels(["File", ""])
        header = self.files_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Cell widgets do not size their column: it is sized from the button (show_files).
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        self.files_table.verticalHeader().setVisible(False)
        self.files_table.setMinimumHeight(90)
        self.download_all = named(QPushButton("Download all…"), "kinetixDownloadAll")
        self.open_button = named(QPushButton("Open folder"), "kinetixOpenFolder")
        self.download_message = named(MessageLabel(), "kinetixDownloadMessage")
        row = QHBoxLayout()
        row.addWidget(self.download_all)
        row.addWidget(self.open_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.files_table, 1)
        layout.addLayout(row)
        layout.addWidget(self.download_message)
        self.download_all.setEnabled(False)
        self.open_button.setEnabled(False)
        self.download_all.clicked.connect(lambda: self._download(model.files))
        self.open_button.clicked.connect(self._open)
        model.filesChanged.connect(self.show_files)
        model.downloadMessage.connect(self.download_message.show_message)
        model.downloadsDone.connect(self._done)

    def show_files(self, files: tuple[EmoteFile, ...]) -> None:
        """List the emote's files, each with a Download button."""
        self.files_table.setRowCount(len(files))
        for row, file in enumerate(files):
            self.files_table.setCellWidget(row, 0, QLabel(file.filename))
            button = named(QPushButton("Download…"), f"kinetixDownload_{file.filename}")
            button.clicked.connect(lambda _checked=False, f=file: self._download((f,)))
            self.files_table.setCellWidget(row, 1, button)
            hint = button.sizeHint()
            self.files_table.horizontalHeader().resizeSection(1, hint.width() + 8)
            self.files_table.setRowHeight(row, hint.height() + 4)
        self.download_all.setEnabled(bool(files))

    def _download(self, files: tuple[EmoteFile, ...]) -> None:
        if not files:
            return
        folder = self.choose_folder()
        if folder is not None:
            self.download_message.show_message("Downloading…", True)
            self._model.download(files, folder)

    def _done(self, saved: list[Path], folder: Path) -> None:
        self.folder = folder
        self.open_button.setEnabled(bool(saved))
        self.open_button.setToolTip(str(folder))

    def _open(self) -> None:
        if self.folder is not None:
            self.open_folder(self.folder)

    def _ask_folder(self) -> Path | None:
        start = self._model.settings.download_folder
        name = QFileDialog.getExistingDirectory(self, "Download the emote into", start)
        return Path(name) if name else None


def _open_in_file_manager(folder: Path) -> bool:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
