"""Gallery load: event-loop stalls and time until every visible icon shows (offscreen).

The simulator offers 500 avatars whose icons are ~64 KB of base64 each. The full main window
(1600x1000) is built and shown on a qasync loop; then the client connects - as when Animaze
comes up - and every dock loads at once while a 1 ms Qt heartbeat timer measures how late the
loop runs (the longest stall is what a user would feel as a hitch). We also time how long it
takes until all gallery icons on screen are real icons. Cases, all in this run:

* idle loop - the heartbeat alone (baseline noise of this machine);
* cold cache - icons fetched from the simulator, decoded in worker threads;
* warm cache - a restart: icons from the platformdirs-style disk cache;
* gallery dock alone - cold, with every other dock removed (what the gallery itself costs);
* GUI-thread decode - the cold case with decoding forced onto the GUI thread, i.e. what the
  off-thread design avoids.

Targets: no stall > 16 ms; all visible icons < 2 s.
Run: ``uv run python bench/gallery_load.py``
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import qasync  # noqa: E402
from PySide6.QtCore import QSettings, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from animaze_panel.animaze.client import AnimazeClient  # noqa: E402
from animaze_panel.app import build_window  # noqa: E402
from animaze_panel.simulator import SimulatorThread  # noqa: E402
from animaze_panel.ui.session import AnimazeSession  # noqa: E402

AVATARS = 500
ICON_PNG_BYTES = 48 * 1024  # -> ~64 KB of base64 on the wire


class Heartbeat:
    """A 1 ms precise timer recording how late each tick is."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(1)
        self.timer.timeout.connect(self._tick)
        self.gaps: list[float] = []
        self._last = 0.0

    def start(self) -> None:
        self.gaps.clear()
        self._last = time.perf_counter()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append(max(0.0, now - self._last - 0.001))
        self._last = now

    def stats(self) -> tuple[float, float]:
        ordered = sorted(self.gaps) or [0.0]
        return ordered[-1] * 1000, ordered[int(len(ordered) * 0.99) - 1] * 1000


class InlineExecutor(Executor):
    """Runs work on the calling (GUI) thread: the naive design, for comparison."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        future.set_result(fn(*args, **kwargs))
        return future


async def load_once(
    url: str, cache: Path, beat: Heartbeat, inline: bool, alone: bool = False
) -> dict[str, float]:
    client = AnimazeClient(url, request_timeout=30)
    session = AnimazeSession(client)
    settings = QSettings(str(cache.parent / "bench.ini"), QSettings.Format.IniFormat)
    window = build_window(session, settings, reset_layout=True, icon_cache_dir=cache)
    if inline:
        window.gallery.icons._pool = InlineExecutor()  # type: ignore[assignment]
    if alone:  # only the gallery: separates its cost from the other docks' first load
        for dock in window.docks():
            if dock is not window.gallery:
                dock.setParent(None)
                dock.deleteLater()
    window.show()
    window.resize(1600, 1000)  # the offscreen screen is 800x800; measure the real layout
    await asyncio.sleep(0.3)  # first paint of the empty window is start-up, not gallery load
    beat.start()
    start = time.perf_counter()
    client.start()  # Animaze becomes reachable: everything loads from here
    gallery = window.gallery
    while not gallery.visible_icons_loaded():
        if time.perf_counter() - start > 60:
            raise TimeoutError("icons did not show within 60 s")
        await asyncio.sleep(0.002)
    elapsed = time.perf_counter() - start
    await asyncio.sleep(0.3)  # keep measuring while the other docks finish loading
    beat.stop()
    worst, p99 = beat.stats()
    result = {
        "visible": len(gallery.visible_names()),
        "fetched": gallery.icons.fetched,
        "icons_s": elapsed,
        "max_ms": worst,
        "p99_ms": p99,
    }
    window.close()
    await session.aclose()
    await client.close()
    window.deleteLater()
    return result


async def idle(beat: Heartbeat, seconds: float) -> dict[str, float]:
    beat.start()
    await asyncio.sleep(seconds)
    beat.stop()
    worst, p99 = beat.stats()
    return {"visible": 0, "fetched": 0, "icons_s": float("nan"), "max_ms": worst, "p99_ms": p99}


async def run(rounds: int) -> None:
    sim = SimulatorThread(num_avatars=AVATARS, icon_size=ICON_PNG_BYTES).start()
    beat = Heartbeat()
    rows: dict[str, list[dict[str, float]]] = {}
    try:
        for _ in range(rounds):
            base = Path(tempfile.mkdtemp(prefix="animaze-gallery-bench-"))
            rows.setdefault("idle loop (baseline)", []).append(await idle(beat, 1.0))
            rows.setdefault("cold cache (off-thread)", []).append(
                await load_once(sim.url, base / "icons", beat, inline=False))
            rows.setdefault("warm cache (restart)", []).append(
                await load_once(sim.url, base / "icons", beat, inline=False))
            rows.setdefault("gallery dock alone, cold", []).append(
                await load_once(sim.url, base / "icons-alone", beat, inline=False, alone=True))
            rows.setdefault("GUI-thread decode (naive)", []).append(
                await load_once(sim.url, base / "icons-naive", beat, inline=True))
    finally:
        sim.stop()
    base_max = statistics.median(r["max_ms"] for r in rows["idle loop (baseline)"])
    print(f"gallery load: {AVATARS} avatars, icons ~{ICON_PNG_BYTES * 4 // 3 // 1024} KB base64, "
          f"window 1600x1000 offscreen, median of {rounds} rounds")
    print(f"{'case':28} {'visible':>7} {'fetched':>7} {'icons shown':>12} "
          f"{'max stall':>10} {'p99 stall':>10} {'max/base':>8}")
    for name, samples in rows.items():
        def med(key: str, s: list[dict[str, float]] = samples) -> float:
            return statistics.median(r[key] for r in s)
        shown = "-" if name.startswith("idle") else f"{med('icons_s'):10.3f} s"
        print(f"{name:28} {med('visible'):7.0f} {med('fetched'):7.0f} {shown:>12} "
              f"{med('max_ms'):7.1f} ms {med('p99_ms'):7.2f} ms "
              f"{med('max_ms') / max(base_max, 0.001):7.1f}x")
    cold = rows["cold cache (off-thread)"]
    worst = statistics.median(r["max_ms"] for r in cold)
    shown_s = statistics.median(r["icons_s"] for r in cold)
    print(f"targets: max stall <= 16 ms -> {'OK' if worst <= 16 else 'MISSED'}; "
          f"visible icons < 2 s -> {'OK' if shown_s < 2 else 'MISSED'}")


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    app = QApplication.instance() or QApplication([])
    QApplication.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        loop.run_until_complete(run(rounds))


if __name__ == "__main__":
    main()
