"""Exceptions raised at the Animaze boundary.

::

    AnimazeError                       everything this package raises
    +-- ProtocolError                  a frame that is not valid Animaze JSON
    +-- ValidationError (ValueError)   a request field is invalid; nothing was sent
    +-- AnimazeCommandError            Animaze answered the request with an "error"
    +-- AnimazeConnectionError         the link itself (client only)
        +-- AnimazeUnreachable         could not connect (Animaze closed, API disabled)
        +-- AnimazeDisconnected        the link dropped; pending requests fail with this
        +-- AnimazeTimeout             no answer within the request timeout

The client translates ``websockets`` and ``OSError`` exceptions into these with
``raise ... from exc`` so callers never see transport exceptions.
"""

from __future__ import annotations

ENABLE_API_HINT = "enable Settings > Animaze API in Animaze"


class AnimazeError(Exception):
    """Base class of every error raised by :mod:`animaze_panel.animaze`."""


class ProtocolError(AnimazeError):
    """A received frame is not a valid Animaze message (bad JSON, wrong types...)."""


class ValidationError(AnimazeError, ValueError):
    """A request was built from an invalid value; it was not sent.

    Attributes:
        field: The snake_case name of the offending field.
        reason: What is wrong with it, in words a user can act on.
    """

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class AnimazeCommandError(AnimazeError):
    """Animaze answered a request with an ``error`` message.

    Attributes:
        action: The action that failed, e.g. ``"LoadAvatar"``.
        message: Animaze's error text, e.g. ``"Avatar not found"``.
    """

    def __init__(self, action: str, message: str) -> None:
        super().__init__(f"{action} failed: {message}")
        self.action = action
        self.message = message


class AnimazeConnectionError(AnimazeError):
    """The WebSocket link to Animaze is not usable."""


class AnimazeUnreachable(AnimazeConnectionError):
    """No connection could be made to the configured URL."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(
            f"Cannot reach Animaze at {url} ({reason}). Is Animaze running? "
            f"To accept commands, {ENABLE_API_HINT}."
        )
        self.url = url
        self.reason = reason


class AnimazeDisconnected(AnimazeConnectionError):
    """The link dropped (or was never up) while a request was pending."""


class AnimazeTimeout(AnimazeConnectionError):
    """Animaze did not answer a request in time.

    Attributes:
        action: The action that timed out.
        timeout: The timeout that elapsed, in seconds.
    """

    def __init__(self, action: str, timeout: float) -> None:
        super().__init__(f"{action}: no answer from Animaze within {timeout:g} s")
        self.action = action
        self.timeout = timeout


def describe_error(error: AnimazeError, url: str = "", *, reconnects: bool = False) -> str:
    """Word an Animaze error as one sentence a streamer (or a script's log) can act on.

    The one place errors become text: the panel's status bar, its hotkey reports and the
    ``call`` command all use it, so the same failure reads the same everywhere.

    Args:
        error: What the client raised.
        url: The Animaze address in use, named where it helps ("" to leave it out).
        reconnects: The caller retries by itself (the panel): say so for a dropped link.
    """
    where = f" at {url}" if url else ""
    if isinstance(error, AnimazeCommandError):
        return f"Animaze refused {error.action}: {error.message}"
    if isinstance(error, AnimazeTimeout):
        return f"Animaze{where} did not answer {error.action} within {error.timeout:g} s"
    if isinstance(error, AnimazeUnreachable):
        return str(error)
    if isinstance(error, AnimazeDisconnected):
        if reconnects:
            return f"Not connected to Animaze{where}; the panel reconnects by itself"
        return f"The connection to Animaze{where} dropped before it answered ({error})"
    if isinstance(error, ValidationError):
        return f"invalid {error.field}: {error.reason}"
    if isinstance(error, ProtocolError):
        return f"Animaze{where} sent an answer that cannot be read ({error})"
    if isinstance(error, AnimazeConnectionError):
        return f"Connection to Animaze{where} failed: {error}"
    return str(error)
