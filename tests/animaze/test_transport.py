"""The client's WebSocket link against real servers that misbehave the way networks do.

Keepalive on a half-open link, handshake timeouts, servers that are not WebSocket servers,
fragmented and binary messages, oversized messages and the closing handshake. The servers are
websockets' own (``websockets.asyncio.server``) or, where a server must stop answering even
pings, a TCP server driving websockets' sans-I/O ``ServerProtocol`` that goes silent.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import pytest
from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request
from websockets.server import ServerProtocol

from animaze_panel.animaze.client import AnimazeClient
from animaze_panel.animaze.errors import AnimazeDisconnected, AnimazeUnreachable
from animaze_panel.animaze.messages import AvatarChanged, Trigger
from animaze_panel.animaze.observers import ConnectionState
from animaze_panel.animaze.requests import GetCameraFov

OPEN_TRANSPORTS: list[asyncio.Transport] = []


class SilentServer(asyncio.Protocol):
    """Accepts the WebSocket upgrade (unless ``handshake`` is off), then never writes again."""

    def __init__(self, handshake: bool, opened: asyncio.Queue[None]) -> None:
        self._ws = ServerProtocol()
        self._handshake = handshake
        self._opened = opened
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport
        OPEN_TRANSPORTS.append(transport)

    def data_received(self, data: bytes) -> None:
        self._ws.receive_data(data)
        for event in self._ws.events_received():
            if isinstance(event, Request) and self._handshake and self._transport is not None:
                self._ws.send_response(self._ws.accept(event))
                for chunk in self._ws.data_to_send():
                    self._transport.write(chunk)
                self._opened.put_nowait(None)
        # Pings are read and never answered: a half-open link, as after a laptop's sleep.


@asynccontextmanager
async def silent_server(*, handshake: bool) -> AsyncIterator[tuple[str, asyncio.Queue[None]]]:
    opened: asyncio.Queue[None] = asyncio.Queue()
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SilentServer(handshake, opened), "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"ws://127.0.0.1:{port}", opened
    finally:
        server.close()
        while OPEN_TRANSPORTS:
            OPEN_TRANSPORTS.pop().abort()
        await server.wait_closed()


Handler = Callable[[ServerConnection], Awaitable[None]]


@asynccontextmanager
async def ws_server(handler: Handler) -> AsyncIterator[str]:
    async with serve(handler, "127.0.0.1", 0) as server:
        port = next(iter(server.sockets)).getsockname()[1]
        yield f"ws://127.0.0.1:{port}"


async def state_reached(client: AnimazeClient, wanted: ConnectionState, timeout: float) -> None:
    reached = asyncio.get_running_loop().create_future()

    def on_state(state: ConnectionState) -> None:
        if state is wanted and not reached.done():
            reached.set_result(None)

    remove = client.add_state_listener(on_state)
    try:
        if client.state is not wanted:
            await asyncio.wait_for(reached, timeout)
    finally:
        remove()


@pytest.mark.asyncio
async def test_keepalive_replaces_a_half_open_link() -> None:
    async with silent_server(handshake=True) as (url, opened):
        client = AnimazeClient(url, ping_interval=0.1, ping_timeout=0.2,
                               backoff_initial=0.05, backoff_max=0.1)
        try:
            await client.connect()
            await asyncio.wait_for(opened.get(), 5)
            assert client.connected
            # No pong: the link is declared dead (after the 2 s close timeout) and replaced.
            await state_reached(client, ConnectionState.RECONNECTING, 10)
            await asyncio.wait_for(opened.get(), 10)
            await state_reached(client, ConnectionState.CONNECTED, 10)
        finally:
            await client.close()


@pytest.mark.asyncio
async def test_a_server_that_never_answers_the_upgrade_times_out() -> None:
    async with silent_server(handshake=False) as (url, _):
        client = AnimazeClient(url, reconnect=False, connect_timeout=0.3)
        with pytest.raises(AnimazeUnreachable, match="timed out"):
            await client.connect()
        assert client.state is ConnectionState.DISCONNECTED


@pytest.mark.asyncio
async def test_a_plain_http_server_is_not_a_websocket_server() -> None:
    async def answer_404(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(answer_404, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        client = AnimazeClient(f"ws://127.0.0.1:{port}", reconnect=False)
        with pytest.raises(AnimazeUnreachable, match="not a WebSocket server.*404"):
            await client.connect()


@pytest.mark.asyncio
async def test_fragmented_and_binary_messages_arrive_whole() -> None:
    async def handler(ws: ServerConnection) -> None:
        await ws.send(['{"event": "AvatarChanged", ', '"new_avatar": "Fragmented"}'])
        await ws.send(b'{"event": "AvatarChanged", "new_avatar": "Binary"}')
        await ws.wait_closed()

    async with ws_server(handler) as url:
        seen: list[Trigger] = []
        both = asyncio.get_running_loop().create_future()

        def on_trigger(trigger: Trigger) -> None:
            seen.append(trigger)
            if len(seen) == 2:
                both.set_result(None)

        client = AnimazeClient(url, reconnect=False)
        client.subscribe(on_trigger)
        async with client:
            await asyncio.wait_for(both, 5)
        assert seen == [AvatarChanged(new_avatar="Fragmented"), AvatarChanged(new_avatar="Binary")]


@pytest.mark.asyncio
async def test_an_oversized_message_fails_the_link_and_close_is_clean() -> None:
    codes: asyncio.Queue[int | None] = asyncio.Queue()

    async def handler(ws: ServerConnection) -> None:
        try:
            await ws.recv()
            await ws.send(["x" * 600, "x" * 600])  # 1200 bytes in two fragments
            await ws.recv()
        except ConnectionClosed as closed:
            await codes.put(closed.rcvd.code if closed.rcvd is not None else None)

    async with ws_server(handler) as url:
        client = AnimazeClient(url, reconnect=False, max_frame_bytes=1000)
        await client.connect()
        with pytest.raises(AnimazeDisconnected):
            await client.request(GetCameraFov())
        await state_reached(client, ConnectionState.DISCONNECTED, 10)
        assert await asyncio.wait_for(codes.get(), 5) == 1009  # message too big
        async with AnimazeClient(url, reconnect=False):
            pass
        assert await asyncio.wait_for(codes.get(), 5) == 1000  # a normal closing handshake
