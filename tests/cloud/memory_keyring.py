"""An in-memory keyring backend for tests (headless machines have no real one)."""

from __future__ import annotations

import keyring
import keyring.backend
import keyring.errors


class MemoryKeyring(keyring.backend.KeyringBackend):
    """Stores passwords in a dict; priority is irrelevant since tests install it explicitly."""

    priority = 1

    def __init__(self) -> None:
        # Named rather than super(): mypy exempts only calls it can name from untyped-call checks.
        keyring.backend.KeyringBackend.__init__(self)
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.passwords.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError(username)


def install() -> tuple[MemoryKeyring, keyring.backend.KeyringBackend]:
    """Install a fresh :class:`MemoryKeyring`; return it and the previous backend."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    return backend, previous
