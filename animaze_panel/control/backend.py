"""What the server needs from the panel: a :class:`ControlBackend` (implemented in ``ui/``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from ..animaze.requests import Request
from ..hotkeys.actions import Action
from .model import Catalog, PanelState, RunOutcome


class ControlBackend(Protocol):
    """The panel as the control API sees it.

    The server runs on one event loop (the panel runs it on its connection's I/O loop, where
    hotkeys run too); :meth:`state` and :meth:`catalog` return immutable snapshots and may be
    called from it, and :meth:`watch` listeners may be called from any thread. Refusals and
    failures are raised as :class:`~.errors.ControlError` subclasses; an action either runs
    once or is refused.
    """

    def state(self) -> PanelState:
        """The current state (cheap: read from the panel's one state model)."""
        ...

    def catalog(self) -> Catalog:
        """What can be run (from the state model; never fetched again per request)."""
        ...

    async def run(self, action: Action) -> RunOutcome:
        """Run one action through the panel's send path, with the hotkeys' cooldowns."""
        ...

    async def press(self, binding: str, *, macro: bool = False) -> RunOutcome:
        """Press a named binding (hold bindings stay held until :meth:`release`).

        Args:
            binding: The binding's name (case-insensitive).
            macro: Run it as a macro action: the binding must be a macro, and it is released
                at once (a deck button that just runs the macro).
        """
        ...

    async def release(self, binding: str) -> RunOutcome:
        """Release a named binding."""
        ...

    async def call(self, request: Request[Any]) -> dict[str, Any]:
        """Send one raw Animaze request over the panel's connection; Animaze's answer (wire).

        Commands (not ``Get…`` reads) meet the same one-off cooldown as :meth:`run`.
        """
        ...

    async def stop_macros(self) -> int:
        """Cancel running macros; how many were cancelled."""
        ...

    def watch(self, listener: Callable[[], None]) -> Callable[[], None]:
        """Call ``listener`` (no arguments) after any state change; returns an unsubscribe."""
        ...
