"""The "new emote" form: video (with preview), name, mature flag, start/end, Upload.

Each field has its own error line right under it (constant height, error colour); errors never
clear what was typed. Times use the spec's ``HH:mm:ss.SSS``; the end defaults to the video's
duration once it is known.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...cloud.kinetix import KinetixInputError
from ...cloud.kinetix_models import EmoteSubmission, format_timestamp, parse_timestamp
from .message import MessageLabel
from .util import named
from .video import KinetixVideoPicker


class KinetixEmoteForm(QGroupBox):
    """Collects an :class:`EmoteSubmission`; emits :attr:`submitted` when Upload is pressed."""

    submitted = Signal(object, object)  # EmoteSubmission, duration ms | None

    def __init__(self, start_folder: str = "", parent: QWidget | None = None) -> None:
        """Build the form; ``start_folder`` is where the video dialog opens."""
        super().__init__("New emote", parent)
        self.picker = KinetixVideoPicker(start_folder)
        self.name_edit = named(QLineEdit(), "kinetixName")
        self.name_edit.setPlaceholderText("Emote name")
        self.mature_check = named(QCheckBox("Adults only (mature)"), "kinetixMature")
        self.start_edit = named(QLineEdit(format_timestamp(0)), "kinetixStart")
        self.end_edit = named(QLineEdit(), "kinetixEnd")
        for edit in (self.start_edit, self.end_edit):
            edit.setPlaceholderText("HH:mm:ss.SSS")
            edit.setInputMask("")
        self.upload_button = named(QPushButton("Upload"), "kinetixUpload")
        self.upload_message = named(MessageLabel(), "kinetixUploadMessage")
        self.errors: dict[str, MessageLabel] = {}
        self.errors["video"] = self.picker.error_label  # right under "Choose video…"
        for field, lines in (("name", 1), ("start", 2), ("end", 2)):
            self.errors[field] = named(MessageLabel(lines=lines), f"kinetixError_{field}")

        grid = QGridLayout()
        grid.addWidget(QLabel("Name"), 0, 0)
        grid.addWidget(self.name_edit, 0, 1, 1, 3)
        grid.addWidget(self.errors["name"], 1, 1, 1, 3)
        grid.addWidget(QLabel("Start"), 2, 0)
        grid.addWidget(self.start_edit, 2, 1)
        grid.addWidget(QLabel("End"), 2, 2)
        grid.addWidget(self.end_edit, 2, 3)
        grid.addWidget(self.errors["start"], 3, 1)
        grid.addWidget(self.errors["end"], 3, 3)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.picker, 1)
        layout.addLayout(grid)
        # One row for the last choice and the button that acts on it (the page must fit under
        # the tool bars at 1280x720 without a scroll bar).
        submit_row = QHBoxLayout()
        submit_row.addWidget(self.mature_check)
        submit_row.addWidget(self.upload_button, 1)
        layout.addLayout(submit_row)
        layout.addWidget(self.upload_message)

        self._end_typed = False
        self.end_edit.textEdited.connect(self._end_edited)
        self.picker.durationChanged.connect(self._duration)
        self.picker.videoChanged.connect(lambda _path: self.errors["video"].clear())
        self.upload_button.clicked.connect(self._submit)
        for field, edit in (("name", self.name_edit), ("start", self.start_edit),
                            ("end", self.end_edit)):
            edit.textChanged.connect(lambda _text, f=field: self.errors[f].clear())

    def _end_edited(self, _text: str) -> None:
        self._end_typed = True

    def _duration(self, millis: int | None) -> None:
        # Suggest the whole video, unless the user already chose an end.
        if millis is not None and not self._end_typed:
            self.end_edit.setText(format_timestamp(millis))

    def show_error(self, field: str, message: str) -> None:
        """Show ``message`` next to ``field`` (video, name, start or end)."""
        label = self.errors.get(field)
        if label is not None:
            label.show_message(message, False)

    def clear_errors(self) -> None:
        """Hide every field error."""
        for label in self.errors.values():
            label.clear()

    def submission(self) -> EmoteSubmission:
        """Read the fields.

        Raises:
            KinetixInputError: A field cannot be read (no video, bad time format).
        """
        if self.picker.video is None:
            raise KinetixInputError("video", "Choose a video first")
        times = {}
        for field, edit in (("start", self.start_edit), ("end", self.end_edit)):
            try:
                times[field] = parse_timestamp(edit.text())
            except ValueError as exc:
                raise KinetixInputError(field, f"{field.capitalize()}: {exc}") from exc
        return EmoteSubmission(
            video=self.picker.video,
            name=self.name_edit.text(),
            mature=self.mature_check.isChecked(),
            start_ms=times["start"],
            end_ms=times["end"],
        )

    def _submit(self) -> None:
        self.clear_errors()
        try:
            submission = self.submission()
            submission.validate(self.picker.duration_ms)
        except KinetixInputError as exc:
            self.show_error(exc.field, str(exc))
            return
        self.submitted.emit(submission, self.picker.duration_ms)

    def set_uploading(self, uploading: bool) -> None:
        """Lock the Upload button while an upload runs (fields stay editable)."""
        self.upload_button.setEnabled(not uploading)
        if uploading:
            self.upload_message.show_message("Uploading…", True)
