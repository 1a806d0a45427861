"""Join information of a session's real-time transport, behind one interface.

A session's ``stream_type`` is ``agora`` (the default, and what the panel's live view joins),
``livekit`` or ``trtc``; its ``credentials`` carry ``agora_*``, ``livekit_*`` or ``trtc_sdk_*``
fields (docs.akool.com live-avatar session-detail; the React demo's ``SessionCredentials``).
:data:`StreamCredentials` is the union the rest of the panel handles; LiveKit and TRTC are parsed
so such a session is recognised and refused clearly rather than misread. Tokens stay out of
``repr``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from .akool_wire import int_field, object_field, text_field


class StreamType(Enum):
    """The real-time transport of a session (docs: ``stream_type``; the demo's providers)."""

    AGORA = "agora"
    LIVEKIT = "livekit"
    TRTC = "trtc"
    OTHER = "other"
    """A transport this panel does not know (a newer Akool one): listed, never joined."""

    @classmethod
    def of(cls, value: str) -> StreamType:
        """Return the member for ``value``; empty means Agora (the default), unknown OTHER."""
        if not value:
            return cls.AGORA
        try:
            return cls(value)
        except ValueError:
            return cls.OTHER


@dataclass(frozen=True)
class AgoraCredentials:
    """Join information for the Agora SDK; the token lives ~5 minutes (docs, Create session)."""

    app_id: str
    channel: str
    token: str = field(repr=False)
    uid: int

    @classmethod
    def from_wire(cls, body: dict[str, Any]) -> AgoraCredentials:
        """Decode ``credentials`` of an Agora session."""
        app_id, channel = text_field(body, "agora_app_id"), text_field(body, "agora_channel")
        if not app_id or not channel:
            raise ValueError("agora_app_id or agora_channel is missing")
        return cls(app_id, channel, text_field(body, "agora_token"), int_field(body, "agora_uid"))

    def to_wire(self) -> dict[str, Any]:
        """Encode as Akool sends it (what the bridge page joins with)."""
        return {"agora_app_id": self.app_id, "agora_channel": self.channel,
                "agora_token": self.token, "agora_uid": self.uid}


@dataclass(frozen=True)
class LiveKitCredentials:
    """Join information for LiveKit (docs, session-detail ``livekit_*``)."""

    url: str
    token: str = field(repr=False)
    room_name: str = ""

    @classmethod
    def from_wire(cls, body: dict[str, Any]) -> LiveKitCredentials:
        """Decode ``credentials`` of a LiveKit session."""
        return cls(text_field(body, "livekit_url"), text_field(body, "livekit_token"),
                   text_field(body, "livekit_room_name"))

    def to_wire(self) -> dict[str, Any]:
        """Encode as Akool sends it."""
        return {"livekit_url": self.url, "livekit_token": self.token,
                "livekit_room_name": self.room_name}


@dataclass(frozen=True)
class TrtcCredentials:
    """Join information for Tencent TRTC (docs, session-detail ``trtc_sdk_*``)."""

    sdk_app_id: int
    room_id: str
    user_id: str
    user_sig: str = field(repr=False)

    @classmethod
    def from_wire(cls, body: dict[str, Any]) -> TrtcCredentials:
        """Decode ``credentials`` of a TRTC session."""
        return cls(int_field(body, "trtc_sdk_app_id"), text_field(body, "trtc_sdk_room_id"),
                   text_field(body, "trtc_sdk_user_id"), text_field(body, "trtc_sdk_user_sig"))

    def to_wire(self) -> dict[str, Any]:
        """Encode as Akool sends it."""
        return {"trtc_sdk_app_id": self.sdk_app_id, "trtc_sdk_room_id": self.room_id,
                "trtc_sdk_user_id": self.user_id, "trtc_sdk_user_sig": self.user_sig}


StreamCredentials = AgoraCredentials | LiveKitCredentials | TrtcCredentials


def credentials_from_wire(stream_type: StreamType, body: Any) -> StreamCredentials | None:
    """Decode ``credentials`` for ``stream_type``; empty or missing gives ``None``."""
    if not body:
        return None  # queueing sessions may not carry credentials yet
    creds = object_field(body, "credentials")
    if stream_type is StreamType.OTHER:
        return None
    if stream_type is StreamType.LIVEKIT:
        return LiveKitCredentials.from_wire(creds)
    if stream_type is StreamType.TRTC:
        return TrtcCredentials.from_wire(creds)
    return AgoraCredentials.from_wire(creds)
