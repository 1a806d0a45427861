"""Windows global hotkeys (RegisterHotKey); written in the next commit."""

from __future__ import annotations

from PySide6.QtCore import QObject

from .base import BackendUnavailable, HotkeyBackend


class WindowsBackend(HotkeyBackend):
    """Placeholder."""

    NAME = "windows"

    def __init__(self, parent: QObject | None = None) -> None:
        """Raises BackendUnavailable.

        Raises:
            BackendUnavailable: Always, for now.
        """
        super().__init__(parent)
        raise BackendUnavailable("not written yet")
