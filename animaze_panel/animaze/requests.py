"""Typed requests for all 29 Animaze actions, validated before anything is sent.

This module is the public surface of the requests: every request class, :data:`REQUEST_TYPES`
(the one table of them) and :func:`parse_request` are imported from here. The classes for
the gallery, animations, quickscenes, tracker, broadcast and ChatPal are defined here; the
camera and avatar placement requests live in :mod:`.transform_requests`, the override
behaviour requests in :mod:`.override_requests`, and their base in :mod:`.request_base`.

Each request is a frozen dataclass whose ``__post_init__`` validates (and normalises, e.g.
quaternions) its fields, raising :class:`~.errors.ValidationError` that names the field. The
action spelling sent on the wire is the class attribute ``ACTION``. ``extra`` carries fields
beyond the spec that some clients send (e.g. ``priority`` on ChatbotSendMessage); they are
sent as given but never override a typed field.

:func:`parse_request` is the reverse direction (the simulator's): a decoded frame to a request,
matching action names case-insensitively (``GetCameraFOV`` is ``GetCameraFov``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from . import responses as r
from ._fields import check_bool, check_index, check_name
from .errors import ValidationError
from .override_requests import GetOverride, SetOverride
from .request_base import Request
from .transform_requests import (
    GetAvatarTransform,
    GetCameraFov,
    GetCameraTransform,
    SetAvatarTransform,
    SetCameraFov,
    SetCameraTransform,
)

__all__ = [
    "ECHO_PREFIX", "REQUEST_TYPES", "Broadcast", "CalibrateTracker", "ChatbotSendMessage",
    "GetAvatarTransform", "GetAvatars", "GetCameraFov", "GetCameraTransform",
    "GetCurrentAvatarInfo", "GetCurrentSceneInfo", "GetEmotes", "GetIdleAnims", "GetItemIcon",
    "GetOverride", "GetPoses", "GetQuickscenes", "GetScenes", "GetSpecialActions",
    "LoadAvatar", "LoadQuickscene", "LoadScene", "Request", "SaveQuickscene",
    "SetAvatarTransform", "SetCameraFov", "SetCameraTransform", "SetOverride", "TriggerEmote",
    "TriggerIdle", "TriggerPose", "TriggerSpecialAction", "parse_request", "request_type",
]  # fmt: skip

R = TypeVar("R", bound=r.Response)


@dataclass(frozen=True)
class _Named(Request[R]):
    name: str = ""
    WIRE = (("name", "name"),)

    def __post_init__(self) -> None:
        check_name("name", self.name)


@dataclass(frozen=True)
class _Indexed(Request[R]):
    index: int = 0
    WIRE = (("index", "index"),)

    def __post_init__(self) -> None:
        check_index("index", self.index)


@dataclass(frozen=True)
class LoadAvatar(_Named[r.Ack]):
    """Load an avatar by name."""

    ACTION = "LoadAvatar"


@dataclass(frozen=True)
class LoadScene(_Named[r.Ack]):
    """Load a scene by name."""

    ACTION = "LoadScene"


@dataclass(frozen=True)
class GetItemIcon(_Named[r.ItemIcon]):
    """Get any gallery item's icon (avatar, scene, prop, emote...)."""

    ACTION = "GetItemIcon"
    RESPONSE = r.ItemIcon


@dataclass(frozen=True)
class GetAvatars(Request[r.AvatarList]):
    """List the avatars ready to load."""

    ACTION = "GetAvatars"
    RESPONSE = r.AvatarList


@dataclass(frozen=True)
class GetCurrentAvatarInfo(Request[r.CurrentAvatarInfo]):
    """Describe the loaded avatar(s)."""

    ACTION = "GetCurrentAvatarInfo"
    RESPONSE = r.CurrentAvatarInfo


@dataclass(frozen=True)
class GetScenes(Request[r.SceneList]):
    """List the scenes ready to load."""

    ACTION = "GetScenes"
    RESPONSE = r.SceneList


@dataclass(frozen=True)
class GetCurrentSceneInfo(Request[r.CurrentSceneInfo]):
    """Describe the loaded scene."""

    ACTION = "GetCurrentSceneInfo"
    RESPONSE = r.CurrentSceneInfo


@dataclass(frozen=True)
class GetEmotes(Request[r.EmoteList]):
    """List the emotes."""

    ACTION = "GetEmotes"
    RESPONSE = r.EmoteList


@dataclass(frozen=True)
class TriggerEmote(Request[r.Ack]):
    """Play an emote by its item name."""

    ACTION = "TriggerEmote"
    WIRE = (("item_name", "itemName"),)
    item_name: str = ""

    def __post_init__(self) -> None:
        check_name("item_name", self.item_name)


@dataclass(frozen=True)
class GetSpecialActions(Request[r.SpecialActionList]):
    """List the current avatar's special actions."""

    ACTION = "GetSpecialActions"
    RESPONSE = r.SpecialActionList


@dataclass(frozen=True)
class TriggerSpecialAction(_Indexed[r.Ack]):
    """Start a special action by index."""

    ACTION = "TriggerSpecialAction"


@dataclass(frozen=True)
class GetPoses(Request[r.PoseList]):
    """List the current avatar's poses."""

    ACTION = "GetPoses"
    RESPONSE = r.PoseList


@dataclass(frozen=True)
class TriggerPose(_Indexed[r.Ack]):
    """Set a pose by index."""

    ACTION = "TriggerPose"


@dataclass(frozen=True)
class GetIdleAnims(Request[r.IdleList]):
    """List the current avatar's idle animations."""

    ACTION = "GetIdleAnims"
    RESPONSE = r.IdleList


@dataclass(frozen=True)
class TriggerIdle(_Indexed[r.Ack]):
    """Set the idle animation by index."""

    ACTION = "TriggerIdle"


@dataclass(frozen=True)
class GetQuickscenes(Request[r.QuickscenesList]):
    """List the quickscene slots with their thumbnails."""

    ACTION = "GetQuickscenes"
    RESPONSE = r.QuickscenesList


@dataclass(frozen=True)
class LoadQuickscene(_Indexed[r.Ack]):
    """Load a quickscene slot."""

    ACTION = "LoadQuickscene"


@dataclass(frozen=True)
class SaveQuickscene(_Indexed[r.Ack]):
    """Save the current setup into a quickscene slot."""

    ACTION = "SaveQuickscene"


@dataclass(frozen=True)
class CalibrateTracker(Request[r.Ack]):
    """Run the tracker calibration."""

    ACTION = "CalibrateTracker"


@dataclass(frozen=True)
class Broadcast(Request[r.Ack]):
    """Turn the virtual camera broadcast on or off."""

    ACTION = "Broadcast"
    WIRE = (("toggle", "toggle"),)
    toggle: bool = False

    def __post_init__(self) -> None:
        check_bool("toggle", self.toggle)


ECHO_PREFIX = "-echo"
"""Prefix that makes ChatPal speak the rest of the message verbatim instead of replying."""


@dataclass(frozen=True)
class ChatbotSendMessage(Request[r.ChatbotReply]):
    """Send a prompt to ChatPal (or text to speak, with the ``-echo`` prefix)."""

    ACTION = "ChatbotSendMessage"
    RESPONSE = r.ChatbotReply
    WIRE = (("message", "message"),)
    message: str = ""

    def __post_init__(self) -> None:
        check_name("message", self.message)

    @classmethod
    def echo(cls, text: str) -> ChatbotSendMessage:
        """Build a message that makes the avatar speak ``text`` verbatim."""
        check_name("message", text)
        return cls(f"{ECHO_PREFIX} {text}")


REQUEST_TYPES: tuple[type[Request[Any]], ...] = (
    LoadAvatar, LoadScene, GetAvatars, GetCurrentAvatarInfo, GetScenes, GetCurrentSceneInfo,
    GetItemIcon, GetEmotes, TriggerEmote, GetSpecialActions, TriggerSpecialAction, GetPoses,
    TriggerPose, GetIdleAnims, TriggerIdle, GetQuickscenes, LoadQuickscene, SaveQuickscene,
    CalibrateTracker, Broadcast, SetCameraTransform, GetCameraTransform, SetCameraFov,
    GetCameraFov, SetAvatarTransform, GetAvatarTransform, SetOverride, GetOverride,
    ChatbotSendMessage,
)  # fmt: skip
"""Every action of the spec; ``ACTION`` is the spelling we send."""

_BY_ACTION = {cls.ACTION.casefold(): cls for cls in REQUEST_TYPES}


def request_type(action: str) -> type[Request[Any]] | None:
    """Look a request class up by action name, case-insensitively.

    Args:
        action: e.g. ``"GetCameraFOV"``.

    Returns:
        The class, or ``None`` for an action the spec does not have.
    """
    return _BY_ACTION.get(action.casefold())


def parse_request(msg: Mapping[str, Any]) -> Request[Any]:
    """Turn a decoded request frame into a typed, validated request.

    Raises:
        ValidationError: Unknown action, or a missing/invalid field.
    """
    action = msg.get("action")
    if not isinstance(action, str) or not action:
        raise ValidationError("action", "missing")
    cls = request_type(action)
    if cls is None:
        raise ValidationError("action", f"unknown action {action!r}")
    return cls.from_wire(msg)
