"""Akool credentials in the OS keyring: one set of names, loaded and saved together.

The client ID, client secret, API key and the long-lived token (docs: "valid for more than one
year") live only in the keyring (:class:`~animaze_panel.secrets.SecretStore`), never in settings.
The functions here block on the keyring backend: call them off the GUI thread (e.g. through
:func:`animaze_panel.cloud._http.run_blocking`).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..secrets import Secret, SecretStore
from .akool import AkoolClient

KEY_CLIENT_ID = "akool-client-id"
KEY_CLIENT_SECRET = "akool-client-secret"
KEY_API_KEY = "akool-api-key"
KEY_TOKEN = "akool-token"


@dataclass(frozen=True)
class AkoolCredentials:
    """Every way to sign in to Akool; the values are masked :class:`Secret` s."""

    client_id: Secret | None = None
    client_secret: Secret | None = None
    api_key: Secret | None = None
    token: Secret | None = None

    @property
    def usable(self) -> bool:
        """Whether a client ID + secret pair, an API key or a token is present."""
        return bool((self.client_id and self.client_secret) or self.api_key or self.token)

    def apply(self, client: AkoolClient) -> None:
        """Give these credentials to ``client`` (its cached token is replaced)."""
        client.set_credentials(client_id=self.client_id, client_secret=self.client_secret,
                               api_key=self.api_key, token=self.token)


def load_credentials(store: SecretStore) -> AkoolCredentials:
    """Read the Akool credentials from the keyring (missing ones are ``None``).

    Raises:
        SecretStoreUnavailable: No secure store exists on this system.
        SecretStoreError: The backend failed.
    """
    return AkoolCredentials(store.get(KEY_CLIENT_ID), store.get(KEY_CLIENT_SECRET),
                            store.get(KEY_API_KEY), store.get(KEY_TOKEN))


def save_credentials(store: SecretStore, credentials: AkoolCredentials) -> None:
    """Store every present value and delete every absent one (a saved token included).

    Raises:
        SecretStoreUnavailable: No secure store exists (nothing was written anywhere).
        SecretStoreError: The backend failed.
    """
    values = {KEY_CLIENT_ID: credentials.client_id, KEY_CLIENT_SECRET: credentials.client_secret,
              KEY_API_KEY: credentials.api_key, KEY_TOKEN: credentials.token}
    for name, value in values.items():
        if value:
            store.set(name, value)
        else:
            store.delete(name)


def save_token(store: SecretStore, client: AkoolClient) -> None:
    """Keep the client's current token (fetched from the ID/secret) for the next start.

    Raises:
        SecretStoreUnavailable: No secure store exists.
        SecretStoreError: The backend failed.
    """
    if client.token:
        store.set(KEY_TOKEN, client.token)
    else:
        store.delete(KEY_TOKEN)
