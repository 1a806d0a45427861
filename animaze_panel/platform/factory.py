"""Pick the hotkey backend for the running system; backends are imported only when chosen.

Order: ``$ANIMAZE_PANEL_HOTKEYS`` (``x11``, ``windows``, ``macos``, ``in-app``) if set, else
the platform's global backend, else in-app shortcuts. When a global backend cannot run, the
reason is returned so the editor can tell the user why hotkeys only work in the panel.
"""

from __future__ import annotations

import logging
import os
import sys

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from .base import BackendUnavailable, HotkeyBackend

log = logging.getLogger(__name__)
ENV_VAR = "ANIMAZE_PANEL_HOTKEYS"


def _global_backend(kind: str, window: QWidget) -> HotkeyBackend:
    if kind == "x11":
        from .x11 import X11Backend

        return X11Backend(window)
    if kind == "windows":
        from .windows import WindowsBackend

        return WindowsBackend(window)
    if kind == "macos":
        from .macos import MacBackend

        return MacBackend(window)
    raise BackendUnavailable(f"unknown hotkey backend {kind!r}")


def platform_kind(*, qt_platform: bool = True) -> tuple[str | None, str]:
    """The global backend this system should use, or ``None`` and the reason there is none.

    Args:
        qt_platform: Let Qt's platform plugin decide too (``False`` for the offscreen
            self-test, which checks the backend the windowed panel would use).
    """
    if sys.platform == "win32":
        return "windows", ""
    if sys.platform == "darwin":
        return "macos", ""
    qpa = ""
    if qt_platform and QGuiApplication.instance() is not None:
        qpa = QGuiApplication.platformName()
    if qpa in ("offscreen", "minimal", "vnc"):
        return None, f"the '{qpa}' Qt platform has no keyboard"
    if qpa.startswith("wayland") or (not qpa and os.environ.get("WAYLAND_DISPLAY")
                                     and not os.environ.get("DISPLAY")):
        return None, ("Wayland does not let apps grab global keys; run the panel with "
                      "QT_QPA_PLATFORM=xcb or bind keys in your desktop's settings")
    if os.environ.get("DISPLAY"):
        return "x11", ""
    return None, "no X display ($DISPLAY is not set)"


def create_backend(window: QWidget, *, qt_platform: bool = True) -> tuple[HotkeyBackend, str]:
    """Create the best backend available.

    Args:
        window: The main window (in-app shortcuts attach to it).
        qt_platform: See :func:`platform_kind`.

    Returns:
        The backend and, when it is the in-app fallback, why no global backend runs ("" else).
    """
    from .fallback import InAppBackend

    forced = os.environ.get(ENV_VAR, "").strip().casefold()
    if forced in ("in-app", "inapp", "fallback"):
        return InAppBackend(window), f"{ENV_VAR}={forced}"
    kind, reason = (forced, "") if forced else platform_kind(qt_platform=qt_platform)
    if kind is not None:
        try:
            return _global_backend(kind, window), ""
        except BackendUnavailable as exc:
            reason = str(exc)
    log.warning("Global hotkeys unavailable (%s); using in-app shortcuts", reason)
    return InAppBackend(window), reason
