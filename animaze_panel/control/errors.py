"""Errors of the control API: each has a stable machine-readable code and an HTTP status.

Exceptions::

    ControlError                  base; ``code``, ``status``, readable ``message``
     ├── BadRequest               400 malformed JSON, a wrong field, an unknown action type
     ├── Unauthorized             401 no token or a wrong one
     ├── NotFound                 404 unknown route, binding or macro
     ├── PayloadTooLarge          413 body over the limit
     ├── Unprocessable            422 an Idempotency-Key reused for another request
     ├── Refused                  429 rate limit or cooldown (``retry_after`` seconds)
     ├── ActionFailed             502 Animaze (or a cloud avatar) refused or failed the action
     └── Unavailable              503 not connected to Animaze

The message never contains a secret: it is built from the request's public parts only.
"""

from __future__ import annotations

from typing import Any


class ControlError(Exception):
    """Base of every control API error."""

    status = 500
    code = "internal"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        """Create the error.

        Args:
            message: One readable sentence: what went wrong and what to do.
            code: A more precise code than the class default (e.g. ``"cooldown"``).
        """
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code

    def to_wire(self) -> dict[str, Any]:
        """The JSON error body: ``{"error": {"code", "message"}}``."""
        return {"error": {"code": self.code, "message": self.message}}


class BadRequest(ControlError):
    """The request cannot be understood (400)."""

    status = 400
    code = "bad_request"


class Unauthorized(ControlError):
    """No token, or a wrong one (401)."""

    status = 401
    code = "unauthorized"


class NotFound(ControlError):
    """No such route, binding or macro (404)."""

    status = 404
    code = "not_found"


class PayloadTooLarge(ControlError):
    """The body is over the limit (413)."""

    status = 413
    code = "payload_too_large"


class Unprocessable(ControlError):
    """Well-formed but cannot be honoured (422), e.g. a reused Idempotency-Key."""

    status = 422
    code = "unprocessable"


class Refused(ControlError):
    """Too many requests, or the action is cooling down (429); it did not run."""

    status = 429
    code = "rate_limited"

    def __init__(self, message: str, *, code: str | None = None, retry_after: float = 1.0) -> None:
        """Create the error.

        Args:
            message: Why it was refused.
            code: ``"rate_limited"`` (default) or ``"cooldown"``/``"busy"``.
            retry_after: Seconds after which a retry may succeed.
        """
        super().__init__(message, code=code)
        self.retry_after = max(0.0, retry_after)

    def to_wire(self) -> dict[str, Any]:
        """The JSON body, with ``retry_after`` in seconds."""
        body = super().to_wire()
        body["error"]["retry_after"] = round(self.retry_after, 3)
        return body


class ActionFailed(ControlError):
    """The action was sent but Animaze (or a cloud avatar) refused it (502)."""

    status = 502
    code = "action_failed"


class Unavailable(ControlError):
    """The panel cannot run it now: not connected to Animaze (503)."""

    status = 503
    code = "unavailable"
