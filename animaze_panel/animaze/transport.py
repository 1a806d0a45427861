"""A WebSocket client link: websockets' sans-I/O ``ClientProtocol`` on an asyncio transport.

``websockets.asyncio.client.connect`` queues every incoming message for ``recv()``, so reading
answers from a task costs one more event-loop iteration per round trip (a fifth of it on
loopback, see ``bench/client_rtt.py``). Driving the sans-I/O protocol object ourselves hands
each complete text message to a callback straight from ``data_received``, in arrival order,
and makes sending a plain synchronous write.

What the link does, the way ``websockets.asyncio`` does it:

* opening handshake under a timeout (TCP connect + HTTP upgrade), permessage-deflate offered
  with websockets' default settings;
* fragmented messages reassembled, binary messages handed over decoded as UTF-8 (with
  replacement characters); the protocol object fails the connection (1009) on a message
  larger than ``max_size``, fragments counted together;
* pings answered and close frames echoed by the protocol object; keepalive pings sent every
  ``ping_interval`` seconds, and a missing pong after ``ping_timeout`` fails the link (1011);
* a closing handshake that the server does not finish within ``close_timeout`` is cut short by
  aborting the TCP connection.

Errors are websockets' and the OS's own (``InvalidURI``, ``InvalidHandshake``, ``OSError``,
``TimeoutError``, ``ConnectionClosed``); :mod:`.client` translates them.
"""

from __future__ import annotations

import asyncio
import logging
import os
import ssl
from collections.abc import Callable

from websockets.client import ClientProtocol
from websockets.exceptions import ConnectionClosed
from websockets.extensions.permessage_deflate import ClientPerMessageDeflateFactory
from websockets.frames import CloseCode, Frame, Opcode
from websockets.http11 import Response
from websockets.protocol import State
from websockets.uri import parse_uri

log = logging.getLogger(__name__)

TextHandler = Callable[[str], None]


class WebSocketLink(asyncio.Protocol):
    """One client connection. Create it with :func:`open_link`."""

    def __init__(
        self,
        protocol: ClientProtocol,
        on_text: TextHandler,
        *,
        close_timeout: float,
    ) -> None:
        """Wrap ``protocol``; ``on_text(text)`` receives every complete message."""
        self._ws = protocol
        self._on_text = on_text
        self._close_timeout = close_timeout
        self._loop = asyncio.get_running_loop()
        self._transport: asyncio.Transport | None = None
        self._handshake: asyncio.Future[None] = self._loop.create_future()
        self._lost: asyncio.Future[None] = self._loop.create_future()
        self._fragments: list[bytes] = []
        self._pings: dict[bytes, asyncio.Future[None]] = {}
        self._keepalive: asyncio.Task[None] | None = None
        self._close_timer: asyncio.TimerHandle | None = None

    # ------------------------------------------------------------------ public

    def send_text(self, text: str) -> None:
        """Write one text message.

        Raises:
            ConnectionClosed: The link is closing or closed.
        """
        if self._ws.state is not State.OPEN or self._transport is None:
            raise self._ws.close_exc if self._ws.state is State.CLOSED else _closing()
        self._ws.send_text(text.encode("utf-8"))
        self._flush()

    async def wait_open(self) -> None:
        """Return once the opening handshake succeeded.

        Raises:
            InvalidHandshake: The server refused or garbled the upgrade.
            ConnectionError: The connection dropped during the handshake.
        """
        await self._handshake

    def abort(self) -> None:
        """Drop the TCP connection at once, without a closing handshake."""
        if self._transport is not None:
            self._transport.abort()

    async def wait_closed(self) -> None:
        """Return once the TCP connection is gone."""
        await asyncio.shield(self._lost)

    async def close(self) -> None:
        """Run the closing handshake (bounded by ``close_timeout``) and wait for the end."""
        if self._ws.state is State.OPEN:
            self._ws.send_close(CloseCode.NORMAL_CLOSURE)
            self._flush()
            self._arm_close_timer()
        elif self._ws.state is State.CONNECTING and self._transport is not None:
            self._transport.abort()
        await self.wait_closed()

    def start_keepalive(self, interval: float | None, timeout: float | None) -> None:
        """Ping every ``interval`` seconds; fail the link if a pong takes over ``timeout``."""
        if interval is not None:
            self._keepalive = self._loop.create_task(self._ping_loop(interval, timeout),
                                                     name="animaze-keepalive")

    # ------------------------------------------------------------------ asyncio.Protocol

    def connection_made(self, transport: asyncio.BaseTransport) -> None:  # noqa: D102
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport
        self._ws.send_request(self._ws.connect())
        self._flush()

    def data_received(self, data: bytes) -> None:  # noqa: D102
        self._ws.receive_data(data)
        events = self._ws.events_received()
        self._flush()  # automatic pongs and close replies go out first
        if self._ws.close_expected():
            self._arm_close_timer()
        for event in events:
            if isinstance(event, Frame):
                self._frame(event)
            elif isinstance(event, Response):
                self._handshake_done()

    def eof_received(self) -> bool | None:  # noqa: D102
        self._ws.receive_eof()
        for event in self._ws.events_received():
            if isinstance(event, Response):  # an HTTP answer without Content-Length
                self._handshake_done()
        self._flush()
        return None  # close the transport: WebSocket never writes after the peer's EOF

    def connection_lost(self, exc: Exception | None) -> None:  # noqa: D102
        self._ws.receive_eof()  # idempotent: the protocol state becomes CLOSED
        if not self._handshake.done():
            error = self._ws.handshake_exc or ConnectionError("connection lost during handshake")
            self._handshake.set_exception(error)
        for waiter in self._pings.values():
            waiter.cancel()
        self._pings.clear()
        if self._keepalive is not None:
            self._keepalive.cancel()
            self._keepalive = None
        if self._close_timer is not None:
            self._close_timer.cancel()
        if not self._lost.done():
            self._lost.set_result(None)

    # ------------------------------------------------------------------ internals

    def _flush(self) -> None:
        transport = self._transport
        if transport is None:
            return
        for data in self._ws.data_to_send():
            if data:
                transport.write(data)
            elif transport.can_write_eof():
                transport.write_eof()
            else:  # TLS cannot half-close
                transport.close()

    def _handshake_done(self) -> None:
        if self._handshake.done():
            return
        if self._ws.handshake_exc is not None:
            self._handshake.set_exception(self._ws.handshake_exc)
        else:
            self._handshake.set_result(None)

    def _frame(self, frame: Frame) -> None:
        if frame.opcode is Opcode.PONG:
            waiter = self._pings.pop(bytes(frame.data), None)
            if waiter is not None and not waiter.done():
                waiter.set_result(None)
            return
        if frame.opcode not in (Opcode.TEXT, Opcode.BINARY, Opcode.CONT):
            return  # pings and close frames are answered by the protocol object
        if frame.fin and not self._fragments:  # the common case: one frame, one message
            self._deliver(bytes(frame.data))
            return
        # The protocol object enforces max_size over all fragments of a message (1009).
        self._fragments.append(bytes(frame.data))
        if frame.fin:
            data = b"".join(self._fragments)
            self._fragments = []
            self._deliver(data)

    def _deliver(self, data: bytes) -> None:
        try:
            self._on_text(data.decode("utf-8", "replace"))
        except Exception:  # a handler bug must not break the transport
            log.exception("Failed to handle a WebSocket message")

    def _fail(self, code: CloseCode, reason: str) -> None:
        self._ws.fail(code, reason)
        self._flush()
        self._arm_close_timer()

    def _arm_close_timer(self) -> None:
        if self._close_timer is None and self._transport is not None:
            self._close_timer = self._loop.call_later(self._close_timeout, self._transport.abort)

    async def _ping_loop(self, interval: float, timeout: float | None) -> None:
        try:
            await self._keep_alive(interval, timeout)
        except Exception:  # a bug here must show, and must not leave a dead link looking alive
            log.exception("Keepalive failed; dropping the link")
            self.abort()

    async def _keep_alive(self, interval: float, timeout: float | None) -> None:
        while self._ws.state is State.OPEN:
            await asyncio.sleep(interval)
            if self._ws.state is not State.OPEN:
                return
            payload = os.urandom(4)
            waiter = self._loop.create_future()
            self._pings[payload] = waiter
            self._ws.send_ping(payload)
            self._flush()
            if timeout is None:
                continue
            try:
                async with asyncio.timeout(timeout):
                    await waiter
            except TimeoutError:
                log.info("No pong within %.1f s: the link is dead", timeout)
                self._fail(CloseCode.INTERNAL_ERROR, "keepalive ping timeout")
                return


def _closing() -> ConnectionClosed:
    return ConnectionClosed(None, None)


async def open_link(
    url: str,
    on_text: TextHandler,
    *,
    open_timeout: float,
    max_size: int,
    close_timeout: float = 2.0,
    ping_interval: float | None = None,
    ping_timeout: float | None = None,
) -> WebSocketLink:
    """Connect to ``url`` and complete the opening handshake.

    Args:
        url: ``ws://`` or ``wss://`` URL.
        on_text: Called with each complete incoming message.
        open_timeout: Seconds for TCP connect plus handshake.
        max_size: Largest message accepted, in bytes.
        close_timeout: Seconds the server gets to finish a closing handshake.
        ping_interval: Seconds between keepalive pings (``None``: none).
        ping_timeout: Seconds to wait for each pong (``None``: forever).

    Raises:
        InvalidURI: ``url`` is not a WebSocket URL.
        OSError: The TCP connection failed.
        TimeoutError: The handshake took longer than ``open_timeout``.
        InvalidHandshake: The server did not accept the WebSocket upgrade.
    """
    uri = parse_uri(url)
    protocol = ClientProtocol(
        uri,
        extensions=[ClientPerMessageDeflateFactory(compress_settings={"memLevel": 5})],
        max_size=max_size,
    )
    loop = asyncio.get_running_loop()
    tls = ssl.create_default_context() if uri.secure else None
    link: WebSocketLink | None = None
    try:
        async with asyncio.timeout(open_timeout):
            _, link = await loop.create_connection(
                lambda: WebSocketLink(protocol, on_text, close_timeout=close_timeout),
                uri.host, uri.port, ssl=tls,
            )
            await link.wait_open()
    except BaseException:
        if link is not None:
            link.abort()
        raise
    link.start_keepalive(ping_interval, ping_timeout)
    return link
