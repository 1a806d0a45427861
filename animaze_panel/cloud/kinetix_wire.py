"""Decoding Kinetix answers: the status check, the JSON body, typed parsing; path segments.

An error status becomes the exception :mod:`.kinetix_errors` maps for its route; a body that is
not JSON, or not the shape the models expect, becomes a ``KinetixProtocolError``. The models'
``from_wire`` raise plain ``KeyError``/``TypeError``/``ValueError``: :func:`parse` is where those
turn into the client's error.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import quote

import httpx

from .kinetix_errors import Route, ServerAnswer, error_for, unreadable

T = TypeVar("T")


def check_status(response: httpx.Response, route: Route) -> None:
    """Raise the error Kinetix's answer means on ``route``, if it is an error (>= 400).

    Raises:
        KinetixError: The mapped kind of error.
    """
    if response.status_code >= 400:
        raise error_for(route, ServerAnswer.of(response))


def decode_json(response: httpx.Response, route: Route) -> Any:
    """Check the status of ``response``, then return its JSON body.

    Raises:
        KinetixError: An error status, mapped for ``route``.
        KinetixProtocolError: The body is not JSON.
    """
    check_status(response, route)
    try:
        return response.json()
    except ValueError as exc:
        raise unreadable("not JSON", response.status_code) from exc


def parse(from_wire: Callable[[dict[str, Any]], T], body: Any) -> T:
    """Decode one JSON object with ``from_wire``; any shape error is a protocol error.

    Raises:
        KinetixProtocolError: ``body`` is not an object, or lacks or garbles a field.
    """
    if not isinstance(body, dict):
        raise unreadable("not an object")
    try:
        return from_wire(body)
    except (KeyError, TypeError, ValueError) as exc:
        raise unreadable(f"bad field {exc}") from exc


def as_list(body: Any) -> list[Any]:
    """Return ``body`` if it is a JSON array.

    Raises:
        KinetixProtocolError: It is not.
    """
    if not isinstance(body, list):
        raise unreadable("not a list")
    return body


def path_segment(value: str) -> str:
    """Quote one path segment so an id can never change the route."""
    return quote(value, safe="")
