"""Non-secret Kinetix settings on QSettings: user id, folders, and the process history.

The API key is *not* here: it lives in the OS keyring (:mod:`animaze_panel.secrets`). The
history is kept locally (as the server's process JSON) so it survives restarts and shows even
offline; :meth:`KinetixSettings.merge_history` folds in the server's v2 list.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings

from ...cloud.kinetix_models import Process

log = logging.getLogger(__name__)

HISTORY_LIMIT = 200


class KinetixSettings:
    """Typed accessors over a :class:`QSettings` group ``kinetix``."""

    def __init__(self, settings: QSettings | None = None) -> None:
        """Wrap ``settings`` (the application's default QSettings when ``None``).

        Args:
            settings: Where to persist; tests pass an INI file (see :meth:`at_path`).
        """
        self._settings = settings if settings is not None else QSettings()

    @classmethod
    def at_path(cls, path: Path) -> KinetixSettings:
        """Return settings stored in the INI file ``path``."""
        return cls(QSettings(str(path), QSettings.Format.IniFormat))

    def _get(self, key: str, default: str = "") -> str:
        value = self._settings.value(f"kinetix/{key}", default)
        return value if isinstance(value, str) else default

    def _set(self, key: str, value: str) -> None:
        self._settings.setValue(f"kinetix/{key}", value)
        self._settings.sync()

    @property
    def user_id(self) -> str:
        """The virtual world user id the tokens are made for."""
        return self._get("user_id")

    @user_id.setter
    def user_id(self, value: str) -> None:
        self._set("user_id", value.strip())

    @property
    def download_folder(self) -> str:
        """Last folder emote files were downloaded into."""
        return self._get("download_folder")

    @download_folder.setter
    def download_folder(self, value: str) -> None:
        self._set("download_folder", value)

    @property
    def video_folder(self) -> str:
        """Last folder a video was picked from."""
        return self._get("video_folder")

    @video_folder.setter
    def video_folder(self, value: str) -> None:
        self._set("video_folder", value)

    def history(self) -> list[Process]:
        """Return the remembered processes, newest first (unreadable entries are skipped)."""
        try:
            raw: Any = json.loads(self._get("history", "[]"))
        except ValueError:
            log.warning("Kinetix history in the settings is corrupt; starting afresh")
            return []
        items: list[Process] = []
        for entry in raw if isinstance(raw, list) else []:
            try:
                items.append(Process.from_wire(entry))
            except (KeyError, TypeError, ValueError):
                continue
        return items

    def save_history(self, processes: list[Process]) -> None:
        """Replace the history with ``processes`` (newest first, capped)."""
        data = [p.to_wire() for p in processes[:HISTORY_LIMIT]]
        self._set("history", json.dumps(data))

    def remember(self, process: Process) -> list[Process]:
        """Insert or update one process; keep its name if the update has none.

        Returns:
            The new history.
        """
        return self.merge_history([process])

    def merge_history(self, processes: list[Process]) -> list[Process]:
        """Fold ``processes`` (e.g. the server's list) into the history.

        Server data wins for the fields it has; local names survive when the server has none.

        Returns:
            The new history, newest first.
        """
        by_uuid = {p.uuid: p for p in self.history()}
        for process in processes:
            old = by_uuid.get(process.uuid)
            if old is not None and not process.name and old.name:
                process = Process.from_wire({**process.to_wire(), "name": old.name})
            if old is not None and not process.created_at:
                process = Process.from_wire({**process.to_wire(), "createdAt": old.created_at})
            by_uuid[process.uuid] = process
        merged = sorted(by_uuid.values(), key=lambda p: p.created_at, reverse=True)
        self.save_history(merged)
        return merged[:HISTORY_LIMIT]
