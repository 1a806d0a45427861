"""The hotkey backend interface: register key combinations with the OS, report presses.

Every backend is a ``QObject`` created on the GUI thread (registration happens there).
Presses and releases go one way: :meth:`HotkeyBackend.route_to` gives the backend an asyncio
loop and two callbacks, and every press and release is handed to that loop (the hotkey lane:
the loop that owns the Animaze socket). The base class hops from the thread that saw the
event; a backend that can read OS events on the loop itself (X11) does so, so a repainting
window cannot delay a hotkey. Until a route is set, key events are dropped.

The rule every backend keeps: **a held key is one press and one release**. OS auto-repeat
(X11's repeated press events, Windows' repeated ``WM_HOTKEY`` / key-down messages, macOS's
repeated key-down events) never reaches the route; :meth:`HotkeyBackend._emit_pressed` also
drops a press of a combination already down, as a last line of defence. Exceptions::

    HotkeyBackendError
    +-- BackendUnavailable     the backend cannot run here (no X display, no library...)
    +-- RegistrationError      the OS refused one combination (``taken``: another program has it)
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from PySide6.QtCore import QObject

from ..hotkeys.keys import KeyCombo

TAKEN_MESSAGE = "taken by another program"


class HotkeyBackendError(Exception):
    """Base of the backend errors."""


class BackendUnavailable(HotkeyBackendError):
    """The backend cannot run on this system; the message says why."""


class RegistrationError(HotkeyBackendError):
    """The OS refused a combination.

    Attributes:
        combo: The combination.
        reason: Why, for the user (e.g. ``"taken by another program"``).
        taken: Whether another program holds it.
    """

    def __init__(self, combo: KeyCombo, reason: str, *, taken: bool = False) -> None:
        super().__init__(f"{combo}: {reason}")
        self.combo = combo
        self.reason = reason
        self.taken = taken


KeySink = Callable[[KeyCombo], object]


@dataclass(frozen=True)
class Route:
    """Where presses and releases go.

    Attributes:
        loop: The asyncio loop the callbacks run on.
        on_press: Called with the combination on a press.
        on_release: Called with the combination on a release.
    """

    loop: asyncio.AbstractEventLoop
    on_press: KeySink
    on_release: KeySink

    def deliver(self, sink: KeySink, combo: KeyCombo) -> None:
        """Call ``sink(combo)`` on :attr:`loop`: at once when already there, else queued."""
        try:
            here = asyncio.get_running_loop()
        except RuntimeError:
            here = None
        if here is self.loop:
            sink(combo)
        elif not self.loop.is_closed():
            self.loop.call_soon_threadsafe(sink, combo)


class HotkeyBackend(QObject):
    """Base class: subclasses implement :meth:`_grab`, :meth:`_ungrab` (and may override close)."""

    NAME = "none"
    IS_GLOBAL = False
    SUPPORTS_RELEASE = True
    DESCRIPTION = ""

    def __init__(self, parent: QObject | None = None) -> None:
        """Create the backend with nothing registered."""
        super().__init__(parent)
        self._registered: set[KeyCombo] = set()
        self._route: Route | None = None
        self._down_combos: set[KeyCombo] = set()

    def route_to(
        self, loop: asyncio.AbstractEventLoop, on_press: KeySink, on_release: KeySink
    ) -> None:
        """Hand every press/release to ``on_press``/``on_release`` on ``loop`` from now on.

        Call it once, before registering combinations.

        Args:
            loop: The loop to run the callbacks on (may belong to another thread).
            on_press: Receives pressed combinations.
            on_release: Receives released combinations.
        """
        self._route = Route(loop, on_press, on_release)
        self._start_route(self._route)

    def _start_route(self, route: Route) -> None:
        """Hook for backends that read their events on ``route.loop`` themselves."""

    def _emit_pressed(self, combo: KeyCombo) -> None:
        """Report a press (subclasses call this, from the one thread that reads OS events).

        A press of a combination already down (an auto-repeat that got through) is dropped.
        """
        route = self._route
        if route is None or combo in self._down_combos:
            return
        self._down_combos.add(combo)
        route.deliver(route.on_press, combo)

    def _emit_released(self, combo: KeyCombo) -> None:
        """Report a release (only of a combination whose press was reported)."""
        route = self._route
        if route is None or combo not in self._down_combos:
            return
        self._down_combos.discard(combo)
        route.deliver(route.on_release, combo)

    @property
    def registered(self) -> frozenset[KeyCombo]:
        """The combinations currently registered."""
        return frozenset(self._registered)

    def register(self, combo: KeyCombo) -> None:
        """Register ``combo`` (no-op if it already is).

        Raises:
            RegistrationError: The OS refused it.
        """
        if combo in self._registered:
            return
        self._grab(combo)
        self._registered.add(combo)

    def unregister(self, combo: KeyCombo) -> None:
        """Unregister ``combo`` (no-op if it is not registered)."""
        if combo in self._registered:
            self._registered.discard(combo)
            self._down_combos.discard(combo)  # its release may never be seen now
            self._ungrab(combo)

    def sync(self, combos: Iterable[KeyCombo]) -> dict[KeyCombo, str]:
        """Register exactly ``combos``: drop the others, add the new ones.

        Returns:
            The combinations the OS refused, with the reason for the user.
        """
        wanted = set(combos)
        for combo in self._registered - wanted:
            self.unregister(combo)
        refused: dict[KeyCombo, str] = {}
        for combo in sorted(wanted - self._registered, key=KeyCombo.sort_key):
            try:
                self.register(combo)
            except RegistrationError as exc:
                refused[combo] = exc.reason
        return refused

    def close(self) -> None:
        """Unregister everything and release OS resources. Idempotent."""
        for combo in list(self._registered):
            self.unregister(combo)

    def _grab(self, combo: KeyCombo) -> None:
        raise NotImplementedError

    def _ungrab(self, combo: KeyCombo) -> None:
        raise NotImplementedError
