"""What a connection to Animaze tells its observers, and how observers are kept.

:class:`ConnectionState` and :class:`Direction` (of a frame, for the traffic log) are what the
GUI sees of a link; the listener types name the callbacks :class:`~.client.AnimazeClient` and
:class:`~.io_thread.ThreadedClient` accept, and :func:`add_listener` / :func:`notify` keep and
call them, so a listener's bug is logged and never breaks the link.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from typing import Any

from .messages import Trigger

log = logging.getLogger(__name__)


class ConnectionState(enum.Enum):
    """Where the link to Animaze stands."""

    DISCONNECTED = "disconnected"
    CONNECTING = "connecting"
    CONNECTED = "connected"
    RECONNECTING = "reconnecting"


class Direction(enum.Enum):
    """Direction of a frame, for the traffic log."""

    OUT = "out"
    IN = "in"


StateListener = Callable[[ConnectionState], None]
TriggerListener = Callable[[Trigger], None]
FrameListener = Callable[[Direction, str], None]


def add_listener(listeners: list[Any], callback: Any) -> Callable[[], None]:
    """Append ``callback`` to ``listeners``; returns a function that removes it again."""
    listeners.append(callback)

    def remove() -> None:
        if callback in listeners:
            listeners.remove(callback)

    return remove


def notify(listeners: list[Any], *args: Any) -> None:
    """Call every listener with ``args``; a listener's exception is logged, never raised."""
    for listener in list(listeners):
        try:
            listener(*args)
        except Exception:
            log.exception("An Animaze listener failed")
