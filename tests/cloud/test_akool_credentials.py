"""Akool credentials round-trip through the (in-memory) keyring and reach the client."""

from __future__ import annotations

import pytest

from animaze_panel.cloud.akool import AkoolClient
from animaze_panel.cloud.akool_credentials import (
    KEY_TOKEN,
    AkoolCredentials,
    load_credentials,
    save_credentials,
    save_token,
)
from animaze_panel.fakes.akool_server import FakeAkoolServer
from animaze_panel.secrets import Secret, SecretStore

from . import memory_keyring

# The fixtures come from test_akool_client / conftest (no shared akool conftest).
# ruff: noqa: F811
from .test_akool_client import (  # noqa: F401
    CLIENT_ID,
    CLIENT_SECRET,
    akool_server,
    clock,
    make_akool,
)


@pytest.mark.asyncio
async def test_credentials_round_trip_and_sign_in(
    memory_keyring_backend: memory_keyring.MemoryKeyring, akool_server: FakeAkoolServer
) -> None:
    store = SecretStore("animaze-panel-test")
    assert not load_credentials(store).usable
    saved = AkoolCredentials(client_id=Secret(CLIENT_ID), client_secret=Secret(CLIENT_SECRET))
    save_credentials(store, saved)
    loaded = load_credentials(store)
    assert loaded == saved and loaded.usable
    assert CLIENT_SECRET not in repr(loaded)
    async with make_akool(akool_server.base_url, api_key=Secret("stale")) as client:
        loaded.apply(client)
        await client.list_languages()
        save_token(store, client)
        assert client.token is not None
        assert memory_keyring_backend.passwords[("animaze-panel-test", KEY_TOKEN)] == \
            client.token.reveal()
    # Next start: the saved token is used without asking for a new one.
    async with AkoolClient(client.config) as again:
        load_credentials(store).apply(again)
        await again.list_voices()
    assert akool_server.hits["token"] == 1
    save_credentials(store, AkoolCredentials(api_key=Secret("k")))
    assert load_credentials(store) == AkoolCredentials(api_key=Secret("k"))
