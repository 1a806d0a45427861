"""The engine behind hotkeys: press/release -> runs of steps, with cooldown, hold and overlap.

Pure asyncio (no Qt, no OS): the platform backend calls :meth:`HotkeyEngine.press` and
:meth:`HotkeyEngine.release`; each run is an asyncio task that executes its steps through an
injected ``execute(action, binding)`` coroutine and times :class:`~.actions.Wait` steps with an
injected :class:`Clock`. Waits are measured from the start of the run (deadlines add up), so
the time spent sending a step does not push the later ones back.

Rules:

* auto-repeat: a press of a combination already held is ignored until its release;
* cooldown: presses within ``binding.cooldown`` seconds of the last *fired* one are dropped
  (their releases too, so a mashed hold key does not flood Animaze with release actions);
* overlap (macros): a press while the binding's previous macro is going is dropped
  (``ignore``), cancels and restarts it (``restart``) or runs beside it (``allow``); a single
  action is never held back by its previous one still waiting for Animaze's answer;
* hold: release cancels a still-running press macro, then runs the release steps (after the
  press's own step, so a quick tap still sends press then release, in that order);
* a step that fails (:class:`ActionFailed`) stops its run and is reported once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from .actions import Action, Wait
from .bindings import Binding, Overlap, Steps
from .keys import KeyCombo

log = logging.getLogger(__name__)


class ActionFailed(Exception):
    """A step could not be executed; ``str(exc)`` is the message for the user."""


class Clock(Protocol):
    """Time source of the engine (monotonic seconds)."""

    def now(self) -> float:
        """Current time."""
        ...

    async def sleep_until(self, deadline: float) -> None:
        """Return once :meth:`now` >= ``deadline``."""
        ...


class LoopClock:
    """The running asyncio loop's monotonic clock."""

    def now(self) -> float:
        """``loop.time()``."""
        return asyncio.get_running_loop().time()

    async def sleep_until(self, deadline: float) -> None:
        """Sleep the remaining time (not at all if the deadline passed)."""
        delay = deadline - self.now()
        if delay > 0:
            await asyncio.sleep(delay)


Execute = Callable[[Action, Binding], Awaitable[None]]


def binding_table(bindings: Iterable[Binding]) -> dict[KeyCombo, Binding]:
    """The binding each combination fires: the first enabled one (the others conflict)."""
    table: dict[KeyCombo, Binding] = {}
    for binding in bindings:
        if binding.enabled and binding.keys not in table:
            table[binding.keys] = binding
    return table


@dataclass
class EngineEvents:
    """Optional observers (the Qt service turns them into signals)."""

    fired: Callable[[Binding], None] | None = None
    dropped: Callable[[Binding, str], None] | None = None
    failed: Callable[[Binding, str], None] | None = None
    finished: Callable[[Binding], None] | None = None


class HotkeyEngine:
    """Turns key presses into runs of actions."""

    def __init__(
        self, execute: Execute, clock: Clock | None = None, events: EngineEvents | None = None
    ) -> None:
        """Create an engine with no bindings.

        Args:
            execute: Sends one action; raises :class:`ActionFailed` with a readable message.
            clock: Time source (default: the asyncio loop's).
            events: Observers.
        """
        self._execute = execute
        self.clock: Clock = clock or LoopClock()
        self.events = events or EngineEvents()
        self.enabled = True
        self._bindings: dict[KeyCombo, Binding] = {}
        self._held: set[KeyCombo] = set()
        self._armed: set[KeyCombo] = set()  # held and fired: their release runs
        self._last_fired: dict[KeyCombo, float] = {}
        self._runs: dict[KeyCombo, set[asyncio.Task[None]]] = {}

    # ------------------------------------------------------------------ bindings

    def set_bindings(self, bindings: Iterable[Binding]) -> None:
        """Use these bindings (the first enabled one per combination wins)."""
        table = binding_table(bindings)
        self._bindings = table
        self._held &= set(table)
        self._armed &= set(table)

    @property
    def combos(self) -> list[KeyCombo]:
        """The combinations that have a binding."""
        return list(self._bindings)

    def binding(self, keys: KeyCombo) -> Binding | None:
        """The binding of ``keys``, if any."""
        return self._bindings.get(keys)

    # ------------------------------------------------------------------ keys

    def press(self, keys: KeyCombo) -> bool:
        """Handle a key press.

        Returns:
            Whether a run started.
        """
        binding = self._bindings.get(keys)
        if binding is None or not self.enabled or keys in self._held:
            return False
        self._held.add(keys)
        now = self.clock.now()
        last = self._last_fired.get(keys)
        if last is not None and now - last < binding.cooldown:
            self._drop(binding, f"cooldown ({binding.cooldown:g} s)")
            return False
        running = {t for t in self._runs.get(keys, set()) if not t.done()}
        if running and binding.is_macro:
            if binding.overlap is Overlap.IGNORE:
                self._drop(binding, "its macro is still running")
                return False
            if binding.overlap is Overlap.RESTART:
                for task in running:
                    task.cancel()
        self._last_fired[keys] = now
        self._armed.add(keys)
        if self.events.fired is not None:
            self.events.fired(binding)
        self._start(binding, binding.press)
        return True

    def release(self, keys: KeyCombo) -> bool:
        """Handle a key release.

        Returns:
            Whether a release run started.
        """
        self._held.discard(keys)
        binding = self._bindings.get(keys)
        if binding is None or keys not in self._armed:
            return False
        self._armed.discard(keys)
        if not binding.release or not self.enabled:
            return False
        before = [t for t in self._runs.get(keys, set()) if not t.done()]
        if binding.is_macro:
            for task in before:
                task.cancel()  # the press macro (e.g. a pose sequence) stops on let go
        self._start(binding, binding.release, after=before)
        return True

    def release_all(self) -> None:
        """Forget held keys (focus lost, backend restarted): no release actions run."""
        self._held.clear()
        self._armed.clear()

    # ------------------------------------------------------------------ runs

    def running(self, keys: KeyCombo | None = None) -> bool:
        """Whether a run (of ``keys``, or of any binding) is going."""
        groups = [self._runs.get(keys, set())] if keys is not None else self._runs.values()
        return any(not t.done() for group in groups for t in group)

    def cancel(self, keys: KeyCombo | None = None) -> int:
        """Cancel the runs of ``keys`` (or all runs).

        Returns:
            How many runs were cancelled.
        """
        groups = [self._runs.get(keys, set())] if keys is not None else list(self._runs.values())
        count = 0
        for group in groups:
            for task in group:
                if not task.done():
                    task.cancel()
                    count += 1
        return count

    async def wait_idle(self) -> None:
        """Wait until every run finished (for shutdown and tests)."""
        tasks = [t for group in self._runs.values() for t in group]
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)

    async def aclose(self) -> None:
        """Cancel every run and wait for them."""
        self.cancel()
        await self.wait_idle()

    def _start(
        self, binding: Binding, steps: Steps, after: list[asyncio.Task[None]] | None = None
    ) -> None:
        task = asyncio.ensure_future(self._run(binding, steps, after or []))
        group = self._runs.setdefault(binding.keys, set())
        group.add(task)
        task.add_done_callback(group.discard)

    async def _run(
        self, binding: Binding, steps: Steps, after: list[asyncio.Task[None]]
    ) -> None:
        try:
            if after:  # a release goes out after its press, never before
                await asyncio.gather(*after, return_exceptions=True)
            deadline = self.clock.now()
            for step in steps:
                if isinstance(step, Wait):
                    deadline += step.seconds
                    await self.clock.sleep_until(deadline)
                    continue
                try:
                    await self._execute(step, binding)
                except ActionFailed as exc:
                    log.warning("Hotkey %s: %s", binding.keys, exc)
                    if self.events.failed is not None:
                        self.events.failed(binding, str(exc))
                    return
        finally:
            if self.events.finished is not None:
                self.events.finished(binding)

    def _drop(self, binding: Binding, reason: str) -> None:
        if self.events.dropped is not None:
            self.events.dropped(binding, reason)
