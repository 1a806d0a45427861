"""Typed responses to Animaze actions, plus the error reply.

Every response keeps ``action`` (as Animaze spelled it), the echoed ``id`` (``None`` when
Animaze omitted it, as the spec's examples do for several actions) and ``extra``: every field
this module does not know, kept verbatim rather than rejected, so a newer Animaze never breaks
us. Each class declares its known fields in ``_FIELDS`` as ``(attribute, wire key, reader,
required)``; :meth:`Response.from_wire` and :meth:`Response.to_wire` are driven by that table.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Self

from ._fields import (
    Quat,
    Vec3,
    read_bool,
    read_float,
    read_floats,
    read_int,
    read_object,
    read_str,
    read_str_list,
)
from .errors import ProtocolError
from .overrides import find_behaviour

Reader = Callable[[str, Any], Any]


def _dump(value: Any) -> Any:
    if hasattr(value, "to_wire"):
        return value.to_wire()
    if isinstance(value, tuple):
        return [_dump(v) for v in value]
    return value


@dataclass(frozen=True)
class Emote:
    """One entry of GetEmotes."""

    friendly_name: str
    item_name: str

    @classmethod
    def from_wire(cls, msg: Mapping[str, Any]) -> Self:
        """Parse ``{"friendlyName", "itemName"}`` (friendly name defaults to the item name)."""
        item = read_str("itemName", msg.get("itemName"))
        return cls(read_str("friendlyName", msg.get("friendlyName", item)), item)

    def to_wire(self) -> dict[str, Any]:
        """Return the wire form."""
        return {"friendlyName": self.friendly_name, "itemName": self.item_name}


@dataclass(frozen=True)
class AnimEntry:
    """A special action, pose or idle animation: a display name and its index."""

    anim_name: str
    index: int

    @classmethod
    def from_wire(cls, msg: Mapping[str, Any]) -> Self:
        """Parse ``{"animName", "index"}``."""
        return cls(read_str("animName", msg.get("animName")), read_int("index", msg.get("index")))

    def to_wire(self) -> dict[str, Any]:
        """Return the wire form."""
        return {"animName": self.anim_name, "index": self.index}


@dataclass(frozen=True)
class Quickslot:
    """A quickscene slot. Real Animaze builds send ``image``, ``name`` or both."""

    index: int
    image: str | None = None
    name: str | None = None

    @classmethod
    def from_wire(cls, msg: Mapping[str, Any]) -> Self:
        """Parse ``{"index", "image"?, "name"?}``."""
        image = msg.get("image")
        name = msg.get("name")
        return cls(
            read_int("index", msg.get("index")),
            None if image is None else read_str("image", image),
            None if name is None else read_str("name", name),
        )

    def to_wire(self) -> dict[str, Any]:
        """Return the wire form (absent fields omitted)."""
        out: dict[str, Any] = {"index": self.index}
        if self.image is not None:
            out["image"] = self.image
        if self.name is not None:
            out["name"] = self.name
        return out


@dataclass(frozen=True)
class AvatarInfo:
    """One loaded avatar as described by GetCurrentAvatarInfo."""

    item_name: str
    friendly_name: str = ""
    description: str = ""
    item_type: str = ""
    anim_standard: str = ""
    is_customized: bool = False
    props: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)

    _KEYS: ClassVar[dict[str, str]] = {
        "itemName": "item_name",
        "friendlyName": "friendly_name",
        "description": "description",
        "itemType": "item_type",
        "animStandard": "anim_standard",
    }

    @classmethod
    def from_wire(cls, msg: Mapping[str, Any]) -> Self:
        """Parse one avatar object; unknown keys (``numProps``...) go to ``extra``."""
        kwargs: dict[str, Any] = {}
        for wire, attr in cls._KEYS.items():
            if wire in msg:
                kwargs[attr] = read_str(wire, msg[wire])
        if "itemName" not in kwargs and "item_name" not in kwargs:
            kwargs["item_name"] = kwargs.get("friendly_name", "")
        if "isCustomized" in msg:
            kwargs["is_customized"] = read_bool("isCustomized", msg["isCustomized"])
        if "props" in msg:
            kwargs["props"] = read_str_list("props", msg["props"])
        known = {*cls._KEYS, "isCustomized", "props", "numProps"}
        return cls(**kwargs, extra={k: v for k, v in msg.items() if k not in known})

    def to_wire(self) -> dict[str, Any]:
        """Return the wire form."""
        out = {wire: getattr(self, attr) for wire, attr in self._KEYS.items()}
        out.update(isCustomized=self.is_customized, props=list(self.props))
        out["numProps"] = len(self.props)
        out.update(self.extra)
        return out


def _list_of(item: Any) -> Reader:
    def read(name: str, value: Any) -> tuple[Any, ...]:
        if not isinstance(value, list):
            raise ProtocolError(f"field {name!r} should be a list")
        return tuple(item.from_wire(read_object(f"{name}[{i}]", v)) for i, v in enumerate(value))

    return read


@dataclass(frozen=True, kw_only=True)
class Response:
    """Base of all action responses. A plain echo of the request ("same command") is this class.

    Attributes:
        action: The action name as Animaze sent it.
        id: The echoed request id, or ``None`` when Animaze did not echo one.
        extra: Unknown fields, kept verbatim.
    """

    action: str
    id: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)

    _FIELDS: ClassVar[tuple[tuple[str, str, Reader, bool], ...]] = ()

    @classmethod
    def from_wire(cls, msg: Mapping[str, Any]) -> Self:
        """Build the response from a decoded frame.

        Raises:
            ProtocolError: A known field has the wrong type or a required one is missing.
        """
        action = read_str("action", msg.get("action"))
        rid = msg.get("id")
        kwargs: dict[str, Any] = {}
        for attr, wire, reader, required in cls._FIELDS:
            if wire in msg:
                kwargs[attr] = reader(wire, msg[wire])
            elif required:
                raise ProtocolError(f"{action} response lacks the field {wire!r}")
        known = {"action", "id", *(w for _, w, _, _ in cls._FIELDS)}
        extra = {k: v for k, v in msg.items() if k not in known}
        return cls(action=action, id=None if rid is None else str(rid), extra=extra, **kwargs)

    def to_wire(self) -> dict[str, Any]:
        """Return the frame as a JSON-ready dict (the simulator sends these)."""
        out: dict[str, Any] = {"action": self.action}
        if self.id is not None:
            out["id"] = self.id
        for attr, wire, _, _ in self._FIELDS:
            out[wire] = _dump(getattr(self, attr))
        for key, value in self.extra.items():
            out.setdefault(key, value)
        return out


Ack = Response
"""A response that only echoes the request ("Receive from Animaze: same command")."""


@dataclass(frozen=True, kw_only=True)
class ErrorReply(Response):
    """A response carrying ``"error"``: the action failed in Animaze."""

    error: str
    _FIELDS = (("error", "error", read_str, True),)


@dataclass(frozen=True, kw_only=True)
class AvatarList(Response):
    """GetAvatars: names of the avatars ready to load."""

    avatars: tuple[str, ...] = ()
    _FIELDS = (("avatars", "avatars", read_str_list, True),)


@dataclass(frozen=True, kw_only=True)
class SceneList(Response):
    """GetScenes: names of the scenes ready to load."""

    scenes: tuple[str, ...] = ()
    _FIELDS = (("scenes", "scenes", read_str_list, True),)


@dataclass(frozen=True, kw_only=True)
class CurrentAvatarInfo(Response):
    """GetCurrentAvatarInfo: every loaded avatar (several in Animaze Rooms)."""

    avatars: tuple[AvatarInfo, ...] = ()
    num_avatars: int = 0
    _FIELDS = (
        ("avatars", "avatars", _list_of(AvatarInfo), True),
        ("num_avatars", "numAvatars", read_int, False),
    )


@dataclass(frozen=True, kw_only=True)
class CurrentSceneInfo(Response):
    """GetCurrentSceneInfo."""

    item_name: str = ""
    friendly_name: str = ""
    description: str = ""
    _FIELDS = (
        ("item_name", "itemName", read_str, False),
        ("friendly_name", "friendlyName", read_str, False),
        ("description", "description", read_str, False),
    )


@dataclass(frozen=True, kw_only=True)
class ItemIcon(Response):
    """GetItemIcon: a base64 encoded image file."""

    image: str = ""
    _FIELDS = (("image", "image", read_str, True),)

    def image_bytes(self) -> bytes:
        """Decode the image.

        Raises:
            ProtocolError: The payload is not valid base64.
        """
        try:
            return base64.b64decode(self.image, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ProtocolError("GetItemIcon image is not valid base64") from exc


@dataclass(frozen=True, kw_only=True)
class EmoteList(Response):
    """GetEmotes."""

    emotes: tuple[Emote, ...] = ()
    _FIELDS = (("emotes", "emotes", _list_of(Emote), True),)


@dataclass(frozen=True, kw_only=True)
class SpecialActionList(Response):
    """GetSpecialActions of the current avatar."""

    items: tuple[AnimEntry, ...] = ()
    _FIELDS = (("items", "specialActions", _list_of(AnimEntry), True),)


@dataclass(frozen=True, kw_only=True)
class PoseList(Response):
    """GetPoses of the current avatar."""

    items: tuple[AnimEntry, ...] = ()
    _FIELDS = (("items", "poseList", _list_of(AnimEntry), True),)


@dataclass(frozen=True, kw_only=True)
class IdleList(Response):
    """GetIdleAnims of the current avatar."""

    items: tuple[AnimEntry, ...] = ()
    _FIELDS = (("items", "idleList", _list_of(AnimEntry), True),)


@dataclass(frozen=True, kw_only=True)
class QuickscenesList(Response):
    """GetQuickscenes."""

    quickslots: tuple[Quickslot, ...] = ()
    _FIELDS = (("quickslots", "quickslots", _list_of(Quickslot), True),)


@dataclass(frozen=True, kw_only=True)
class CameraTransform(Response):
    """GetCameraTransform: world-space position and right-handed (OpenGL) quaternion."""

    position: Vec3 = (0.0, 0.0, 0.0)
    rotation: Quat = (0.0, 0.0, 0.0, 1.0)
    _FIELDS = (
        ("position", "position", read_floats(3), True),
        ("rotation", "rotation", read_floats(4), True),
    )


@dataclass(frozen=True, kw_only=True)
class AvatarTransform(Response):
    """GetAvatarTransform."""

    position: Vec3 = (0.0, 0.0, 0.0)
    rotation: Quat = (0.0, 0.0, 0.0, 1.0)
    scale: float = 1.0
    _FIELDS = (
        ("position", "position", read_floats(3), True),
        ("rotation", "rotation", read_floats(4), True),
        ("scale", "scale", read_float, True),
    )


@dataclass(frozen=True, kw_only=True)
class CameraFov(Response):
    """GetCameraFov, in degrees."""

    fov: float = 60.0
    _FIELDS = (("fov", "fov", read_float, True),)


@dataclass(frozen=True, kw_only=True)
class ChatbotReply(Response):
    """ChatbotSendMessage: ChatPal's answer (the echo text with ``-echo``)."""

    response: str = ""
    _FIELDS = (("response", "response", read_str, True),)


@dataclass(frozen=True, kw_only=True)
class OverrideState(Response):
    """GetOverride: whether a behaviour is on and its current parameters.

    ``params`` is keyed by the catalogue's snake_case names; any wire spelling the catalogue
    accepts (``mouthSmoothTme`` or ``mouthSmoothTime``) is read.
    """

    behavior: str = ""
    value: bool = False
    params: Mapping[str, float] = field(default_factory=dict)

    @classmethod
    def from_wire(cls, msg: Mapping[str, Any]) -> Self:
        """Parse the frame, mapping parameter spellings through the catalogue."""
        action = read_str("action", msg.get("action"))
        behavior = read_str("behavior", msg.get("behavior", ""))
        if "value" not in msg:
            raise ProtocolError(f"{action} response lacks the field 'value'")
        value = read_bool("value", msg["value"])
        catalogued = find_behaviour(behavior)
        params: dict[str, float] = {}
        used = {"action", "id", "behavior", "value"}
        for p in catalogued.params if catalogued else ():
            for wire in p.wire_names:
                if wire in msg:
                    params[p.name] = read_float(wire, msg[wire])
                    used.add(wire)
                    break
        rid = msg.get("id")
        extra = {k: v for k, v in msg.items() if k not in used}
        return cls(
            action=action,
            id=None if rid is None else str(rid),
            extra=extra,
            behavior=behavior,
            value=value,
            params=params,
        )

    def to_wire(self) -> dict[str, Any]:
        """Return the frame with each parameter under the spelling the spec uses."""
        out = Response.to_wire(self)
        out.update(behavior=self.behavior, value=self.value)
        catalogued = find_behaviour(self.behavior)
        wire = {p.name: p.wire for p in catalogued.params} if catalogued else {}
        for name, number in self.params.items():
            out[wire.get(name, name)] = number  # a parameter the catalogue lacks: as named
        return out

