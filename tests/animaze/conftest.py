"""Fixtures for Animaze tests: a simulator on loopback (in-loop or in a thread) and raw clients.

Simulator tests talk to it with bare ``websockets`` clients (:class:`RawClient`) so they do not
depend on :class:`~animaze_panel.animaze.client.AnimazeClient`.
"""

from __future__ import annotations

import asyncio
import json
import struct
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import pytest
import pytest_asyncio
from websockets.asyncio.client import ClientConnection, connect

from animaze_panel.simulator import Simulator, SimulatorThread

FAST_SPEECH = 0.0005  # seconds per character: speech events follow almost at once


class RawClient:
    """A bare websockets client speaking JSON dicts."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws

    async def send(self, msg: dict[str, Any] | str | bytes) -> None:
        await self.ws.send(msg if isinstance(msg, str | bytes) else json.dumps(msg))

    async def recv_text(self, timeout: float = 5.0) -> str | bytes:
        return await asyncio.wait_for(self.ws.recv(), timeout)

    async def recv(self, timeout: float = 5.0) -> dict[str, Any]:
        value = json.loads(await self.recv_text(timeout))
        assert isinstance(value, dict)
        return value

    async def ask(self, msg: dict[str, Any] | str | bytes, timeout: float = 5.0) -> dict[str, Any]:
        """Send and return the next frame, as a simple client would."""
        await self.send(msg)
        return await self.recv(timeout)


Connect = Callable[[], Awaitable[RawClient]]


@pytest_asyncio.fixture(loop_scope="function")
async def simulator() -> AsyncIterator[Simulator]:
    """A simulator on a free loopback port, on the test's event loop."""
    async with Simulator(speech_seconds_per_char=FAST_SPEECH) as sim:
        yield sim


@pytest_asyncio.fixture(loop_scope="function")
async def new_client(simulator: Simulator) -> AsyncIterator[Connect]:
    """Factory of raw clients connected to ``simulator``; all closed at teardown."""
    opened: list[ClientConnection] = []

    async def open_client() -> RawClient:
        ws = await connect(simulator.url, max_size=None)
        opened.append(ws)
        return RawClient(ws)

    yield open_client
    for ws in opened:
        await ws.close()


@pytest_asyncio.fixture(loop_scope="function")
async def raw(new_client: Connect) -> RawClient:
    """One raw client connected to ``simulator``."""
    return await new_client()


@pytest.fixture
def simulator_thread() -> Iterator[SimulatorThread]:
    """A simulator running on its own loop in a background thread (for sync and Qt tests)."""
    with SimulatorThread(speech_seconds_per_char=FAST_SPEECH) as sim:
        yield sim


def png_info(data: bytes) -> tuple[int, int, int]:
    """Check a PNG thoroughly (signature, chunk CRCs, IHDR, pixel data size).

    Returns:
        ``(width, height, colour_type)``.
    """
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks, idat = 8, [], b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        assert zlib.crc32(kind + body) & 0xFFFFFFFF == crc, f"bad CRC in {kind!r}"
        chunks.append(kind)
        if kind == b"IDAT":
            idat += body
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
        pos += 12 + length
    assert chunks[0] == b"IHDR" and chunks[-1] == b"IEND" and pos == len(data)
    assert depth == 8 and colour == 2
    assert len(zlib.decompress(idat)) == height * (1 + width * 3)
    return width, height, colour
