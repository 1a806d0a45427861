"""What a hotkey does: one frozen dataclass per action kind.

Every kind the panel offers is here (``KIND`` is its TOML ``type``). Most map to exactly one
typed request of :mod:`animaze_panel.animaze.requests` via :meth:`Action.request`; four need
the executor to decide at fire time and return ``None``:

* :class:`Broadcast` / :class:`Behaviour` with ``state = "toggle"`` (the executor remembers or
  asks Animaze for the current state and sends the opposite);
* :class:`CameraPreset` (looked up by name in the presets store when fired);
* :class:`Say` (sent through the say box's router to the chosen avatar, not to Animaze alone);
* :class:`Wait` (a pause inside a macro; never sent).

Fields are validated on construction by building the request once, so a bad entry is refused
when the profile is loaded, not when the streamer presses the key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from ..animaze import requests as rq
from ..animaze.errors import ValidationError
from ..animaze.overrides import find_behaviour
from . import fields as f
from .errors import EntryError

STATES = ("on", "off", "toggle")
MAX_WAIT = 600.0
"""Longest pause allowed in a macro, in seconds (a typo like 1500 would look like a hang)."""


@dataclass(frozen=True)
class Action:
    """Base of all actions."""

    KIND: ClassVar[str] = ""
    LABEL: ClassVar[str] = ""

    def request(self) -> rq.Request[Any] | None:
        """The request to send, or ``None`` if the executor decides at fire time."""
        return None

    def describe(self) -> str:
        """A short human description, e.g. ``"Emote Emote_Wave"``."""
        return self.LABEL

    def to_dict(self) -> dict[str, Any]:
        """The TOML table (``type`` first)."""
        return {"type": self.KIND}

    def _validate(self) -> None:
        try:
            self.request()
        except ValidationError as exc:
            raise EntryError(exc.field, exc.reason) from exc


@dataclass(frozen=True)
class Emote(Action):
    """Trigger an emote by item name."""

    KIND = "emote"
    LABEL = "Emote"
    name: str

    def __post_init__(self) -> None:
        self._validate()

    def request(self) -> rq.TriggerEmote:
        return rq.TriggerEmote(self.name)

    def describe(self) -> str:
        return f"Emote {self.name}"

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.KIND, "name": self.name}


@dataclass(frozen=True)
class _Indexed(Action):
    index: int

    def __post_init__(self) -> None:
        self._validate()

    def describe(self) -> str:
        return f"{self.LABEL} #{self.index}"

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.KIND, "index": self.index}


@dataclass(frozen=True)
class SpecialAction(_Indexed):
    """Start a special action of the current avatar."""

    KIND = "special_action"
    LABEL = "Special action"

    def request(self) -> rq.TriggerSpecialAction:
        return rq.TriggerSpecialAction(self.index)


@dataclass(frozen=True)
class Pose(_Indexed):
    """Set a pose of the current avatar."""

    KIND = "pose"
    LABEL = "Pose"

    def request(self) -> rq.TriggerPose:
        return rq.TriggerPose(self.index)


@dataclass(frozen=True)
class Idle(_Indexed):
    """Set the idle animation of the current avatar."""

    KIND = "idle"
    LABEL = "Idle"

    def request(self) -> rq.TriggerIdle:
        return rq.TriggerIdle(self.index)


@dataclass(frozen=True)
class Quickscene(_Indexed):
    """Load a quickscene slot."""

    KIND = "quickscene"
    LABEL = "Quickscene"

    def request(self) -> rq.LoadQuickscene:
        return rq.LoadQuickscene(self.index)


@dataclass(frozen=True)
class LoadAvatar(Action):
    """Load an avatar by name."""

    KIND = "load_avatar"
    LABEL = "Load avatar"
    name: str

    def __post_init__(self) -> None:
        self._validate()

    def request(self) -> rq.LoadAvatar:
        return rq.LoadAvatar(self.name)

    def describe(self) -> str:
        return f"Load avatar {self.name}"

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.KIND, "name": self.name}


@dataclass(frozen=True)
class LoadScene(Action):
    """Load a scene by name."""

    KIND = "load_scene"
    LABEL = "Load scene"
    name: str

    def __post_init__(self) -> None:
        self._validate()

    def request(self) -> rq.LoadScene:
        return rq.LoadScene(self.name)

    def describe(self) -> str:
        return f"Load scene {self.name}"

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.KIND, "name": self.name}


@dataclass(frozen=True)
class Broadcast(Action):
    """Virtual camera broadcast on, off or toggled."""

    KIND = "broadcast"
    LABEL = "Broadcast"
    state: str = "toggle"

    def __post_init__(self) -> None:
        if self.state not in STATES:
            raise EntryError("state", f"must be one of {', '.join(STATES)}, got {self.state!r}")

    def request(self) -> rq.Broadcast | None:
        return None if self.state == "toggle" else rq.Broadcast(self.state == "on")

    def describe(self) -> str:
        return f"Broadcast {self.state}"

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.KIND, "state": self.state}


@dataclass(frozen=True)
class Calibrate(Action):
    """Calibrate the tracker."""

    KIND = "calibrate"
    LABEL = "Calibrate tracker"

    def request(self) -> rq.CalibrateTracker:
        return rq.CalibrateTracker()


@dataclass(frozen=True)
class Behaviour(Action):
    """Switch an override behaviour on, off or toggle it, optionally with parameters."""

    KIND = "behaviour"
    LABEL = "Behaviour"
    name: str
    state: str = "toggle"
    params: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        behaviour = find_behaviour(self.name) if isinstance(self.name, str) else None
        if behaviour is None:
            raise EntryError("name", f"unknown behaviour {self.name!r}")
        object.__setattr__(self, "name", behaviour.name)
        if self.state not in STATES:
            raise EntryError("state", f"must be one of {', '.join(STATES)}, got {self.state!r}")
        try:
            checked = rq.SetOverride(behaviour.name, True, dict(self.params))
        except ValidationError as exc:
            raise EntryError(f"params.{exc.field}", exc.reason) from exc
        object.__setattr__(self, "params", dict(checked.params))

    def set_request(self, value: bool) -> rq.SetOverride:
        """The SetOverride to send for ``value`` (the toggle's resolved state)."""
        return rq.SetOverride(self.name, value, dict(self.params))

    def request(self) -> rq.SetOverride | None:
        return None if self.state == "toggle" else self.set_request(self.state == "on")

    def describe(self) -> str:
        return f"Behaviour {self.name} {self.state}"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.KIND, "name": self.name, "state": self.state}
        if self.params:
            out["params"] = dict(self.params)
        return out


@dataclass(frozen=True)
class ChatPal(Action):
    """Send a ChatPal line (``echo``: the avatar says it verbatim)."""

    KIND = "chatpal"
    LABEL = "ChatPal line"
    message: str
    echo: bool = False

    def __post_init__(self) -> None:
        try:
            self.request()
        except ValidationError as exc:
            raise EntryError("message", exc.reason) from exc

    def request(self) -> rq.ChatbotSendMessage:
        if self.echo:
            return rq.ChatbotSendMessage.echo(self.message)
        return rq.ChatbotSendMessage(self.message)

    def describe(self) -> str:
        short = self.message if len(self.message) <= 30 else self.message[:27] + "..."
        return f"ChatPal {'says' if self.echo else 'prompt'} \u201c{short}\u201d"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.KIND, "message": self.message}
        if self.echo:
            out["echo"] = True
        return out


@dataclass(frozen=True)
class Say(Action):
    """Have the avatar chosen in the say box (or every live one) say a line verbatim."""

    KIND = "say"
    LABEL = "Say (say box target)"
    message: str

    def __post_init__(self) -> None:
        if not isinstance(self.message, str) or not self.message.strip():
            raise EntryError("message", "must not be empty")

    def describe(self) -> str:
        short = self.message if len(self.message) <= 30 else self.message[:27] + "..."
        return f"Say \u201c{short}\u201d"

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.KIND, "message": self.message}


@dataclass(frozen=True)
class CameraPreset(Action):
    """Apply a saved camera preset by name."""

    KIND = "camera_preset"
    LABEL = "Camera preset"
    name: str

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise EntryError("name", "must not be empty")

    def describe(self) -> str:
        return f"Camera preset {self.name}"

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.KIND, "name": self.name}


@dataclass(frozen=True)
class Wait(Action):
    """A pause between macro steps."""

    KIND = "wait"
    LABEL = "Wait"
    seconds: float

    def __post_init__(self) -> None:
        seconds = f.number({"seconds": self.seconds}, "seconds", "", minimum=0.0,
                           maximum=MAX_WAIT)
        object.__setattr__(self, "seconds", seconds)

    def describe(self) -> str:
        return f"Wait {self.seconds:g} s"

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.KIND, "seconds": self.seconds}


ACTION_TYPES: tuple[type[Action], ...] = (
    Emote, SpecialAction, Pose, Idle, LoadAvatar, LoadScene, Quickscene, Broadcast, Calibrate,
    Behaviour, ChatPal, Say, CameraPreset, Wait,
)  # fmt: skip
BY_KIND: dict[str, type[Action]] = {cls.KIND: cls for cls in ACTION_TYPES}


def action_from_dict(data: Any, path: str = "action") -> Action:
    """Build an action from its TOML table.

    Args:
        data: e.g. ``{"type": "emote", "name": "Emote_Wave"}``.
        path: Where the table is, for messages (``"macro[2]"``).

    Raises:
        EntryError: Unknown type, missing/unknown/invalid field (named with ``path``).
    """
    table = f.table(data, path)
    kind = f.text(table, "type", path)
    cls = BY_KIND.get(kind.strip().casefold())
    if cls is None:
        raise EntryError(f.join(path, "type"), f"unknown action type {kind!r} "
                         f"(one of: {', '.join(BY_KIND)})")
    try:
        return _build(cls, table, path)
    except EntryError as exc:
        if exc.field.startswith(path):
            raise
        raise EntryError(f.join(path, exc.field), exc.reason) from exc


def _build(cls: type[Action], t: Mapping[str, Any], path: str) -> Action:
    if cls is Emote or cls is LoadAvatar or cls is LoadScene or cls is CameraPreset:
        f.no_extra(t, ("type", "name"), path)
        return cls(f.text(t, "name", path))
    if issubclass(cls, _Indexed):
        f.no_extra(t, ("type", "index"), path)
        return cls(f.index(t, "index", path))
    if cls is Broadcast:
        f.no_extra(t, ("type", "state"), path)
        return Broadcast(f.choice(t, "state", path, STATES, "toggle"))
    if cls is Calibrate:
        f.no_extra(t, ("type",), path)
        return Calibrate()
    if cls is Behaviour:
        f.no_extra(t, ("type", "name", "state", "params"), path)
        raw = f.table(t.get("params", {}), f.join(path, "params"))
        params = {k: f.number(raw, k, f.join(path, "params")) for k in raw}
        return Behaviour(
            f.text(t, "name", path), f.choice(t, "state", path, STATES, "toggle"), params
        )
    if cls is ChatPal:
        f.no_extra(t, ("type", "message", "echo"), path)
        return ChatPal(f.text(t, "message", path), f.flag(t, "echo", path, False))
    if cls is Say:
        f.no_extra(t, ("type", "message"), path)
        return Say(f.text(t, "message", path))
    f.no_extra(t, ("type", "seconds"), path)
    return Wait(f.number(t, "seconds", path, minimum=0.0, maximum=MAX_WAIT))
