"""SessionForm: KS, avatar id, voice id, Start / End and the session's state, with errors.

The KS field is a password field: a KS typed here is used for the session and, once Kaltura
accepted it, saved in the OS keyring. A saved KS is never shown again; the field then only says
one is saved, and "Forget" deletes it. What the user typed stays after every error.
"""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from .error_label import ErrorLabel
from .viewmodel import KalturaViewModel, Phase

_PHASE_TEXT = {
    Phase.IDLE: "No session",
    Phase.STARTING: "Starting\u2026",
    Phase.LIVE: "Live",
    Phase.ENDING: "Ending\u2026",
}


class SessionForm(QGroupBox):
    """The session's inputs, buttons and state lines."""

    def __init__(self, model: KalturaViewModel, parent: QWidget | None = None) -> None:
        """Build the form bound to ``model``."""
        super().__init__("Session", parent)
        self.setObjectName("kalturaSessionForm")
        self.model = model
        self._tasks: set[asyncio.Task[Any]] = set()
        self.ks_edit = _edit("kalturaKs", "Paste your Kaltura Session (KS)")
        self.ks_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.forget_button = QPushButton("Forget", self)
        self.forget_button.setObjectName("kalturaForgetKs")
        self.forget_button.setToolTip("Delete the saved KS from the system keyring")
        self.avatar_edit = _edit("kalturaAvatarId", "Avatar id")
        self.voice_edit = _edit("kalturaVoiceId", "Voice id (optional)")
        self.start_button = QPushButton("Start session", self)
        self.start_button.setObjectName("kalturaStart")
        self.end_button = QPushButton("End session", self)
        self.end_button.setObjectName("kalturaEnd")
        self.phase_label = QLabel(self)
        self.phase_label.setObjectName("kalturaPhase")
        self.keep_alive_label = QLabel(self)
        self.keep_alive_label.setObjectName("kalturaKeepAlive")
        self.keep_alive_label.setWordWrap(True)
        self.errors = {
            name: ErrorLabel(f"kalturaError_{name}", self)
            for name in ("ks", "keyring", "avatar", "voice", "session")
        }

        ks_row = QHBoxLayout()
        ks_row.addWidget(self.ks_edit, 1)
        ks_row.addWidget(self.forget_button)
        form = QFormLayout()
        form.addRow("KS", _column(ks_row, self.errors["ks"], self.errors["keyring"]))
        form.addRow("Avatar", _column(self.avatar_edit, self.errors["avatar"]))
        form.addRow("Voice", _column(self.voice_edit, self.errors["voice"]))
        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.end_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.phase_label)
        layout.addWidget(self.keep_alive_label)
        layout.addWidget(self.errors["session"])

        self.start_button.clicked.connect(self._on_start)
        self.end_button.clicked.connect(self._on_end)
        self.forget_button.clicked.connect(model.forget_ks)
        self.ks_edit.returnPressed.connect(self._on_start)
        self.avatar_edit.returnPressed.connect(self._on_start)
        self.ks_edit.textEdited.connect(lambda _t: self.errors["ks"].show_error(""))
        self.avatar_edit.textEdited.connect(lambda _t: self.errors["avatar"].show_error(""))
        model.phaseChanged.connect(lambda _v: self._sync())
        model.errorChanged.connect(self._on_error)
        model.ksStoredChanged.connect(lambda: self._sync_ks(saved_now=True))
        model.keepAliveChanged.connect(self.keep_alive_label.setText)
        for name, message in model.errors.items():
            self._on_error(name, message)
        self._sync_ks()
        self._sync()

    def _on_start(self) -> None:
        if self.model.phase is not Phase.IDLE:
            return
        self._run(self.model.start(
            self.ks_edit.text(), self.avatar_edit.text(), self.voice_edit.text()))

    def _on_end(self) -> None:
        self._run(self.model.end())

    def _run(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _on_error(self, name: str, message: str) -> None:
        label = self.errors.get(name)
        if label is not None:
            label.show_error(message)

    def _sync_ks(self, *, saved_now: bool = False) -> None:
        stored = self.model.ks_stored()
        if stored and saved_now:
            self.ks_edit.clear()  # accepted and saved: from now on it lives in the keyring
        self.ks_edit.setPlaceholderText(
            "KS saved (paste one to replace it)" if stored
            else "Paste your Kaltura Session (KS)")
        self.forget_button.setEnabled(stored)

    def _sync(self) -> None:
        phase = self.model.phase
        idle = phase is Phase.IDLE
        self.start_button.setEnabled(idle)
        self.end_button.setEnabled(phase in (Phase.STARTING, Phase.LIVE))
        self.end_button.setText("Cancel" if phase is Phase.STARTING else "End session")
        for edit in (self.ks_edit, self.avatar_edit, self.voice_edit):
            edit.setReadOnly(not idle)
        session = self.model.session
        text = _PHASE_TEXT[phase]
        if session is not None and phase is Phase.LIVE:
            text += f" \u2014 session {session.session_id}"
        self.phase_label.setText(text)
        if idle:
            self.keep_alive_label.clear()
            self._sync_ks()


def _edit(name: str, placeholder: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setPlaceholderText(placeholder)
    edit.setClearButtonEnabled(True)
    return edit


def _column(first: QWidget | QHBoxLayout, *labels: QWidget) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    if isinstance(first, QHBoxLayout):
        layout.addLayout(first)
    else:
        layout.addWidget(first)
    for label in labels:
        layout.addWidget(label)
    return box
