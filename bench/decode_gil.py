"""Does icon decoding on worker threads starve the other Python threads of the GIL?

While two worker threads decode ~64 KB PNG icons back to back (as the gallery's pool does on a
cold load), the main thread runs a heartbeat: ``time.sleep(0.5 ms)`` in a loop, recording the
gap between beats. A beat needs the GIL, exactly like a GUI-thread callback or a hotkey on the
lane (``animaze/io_thread.py``). Cases, all in one run:

* **idle (baseline)** - no workers;
* **pure-Python workers** - a CPU loop; CPython's switch interval (5 ms) bounds the wait;
* **decode, no yield** - ``QImage`` decode + scale, the old worker;
* **decode + yield_gil()** - the same, with :func:`~animaze_panel.ui.widgets.icon_cache.yield_gil`
  after each icon, as ``decode_icon`` / ``load_thumbnail`` now do.

Run: ``QT_QPA_PLATFORM=offscreen uv run python bench/decode_gil.py [seconds per case]``
"""

from __future__ import annotations

import base64
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QByteArray, Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage  # noqa: E402

from animaze_panel.simulator.icons import IconKind, icon_base64  # noqa: E402
from animaze_panel.ui.widgets.icon_cache import THUMB_SIZE, yield_gil  # noqa: E402

WORKERS = 2
BEAT = 0.0005
ICON_BYTES = 48 * 1024


def decode(raw: bytes) -> None:
    image = QImage()
    image.loadFromData(QByteArray(raw))
    image.scaled(THUMB_SIZE, THUMB_SIZE, Qt.AspectRatioMode.KeepAspectRatio,
                 Qt.TransformationMode.SmoothTransformation)


def decode_and_yield(raw: bytes) -> None:
    decode(raw)
    yield_gil()


def python_loop(_raw: bytes) -> None:
    total = 0
    for i in range(20_000):
        total += i


def heartbeat(job: Callable[[bytes], None] | None, icons: list[bytes], seconds: float
              ) -> tuple[list[float], int]:
    """Gaps between main-thread beats (s) while workers run ``job``; and icons processed."""
    stop = threading.Event()
    done = [0] * WORKERS

    def work(slot: int) -> None:
        assert job is not None
        while not stop.is_set():
            for raw in icons:
                job(raw)
                done[slot] += 1

    threads = [threading.Thread(target=work, args=(i,)) for i in range(WORKERS)] if job else []
    for thread in threads:
        thread.start()
    gaps: list[float] = []
    last = time.perf_counter()
    end = last + seconds
    while last < end:
        time.sleep(BEAT)
        now = time.perf_counter()
        gaps.append(now - last)
        last = now
    stop.set()
    for thread in threads:
        thread.join()
    return gaps, sum(done)


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0
    QGuiApplication.instance() or QGuiApplication([])
    icons = [base64.b64decode(icon_base64(IconKind.AVATAR, f"bench{i}", pad_to=ICON_BYTES))
             for i in range(16)]
    cases: list[tuple[str, Callable[[bytes], None] | None]] = [
        ("idle (baseline)", None),
        ("pure-Python workers", python_loop),
        ("decode, no yield", decode),
        ("decode + yield_gil()", decode_and_yield),
    ]
    print(f"main-thread heartbeat ({BEAT * 1000:g} ms sleeps) while {WORKERS} workers run; "
          f"{len(icons)} icons of {ICON_BYTES // 1024} KB PNG, {seconds:g} s per case")
    print(f"{'case':22} {'beats':>6} {'icons/s':>8} {'p50 gap':>9} {'p99 gap':>9} {'max gap':>9} "
          f"{'p99 x base':>10}")
    base99 = 0.0
    for name, job in cases:
        gaps, icons_done = heartbeat(job, icons, seconds)
        ordered = sorted(gaps)
        p50 = statistics.median(ordered) * 1000
        p99 = ordered[max(0, int(len(ordered) * 0.99) - 1)] * 1000
        base99 = base99 or p99
        rate = f"{icons_done / seconds:8.0f}" if job in (decode, decode_and_yield) else "       -"
        print(f"{name:22} {len(gaps):6d} {rate} {p50:6.2f} ms {p99:6.2f} ms "
              f"{ordered[-1] * 1000:6.2f} ms {p99 / base99:9.1f}x")


if __name__ == "__main__":
    main()
