"""Akool data: typed results (frozen dataclasses with to_wire/from_wire) and request forms.

Pure values, no I/O. ``from_wire`` raises ``KeyError``/``TypeError``/``ValueError`` on a bad
shape; :mod:`.akool` turns those into ``AkoolProtocolError``. Field names and status numbers are
from the spec (``shared/specs/akool-streaming-avatar-api.txt``), Akool's docs pages
(docs.akool.com live-avatar: session-detail shows every ``credentials`` field of the three
transports) and the public React demo (``src/types/api.schemas.ts``).

Transport credentials (Agora, LiveKit, TRTC) live in :mod:`.akool_transport`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from .akool_errors import AkoolInputError
from .akool_transport import (
    AgoraCredentials,
    LiveKitCredentials,
    StreamCredentials,
    StreamType,
    TrtcCredentials,
    credentials_from_wire,
)
from .akool_wire import int_field, object_field, text_field

__all__ = [
    "MAX_DURATION", "MAX_PAGE_SIZE", "AgoraCredentials", "Avatar", "AvatarPage", "AvatarStatus",
    "AvatarUpload", "AvatarUploadRequest", "Language", "LiveKitCredentials", "ModeType",
    "Session", "SessionOptions", "SessionPage", "SessionStatus", "StreamCredentials",
    "StreamType", "TrtcCredentials", "Voice",
]

MAX_DURATION = 3600
"""Longest session in seconds (spec, Create session: "The maximum value is 3600 seconds")."""
MAX_PAGE_SIZE = 100
"""Largest avatar-list page (spec, Get Streaming Avatar List: "max 100")."""
_AVATAR_ID_RE = re.compile(r"^[a-zA-Z0-9]+$")  # spec, Upload: "Can only contain /^a-zA-Z0-9/"


class AvatarStatus(IntEnum):
    """Status of an uploaded streaming avatar (spec, Upload: 1 queueing ... 4 failed)."""

    UNKNOWN = 0
    QUEUEING = 1
    PROCESSING = 2
    READY = 3
    FAILED = 4

    @classmethod
    def of(cls, value: Any) -> AvatarStatus:
        """Return the member for ``value``; unknown numbers give :attr:`UNKNOWN`."""
        try:
            return cls(int_field({"v": value}, "v"))
        except (TypeError, ValueError, OverflowError):
            return cls.UNKNOWN


class SessionStatus(IntEnum):
    """Status of a session (spec, Create session: 1 queueing ... 3 completed, 4 failed)."""

    UNKNOWN = 0
    QUEUEING = 1
    PROCESSING = 2
    COMPLETED = 3
    FAILED = 4

    @classmethod
    def of(cls, value: Any) -> SessionStatus:
        """Return the member for ``value``; unknown numbers give :attr:`UNKNOWN`."""
        try:
            return cls(int_field({"v": value}, "v"))
        except (TypeError, ValueError, OverflowError):
            return cls.UNKNOWN

    @property
    def is_open(self) -> bool:
        """Whether the session may still be running (and being paid for)."""
        return self in (SessionStatus.QUEUEING, SessionStatus.PROCESSING)


class ModeType(IntEnum):
    """How the avatar treats text (spec, set-params ``mode``: 1 retelling, 2 dialogue)."""

    RETELL = 1
    DIALOGUE = 2


@dataclass(frozen=True)
class Avatar:
    """One streaming avatar of the list (spec: Streaming Avatar Object Properties)."""

    avatar_id: str
    name: str = ""
    voice_id: str = ""
    url: str = ""
    thumbnail_url: str = ""
    gender: str = ""
    available: bool = True
    type: int = 2
    source: int = 0
    """2 = official, 3 = created by the user (spec: ``from``)."""

    @classmethod
    def from_wire(cls, body: dict[str, Any]) -> Avatar:
        """Decode one list item."""
        avatar_id = text_field(body, "avatar_id")
        if not avatar_id:
            raise ValueError("avatar_id is missing")
        return cls(
            avatar_id=avatar_id,
            name=text_field(body, "name") or avatar_id,
            voice_id=text_field(body, "voice_id"),
            url=text_field(body, "url"),
            thumbnail_url=text_field(body, "thumbnailUrl"),
            gender=text_field(body, "gender"),
            available=bool(body.get("available", True)),
            type=int_field(body, "type", 2),
            source=int_field(body, "from", 0),
        )

    def to_wire(self) -> dict[str, Any]:
        """Encode as Akool sends it."""
        return {
            "avatar_id": self.avatar_id, "name": self.name, "voice_id": self.voice_id,
            "url": self.url, "thumbnailUrl": self.thumbnail_url, "gender": self.gender,
            "available": self.available, "type": self.type, "from": self.source,
        }


@dataclass(frozen=True)
class AvatarPage:
    """One page of the avatar list (``data.{count, result[]}``)."""

    count: int
    avatars: tuple[Avatar, ...]

    @classmethod
    def from_wire(cls, body: dict[str, Any]) -> AvatarPage:
        """Decode ``data``."""
        items = body.get("result") or []
        if not isinstance(items, list):
            raise TypeError("result is not a list")
        avatars = tuple(Avatar.from_wire(object_field(item, "avatar")) for item in items)
        return cls(count=int_field(body, "count", len(avatars)), avatars=avatars)

    def to_wire(self) -> dict[str, Any]:
        """Encode as Akool sends it."""
        return {"count": self.count, "result": [a.to_wire() for a in self.avatars]}


@dataclass(frozen=True)
class AvatarUpload:
    """An uploaded avatar being processed (spec, Upload: ``{avatar_id, url, status}``).

    ``id`` is the record's ``_id``, which ``GET /api/open/v3/avatar/detail?id=`` takes (Akool's
    own examples poll with ``?id=<data._id>``); when an answer has no ``_id`` the avatar id is used.
    """

    id: str
    avatar_id: str
    status: AvatarStatus
    url: str = ""
    name: str = ""
    message: str = ""

    @classmethod
    def from_wire(cls, body: dict[str, Any]) -> AvatarUpload:
        """Decode ``data`` of create or detail."""
        avatar_id = text_field(body, "avatar_id")
        record_id = text_field(body, "_id") or avatar_id
        if not record_id:
            raise ValueError("neither _id nor avatar_id is present")
        return cls(
            id=record_id, avatar_id=avatar_id, status=AvatarStatus.of(body.get("status")),
            url=text_field(body, "url"), name=text_field(body, "name"),
            message=text_field(body, "msg"),
        )

    def to_wire(self) -> dict[str, Any]:
        """Encode as Akool sends it."""
        return {"_id": self.id, "avatar_id": self.avatar_id, "status": int(self.status),
                "url": self.url, "name": self.name}


@dataclass(frozen=True)
class AvatarUploadRequest:
    """The upload form (spec, Upload Streaming Avatar body)."""

    url: str
    avatar_id: str
    name: str = ""
    url_from: int = 1
    """1 = Akool and other links, 2 = YouTube / TikTok / X / Google Drive."""

    def validate(self) -> None:
        """Check every field the way Akool documents it.

        Raises:
            AkoolInputError: A field is invalid (named in ``field``).
        """
        if not self.url.strip().lower().startswith(("http://", "https://")):
            raise AkoolInputError("url", "The avatar video must be an http(s) link")
        if not _AVATAR_ID_RE.match(self.avatar_id):
            raise AkoolInputError(
                "avatar_id", "The avatar ID may contain only letters A-Z, a-z and digits 0-9"
            )
        if self.url_from not in (1, 2):
            raise AkoolInputError("url_from", "The link source must be 1 (direct) or 2 (social)")

    def to_wire(self) -> dict[str, Any]:
        """Encode the request body (``type`` 2 = streaming avatar)."""
        # The docs' upload page lists ``name`` as a display name; the ID stands in when empty.
        return {"url": self.url.strip(), "avatar_id": self.avatar_id,
                "name": self.name.strip() or self.avatar_id, "type": 2,
                "url_from": self.url_from}


@dataclass(frozen=True)
class Session:
    """A streaming session (spec/docs, Create session and Get Session Info: ``data``)."""

    id: str
    status: SessionStatus
    stream_type: StreamType = StreamType.AGORA
    credentials: StreamCredentials | None = None
    avatar_id: str = ""
    duration: int = 0

    @classmethod
    def from_wire(cls, body: dict[str, Any]) -> Session:
        """Decode ``data`` of create/detail or one list item."""
        session_id = (text_field(body, "_id") or text_field(body, "session_id")
                      or text_field(body, "id"))
        if not session_id:
            raise ValueError("_id is missing")
        stream_type = StreamType.of(text_field(body, "stream_type"))
        return cls(
            id=session_id,
            status=SessionStatus.of(body.get("status")),
            stream_type=stream_type,
            credentials=credentials_from_wire(stream_type, body.get("credentials")),
            avatar_id=text_field(body, "avatar_id"),
            duration=int_field(body, "duration"),
        )

    def to_wire(self) -> dict[str, Any]:
        """Encode as Akool sends it."""
        body: dict[str, Any] = {"_id": self.id, "status": int(self.status),
                                "stream_type": self.stream_type.value}
        if self.credentials is not None:
            body["credentials"] = self.credentials.to_wire()
        if self.avatar_id:
            body["avatar_id"] = self.avatar_id
        if self.duration:
            body["duration"] = self.duration
        return body


@dataclass(frozen=True)
class SessionPage:
    """One page of the session list.

    The spec shows ``data: {count, data: [...]}``; other Akool lists use ``data.result``: both
    are accepted.
    """

    count: int
    sessions: tuple[Session, ...]

    @classmethod
    def from_wire(cls, body: Any) -> SessionPage:
        """Decode ``data`` (an object with ``data``/``result``, or a bare list)."""
        if isinstance(body, list):
            items: Any = body
            count = len(body)
        else:
            body = object_field(body, "data")
            items = body.get("data", body.get("result")) or []
            if not isinstance(items, list):
                raise TypeError("the session list is not a list")
            count = int_field(body, "count", len(items))
        sessions = tuple(Session.from_wire(object_field(item, "session")) for item in items)
        return cls(count=count, sessions=sessions)

    def to_wire(self) -> dict[str, Any]:
        """Encode in the spec's shape."""
        return {"count": self.count, "data": [s.to_wire() for s in self.sessions]}


@dataclass(frozen=True)
class SessionOptions:
    """The "start a session" form (docs, Create session body; demo ``SessionOptions``)."""

    avatar_id: str
    duration: int = 600
    voice_id: str = ""
    voice_url: str = ""
    language: str = ""
    mode_type: ModeType | None = None
    background_url: str = ""
    stream_type: StreamType = StreamType.AGORA

    def validate(self) -> None:
        """Check the form before any money is spent.

        Raises:
            AkoolInputError: A field is invalid (named in ``field``).
        """
        if not self.avatar_id.strip():
            raise AkoolInputError("avatar_id", "Choose an avatar first")
        if not 1 <= self.duration <= MAX_DURATION:
            raise AkoolInputError(
                "duration", f"The session length must be 1 to {MAX_DURATION} seconds (1 hour)"
            )
        if self.stream_type is StreamType.OTHER:
            raise AkoolInputError("stream_type", "Choose Agora, LiveKit or TRTC as the transport")
        for name in ("voice_url", "background_url"):
            value = getattr(self, name).strip()
            if value and not value.lower().startswith(("http://", "https://")):
                raise AkoolInputError(name, f"The {name.replace('_', ' ')} must be an http(s) link")

    def to_wire(self) -> dict[str, Any]:
        """Encode the request body; empty optional fields are left out."""
        body: dict[str, Any] = {"avatar_id": self.avatar_id.strip(), "duration": self.duration}
        optional = {"voice_id": self.voice_id, "voice_url": self.voice_url,
                    "language": self.language, "background_url": self.background_url}
        body.update({k: v.strip() for k, v in optional.items() if v.strip()})
        if self.mode_type is not None:
            body["mode_type"] = int(self.mode_type)
        if self.stream_type is not StreamType.AGORA:
            body["stream_type"] = self.stream_type.value
        return body


@dataclass(frozen=True)
class Voice:
    """One voice of ``GET /api/open/v4/voice/list`` (demo ``Voice``: ``data.result[]``)."""

    voice_id: str
    name: str = ""
    gender: str = ""
    language: str = ""
    accent: str = ""
    description: str = ""
    preview: str = ""

    @classmethod
    def from_wire(cls, body: dict[str, Any]) -> Voice:
        """Decode one voice."""
        voice_id = text_field(body, "voice_id")
        if not voice_id:
            raise ValueError("voice_id is missing")
        return cls(voice_id, text_field(body, "name") or voice_id, text_field(body, "gender"),
                   text_field(body, "language"), text_field(body, "accent"),
                   text_field(body, "description"), text_field(body, "preview"))

    def to_wire(self) -> dict[str, Any]:
        """Encode as Akool sends it."""
        return {"voice_id": self.voice_id, "name": self.name, "gender": self.gender,
                "language": self.language, "accent": self.accent,
                "description": self.description, "preview": self.preview}


@dataclass(frozen=True)
class Language:
    """One language of ``GET /api/open/v3/language/list`` (``data.lang_list[]``)."""

    code: str
    name: str
    url: str = ""

    @classmethod
    def from_wire(cls, body: dict[str, Any]) -> Language:
        """Decode one language."""
        code = text_field(body, "lang_code")
        if not code:
            raise ValueError("lang_code is missing")
        return cls(code, text_field(body, "lang_name") or code, text_field(body, "url"))

    def to_wire(self) -> dict[str, Any]:
        """Encode as Akool sends it."""
        return {"lang_code": self.code, "lang_name": self.name, "url": self.url}
