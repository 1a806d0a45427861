"""install_hotkeys: the one place the hotkeys feature is wired into the main window.

Creates the OS backend (global where possible, in-app shortcuts otherwise), the
:class:`~.hotkeys_service.HotkeyService` on the profile file, the Hotkeys dock and the camera
presets bar, and routes the service's messages to the status bar and the log.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ...hotkeys.store import ProfileStore
from ...platform.factory import create_backend
from ..session import AnimazeSession
from .hotkeys_service import HotkeyService


def install_hotkeys(
    window: Any, session: AnimazeSession, *, profile_path: Path | None = None
) -> HotkeyService:
    """Add hotkeys, macros and camera presets to ``window``.

    Args:
        window: The :class:`~.main_window.MainWindow` (``add_dock``, ``camera``, status bar).
        session: The Animaze session.
        profile_path: The TOML profile (default: ``hotkeys.toml`` in the config folder).

    Returns:
        The service; call ``await service.aclose()`` on quit.
    """
    backend, note = create_backend(window)
    service = HotkeyService(session, backend, ProfileStore(profile_path), backend_note=note,
                            parent=window)
    camera = getattr(window, "camera", None)
    if camera is not None:
        service.camera = camera
    service.load()
    _add_ui(window, service, camera)
    return service


def _add_ui(window: Any, service: HotkeyService, camera: Any) -> None:
    """Add the Hotkeys dock (a tab beside Behaviours) and the presets bar in the Camera dock."""
    from PySide6.QtCore import Qt

    from ..animaze.camera_presets_bar import CameraPresetsBar
    from .action_choices import ActionChoices
    from .hotkeys_dock import HotkeysDock

    choices = ActionChoices(
        service.session, lambda: [p.name for p in service.profile.presets], parent=service
    )
    dock = HotkeysDock(service, choices, window)
    behaviours = getattr(window, "behaviours", None)
    window.add_dock(dock, Qt.DockWidgetArea.RightDockWidgetArea, tabify_with=behaviours)
    if behaviours is not None:
        behaviours.raise_()  # the default layout keeps Behaviours in front
    window.hotkeys = dock
    if camera is not None:
        bar = CameraPresetsBar(service, camera, service.session)
        camera.add_extension(bar)
        window.camera_presets = bar


def hotkeys_extension(
    session: AnimazeSession, closers: list[Any], *, profile_path: Path | None = None
) -> Any:
    """A ``build_window`` extension installing hotkeys; ``service.aclose`` joins ``closers``."""

    def extend(window: Any) -> None:
        closers.append(install_hotkeys(window, session, profile_path=profile_path).aclose)

    return extend
