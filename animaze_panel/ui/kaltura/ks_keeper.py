"""KsKeeper: the Kaltura Session (KS) in the OS keyring, with errors in words.

The KS is a secret that stays with the controlling side (the quick start's whole point): it is
saved to the keyring only after Kaltura accepted it, read back from there, and never written
anywhere else. Without a secure store the KS is used for the running session only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from ...secrets import Secret, SecretStoreError

KS_SECRET_NAME = "kaltura-ks"
"""Keyring entry of the Kaltura Session."""


class SecretStoreLike(Protocol):
    """What the page needs of :class:`~animaze_panel.secrets.SecretStore`."""

    def available(self) -> bool: ...  # noqa: D102
    def get(self, name: str) -> Secret | None: ...  # noqa: D102
    def set(self, name: str, secret: Secret) -> None: ...  # noqa: D102
    def delete(self, name: str) -> None: ...  # noqa: D102


class KsKeeper:
    """Reads, saves and forgets the KS; reports problems through ``report(message)``."""

    def __init__(self, store: SecretStoreLike, report: Callable[[str], None]) -> None:
        """Keep the KS in ``store``; ``report("")`` clears a shown problem."""
        self._store = store
        self._report = report

    def stored(self) -> bool:
        """Whether a KS is saved."""
        try:
            return self._store.available() and self._store.get(KS_SECRET_NAME) is not None
        except SecretStoreError as exc:
            self._report(str(exc))
            return False

    def forget(self) -> bool:
        """Delete the saved KS; returns whether that worked."""
        try:
            self._store.delete(KS_SECRET_NAME)
        except SecretStoreError as exc:
            self._report(f"{exc}. The KS stays saved; try again.")
            return False
        self._report("")
        return True

    def resolve(self, typed: str) -> Secret | None:
        """The KS to use: the one typed now, else the saved one (``None``: neither)."""
        if typed.strip():
            return Secret(typed.strip())
        try:
            return self._store.get(KS_SECRET_NAME) if self._store.available() else None
        except SecretStoreError as exc:
            self._report(f"{exc}; paste the KS instead.")
            return None

    def save_if_new(self, ks: Secret) -> bool:
        """Save ``ks`` (Kaltura accepted it) unless it is the saved one; returns whether saved."""
        try:
            if self._store.available() and self._store.get(KS_SECRET_NAME) == ks:
                return False
        except SecretStoreError:
            pass  # saving below reports the problem
        if not self._store.available():
            self._report("No secure credential store (OS keyring) on this system: the KS is "
                         "used for this session only and not saved.")
            return False
        try:
            self._store.set(KS_SECRET_NAME, ks)
        except SecretStoreError as exc:
            self._report(f"{exc}; the KS is used for this session only.")
            return False
        self._report("")
        return True

