"""CredentialsBox: the Akool client ID + secret (or API key) form, bound to AccountModel."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from .account import AccountModel
from .status_label import StatusLabel


def _secret_edit(name: str, placeholder: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setPlaceholderText(placeholder)
    return edit


class CredentialsBox(QWidget):
    """Type, save (to the keyring) and check the credentials; the status shows beneath."""

    def __init__(self, model: AccountModel, parent: QWidget | None = None) -> None:
        """Bind to ``model``."""
        super().__init__(parent)
        self.setObjectName("akoolCredentials")
        self.model = model
        self.client_id_edit = QLineEdit()
        self.client_id_edit.setObjectName("akoolClientId")
        self.client_id_edit.setPlaceholderText("client ID (akool.com > API credentials)")
        self.secret_edit = _secret_edit("akoolClientSecret", "client secret")
        self.api_key_edit = _secret_edit("akoolApiKey", "or an API key")
        self.save_button = QPushButton("Save and check")
        self.save_button.setObjectName("akoolSaveCredentials")
        self.forget_button = QPushButton("Forget")
        self.forget_button.setObjectName("akoolForgetCredentials")
        self.status = StatusLabel("akoolCredentialsStatus")
        hint = QLabel("Stored only in the system keyring.")
        hint.setProperty("role", "muted")

        form = QFormLayout(self)
        form.addRow("Client ID", self.client_id_edit)
        form.addRow("Secret", self.secret_edit)
        form.addRow("API key", self.api_key_edit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.forget_button)
        buttons.addStretch(1)
        form.addRow(buttons)
        form.addRow(hint)
        form.addRow(self.status)

        self.save_button.clicked.connect(self._save)
        self.forget_button.clicked.connect(model.forget)
        model.status.connect(self.status.show_status)
        model.loaded.connect(self._on_loaded)

    def _save(self) -> None:
        self.model.save(self.client_id_edit.text(), self.secret_edit.text(),
                        self.api_key_edit.text())

    def _on_loaded(self, has_id: bool, has_key: bool) -> None:
        # Stored secrets are never shown; the placeholders say they are there.
        self.secret_edit.setPlaceholderText("stored (type to replace)" if has_id else
                                            "client secret")
        self.api_key_edit.setPlaceholderText("stored (type to replace)" if has_key else
                                             "or an API key")
