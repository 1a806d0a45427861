"""Kinetix account box: API key (saved to the OS keyring), user id, and the plan.

The key field is a password field; its status label sits right next to it and shows key
problems from *any* Kinetix call (e.g. a 401 during upload).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from .util import named
from .viewmodel import KinetixViewModel

_ERROR_STYLE = "color: #c0392b;"
_OK_STYLE = "color: #1e8449;"


class KinetixAccountBox(QGroupBox):
    """API key, user id and plan."""

    def __init__(self, model: KinetixViewModel, parent: QWidget | None = None) -> None:
        """Build the box over ``model``."""
        super().__init__("Kinetix account", parent)
        self._model = model
        self.key_edit = named(QLineEdit(), "kinetixKeyEdit")
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_edit.setPlaceholderText("Game API key from the Kinetix Developer Portal")
        self.save_button = named(QPushButton("Save key"), "kinetixSaveKey")
        self.forget_button = named(QPushButton("Forget"), "kinetixForgetKey")
        self.key_status = named(QLabel(), "kinetixKeyStatus")
        self.key_status.setWordWrap(True)
        self.user_edit = named(QLineEdit(model.settings.user_id), "kinetixUserEdit")
        self.user_edit.setPlaceholderText("Virtual world user id")
        self.user_error = named(QLabel(), "kinetixUserError")
        self.user_error.setStyleSheet(_ERROR_STYLE)
        self.plan_label = named(QLabel("Plan: unknown until a key is checked"), "kinetixPlan")

        key_row = QHBoxLayout()
        key_row.addWidget(self.key_edit, 1)
        key_row.addWidget(self.save_button)
        key_row.addWidget(self.forget_button)
        key_row.addWidget(self.key_status, 1)
        user_row = QHBoxLayout()
        user_row.addWidget(self.user_edit, 1)
        user_row.addWidget(self.user_error, 1)
        form = QFormLayout(self)
        form.addRow("API key", key_row)
        form.addRow("User id", user_row)
        form.addRow("Plan", self.plan_label)

        self.save_button.clicked.connect(self._save)
        self.key_edit.returnPressed.connect(self._save)
        self.forget_button.clicked.connect(self._forget)
        self.user_edit.editingFinished.connect(self._user_changed)
        self.user_edit.textChanged.connect(lambda _text: self.user_error.clear())
        model.keyStatus.connect(self.show_key_status)
        model.keyLoaded.connect(self._key_loaded)
        model.planChanged.connect(self._plan)
        model.formError.connect(self._form_error)

    def show_key_status(self, message: str, ok: bool) -> None:
        """Show a key message next to the key field."""
        self.key_status.setText(message)
        self.key_status.setStyleSheet(_OK_STYLE if ok else _ERROR_STYLE)

    def _save(self) -> None:
        self._user_changed()
        self.show_key_status("Checking the key…", True)
        # The typed key stays in the field (masked) so nothing is lost if it is refused.
        self._model.save_key(self.key_edit.text())

    def _forget(self) -> None:
        self.key_edit.clear()
        self._model.forget_key()

    def _key_loaded(self, known: bool) -> None:
        if known and not self.key_edit.text():
            self.key_edit.setPlaceholderText("A key is stored in the OS keyring")
        elif not known:
            self.key_edit.setPlaceholderText("Game API key from the Kinetix Developer Portal")

    def _user_changed(self) -> None:
        self._model.set_user_id(self.user_edit.text())

    def _plan(self, text: str) -> None:
        self.plan_label.setText(text or "Plan: unknown until a key is checked")

    def _form_error(self, field: str, message: str) -> None:
        if field == "user":
            self.user_error.setText(message)
