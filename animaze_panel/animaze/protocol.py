"""Sans-I/O Animaze connection: request/response correlation without sockets.

Driven like ``websockets``' protocol objects::

    proto = AnimazeProtocol()
    request_id = proto.send_request(GetCameraFov())
    for text in proto.data_to_send():      # frames to write to the socket
        ...
    for event in proto.receive_data(text): # a frame read from the socket
        ...

Correlation rules (the spec makes the ``id`` echo optional and several of its examples omit it):

1. A response whose ``id`` names a pending request answers that request.
2. A response with no ``id`` answers the *oldest* pending request of the same action (action
   names compared case-insensitively: ``GetCameraFOV`` answers ``GetCameraFov``).
3. A response with an unknown ``id`` is unsolicited (e.g. the late answer to a request that
   timed out): it is reported, never given to another request.
4. Triggers are recognised by their ``event`` key and are never taken for a response, even
   when they arrive between a request and its answer.

Malformed frames produce a :class:`FrameRejected` event; nothing here raises on bad input.
"""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import responses as r
from .errors import AnimazeCommandError, ProtocolError
from .messages import Trigger, decode, encode, is_trigger, parse_frame, parse_response
from .request_base import Request


@dataclass(frozen=True)
class ResponseReceived:
    """A pending request got its answer."""

    request_id: str
    request: Request[Any]
    response: r.Response


@dataclass(frozen=True)
class RequestFailed:
    """A pending request got an error reply, or a reply that could not be parsed."""

    request_id: str
    request: Request[Any]
    error: AnimazeCommandError | ProtocolError


@dataclass(frozen=True)
class TriggerReceived:
    """Animaze broadcast a state change."""

    trigger: Trigger


@dataclass(frozen=True)
class UnsolicitedResponse:
    """A well-formed response that matched no pending request."""

    response: r.Response


@dataclass(frozen=True)
class FrameRejected:
    """A frame that is not a valid Animaze message; it was skipped."""

    frame: str
    error: ProtocolError


Event = ResponseReceived | RequestFailed | TriggerReceived | UnsolicitedResponse | FrameRejected


def preview(text: str | bytes, limit: int = 200) -> str:
    """Shorten a frame for logs (quickscene lists can be tens of MiB)."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text)} chars)"


class AnimazeProtocol:
    """Connection state of one Animaze link, with no I/O of its own."""

    def __init__(self, id_prefix: str | None = None) -> None:
        """Create the protocol.

        Args:
            id_prefix: Prefix of generated request ids; random by default so ids never repeat
                across reconnects or between panels.
        """
        self._prefix = id_prefix or secrets.token_hex(4)
        self._counter = itertools.count(1)
        self._pending: dict[str, Request[Any]] = {}
        self._outgoing: list[str] = []

    @property
    def pending(self) -> Mapping[str, Request[Any]]:
        """The requests awaiting an answer, oldest first."""
        return self._pending

    def send_request(self, request: Request[Any]) -> str:
        """Queue a request and start waiting for its answer.

        Returns:
            The generated request id.
        """
        request_id = f"{self._prefix}-{next(self._counter)}"
        self._outgoing.append(encode(request.to_wire(request_id)))
        self._pending[request_id] = request
        return request_id

    def data_to_send(self) -> list[str]:
        """Return and clear the frames waiting to be written."""
        out, self._outgoing = self._outgoing, []
        return out

    def forget(self, request_id: str) -> None:
        """Stop waiting for ``request_id`` (it timed out or was cancelled)."""
        self._pending.pop(request_id, None)

    def fail_all(self) -> list[str]:
        """Forget every pending request and unsent frame (the link dropped).

        Returns:
            The ids of the requests that were pending, for the caller to fail.
        """
        ids = list(self._pending)
        self._pending.clear()
        self._outgoing.clear()
        return ids

    def receive_data(self, text: str | bytes) -> list[Event]:
        """Process one received frame.

        Returns:
            The events the frame caused (zero or one today; a list keeps the door open).
        """
        try:
            msg = decode(text)
            if is_trigger(msg):
                incoming = parse_frame(text)
                assert isinstance(incoming, Trigger)
                return [TriggerReceived(incoming)]
            request_id = self._match(msg)
        except ProtocolError as exc:
            return [FrameRejected(preview(text), exc)]
        if request_id is None:
            try:
                return [UnsolicitedResponse(parse_response(msg))]
            except ProtocolError as exc:
                return [FrameRejected(preview(text), exc)]
        request = self._pending.pop(request_id)
        try:
            response = parse_response(msg, request.RESPONSE)
        except ProtocolError as exc:
            return [RequestFailed(request_id, request, exc)]
        if isinstance(response, r.ErrorReply):
            error = AnimazeCommandError(request.ACTION, response.error)
            return [RequestFailed(request_id, request, error)]
        return [ResponseReceived(request_id, request, response)]

    def _match(self, msg: Mapping[str, Any]) -> str | None:
        action = msg.get("action")
        if not isinstance(action, str) or not action:
            if "error" not in msg:
                raise ProtocolError("frame has neither an action nor an event")
            action = ""  # an error reply may still name its request by id
        rid = msg.get("id")
        if rid is not None:
            rid = str(rid)
            return rid if rid in self._pending else None
        if not action:
            return None  # an error naming no request: reported as unsolicited
        key = action.casefold()
        for request_id, request in self._pending.items():
            if request.ACTION.casefold() == key:
                return request_id
        return None
