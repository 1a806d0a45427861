"""HTTP helpers of the fake Akool server: the answer envelope, JSON bodies, connection resets."""

from __future__ import annotations

import socket
import struct
from typing import Any

from aiohttp import web

from ._akool_data import CODE_MESSAGES


def answer(code: int, status: int = 200) -> web.Response:
    """Answer ``code`` with the table's ``msg`` and ``data: null`` (spec envelope)."""
    return web.json_response({"code": code, "msg": CODE_MESSAGES.get(code, "error"),
                              "data": None}, status=status)


async def json_body(request: web.Request) -> Any:
    """Return the request's JSON body, or ``None`` when it is not JSON."""
    try:
        return await request.json()
    except ValueError:
        return None


def reset(request: web.Request) -> None:
    """Abort the connection with a TCP reset (SO_LINGER 0), so the client sees it drop."""
    transport = request.transport
    if transport is None:
        return
    sock = transport.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()
