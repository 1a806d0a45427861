"""Fixtures of the cloud client tests: a fake Kinetix server on loopback and a client for it."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import keyring
import pytest
import pytest_asyncio

from animaze_panel.cloud._http import RetryPolicy
from animaze_panel.cloud.kinetix import KinetixClient, KinetixConfig
from animaze_panel.fakes.kinetix_server import FakeKinetixServer, ManualClock
from animaze_panel.secrets import Secret

from . import memory_keyring

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

API_KEY = "test-game-key-123"
FAST_RETRY = RetryPolicy(attempts=3, base_delay=0.01, max_delay=0.05)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest_asyncio.fixture
async def server(clock: ManualClock) -> AsyncIterator[FakeKinetixServer]:
    fake = FakeKinetixServer(api_key=API_KEY, clock=clock, step_seconds=1.0, hang_seconds=10)
    fake.retry_after = "0"
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()


def make_client(base_url: str, timeout: float = 2.0) -> KinetixClient:
    return KinetixClient(
        KinetixConfig(base_url=base_url, timeout=timeout, retry=FAST_RETRY),
        api_key=Secret(API_KEY),
    )


@pytest_asyncio.fixture
async def client(server: FakeKinetixServer) -> AsyncIterator[KinetixClient]:
    kinetix = make_client(server.base_url, timeout=1.0)
    try:
        yield kinetix
    finally:
        await kinetix.aclose()


@pytest.fixture
def video(tmp_path: Path) -> Path:
    """A small file with a supported extension (the fake server does not decode video)."""
    path = tmp_path / "dance.mp4"
    path.write_bytes(os.urandom(300_000))
    return path


@pytest.fixture
def memory_keyring_backend() -> Iterator[memory_keyring.MemoryKeyring]:
    backend, previous = memory_keyring.install()
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)
