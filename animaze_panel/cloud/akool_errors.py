"""Akool's failures as one exception hierarchy, with the code table in words.

Every Akool answer is ``{code, msg, data}`` and only ``code == 1000`` is success (spec:
``shared/specs/akool-streaming-avatar-api.txt``, "Response Code Description"); failures mostly
arrive as HTTP 200 with another code. :func:`error_for_code` turns a code into the matching
exception whose ``str()`` says what went wrong and what to do next. No exception text ever holds
a credential: the server's ``msg`` is kept in :attr:`AkoolError.server_message` and quoted, but
the client never puts a key or token in a message.

Hierarchy::

    AkoolError
     ├── AkoolInputError           bad input refused before any request (names the field)
     ├── AkoolAuthError            credentials missing, refused or expired
     │    ├── AkoolTokenInvalid    1101: token invalid or expired (after one refresh)
     │    └── AkoolAuthMissing     1102: no authorization was sent
     ├── AkoolAccountBanned        1200
     ├── AkoolPermissionDenied     1009 (and HTTP 403)
     ├── AkoolParameterError       1003: a parameter is wrong or empty
     ├── AkoolNotFound             1008 (and HTTP 404)
     ├── AkoolMediaRejected        1202/1203/1204/1207/1209/1210: the video does not qualify
     ├── AkoolTryLater             1201/1205/1211: Akool failed; try again later
     ├── AkoolUnknownCode          a code the table does not list
     ├── AkoolRateLimited          HTTP 429 after retries
     ├── AkoolServerError          HTTP 5xx after retries
     ├── AkoolRequestRejected      another HTTP 4xx without a code
     ├── AkoolProtocolError        an answer that is not the documented JSON
     ├── AkoolAvatarFailed         an uploaded avatar ended in status 4
     └── AkoolNetworkError         connection failed or dropped
          └── AkoolTimeout         no answer in time
"""

from __future__ import annotations

SUCCESS = 1000


class AkoolError(Exception):
    """Base of every Akool failure; ``str()`` is a sentence a user can act on.

    Attributes:
        code: Akool's business code, when the answer had one.
        server_message: Akool's own ``msg`` text (may be empty).
        status: HTTP status, when an answer arrived.
        meaning: What the code means, in words.
        action: What the user can do next.
    """

    def __init__(
        self,
        message: str,
        *,
        code: int | None = None,
        server_message: str = "",
        status: int | None = None,
        meaning: str = "",
        action: str = "",
    ) -> None:
        """Build the error (``message`` is shown to the user as is)."""
        super().__init__(message)
        self.code = code
        self.server_message = server_message
        self.status = status
        self.meaning = meaning or message
        self.action = action


class AkoolInputError(AkoolError, ValueError):
    """Input refused before sending anything; ``field`` names the culprit."""

    def __init__(self, field: str, message: str) -> None:
        """Build the error for ``field`` (e.g. ``"avatar_id"``, ``"duration"``)."""
        super().__init__(message, action=f"Correct the {field.replace('_', ' ')}.")
        self.field = field


class AkoolAuthError(AkoolError):
    """The credentials are missing, refused or expired."""


class AkoolTokenInvalid(AkoolAuthError):
    """1101: the authorization is invalid or the token has expired."""


class AkoolAuthMissing(AkoolAuthError):
    """1102: no authorization reached Akool."""


class AkoolAccountBanned(AkoolError):
    """1200: the Akool account has been banned."""


class AkoolPermissionDenied(AkoolError):
    """1009 / HTTP 403: the account may not do this."""


class AkoolParameterError(AkoolError):
    """1003: a parameter is wrong or empty."""


class AkoolNotFound(AkoolError):
    """1008 / HTTP 404: the avatar, session or route does not exist."""


class AkoolMediaRejected(AkoolError):
    """The uploaded video does not meet Akool's rules (codes 1202-1210)."""


class AkoolTryLater(AkoolError):
    """Akool failed to create audio, video or lip-sync; the same call may work later."""


class AkoolUnknownCode(AkoolError):
    """Akool answered with a code its table does not list."""


class AkoolRateLimited(AkoolError):
    """HTTP 429 (after retries); ``retry_after`` is the server's hint in seconds, if any."""

    def __init__(
        self, message: str, *, retry_after: float | None = None, status: int | None = 429
    ) -> None:
        """Build the error with the ``Retry-After`` hint."""
        super().__init__(message, status=status, action="Wait a moment and try again.")
        self.retry_after = retry_after


class AkoolServerError(AkoolError):
    """HTTP 5xx (after retries): Akool failed."""


class AkoolRequestRejected(AkoolError):
    """Another HTTP 4xx that carried no Akool code."""


class AkoolProtocolError(AkoolError):
    """The answer was not the documented ``{code, msg, data}`` JSON."""


class AkoolAvatarFailed(AkoolError):
    """An uploaded streaming avatar ended in status 4 (failed)."""


class AkoolNetworkError(AkoolError):
    """The connection to Akool failed or dropped."""


class AkoolTimeout(AkoolNetworkError):
    """Akool did not answer in time."""


# The spec's "Response Code Description" table: code -> (class, meaning, what to do).
# Meanings are the table's words (typos fixed); the actions are ours.
CODE_TABLE: dict[int, tuple[type[AkoolError], str, str]] = {
    1003: (AkoolParameterError, "A parameter is wrong or empty",
           "Check the values you entered and try again."),
    1008: (AkoolNotFound, "The content you asked for does not exist",
           "Refresh the list; it may have been deleted or closed already."),
    1009: (AkoolPermissionDenied, "You do not have permission to do this",
           "Check that your Akool plan includes streaming avatars."),
    1101: (AkoolTokenInvalid, "The authorization is invalid or the token has expired",
           "Check the Akool client ID and secret (or API key) in the credentials."),
    1102: (AkoolAuthMissing, "Authorization cannot be empty",
           "Enter your Akool client ID and secret, or an API key."),
    1200: (AkoolAccountBanned, "The Akool account has been banned",
           "Contact Akool support about your account."),
    1201: (AkoolTryLater, "Akool could not create the audio",
           "Try again later."),
    1202: (AkoolMediaRejected,
           "The same video cannot be lip-synced in the same language more than once",
           "Use another video or another language."),
    1203: (AkoolMediaRejected, "The video must have an audio track",
           "Use a video with sound."),
    1204: (AkoolMediaRejected, "The video is longer than 60 seconds",
           "Trim the video to 60 seconds or less."),
    1205: (AkoolTryLater, "Akool could not create the video",
           "Try again later."),
    1207: (AkoolMediaRejected, "The video is larger than the 300 MB limit",
           "Use a smaller video (under 300 MB)."),
    1209: (AkoolMediaRejected, "Akool cannot read this video encoding",
           "Re-encode the video (for example H.264 MP4) and upload it again."),
    1210: (AkoolMediaRejected, "The video's frame rate is above the 60 fps limit",
           "Convert the video to 60 fps or less."),
    1211: (AkoolTryLater, "Akool could not create the lip-sync",
           "Try again later."),
}


def error_for_code(
    code: int, server_message: str = "", status: int | None = 200, context: str = ""
) -> AkoolError:
    """Return the exception for Akool business ``code`` (never 1000).

    Args:
        code: The ``code`` field of the answer.
        server_message: The answer's ``msg``.
        status: The HTTP status it came with.
        context: What the panel was doing, e.g. ``"Starting the session"``.
    """
    cls, meaning, action = CODE_TABLE.get(
        code,
        (AkoolUnknownCode, f"Akool refused the request (code {code})",
         "Try again; if it keeps failing, check Akool's status page."),
    )
    head = f"{context}: " if context else ""
    said = f' (Akool said: "{server_message}")' if server_message else ""
    return cls(
        f"{head}{meaning}{said}. {action}",
        code=code,
        server_message=server_message,
        status=status,
        meaning=meaning,
        action=action,
    )
