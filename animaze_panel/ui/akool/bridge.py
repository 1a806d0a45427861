"""The QWebChannel object the live-view page sees as ``bridge``, and the live view's errors.

The page (resources/web/akool/bridge.js) is thin: Python sends it commands as JSON on
:attr:`PageBridge.command` and the page answers through :meth:`PageBridge.post`, one JSON object
per event with its name in ``ev``. :class:`~.live_link.LiveLink` gives this an async API.

Exceptions (``str()`` says what went wrong and what to do)::

    LiveError
     ├── SdkMissing        the Agora SDK did not load (broken install)
     ├── PageNotReady      the page did not come up
     ├── JoinTimeout       no answer from the video servers in time
     ├── JoinFailed        the SDK refused to join (e.g. token expired)
     ├── SendFailed        a stream message was refused (size, rate, connection)
     └── MicFailed         the microphone could not be opened or published
"""

from __future__ import annotations

import json
import logging
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

log = logging.getLogger(__name__)


class LiveError(Exception):
    """A live-view failure; ``code`` is the SDK's error code when there is one."""

    def __init__(self, message: str, code: str = "") -> None:
        """Build the error (``message`` is shown to the user as is)."""
        super().__init__(message)
        self.code = code


class SdkMissing(LiveError):
    """The page has no Agora SDK."""


class PageNotReady(LiveError):
    """The page did not load or connect its channel in time."""


class JoinTimeout(LiveError):
    """Joining the video channel did not finish in time."""


class JoinFailed(LiveError):
    """The SDK refused to join the channel."""


class SendFailed(LiveError):
    """A stream message was not sent."""


class MicFailed(LiveError):
    """The microphone could not be turned on or off."""


class PageBridge(QObject):
    """Registered on the page's QWebChannel as ``bridge``."""

    command = Signal(str)
    """Python -> page: one JSON command ``{"op": ..., ...}``."""

    received = Signal(str, object)
    """Page -> Python: event name and its fields (a dict)."""

    def send_command(self, op: str, **fields: Any) -> None:
        """Send ``{"op": op, **fields}`` to the page."""
        self.command.emit(json.dumps({"op": op, **fields}))

    @Slot(str)
    def post(self, text: str) -> None:
        """Called by the page with one JSON event."""
        try:
            data = json.loads(text)
            name = str(data.pop("ev"))
        except (ValueError, KeyError, AttributeError, TypeError):
            log.warning("live view page sent an unreadable event")
            return
        self.received.emit(name, data)
