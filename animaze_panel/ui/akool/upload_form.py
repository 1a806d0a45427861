"""UploadForm: make a streaming avatar from a video link and follow its processing."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit, QPushButton, QWidget

from ...cloud.akool_models import AvatarUploadRequest
from .catalogue import CatalogueModel
from .status_label import StatusLabel


class UploadForm(QWidget):
    """Video link, avatar id, name and link source; errors beside the field they are about."""

    def __init__(self, model: CatalogueModel, parent: QWidget | None = None) -> None:
        """Bind to ``model``."""
        super().__init__(parent)
        self.setObjectName("akoolUpload")
        self.model = model
        self.url_edit = QLineEdit()
        self.url_edit.setObjectName("akoolUploadUrl")
        self.url_edit.setPlaceholderText("https://... (about a minute, face clearly visible)")
        self.avatar_id_edit = QLineEdit()
        self.avatar_id_edit.setObjectName("akoolUploadAvatarId")
        self.avatar_id_edit.setPlaceholderText("letters and digits only")
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("akoolUploadName")
        self.source_combo = QComboBox()
        self.source_combo.setObjectName("akoolUploadSource")
        self.source_combo.addItem("Direct link / Akool", 1)
        self.source_combo.addItem("YouTube, TikTok, X, Google Drive", 2)
        self.upload_button = QPushButton("Upload")
        self.upload_button.setObjectName("akoolUploadButton")
        self.url_error = StatusLabel("akoolUploadUrlError")
        self.avatar_id_error = StatusLabel("akoolUploadAvatarIdError")
        self.status = StatusLabel("akoolUploadStatus")

        form = QFormLayout(self)
        form.addRow("Video link", self.url_edit)
        form.addRow("", self.url_error)
        form.addRow("Avatar ID", self.avatar_id_edit)
        form.addRow("", self.avatar_id_error)
        form.addRow("Name", self.name_edit)
        form.addRow("Link from", self.source_combo)
        form.addRow(self.upload_button)
        form.addRow(self.status)

        self.upload_button.clicked.connect(self._upload)
        model.uploadStatus.connect(self.status.show_status)
        model.uploadField.connect(self._field_error)
        model.uploadBusy.connect(lambda busy: self.upload_button.setEnabled(not busy))

    def _upload(self) -> None:
        self.url_error.show_status("")
        self.avatar_id_error.show_status("")
        self.status.show_status("")
        self.model.upload(AvatarUploadRequest(
            url=self.url_edit.text().strip(), avatar_id=self.avatar_id_edit.text().strip(),
            name=self.name_edit.text().strip(), url_from=int(self.source_combo.currentData())))

    def _field_error(self, field: str, message: str) -> None:
        label = {"url": self.url_error, "avatar_id": self.avatar_id_error}.get(field, self.status)
        label.show_status(message, False)
