"""AccountModel: the Akool credentials (client ID + secret, or an API key) in the keyring.

Credentials are read from and saved to the OS keyring only (:class:`~animaze_panel.secrets.
SecretStore`); they are put on the one :class:`~animaze_panel.cloud.akool.AkoolClient` of the page
and checked with a real call (sign-in for an ID/secret, the language list for an API key).
Without a secure store they still work for this run and the status says they were not saved.
"""

from __future__ import annotations

import asyncio
import logging

from PySide6.QtCore import QObject, Signal

from ...cloud.akool import AkoolClient
from ...cloud.akool_errors import AkoolError
from ...secrets import Secret, SecretStore, SecretStoreError, SecretStoreUnavailable
from .tasks import TaskSet

log = logging.getLogger(__name__)

CLIENT_ID = "akool-client-id"
CLIENT_SECRET = "akool-client-secret"
API_KEY = "akool-api-key"


class AccountModel(QObject):
    """Load, save, check and forget the Akool credentials."""

    status = Signal(str, bool)  # text, ok
    ready = Signal()  # the credentials were accepted by Akool
    loaded = Signal(bool, bool)  # an ID/secret is stored, an API key is stored

    def __init__(self, client: AkoolClient, store: SecretStore,
                 parent: QObject | None = None) -> None:
        """Work on ``client``'s credentials, kept in ``store``."""
        super().__init__(parent)
        self.client = client
        self.store = store
        self.accepted = False
        self._tasks = TaskSet("Akool account")
        self._checking: asyncio.Task[None] | None = None

    def load(self) -> asyncio.Task[None] | None:
        """Read stored credentials; if there are any, check them."""
        try:
            values = {name: self.store.get(name) for name in (CLIENT_ID, CLIENT_SECRET, API_KEY)}
        except SecretStoreUnavailable as exc:
            self.status.emit(f"{exc}. Enter the credentials each time you start the panel.",
                             False)
            return None
        except SecretStoreError as exc:
            self.status.emit(f"{exc}. Enter the credentials again.", False)
            return None
        self.client.client_id = values[CLIENT_ID]
        self.client.client_secret = values[CLIENT_SECRET]
        self.client.api_key = values[API_KEY]
        self.client.token = None
        self.loaded.emit(bool(values[CLIENT_ID] and values[CLIENT_SECRET]),
                         bool(values[API_KEY]))
        if not self.client.has_credentials:
            self.status.emit("Enter your Akool client ID and secret (or an API key) to start.",
                             False)
            return None
        return self._check_now()

    def _check_now(self, saved: str = "") -> asyncio.Task[None]:
        # One check at a time: an older check's late answer must not overwrite a newer one.
        if self._checking is not None:
            self._checking.cancel()
        self._checking = self._tasks.spawn(self.check(saved))
        return self._checking

    def save(self, client_id: str, client_secret: str, api_key: str) -> asyncio.Task[None] | None:
        """Use and store what the user typed (an ID with its secret, and/or an API key)."""
        client_id, client_secret = client_id.strip(), client_secret.strip()
        api_key = api_key.strip()
        if bool(client_id) != bool(client_secret):
            self.status.emit("Enter both the client ID and the client secret (or neither and "
                             "an API key).", False)
            return None
        if not (client_id or api_key):
            self.status.emit("Enter a client ID and secret, or an API key.", False)
            return None
        self.client.client_id = Secret(client_id) if client_id else None
        self.client.client_secret = Secret(client_secret) if client_secret else None
        self.client.api_key = Secret(api_key) if api_key else None
        self.client.token = None
        saved = self._store({CLIENT_ID: client_id, CLIENT_SECRET: client_secret,
                             API_KEY: api_key})
        return self._check_now(saved)

    def _store(self, values: dict[str, str]) -> str:
        try:
            for name, value in values.items():
                if value:
                    self.store.set(name, Secret(value))
                else:
                    self.store.delete(name)
        except SecretStoreUnavailable as exc:
            return f" Not saved: {exc}."
        except SecretStoreError as exc:
            return f" Not saved: {exc}."
        return " Saved in the system keyring."

    def forget(self) -> None:
        """Delete the stored credentials and stop using them."""
        try:
            for name in (CLIENT_ID, CLIENT_SECRET, API_KEY):
                self.store.delete(name)
        except SecretStoreError as exc:
            self.status.emit(str(exc), False)
            return
        self.client.client_id = self.client.client_secret = self.client.api_key = None
        self.client.token = None
        self.accepted = False
        self.loaded.emit(False, False)
        self.status.emit("Credentials removed from this computer.", True)

    async def check(self, saved: str = "") -> None:
        """Make one authenticated call; report whether Akool accepted the credentials."""
        self.status.emit("Checking the credentials with Akool...", True)
        try:
            if self.client.client_id and self.client.client_secret:
                await self.client.fetch_token()
            else:
                await self.client.list_languages()
        except AkoolError as exc:
            self.accepted = False
            self.status.emit(str(exc) + saved, False)
            return
        self.accepted = True
        self.status.emit("Akool accepted the credentials." + saved, not saved.startswith(" Not"))
        self.ready.emit()

    async def aclose(self) -> None:
        """Stop running checks."""
        await self._tasks.cancel_all()
