"""The app's connection (ThreadedClient) against a simulator process that is killed, restarted
and frozen, and under a long run of commands.

Waits are for conditions with generous bounds (the suite also runs on a loaded machine);
the measured figures are printed at the end of the run.
"""

from __future__ import annotations

import asyncio
import random
import time

import pytest

from animaze_panel.animaze import requests as rq
from animaze_panel.animaze.errors import AnimazeError
from animaze_panel.animaze.io_thread import ThreadedClient
from animaze_panel.animaze.observers import ConnectionState

from .conftest import FIGURES, SimProcess, free_port, rss_mb

RESTARTS = 100
RESYNC_LIMIT = 5.0
"""Seconds from a restarted Animaze listening to the link being connected and answering."""


def fast_client(url: str) -> ThreadedClient:
    # The app's defaults except a shorter backoff cap (5 s requirement with random kills).
    return ThreadedClient(url, backoff_initial=0.1, backoff_max=1.0, request_timeout=3.0)


async def _until(condition: object, timeout: float) -> float:
    loop = asyncio.get_running_loop()
    start = loop.time()
    while not condition():  # type: ignore[operator]
        if loop.time() - start > timeout:
            raise TimeoutError(f"not within {timeout} s")
        await asyncio.sleep(0.005)
    return loop.time() - start


@pytest.mark.asyncio
async def test_link_survives_100_restarts_at_random_moments() -> None:
    rng = random.Random(1234)
    sim = SimProcess(free_port(), latency=0.02)  # requests stay pending long enough to be cut
    sim.start()
    client = fast_client(sim.url)
    client.start()
    outcomes: list[asyncio.Task[object]] = []
    errors: list[BaseException] = []
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(lambda _l, ctx: errors.append(ctx.get("exception") or
                                                             RuntimeError(ctx["message"])))
    resync: list[float] = []
    rss: list[float] = []
    try:
        await client.wait_connected(30)
        for cycle in range(RESTARTS):
            # Some requests in flight (a gallery-like burst of reads, an emote) when it dies.
            burst = rng.choice([0, 1, 5, 30])
            outcomes += [asyncio.ensure_future(client.request(rq.GetAvatars()))
                         for _ in range(burst)]
            await asyncio.sleep(rng.uniform(0.0, 0.05))  # a random moment, not a wait
            sim.kill()
            await _until(lambda: client.state is not ConnectionState.CONNECTED, 10)
            sim.start()
            started = loop.time()
            await _until(lambda: client.connected, 30)
            info = await client.request(rq.GetCurrentAvatarInfo(), timeout=10)
            assert info.avatars, "Animaze answered with no avatar loaded"
            resync.append(loop.time() - started)
            if cycle in (9, RESTARTS - 1):
                rss.append(rss_mb())
        done = await asyncio.wait_for(asyncio.gather(*outcomes, return_exceptions=True), 30)
    finally:
        await client.close()
        sim.close()
        loop.set_exception_handler(None)
    hung = [t for t in outcomes if not t.done()]
    unexpected = [r for r in done if isinstance(r, BaseException)
                  and not isinstance(r, AnimazeError)]
    FIGURES["Animaze restarts survived"] = (
        f"{len(resync)}/{RESTARTS}, resync p50 {sorted(resync)[len(resync) // 2]:.2f} s, "
        f"max {max(resync):.2f} s; {len(outcomes)} requests cut mid-flight all answered or "
        f"failed cleanly; RSS growth {rss[1] - rss[0]:+.1f} MiB")
    assert not hung and not unexpected and not errors
    assert len(resync) == RESTARTS
    assert max(resync) < RESYNC_LIMIT
    assert rss[1] - rss[0] < 10.0


@pytest.mark.asyncio
async def test_frozen_animaze_is_noticed_and_pending_requests_fail_clearly(
    sim_process: SimProcess,
) -> None:
    client = ThreadedClient(sim_process.url, backoff_initial=0.1, backoff_max=1.0,
                            request_timeout=30.0, ping_interval=1.0, ping_timeout=2.0)
    client.start()
    states: list[ConnectionState] = []
    client.add_state_listener(states.append)
    try:
        await client.wait_connected(30)
        sim_process.freeze()
        pending = asyncio.ensure_future(client.request(rq.GetAvatars()))
        # Keepalive (1 s pings, 2 s timeout) notices within its window; generous bound.
        noticed = await _until(lambda: client.state is not ConnectionState.CONNECTED, 30)
        with pytest.raises(AnimazeError) as caught:
            await asyncio.wait_for(pending, 30)
        message = str(caught.value)
        assert message and "Traceback" not in message
        sim_process.thaw()
        await _until(lambda: client.connected, 30)
        answer = await client.request(rq.GetAvatars(), timeout=10)
        assert answer.avatars
    finally:
        await client.close()
    FIGURES["Half-open link (SIGSTOP)"] = (
        f"noticed after {noticed:.1f} s (ping 1 s + timeout 2 s); pending request failed with "
        f"{type(caught.value).__name__}: {message!r}; recovered after SIGCONT")
    assert ConnectionState.CONNECTED in states[states.index(ConnectionState.CONNECTED) + 1:] or \
        client.connected


@pytest.mark.asyncio
async def test_100k_commands_leave_no_growth_and_nothing_pending(
    sim_process: SimProcess,
) -> None:
    client = ThreadedClient(sim_process.url, request_timeout=30.0)
    client.start()
    total, batch = 100_000, 200
    try:
        await client.wait_connected(30)
        emote = (await client.request(rq.GetEmotes())).emotes[0].item_name
        before: float | None = None
        started = time.perf_counter()
        for i in range(total // batch):
            await asyncio.gather(*(client.request(rq.TriggerEmote(emote))
                                   for _ in range(batch)))
            if i == 50:  # after warm-up (allocator pools, caches)
                before = rss_mb()
        elapsed = time.perf_counter() - started
        after = rss_mb()
        pending = client.inner.pending
    finally:
        await client.close()
    assert before is not None
    FIGURES["Leak run"] = (f"{total} commands in {elapsed:.1f} s, RSS growth "
                           f"{after - before:+.1f} MiB, {pending} pending after")
    assert after - before < 10.0
    assert pending == 0
