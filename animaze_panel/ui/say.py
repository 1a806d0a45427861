"""One "say" line for every avatar: targets, and the router that sends a line to them.

Each avatar page (Animaze ChatPal, Akool, Kaltura) offers a :class:`SayTarget`; the app
registers them with one :class:`SayRouter`. The toolbar's say box and the hotkey "say" action
send through the router to the chosen target, or to every target that is live::

    router = SayRouter()
    router.register(kaltura_target)
    router.set_choice(ALL_LIVE)
    await router.send("Hello chat!")

A target raises :class:`SayError` (or any exception whose text a user can act on) when it
cannot say the line; the router reports the outcome through :attr:`SayRouter.reported`
(``"info"``/``"error"``, text) and returns it, so the caller can keep what the user typed.
Targets call :meth:`SayRouter.notify_live_changed` when they go on or off air. The app makes
the router in ``app.py`` and hands it to each page's extension (a page built lazily registers a
:class:`DeferredSayTarget` at once); ``window.say_router`` is the same object.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)

ALL_LIVE = "all"
"""The router's choice meaning "every live target"."""
MAX_SAY_SECONDS = 30.0
"""No target may keep the say box waiting longer than this."""


class SayError(Exception):
    """A target could not say the line; ``str()`` says why and what to do."""


@runtime_checkable
class SayTarget(Protocol):
    """An avatar that can say a line of text."""

    key: str
    """Stable identifier (``"chatpal"``, ``"akool"``, ``"kaltura"``)."""
    title: str
    """What the chooser shows (``"Animaze ChatPal"``)."""

    def is_live(self) -> bool:
        """Whether the avatar can speak now (connected / session running)."""
        ...

    async def say(self, text: str) -> None:
        """Make the avatar say ``text``.

        Raises:
            SayError: It could not (the message says why and what to do).
        """
        ...


class DeferredSayTarget:
    """A target whose avatar is built later (a page built when first opened).

    Until ``resolve()`` returns the real target, it is simply not live.
    """

    def __init__(self, key: str, title: str, resolve: Callable[[], SayTarget | None]) -> None:
        """Stand in for the target ``resolve()`` will return once it exists."""
        self.key = key
        self.title = title
        self._resolve = resolve

    def is_live(self) -> bool:
        """Whether the real target exists and is live."""
        target = self._resolve()
        return target is not None and target.is_live()

    async def say(self, text: str) -> None:
        """Say ``text`` through the real target.

        Raises:
            SayError: The page has not been opened yet (so no session runs).
        """
        target = self._resolve()
        if target is None:
            raise SayError(f"the {self.title} page is not open; start a session there first.")
        await target.say(text)


@dataclass(frozen=True)
class SayOutcome:
    """What happened to one line.

    Attributes:
        text: The line.
        said_by: Titles of the targets that took it.
        failures: ``(title, reason)`` of the targets that did not.
    """

    text: str
    said_by: tuple[str, ...]
    failures: tuple[tuple[str, str], ...]

    @property
    def ok(self) -> bool:
        """At least one target took the line and none failed."""
        return bool(self.said_by) and not self.failures

    def describe(self) -> str:
        """One sentence for the message line."""
        parts = []
        if self.said_by:
            parts.append(f"Said by {', '.join(self.said_by)}.")
        for title, reason in self.failures:
            parts.append(f"{title}: {reason}")
        return " ".join(parts) or "Nobody said it."


class SayRouter(QObject):
    """The say targets, the chosen one, and sending a line to it (or to every live one)."""

    targetsChanged = Signal()
    """A target was added or removed, or one went on or off air."""
    choiceChanged = Signal(str)
    """The chosen target key (or :data:`ALL_LIVE`)."""
    reported = Signal(str, str)
    """``(level, text)``: ``"info"`` or ``"error"``, for the app's message line."""

    def __init__(self, parent: QObject | None = None) -> None:
        """Create a router with no targets; the choice starts as "every live one"."""
        super().__init__(parent)
        self._targets: dict[str, SayTarget] = {}
        self._choice = ALL_LIVE

    # ------------------------------------------------------------------ targets

    def register(self, target: SayTarget) -> None:
        """Add ``target`` (replacing one with the same key)."""
        self._targets[target.key] = target
        self.targetsChanged.emit()

    def unregister(self, key: str) -> None:
        """Remove the target ``key`` (the choice falls back to every live one)."""
        if self._targets.pop(key, None) is not None:
            if self._choice == key:
                self.set_choice(ALL_LIVE)
            self.targetsChanged.emit()

    def targets(self) -> list[SayTarget]:
        """Every registered target, in registration order."""
        return list(self._targets.values())

    def target(self, key: str) -> SayTarget | None:
        """The target registered as ``key``."""
        return self._targets.get(key)

    def live_targets(self) -> list[SayTarget]:
        """The targets that are live now."""
        return [t for t in self._targets.values() if _live(t)]

    def notify_live_changed(self) -> None:
        """Targets call this when they go on or off air (the say box updates its chooser)."""
        self.targetsChanged.emit()

    # ------------------------------------------------------------------ choice

    @property
    def choice(self) -> str:
        """The chosen target key, or :data:`ALL_LIVE`."""
        return self._choice

    def set_choice(self, key: str) -> None:
        """Choose a target by key or :data:`ALL_LIVE`.

        Raises:
            KeyError: No target has that key.
        """
        if key != ALL_LIVE and key not in self._targets:
            raise KeyError(key)
        if key != self._choice:
            self._choice = key
            self.choiceChanged.emit(key)

    # ------------------------------------------------------------------ sending

    async def send(self, text: str, key: str | None = None, *, report: bool = True) -> SayOutcome:
        """Send ``text`` to ``key`` (default: the chosen target) or every live target.

        Never raises for a target's failure: the outcome lists it and (with ``report``)
        :attr:`reported` tells the user; callers that report themselves pass ``False``.
        """
        return self._report(await self._send(text, key), report)

    async def _send(self, text: str, key: str | None) -> SayOutcome:
        line = text.strip()
        chosen = self._choice if key is None else key
        if not line:
            return SayOutcome(text, (), (("Say", "Type something to say."),))
        if chosen == ALL_LIVE:
            targets = self.live_targets()
            if not targets:
                return SayOutcome(line, (), (
                    ("Say", "No avatar is live: connect Animaze or start an Akool or Kaltura "
                            "session first."),))
        else:
            target = self._targets.get(chosen)
            if target is None:
                return SayOutcome(line, (), (
                    ("Say", f"There is no {chosen!r} avatar to say it."),))
            if not _live(target):
                return SayOutcome(line, (), (
                    (target.title, "is not live: connect it or start its session first."),))
            targets = [target]
        results = await asyncio.gather(*(self._one(t, line) for t in targets))
        said = tuple(t.title for t, error in zip(targets, results, strict=True) if error is None)
        failures = tuple(
            (t.title, error) for t, error in zip(targets, results, strict=True) if error
        )
        return SayOutcome(line, said, failures)

    async def _one(self, target: SayTarget, text: str) -> str | None:
        try:
            await asyncio.wait_for(target.say(text), MAX_SAY_SECONDS)
        except TimeoutError:
            return f"did not answer within {MAX_SAY_SECONDS:g} s; try again."
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a target's own words for what went wrong
            if not isinstance(exc, SayError):
                log.warning("say via %s failed", target.key, exc_info=True)
            return str(exc) or type(exc).__name__
        return None

    def _report(self, outcome: SayOutcome, report: bool) -> SayOutcome:
        if report:
            self.reported.emit("info" if outcome.ok else "error", outcome.describe())
        return outcome


def _live(target: SayTarget) -> bool:
    try:
        return bool(target.is_live())
    except Exception:  # a broken target is simply not live
        log.exception("is_live of say target %s failed", target.key)
        return False
