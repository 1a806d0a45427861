"""AnimazeState: the panel's one model of what Animaze is - shared by every dock and the hotkeys.

What it holds (each part is a :class:`Part`):

* the catalogue: avatars, scenes, emotes, the current avatar's special actions, poses and idles,
  the quickscene slots;
* what is loaded: the current avatar's info and the current scene's;
* the camera (transform and field of view) and the avatar transform;
* broadcast on/off *as last set by this panel* (Animaze offers no read-back).

**Fetched once per change, not per consumer.** A part is read when a consumer first needs it
(:meth:`AnimazeState.settled`), again when it changes (the ``AvatarChanged`` trigger, a command
the panel sent that changes more than itself - a quickscene load changes scene, camera, avatar
and its transform), and on request (:meth:`AnimazeState.refresh`, "Read from Animaze"). Reads of
one part never overlap: a request while one runs gets exactly one more read afterwards, and
change-driven re-reads are debounced, so a burst of triggers costs one round.

**Outside changes.** Animaze announces only avatar changes, so while connected the cheap parts
(current scene, camera, avatar transform) are polled every :data:`POLL_INTERVAL` seconds, paused
while the user drags a control (:meth:`AnimazeState.hold_polling`). A read that was answered
before a command the panel sent for the same part is dropped (it would undo that command on
screen), and what the panel sets itself (a slider, a camera preset, a hotkey) is recorded from
the command once Animaze accepted it.

:attr:`AnimazeState.changed` carries the :class:`Part` whose value changed. Controls that
send a part ignore it while the user is still moving them.
"""

from __future__ import annotations

import asyncio
import enum
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from ..animaze import requests as rq
from ..animaze.errors import AnimazeError
from ..animaze.responses import AnimEntry, AvatarInfo, CurrentSceneInfo, Emote, Quickslot

if TYPE_CHECKING:
    from .session import AnimazeSession

log = logging.getLogger(__name__)

POLL_INTERVAL = 1.0
"""Seconds between reads of the cheap parts, so outside changes show within two seconds."""
REREAD_DEBOUNCE_MS = 100
"""How long a change-driven re-read waits for more changes (a burst of AvatarChanged)."""

Vec3 = tuple[float, float, float]
Quat = tuple[float, float, float, float]


class Part(enum.Enum):
    """A piece of Animaze's state, read with one request (the camera: two)."""

    AVATARS = "avatars"
    SCENES = "scenes"
    EMOTES = "emotes"
    SPECIAL_ACTIONS = "special_actions"
    POSES = "poses"
    IDLES = "idles"
    QUICKSCENES = "quickscenes"
    AVATAR = "avatar"
    SCENE = "scene"
    CAMERA = "camera"
    AVATAR_TRANSFORM = "avatar_transform"


CATALOGUE = (Part.AVATARS, Part.SCENES, Part.EMOTES, Part.SPECIAL_ACTIONS, Part.POSES,
             Part.IDLES, Part.QUICKSCENES)
AVATAR_PARTS = (Part.AVATAR, Part.SPECIAL_ACTIONS, Part.POSES, Part.IDLES, Part.AVATAR_TRANSFORM)
"""What changes with the avatar."""
POLLED = (Part.SCENE, Part.CAMERA, Part.AVATAR_TRANSFORM)
"""Cheap reads that catch changes made outside the panel."""

_REREAD_AFTER: dict[str, tuple[Part, ...]] = {
    "LoadAvatar": AVATAR_PARTS,
    "LoadScene": (Part.SCENE, Part.CAMERA),
    "LoadQuickscene": (*AVATAR_PARTS, Part.SCENE, Part.CAMERA),
    "SaveQuickscene": (Part.QUICKSCENES,),
}
"""Commands that change more than what they name, and what to read again after them."""
_SETS: dict[str, tuple[Part, ...]] = {
    "SetCameraTransform": (Part.CAMERA,),
    "SetCameraFov": (Part.CAMERA,),
    "SetAvatarTransform": (Part.AVATAR_TRANSFORM,),
    **_REREAD_AFTER,
}
"""Commands whose effect makes a read of these parts that was already under way stale."""


@dataclass(frozen=True)
class Camera:
    """Animaze's render camera: position, rotation quaternion ``(x, y, z, w)``, FOV degrees."""

    position: Vec3
    rotation: Quat
    fov: float


@dataclass(frozen=True)
class Placement:
    """The avatar's transform: position, rotation quaternion, uniform scale."""

    position: Vec3
    rotation: Quat
    scale: float


class _Reader:
    """Runs one part's read; never two at once, and one more when asked during a read."""

    def __init__(self, run: Callable[[bool], Awaitable[None]],
                 spawn: Callable[[Any], asyncio.Task[Any]]) -> None:
        self._run = run
        self._spawn = spawn
        self._task: asyncio.Task[None] | None = None
        self._current: asyncio.Future[None] | None = None
        self._next: asyncio.Future[None] | None = None
        self._next_quiet = True

    @property
    def busy(self) -> bool:
        return self._task is not None and not self._task.done()

    def pending(self) -> asyncio.Future[None] | None:
        """The read that will finish last among those running or queued (``None``: idle)."""
        return self._next or self._current if self.busy else None

    def request(self, *, quiet: bool = False) -> asyncio.Future[None]:
        """A future resolved once a read that starts from now on has finished."""
        loop = asyncio.get_running_loop()
        if self.busy:
            if self._next is None:
                self._next = loop.create_future()
                self._next_quiet = quiet
            self._next_quiet = self._next_quiet and quiet
            return self._next
        self._current = loop.create_future()
        self._task = self._spawn(self._drive(self._current, quiet))
        return self._current

    async def _drive(self, done: asyncio.Future[None], quiet: bool) -> None:
        try:
            while True:
                try:
                    await self._run(quiet)
                finally:
                    if not done.done():
                        done.set_result(None)
                if self._next is None:
                    return
                done, self._next, quiet = self._next, None, self._next_quiet
                self._current = done
        finally:
            for future in (self._current, self._next):
                if future is not None and not future.done():
                    future.cancel()
            self._next = None

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()


class AnimazeState(QObject):
    """What Animaze is, as far as the panel knows; see the module docstring."""

    changed = Signal(object)  # Part whose value changed (read, or set by the panel)
    broadcastChanged = Signal(bool)

    def __init__(self, session: AnimazeSession, parent: QObject | None = None) -> None:
        """Bind to ``session`` (which announces connects, triggers and accepted commands)."""
        super().__init__(parent)
        self._session = session
        self.avatars: tuple[str, ...] = ()
        self.scenes: tuple[str, ...] = ()
        self.emotes: tuple[Emote, ...] = ()
        self.special_actions: tuple[AnimEntry, ...] = ()
        self.poses: tuple[AnimEntry, ...] = ()
        self.idles: tuple[AnimEntry, ...] = ()
        self.quickscenes: tuple[Quickslot, ...] = ()
        self.avatar: AvatarInfo | None = None
        self.scene: CurrentSceneInfo | None = None
        self.camera: Camera | None = None
        self.avatar_transform: Placement | None = None
        self.broadcast = False
        self._loaded: set[Part] = set()
        self._epoch = dict.fromkeys(Part, 0)
        self._readers = {part: _Reader(partial(self._read, part), session.spawn) for part in Part}
        self._scheduled: dict[Part, asyncio.Future[None]] = {}
        self._reread = QTimer(self)
        self._reread.setSingleShot(True)
        self._reread.setInterval(REREAD_DEBOUNCE_MS)
        self._reread.timeout.connect(self._start_scheduled)
        self._poll = QTimer(self)
        self._poll.setInterval(round(POLL_INTERVAL * 1000))
        self._poll.timeout.connect(self.poll)
        self._hold_until = 0.0
        self.polling = True
        session.connectedChanged.connect(self._on_connected)
        session.avatarChanged.connect(lambda _name: self.schedule(*AVATAR_PARTS))

    # ------------------------------------------------------------------ reading

    def loaded(self, part: Part) -> bool:
        """Whether ``part`` was read since the panel (re)connected."""
        return part in self._loaded

    def refresh(self, *parts: Part) -> asyncio.Future[Any]:
        """Read ``parts`` again now (a read already under way is followed by a fresh one).

        Returns:
            A future resolved when every read has finished (failures were reported).
        """
        # Shielded: one consumer giving up must not cancel a read others wait for.
        return asyncio.gather(*(asyncio.shield(self._readers[p].request()) for p in parts))

    def settled(self, *parts: Part) -> asyncio.Future[Any]:
        """Wait for the reads of ``parts`` under way or due; read those never read yet.

        This is what a consumer awaits before showing a part: it costs no request when the
        part is known and nothing changed.
        """
        waits: list[asyncio.Future[Any]] = []
        for part in parts:
            pending = self._scheduled.get(part) or self._readers[part].pending()
            if pending is not None:
                waits.append(pending)
            elif part not in self._loaded and self._session.connected:
                waits.append(self._readers[part].request())
        return asyncio.gather(*(asyncio.shield(w) for w in waits))

    def schedule(self, *parts: Part) -> None:
        """Read ``parts`` again shortly (changes arriving meanwhile share the read)."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # shutting down: nothing will show the answer
            return
        for part in parts:
            if part not in self._scheduled:
                self._scheduled[part] = loop.create_future()
        self._reread.start()

    def poll(self) -> None:
        """Read the cheap parts someone shows, unless the user is dragging a control."""
        if not self._session.connected or time.monotonic() < self._hold_until:
            return
        if not _loop_running():  # Qt delivering a tick while asyncio is not running
            return
        for part in POLLED:
            reader = self._readers[part]
            if part in self._loaded and not reader.busy and part not in self._scheduled:
                reader.request(quiet=True)

    def hold_polling(self, seconds: float = 1.5) -> None:
        """Pause polling for ``seconds`` (a control is being dragged; call on every step)."""
        self._hold_until = max(self._hold_until, time.monotonic() + seconds)

    def set_polling(self, on: bool) -> None:
        """Switch polling of outside changes on or off (on by default; the bench compares)."""
        self.polling = on
        self._on_connected(self._session.connected)

    # ------------------------------------------------------------------ from the session

    def note_sending(self, request: rq.Request[Any]) -> None:
        """A command is about to go out: reads of what it changes are stale from now on."""
        for part in _SETS.get(request.ACTION, ()):
            self._epoch[part] += 1

    def note_sent(self, request: rq.Request[Any]) -> None:
        """Animaze accepted ``request``: record what it set, re-read what it changed."""
        if isinstance(request, rq.Broadcast):
            if request.toggle != self.broadcast:
                self.broadcast = request.toggle
                self.broadcastChanged.emit(request.toggle)
        elif isinstance(request, rq.SetCameraTransform):
            fov = self.camera.fov if self.camera is not None else 60.0
            self._record(Part.CAMERA, Camera(request.position, request.rotation, fov))
        elif isinstance(request, rq.SetCameraFov) and self.camera is not None:
            self._record(Part.CAMERA, replace(self.camera, fov=request.fov))
        elif isinstance(request, rq.SetAvatarTransform):
            self._record(Part.AVATAR_TRANSFORM,
                         Placement(request.position, request.rotation, request.scale))
        parts = _REREAD_AFTER.get(request.ACTION, ())
        if parts:
            self.schedule(*parts)

    # ------------------------------------------------------------------ internals

    def _record(self, part: Part, value: object) -> None:
        if getattr(self, part.value) != value:
            setattr(self, part.value, value)
            self.changed.emit(part)

    def _on_connected(self, connected: bool) -> None:
        if connected and self.polling:
            self._poll.start()
        else:
            self._poll.stop()
        if not connected:
            self._loaded.clear()  # read again on the next connect: Animaze may have changed

    def _start_scheduled(self) -> None:
        if not _loop_running():
            return
        scheduled, self._scheduled = self._scheduled, {}
        for part, waiting in scheduled.items():
            if not self._session.connected:
                waiting.cancel()
                continue
            read = self._readers[part].request()
            read.add_done_callback(partial(_chain, target=waiting))

    async def _read(self, part: Part, quiet: bool) -> None:
        if not _loop_running():
            # Qt ran this task's first step after asyncio stopped (shutting down): no read.
            return
        epoch = self._epoch[part]
        try:
            value = await self._fetch(part)
        except AnimazeError as exc:
            if quiet:  # a failed poll is no news: the next one, or the banner, says more
                log.debug("Reading %s failed: %s", part.value, exc)
            else:
                self._session.report_failure(part.value, exc)
            return
        if self._epoch[part] != epoch:
            return  # answered before a command of ours that changed it: stale
        self._loaded.add(part)
        self._record(part, value)

    async def _fetch(self, part: Part) -> object:
        send = self._session.send
        if part is Part.AVATARS:
            return (await send(rq.GetAvatars())).avatars
        if part is Part.SCENES:
            return (await send(rq.GetScenes())).scenes
        if part is Part.EMOTES:
            return (await send(rq.GetEmotes())).emotes
        if part is Part.SPECIAL_ACTIONS:
            return (await send(rq.GetSpecialActions())).items
        if part is Part.POSES:
            return (await send(rq.GetPoses())).items
        if part is Part.IDLES:
            return (await send(rq.GetIdleAnims())).items
        if part is Part.QUICKSCENES:
            return (await send(rq.GetQuickscenes())).quickslots
        if part is Part.AVATAR:
            info = await send(rq.GetCurrentAvatarInfo())
            return info.avatars[0] if info.avatars else None
        if part is Part.SCENE:
            return await send(rq.GetCurrentSceneInfo())
        if part is Part.CAMERA:
            # One after the other, in this task: no second task to outlive a stopping loop.
            transform = await send(rq.GetCameraTransform())
            fov = await send(rq.GetCameraFov())
            return Camera(transform.position, transform.rotation, fov.fov)
        placed = await send(rq.GetAvatarTransform())
        return Placement(placed.position, placed.rotation, placed.scale)

    def close(self) -> None:
        """Stop polling and every read (the session is closing)."""
        self._poll.stop()
        self._reread.stop()
        for reader in self._readers.values():
            reader.cancel()
        for waiting in self._scheduled.values():
            waiting.cancel()
        self._scheduled.clear()


def _chain(source: asyncio.Future[None], *, target: asyncio.Future[None]) -> None:
    if target.done():
        return
    if source.cancelled():
        target.cancel()
    else:
        target.set_result(None)


def _loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True
