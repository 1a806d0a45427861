"""Shared pieces of the reliability suite: a simulator process to kill, freeze and restart,
memory readings, and the figures the suite prints at the end (quoted in the README)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

RUNNER = Path(__file__).with_name("sim_runner.py")
FIGURES: dict[str, str] = {}
"""name -> value, printed in the terminal summary (one line each)."""


def free_port() -> int:
    """A TCP port free right now on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class SimProcess:
    """The simulator in a child process on a fixed port; the next one is always parked."""

    def __init__(self, port: int, latency: float = 0.0) -> None:
        self.port = port
        self.latency = latency
        self.url = f"ws://127.0.0.1:{port}"
        self.current: subprocess.Popen[str] | None = None
        self._parked = self._spawn()
        self.starts = 0

    def _spawn(self) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, str(RUNNER), str(self.port), str(self.latency)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )

    def start(self, timeout: float = 30.0) -> None:
        """Unpark the next process; returns once it listens."""
        assert self.current is None, "kill the running simulator first"
        proc, self._parked = self._parked, self._spawn()
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
        line = proc.stdout.readline()  # blocks until bound (or the child died)
        if line.strip() != "listening":
            raise RuntimeError(f"the simulator did not start (said {line!r}, "
                               f"exit {proc.poll()})")
        self.current = proc
        self.starts += 1

    def kill(self) -> None:
        """SIGKILL, like a crash: no close frames, the socket just dies."""
        proc, self.current = self.current, None
        if proc is not None:
            _end(proc)

    def freeze(self) -> None:
        """SIGSTOP: the TCP connection stays open but nothing answers (a half-open link)."""
        assert self.current is not None
        self.current.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        """SIGCONT."""
        assert self.current is not None
        self.current.send_signal(signal.SIGCONT)

    def close(self) -> None:
        """Kill everything, the parked process included."""
        self.kill()
        _end(self._parked)


def _end(proc: subprocess.Popen[str]) -> None:
    proc.kill()
    proc.wait(10)
    for pipe in (proc.stdin, proc.stdout):
        if pipe is not None:
            pipe.close()


@pytest.fixture
def sim_process() -> Iterator[SimProcess]:
    """A started simulator process (and a parked one for restarts)."""
    sim = SimProcess(free_port())
    sim.start()
    try:
        yield sim
    finally:
        sim.close()


def rss_mb() -> float:
    """This process's resident memory in MiB."""
    return float(psutil.Process().memory_info().rss) / (1024 * 1024)


def hog_figure(stats: dict[str, list[object]]) -> str | None:
    """What the CPU hog of ``scripts/pytest-loaded`` took beside this run, with the results.

    ``None`` outside a loaded run. The hog's CPU time is read from its processes, so the
    figure shows the load was really there, not just started.
    """
    pid = os.environ.get("ANIMAZE_PANEL_HOG")
    if not pid:
        return None
    try:
        hog = psutil.Process(int(pid))
        procs = [hog, *hog.children(recursive=True)]
        busy = sum(p.cpu_times().user + p.cpu_times().system for p in procs)
        wall = max(time.time() - hog.create_time(), 1e-9)
    except (psutil.Error, ValueError):
        return f"{os.environ.get('ANIMAZE_PANEL_HOG_DESC', 'a CPU hog')} (gone before the end)"
    counts = ", ".join(f"{len(stats.get(k, []))} {k}" for k in ("passed", "failed", "error"))
    return (f"{os.environ.get('ANIMAZE_PANEL_HOG_DESC', 'a CPU hog')} beside the suite took "
            f"{busy / wall:.2f} of {psutil.cpu_count()} cores over {wall:.0f} s; {counts}")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the figures the reliability tests measured."""
    loaded = hog_figure(terminalreporter.stats)
    if loaded is not None:
        FIGURES["loaded run"] = loaded
    if FIGURES:
        terminalreporter.section("reliability figures")
        for name, value in FIGURES.items():
            terminalreporter.write_line(f"{name}: {value}")
