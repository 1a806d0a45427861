"""Upload and progress panel: upload bar + cancel, the step in words, progression, review.

The upload's own message sits under the Upload button (in the form); the review's under the
Validate/Retake buttons, with a constant height, in the success or the error colour.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...cloud.kinetix_models import Process, ProcessStatus, describe_step
from .message import MessageLabel
from .util import named
from .viewmodel import KinetixViewModel


class KinetixProcessPanel(QGroupBox):
    """Follows the upload and the current process."""

    def __init__(self, model: KinetixViewModel, parent: QWidget | None = None) -> None:
        """Build the panel over ``model``."""
        super().__init__("Upload and progress", parent)
        self._model = model
        self.upload_bar = named(QProgressBar(), "kinetixUploadBar")
        self.upload_bar.setFormat("Upload %p%")
        self.cancel_button = named(QPushButton("Cancel upload"), "kinetixCancel")
        self.cancel_button.setEnabled(False)
        self.step_label = named(QLabel("No emote in progress"), "kinetixStep")
        self.step_bar = named(QProgressBar(), "kinetixStepBar")
        self.validate_button = named(QPushButton("Validate"), "kinetixValidate")
        self.retake_button = named(QPushButton("Retake"), "kinetixRetake")
        self.process_message = named(MessageLabel(), "kinetixProcessMessage")

        upload_row = QHBoxLayout()
        upload_row.addWidget(self.upload_bar, 1)
        upload_row.addWidget(self.cancel_button)
        review_row = QHBoxLayout()
        review_row.addWidget(self.validate_button)
        review_row.addWidget(self.retake_button)
        review_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(upload_row)
        layout.addWidget(self.step_label)
        layout.addWidget(self.step_bar)
        layout.addLayout(review_row)
        layout.addWidget(self.process_message)
        layout.addStretch(1)
        self._set_review(False)

        self.cancel_button.clicked.connect(model.cancel_upload)
        self.validate_button.clicked.connect(self._validate)
        self.retake_button.clicked.connect(self._retake)
        model.uploadProgress.connect(self._upload_progress)
        model.uploadingChanged.connect(self._uploading)
        model.processChanged.connect(self.show_process)
        model.processMessage.connect(self.process_message.show_message)

    def _uploading(self, uploading: bool) -> None:
        self.cancel_button.setEnabled(uploading)
        if uploading:
            self.upload_bar.setValue(0)

    def _upload_progress(self, sent: int, total: int) -> None:
        # QProgressBar is int32: report per mille, not bytes, so multi-GB files work.
        self.upload_bar.setRange(0, 1000)
        self.upload_bar.setValue(1000 if total <= 0 else int(sent * 1000 / total))

    def _set_review(self, enabled: bool) -> None:
        self.validate_button.setEnabled(enabled)
        self.retake_button.setEnabled(enabled)
        tip = "" if self._model.review_available else (
            "The validation flow is not enabled for this game")
        self.validate_button.setToolTip(tip)
        self.retake_button.setToolTip(tip)

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
            self.process_message.show_message(
                "Kinetix could not make this emote; try another video or other start/end "
                "times", False)

    def _validate(self) -> None:
        self._set_review(False)
        self._model.validate()

    def _retake(self) -> None:
        self._set_review(False)
        self._model.retake()
