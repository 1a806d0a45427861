"""Upload and process panel: upload bar + cancel, step in words, progression, review, files.

The emote's files are listed with a Download button each (and Download all) into a folder the
user picks; ``choose_folder`` is replaceable (tests, or a remembered folder).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from ...cloud.kinetix_models import EmoteFile, Process, ProcessStatus, describe_step
from .util import named
from .viewmodel import KinetixViewModel


class KinetixProcessPanel(QGroupBox):
    """Follows the upload and the current process."""

    def __init__(self, model: KinetixViewModel, parent: QWidget | None = None) -> None:
        """Build the panel over ``model``."""
        super().__init__("Upload and progress", parent)
        self._model = model
        self.choose_folder: Callable[[], Path | None] = self._ask_folder
        self.upload_bar = named(QProgressBar(), "kinetixUploadBar")
        self.upload_bar.setFormat("Upload %p%")
        self.cancel_button = named(QPushButton("Cancel upload"), "kinetixCancel")
        self.cancel_button.setEnabled(False)
        self.upload_message = named(QLabel(), "kinetixUploadMessage")
        self.upload_message.setWordWrap(True)
        self.step_label = named(QLabel("No emote in progress"), "kinetixStep")
        self.step_bar = named(QProgressBar(), "kinetixStepBar")
        self.validate_button = named(QPushButton("Validate"), "kinetixValidate")
        self.retake_button = named(QPushButton("Retake"), "kinetixRetake")
        self.process_message = named(QLabel(), "kinetixProcessMessage")
        self.process_message.setWordWrap(True)
        self.files_table = named(QTableWidget(0, 2), "kinetixFiles")
        self.files_table.setHorizontalHeaderLabels(["File", ""])
        self.files_table.horizontalHeader().setStretchLastSection(True)
        self.download_all = named(QPushButton("Download all…"), "kinetixDownloadAll")
        self.download_message = named(QLabel(), "kinetixDownloadMessage")
        self.download_message.setWordWrap(True)

        upload_row = QHBoxLayout()
        upload_row.addWidget(self.upload_bar, 1)
        upload_row.addWidget(self.cancel_button)
        review_row = QHBoxLayout()
        review_row.addWidget(self.validate_button)
        review_row.addWidget(self.retake_button)
        review_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(upload_row)
        layout.addWidget(self.upload_message)
        layout.addWidget(self.step_label)
        layout.addWidget(self.step_bar)
        layout.addLayout(review_row)
        layout.addWidget(self.process_message)
        layout.addWidget(self.files_table, 1)
        layout.addWidget(self.download_all)
        layout.addWidget(self.download_message)
        self._set_review(False)
        self.download_all.setEnabled(False)

        self.cancel_button.clicked.connect(model.cancel_upload)
        self.validate_button.clicked.connect(self._validate)
        self.retake_button.clicked.connect(self._retake)
        self.download_all.clicked.connect(lambda: self._download(model.files))
        model.uploadProgress.connect(self._upload_progress)
        model.uploadingChanged.connect(self._uploading)
        model.uploadMessage.connect(self.upload_message.setText)
        model.processChanged.connect(self.show_process)
        model.processMessage.connect(self.process_message.setText)
        model.filesChanged.connect(self.show_files)
        model.downloadMessage.connect(self.download_message.setText)

    def _uploading(self, uploading: bool) -> None:
        self.cancel_button.setEnabled(uploading)
        if uploading:
            self.upload_bar.setValue(0)
            self.upload_message.setText("Uploading…")

    def _upload_progress(self, sent: int, total: int) -> None:
        # QProgressBar is int32: report per mille, not bytes, so multi-GB files work.
        self.upload_bar.setRange(0, 1000)
        self.upload_bar.setValue(1000 if total <= 0 else int(sent * 1000 / total))

    def _set_review(self, enabled: bool) -> None:
        self.validate_button.setEnabled(enabled)
        self.retake_button.setEnabled(enabled)

    def show_process(self, process: Process) -> None:
        """Show the process's step in words and its progression."""
        name = f"“{process.name}”: " if process.name else ""
        self.step_label.setText(f"{name}{describe_step(process.step)}")
        percent = process.percent
        if percent is None and process.status is ProcessStatus.PENDING:
            self.step_bar.setRange(0, 0)  # busy indicator while queued
        else:
            self.step_bar.setRange(0, 100)
            self.step_bar.setValue(100 if process.status in (ProcessStatus.DONE,
                                                             ProcessStatus.FINAL)
                                   else percent or 0)
        self._set_review(process.status is ProcessStatus.DONE and self._model.review_available)
        if process.status is ProcessStatus.FAILED:
            self.process_message.setText("Kinetix could not make this emote; try another video "
                                         "or other start/end times")

    def show_files(self, files: tuple[EmoteFile, ...]) -> None:
        """List the emote's files, each with a Download button."""
        self.files_table.setRowCount(len(files))
        for row, file in enumerate(files):
            self.files_table.setCellWidget(row, 0, QLabel(file.filename))
            button = named(QPushButton("Download…"), f"kinetixDownload_{file.filename}")
            button.clicked.connect(lambda _checked=False, f=file: self._download((f,)))
            self.files_table.setCellWidget(row, 1, button)
        self.download_all.setEnabled(bool(files))

    def _validate(self) -> None:
        self._set_review(False)
        self._model.validate()

    def _retake(self) -> None:
        self._set_review(False)
        self._model.retake()

    def _download(self, files: tuple[EmoteFile, ...]) -> None:
        if not files:
            return
        folder = self.choose_folder()
        if folder is not None:
            self.download_message.setText("Downloading…")
            self._model.download(files, folder)

    def _ask_folder(self) -> Path | None:
        start = self._model.settings.download_folder
        name = QFileDialog.getExistingDirectory(self, "Download the emote into", start)
        return Path(name) if name else None
