"""What the control API answers: the panel's state, its catalogue, and a run's outcome.

Frozen dataclasses with ``to_wire()``; the server never sees a widget, only these.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class CloudSession:
    """A live (paid) cloud avatar session the panel holds open."""

    service: str  # "akool" | "kaltura"
    live: bool

    def to_wire(self) -> dict[str, Any]:
        """JSON form (the session id is not exposed: it is the provider's handle)."""
        return {"service": self.service, "live": self.live}


@dataclass(frozen=True)
class PanelState:
    """What a deck needs to show state.

    Attributes:
        connection: ``"connected"``, ``"connecting"`` or ``"disconnected"``.
        avatar: Current avatar's name, if known.
        scene: Current scene's name, if known.
        broadcast: Broadcast as last set by this panel (Animaze has no read-back); ``None``
            until the panel set it.
        speaking: Whether an avatar is speaking (ChatPal speech, a cloud avatar's audio).
        behaviours: Behaviour name -> on/off, for the ones the panel knows.
        hotkeys_enabled: The panel's master hotkey switch.
        cloud: Live cloud avatar sessions.
    """

    connection: str
    avatar: str | None = None
    scene: str | None = None
    broadcast: bool | None = None
    speaking: bool = False
    behaviours: Mapping[str, bool] = field(default_factory=dict)
    hotkeys_enabled: bool = True
    cloud: tuple[CloudSession, ...] = ()

    def to_wire(self) -> dict[str, Any]:
        """JSON form (keys are stable; clients may rely on them)."""
        return {
            "connection": self.connection,
            "avatar": self.avatar,
            "scene": self.scene,
            "broadcast": self.broadcast,
            "speaking": self.speaking,
            "behaviours": dict(sorted(self.behaviours.items())),
            "hotkeys_enabled": self.hotkeys_enabled,
            "cloud": [c.to_wire() for c in self.cloud],
        }


def changes(old: Mapping[str, Any] | None, new: Mapping[str, Any]) -> dict[str, Any]:
    """The top-level keys of ``new`` whose value differs from ``old`` (all of them if no old)."""
    if old is None:
        return dict(new)
    return {k: v for k, v in new.items() if old.get(k, object()) != v}


@dataclass(frozen=True)
class Named:
    """A catalogue entry run by name (avatar, scene, emote, behaviour, preset)."""

    name: str
    label: str = ""

    def to_wire(self) -> dict[str, Any]:
        """``{"name", "label"}`` (label: what a human reads; may equal the name)."""
        return {"name": self.name, "label": self.label or self.name}


@dataclass(frozen=True)
class Indexed:
    """A catalogue entry run by index (special action, pose, idle, quickscene)."""

    index: int
    label: str

    def to_wire(self) -> dict[str, Any]:
        """``{"index", "label"}``."""
        return {"index": self.index, "label": self.label}


@dataclass(frozen=True)
class BindingInfo:
    """A named binding a deck can press."""

    name: str
    keys: str
    does: str
    hold: bool
    macro: bool

    def to_wire(self) -> dict[str, Any]:
        """JSON form."""
        return {"name": self.name, "keys": self.keys, "does": self.does, "hold": self.hold,
                "macro": self.macro}


@dataclass(frozen=True)
class Catalog:
    """Everything that can be run, with names and indices."""

    avatars: tuple[Named, ...] = ()
    scenes: tuple[Named, ...] = ()
    emotes: tuple[Named, ...] = ()
    special_actions: tuple[Indexed, ...] = ()
    poses: tuple[Indexed, ...] = ()
    idles: tuple[Indexed, ...] = ()
    quickscenes: tuple[Indexed, ...] = ()
    behaviours: tuple[Named, ...] = ()
    camera_presets: tuple[Named, ...] = ()
    bindings: tuple[BindingInfo, ...] = ()
    say_targets: tuple[Named, ...] = ()

    def to_wire(self) -> dict[str, Any]:
        """JSON form: one list per kind."""
        return {
            "avatars": [x.to_wire() for x in self.avatars],
            "scenes": [x.to_wire() for x in self.scenes],
            "emotes": [x.to_wire() for x in self.emotes],
            "special_actions": [x.to_wire() for x in self.special_actions],
            "poses": [x.to_wire() for x in self.poses],
            "idles": [x.to_wire() for x in self.idles],
            "quickscenes": [x.to_wire() for x in self.quickscenes],
            "behaviours": [x.to_wire() for x in self.behaviours],
            "camera_presets": [x.to_wire() for x in self.camera_presets],
            "bindings": [x.to_wire() for x in self.bindings],
            "say_targets": [x.to_wire() for x in self.say_targets],
        }


@dataclass(frozen=True)
class RunOutcome:
    """What a run did: ``ran`` is always true (refusals raise); ``detail`` says what."""

    detail: str

    def to_wire(self) -> dict[str, Any]:
        """``{"ok": true, "ran": "<what>"}``."""
        return {"ok": True, "ran": self.detail}
