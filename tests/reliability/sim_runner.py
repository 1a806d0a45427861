"""A simulator in its own process, for tests that kill, freeze and restart "Animaze".

Started ahead of time and parked: it imports everything, then waits for a line on stdin before
it binds its port, so a restart costs only the bind (the previous process must be dead first,
as when Animaze itself restarts). Prints ``listening`` once serving.

Usage: ``python sim_runner.py PORT [LATENCY]``
"""

from __future__ import annotations

import asyncio
import sys

from animaze_panel.simulator import Simulator


async def main(port: int, latency: float) -> None:
    """Serve on ``port`` until killed."""
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    simulator = Simulator("127.0.0.1", port, speech_seconds_per_char=0.002)
    async with simulator:
        if latency:
            simulator.faults.set(latency=latency)
        print("listening", flush=True)
        await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), float(sys.argv[2]) if len(sys.argv) > 2 else 0.0))
