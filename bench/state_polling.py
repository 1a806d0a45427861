"""What polling Animaze for outside changes costs: on the wire and on the GUI loop.

    uv run python bench/state_polling.py [--seconds 5] [--rounds 2]

The full main window (offscreen, 1600x1000) runs on a qasync loop with the app's connection (a
:class:`ThreadedClient`) to a simulator in a thread, as ``--demo`` does. Once every dock has
loaded (and start-up objects are frozen out of the collector, as in the app), the panel sits
idle - what a streamer's panel does most of the time - in alternating
phases with the shared state's polling off and on (the order alternates each round, so drift
in machine load hits both alike). For each phase:

* wire: frames/s and bytes/s the panel's connection sends and receives (counted by a frame
  listener, i.e. the text the client hands to or gets from websockets);
* GUI loop: how late a 1 ms precise Qt timer runs (p50, p99, max), the stall a user would feel.

Prints one table; the last column is the p99 stall relative to polling off in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import qasync  # noqa: E402
from PySide6.QtCore import QSettings, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from animaze_panel.animaze.io_thread import ThreadedClient  # noqa: E402
from animaze_panel.animaze.observers import Direction  # noqa: E402
from animaze_panel.app import build_window  # noqa: E402
from animaze_panel.simulator import SimulatorThread  # noqa: E402
from animaze_panel.ui.animaze_state import POLL_INTERVAL  # noqa: E402
from animaze_panel.ui.main_window import MainWindow  # noqa: E402
from animaze_panel.ui.self_test import wait_ready  # noqa: E402
from animaze_panel.ui.session import AnimazeSession  # noqa: E402
from animaze_panel.ui.widgets.gc_guard import MainThreadGc  # noqa: E402


class Heartbeat:
    """A 1 ms precise timer recording how late each tick is (seconds)."""

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

    def stop(self) -> list[float]:
        self.timer.stop()
        return list(self.gaps)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append(max(0.0, now - self._last - 0.001))
        self._last = now


@dataclass
class Traffic:
    """Frames and bytes seen by a frame listener."""

    frames: int = 0
    bytes: int = 0

    def seen(self, _direction: Direction, text: str) -> None:
        self.frames += 1
        self.bytes += len(text.encode())


@dataclass
class Phase:
    """Totals of every phase with one setting."""

    seconds: float = 0.0
    frames: int = 0
    bytes: int = 0
    gaps: list[float] = field(default_factory=list)


def percentile(values: list[float], q: float) -> float:
    """The q-quantile (0..1) of ``values``, nearest rank (0 for none)."""
    ordered = sorted(values) or [0.0]
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def measure(window: MainWindow, traffic: Traffic, beat: Heartbeat, polling: bool,
                  seconds: float, into: Phase) -> None:
    """One idle phase with polling on or off."""
    window.session.model.set_polling(polling)
    await asyncio.sleep(POLL_INTERVAL)  # a poll already under way belongs to the last phase
    frames, sent = traffic.frames, traffic.bytes
    beat.start()
    start = time.perf_counter()
    await asyncio.sleep(seconds)
    into.seconds += time.perf_counter() - start
    into.gaps += beat.stop()
    into.frames += traffic.frames - frames
    into.bytes += traffic.bytes - sent


async def run(seconds: float, rounds: int, collector: MainThreadGc) -> None:
    """Build the window, let it load, then alternate the phases and print the table."""
    scratch = Path(tempfile.mkdtemp(prefix="state-polling-"))
    with SimulatorThread() as sim:
        client = ThreadedClient(sim.url)
        session = AnimazeSession(client)
        settings = QSettings(str(scratch / "bench.ini"), QSettings.Format.IniFormat)
        window = build_window(session, settings, reset_layout=True,
                              icon_cache_dir=scratch / "icons")
        window.show()
        window.resize(1600, 1000)
        client.start()
        traffic = Traffic()
        client.add_frame_listener(traffic.seen)
        beat = Heartbeat()
        phases = {False: Phase(), True: Phase()}
        try:
            await wait_ready(window, timeout=60)
            collector.freeze_startup()  # as the app does once its window is up
            for number in range(rounds):
                order = (False, True) if number % 2 == 0 else (True, False)
                for polling in order:
                    await measure(window, traffic, beat, polling, seconds, phases[polling])
                print(f"round {number + 1}/{rounds} done", file=sys.stderr, flush=True)
        finally:
            window.close()
            await session.aclose()
            await client.close()
    base = percentile(phases[False].gaps, 0.99)
    print(f"state polling every {POLL_INTERVAL:g} s: {rounds} rounds x {seconds:g} s per "
          "setting, idle full window, ThreadedClient")
    print(f"{'polling':<8} {'frames/s':>9} {'bytes/s':>9} {'stall p50 ms':>13} "
          f"{'p99 ms':>8} {'max ms':>8} {'p99 vs off':>11}")
    for polling, phase in ((False, phases[False]), (True, phases[True])):
        p99 = percentile(phase.gaps, 0.99)
        ratio = p99 / base if base > 0 else float("nan")
        print(f"{'on' if polling else 'off':<8} {phase.frames / phase.seconds:>9.1f} "
              f"{phase.bytes / phase.seconds:>9.0f} {percentile(phase.gaps, 0.5) * 1000:>13.3f} "
              f"{p99 * 1000:>8.3f} {max(phase.gaps, default=0.0) * 1000:>8.3f} {ratio:>11.2f}")


def main() -> None:
    """Parse the arguments and run the bench on a qasync loop."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="seconds per phase (5)")
    parser.add_argument("--rounds", type=int, default=2, help="rounds of off+on (2)")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    QApplication.setQuitOnLastWindowClosed(False)
    collector = MainThreadGc(app)  # the app's collector: GUI thread only, on a timer
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        with loop:
            loop.run_until_complete(run(args.seconds, args.rounds, collector))
    finally:
        collector.stop()


if __name__ == "__main__":
    main()
