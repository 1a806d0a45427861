"""Kinetix's error answers, mapped by route, ``errorCode``, message and status to one exception.

The facts come from Kinetix's own SDK API server (``kinetix-platform/kinetix-sdk-on-premises``):
error bodies are ``{errorCode?, message, data}`` (``src/api/middlewares/error.js``), a request
failing its schema gets ``{error, details, message: "malformed request"}`` with 400
(``middlewares/validator.js``). The same status means different things on different routes:
403 is a bad key on every route (``middlewares/keyAuth.js``), a used token on the upload
(``middlewares/tokenAuth.js``), and on validate either "validation flow off" or "process not
ready" (``controllers/process.js``). So each answer is read with the route it came from, and
only an unambiguous one becomes a specific exception; anything else stays generic and keeps the
server's words.

Exceptions (each message says what went wrong and what to do; none contains a secret)::

    KinetixError
     ├── KinetixInputError          bad input refused before any request (names the field)
     ├── KinetixAuthError           the API key is missing, unknown, expired, deleted, read-only
     ├── KinetixNotAuthorized       403 for another reason: the game's settings forbid this
     │    ├── KinetixValidationDisabled  validate/retake: the validation flow is off
     │    └── KinetixUgcDisabled    the game does not allow user-generated emotes
     ├── KinetixProcessNotReady     validate before the emote is done: wait
     ├── KinetixTokenExpired        the emote token was used or has expired: get a new one
     ├── KinetixNotFound            404
     │    ├── KinetixUserNotFound   the user id is not registered with the game
     │    └── KinetixRetakeLimit    no retakes left for this emote
     ├── KinetixRequestRejected     other 4xx: the server refused the request's content
     ├── KinetixRateLimited         429 (``retry_after`` seconds when given)
     ├── KinetixServerError         5xx
     ├── KinetixProtocolError       an answer that is not the documented JSON
     └── KinetixNetworkError        connection failed or dropped
          └── KinetixTimeout        no answer in time
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

import httpx

from ._http import retry_after_seconds, transport_reason
from .kinetix_models import KinetixError, KinetixInputError

__all__ = [
    "KinetixAuthError",
    "KinetixError",
    "KinetixInputError",
    "KinetixNetworkError",
    "KinetixNotAuthorized",
    "KinetixNotFound",
    "KinetixProcessNotReady",
    "KinetixProtocolError",
    "KinetixRateLimited",
    "KinetixRequestRejected",
    "KinetixRetakeLimit",
    "KinetixServerError",
    "KinetixTimeout",
    "KinetixTokenExpired",
    "KinetixUgcDisabled",
    "KinetixUserNotFound",
    "KinetixValidationDisabled",
    "Route",
    "ServerAnswer",
    "error_for",
    "transport_error",
    "unreadable",
]

RETRY_LATER = "try again in a minute"
"""The next step after a failure on Kinetix's side (5xx, an unreadable answer)."""


class KinetixAuthError(KinetixError):
    """The API key is missing, unknown, expired, deleted or may only read: fix the key."""


class KinetixNotAuthorized(KinetixError):
    """403 for a reason other than the key: the game's settings do not allow this."""


class KinetixValidationDisabled(KinetixNotAuthorized):
    """403 on validate/retake: the validation flow is not enabled for this game."""


class KinetixUgcDisabled(KinetixNotAuthorized):
    """403 ``noUGC``: the game does not allow user-generated emotes."""


class KinetixProcessNotReady(KinetixError):
    """403 on validate: the emote is not done yet; waiting helps."""


class KinetixTokenExpired(KinetixError):
    """The emote token was already used or has expired (they live about 5 minutes)."""


class KinetixNotFound(KinetixError):
    """404: no such process, token, emote, user or route."""


class KinetixUserNotFound(KinetixNotFound):
    """404 ``User not found``: the user id was never registered with the game."""


class KinetixRetakeLimit(KinetixNotFound):
    """404 on retake: the emote used up its retakes."""


class KinetixRequestRejected(KinetixError):
    """Another 4xx: the server refused what was sent."""


class KinetixRateLimited(KinetixError):
    """429: too many calls; ``retry_after`` is the server's hint in seconds, if any."""

    def __init__(self, message: str, server_message: str, retry_after: float | None,
                 code: str = ""):
        """Build the error with the server's ``Retry-After`` hint."""
        super().__init__(message, server_message, 429, code)
        self.retry_after = retry_after


class KinetixServerError(KinetixError):
    """5xx: Kinetix failed."""


class KinetixProtocolError(KinetixError):
    """The answer was not the documented JSON."""


class KinetixNetworkError(KinetixError):
    """The connection failed or dropped."""


class KinetixTimeout(KinetixNetworkError):
    """Kinetix did not answer in time."""


class Route(Enum):
    """What the panel was doing; the value completes "… while <value>"."""

    PLANS = "checking the key"
    REGISTER = "registering the user id"
    TOKEN = "making an emote token"
    TOKEN_STATUS = "checking the emote token"
    UPLOAD = "uploading the video"
    PROCESS = "reading the emote's progress"
    VALIDATE = "validating the emote"
    RETAKE = "asking for a retake"
    USER_PROCESSES = "listing the user's emotes"
    EMOTE = "reading the emote's files"
    FILE = "downloading a file"


@dataclass(frozen=True)
class ServerAnswer:
    """The parts of an error answer that matter: status, ``message``, ``errorCode``."""

    status: int
    message: str
    code: str = ""
    retry_after: float | None = None

    @classmethod
    def of(cls, response: httpx.Response) -> ServerAnswer:
        """Read an error response (JSON error body, validator body, or plain text)."""
        try:
            body = response.json()
        except ValueError:
            body = None
        message = code = ""
        if isinstance(body, dict):
            message = str(body.get("message") or "")
            code = str(body.get("errorCode") or "")
            details = body.get("details")
            if body.get("error") is True and details:  # validator.js: say what was malformed
                message = f"{message}: {details}" if message else str(details)
        if not message:
            text = response.text.strip()
            message = text[:200] if text else (response.reason_phrase or "")
        return cls(response.status_code, message, code, retry_after_seconds(response))


_Said = Callable[[str], str]
"""Appends the server's words to a sentence."""

# keyAuth.js sends these codes; the texts are matched too in case a deployment omits the code.
_KEY_ADVICE = {
    "missingApiKey": "Kinetix received no API key; enter the game API key",
    "unknownApiKey": "Kinetix does not know this API key; copy it again from the Kinetix "
                     "Developer Portal",
    "expiredApiKey": "This API key has expired; create a new one in the Kinetix Developer "
                     "Portal",
    "deletedApiKey": "This API key was deleted; create a new one in the Kinetix Developer "
                     "Portal",
    "wrongApiKey": "This API key belongs to no game; check it in the Kinetix Developer Portal",
    "deletedVW": "The game of this API key was deleted in the Kinetix Developer Portal",
}
_KEY_TEXT = {
    "Missing API key": "missingApiKey",
    "Unknown API key": "unknownApiKey",
    "Expired API key": "expiredApiKey",
    "Deleted API key": "deletedApiKey",
    "Deleted virtual world": "deletedVW",
}


def error_for(route: Route, answer: ServerAnswer) -> KinetixError:
    """Return the exception for an error ``answer`` to a request on ``route``."""
    status, text, code = answer.status, answer.message, answer.code

    def said(sentence: str) -> str:
        return f"{sentence} ({text})" if text else sentence

    key_code = code if code in _KEY_ADVICE else _KEY_TEXT.get(text, "")
    if status == 401:
        if code == "missingToken" or text == "Missing generation token":
            return KinetixTokenExpired(said("The upload carried no emote token; get a new one"),
                                       text, status, code)
        advice = _KEY_ADVICE.get(key_code, "Kinetix needs a valid API key; check the key")
        return KinetixAuthError(said(advice), text, status, code)
    if status == 403:
        return _forbidden(route, answer, key_code, said)
    if status == 404:
        return _not_found(route, answer, said)
    if status == 429:
        if code == "tooManyUserProcesses":
            sentence = "This user id reached today's emote limit of the game; try tomorrow"
        else:
            hint = answer.retry_after
            wait = f"retry in {hint:g} s" if hint is not None else "wait a few minutes"
            sentence = f"Too many Kinetix calls; {wait}"
        return KinetixRateLimited(said(sentence), text, answer.retry_after, code)
    if status >= 500:
        return KinetixServerError(
            f"Kinetix failed while {route.value} (HTTP {status}: {text}); {RETRY_LATER}",
            text, status, code)
    return KinetixRequestRejected(
        said(f"Kinetix refused the request while {route.value}; check what you entered and "
             "try again"), text, status, code)


def _forbidden(route: Route, answer: ServerAnswer, key_code: str, said: _Said) -> KinetixError:
    text, code, status = answer.message, answer.code, answer.status
    if key_code:
        return KinetixAuthError(said(_KEY_ADVICE[key_code]), text, status, code)
    if text == "Wrong API key":  # keyWrite.js: a key without write permission
        return KinetixAuthError(
            said("This API key may only read; create a key with write access in the Kinetix "
                 "Developer Portal"), text, status, code)
    if code == "wrongToken" or text == "Wrong generation token":  # tokenAuth.js
        return KinetixTokenExpired(
            said("The emote token was already used or has expired; try again with a new QR code"),
            text, status, code)
    if code == "noUGC":
        return KinetixUgcDisabled(
            said("This game does not allow user-generated emotes; turn them on in the Kinetix "
                 "Developer Portal"), text, status, code)
    if route in (Route.VALIDATE, Route.RETAKE) and "validation flow is disabled" in text:
        return KinetixValidationDisabled(
            said("Validate/retake is not enabled for this game; ask Kinetix to activate the "
                 "validation flow"), text, status, code)
    if route is Route.VALIDATE and "not ready" in text:
        return KinetixProcessNotReady(
            said("The emote is not ready to be validated yet; wait until it is done"),
            text, status, code)
    return KinetixNotAuthorized(said(f"Kinetix refused {route.value}"), text, status, code)


# What to do after a 404 that names no known cause: an emote's routes miss when it belongs to
# another game's key; a file's link is gone when the emote's files were replaced.
_OTHER_GAME = "check that the API key is the one of the game that made the emote"
_NOT_FOUND_ADVICE = {Route.PROCESS: _OTHER_GAME, Route.VALIDATE: _OTHER_GAME,
                     Route.RETAKE: _OTHER_GAME, Route.EMOTE: _OTHER_GAME,
                     Route.FILE: "get the emote's files again and retry the download"}


def _not_found(route: Route, answer: ServerAnswer, said: _Said) -> KinetixError:
    text, code, status = answer.message, answer.code, answer.status
    if route is Route.TOKEN_STATUS:  # controllers/process.js getToken: used or expired
        return KinetixTokenExpired(said("The emote token was used or has expired; get a new "
                                        "QR code"), text, status, code)
    if text.startswith("User not found"):
        return KinetixUserNotFound(
            said("Kinetix does not know this user id for the game; check the player id"),
            text, status, code)
    if "retake limit" in text:
        return KinetixRetakeLimit(said("This emote has no retakes left; create a new emote "
                                       "instead"), text, status, code)
    if text == "Process not found":
        return KinetixNotFound(
            said(f"Kinetix has no such emote process for this key; {_OTHER_GAME}"),
            text, status, code)
    advice = _NOT_FOUND_ADVICE.get(route, "check the API key and try again")
    return KinetixNotFound(said(f"Kinetix found nothing while {route.value}; {advice}"),
                           text, status, code)


def transport_error(exc: httpx.TransportError) -> KinetixError:
    """Map an httpx transport failure (no answer) to the Kinetix exception."""
    if isinstance(exc, httpx.TimeoutException):
        return KinetixTimeout("Kinetix did not answer in time; check your connection and try "
                              "again")
    return KinetixNetworkError(f"Cannot reach Kinetix ({transport_reason(exc)}); check your "
                               "connection and try again")


def unreadable(what: str, status: int | None = None) -> KinetixProtocolError:
    """Return the error for an answer that is not the documented JSON.

    Args:
        what: What is wrong with it, e.g. ``"not JSON"`` or ``"bad field 'uuid'"``.
        status: The HTTP status it came with, if known.
    """
    return KinetixProtocolError(
        f"Kinetix sent an answer the panel cannot read ({what}); {RETRY_LATER}", status=status)
