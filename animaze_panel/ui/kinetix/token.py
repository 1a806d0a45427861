"""Token panel: the QR code a player scans to record on a phone, with a live expiry countdown.

The QR code is generated locally from the token's ``url`` (``qrcode`` in a worker thread, then
painted into a QImage). When the token is used (a phone upload, or an upload from this page) or
expires, the code is cleared: a used code would only lead the player to an error.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import qrcode
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QPixmap
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ...cloud._http import run_blocking
from ...cloud.kinetix_models import ProcessToken
from .message import MessageLabel
from .util import named
from .viewmodel import KinetixViewModel

QR_PIXELS = 150


def qr_matrix(text: str) -> list[list[bool]]:
    """Return the QR module matrix for ``text`` (True = dark); pure and thread-safe."""
    code = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(text)
    code.make(fit=True)
    matrix: list[list[bool]] = code.get_matrix()
    return matrix


def qr_image(matrix: list[list[bool]]) -> QImage:
    """Paint a module matrix into a black-on-white QImage (one pixel per module)."""
    size = len(matrix)
    image = QImage(size, size, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    black = QColor("black").rgb()
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                image.setPixel(x, y, black)
    return image


class KinetixTokenPanel(QGroupBox):
    """Shows the current token's QR code and counts down to its expiry."""

    expired = Signal()
    qrShown = Signal()

    def __init__(self, model: KinetixViewModel, parent: QWidget | None = None) -> None:
        """Build the panel over ``model``."""
        super().__init__("Record on a phone", parent)
        self._model = model
        self.token: ProcessToken | None = None
        self.qr_label = named(QLabel("No QR code yet"), "kinetixQr")
        self.qr_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr_label.setFixedSize(QR_PIXELS, QR_PIXELS)
        self.countdown = named(QLabel(), "kinetixCountdown")
        self.countdown.setWordWrap(True)
        self.message = named(MessageLabel(lines=3), "kinetixTokenMessage")
        self.new_button = named(QPushButton("New QR code"), "kinetixNewToken")
        hint = QLabel("A player scans it to film the emote on a phone.")
        hint.setWordWrap(True)
        side = QVBoxLayout()
        side.addWidget(hint)
        side.addWidget(self.countdown)
        side.addWidget(self.message)
        side.addStretch(1)
        side.addWidget(self.new_button)
        layout = QHBoxLayout(self)
        layout.addWidget(self.qr_label)
        layout.addLayout(side, 1)
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._tick)
        self._qr_task: asyncio.Task[None] | None = None
        self.new_button.clicked.connect(self._new_token)
        model.tokenChanged.connect(self.show_token)
        model.tokenMessage.connect(self.message.show_message)

    def _new_token(self) -> None:
        self.message.clear()
        self._model.new_token()

    def show_token(self, token: ProcessToken | None) -> None:
        """Display ``token``: QR code of its URL and the countdown (``None``: clear them)."""
        self.token = token
        if self._qr_task is not None:
            self._qr_task.cancel()
        if token is None:
            self._timer.stop()
            self.qr_label.clear()
            self.qr_label.setText("No QR code")
            self.qr_label.setToolTip("")
            self.countdown.clear()
            return
        self.qr_label.setText("Generating the QR code…")
        self.qr_label.setToolTip(token.url)
        self._qr_task = asyncio.get_running_loop().create_task(self._render(token.url))
        self._tick()
        self._timer.start()

    async def _render(self, url: str) -> None:
        matrix = await run_blocking(qr_matrix, url)  # QR layout can take tens of ms
        image = qr_image(matrix).scaled(QR_PIXELS, QR_PIXELS)  # nearest-neighbour: crisp
        self.qr_label.setPixmap(QPixmap.fromImage(image))
        self.qrShown.emit()

    def _tick(self) -> None:
        if self.token is None:
            return
        left = int(self.token.seconds_left(datetime.now(UTC)))
        if left > 0:
            minutes, seconds = divmod(left, 60)
            self.countdown.setText(f"Expires in {minutes}:{seconds:02d}")
            return
        self._timer.stop()
        self.countdown.setText("Expired: press New QR code (Upload does not need one)")
        self.qr_label.clear()
        self.qr_label.setText("Expired")
        self.expired.emit()

    def shutdown(self) -> None:
        """Stop the countdown and QR rendering."""
        self._timer.stop()
        if self._qr_task is not None:
            self._qr_task.cancel()
