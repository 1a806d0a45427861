"""Fixtures of the Kaltura tests: the fake Kaltura server on loopback, a client, a manual timer."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Callable

import pytest
import pytest_asyncio

from animaze_panel.cloud.kaltura import KalturaClient, KalturaConfig
from animaze_panel.fakes.kaltura_server import FakeKalturaServer
from animaze_panel.secrets import Secret

__all__ = ["kaltura", "kaltura_server", "timer"]


def _has_media_interface() -> bool:
    """Whether a non-loopback address exists: aioice never gathers 127.0.0.1/::1, so WebRTC
    between two local peers needs one (a network namespace with only ``lo`` gets no media)."""
    for family, target in ((socket.AF_INET, "192.0.2.1"), (socket.AF_INET6, "2001:db8::1")):
        try:
            with socket.socket(family, socket.SOCK_DGRAM) as probe:
                probe.connect((target, 9))  # no packet is sent: this only picks a route
                address = probe.getsockname()[0]
        except OSError:
            continue
        if address not in ("127.0.0.1", "::1", "0.0.0.0", "::"):
            return True
    return False


needs_media = pytest.mark.skipif(
    not _has_media_interface(),
    reason="WebRTC media needs a non-loopback interface (aioice never gathers loopback)",
)

KS = "djJ8MTIzNDU2fKs-test-kaltura-session"


class ManualTimer:
    """A clock and a sleep that only move when the test says so."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []
        self._waiters: list[tuple[float, asyncio.Future[None]]] = []
        self.sleeping = asyncio.Event()

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append((self.now + seconds, future))
        self.sleeping.set()
        await future

    async def wait_sleeping(self, count: int, timeout: float = 5.0) -> None:
        """Wait until ``count`` sleeps in total have been requested."""
        async def reached() -> None:
            while len(self.sleeps) < count:
                self.sleeping.clear()
                await self.sleeping.wait()

        await asyncio.wait_for(reached(), timeout)

    def advance(self, seconds: float) -> None:
        """Move the clock and wake every sleeper whose time has come."""
        self.now += seconds
        due = [item for item in self._waiters if item[0] <= self.now]
        self._waiters = [item for item in self._waiters if item[0] > self.now]
        for _, future in due:
            if not future.done():
                future.set_result(None)


async def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Wait (yielding to the loop) until ``condition()`` holds, or fail after ``timeout``."""
    async def poll() -> None:
        while not condition():
            await asyncio.sleep(0.02)

    await asyncio.wait_for(poll(), timeout)


@pytest.fixture
def timer() -> ManualTimer:
    return ManualTimer()


@pytest_asyncio.fixture
async def kaltura_server(timer: ManualTimer) -> AsyncIterator[FakeKalturaServer]:
    fake = FakeKalturaServer(KS, width=320, height=240, clock=timer.clock)
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()


def make_client(base_url: str, timeout: float = 2.0, ks: str | None = KS) -> KalturaClient:
    return KalturaClient(
        KalturaConfig(base_url=base_url, timeout=timeout), ks=Secret(ks) if ks else None
    )


@pytest_asyncio.fixture
async def kaltura(kaltura_server: FakeKalturaServer) -> AsyncIterator[KalturaClient]:
    client = make_client(kaltura_server.base_url)
    try:
        yield client
    finally:
        await client.aclose()
