"""Settings > Control API: switch the local API on, see its URL, token and clients."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...secrets import SecretStoreError
from .service import ControlApiOptions, ControlApiService

_HIDDEN = "(hidden — it is shown once; press Rotate for a new one)"


class ControlApiDialog(QDialog):
    """Edits :class:`ControlApiOptions` and shows the service's status."""

    def __init__(self, service: ControlApiService, parent: QWidget | None = None) -> None:
        """Build the dialog from the service's current options.

        Args:
            service: The running service.
            parent: Qt parent.
        """
        super().__init__(parent)
        self.setObjectName("controlApiDialog")
        self.setWindowTitle("Control API")
        self.service = service
        self._tasks: set[asyncio.Task[None]] = set()
        options = service.options

        intro = QLabel("Let Stream Deck, Streamer.bot, Touch Portal or scripts drive the panel "
                       "over HTTP. Every request needs the token below.")
        intro.setWordWrap(True)
        self.enabled = QCheckBox("Control API on")
        self.enabled.setObjectName("controlApiEnabled")
        self.enabled.setChecked(options.enabled)
        self.port = QSpinBox()
        self.port.setObjectName("controlApiPort")
        self.port.setRange(1024, 65535)
        self.port.setValue(max(1024, options.port))
        self.remote = QCheckBox("Allow other machines on my network")
        self.remote.setObjectName("controlApiRemote")
        self.remote.setChecked(options.allow_remote)
        self.host = QLineEdit(options.host)
        self.host.setObjectName("controlApiHost")
        self.host.setPlaceholderText("127.0.0.1")
        self.host.setEnabled(options.allow_remote)
        self.remote.toggled.connect(self._remote_toggled)

        self.url = QLineEdit()
        self.url.setObjectName("controlApiUrl")
        self.url.setReadOnly(True)
        copy_url = QPushButton("Copy")
        copy_url.setObjectName("controlApiCopyUrl")
        copy_url.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.url.text()))
        self.token = QLineEdit()
        self.token.setObjectName("controlApiToken")
        self.token.setReadOnly(True)
        self.copy_token = QPushButton("Copy")
        self.copy_token.setObjectName("controlApiCopyToken")
        self.copy_token.clicked.connect(
            lambda: QGuiApplication.clipboard().setText(self.token.text()))
        self.rotate = QPushButton("Rotate")
        self.rotate.setObjectName("controlApiRotate")
        self.rotate.setToolTip("Make a new token; clients using the old one stop working")
        self.rotate.clicked.connect(self._rotate)
        self.status = QLabel()
        self.status.setObjectName("controlApiStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        form = QFormLayout()
        form.addRow(self.enabled)
        form.addRow("Port", self.port)
        form.addRow(self.remote)
        form.addRow("Listen on", self.host)
        form.addRow("Address", _row(self.url, copy_url))
        form.addRow("Token", _row(self.token, self.copy_token, self.rotate))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Apply
                                   | QDialogButtonBox.StandardButton.Close)
        buttons.setObjectName("controlApiButtons")
        self.apply_button = buttons.button(QDialogButtonBox.StandardButton.Apply)
        self.apply_button.clicked.connect(self._apply)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.token.setText(_HIDDEN if service.has_token() else "")
        service.changed.connect(self._refresh)
        self._refresh()

    def options(self) -> ControlApiOptions:
        """What the form says."""
        remote = self.remote.isChecked()
        host = self.host.text().strip() if remote else "127.0.0.1"
        return ControlApiOptions(self.enabled.isChecked(), self.port.value(), host or "127.0.0.1",
                                 remote)

    def _remote_toggled(self, on: bool) -> None:
        self.host.setEnabled(on)
        if on and self.host.text().strip() in ("", "127.0.0.1"):
            self.host.setText("0.0.0.0")

    def _apply(self) -> None:
        self.apply_button.setEnabled(False)
        task = asyncio.ensure_future(self._apply_async(self.options()))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _apply_async(self, options: ControlApiOptions) -> None:
        try:
            made = await self.service.apply(options)
            if made is not None:
                self._show_token(made)
        finally:
            self.apply_button.setEnabled(True)

    def _rotate(self) -> None:
        try:
            self._show_token(self.service.rotate_token())
        except SecretStoreError as exc:
            self.status.setText(f"Cannot make a token: {exc}.")
            self.status.setProperty("severity", "error")

    def _show_token(self, token: str) -> None:
        self.token.setText(token)
        self.token.setToolTip("Copy it now: it is not shown again (rotate for a new one)")

    def _refresh(self) -> None:
        service = self.service
        self.url.setText(service.url)
        if service.error:
            text, severity = service.error, "error"
        elif service.running:
            clients = service.clients
            text = (f"On at {service.url} — {clients} event client"
                    f"{'' if clients == 1 else 's'} connected.")
            severity = "success"
        else:
            text, severity = "Off. Nothing can reach the panel from outside.", "muted"
        self.status.setText(text)
        self.status.setProperty("severity", severity)
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)

    def done(self, result: int) -> None:
        """Close; a token shown once is not shown again."""
        if self.token.text() and self.token.text() != _HIDDEN:
            self.token.setText(_HIDDEN)
        super().done(result)


def _row(*widgets: QWidget) -> QWidget:
    box = QWidget()
    layout = QHBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget, 1 if isinstance(widget, QLineEdit) else 0)
    return box
