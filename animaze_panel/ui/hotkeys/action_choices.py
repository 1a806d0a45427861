"""ActionChoices: what the connected Animaze offers, as choices for the hotkey action picker.

The lists are the shared :class:`~..animaze_state.AnimazeState`'s catalogue, which the docks
have read already: asking costs no request unless a part was never read (then it is read once,
for every consumer). They follow the state when it changes (a new avatar brings its own special
actions, poses and idles). While disconnected the lists stay as they were (empty at first) and
the picker lets the user type a name or an index.

Behaviours come from the fixed catalogue in :mod:`animaze_panel.animaze.overrides`; camera
preset names from a callable (the hotkeys profile).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from ...animaze.overrides import BEHAVIOURS
from ...animaze.responses import AnimEntry
from ..animaze_state import CATALOGUE, Part
from ..session import AnimazeSession


@dataclass(frozen=True)
class Choice:
    """One entry of a picker list.

    Attributes:
        label: What the user sees, e.g. ``"3 - Wave"`` or ``"Heart Eyes (Emote_HeartEyes)"``.
        value: What the action stores: an item name (str) or an index (int).
    """

    label: str
    value: str | int


NAMED_KINDS = ("emote", "load_avatar", "load_scene", "behaviour", "camera_preset")
INDEXED_KINDS = ("special_action", "pose", "idle", "quickscene")


class ActionChoices(QObject):
    """Lists of emotes, animations, avatars, scenes, quickscenes, behaviours and presets."""

    changed = Signal()  # the lists were (re)loaded

    def __init__(
        self,
        session: AnimazeSession,
        presets: Callable[[], Sequence[str]] = tuple,
        parent: QObject | None = None,
    ) -> None:
        """Bind to ``session``'s state model; lists are built on :meth:`refresh`.

        Args:
            session: The Animaze session (its :attr:`~..session.AnimazeSession.model`).
            presets: Returns the camera preset names (read each time :meth:`choices` runs).
            parent: Qt parent.
        """
        super().__init__(parent)
        self.session = session
        self._presets = presets
        self._lists: dict[str, tuple[Choice, ...]] = {}
        self._task: asyncio.Task[None] | None = None
        self._loaded = False
        self._wanted = False  # nothing is asked for until the editor first opens
        session.model.changed.connect(self._on_model_changed)

    @property
    def loaded(self) -> bool:
        """Whether the lists were read from Animaze at least once."""
        return self._loaded

    def choices(self, kind: str) -> tuple[Choice, ...]:
        """The known values for an action kind (empty if none known; typing still works).

        Args:
            kind: An action ``KIND`` such as ``"emote"`` or ``"pose"``.
        """
        if kind == "behaviour":
            return tuple(Choice(b.name, b.name) for b in BEHAVIOURS)
        if kind == "camera_preset":
            return tuple(Choice(name, name) for name in self._presets())
        return self._lists.get(kind, ())

    def refresh(self) -> asyncio.Task[None] | None:
        """Build the lists from the state, reading parts never read yet (no-op offline).

        Returns:
            The running task, or ``None`` when disconnected.
        """
        self._wanted = True
        if not self.session.connected:
            return None
        if self._task is None or self._task.done():
            self._task = self.session.spawn(self._build())
        return self._task

    def _on_model_changed(self, part: Part) -> None:
        if self._wanted and part in CATALOGUE:
            self._rebuild()

    async def _build(self) -> None:
        await self.session.model.settled(*CATALOGUE)
        self._rebuild()

    def _rebuild(self) -> None:
        model = self.session.model
        lists = dict(self._lists)
        if model.loaded(Part.EMOTES):
            lists["emote"] = tuple(
                Choice(_named(e.friendly_name, e.item_name), e.item_name) for e in model.emotes
            )
        for kind, part in (("special_action", Part.SPECIAL_ACTIONS), ("pose", Part.POSES),
                           ("idle", Part.IDLES)):
            if model.loaded(part):
                entries: tuple[AnimEntry, ...] = getattr(model, part.value)
                lists[kind] = tuple(Choice(f"{e.index} - {e.anim_name}", e.index)
                                    for e in entries)
        if model.loaded(Part.AVATARS):
            lists["load_avatar"] = tuple(Choice(a, a) for a in model.avatars)
        if model.loaded(Part.SCENES):
            lists["load_scene"] = tuple(Choice(n, n) for n in model.scenes)
        if model.loaded(Part.QUICKSCENES):
            lists["quickscene"] = tuple(
                Choice(f"{q.index} - {q.name}" if q.name else f"{q.index} - slot {q.index}",
                       q.index)
                for q in model.quickscenes
            )
        self._lists = lists
        self._loaded = True
        self.changed.emit()


def _named(friendly: str, item: str) -> str:
    return item if not friendly or friendly == item else f"{friendly} ({item})"
