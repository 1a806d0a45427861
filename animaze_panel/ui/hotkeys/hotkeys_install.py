"""install_hotkeys: the one place the hotkeys feature is wired into the main window.

Creates the OS backend (global where possible, in-app shortcuts otherwise), the
:class:`~.hotkeys_service.HotkeyService` on the profile file, the Hotkeys dock and the camera
presets bar. The service reports through the app's message channel (:mod:`..messages`), so
the status bar and the log show its messages without any wiring here. What was built is
returned as a :class:`HotkeysFeature`; nothing is attached to the window.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ...hotkeys.store import ProfileStore
from ...platform.factory import create_backend
from ..session import AnimazeSession
from .hotkeys_service import HotkeyService

if TYPE_CHECKING:
    from ..animaze.camera_presets_bar import CameraPresetsBar
    from ..main_window import MainWindow
    from .hotkeys_dock import HotkeysDock

Closer = Callable[[], Awaitable[object]]


@dataclass(frozen=True)
class HotkeysFeature:
    """The hotkeys feature as installed in a window.

    Attributes:
        service: Profile, OS backend and engine.
        dock: The Hotkeys dock (a tab beside Behaviours).
        presets: The camera presets bar inside the Camera dock.
    """

    service: HotkeyService
    dock: HotkeysDock
    presets: CameraPresetsBar

    async def aclose(self) -> None:
        """Cancel running macros and release every OS registration."""
        await self.service.aclose()


def install_hotkeys(
    window: MainWindow, session: AnimazeSession, *, profile_path: Path | None = None
) -> HotkeysFeature:
    """Add hotkeys, macros and camera presets to ``window``.

    Args:
        window: The main window (its Animaze page's Camera and Behaviours docks).
        session: The Animaze session.
        profile_path: The TOML profile (default: ``hotkeys.toml`` in the config folder).

    Returns:
        What was built; call ``await feature.aclose()`` on quit.
    """
    from PySide6.QtCore import Qt

    from ..animaze.camera_presets_bar import CameraPresetsBar
    from .action_choices import ActionChoices
    from .hotkeys_dock import HotkeysDock

    backend, note = create_backend(window)
    service = HotkeyService(session, backend, ProfileStore(profile_path), backend_note=note,
                            parent=window)
    service.camera = window.camera
    service.load()
    choices = ActionChoices(
        service.session, lambda: [p.name for p in service.profile.presets], parent=service
    )
    dock = HotkeysDock(service, choices, window)
    window.add_dock(dock, Qt.DockWidgetArea.RightDockWidgetArea, tabify_with=window.behaviours)
    window.behaviours.raise_()  # the default layout keeps Behaviours in front
    bar = CameraPresetsBar(service, window.camera, service.session)
    window.camera.add_extension(bar)
    window.hotkeys = dock
    window.camera_presets = bar
    return HotkeysFeature(service, dock, bar)


class HotkeysExtension:
    """A ``build_window`` extension installing hotkeys; :attr:`feature` once it has run."""

    def __init__(
        self, session: AnimazeSession, closers: list[Closer], *,
        profile_path: Path | None = None,
    ) -> None:
        """Remember what to install with; ``feature.aclose`` joins ``closers`` when it runs."""
        self._session = session
        self._closers = closers
        self._profile_path = profile_path
        self.feature: HotkeysFeature | None = None

    def __call__(self, window: MainWindow) -> None:
        """Install the hotkeys in ``window``."""
        self.feature = install_hotkeys(window, self._session, profile_path=self._profile_path)
        self._closers.append(self.feature.aclose)


def hotkeys_extension(
    session: AnimazeSession, closers: list[Closer], *, profile_path: Path | None = None
) -> HotkeysExtension:
    """A ``build_window`` extension installing hotkeys; ``feature.aclose`` joins ``closers``."""
    return HotkeysExtension(session, closers, profile_path=profile_path)
