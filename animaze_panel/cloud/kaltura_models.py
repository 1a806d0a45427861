"""Kaltura avatar-session data: typed results (frozen dataclasses) and the exception hierarchy.

Pure values, no I/O. ``from_wire`` raises ``KeyError``/``TypeError``/``ValueError`` on a bad
shape; :mod:`.kaltura` turns those into :class:`KalturaProtocolError`.

Wire shapes (Kaltura's control-API endpoint pages, docs.kaltura.ai/models/avatar/docs/
control-api/endpoints/*, and ``kaltura/intelligent-agents-sdk``
``src/management/avatar-sessions.js``):

* create -> ``{success, sessionId, token}``; ``token`` is a session-scoped bearer JWT that grants
  full control of the session, so it is a :class:`~animaze_panel.secrets.Secret` here.
* init-client -> ``{success, whepUrl, turn: {url, username, credential}}``; the SDK calls this
  pair "the one payload safe to send to a browser", so it is plain data.
* every error -> ``{success: false, error: "<text>"}``.

Exceptions (``str()`` is a sentence a user can act on; none contains the KS or the token)::

    KalturaError
     ├── KalturaInputError           bad input refused before any request (names the field)
     ├── KalturaAuthError            401: the KS (create) or the session token is wrong/expired
     ├── KalturaForbidden            403: the KS may not create avatar sessions
     ├── KalturaSessionGone          404/410: session not found or already ended
     ├── KalturaRequestRejected      400 and other 4xx
     ├── KalturaRateLimited          429 (``retry_after`` seconds when the server gave them)
     ├── KalturaSayTextUnavailable   503 on say-text (Kaltura's SDK: the route answers 503 live)
     ├── KalturaServerError          5xx
     ├── KalturaProtocolError        an answer that is not the documented JSON
     └── KalturaNetworkError         connection failed or dropped
          └── KalturaTimeout         no answer in time
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ..secrets import Secret

T = TypeVar("T")


class KalturaError(Exception):
    """Base of every Kaltura failure; ``str()`` is a sentence a user can act on."""

    def __init__(self, message: str, server_message: str = "", status: int | None = None):
        """Build the error.

        Args:
            message: Readable sentence saying what failed and what to do.
            server_message: The server's own ``error`` text (secrets scrubbed), if any.
            status: HTTP status, if an answer arrived.
        """
        super().__init__(message)
        self.server_message = server_message
        self.status = status


class KalturaInputError(KalturaError, ValueError):
    """Input refused before sending anything; ``field`` names the culprit."""

    def __init__(self, field: str, message: str):
        """Build the error for ``field`` (e.g. ``"avatar id"``, ``"text"``)."""
        super().__init__(message)
        self.field = field


class KalturaAuthError(KalturaError):
    """401: the KS (on create) or the session token (later calls) is wrong or expired."""


class KalturaForbidden(KalturaError):
    """403: the KS is valid but may not create avatar sessions."""


class KalturaSessionGone(KalturaError):
    """404/410: the session does not exist or has already ended."""


class KalturaRequestRejected(KalturaError):
    """400 or another 4xx: the server refused what was sent."""


class KalturaRateLimited(KalturaError):
    """429: too many requests; ``retry_after`` is the server's ``Retry-After`` in seconds."""

    def __init__(self, message: str, server_message: str = "", retry_after: float | None = None):
        """Build the error with the server's ``Retry-After`` hint (``None`` when absent)."""
        super().__init__(message, server_message, 429)
        self.retry_after = retry_after


class KalturaServerError(KalturaError):
    """5xx: Kaltura failed."""


class KalturaSayTextUnavailable(KalturaServerError):
    """503 on say-text: Kaltura's text-to-speech route is unavailable; the avatar did not speak.

    Kaltura's own SDK (``avatar-sessions.js``) documents that live servers accept say-text but
    answer ``503 Service temporarily unavailable`` on every call, and does not wrap the route.
    The session itself stays live.
    """


class KalturaProtocolError(KalturaError):
    """The answer was not the documented JSON."""


class KalturaNetworkError(KalturaError):
    """The connection failed or dropped."""


class KalturaTimeout(KalturaNetworkError):
    """Kaltura did not answer in time."""


def new_turn_id() -> str:
    """Return a fresh, unique ``turnId`` (the docs' ``turn-<ms>-<random>`` shape)."""
    return f"turn-{int(time.time() * 1000)}-{uuid.uuid4().hex[:9]}"


@dataclass(frozen=True)
class AvatarSession:
    """A live avatar session: its id and its bearer token (a secret).

    Attributes:
        session_id: Kaltura's ``sessionId``.
        token: The session's bearer JWT; it authenticates (and fully controls) the session.
    """

    session_id: str
    token: Secret = field(repr=False)

    @classmethod
    def from_wire(cls, body: Any) -> AvatarSession:
        """Parse a create answer ``{success, sessionId, token}``."""
        if not isinstance(body, dict):
            raise TypeError("the create answer is not a JSON object")
        session_id, token = body["sessionId"], body["token"]
        if not isinstance(session_id, str) or not session_id:
            raise ValueError("sessionId is missing")
        if not isinstance(token, str) or not token:
            raise ValueError("token is missing")
        return cls(session_id, Secret(token))

    def to_wire(self) -> dict[str, Any]:
        """Return the wire shape (reveals the token: only for the fake server and tests)."""
        return {"success": True, "sessionId": self.session_id, "token": self.token.reveal()}


@dataclass(frozen=True)
class TurnServer:
    """The TURN relay of a session, as init-client returns it.

    Attributes:
        url: Host, possibly with a ``turn:``/``turns:`` prefix and no port (the real server
            sends a bare host; :func:`animaze_panel.cloud.whep.turn_urls` expands it).
        username: TURN user name ("" when absent).
        credential: TURN password ("" when absent); not shown in ``repr``.
    """

    url: str
    username: str = ""
    credential: str = field(default="", repr=False)

    @classmethod
    def from_wire(cls, body: Any) -> TurnServer:
        """Parse ``{url, username?, credential?}``."""
        if not isinstance(body, dict):
            raise TypeError("turn is not a JSON object")
        url = body["url"]
        if not isinstance(url, str) or not url.strip():
            raise ValueError("turn.url is missing")
        username = body.get("username") or ""
        credential = body.get("credential") or ""
        if not isinstance(username, str) or not isinstance(credential, str):
            raise TypeError("turn username/credential must be strings")
        return cls(url.strip(), username, credential)

    def to_wire(self) -> dict[str, Any]:
        """Return the wire shape."""
        return {"url": self.url, "username": self.username, "credential": self.credential}


@dataclass(frozen=True)
class ClientInit:
    """What init-client returns: where to fetch the media (WHEP) and the TURN relay.

    Attributes:
        whep_url: The WHEP endpoint to POST the SDP offer to.
        turn: The TURN relay, or ``None`` when the server sent none.
    """

    whep_url: str
    turn: TurnServer | None

    @classmethod
    def from_wire(cls, body: Any) -> ClientInit:
        """Parse ``{success, whepUrl, turn}``."""
        if not isinstance(body, dict):
            raise TypeError("the init-client answer is not a JSON object")
        whep_url = body["whepUrl"]
        if not isinstance(whep_url, str) or not whep_url.startswith(("http://", "https://")):
            raise ValueError("whepUrl is not an http(s) URL")
        turn = body.get("turn")
        return cls(whep_url, None if turn is None else TurnServer.from_wire(turn))

    def to_wire(self) -> dict[str, Any]:
        """Return the wire shape."""
        body: dict[str, Any] = {"success": True, "whepUrl": self.whep_url}
        if self.turn is not None:
            body["turn"] = self.turn.to_wire()
        return body


@dataclass(frozen=True)
class SayText:
    """One say-text request body ``{text, turnId, isFinal}`` (all three required by the docs).

    Attributes:
        text: What the avatar says.
        turn_id: The turn this text belongs to; parts of one streamed turn share it.
        is_final: ``True`` on the last (or only) part of the turn.
    """

    text: str
    turn_id: str
    is_final: bool = True

    def to_wire(self) -> dict[str, Any]:
        """Return the request body."""
        return {"text": self.text, "turnId": self.turn_id, "isFinal": self.is_final}

    @classmethod
    def from_wire(cls, body: Any) -> SayText:
        """Parse a request body (used by the fake server)."""
        if not isinstance(body, dict):
            raise TypeError("the body is not a JSON object")
        text, turn_id, is_final = body["text"], body["turnId"], body["isFinal"]
        if not isinstance(text, str) or not isinstance(turn_id, str):
            raise TypeError("text and turnId must be strings")
        if not isinstance(is_final, bool):
            raise TypeError("isFinal must be a boolean")
        return cls(text, turn_id, is_final)


def timeout_text(route: str, timeout: float) -> str:
    """The sentence shown when ``route`` got no answer within ``timeout`` seconds."""
    if route == "create":
        return (
            f"Kaltura did not answer within {timeout:g} s while creating the session. A session "
            "may still have been opened (it expires on its own); try again."
        )
    return (f"Kaltura did not answer {route} within {timeout:g} s; check your connection and "
            "try again.")


def unreadable(
    route: str, what: str, server: str = "", status: int | None = None
) -> KalturaProtocolError:
    """The error for an answer of ``route`` that is ``what`` (e.g. "not JSON").

    Args:
        route: The route that answered.
        what: What is wrong with the answer.
        server: The answer's text (secrets scrubbed), if any.
        status: The HTTP status it came with, if known.
    """
    if route == "create":
        # The session may exist without the panel knowing its id (so it cannot end it).
        text = (f"Kaltura's create answer is {what}. A session may still have been opened (it "
                "expires on its own); try again.")
    else:
        text = f"Kaltura's {route} answer is {what}; try again in a moment."
    return KalturaProtocolError(text, server, status)


def parse_answer(parser: Callable[[Any], T], body: Any, route: str) -> T:
    """Decode the answer ``body`` of ``route`` with ``parser``; a bad shape is a protocol error."""
    try:
        return parser(body)
    except (KeyError, TypeError, ValueError) as exc:
        raise unreadable(route, f"not the documented shape ({exc})") from exc


def error_for_status(
    route: str, status: int, server: str, retry_after: float | None = None
) -> KalturaError:
    """The exception for an error answer ``status`` of ``route`` (server text already scrubbed).

    401 on create means the KS; on the other routes the session token. 404 and 410 both mean the
    session is gone (endpoint pages: 410 "Session ended"; the SDK saw 404). 503 on say-text is
    the SDK's documented live failure of that route. ``retry_after`` is the ``Retry-After`` of
    a 429, in seconds.
    """
    # A bare "HTTP 429" (no text of Kaltura's own) would only repeat the status.
    detail = f" (Kaltura: {server})" if server and server != f"HTTP {status}" else ""
    if status == 401:
        if route == "create":
            return KalturaAuthError(
                f"Kaltura refused the Kaltura Session: the KS is wrong or expired{detail}. "
                "Paste a fresh KS and start again.", server, status,
            )
        return KalturaAuthError(
            f"Kaltura refused the session token: it is wrong or expired{detail}. Start a new "
            "session.", server, status,
        )
    if status == 403:
        return KalturaForbidden(
            f"This KS may not create avatar sessions{detail}. Use a KS with avatar access "
            "(an admin KS).", server, status,
        )
    if status in (404, 410):
        return KalturaSessionGone(
            f"The avatar session was not found or has already ended{detail}. Start a new "
            "session.", server, status,
        )
    if status == 503 and route == "say-text":
        return KalturaSayTextUnavailable(
            "Kaltura's say-text service is unavailable (503): the avatar did not say this "
            "line. The session is still live; try again later.", server, status,
        )
    if status == 429:
        wait = f"Wait {retry_after:g} s" if retry_after is not None else "Wait a minute"
        return KalturaRateLimited(
            f"Kaltura got too many requests and refused {route} (HTTP 429){detail}. {wait} and "
            "try again.", server, retry_after,
        )
    if 400 <= status < 500:
        return KalturaRequestRejected(
            f"Kaltura refused the {route} request (HTTP {status}){detail}. Check what you "
            "entered and try again.", server, status
        )
    return KalturaServerError(
        f"Kaltura failed on {route} (HTTP {status}){detail}; try again in a moment.",
        server, status,
    )
