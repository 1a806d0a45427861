"""Kinetix account box: API key (kept in the secret store), player id, plan, demo key.

The key field is a password field; its status message sits right next to it and shows key
problems from *any* Kinetix call (e.g. an unknown key during an upload). In ``--demo`` a line
shows the fake server's key and a button that fills it in.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from .message import MessageLabel
from .util import named
from .viewmodel import KinetixViewModel

_KEY_PLACEHOLDER = "Game API key from the Kinetix Developer Portal"
_PLAN_UNKNOWN = "Unknown until the key is checked"


class KinetixAccountBox(QGroupBox):
    """API key, player id and plan (and, in demo mode, the demo key)."""

    def __init__(
        self, model: KinetixViewModel, demo_key: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """Build the box over ``model``; ``demo_key`` adds the demo line."""
        super().__init__("Kinetix account", parent)
        self._model = model
        self.key_edit = named(QLineEdit(), "kinetixKeyEdit")
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_edit.setPlaceholderText(_KEY_PLACEHOLDER)
        self.key_edit.setMinimumWidth(220)
        self.save_button = named(QPushButton("Save key"), "kinetixSaveKey")
        self.forget_button = named(QPushButton("Forget key"), "kinetixForgetKey")
        self.key_status = named(MessageLabel(), "kinetixKeyStatus")
        self.user_edit = named(QLineEdit(model.settings.user_id), "kinetixUserEdit")
        self.user_edit.setPlaceholderText("Any name for the player, e.g. your channel name")
        self.user_edit.setToolTip(
            "Kinetix keeps each player's emotes apart under this id; the panel registers it "
            "with your game the first time it is used."
        )
        self.user_error = named(MessageLabel(lines=1), "kinetixUserError")
        self.plan_label = named(QLabel(_PLAN_UNKNOWN), "kinetixPlan")
        self.plan_label.setWordWrap(True)

        grid = QGridLayout(self)
        grid.addWidget(QLabel("API key"), 0, 0)
        key_row = QHBoxLayout()
        key_row.addWidget(self.key_edit, 1)
        key_row.addWidget(self.save_button)
        key_row.addWidget(self.forget_button)
        grid.addLayout(key_row, 0, 1)
        grid.addWidget(self.key_status, 0, 2)
        grid.addWidget(QLabel("Player id"), 1, 0)
        # The plan shares the player's row: a row of its own cost the page the height it
        # needs to fit under the tool bars at 1280x720.
        user_row = QHBoxLayout()
        user_row.addWidget(self.user_edit, 2)
        user_row.addSpacing(12)
        user_row.addWidget(QLabel("Plan"))
        user_row.addWidget(self.plan_label, 3)
        grid.addLayout(user_row, 1, 1)
        grid.addWidget(self.user_error, 1, 2)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(2, 2)
        self.demo_button: QPushButton | None = None
        if demo_key is not None:
            self.demo_button = named(QPushButton("Use the demo key"), "kinetixUseDemoKey")
            demo = QHBoxLayout()
            demo.addWidget(named(QLabel(
                f"Demo mode: the built-in Kinetix stand-in accepts the key “{demo_key}” "
                "(nothing is sent to Kinetix or saved)."), "kinetixDemoHint"), 1)
            demo.addWidget(self.demo_button)
            grid.addLayout(demo, 2, 0, 1, 3)
            self.demo_button.clicked.connect(lambda: self._use_demo_key(demo_key))

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
        self.key_status.show_message(message, ok)

    def _use_demo_key(self, key: str) -> None:
        self.key_edit.setText(key)
        if not self.user_edit.text():
            self.user_edit.setText("demo-player")
        self._save()

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
            self.key_edit.setPlaceholderText("A key is saved")
        elif not known:
            self.key_edit.setPlaceholderText(_KEY_PLACEHOLDER)

    def _user_changed(self) -> None:
        self._model.set_user_id(self.user_edit.text())

    def _plan(self, text: str) -> None:
        self.plan_label.setText(text or _PLAN_UNKNOWN)

    def _form_error(self, field: str, message: str) -> None:
        if field == "user":
            self.user_error.show_message(message, False)
