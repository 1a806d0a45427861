"""Where a running panel's control API can be found: a small JSON file, no secrets in it.

The panel writes ``{"url": ..., "pid": ...}`` (atomically) while its API is on and removes it
when it stops; ``animaze-panel call`` reads it, checks the process is alive and takes the token
from the OS keyring. A stale file (a crashed panel) is ignored.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TOKEN_NAME = "control-api-token"
"""The keyring entry (in the panel's keyring service) holding the API token."""


@dataclass(frozen=True)
class Endpoint:
    """A running panel's API."""

    url: str
    pid: int

    def to_wire(self) -> dict[str, Any]:
        """JSON form."""
        return {"url": self.url, "pid": self.pid}

    @classmethod
    def from_wire(cls, data: Any) -> Endpoint:
        """Parse; raises ``ValueError`` on anything unexpected."""
        if not isinstance(data, dict):
            raise ValueError("not an object")
        url, pid = data.get("url"), data.get("pid")
        if not isinstance(url, str) or not url.startswith("http") or not isinstance(pid, int):
            raise ValueError("bad url or pid")
        return cls(url, pid)


def default_path() -> Path:
    """``control-api.json`` in the app's platformdirs state folder."""
    from platformdirs import user_state_dir

    return Path(user_state_dir("animaze-panel", appauthor=False)) / "control-api.json"


def publish(endpoint: Endpoint, path: Path | None = None) -> Path:
    """Write the endpoint file atomically (a reader never sees half a file)."""
    target = path or default_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".control-api-", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(endpoint.to_wire(), out)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def withdraw(path: Path | None = None, pid: int | None = None) -> None:
    """Remove the endpoint file if it is ours (``pid``; default this process)."""
    target = path or default_path()
    found = read(target, check_alive=False)
    if found is not None and found.pid == (pid if pid is not None else os.getpid()):
        target.unlink(missing_ok=True)


def read(path: Path | None = None, *, check_alive: bool = True) -> Endpoint | None:
    """The published endpoint, or ``None`` (no file, unreadable, or its process is gone)."""
    target = path or default_path()
    try:
        endpoint = Endpoint.from_wire(json.loads(target.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return None
    if check_alive and not _alive(endpoint.pid):
        return None
    return endpoint


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if os.name == "nt":  # os.kill(pid, 0) would terminate the process on Windows
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        kernel32.CloseHandle(handle)
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
