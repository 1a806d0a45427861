"""Secrets (API keys, tokens) in the OS keyring, and a masked :class:`Secret` value type.

Secrets never go to config files, logs, ``repr()`` or exception text. Anything that holds a key
holds a :class:`Secret`, whose ``repr``/``str`` are masked; only :meth:`Secret.reveal` gives the
value, at the exact spot it is sent (an HTTP header).

When the machine has no usable keyring backend (a headless Linux box: ``keyring.backends.fail``
or ``keyring.backends.null``), :class:`SecretStore` raises :class:`SecretStoreUnavailable`; callers
must tell the user that the key cannot be saved, and never fall back to plaintext.

``--demo`` must never read or write the user's real keyring: the app gives every cloud page a
:class:`MemorySecretStore` (same API, values held in memory only, pre-filled with the demo keys)
instead of a :class:`SecretStore`.

Exceptions::

    SecretStoreError
     └── SecretStoreUnavailable   no secure store exists on this system
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, Protocol

import keyring
import keyring.errors

log = logging.getLogger(__name__)

_MASK = "********"
_INSECURE_BACKENDS = ("keyring.backends.fail", "keyring.backends.null")


_MIN_REDACTED = 6
_SEEN: set[str] = set()
"""Every secret value this process has held, so crash reports can blank them out (the values
are in memory anyway while the panel runs; this set never leaves the process)."""


def seen_values() -> frozenset[str]:
    """The secret values this process has held (for redacting crash reports and logs)."""
    return frozenset(_SEEN)


class Secret:
    """A string that does not show itself in ``repr()``, ``str()`` or f-strings."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        """Wrap ``value``.

        Args:
            value: The secret text.
        """
        self._value = value
        if len(value) >= _MIN_REDACTED:
            _SEEN.add(value)

    def reveal(self) -> str:
        """Return the secret text; call it only where the value must leave the process."""
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(("Secret", self._value))

    def __repr__(self) -> str:
        return f"Secret('{_MASK}')"

    def __str__(self) -> str:
        return _MASK

    def __format__(self, spec: str) -> str:
        return _MASK

    def __reduce__(self) -> Any:
        # Pickling would write the value to disk; refuse.
        raise TypeError("Secret values cannot be pickled")


class SecretStoreError(Exception):
    """The secure store failed (the message never contains the secret)."""


class SecretStoreUnavailable(SecretStoreError):
    """No secure credential store exists on this system, so nothing can be saved."""


def _backend_is_insecure(backend: Any) -> bool:
    # ChainerBackend wraps the real backends; it is usable when it has any usable child.
    module = type(backend).__module__
    if module.startswith(_INSECURE_BACKENDS):
        return True
    children = getattr(backend, "backends", None)
    if module.startswith("keyring.backends.chainer") and children is not None:
        return all(_backend_is_insecure(child) for child in children)
    return False


class PasswordBackend(Protocol):
    """The three calls :class:`SecretStore` makes (what a keyring backend offers)."""

    def get_password(self, service: str, username: str) -> str | None:
        """Return the stored password or ``None``."""

    def set_password(self, service: str, username: str, password: str) -> None:
        """Store the password."""

    def delete_password(self, service: str, username: str) -> None:
        """Delete it (``keyring.errors.PasswordDeleteError`` when missing)."""


class SecretStore:
    """Get/set/delete secrets by name under one keyring service."""

    def __init__(self, service: str = "animaze-panel",
                 backend: PasswordBackend | None = None) -> None:
        """Use the keyring ``service`` (one per application).

        Args:
            service: The keyring service name.
            backend: Where the secrets live; ``None`` means the OS keyring (the ``keyring``
                module's current backend).
        """
        self.service = service
        self._backend = backend

    def _store(self) -> PasswordBackend:
        return self._backend if self._backend is not None else keyring.get_keyring()

    def available(self) -> bool:
        """Return whether a secure backend is installed (not ``fail``/``null``)."""
        return not _backend_is_insecure(self._store())

    def _check(self) -> None:
        if not self.available():
            raise SecretStoreUnavailable(
                "No secure credential store (OS keyring) is available on this system; "
                "the key cannot be saved"
            )

    def get(self, name: str) -> Secret | None:
        """Return the secret ``name`` or ``None`` when it is not stored.

        Raises:
            SecretStoreUnavailable: No secure store exists.
            SecretStoreError: The backend failed.
        """
        self._check()
        try:
            value = self._store().get_password(self.service, name)
        except keyring.errors.KeyringError as exc:
            raise SecretStoreError(f"Reading {name!r} from the keyring failed") from exc
        return None if value is None else Secret(value)

    def set(self, name: str, secret: Secret) -> None:
        """Store ``secret`` under ``name``, replacing any previous value.

        Raises:
            SecretStoreUnavailable: No secure store exists (nothing was written anywhere).
            SecretStoreError: The backend failed.
        """
        self._check()
        try:
            self._store().set_password(self.service, name, secret.reveal())
        except keyring.errors.KeyringError as exc:
            raise SecretStoreError(f"Saving {name!r} to the keyring failed") from exc
        log.info("saved secret %r", name)

    def delete(self, name: str) -> None:
        """Delete ``name``; deleting a missing secret is not an error.

        Raises:
            SecretStoreUnavailable: No secure store exists.
            SecretStoreError: The backend failed.
        """
        self._check()
        try:
            self._store().delete_password(self.service, name)
        except keyring.errors.PasswordDeleteError:
            return
        except keyring.errors.KeyringError as exc:
            raise SecretStoreError(f"Deleting {name!r} from the keyring failed") from exc


class _MemoryBackend:
    """Passwords in a dict of this process; nothing is written anywhere."""

    def __init__(self) -> None:
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.passwords.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError(username)


class MemorySecretStore(SecretStore):
    """A :class:`SecretStore` held in memory only (``--demo``): the OS keyring is never used.

    Saving, reading and forgetting work as usual for the session and are gone at exit.
    """

    def __init__(self, values: Mapping[str, str] | None = None,
                 service: str = "animaze-panel-demo") -> None:
        """Start with ``values`` (name -> secret text), e.g. the demo keys of the fake servers."""
        super().__init__(service, backend=_MemoryBackend())
        for name, value in (values or {}).items():
            self.set(name, Secret(value))
