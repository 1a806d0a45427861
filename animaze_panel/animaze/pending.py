"""Requests written to Animaze and awaiting their answer: each outcome callback with its timer.

:class:`PendingRequests` is :class:`~.client.AnimazeClient`'s table of requests in flight. Each
entry ends exactly once: answered, timed out, failed when the link drops, or forgotten by its
caller; the protocol object forgets the request id at the same moment. A callback's exception
is logged and never breaks the transport.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from . import protocol as p
from .errors import AnimazeDisconnected, AnimazeError
from .responses import Response

log = logging.getLogger(__name__)

Outcome = Callable[[Response | None, AnimazeError | None], None]
"""Receives a request's outcome: ``(response, None)`` or ``(None, error)``."""


def settle(future: asyncio.Future[Response], response: Response | None,
           error: AnimazeError | None) -> None:
    """An :data:`Outcome` that completes ``future`` (unless it is already done)."""
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(response)  # type: ignore[arg-type]  # set when error is None


class PendingRequests:
    """Requests in flight, by request id, each with its outcome callback and timeout timer."""

    def __init__(self, proto: p.AnimazeProtocol) -> None:
        """Track requests sent through ``proto`` (which forgets each id when it ends)."""
        self._proto = proto
        self._entries: dict[str, tuple[Outcome, asyncio.TimerHandle]] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def add(self, request_id: str, on_done: Outcome, timer: asyncio.TimerHandle) -> None:
        """Await the answer to ``request_id``; ``timer`` (its timeout) is cancelled at the end."""
        self._entries[request_id] = (on_done, timer)

    def forget(self, request_id: str) -> None:
        """Drop ``request_id`` without calling its callback (the caller gave up)."""
        pending = self._entries.pop(request_id, None)
        if pending is not None:
            pending[1].cancel()
            self._proto.forget(request_id)

    def finish(self, request_id: str, response: Response | None,
               error: AnimazeError | None) -> None:
        """Report the outcome of ``request_id`` once (ignored if it already ended)."""
        pending = self._entries.pop(request_id, None)
        if pending is None:
            return
        on_done, timer = pending
        timer.cancel()
        self._proto.forget(request_id)
        try:
            on_done(response, error)
        except Exception:  # a caller's bug must not break the transport
            log.exception("A request callback failed")

    def fail_all(self, why: str) -> None:
        """Fail every request in flight with :class:`~.errors.AnimazeDisconnected`."""
        self._proto.fail_all()
        for request_id in list(self._entries):
            self.finish(request_id, None, AnimazeDisconnected(f"No answer: {why}"))
