"""Decoding Akool answers: the ``{code, msg, data}`` envelope, HTTP failures, typed parsing.

Every Akool answer is ``{code, msg, data}`` (spec, Response Attributes of every route; the
demo's ``fetchApi`` checks ``code`` and ``msg`` the same way). Business failures mostly come as
HTTP 200 with another code; an HTTP error that still carries a code is mapped by its code, one
without a code by its status.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import httpx

from ._http import retry_after_seconds
from .akool_errors import (
    CODE_TABLE,
    AkoolAuthError,
    AkoolError,
    AkoolNotFound,
    AkoolPermissionDenied,
    AkoolProtocolError,
    AkoolRateLimited,
    AkoolRequestRejected,
    AkoolServerError,
)

T = TypeVar("T")


def decode(response: httpx.Response, context: str = "") -> dict[str, Any]:
    """Return the ``{code, msg, data}`` object; raise for HTTP errors that carry no code."""
    try:
        answer = response.json()
    except ValueError:
        answer = None
    status = response.status_code
    has_code = isinstance(answer, dict) and isinstance(answer.get("code"), int)
    if status >= 400 and not has_code:
        raise status_error(response, context)
    if not isinstance(answer, dict) or not has_code:
        raise unreadable("", context, status)
    return answer


def unreadable(detail: str, context: str = "", status: int | None = None) -> AkoolProtocolError:
    """Return the error for an answer that is not the documented JSON.

    Args:
        detail: What is wrong with it (e.g. ``"not a list"``), or ``""``.
        context: What the panel was doing, e.g. ``"Loading the avatars"``.
        status: The HTTP status it came with, if known.
    """
    head = f"{context}: " if context else ""
    what = f" ({detail})" if detail else ""
    return AkoolProtocolError(f"{head}Akool sent an answer the panel cannot read{what}. "
                              f"{_TRY_LATER}", status=status, action=_TRY_LATER)


_TRY_LATER = "Try again later."


def status_error(response: httpx.Response, context: str) -> AkoolError:
    """Return the error for an HTTP failure whose body carries no Akool code."""
    status = response.status_code
    head = f"{context}: " if context else ""
    if status == 401:
        return AkoolAuthError(f"{head}Akool refused the credentials (HTTP 401). Check them.",
                              status=status)
    if status == 403:
        # The same refusal as code 1009, so the same advice.
        action = CODE_TABLE[1009][2]
        return AkoolPermissionDenied(f"{head}Akool refused access (HTTP 403). {action}",
                                     status=status, action=action)
    if status == 404:
        return AkoolNotFound(f"{head}Akool does not know this address (HTTP 404). Check the "
                             "API address in the settings.", status=status)
    if status == 429:
        hint = retry_after_seconds(response)
        wait = f" Wait {hint:g} s and try again." if hint is not None else " Wait and try again."
        return AkoolRateLimited(f"{head}Too many Akool requests.{wait}", retry_after=hint,
                                status=status)
    if status >= 500:
        return AkoolServerError(f"{head}Akool failed (HTTP {status}). Try again later.",
                                status=status)
    action = CODE_TABLE[1003][2]
    return AkoolRequestRejected(f"{head}Akool refused the request (HTTP {status}). {action}",
                                status=status, action=action)


def code_of(answer: dict[str, Any]) -> int:
    """Return the answer's business code (:func:`decode` checked it is an int)."""
    return int(answer["code"])


def msg_of(answer: dict[str, Any]) -> str:
    """Return the answer's ``msg`` text, or ``""``."""
    msg = answer.get("msg", "")
    return msg if isinstance(msg, str) else ""


def parse(from_wire: Callable[[dict[str, Any]], T], body: Any) -> T:
    """Decode one JSON object with ``from_wire``; any shape error is a protocol error."""
    if not isinstance(body, dict):
        raise unreadable("no data object")
    try:
        return from_wire(body)
    except (KeyError, TypeError, ValueError, OverflowError) as exc:
        raise unreadable(f"bad field: {exc}") from exc


def as_list(items: Any) -> list[Any]:
    """Return ``items`` when it is a list; anything else is a protocol error."""
    if not isinstance(items, list):
        raise unreadable("not a list")
    return items


def text_field(body: dict[str, Any], key: str, default: str = "") -> str:
    """Return ``body[key]`` as text (numbers accepted); ``None``/missing give ``default``."""
    value = body.get(key, default)
    if value is None:
        return default
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise TypeError(f"{key} is not text")
    return str(value)


def int_field(body: dict[str, Any], key: str, default: int = 0) -> int:
    """Return ``body[key]`` as an int (numeric strings accepted); missing gives ``default``."""
    value = body.get(key, default)
    if value is None or value == "":
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise TypeError(f"{key} is not a number")
    if isinstance(value, float) and not value.is_integer():
        raise ValueError(f"{key} is not a whole number")  # also NaN and infinities
    return int(value)


def object_field(value: Any, what: str) -> dict[str, Any]:
    """Return ``value`` when it is a JSON object, else raise ``TypeError`` naming ``what``."""
    if not isinstance(value, dict):
        raise TypeError(f"{what} is not an object")
    return value
