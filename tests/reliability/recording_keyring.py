"""A keyring backend that records every call, usable in-process or in a child process.

A child selects it with ``PYTHON_KEYRING_BACKEND=tests.reliability.recording_keyring.FileRecorder``
(keyring's documented way to choose a backend) and ``RECORDING_KEYRING_FILE=<path>``: each call
appends one line ``<op> <service> <username>`` there (never a password). It stores nothing, so a
run that needed a real key would visibly find none.
"""

from __future__ import annotations

import os

import keyring.backend

FILE_VARIABLE = "RECORDING_KEYRING_FILE"


class FileRecorder(keyring.backend.KeyringBackend):
    """Appends each call to the file named by ``RECORDING_KEYRING_FILE``, and in :attr:`calls`."""

    priority = 1

    def __init__(self) -> None:
        # Named rather than super(): mypy exempts only calls it can name from untyped-call checks.
        keyring.backend.KeyringBackend.__init__(self)
        self.calls: list[tuple[str, str, str]] = []

    def _record(self, op: str, service: str, username: str) -> None:
        self.calls.append((op, service, username))
        path = os.environ.get(FILE_VARIABLE)
        if path:
            with open(path, "a", encoding="utf-8") as out:
                out.write(f"{op} {service} {username}\n")

    def get_password(self, service: str, username: str) -> str | None:
        self._record("get", service, username)
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        self._record("set", service, username)

    def delete_password(self, service: str, username: str) -> None:
        self._record("delete", service, username)
