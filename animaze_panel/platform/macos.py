"""macOS global hotkeys: not supported yet without a library (in-app shortcuts are used).

macOS offers no RegisterHotKey-style call to Python without a native helper; pynput (a
dependency on macOS) can listen to the keyboard once the user grants the Accessibility
permission. Until that backend is written and tested on a Mac, this module reports itself
unavailable and the factory falls back to in-app shortcuts, with this reason shown.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from .base import BackendUnavailable, HotkeyBackend


class MacBackend(HotkeyBackend):
    """Placeholder: always unavailable (see the module docstring)."""

    NAME = "macos"
    IS_GLOBAL = True
    DESCRIPTION = "Global hotkeys (macOS)"

    def __init__(self, parent: QObject | None = None) -> None:
        """Raises BackendUnavailable.

        Raises:
            BackendUnavailable: Always, for now.
        """
        super().__init__(parent)
        raise BackendUnavailable("global hotkeys on macOS are not supported yet; "
                                 "shortcuts work while the panel has the focus")
