"""Control API under load: request -> frame at the simulator, against a direct baseline.

    uv run python bench/control_api.py [--rate 1000] [--seconds 10]

The panel's real pieces run here (offscreen Qt, qasync, the app's ThreadedClient, the hotkey
service, the panel backend, the control server) against a simulator in its own process, as
Animaze is (sharing the panel's GIL, it would bill the panel for Animaze's work). A separate load
process sends ``--rate`` requests a second for ``--seconds``: first straight to the simulator
over a bare WebSocket (the baseline: what any program talking to Animaze pays), then as
``POST /v1/actions/run`` ChatPal lines through the panel. Each request carries a unique line,
so every frame the simulator received is matched to the request that caused it.

Prints p50/p99/max request -> frame for both, their ratio, and the accounting the API must
satisfy: every request ran exactly once (one frame) or was refused with 429 (no frame).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

LOAD = textwrap.dedent("""
    import asyncio, json, sys, time
    import aiohttp

    mode, target, token, rate, seconds = sys.argv[1:6]
    rate, seconds = float(rate), float(seconds)

    async def main():
        sent, status = {}, {}
        count = int(rate * seconds)
        start = time.monotonic()
        conn = aiohttp.TCPConnector(limit=64)
        async with aiohttp.ClientSession(connector=conn) as http:
            ws = await http.ws_connect(target) if mode == "direct" else None

            async def one(i):
                line = f"bench-{mode}-{i}"
                sent[line] = time.monotonic()
                if ws is not None:
                    await ws.send_str(json.dumps({"action": "ChatbotSendMessage",
                                                  "message": line, "id": str(i)}))
                    status[line] = 200
                    return
                async with http.post(target, json={"type": "chatpal", "message": line},
                                     headers={"Authorization": "Bearer " + token}) as r:
                    await r.read()
                    status[line] = r.status

            tasks = []
            for i in range(count):
                due = start + i / rate
                delay = due - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
                tasks.append(asyncio.ensure_future(one(i)))
            await asyncio.gather(*tasks)
            if ws is not None:
                await ws.close()
        print(json.dumps({"sent": sent, "status": status}))

    asyncio.run(main())
""")

# The stand-in for Animaze: serves until stdin closes; "frames N" prints, as one JSON line,
# the ChatPal lines received from frame N on with their arrival (time.monotonic() is the
# same clock in every process on one machine).
SIMULATOR = textwrap.dedent("""
    import asyncio, json, sys
    from animaze_panel.simulator import Simulator

    async def main():
        loop = asyncio.get_running_loop()
        async with Simulator("127.0.0.1", 0, speech_seconds_per_char=0.0) as sim:
            print(sim.url, flush=True)
            while line := await loop.run_in_executor(None, sys.stdin.readline):
                frames = sim.frames[int(line.split()[1]):]
                print(json.dumps({"count": len(sim.frames), "lines": [
                    [f.message.get("message"), f.received_at] for f in frames
                    if f.action == "ChatbotSendMessage" and f.message]}), flush=True)

    asyncio.run(main())
""")


class SimProcess:
    """The simulator process: its URL, and the ChatPal lines it received."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen([sys.executable, "-c", SIMULATOR], cwd=ROOT, text=True,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        assert self.proc.stdout is not None
        self.url = self.proc.stdout.readline().strip()
        self.count = 0

    def lines_since_mark(self) -> dict[str, list[float]]:
        """Line -> arrival times of every ChatPal line since the last call."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(f"frames {self.count}\n")
        self.proc.stdin.flush()
        answer = json.loads(self.proc.stdout.readline())
        self.count = answer["count"]
        frames: dict[str, list[float]] = {}
        for line, at in answer["lines"]:
            if isinstance(line, str):
                frames.setdefault(line, []).append(at)
        return frames

    def close(self) -> None:
        """End the process (closing stdin ends its loop)."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.close()
        self.proc.wait(10)
        self.proc.stdout.close()


def pct(values: list[float], q: float) -> float:
    """The q-quantile (0..1) of ``values``, in milliseconds."""
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def run_load(mode: str, target: str, token: str, rate: float, seconds: float
                   ) -> tuple[dict[str, float], dict[str, int]]:
    """Run the load process; returns send times and HTTP statuses by line."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-c", LOAD, mode, target, token, str(rate), str(seconds),
        stdout=subprocess.PIPE)
    out, _ = await proc.communicate()
    data = json.loads(out)
    return data["sent"], data["status"]


async def bench(rate: float, seconds: float) -> None:
    """Run both phases and print the table."""
    from PySide6.QtCore import QObject

    from animaze_panel.animaze.io_thread import ThreadedClient
    from animaze_panel.control.server import ControlServer, ServerConfig
    from animaze_panel.hotkeys.keys import KeyCombo
    from animaze_panel.hotkeys.store import ProfileStore
    from animaze_panel.platform.base import HotkeyBackend
    from animaze_panel.secrets import Secret
    from animaze_panel.ui.control.panel_backend import PanelBackend
    from animaze_panel.ui.hotkeys.hotkeys_service import HotkeyService
    from animaze_panel.ui.session import AnimazeSession

    class NoKeys(HotkeyBackend):
        """No OS keys: the API is the only way in here."""

        NAME = "none"
        IS_GLOBAL = False

        def __init__(self, parent: QObject | None = None) -> None:
            super().__init__(parent)

        def _grab(self, combo: KeyCombo) -> None:
            pass

        def _ungrab(self, combo: KeyCombo) -> None:
            pass

    token = "bench-token-0123456789abcdef"
    sim = SimProcess()
    try:
        client = ThreadedClient(sim.url)
        session = AnimazeSession(client)
        client.start()
        await client.wait_connected(30)
        hotkeys = HotkeyService(session, NoKeys(), ProfileStore(Path(os.devnull)))
        backend = PanelBackend(session, hotkeys)
        server = ControlServer(backend, Secret(token), ServerConfig(
            port=0, rate=rate * 0.8, burst=int(rate * 0.8)))
        lane = hotkeys.lane_loop  # as in the app: the server runs where hotkeys run
        url = await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(server.start(), lane))
        results = {}
        try:
            for mode, target in (("direct", sim.url), ("api", url + "/v1/actions/run")):
                print(f"{mode}: {rate:g} requests/s for {seconds:g} s ...", flush=True)
                sim.lines_since_mark()
                sent, status = await run_load(mode, target, token, rate, seconds)
                await asyncio.sleep(1.0)  # let the last frames land before counting
                frames = sim.lines_since_mark()
                ok = [k for k, s in status.items() if s == 200]
                refused = [k for k, s in status.items() if s == 429]
                other = {s for s in status.values() if s not in (200, 429)}
                once = all(len(frames.get(k, [])) == 1 for k in ok)
                none_refused = all(k not in frames for k in refused)
                latency = [frames[k][0] - sent[k] for k in ok if k in frames]
                results[mode] = (latency, len(sent), len(ok), len(refused), other,
                                 once and none_refused)
        finally:
            await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(server.stop(), lane))
            await hotkeys.aclose()
            await session.aclose()
            await client.close()
    finally:
        sim.close()
    print()
    print(f"{'path':<8} {'sent':>6} {'ran':>6} {'429':>6} {'p50 ms':>8} {'p99 ms':>8} "
          f"{'max ms':>8}  exactly-once")
    for mode, (lat, sent_n, ok_n, refused_n, other, exact) in results.items():
        print(f"{mode:<8} {sent_n:>6} {ok_n:>6} {refused_n:>6} {pct(lat, .5):>8.2f} "
              f"{pct(lat, .99):>8.2f} {1000 * max(lat):>8.2f}  "
              f"{'yes' if exact and not other else f'NO {other}'}")
    base, api = results["direct"][0], results["api"][0]
    print(f"\nratio p50: {statistics.median(api) / statistics.median(base):.2f}  "
          f"ratio p99: {pct(api, .99) / pct(base, .99):.2f}  "
          f"(api p99 target < 10 ms: {'met' if pct(api, .99) < 10 else 'missed'})")


def main() -> None:
    """Parse arguments and run under a qasync loop."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=1000.0)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    import qasync
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        loop.run_until_complete(bench(args.rate, args.seconds))


if __name__ == "__main__":
    main()
