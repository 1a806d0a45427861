"""HotkeyService: the profile, the OS backend and the engine, wired to the Animaze session.

* loads/saves the TOML profile (:class:`~..hotkeys.store.ProfileStore`), reporting bad entries;
* registers the enabled bindings with the backend (all of them released while the master
  switch is off, so the keys work normally in chat and games) and reports refused ones;
* turns backend presses/releases into engine runs; executes each action by sending its typed
  request through the session's client, resolving toggles and camera presets at fire time;
* turns failures into one clear sentence reported through the app's message channel
  (:mod:`..messages`: status bar + log) and :attr:`HotkeyService.message`, e.g. a hotkey whose
  emote no longer exists, never an exception in the GUI;
* sends camera presets applied from the panel through the session (:meth:`apply_preset`),
  and tells the session about everything sent on the lane, so the shared state model (broadcast
  as last set, camera, re-reads after a quickscene) stays the one truth.

**The hotkey lane.** The session's connection is the app's
:class:`~..animaze.io_thread.ThreadedClient`; the engine lives on the client's I/O loop: the
backend hands presses straight to it (:meth:`~..platform.base.HotkeyBackend.route_to`), its
runs send through the inner client there, and only the outcome (``fired``, ``message``, a
preset shown in the Camera dock) is posted back to the GUI thread. A window busy repainting
then delays the feedback, never the emote. Everything this object does to the engine goes
through :meth:`HotkeyService._in_lane`, everything coming back through :meth:`_to_gui`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from PySide6.QtCore import QObject, Signal

from ...animaze import requests as rq
from ...animaze.errors import AnimazeCommandError, AnimazeError, describe_error
from ...animaze.io_thread import ThreadedClient
from ...animaze.link import AnimazeLink
from ...animaze.responses import Response
from ...hotkeys import actions as a
from ...hotkeys.bindings import Binding
from ...hotkeys.conflicts import Conflict, find_conflicts
from ...hotkeys.keys import KeyCombo
from ...hotkeys.macro import ActionFailed, Clock, EngineEvents, HotkeyEngine, binding_table
from ...hotkeys.presets import CameraPresetData
from ...hotkeys.store import Problem, Profile, ProfileStore
from ...platform.base import HotkeyBackend
from .. import messages
from ..say import SayRouter
from ..session import AnimazeSession

log = logging.getLogger(__name__)
R = TypeVar("R", bound=Response)

Vec3 = tuple[float, float, float]
Quat = tuple[float, float, float, float]


class CameraTarget(Protocol):
    """What the service needs of the camera dock (shows + sends a preset)."""

    def apply_camera(self, position: Vec3, rotation: Quat, fov: float) -> None:
        """Show the camera in the controls and send it."""

    def show_camera(self, position: Vec3, rotation: Quat, fov: float) -> None:
        """Show the camera in the controls only (it was sent already)."""


def failure_text(action: a.Action, error: AnimazeError, url: str = "") -> str:
    """Explain why ``action`` failed, naming its target.

    A refusal names what is missing (the emote, the pose...); anything else (not connected,
    no answer) is worded by :func:`~...animaze.errors.describe_error`, as everywhere else.

    Args:
        action: The action that was sent.
        error: What the client raised.
        url: The Animaze address, named in connection errors.
    """
    if not isinstance(error, AnimazeCommandError):
        return describe_error(error, url, reconnects=True)
    said = f" (Animaze said: {error.message})"
    if isinstance(action, a.Emote):
        return f"the emote {action.name!r} is not available any more{said}"
    if isinstance(action, a.SpecialAction | a.Pose | a.Idle):
        return f"the current avatar has no {action.LABEL.lower()} #{action.index}{said}"
    if isinstance(action, a.LoadAvatar):
        return f"there is no avatar {action.name!r} any more{said}"
    if isinstance(action, a.LoadScene):
        return f"there is no scene {action.name!r} any more{said}"
    if isinstance(action, a.Quickscene):
        return f"quickscene slot {action.index} cannot be loaded{said}"
    return f"{action.describe()} failed{said}"


class HotkeyService(QObject):
    """Owns the hotkeys of the running panel."""

    message = Signal(str)  # one readable sentence (also in the status bar + log)
    reported = Signal(object)  # the same as a messages.Message (level + text)
    profileChanged = Signal()  # bindings, presets or the master switch changed
    registrationChanged = Signal()  # what the OS accepted/refused changed
    fired = Signal(object)  # Binding
    runFinished = Signal(object)  # Binding

    def __init__(
        self,
        session: AnimazeSession,
        backend: HotkeyBackend,
        store: ProfileStore,
        *,
        backend_note: str = "",
        clock: Clock | None = None,
        parent: QObject | None = None,
    ) -> None:
        """Wire everything; call :meth:`load` to read the profile and register its keys.

        Args:
            session: The Animaze session.
            backend: The OS hotkey backend (see :func:`~..platform.factory.create_backend`).
            store: Where the profile lives.
            backend_note: Why the backend is the in-app fallback ("" for a global one).
            clock: Engine clock (tests inject a fake one).
            parent: Qt parent.
        """
        super().__init__(parent)
        self.session = session
        self.backend = backend
        self.store = store
        self.backend_note = backend_note
        self.say_router: SayRouter | None = None  # the say box's router (app wiring sets it)
        self.camera: CameraTarget | None = None
        self.profile = Profile()
        self.refused: dict[KeyCombo, str] = {}
        self._table: dict[KeyCombo, Binding] = {}
        self._suspended = False
        link = session.client
        if not isinstance(link, ThreadedClient):
            raise TypeError("hotkeys run on the I/O loop of the app's ThreadedClient")
        self._lane: asyncio.AbstractEventLoop = link.io_loop
        self._lane_client: AnimazeLink = link.inner
        self._home = asyncio.get_running_loop()
        self._post_home = link.post_home  # one mailbox for the link's news and the lane's
        self.engine = HotkeyEngine(
            self._execute,
            clock,
            EngineEvents(
                fired=lambda b: self._to_gui(self.fired.emit, b),
                failed=lambda b, text: self._to_gui(self._on_failed, b, text),
                finished=lambda b: self._to_gui(self.runFinished.emit, b),
            ),
        )
        backend.route_to(self._lane, self.engine.press, self.engine.release)

    @property
    def lane_loop(self) -> asyncio.AbstractEventLoop:
        """The loop the engine runs on (the I/O thread's, not the GUI's)."""
        return self._lane

    def press(self, combo: KeyCombo) -> None:
        """Fire ``combo`` as if its keys were pressed (from the GUI thread)."""
        self._in_lane(self.engine.press, combo)

    def release(self, combo: KeyCombo) -> None:
        """Release ``combo`` as if its keys were let go (from the GUI thread)."""
        self._in_lane(self.engine.release, combo)

    def stop_macros(self, done: Callable[[int], None]) -> None:
        """Cancel every running macro; ``done(count)`` is called on the GUI thread."""

        def cancel() -> None:
            self._to_gui(done, self.engine.cancel())

        self._in_lane(cancel)

    # ------------------------------------------------------------------ profile

    @property
    def problems(self) -> tuple[Problem, ...]:
        """Entries of the file that were skipped (with line numbers)."""
        return self.store.problems

    def load(self) -> None:
        """Read the profile file, report skipped entries and register the keys."""
        try:
            profile = self.store.load()
        except OSError as exc:
            self._say(f"Cannot read the hotkeys file {self.store.path}: {exc}")
            profile = Profile()
        for problem in self.store.problems:
            self._say(f"Hotkeys file {self.store.path.name}, {problem} (entry skipped, kept "
                      "in the file)")
        self._apply(profile)

    def set_profile(self, profile: Profile, *, save: bool = True) -> bool:
        """Use ``profile`` (re-registering keys) and write it to the file.

        Returns:
            Whether it was saved (errors are reported through :attr:`message`).
        """
        self._apply(profile)
        return self.save() if save else True

    def save(self) -> bool:
        """Write the current profile. Returns whether it worked (failures reported)."""
        try:
            self.store.save(self.profile)
        except OSError as exc:
            self._say(f"Cannot save the hotkeys file {self.store.path}: {exc}")
            return False
        return True

    def set_enabled(self, enabled: bool) -> None:
        """The master switch: off releases every key to other programs (and is saved)."""
        if enabled != self.profile.enabled:
            self.set_profile(Profile(enabled, self.profile.bindings, self.profile.presets))

    def conflicts(self) -> list[Conflict]:
        """Conflicts of the current profile, including keys the OS refused."""
        return find_conflicts(self.profile.bindings, taken=self.refused,
                              presets=[p.name for p in self.profile.presets])

    @property
    def suspended(self) -> bool:
        """Whether the keys are released while the editor records a combination."""
        return self._suspended

    def suspend(self, on: bool) -> None:
        """Release every key for a moment (not saved), so the key recorder receives them.

        A global grab would otherwise swallow a combination that is already bound, and
        pressing it in the recorder would fire the hotkey instead of recording it.
        """
        if on != self._suspended:
            self._suspended = on
            self._apply(self.profile)

    def _apply(self, profile: Profile) -> None:
        self.profile = profile
        self._table = binding_table(profile.bindings)
        active = profile.enabled and not self._suspended
        self._in_lane(self._configure_engine, profile.bindings, active)
        wanted = list(self._table) if active else []
        refused = self.backend.sync(wanted)
        if self._suspended:  # nothing asked for: keep what the OS said last time
            refused = self.refused
        for combo, reason in refused.items():
            if self.refused.get(combo) != reason:
                binding = self._table.get(combo)
                label = f" ({binding.label})" if binding else ""
                self._say(f"Hotkey {combo}{label} could not be registered: {reason}")
        self.refused = refused
        self.profileChanged.emit()
        self.registrationChanged.emit()

    def _configure_engine(self, bindings: tuple[Binding, ...], active: bool) -> None:
        self.engine.set_bindings(bindings)
        self.engine.enabled = active
        if not active:
            self.engine.release_all()

    # ------------------------------------------------------------------ presets

    def save_preset(self, preset: CameraPresetData) -> None:
        """Add ``preset``, replacing one of the same name (case-insensitive), and save."""
        key = preset.name.casefold()
        kept = tuple(p for p in self.profile.presets if p.name.casefold() != key)
        self.set_profile(Profile(self.profile.enabled, self.profile.bindings, (*kept, preset)))

    def delete_preset(self, name: str) -> None:
        """Remove a preset by name and save."""
        key = name.casefold()
        kept = tuple(p for p in self.profile.presets if p.name.casefold() != key)
        self.set_profile(Profile(self.profile.enabled, self.profile.bindings, kept))

    async def apply_preset(self, name: str) -> None:
        """Apply a preset now through the session, then show it in the camera dock.

        Raises:
            ActionFailed: No such preset, or Animaze refused a part of it (the caller reports).
        """
        preset = self._preset(name)
        action = a.CameraPreset(name)
        for request in preset.requests():
            try:
                await self.session.send(request)
            except AnimazeError as exc:
                raise ActionFailed(failure_text(action, exc, self.session.url)) from exc
        if self.camera is not None:
            self.camera.show_camera(preset.position, preset.rotation, preset.fov)

    def _preset(self, name: str) -> CameraPresetData:
        preset = self.profile.preset(name)
        if preset is None:
            raise ActionFailed(f"the camera preset {name!r} no longer exists")
        return preset

    async def _fire_preset(self, name: str) -> None:
        """A preset from a hotkey, on the lane: send it all, then show it in the dock."""
        preset = self._preset(name)
        for request in preset.requests():
            await self._send(self._lane_client, request, a.CameraPreset(name))
        if self.camera is not None:
            self._to_gui(self.camera.show_camera, preset.position, preset.rotation, preset.fov)

    # ------------------------------------------------------------------ firing

    async def _execute(self, action: a.Action, binding: Binding) -> None:
        await self.perform(action)

    async def perform(self, action: a.Action) -> None:
        """Run one action as a hotkey step does; await it on the lane (:attr:`lane_loop`).

        The control API's server runs on the lane too, so a deck button takes this road.

        Raises:
            ActionFailed: Animaze refused it or the link is down (readable message).
        """
        # Runs on the lane (the engine's loop): only the lane client, no widgets.
        if isinstance(action, a.Say):
            await self._fire_say(action.message)
            return
        if isinstance(action, a.CameraPreset):
            await self._fire_preset(action.name)
            return
        client = self._lane_client
        request = action.request()
        if request is None and isinstance(action, a.Broadcast):
            # The one truth is the state model (as last set by the panel, toolbar or hotkey);
            # a bool read from the lane is safe, and the send below updates it on the GUI.
            request = rq.Broadcast(not self.session.model.broadcast)
        elif request is None and isinstance(action, a.Behaviour):
            state = await self._send(client, rq.GetOverride(action.name), action)
            request = action.set_request(not state.value)
        if request is None:
            return
        await self._send(client, request, action)

    async def send(self, request: rq.Request[R]) -> R:
        """Send a raw request on the lane, noted in the state model (await it on the lane).

        Raises:
            AnimazeError: Animaze refused it or the link is down.
        """
        self._to_gui(self.session.model.note_sending, request)
        response = await self._lane_client.request(request)
        self._to_gui(self.session.note_sent, request, response)
        return response

    async def _send(
        self, client: AnimazeLink, request: rq.Request[R], action: a.Action
    ) -> R:
        """Send on the lane; the outcome reaches the session (and so the state model)."""
        self._to_gui(self.session.model.note_sending, request)
        try:
            response = await client.request(request)
        except AnimazeError as exc:
            raise ActionFailed(failure_text(action, exc, client.url)) from exc
        self._to_gui(self.session.note_sent, request, response)
        return response

    def _in_lane(self, fn: Callable[..., object], *args: Any) -> None:
        if not self._lane.is_closed():
            self._lane.call_soon_threadsafe(fn, *args)

    def _to_gui(self, fn: Callable[..., object], *args: Any) -> None:
        if not self._home.is_closed():
            self._post_home(fn, *args)  # a burst of results costs one wake-up of the GUI

    def _on_failed(self, binding: Binding, text: str) -> None:
        self._say(f"Hotkey {binding.keys} ({binding.label}): {text}", messages.Level.ERROR)

    def report(self, text: str, level: messages.Level = messages.Level.WARNING) -> None:
        """Report about the hotkeys: the app's message channel and :attr:`message`."""
        self.reported.emit(messages.bridge().show(level, text))
        self.message.emit(text)

    _say = report

    # ------------------------------------------------------------------ lifecycle

    async def aclose(self) -> None:
        """Cancel running macros and release every OS registration."""
        self.backend.close()
        lane = self._lane
        if lane is None:
            await self.engine.aclose()
        elif lane.is_running():
            await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(self.engine.aclose(), lane))

    async def _fire_say(self, text: str) -> None:
        """A say line from a hotkey: the router (and its avatars) live on the GUI loop."""
        router = self.say_router
        if router is None:
            raise ActionFailed("no avatar can be reached from hotkeys (the say box is missing)")
        home = self._home
        if home is None or home is asyncio.get_running_loop():
            outcome = await router.send(text, report=False)
        else:
            future = asyncio.run_coroutine_threadsafe(router.send(text, report=False), home)
            outcome = await asyncio.wrap_future(future)
        if not outcome.ok:
            raise ActionFailed(outcome.describe())
