"""Fixtures for the hotkeys UI tests: a recording backend, a service on a temp profile file.

The backend is a real :class:`HotkeyBackend` subclass that registers nothing with the OS: the
test says when a key goes down or up (:meth:`RecordingBackend.press` /
:meth:`RecordingBackend.release`) and which combinations the "OS" refuses. Everything after the
backend - service, engine, session, client, simulator - is the real thing over loopback.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from animaze_panel.hotkeys.keys import KeyCombo
from animaze_panel.hotkeys.store import ProfileStore
from animaze_panel.platform.base import TAKEN_MESSAGE, HotkeyBackend, RegistrationError
from animaze_panel.ui.hotkeys.hotkeys_service import HotkeyService
from animaze_panel.ui.session import AnimazeSession
from tests.fake_clock import LaneClock


class RecordingBackend(HotkeyBackend):
    """A global-looking backend whose presses come from the test."""

    NAME = "test"
    IS_GLOBAL = True

    def __init__(self, refuse: set[str] | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.refuse = {KeyCombo.parse(text) for text in refuse or set()}
        self.grabs: list[KeyCombo] = []

    def _grab(self, combo: KeyCombo) -> None:
        if combo in self.refuse:
            raise RegistrationError(combo, TAKEN_MESSAGE, taken=True)
        self.grabs.append(combo)

    def _ungrab(self, combo: KeyCombo) -> None:
        pass

    def press(self, keys: str) -> None:
        """The user pressed ``keys`` (only registered combinations reach the app)."""
        combo = KeyCombo.parse(keys)
        if combo in self.registered:
            self._emit_pressed(combo)

    def release(self, keys: str) -> None:
        """The user let go of ``keys``."""
        combo = KeyCombo.parse(keys)
        if combo in self.registered:
            self._emit_released(combo)


@pytest.fixture
def profile_path(tmp_path: Path) -> Path:
    """Where the test's hotkeys.toml lives."""
    return tmp_path / "config" / "hotkeys.toml"


@pytest.fixture
def backend(qapp: QApplication) -> RecordingBackend:
    """A backend refusing Ctrl+Alt+F12 ("taken by another program")."""
    return RecordingBackend({"Ctrl+Alt+F12"})


@pytest.fixture
def clock() -> LaneClock:
    """The engine's clock, moved by the test (macro waits without real sleeping)."""
    return LaneClock()


@pytest_asyncio.fixture
async def service(
    session: AnimazeSession, backend: RecordingBackend, profile_path: Path, clock: LaneClock
) -> AsyncIterator[HotkeyService]:
    """A service on ``profile_path`` (load it after writing the file)."""
    svc = HotkeyService(session, backend, ProfileStore(profile_path), clock=clock)
    clock.lane = svc.lane_loop  # the engine runs on the connection's I/O loop
    yield svc
    await svc.aclose()


def write_profile(path: Path, text: str) -> None:
    """Write a hotkeys.toml."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def emote_binding(keys: str, emote: str, name: str = "") -> str:
    """A ``[[binding]]`` entry triggering ``emote``."""
    label = f'name = "{name}"\n' if name else ""
    return f'[[binding]]\nkeys = "{keys}"\n{label}action = {{ type = "emote", name = "{emote}" }}\n'
