"""Typed requests for all 29 Animaze actions, validated before anything is sent.

Each request is a frozen dataclass whose ``__post_init__`` validates (and normalises, e.g.
quaternions) its fields, raising :class:`~.errors.ValidationError` that names the field. The
action spelling sent on the wire is the class attribute ``ACTION``; :data:`REQUEST_TYPES` is the
one table of them. ``extra`` carries fields beyond the spec that some clients send (e.g.
``priority`` on ChatbotSendMessage); they are sent as given but never override a typed field.

:func:`parse_request` is the reverse direction (the simulator's): a decoded frame to a request,
matching action names case-insensitively (``GetCameraFOV`` is ``GetCameraFov``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, TypeVar

from . import responses as r
from ._fields import (
    Quat,
    Vec3,
    check_bool,
    check_float,
    check_fov,
    check_index,
    check_name,
    check_position,
    check_positive,
    check_quaternion,
)
from .errors import ValidationError
from .overrides import Behaviour, find_behaviour

R = TypeVar("R", bound=r.Response)


@dataclass(frozen=True)
class Request(Generic[R]):
    """Base of all requests.

    Attributes:
        extra: Additional wire fields to send verbatim (keyword only).
    """

    ACTION: ClassVar[str] = ""
    RESPONSE: ClassVar[type[r.Response]] = r.Response
    # (attribute, wire key) of the typed fields, in wire order.
    WIRE: ClassVar[tuple[tuple[str, str], ...]] = ()

    extra: Mapping[str, Any] = field(default_factory=dict, kw_only=True, compare=False)

    def to_wire(self, request_id: str | None = None) -> dict[str, Any]:
        """Return the JSON-ready frame.

        Args:
            request_id: The correlation id to send, or ``None`` to send none.
        """
        out: dict[str, Any] = {"action": self.ACTION}
        if request_id is not None:
            out["id"] = request_id
        for attr, wire in self.WIRE:
            value = getattr(self, attr)
            out[wire] = list(value) if isinstance(value, tuple) else value
        for key, value in self.extra.items():
            out.setdefault(key, value)
        return out

    @classmethod
    def from_wire(cls, msg: Mapping[str, Any]) -> Request[Any]:
        """Build this request from a decoded frame, validating every field.

        Raises:
            ValidationError: A field is missing or invalid.
        """
        kwargs: dict[str, Any] = {}
        for attr, wire in cls.WIRE:
            if wire not in msg:
                raise ValidationError(attr, f"missing (expected key {wire!r})")
            kwargs[attr] = msg[wire]
        known = {"action", "id", *(w for _, w in cls.WIRE)}
        return cls(**kwargs, extra={k: v for k, v in msg.items() if k not in known})

    def _set(self, name: str, value: Any) -> None:
        object.__setattr__(self, name, value)


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


@dataclass(frozen=True)
class SetCameraTransform(Request[r.Ack]):
    """Place the render camera (world space, right-handed OpenGL quaternion)."""

    ACTION = "SetCameraTransform"
    WIRE = (("position", "position"), ("rotation", "rotation"))
    position: Vec3 = (0.0, 0.0, 0.0)
    rotation: Quat = (0.0, 0.0, 0.0, 1.0)

    def __post_init__(self) -> None:
        self._set("position", check_position("position", self.position))
        self._set("rotation", check_quaternion("rotation", self.rotation))


@dataclass(frozen=True)
class GetCameraTransform(Request[r.CameraTransform]):
    """Read the render camera's transform."""

    ACTION = "GetCameraTransform"
    RESPONSE = r.CameraTransform


@dataclass(frozen=True)
class SetCameraFov(Request[r.Ack]):
    """Set the camera's field of view in degrees (0 < fov < 180)."""

    ACTION = "SetCameraFov"
    WIRE = (("fov", "fov"),)
    fov: float = 60.0

    def __post_init__(self) -> None:
        self._set("fov", check_fov("fov", self.fov))


@dataclass(frozen=True)
class GetCameraFov(Request[r.CameraFov]):
    """Read the camera's field of view."""

    ACTION = "GetCameraFov"
    RESPONSE = r.CameraFov


@dataclass(frozen=True)
class SetAvatarTransform(Request[r.Ack]):
    """Place the avatar: position, rotation quaternion and uniform scale (> 0)."""

    ACTION = "SetAvatarTransform"
    WIRE = (("position", "position"), ("rotation", "rotation"), ("scale", "scale"))
    position: Vec3 = (0.0, 0.0, 0.0)
    rotation: Quat = (0.0, 0.0, 0.0, 1.0)
    scale: float = 1.0

    def __post_init__(self) -> None:
        self._set("position", check_position("position", self.position))
        self._set("rotation", check_quaternion("rotation", self.rotation))
        self._set("scale", check_positive("scale", self.scale))


@dataclass(frozen=True)
class GetAvatarTransform(Request[r.AvatarTransform]):
    """Read the avatar's transform."""

    ACTION = "GetAvatarTransform"
    RESPONSE = r.AvatarTransform


def _check_behaviour(name: Any) -> Behaviour:
    check_name("behavior", name)
    behaviour = find_behaviour(name)
    if behaviour is None:
        raise ValidationError("behavior", f"unknown override behaviour {name!r}")
    return behaviour


@dataclass(frozen=True)
class SetOverride(Request[r.Ack]):
    """Switch an override behaviour on/off, optionally with parameters.

    ``params`` is keyed by the catalogue's snake_case names (wire spellings are accepted too);
    each is sent under the one wire spelling the catalogue keeps.
    """

    ACTION = "SetOverride"
    behavior: str = ""
    value: bool = False
    params: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        behaviour = _check_behaviour(self.behavior)
        self._set("behavior", behaviour.name)
        check_bool("value", self.value)
        checked: dict[str, float] = {}
        for key, number in self.params.items():
            try:
                param = behaviour.param(key)
            except KeyError:
                raise ValidationError(
                    key, f"{behaviour.name!r} has no parameter {key!r}"
                ) from None
            checked[param.name] = check_float(param.name, number)
        self._set("params", checked)

    def to_wire(self, request_id: str | None = None) -> dict[str, Any]:
        """Return the frame with parameters under their spec spellings."""
        out = super().to_wire(request_id)
        out["behavior"] = self.behavior
        out["value"] = self.value
        behaviour = _check_behaviour(self.behavior)
        for name, number in self.params.items():
            out[behaviour.param(name).wire] = number
        return out

    @classmethod
    def from_wire(cls, msg: Mapping[str, Any]) -> Request[Any]:
        """Parse a SetOverride frame, accepting any catalogued parameter spelling."""
        behaviour = _check_behaviour(msg.get("behavior"))
        if "value" not in msg:
            raise ValidationError("value", "missing (expected key 'value')")
        params: dict[str, Any] = {}
        used = {"action", "id", "behavior", "value"}
        for p in behaviour.params:
            for wire in p.wire_names:
                if wire in msg:
                    params[p.name] = msg[wire]
                    used.add(wire)
                    break
        extra = {k: v for k, v in msg.items() if k not in used}
        return cls(behavior=behaviour.name, value=msg["value"], params=params, extra=extra)


@dataclass(frozen=True)
class GetOverride(Request[r.OverrideState]):
    """Read an override behaviour's state and parameters."""

    ACTION = "GetOverride"
    RESPONSE = r.OverrideState
    WIRE = (("behavior", "behavior"),)
    behavior: str = ""

    def __post_init__(self) -> None:
        self._set("behavior", _check_behaviour(self.behavior).name)


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
