"""Frames in and out: triggers, and classifying a received text frame.

A received frame is one of:

* a :class:`Trigger` - ``{"event": "AvatarChanged", "new_avatar": ...}`` and friends, state
  changes Animaze broadcasts to every client;
* a response (:class:`~.responses.Response` subclass chosen by action name) or an
  :class:`~.responses.ErrorReply` when it carries ``"error"``.

:func:`parse_frame` never raises anything but :class:`~.errors.ProtocolError` (a hypothesis test
holds it to that). Public clients of the real Animaze show variants the spec does not: the
``AvatarChanged`` payload nested under an ``event`` object, action names in other casings; both
are accepted here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Self

from . import responses as r
from .errors import ProtocolError
from .requests import REQUEST_TYPES, Request, parse_request, request_type

__all__ = [
    "AvatarChanged",
    "ChatbotSpeechEnded",
    "ChatbotSpeechStarted",
    "Incoming",
    "Request",
    "Trigger",
    "UnknownTrigger",
    "decode",
    "encode",
    "parse_frame",
    "parse_request",
    "parse_response",
    "REQUEST_TYPES",
]


@dataclass(frozen=True, kw_only=True)
class Trigger:
    """A state change broadcast by Animaze to all clients."""

    EVENT: ClassVar[str] = ""
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)

    @property
    def event(self) -> str:
        """The event name."""
        return self.EVENT

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any], extra: Mapping[str, Any]) -> Self:
        """Build from the event's fields (the frame minus ``event``/``action``)."""
        return cls(extra=dict(payload) | dict(extra))

    def to_wire(self) -> dict[str, Any]:
        """Return the frame as Animaze sends it (flat, as in the spec)."""
        return {"event": self.event, **self.extra}


@dataclass(frozen=True, kw_only=True)
class AvatarChanged(Trigger):
    """The avatar changed (after LoadAvatar or a change made in Animaze itself)."""

    EVENT = "AvatarChanged"
    new_avatar: str = ""

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any], extra: Mapping[str, Any]) -> Self:
        """Read ``new_avatar`` (flat or nested under ``event``)."""
        value = payload.get("new_avatar", "")
        if not isinstance(value, str):
            raise ProtocolError("AvatarChanged.new_avatar should be a string")
        rest = {k: v for k, v in payload.items() if k != "new_avatar"}
        return cls(new_avatar=value, extra=rest | dict(extra))

    def to_wire(self) -> dict[str, Any]:
        """Return the flat spec form."""
        return {"event": self.EVENT, "new_avatar": self.new_avatar, **self.extra}


@dataclass(frozen=True, kw_only=True)
class ChatbotSpeechStarted(Trigger):
    """ChatPal started speaking (may come up to ~1 s early)."""

    EVENT = "ChatbotSpeechStarted"


@dataclass(frozen=True, kw_only=True)
class ChatbotSpeechEnded(Trigger):
    """ChatPal stopped speaking (may come up to ~1 s late)."""

    EVENT = "ChatbotSpeechEnded"


@dataclass(frozen=True, kw_only=True)
class UnknownTrigger(Trigger):
    """An event this version does not know; kept so subscribers and the log can show it."""

    name: str = ""

    @property
    def event(self) -> str:
        """The event name as received."""
        return self.name


TRIGGER_TYPES: tuple[type[Trigger], ...] = (AvatarChanged, ChatbotSpeechStarted, ChatbotSpeechEnded)
_TRIGGERS = {t.EVENT.casefold(): t for t in TRIGGER_TYPES}

Incoming = r.Response | Trigger


def decode(text: str | bytes) -> dict[str, Any]:
    """Decode a frame into a JSON object.

    Raises:
        ProtocolError: Not UTF-8, not JSON, or not a JSON object.
    """
    try:
        value = json.loads(text)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        raise ProtocolError(f"frame is not valid JSON: {exc}") from exc
    if not isinstance(value, dict):
        raise ProtocolError(f"frame is a JSON {type(value).__name__}, expected an object")
    return value


def encode(msg: Mapping[str, Any]) -> str:
    """Encode a frame compactly (no spaces: quickscene lists are large)."""
    return json.dumps(msg, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def _parse_trigger(msg: Mapping[str, Any]) -> Trigger:
    event = msg.get("event")
    payload: Mapping[str, Any]
    if isinstance(event, dict):
        # {"action": "AvatarChanged", "event": {"new_avatar": ...}} as some clients show it.
        name = msg.get("action") or event.get("name") or event.get("event")
        if not name and "new_avatar" in event:
            name = AvatarChanged.EVENT
        payload = {k: v for k, v in event.items() if k not in ("name", "event")}
    else:
        name, payload = event, {}
    if not isinstance(name, str) or not name:
        raise ProtocolError("trigger frame without an event name")
    extra = {k: v for k, v in msg.items() if k not in ("event", "action")}
    cls = _TRIGGERS.get(name.casefold())
    if cls is None:
        return UnknownTrigger(name=name, extra=dict(payload) | extra)
    if cls is AvatarChanged and "new_avatar" in extra:
        payload = {**payload, "new_avatar": extra.pop("new_avatar")}
    return cls.from_payload(payload, extra)


def is_trigger(msg: Mapping[str, Any]) -> bool:
    """Whether a decoded frame is a trigger rather than a response."""
    if "event" not in msg:
        return False
    action = msg.get("action")
    return action is None or (isinstance(action, str) and action.casefold() in _TRIGGERS)


def parse_response(msg: Mapping[str, Any], expected: type[r.Response] | None = None) -> r.Response:
    """Parse a decoded response frame into its typed class.

    Args:
        msg: The decoded frame.
        expected: The response class of the matched request, if known; otherwise the class is
            chosen from the action name.

    Raises:
        ProtocolError: Missing action, wrong field types.
    """
    action = msg.get("action")
    error = msg.get("error")
    if error is not None and error != "":
        # Kept even without an action (e.g. a reply to a frame Animaze could not read): the
        # id, when echoed, still ties it to its request.
        fixed = {**msg, "error": str(error), "action": action if isinstance(action, str) else ""}
        return r.ErrorReply.from_wire(fixed)
    if not isinstance(action, str) or not action:
        raise ProtocolError("response frame without an action")
    if expected is None:
        cls = request_type(action)
        expected = cls.RESPONSE if cls is not None else r.Response
    return expected.from_wire(msg)


def parse_frame(text: str | bytes) -> Incoming:
    """Parse one received text frame.

    Raises:
        ProtocolError: For anything that is not a valid Animaze message.
    """
    msg = decode(text)
    if is_trigger(msg):
        return _parse_trigger(msg)
    return parse_response(msg)
