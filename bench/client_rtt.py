"""Round-trip time of AnimazeClient against a bare websockets client, same simulator, same run.

    uv run python bench/client_rtt.py [--count 1000] [--in-thread] [--pin]

The clients send sequential GetCameraFov requests to one simulator (a separate process by
default, as Animaze is; ``--in-thread`` runs it in a thread of this process instead). Rounds
alternate between them so drift in machine load hits all alike. Prints p50/p99 per client,
``ratio: X.XX`` = AnimazeClient p50 / bare p50 (median over the rounds of each round's
ratio; target <= 1.15), and ``threaded ratio: X.XX``
for ThreadedClient, the app's connection: the client on its own thread, called from this loop
(what a click in the GUI pays for the hotkey lane: two thread hops per request; target <= 1.3).
A row adds a frame listener to the ThreadedClient, as the app's traffic log does.

The last row, ``two thread hops``, is no client: a bare ``call_soon_threadsafe`` from this
loop to an idle I/O loop and, once this loop sleeps, back; the least that handing a request
to another thread and its answer back can cost on this machine. ``floor ratio: X.XX`` =
(bare p50 + hops p50) / bare p50 is then the best threaded ratio a client on another thread
could reach here. On a virtual machine
whose idle vCPUs are slow to wake, the hops alone can cost more than the target allows.

``--pin`` (Linux) keeps this process on the first CPU and the simulator on the second, so the
scheduler's moving of three busy threads (this loop, the I/O thread, the simulator) over two
cores drops out of the comparison; the default, unpinned, is what the app meets.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from websockets.asyncio.client import ClientConnection, connect

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from animaze_panel.animaze.client import AnimazeClient  # noqa: E402
from animaze_panel.animaze.io_thread import ThreadedClient  # noqa: E402
from animaze_panel.animaze.link import AnimazeLink  # noqa: E402
from animaze_panel.animaze.loop_thread import IoThread  # noqa: E402
from animaze_panel.animaze.requests import GetCameraFov  # noqa: E402
from animaze_panel.simulator import SimulatorThread  # noqa: E402

WARMUP = 100
HOP_HOLD = 0.0002
ROUNDS = 10


async def bare_round(ws: ClientConnection, count: int, offset: int) -> list[float]:
    """Sequential requests over a bare websockets connection; returns seconds per request."""
    times = []
    for i in range(count):
        start = time.perf_counter()
        await ws.send(json.dumps({"action": "GetCameraFov", "id": f"bare-{offset + i}"}))
        reply = json.loads(await ws.recv())
        times.append(time.perf_counter() - start)
        assert reply["fov"] > 0
    return times


async def hop_round(io_loop: asyncio.AbstractEventLoop, count: int) -> list[float]:
    """Hand-overs to ``io_loop`` and back, each to a sleeping thread; returns seconds each.

    The I/O side holds the callback for :data:`HOP_HOLD` seconds (the answer's trip through
    Animaze, time in which this loop falls asleep), then posts back; that hold, measured, is
    taken off. What is left is what a ThreadedClient request cannot avoid: waking the I/O
    thread, then waking this one.
    """
    home = asyncio.get_running_loop()
    times = []
    for _ in range(count):
        held: list[float] = []
        back: asyncio.Future[None] = home.create_future()

        def on_io(back: asyncio.Future[None] = back, held: list[float] = held) -> None:
            start = time.perf_counter()
            time.sleep(HOP_HOLD)  # blocks only the idle I/O thread, as a socket wait would
            held.append(time.perf_counter() - start)
            home.call_soon_threadsafe(back.set_result, None)

        start = time.perf_counter()
        io_loop.call_soon_threadsafe(on_io)
        await back
        times.append(time.perf_counter() - start - held[0])
    return times


async def client_round(client: AnimazeLink, count: int) -> list[float]:
    """Sequential requests through AnimazeClient; returns seconds per request."""
    times = []
    request = GetCameraFov()
    for _ in range(count):
        start = time.perf_counter()
        response = await client.request(request)
        times.append(time.perf_counter() - start)
        assert response.fov > 0
    return times


def percentile(values: list[float], q: float) -> float:
    """The q-quantile (0..1) of ``values``, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


Results = dict[str, list[list[float]]]
"""Client name -> one list of seconds per round."""


async def measure(url: str, count: int) -> Results:
    """Run the alternating rounds against ``url``."""
    results: Results = {"bare websockets": [], "AnimazeClient": [], "ThreadedClient": [],
                        "Threaded + log": [], "two thread hops": []}
    per_round = max(1, count // ROUNDS)
    threaded = ThreadedClient(url, reconnect=False)
    hops = IoThread("hop-floor").start()
    logged = ThreadedClient(url, reconnect=False)
    seen: list[str] = []
    logged.add_frame_listener(lambda _direction, text: seen.append(text))
    try:
        await threaded.connect()
        await logged.connect()
        async with connect(url, max_size=None) as ws, AnimazeClient(url, reconnect=False) as client:
            await bare_round(ws, WARMUP, -WARMUP)
            await client_round(client, WARMUP)
            await client_round(threaded, WARMUP)
            await client_round(logged, WARMUP)
            await hop_round(hops.loop, WARMUP)
            for n in range(ROUNDS):
                results["bare websockets"].append(
                    await bare_round(ws, per_round, n * per_round))
                results["AnimazeClient"].append(await client_round(client, per_round))
                results["ThreadedClient"].append(await client_round(threaded, per_round))
                results["Threaded + log"].append(await client_round(logged, per_round))
                results["two thread hops"].append(await hop_round(hops.loop, per_round))
    finally:
        await threaded.close()
        await logged.close()
        hops.stop()
    assert len(seen) >= 2 * (WARMUP + count // ROUNDS * ROUNDS), "the frame listener missed frames"
    return results


def ratio(results: Results, name: str) -> float:
    """Median over rounds of (``name`` p50 / bare p50 in the same round).

    Each round's pair ran back to back, so a burst of load on the shared machine moves both;
    the median ignores the rounds a burst hit unevenly.
    """
    return statistics.median(
        percentile(mine, 0.5) / percentile(bare, 0.5)
        for mine, bare in zip(results[name], results["bare websockets"], strict=True)
    )


def report(results: Results) -> None:
    """Print the table and the ratio lines."""
    print(f"{'client':<18}{'n':>6}{'p50 us':>10}{'p99 us':>10}{'mean us':>10}")
    for name, rounds in results.items():
        times = [t for r in rounds for t in r]
        p50, p99 = percentile(times, 0.5) * 1e6, percentile(times, 0.99) * 1e6
        mean = statistics.fmean(times) * 1e6
        print(f"{name:<18}{len(times):>6}{p50:>10.0f}{p99:>10.0f}{mean:>10.0f}")
    print(f"ratio: {ratio(results, 'AnimazeClient'):.2f}")
    print(f"threaded ratio: {ratio(results, 'ThreadedClient'):.2f}")
    print(f"threaded + log ratio: {ratio(results, 'Threaded + log'):.2f}")
    print(f"floor ratio: {1 + ratio(results, 'two thread hops'):.2f}")


def pin(simulator: int) -> None:
    """Put the simulator on the second CPU, this process (and threads it starts) on the first.

    Raises:
        SystemExit: The machine has one CPU, or the OS cannot pin (not Linux).
    """
    cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    if len(cpus) < 2:
        raise SystemExit("--pin needs Linux and two CPUs")
    os.sched_setaffinity(simulator, {cpus[1]})
    os.sched_setaffinity(0, {cpus[0]})


def main() -> int:
    """Start a simulator, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000, help="requests per client (1000)")
    parser.add_argument("--in-thread", action="store_true", help="simulator in this process")
    parser.add_argument("--pin", action="store_true",
                        help="this process on CPU 0, the simulator on CPU 1 (Linux)")
    args = parser.parse_args()
    if args.pin and args.in_thread:
        parser.error("--pin places the simulator's own process: not with --in-thread")
    if args.in_thread:
        with SimulatorThread() as sim:
            results = asyncio.run(measure(sim.url, args.count))
    else:
        cmd = [sys.executable, "-m", "animaze_panel", "simulate", "--port", "0"]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, cwd=ROOT)
        try:
            assert proc.stdout is not None
            url = proc.stdout.readline().split()[4]
            if args.pin:
                pin(proc.pid)
            results = asyncio.run(measure(url, args.count))
        finally:
            proc.terminate()
            proc.wait(30)
    where = " (pinned: this process on one CPU, the simulator on another)" if args.pin else ""
    print(f"{args.count} sequential GetCameraFov round trips per client, same simulator{where}")
    report(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
