"""Cold start to an interactive window (offscreen) and peak RSS, against a bare Qt baseline.

Each run is a fresh process: ``python -m animaze_panel --demo --ready-probe`` starts the built-in
simulator, builds the full window, connects and prints ``ready <s>`` once the gallery lists the
avatars (the window is usable), then quits. Wall time is measured from spawn to that line; peak
RSS comes from ``psutil`` polling. The baseline is a bare ``QMainWindow`` shown in a process of
its own, measured the same way, so the ratio shows what the panel adds to Qt itself.

Targets: cold start < 1.0 s, peak RSS < 150 MB.
Run: ``uv run python bench/cold_start.py [runs]``
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import psutil

BASELINE = (
    "import time; t=time.perf_counter()\n"
    "from PySide6.QtWidgets import QApplication, QMainWindow\n"
    "app = QApplication([]); w = QMainWindow(); w.resize(1600, 1000); w.show()\n"
    "app.processEvents(); print(f'ready {time.perf_counter()-t:.3f}', flush=True)\n"
)


def measure(argv: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Run once; return (wall seconds to ready, in-process seconds, peak RSS MB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True, env=env)
    ps = psutil.Process(proc.pid)
    ready: list[tuple[float, float]] = []

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("ready ") and not ready:
                ready.append((time.perf_counter() - start, float(line.split()[1])))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    peak = 0
    while proc.poll() is None:
        try:
            peak = max(peak, ps.memory_info().rss)
        except psutil.Error:
            pass
        time.sleep(0.005)
    reader.join(10)
    if proc.stdout is not None:
        proc.stdout.close()
    if not ready:
        raise RuntimeError(f"{argv} never printed 'ready' (exit status {proc.returncode})")
    return ready[0][0], ready[0][1], peak / 2**20


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    home = tempfile.mkdtemp(prefix="animaze-bench-")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=home,
               XDG_CACHE_HOME=home)
    cases = {
        "bare QMainWindow (baseline)": [sys.executable, "-c", BASELINE],
        "animaze-panel --demo": [sys.executable, "-m", "animaze_panel", "--demo",
                                 "--ready-probe", "--settings", f"{home}/s.ini"],
    }
    results = {}
    for name, argv in cases.items():
        measure(argv, env)  # warm the OS file cache: we measure the app, not the disk
        samples = [measure(argv, env) for _ in range(runs)]
        results[name] = (
            statistics.median(s[0] for s in samples),
            statistics.median(s[1] for s in samples),
            max(s[2] for s in samples),
        )
    base_wall, _, base_rss = results["bare QMainWindow (baseline)"]
    print(f"cold start, {runs} runs each (median; RSS = max of peaks); offscreen")
    print(f"{'case':30} {'spawn->ready':>13} {'in-process':>11} {'peak RSS':>10} {'x base':>7}")
    for name, (wall, inner, rss) in results.items():
        print(f"{name:30} {wall:11.3f} s {inner:9.3f} s {rss:7.1f} MB {wall / base_wall:6.2f}x")
    wall, _, rss = results["animaze-panel --demo"]
    print(f"targets: cold start < 1.0 s -> {'OK' if wall < 1.0 else 'MISSED'}; "
          f"peak RSS < 150 MB -> {'OK' if rss < 150 else 'MISSED'}")


if __name__ == "__main__":
    main()
