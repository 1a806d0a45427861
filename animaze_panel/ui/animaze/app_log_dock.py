"""AppLogDock: the app's own messages (Python ``logging``) in a dock, secrets redacted.

:class:`QtLogHandler` is a ``logging.Handler`` that forwards records through a Qt signal, so
records logged from any thread (the simulator, the icon decoder) are shown on the GUI thread.
Every message passes :func:`redact` first: API keys, tokens, passwords and ``Authorization``
headers are masked, so even a careless ``log.debug(headers)`` never shows a secret here.
The view keeps the last :data:`MAX_RECORDS` records and filters them by level.
"""

from __future__ import annotations

import logging
import re
from collections import deque
from datetime import datetime
from html import escape

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..session import AnimazeSession
from ..widgets import resources
from ..widgets.theme import Tone, tones

MAX_RECORDS = 2000
_SECRET_KEY = re.compile(
    r"(?i)((?:x-)?api[_-]?key|token|secret|password|passwd|authorization)"
    r"(\"?'?\s*[:=]\s*\"?'?)(?:bearer\s+)?([^\s\"',;}]+)"
)
_BEARER = re.compile(r"(?i)\bbearer\s+[A-Za-z0-9._~+/=-]+")
_TONES = {
    logging.DEBUG: Tone.MUTED,
    logging.WARNING: Tone.WARNING,
    logging.ERROR: Tone.ERROR,
    logging.CRITICAL: Tone.ERROR,
}


def redact(text: str) -> str:
    """Mask the values of secret-looking fields (``api_key=...``, ``Bearer ...``)."""
    text = _SECRET_KEY.sub(lambda m: f"{m.group(1)}{m.group(2)}•••", text)
    return _BEARER.sub("Bearer •••", text)


class _Bridge(QObject):
    record = Signal(int, float, str, str)  # level, created, logger name, message


class QtLogHandler(logging.Handler):
    """Forwards log records to the GUI thread as the :attr:`bridge`'s ``record`` signal."""

    def __init__(self, level: int = logging.DEBUG) -> None:
        """Create the handler (attach it with ``logging.getLogger().addHandler``)."""
        super().__init__(level)
        self.bridge = _Bridge()

    def emit(self, record: logging.LogRecord) -> None:
        """Format, redact and forward ``record``."""
        try:
            message = record.getMessage()
            if record.exc_info and record.exc_info[1] is not None:
                message += f" ({type(record.exc_info[1]).__name__}: {record.exc_info[1]})"
            self.bridge.record.emit(record.levelno, record.created, record.name, redact(message))
        except Exception:
            self.handleError(record)


class AppLogDock(QDockWidget):
    """Shows the app's log (objectName ``appLogDock``)."""

    def __init__(self, session: AnimazeSession, parent: QWidget | None = None) -> None:
        """Build the dock and attach a :class:`QtLogHandler` to the root logger."""
        super().__init__("App log", parent)
        self.setObjectName("appLogDock")
        self._records: deque[tuple[int, float, str, str]] = deque(maxlen=MAX_RECORDS)
        body = QWidget(self)
        self.level_box = QComboBox(body)
        for name, level in (("Debug", 10), ("Info", 20), ("Warnings", 30), ("Errors", 40)):
            self.level_box.addItem(name, level)
        self.level_box.setCurrentIndex(1)
        self.level_box.currentIndexChanged.connect(self._rerender)
        clear = QPushButton(resources.icon("clear"), "Clear", body)
        clear.clicked.connect(self.clear)
        self.view = QPlainTextEdit(body)
        self.view.setObjectName("appLogView")
        self.view.setReadOnly(True)
        self.view.setMaximumBlockCount(MAX_RECORDS)
        self.view.setPlaceholderText("Messages and errors of the panel appear here.")
        bar = QHBoxLayout()
        bar.addWidget(self.level_box)
        bar.addStretch(1)
        bar.addWidget(clear)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        self.setWidget(body)

        self.handler = QtLogHandler()
        self.handler.bridge.record.connect(self._append)
        root = logging.getLogger()
        root.addHandler(self.handler)
        handler = self.handler
        # Detach with the widget; the closure does not keep the dock alive.
        self.destroyed.connect(lambda *_: root.removeHandler(handler))

    def detach(self) -> None:
        """Stop receiving log records (the window calls this on close)."""
        logging.getLogger().removeHandler(self.handler)

    def text(self) -> str:
        """The shown log as plain text."""
        return self.view.toPlainText()

    def clear(self) -> None:
        """Forget the shown records."""
        self._records.clear()
        self.view.clear()

    def _append(self, level: int, created: float, name: str, message: str) -> None:
        self._records.append((level, created, name, message))
        if level >= int(self.level_box.currentData()):
            self.view.appendHtml(self._html(level, created, name, message))

    def _rerender(self) -> None:
        threshold = int(self.level_box.currentData())
        self.view.clear()
        for record in self._records:
            if record[0] >= threshold:
                self.view.appendHtml(self._html(*record))

    @staticmethod
    def _html(level: int, created: float, name: str, message: str) -> str:
        stamp = datetime.fromtimestamp(created).strftime("%H:%M:%S")
        tone = _TONES.get(level)
        color = tones().of(tone) if tone is not None else ""
        style = f' style="color:{color}"' if color else ""
        label = logging.getLevelName(level).lower()
        source = name.rsplit(".", 1)[-1]
        return (
            f"<span{style}>{stamp} <b>{label}</b> [{escape(source)}] "
            f"{escape(message)}</span>"
        )
