"""ActionChoices: what the connected Animaze offers, as choices for the hotkey action picker.

Fetched through the session in the background (one GetEmotes, GetSpecialActions, GetPoses,
GetIdleAnims, GetAvatars, GetScenes and GetQuickscenes each, concurrently) when first asked
(the editor opens), then again whenever the connection comes back or the avatar changes
(special actions, poses and idles belong to the avatar). Nothing is fetched at start-up.
While disconnected the lists stay as they were (empty at first) and the picker lets the user
type a name or an index.

Behaviours come from the fixed catalogue in :mod:`animaze_panel.animaze.overrides`; camera
preset names from a callable (the hotkeys profile).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from PySide6.QtCore import QObject, Signal

from ...animaze import requests as rq
from ...animaze.overrides import BEHAVIOURS
from ..session import AnimazeSession

T = TypeVar("T")


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
        """Bind to ``session``; lists are fetched on :meth:`refresh` (then on every connect).

        Args:
            session: The Animaze session.
            presets: Returns the camera preset names (read each time :meth:`choices` runs).
            parent: Qt parent.
        """
        super().__init__(parent)
        self.session = session
        self._presets = presets
        self._lists: dict[str, tuple[Choice, ...]] = {}
        self._task: asyncio.Task[None] | None = None
        self._again = False
        self._loaded = False
        self._wanted = False  # nothing is fetched until the editor first asks
        session.connectedChanged.connect(self._on_connected)
        session.avatarChanged.connect(lambda _name: self._on_connected(session.connected))

    @property
    def loaded(self) -> bool:
        """Whether the lists were fetched from Animaze at least once."""
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
        """Fetch the lists now (no-op while disconnected).

        Returns:
            The running fetch, or ``None`` when disconnected.
        """
        self._wanted = True
        if not self.session.connected:
            return None
        if self._task is not None and not self._task.done():
            self._again = True
            return self._task
        self._task = self.session.spawn(self._fetch())
        return self._task

    def _on_connected(self, connected: bool) -> None:
        if connected and self._wanted:  # keep the lists of an editor in use up to date
            self.refresh()

    async def _fetch(self) -> None:
        s = self.session
        # Seven requests in flight at once; kept as typed futures to read their replies.
        e = asyncio.ensure_future(s.call(rq.GetEmotes()))
        sp = asyncio.ensure_future(s.call(rq.GetSpecialActions()))
        po = asyncio.ensure_future(s.call(rq.GetPoses()))
        idl = asyncio.ensure_future(s.call(rq.GetIdleAnims()))
        av = asyncio.ensure_future(s.call(rq.GetAvatars()))
        sc = asyncio.ensure_future(s.call(rq.GetScenes()))
        qs = asyncio.ensure_future(s.call(rq.GetQuickscenes()))
        await asyncio.gather(e, sp, po, idl, av, sc, qs, return_exceptions=True)
        emotes, specials, poses, idles = _ok(e), _ok(sp), _ok(po), _ok(idl)
        avatars, scenes, slots = _ok(av), _ok(sc), _ok(qs)
        lists = dict(self._lists)
        if emotes is not None:
            lists["emote"] = tuple(
                Choice(_named(e.friendly_name, e.item_name), e.item_name) for e in emotes.emotes
            )
        for kind, reply in (("special_action", specials), ("pose", poses), ("idle", idles)):
            if reply is not None:
                lists[kind] = tuple(Choice(f"{e.index} - {e.anim_name}", e.index)
                                    for e in reply.items)
        if avatars is not None:
            lists["load_avatar"] = tuple(Choice(a, a) for a in avatars.avatars)
        if scenes is not None:
            lists["load_scene"] = tuple(Choice(n, n) for n in scenes.scenes)
        if slots is not None:
            lists["quickscene"] = tuple(
                Choice(f"{q.index} - {q.name}" if q.name else f"{q.index} - slot {q.index}",
                       q.index)
                for q in slots.quickslots
            )
        self._lists = lists
        self._loaded = True
        self._task = None
        self.changed.emit()
        if self._again:
            self._again = False
            self.refresh()


def _ok(future: asyncio.Future[T | None]) -> T | None:
    """A finished call's reply (``None`` if it failed; failures were already reported)."""
    if future.cancelled() or future.exception() is not None:
        return None
    return future.result()


def _named(friendly: str, item: str) -> str:
    return item if not friendly or friendly == item else f"{friendly} ({item})"
