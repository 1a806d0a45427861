"""The simulated Animaze's state and what each of the 29 actions does to it (no I/O).

:meth:`World.handle` takes a typed request (from :func:`~..animaze.requests.parse_request`) and
returns an :class:`Outcome`: the typed response to send, the triggers to broadcast after it and,
for ChatPal, the text the avatar will speak. Failures become :class:`~..animaze.responses.
ErrorReply` with Animaze's wording (``"Avatar not found"``). One world is shared by every
connection, as there is one Animaze; it is only touched from the simulator's event loop.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..animaze import requests as rq
from ..animaze import responses as r
from ..animaze.messages import AvatarChanged, Trigger
from ..animaze.overrides import BEHAVIOURS
from .catalogue import AvatarSpec, Catalogue, SceneSpec
from .chatpal import chatpal_reply
from .icons import IconKind, icon_base64

Vec3 = tuple[float, float, float]
Quat = tuple[float, float, float, float]

DEFAULT_FOV = 60.000003814697266  # what the spec shows: a float32 60 widened to double
DEFAULT_CAMERA: tuple[Vec3, Quat] = ((0.0, 1.7000000476837158, 1.0), (0.0, 0.0, 0.0, 1.0))
QUICKSLOTS = 8
_ON_BY_DEFAULT = frozenset({"Tracked Blinking", "Breathing Behavior", "Idle Intensity"})


class ActionFailed(Exception):
    """An action cannot be carried out; the message is Animaze's error text."""


@dataclass
class OverrideSetting:
    """One behaviour's state on one avatar."""

    value: bool
    params: dict[str, float]


@dataclass
class AvatarPlacement:
    """SetAvatarTransform state of one avatar."""

    position: Vec3 = (0.0, 0.0, 0.0)
    rotation: Quat = (0.0, 0.0, 0.0, 1.0)
    scale: float = 1.0


@dataclass(frozen=True)
class Quickscene:
    """A saved setup: avatar, scene and camera."""

    avatar: str
    scene: str
    camera: tuple[Vec3, Quat]
    fov: float


@dataclass(frozen=True)
class Outcome:
    """What handling one request produced.

    Attributes:
        response: The reply to the requester (sent first).
        triggers: Broadcast to every client after the reply.
        speech: Text ChatPal speaks (the server times the speech events by its length).
    """

    response: r.Response
    triggers: tuple[Trigger, ...] = ()
    speech: str | None = None


@dataclass(frozen=True)
class _Ctx:
    action: str  # as the client spelled it: echoed verbatim
    id: str | None


def default_overrides() -> dict[str, OverrideSetting]:
    """Every behaviour with the catalogue's default parameters."""
    return {
        b.name: OverrideSetting(b.name in _ON_BY_DEFAULT, {p.name: p.default for p in b.params})
        for b in BEHAVIOURS
    }


@dataclass
class World:
    """Everything a client can observe about the simulated Animaze."""

    catalogue: Catalogue
    icon_size: int | None = None
    avatar: AvatarSpec = field(init=False)
    scene: SceneSpec = field(init=False)
    camera: tuple[Vec3, Quat] = DEFAULT_CAMERA
    fov: float = DEFAULT_FOV
    broadcasting: bool = False
    calibrations: int = 0
    emotes_played: list[str] = field(default_factory=list)
    special_action: int | None = None
    pose: int | None = None
    idle: int = 0
    quickslots: list[Quickscene | None] = field(default_factory=list)
    placements: dict[str, AvatarPlacement] = field(default_factory=dict)
    overrides: dict[str, dict[str, OverrideSetting]] = field(default_factory=dict)
    chat_log: list[tuple[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.avatar = self.catalogue.avatars[0]
        self.scene = self.catalogue.scenes[0]
        if not self.quickslots:
            avatars, scenes = self.catalogue.avatars, self.catalogue.scenes
            self.quickslots = [None] * QUICKSLOTS
            for slot, (a, s) in {0: (0, 0), 1: (1, 2), 2: (2, 1), 5: (3, 4)}.items():
                av, sc = avatars[a % len(avatars)], scenes[s % len(scenes)]
                self.quickslots[slot] = Quickscene(av.item_name, sc.item_name, DEFAULT_CAMERA, 45.0)

    # ------------------------------------------------------------------ per-avatar state

    def overrides_of(self, avatar: str | None = None) -> dict[str, OverrideSetting]:
        """The override settings of ``avatar`` (the current one by default)."""
        return self.overrides.setdefault(avatar or self.avatar.item_name, default_overrides())

    def placement_of(self, avatar: str | None = None) -> AvatarPlacement:
        """The transform of ``avatar`` (the current one by default)."""
        return self.placements.setdefault(avatar or self.avatar.item_name, AvatarPlacement())

    def quickslot_image(self, slot: Quickscene) -> str:
        """The base64 PNG thumbnail of a saved quickscene."""
        key = f"{slot.avatar}|{slot.scene}"
        return icon_base64(IconKind.QUICKSCENE, key, pad_to=self.icon_size)

    def load_avatar(self, avatar: AvatarSpec) -> AvatarChanged:
        """Switch avatar (reset its animations) and return the trigger to broadcast."""
        self.avatar = avatar
        self.special_action = self.pose = None
        self.idle = avatar.idles[0].index if avatar.idles else 0
        return AvatarChanged(new_avatar=avatar.item_name)

    # ------------------------------------------------------------------ dispatch

    def handle(self, request: rq.Request[Any], action: str, request_id: str | None) -> Outcome:
        """Carry out one request.

        Args:
            request: The parsed, validated request.
            action: The action as the client spelled it (echoed verbatim).
            request_id: The id to echo, or ``None``.

        Returns:
            The reply and its side effects; failures are an ErrorReply outcome.
        """
        ctx = _Ctx(action, request_id)
        handler = _HANDLERS[type(request)]
        try:
            return handler(self, request, ctx)
        except ActionFailed as exc:
            return Outcome(r.ErrorReply(action=action, id=request_id, error=str(exc)))

    @staticmethod
    def _ack(request: rq.Request[Any], ctx: _Ctx) -> r.Response:
        # "Receive from Animaze: same command": echo the request's fields.
        echoed = {k: v for k, v in request.to_wire().items() if k not in ("action", "id")}
        return r.Ack(action=ctx.action, id=ctx.id, extra=echoed)

    def _load_avatar(self, req: rq.LoadAvatar, ctx: _Ctx) -> Outcome:
        avatar = self.catalogue.avatar(req.name)
        if avatar is None:
            raise ActionFailed("Avatar not found")
        return Outcome(self._ack(req, ctx), (self.load_avatar(avatar),))

    def _load_scene(self, req: rq.LoadScene, ctx: _Ctx) -> Outcome:
        scene = self.catalogue.scene(req.name)
        if scene is None:
            raise ActionFailed("Scene not found")
        self.scene = scene
        return Outcome(self._ack(req, ctx))

    def _get_avatars(self, req: rq.GetAvatars, ctx: _Ctx) -> Outcome:
        names = tuple(a.item_name for a in self.catalogue.avatars)
        return Outcome(r.AvatarList(action=ctx.action, id=ctx.id, avatars=names))

    def _avatar_info(self, req: rq.GetCurrentAvatarInfo, ctx: _Ctx) -> Outcome:
        info = (self.avatar.info(),)  # one avatar: Animaze Rooms would list several
        reply = r.CurrentAvatarInfo(action=ctx.action, id=ctx.id, avatars=info, num_avatars=1)
        return Outcome(reply)

    def _get_scenes(self, req: rq.GetScenes, ctx: _Ctx) -> Outcome:
        names = tuple(s.item_name for s in self.catalogue.scenes)
        return Outcome(r.SceneList(action=ctx.action, id=ctx.id, scenes=names))

    def _scene_info(self, req: rq.GetCurrentSceneInfo, ctx: _Ctx) -> Outcome:
        s = self.scene
        return Outcome(
            r.CurrentSceneInfo(
                action=ctx.action,
                id=ctx.id,
                item_name=s.item_name,
                friendly_name=s.friendly_name,
                description=s.description,
            )
        )

    def _item_icon(self, req: rq.GetItemIcon, ctx: _Ctx) -> Outcome:
        found = self.catalogue.icon_item(req.name)
        if found is None:
            raise ActionFailed("Item not found")
        image = icon_base64(found[0], found[1], pad_to=self.icon_size)
        return Outcome(r.ItemIcon(action=ctx.action, id=ctx.id, image=image))

    def _get_emotes(self, req: rq.GetEmotes, ctx: _Ctx) -> Outcome:
        return Outcome(r.EmoteList(action=ctx.action, id=ctx.id, emotes=self.catalogue.emotes))

    def _trigger_emote(self, req: rq.TriggerEmote, ctx: _Ctx) -> Outcome:
        emote = self.catalogue.emote(req.item_name)
        if emote is None:
            raise ActionFailed("Emote not found")
        self.emotes_played.append(emote.item_name)
        return Outcome(self._ack(req, ctx))

    def _get_specials(self, req: rq.GetSpecialActions, ctx: _Ctx) -> Outcome:
        items = self.avatar.special_actions
        return Outcome(r.SpecialActionList(action=ctx.action, id=ctx.id, items=items))

    def _get_poses(self, req: rq.GetPoses, ctx: _Ctx) -> Outcome:
        return Outcome(r.PoseList(action=ctx.action, id=ctx.id, items=self.avatar.poses))

    def _get_idles(self, req: rq.GetIdleAnims, ctx: _Ctx) -> Outcome:
        return Outcome(r.IdleList(action=ctx.action, id=ctx.id, items=self.avatar.idles))

    @staticmethod
    def _check_index(entries: tuple[r.AnimEntry, ...], index: int, what: str) -> int:
        if all(e.index != index for e in entries):
            raise ActionFailed(f"{what} not found")
        return index

    def _trigger_special(self, req: rq.TriggerSpecialAction, ctx: _Ctx) -> Outcome:
        specials = self.avatar.special_actions
        self.special_action = self._check_index(specials, req.index, "Special action")
        return Outcome(self._ack(req, ctx))

    def _trigger_pose(self, req: rq.TriggerPose, ctx: _Ctx) -> Outcome:
        self.pose = self._check_index(self.avatar.poses, req.index, "Pose")
        return Outcome(self._ack(req, ctx))

    def _trigger_idle(self, req: rq.TriggerIdle, ctx: _Ctx) -> Outcome:
        self.idle = self._check_index(self.avatar.idles, req.index, "Idle animation")
        return Outcome(self._ack(req, ctx))

    def _get_quickscenes(self, req: rq.GetQuickscenes, ctx: _Ctx) -> Outcome:
        slots = tuple(
            r.Quickslot(i, None if s is None else self.quickslot_image(s))
            for i, s in enumerate(self.quickslots)
        )
        return Outcome(r.QuickscenesList(action=ctx.action, id=ctx.id, quickslots=slots))

    def _slot(self, index: int) -> int:
        if index >= len(self.quickslots):
            raise ActionFailed("Quickscene slot not found")
        return index

    def _load_quickscene(self, req: rq.LoadQuickscene, ctx: _Ctx) -> Outcome:
        saved = self.quickslots[self._slot(req.index)]
        if saved is None:
            raise ActionFailed("Quickscene slot is empty")
        avatar, scene = self.catalogue.avatar(saved.avatar), self.catalogue.scene(saved.scene)
        if avatar is None or scene is None:
            raise ActionFailed("Avatar not found" if avatar is None else "Scene not found")
        self.scene, self.camera, self.fov = scene, saved.camera, saved.fov
        changed = avatar is not self.avatar
        triggers = (self.load_avatar(avatar),) if changed else ()
        return Outcome(self._ack(req, ctx), triggers)

    def _save_quickscene(self, req: rq.SaveQuickscene, ctx: _Ctx) -> Outcome:
        self.quickslots[self._slot(req.index)] = Quickscene(
            self.avatar.item_name, self.scene.item_name, self.camera, self.fov
        )
        return Outcome(self._ack(req, ctx))

    def _calibrate(self, req: rq.CalibrateTracker, ctx: _Ctx) -> Outcome:
        self.calibrations += 1
        return Outcome(self._ack(req, ctx))

    def _broadcast(self, req: rq.Broadcast, ctx: _Ctx) -> Outcome:
        self.broadcasting = req.toggle
        return Outcome(self._ack(req, ctx))

    def _set_camera(self, req: rq.SetCameraTransform, ctx: _Ctx) -> Outcome:
        self.camera = (req.position, req.rotation)
        return Outcome(self._ack(req, ctx))

    def _get_camera(self, req: rq.GetCameraTransform, ctx: _Ctx) -> Outcome:
        position, rotation = self.camera
        return Outcome(
            r.CameraTransform(action=ctx.action, id=ctx.id, position=position, rotation=rotation)
        )

    def _set_fov(self, req: rq.SetCameraFov, ctx: _Ctx) -> Outcome:
        self.fov = req.fov
        return Outcome(self._ack(req, ctx))

    def _get_fov(self, req: rq.GetCameraFov, ctx: _Ctx) -> Outcome:
        return Outcome(r.CameraFov(action=ctx.action, id=ctx.id, fov=self.fov))

    def _set_avatar_transform(self, req: rq.SetAvatarTransform, ctx: _Ctx) -> Outcome:
        placement = AvatarPlacement(req.position, req.rotation, req.scale)
        self.placements[self.avatar.item_name] = placement
        return Outcome(self._ack(req, ctx))

    def _get_avatar_transform(self, req: rq.GetAvatarTransform, ctx: _Ctx) -> Outcome:
        p = self.placement_of()
        reply = r.AvatarTransform(
            action=ctx.action, id=ctx.id, position=p.position, rotation=p.rotation, scale=p.scale
        )
        return Outcome(reply)

    def _set_override(self, req: rq.SetOverride, ctx: _Ctx) -> Outcome:
        setting = self.overrides_of()[req.behavior]
        setting.value = req.value
        setting.params.update(req.params)
        return Outcome(self._ack(req, ctx))

    def _get_override(self, req: rq.GetOverride, ctx: _Ctx) -> Outcome:
        setting = self.overrides_of()[req.behavior]
        return Outcome(
            r.OverrideState(
                action=ctx.action,
                id=ctx.id,
                behavior=req.behavior,
                value=setting.value,
                params=dict(setting.params),
            )
        )

    def _chat(self, req: rq.ChatbotSendMessage, ctx: _Ctx) -> Outcome:
        reply = chatpal_reply(req.message, self.avatar.friendly_name)
        self.chat_log.append((req.message, reply))
        return Outcome(r.ChatbotReply(action=ctx.action, id=ctx.id, response=reply), speech=reply)


_HANDLERS: dict[type[rq.Request[Any]], Callable[[World, Any, _Ctx], Outcome]] = {
    rq.LoadAvatar: World._load_avatar,
    rq.LoadScene: World._load_scene,
    rq.GetAvatars: World._get_avatars,
    rq.GetCurrentAvatarInfo: World._avatar_info,
    rq.GetScenes: World._get_scenes,
    rq.GetCurrentSceneInfo: World._scene_info,
    rq.GetItemIcon: World._item_icon,
    rq.GetEmotes: World._get_emotes,
    rq.TriggerEmote: World._trigger_emote,
    rq.GetSpecialActions: World._get_specials,
    rq.TriggerSpecialAction: World._trigger_special,
    rq.GetPoses: World._get_poses,
    rq.TriggerPose: World._trigger_pose,
    rq.GetIdleAnims: World._get_idles,
    rq.TriggerIdle: World._trigger_idle,
    rq.GetQuickscenes: World._get_quickscenes,
    rq.LoadQuickscene: World._load_quickscene,
    rq.SaveQuickscene: World._save_quickscene,
    rq.CalibrateTracker: World._calibrate,
    rq.Broadcast: World._broadcast,
    rq.SetCameraTransform: World._set_camera,
    rq.GetCameraTransform: World._get_camera,
    rq.SetCameraFov: World._set_fov,
    rq.GetCameraFov: World._get_fov,
    rq.SetAvatarTransform: World._set_avatar_transform,
    rq.GetAvatarTransform: World._get_avatar_transform,
    rq.SetOverride: World._set_override,
    rq.GetOverride: World._get_override,
    rq.ChatbotSendMessage: World._chat,
}
assert set(_HANDLERS) == set(rq.REQUEST_TYPES), "every action of the spec has a handler"
