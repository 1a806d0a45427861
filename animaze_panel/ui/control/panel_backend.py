"""The panel as the control API sees it: the one send path, the one state model.

The control server runs on the connection's I/O loop - the hotkey lane - not on the GUI loop:
a request from a deck then never waits behind a repaint, exactly like a hotkey. Actions run
through :meth:`HotkeyService.perform` (the hotkeys' road: the same failure wording, the state
model updated from what Animaze accepted); bindings are pressed and released through the hotkey
engine, so cooldowns, held keys and macro overlap rules are the very ones a key press meets.

State and catalogue come from :class:`AnimazeState` (never fetched per request): the GUI thread
rebuilds an immutable snapshot whenever the model changes, and the lane reads the latest one
(swapping a reference is atomic, so no lock is needed).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QObject

from ...animaze import requests as rq
from ...animaze.errors import AnimazeError, describe_error
from ...animaze.observers import ConnectionState
from ...animaze.overrides import BEHAVIOURS
from ...control.errors import ActionFailed, BadRequest, NotFound, Refused, Unavailable
from ...control.model import (
    BindingInfo,
    Catalog,
    CloudSession,
    Indexed,
    Named,
    PanelState,
    RunOutcome,
)
from ...hotkeys import actions as a
from ...hotkeys.bindings import DEFAULT_COOLDOWN, Binding
from ...hotkeys.macro import ActionFailed as HotkeyActionFailed
from ...hotkeys.macro import binding_table
from ..hotkeys.hotkeys_service import HotkeyService
from ..session import AnimazeSession

_CONNECTION = {
    ConnectionState.CONNECTED: "connected",
    ConnectionState.CONNECTING: "connecting",
}


class PanelBackend(QObject):
    """Implements :class:`~animaze_panel.control.backend.ControlBackend` on the panel."""

    def __init__(self, session: AnimazeSession, hotkeys: HotkeyService, *,
                 behaviours: Callable[[], Mapping[str, bool]] | None = None,
                 cloud: Callable[[], tuple[CloudSession, ...]] | None = None,
                 say_targets: Callable[[], tuple[tuple[str, str], ...]] | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 parent: QObject | None = None) -> None:
        """Bind to the running panel.

        Args:
            session: The Animaze session (its ``model`` is the state model).
            hotkeys: The hotkey service (its engine and lane run every action).
            behaviours: Behaviour name -> on, as the panel last knew it.
            cloud: Live cloud avatar sessions.
            say_targets: ``(key, title)`` of the say box's targets.
            clock: Monotonic seconds (cooldowns of one-off actions).
            parent: Qt parent.
        """
        super().__init__(parent)
        self._session = session
        self._hotkeys = hotkeys
        self._behaviours = behaviours or dict
        self._cloud = cloud or tuple
        self._say_targets = say_targets or tuple
        self._clock = clock
        self._speaking = False
        self._last_run: dict[str, float] = {}
        self._listeners: list[Callable[[], None]] = []
        self._bindings: dict[str, Binding] = {}
        self._state = PanelState(connection="disconnected")
        self._catalog = Catalog()
        # A ChatPal line costs two speech events: those, the connection and broadcast touch
        # only the state snapshot; the catalogue is rebuilt when what it lists changed.
        session.stateChanged.connect(self._state_only)
        session.speechStarted.connect(lambda: self._speech(True))
        session.speechEnded.connect(lambda: self._speech(False))
        session.model.changed.connect(self._changed)
        session.model.broadcastChanged.connect(self._state_only)
        hotkeys.profileChanged.connect(self._changed)
        self.refresh()

    # ------------------------------------------------------------------ reads (any thread)

    def state(self) -> PanelState:
        """The latest state snapshot (no request is sent)."""
        return self._state

    def catalog(self) -> Catalog:
        """The latest catalogue snapshot."""
        return self._catalog

    def watch(self, listener: Callable[[], None]) -> Callable[[], None]:
        """Call ``listener`` (on the GUI thread) after any change of the snapshots."""
        self._listeners.append(listener)

        def remove() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return remove

    # ------------------------------------------------------------------ snapshots (GUI thread)

    def _build_state(self) -> PanelState:
        model = self._session.model
        avatar = model.avatar
        scene = model.scene
        return PanelState(
            connection=_CONNECTION.get(self._session.state, "disconnected"),
            avatar=(avatar.friendly_name or avatar.item_name) if avatar else None,
            scene=(scene.friendly_name or scene.item_name) if scene and scene.item_name
            else None,
            broadcast=model.broadcast,
            speaking=self._speaking,
            behaviours=dict(self._behaviours()),
            hotkeys_enabled=self._hotkeys.profile.enabled,
            cloud=self._cloud(),
        )

    def _build_catalog(self) -> Catalog:
        model = self._session.model
        profile = self._hotkeys.profile
        return Catalog(
            avatars=tuple(Named(name) for name in model.avatars),
            scenes=tuple(Named(name) for name in model.scenes),
            emotes=tuple(Named(e.item_name, e.friendly_name) for e in model.emotes),
            special_actions=tuple(Indexed(e.index, e.anim_name) for e in model.special_actions),
            poses=tuple(Indexed(e.index, e.anim_name) for e in model.poses),
            idles=tuple(Indexed(e.index, e.anim_name) for e in model.idles),
            quickscenes=tuple(Indexed(q.index, q.name or f"Slot {q.index}")
                              for q in model.quickscenes),
            behaviours=tuple(Named(b.name) for b in BEHAVIOURS),
            camera_presets=tuple(Named(p.name) for p in profile.presets),
            bindings=tuple(BindingInfo(b.name, str(b.keys), b.label, b.is_hold, b.is_macro)
                           for b in profile.bindings if b.name and b.enabled),
            say_targets=tuple(Named(key, title) for key, title in self._say_targets()),
        )

    def refresh(self) -> None:
        """Rebuild the snapshots now (the GUI thread; also called on every model change)."""
        self._state = self._build_state()
        self._catalog = self._build_catalog()
        self._bindings = {b.name.casefold(): b
                          for b in binding_table(self._hotkeys.profile.bindings).values()
                          if b.name}
        self._announce()

    # ------------------------------------------------------------------ runs

    # The methods below run on the lane (the server's loop).

    async def run(self, action: a.Action) -> RunOutcome:
        """Run one action once, through the hotkeys' road, or refuse it.

        Raises:
            BadRequest/Refused/Unavailable/ActionFailed: see :mod:`animaze_panel.control.errors`.
        """
        if isinstance(action, a.Wait):
            raise BadRequest("a wait is a macro step; run a macro instead",
                             code="invalid_action")
        if action.KIND != "say":  # a line for a cloud avatar needs no Animaze
            self._require_connection()
        self._cool_down(json.dumps(action.to_dict(), sort_keys=True), action.describe())
        try:
            await self._hotkeys.perform(action)
        except HotkeyActionFailed as exc:
            raise ActionFailed(str(exc)) from exc
        return RunOutcome(action.describe())

    async def press(self, binding: str, *, macro: bool = False) -> RunOutcome:
        """Press the binding named ``binding`` (case-insensitive) through the engine."""
        found = self._binding(binding)
        if macro and not found.is_macro:
            raise BadRequest(f"the binding {found.name!r} is not a macro", code="not_a_macro")
        self._require_hotkeys()
        if not self._hotkeys.engine.press(found.keys):
            raise Refused(f"{found.name!r} did not run: it is cooling down, still held, or "
                          "its macro is still running", code="busy",
                          retry_after=found.cooldown or DEFAULT_COOLDOWN)
        if macro:
            self._hotkeys.engine.release(found.keys)
        return RunOutcome(f"pressed {found.name}: {found.label}")

    async def release(self, binding: str) -> RunOutcome:
        """Release the binding named ``binding``."""
        found = self._binding(binding)
        ran = self._hotkeys.engine.release(found.keys)
        return RunOutcome(f"released {found.name}" + (" (release actions ran)" if ran else ""))

    async def call(self, request: rq.Request[Any]) -> dict[str, Any]:
        """Send a raw Animaze request on the lane (``animaze-panel call`` through the panel)."""
        self._require_connection()
        if not request.ACTION.startswith("Get"):
            self._cool_down(json.dumps(request.to_wire(), sort_keys=True), request.ACTION)
        try:
            response = await self._hotkeys.send(request)
        except AnimazeError as exc:
            raise ActionFailed(describe_error(exc, self._session.url)) from exc
        wire: dict[str, Any] = response.to_wire()
        wire.pop("id", None)
        return wire

    async def stop_macros(self) -> int:
        """Cancel running macros."""
        return self._hotkeys.engine.cancel()

    # ------------------------------------------------------------------ helpers

    def _cool_down(self, key: str, what: str) -> None:
        now = self._clock()
        last = self._last_run.get(key)
        if last is not None and now - last < DEFAULT_COOLDOWN:
            raise Refused(f"{what} ran {now - last:.2f} s ago; it has a {DEFAULT_COOLDOWN:g} s "
                          "cooldown, like a hotkey", code="cooldown",
                          retry_after=DEFAULT_COOLDOWN - (now - last))
        self._last_run[key] = now
        if len(self._last_run) > 4096:  # forget old entries: a bounded table
            cutoff = now - DEFAULT_COOLDOWN
            self._last_run = {k: t for k, t in self._last_run.items() if t >= cutoff}

    def _binding(self, name: str) -> Binding:
        found = self._bindings.get(name.strip().casefold())
        if found is not None:
            return found
        raise NotFound(f"no enabled binding named {name!r}; give your binding a name in the "
                       "Hotkeys dock (GET /v1/catalog lists them)")

    def _require_connection(self) -> None:
        if self._state.connection != "connected":
            raise Unavailable(f"the panel is not connected to Animaze at {self._session.url}; "
                              "start Animaze and turn on its API")

    def _require_hotkeys(self) -> None:
        if not self._state.hotkeys_enabled:
            raise Unavailable("hotkeys are switched off in the panel (Hotkeys on)",
                              code="hotkeys_off")

    def _speech(self, on: bool) -> None:
        self._speaking = on
        self._state_only()

    def _state_only(self, *_args: Any) -> None:
        state = self._build_state()
        if state != self._state:
            self._state = state
            self._announce()

    def _changed(self, *_args: Any) -> None:
        self.refresh()

    def _announce(self) -> None:
        for listener in list(self._listeners):
            listener()
