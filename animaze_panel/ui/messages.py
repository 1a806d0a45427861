"""The panel's one message channel: what happened, for the status bar and the app log.

Modelled on qutebrowser's ``utils/message.py``: any code on the GUI thread calls
:func:`error`, :func:`warning`, :func:`info` or :func:`success` with one sentence; the sentence is
logged (so the App log dock and a terminal show it) and emitted by the global
:class:`MessageBridge`, which the main window shows in its status bar. Code that reports never
needs a widget, and a widget shows every report without knowing who made it.

Call these on the GUI thread. Work on other threads (the hotkey lane) hands its outcome to the
GUI thread first (``loop.call_soon_threadsafe``), then reports here.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

log = logging.getLogger("animaze_panel.messages")


class Level(enum.Enum):
    """How a message is shown: colour in the status bar, level in the log."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    SUCCESS = "success"

    @property
    def log_level(self) -> int:
        """The ``logging`` level the message is logged at."""
        return {
            Level.ERROR: logging.ERROR,
            Level.WARNING: logging.WARNING,
            Level.INFO: logging.INFO,
            Level.SUCCESS: logging.INFO,
        }[self]


@dataclass(frozen=True)
class Message:
    """One report.

    Attributes:
        level: Error, warning, info or success.
        text: One sentence a user can act on.
    """

    level: Level
    text: str


class MessageBridge(QObject):
    """Carries reports to whoever shows them (the main window's status bar)."""

    shown = Signal(object)  # Message

    def __init__(self, parent: QObject | None = None) -> None:
        """Create the bridge (use :func:`bridge` for the app's one instance)."""
        super().__init__(parent)
        self.last: Message | None = None

    def show(self, level: Level, text: str) -> Message:
        """Log ``text`` and emit it.

        Returns:
            The message emitted.
        """
        message = Message(level, text)
        log.log(level.log_level, "%s", text)
        self.last = message
        self.shown.emit(message)
        return message


_bridge: MessageBridge | None = None


def bridge() -> MessageBridge:
    """The app's message bridge (created on first use, after the QApplication)."""
    global _bridge
    if _bridge is None:
        _bridge = MessageBridge()
    return _bridge


def error(text: str) -> Message:
    """Report a failure (an action that did not happen) with what to do next."""
    return bridge().show(Level.ERROR, text)


def warning(text: str) -> Message:
    """Report something that needs attention but did not stop an action."""
    return bridge().show(Level.WARNING, text)


def info(text: str) -> Message:
    """Report progress or a neutral fact."""
    return bridge().show(Level.INFO, text)


def success(text: str) -> Message:
    """Report an action that worked (never shown in the error colour)."""
    return bridge().show(Level.SUCCESS, text)
