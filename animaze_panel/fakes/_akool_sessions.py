"""The fake Akool server's sessions: lifecycle, charges and refunds (no HTTP here).

Rules and their sources:

* statuses 1 queueing -> 2 processing -> 3 completed / 4 failed (spec, Create session);
  a session queues for ``start_seconds`` of the clock, then runs until closed or until its
  duration is over;
* the whole duration is charged at create and the unused rest refunded at close (the billing
  rule in the project's Akool notes; the spec page does not describe billing);
* ``duration`` at most 3600 s (spec), ``mode_type`` 1 or 2 and ``stream_type`` agora / livekit /
  trtc (spec set-params ``mode``; docs session-detail ``stream_type``);
* the answer's shape ``{_id, uid, type, status, stream_type, credentials}`` (docs, Create
  session and Get Session Info); the list is ``data.{count, data[]}`` (spec) or ``data.result``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ._akool_data import FAKE_AGORA_APP_ID, FAKE_AGORA_TOKEN_PREFIX, LANGUAGES, VOICES, page_of


@dataclass
class FakeSession:
    """A session, its paid time and its lifecycle."""

    session_id: str
    avatar_id: str
    duration: int
    created: float
    stream_type: str
    uid: int
    options: dict[str, Any]
    closed_at: float | None = None
    failed: bool = False
    credentials: dict[str, Any] = field(default_factory=dict)


class SessionBook:
    """Every session the fake opened, and the money side of them."""

    def __init__(self, clock: Callable[[], float], start_seconds: float) -> None:
        """Use ``clock`` for time; sessions queue ``start_seconds`` before they run."""
        self.clock = clock
        self.start_seconds = start_seconds
        self.sessions: dict[str, FakeSession] = {}
        self.charges: dict[str, int] = {}
        self.refunds: dict[str, float] = {}
        self.closes: list[str] = []

    def status(self, session: FakeSession) -> int:
        """Return the session's status now (spec: 1 queueing ... 4 failed)."""
        if session.failed:
            return 4
        now = self.clock()
        if session.closed_at is not None or now - session.created >= session.duration:
            return 3
        return 1 if now - session.created < self.start_seconds else 2

    def open_ids(self) -> list[str]:
        """IDs of sessions still queueing or running (still being paid for)."""
        return [s.session_id for s in self.sessions.values() if self.status(s) in (1, 2)]

    def to_json(self, session: FakeSession) -> dict[str, Any]:
        """The session as Akool answers it (avatar_id and duration added for the list)."""
        return {"_id": session.session_id, "uid": session.uid, "type": 1,
                "status": self.status(session), "stream_type": session.stream_type,
                "avatar_id": session.avatar_id, "duration": session.duration,
                "credentials": session.credentials}

    def create(
        self, body: Any, avatars: Mapping[str, Mapping[str, Any]], new_id: Callable[[], str]
    ) -> dict[str, Any] | int:
        """Create a session from the request ``body``; return ``data`` or an error code."""
        if not isinstance(body, dict):
            return 1003
        avatar_id, duration = body.get("avatar_id"), body.get("duration")
        if not isinstance(avatar_id, str) or not avatar_id:
            return 1003
        if not isinstance(duration, int) or isinstance(duration, bool) \
                or not 1 <= duration <= 3600:
            return 1003  # spec: duration in seconds, at most 3600
        if body.get("mode_type") not in (None, 1, 2):
            return 1003  # spec, set-params mode: 1 retelling, 2 dialogue
        stream_type = body.get("stream_type", "agora")
        if stream_type not in ("agora", "livekit", "trtc"):
            return 1003
        if avatar_id not in avatars:
            return 1008  # spec: "The content you get does not exist"
        if not avatars[avatar_id]["available"]:
            return 1009  # not documented; an unavailable avatar may not be used
        voice = body.get("voice_id")
        if voice and voice not in {v["voice_id"] for v in VOICES}:
            return 1008
        language = body.get("language")
        if language and language not in {lang["lang_code"] for lang in LANGUAGES}:
            return 1003
        session_id = new_id()
        uid = 100000 + len(self.sessions)
        session = FakeSession(session_id, avatar_id, duration, self.clock(), stream_type, uid,
                              body, credentials=credentials(stream_type, session_id, uid))
        self.sessions[session_id] = session
        self.charges[session_id] = duration  # billing rule: the whole duration, up front
        return {"data": self.to_json(session)}

    def find(self, session_id: Any) -> FakeSession | int:
        """Return the session, or 1003 (no ID) / 1008 (unknown ID)."""
        if not isinstance(session_id, str) or not session_id:
            return 1003
        return self.sessions.get(session_id) or 1008

    def close(self, body: Any) -> dict[str, Any] | int:
        """Close the session named in ``body``, refunding its unused time."""
        if not isinstance(body, dict):
            return 1003
        # demo sends {"id"}; some doc examples send {"session_id"}: accept both.
        session = self.find(body.get("id") or body.get("session_id"))
        if isinstance(session, int):
            return session
        if self.status(session) in (1, 2):
            now = self.clock()
            session.closed_at = now
            # billing rule: closing early refunds the unused rest of the duration.
            self.refunds[session.session_id] = max(0.0, session.duration - (now - session.created))
            self.closes.append(session.session_id)
        # A repeated close is not documented; it is answered as success with no new refund.
        return {"data": {"_id": session.session_id, "status": self.status(session)}}

    def listing(self, query: Mapping[str, str], list_key: str) -> dict[str, Any] | int:
        """The session list, newest first, filtered by ``status`` and paged."""
        page_size = page_of(query, max_size=None)
        if page_size is None:
            return 1003
        page, size = page_size
        status = query.get("status")
        if status not in (None, "1", "2", "3", "4"):
            return 1003  # spec: status 1-4
        items = [self.to_json(s) for s in reversed(self.sessions.values())]
        if status is not None:
            items = [item for item in items if item["status"] == int(status)]
        chunk = items[(page - 1) * size:page * size]
        return {"data": {"count": len(items), list_key: chunk}}


def credentials(stream_type: str, session_id: str, uid: int) -> dict[str, Any]:
    """Fake join information (field names: docs, Get Session Info)."""
    channel = f"akool-fake-{session_id}"
    if stream_type == "livekit":
        return {"livekit_url": "wss://livekit.invalid", "livekit_token": f"lk-{session_id}",
                "livekit_room_name": channel}
    if stream_type == "trtc":
        return {"trtc_sdk_app_id": 1400000000, "trtc_sdk_room_id": channel,
                "trtc_sdk_user_id": str(uid), "trtc_sdk_user_sig": f"sig-{session_id}"}
    return {"agora_uid": uid, "agora_app_id": FAKE_AGORA_APP_ID, "agora_channel": channel,
            "agora_token": FAKE_AGORA_TOKEN_PREFIX + channel}
