"""10,000 frames no Animaze should send — noise, truncated, deeply nested, wrong-typed,
unknown, and a few over 64 MiB — at the app's connection: nothing escapes, the link stays
usable, and each kind is logged a bounded number of times."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter

import pytest

from animaze_panel.animaze import requests as rq
from animaze_panel.animaze.io_thread import ThreadedClient
from animaze_panel.animaze.observers import ConnectionState
from animaze_panel.simulator import SimulatorThread
from animaze_panel.simulator.bad_frames import BadKind

from .conftest import FIGURES

FRAMES = 10_000


@pytest.mark.asyncio
async def test_ten_thousand_bad_frames(caplog: pytest.LogCaptureFixture) -> None:
    loop = asyncio.get_running_loop()
    errors: list[object] = []
    loop.set_exception_handler(lambda _l, ctx: errors.append(ctx))
    caplog.set_level(logging.DEBUG, logger="animaze_panel")
    with SimulatorThread() as sim:
        client = ThreadedClient(sim.url, backoff_initial=0.05, backoff_max=0.5)
        client.start()
        states: list[ConnectionState] = []
        client.add_state_listener(states.append)
        try:
            await client.wait_connected(30)
            sent: Counter[BadKind] = await loop.run_in_executor(
                None, lambda: sim.run(lambda s: s.send_bad_frames(FRAMES, seed=1), 300))
            # A request after the flood is answered: the link read through all of it.
            answer = await client.request(rq.GetAvatars(), timeout=30)
            assert answer.avatars
            assert client.connected and ConnectionState.DISCONNECTED not in states
            # A 64 MiB frame is read and skipped like any other bad frame...
            await loop.run_in_executor(None, lambda: sim.run(
                lambda s: s.send_bad_frames(1, kinds=(BadKind.OVERSIZED,)), 300))
            assert (await client.request(rq.GetAvatars(), timeout=60)).avatars
            assert ConnectionState.DISCONNECTED not in states
            # ...one over the client's limit ends the connection (refused unread); it comes back.
            await loop.run_in_executor(None, lambda: sim.run(
                lambda s: s.send_bad_frames(1, kinds=(BadKind.BEYOND_LIMIT,)), 300))
            await asyncio.wait_for(_reconnected(client, states), 60)
            assert (await client.request(rq.GetAvatars(), timeout=30)).avatars
        finally:
            await client.close()
            loop.set_exception_handler(None)
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    FIGURES["Bad frames"] = (
        f"{sum(sent.values())} tried ({', '.join(f'{k.value} {n}' for k, n in sent.items())}) "
        "+ 1 oversized (64 MiB, skipped) + 1 beyond the frame limit (connection dropped and "
        f"re-made); {len(warnings)} warnings logged")
    assert not errors
    assert sum(sent.values()) == FRAMES
    assert len(warnings) <= 10 * len(BadKind), "bad frames must be logged rate-limited"


async def _reconnected(client: ThreadedClient, states: list[ConnectionState]) -> None:
    while not (ConnectionState.CONNECTED in states[1:] and client.connected
               and states.count(ConnectionState.CONNECTED) >= 2):
        await asyncio.sleep(0.01)
