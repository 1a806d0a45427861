"""Benchmark, GUI half: the Kaltura avatar's 720p30 stream shown in the panel's widgets.

``bench/whep_view.py --gui`` runs this. The fake Kaltura server streams its H.264 test pattern
and Opus tone from a child process (the real server is remote: its encoder must not share this
process's GIL). The session is the product's ``KalturaViewModel``: ``WhepReceiver`` on its media
thread feeding a ``VideoSurface`` (conversion on its worker thread) shown by the page's
``VideoPanel`` (960x600), and an ``AudioPlayer`` (QAudioSink) on a PulseAudio null sink. A 1 ms
precise Qt timer measures how late the GUI loop runs. Cases in one run:

* idle loop: the heartbeat alone, the page shown, no stream (this machine's noise: baseline);
* 720p30 page: the stream into the view and the sound output.

Underruns are shown beside how the sound arrived (longest gap between two audio frames, and
gaps over 90 ms): a gap longer than the cushion the lip-sync budget allows cannot be covered.

Reported: frames shown per second (paints of a new picture; target >= 29), GUI-loop stall
p99 (< 8 ms) and max (< 16 ms) with the ratio to the idle loop, GUI-thread CPU share
(``time.thread_time`` of the GUI thread / wall time), audio underruns (target 0; run
``--seconds 60`` for the 60 s figure) and the sound delay the player holds.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@contextmanager
def null_sink() -> Iterator[str]:
    """A private PulseAudio server with a null sink (yields "" when there is none)."""
    binary, pacat = shutil.which("pulseaudio"), shutil.which("pacat")
    if os.environ.get("PULSE_SERVER") or binary is None or pacat is None:
        yield os.environ.get("PULSE_SERVER", "")
        return
    folder = Path(tempfile.mkdtemp(prefix="whep-bench-pulse-"))
    socket = folder / "native"
    env = dict(os.environ, XDG_RUNTIME_DIR=str(folder), HOME=str(folder))
    server = subprocess.Popen(
        [binary, "-n", "--daemonize=no", "--exit-idle-time=-1", "--use-pid-file=no",
         "-L", "module-null-sink sink_name=null",
         "-L", f"module-native-protocol-unix socket={socket} auth-anonymous=1"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while not socket.exists() and time.monotonic() < deadline and server.poll() is None:
        time.sleep(0.02)  # the server creates its socket; nothing to wait on but the file
    os.environ["PULSE_SERVER"] = f"unix:{socket}"
    # A silent low-latency stream keeps the null sink clocked in real time (idle, it sleeps
    # for 2 s and swallows sound in gulps, which would count as underruns).
    keeper = subprocess.Popen(
        [pacat, "--playback", "--rate=48000", "--channels=2", "--format=s16le",
         "--latency-msec=20", "/dev/zero"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield os.environ["PULSE_SERVER"]
    finally:
        keeper.terminate()
        server.terminate()
        keeper.wait(5)
        server.wait(5)
        os.environ.pop("PULSE_SERVER", None)
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class GuiRow:
    """One case's figures."""

    name: str
    seconds: float
    shown: int = 0
    stall_p99_ms: float = 0.0
    stall_max_ms: float = 0.0
    cpu_share: float = 0.0
    underruns: int | None = None
    arrival_gap_ms: float | None = None
    late_arrivals: int | None = None
    delay_ms: float | None = None
    dropped_ms: float | None = None


LATE_ARRIVAL_MS = 90.0
"""An audio frame arriving this long after the previous one empties the player's cushion
(sink buffer + queue, kept under 100 ms for lip sync): an underrun the player cannot avoid."""


class Heartbeat:
    """A 1 ms precise timer recording how late each tick is."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

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
        return ordered[max(0, int(len(ordered) * 0.99) - 1)] * 1000, ordered[-1] * 1000


@contextmanager
def fake_server_process(width: int, height: int, fps: float) -> Iterator[str]:
    """The fake Kaltura server in a child process; yields its API base URL.

    The real avatar server is remote: its H.264 encoder must not share this process's GIL.
    """
    code = (
        "import sys\n"
        "from animaze_panel.fakes.kaltura_server import FakeKalturaThread\n"
        f"fake = FakeKalturaThread(width={width}, height={height}, fps={fps})\n"
        "print(fake.start(), flush=True)\n"
        "sys.stdin.read()\n"
        "fake.stop()\n"
    )
    child = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stdin is not None
    try:
        yield child.stdout.readline().strip()
    finally:
        child.stdin.close()
        child.wait(15)


class _Store:
    """A secret store in memory (the bench never touches a keyring)."""

    def __init__(self) -> None:
        self.values: dict[str, object] = {}

    def available(self) -> bool:
        return True

    def get(self, name: str) -> object:
        return self.values.get(name)

    def set(self, name: str, secret: object) -> None:
        self.values[name] = secret

    def delete(self, name: str) -> None:
        self.values.pop(name, None)


async def _case(name: str, seconds: float, base_url: str) -> GuiRow:
    """Show the Kaltura page's video panel; with ``base_url`` run a live session into it."""
    from PySide6.QtCore import QSize

    from animaze_panel.cloud.kaltura import KalturaConfig
    from animaze_panel.fakes.kaltura_server import DEMO_KS
    from animaze_panel.ui.kaltura.video_panel import VideoPanel
    from animaze_panel.ui.kaltura.viewmodel import KalturaViewModel, Phase

    model = KalturaViewModel(KalturaConfig(base_url=base_url or "http://127.0.0.1:9"),
                             _Store(), connect_timeout=30.0)  # type: ignore[arg-type]
    arrivals: list[float] = []
    player_push = model.audio.push

    def push(frame: object) -> None:  # on the media thread: when each audio frame arrived
        arrivals.append(time.perf_counter())
        player_push(frame)  # type: ignore[arg-type]

    model.audio.push = push  # type: ignore[method-assign]  # the receiver binds it at start
    panel = VideoPanel(model)
    panel.resize(QSize(960, 600))
    panel.show()
    beat = Heartbeat()
    row = GuiRow(name, seconds)
    try:
        if base_url and not await model.start(DEMO_KS, "bench-avatar"):
            raise RuntimeError(f"the session did not start: {model.errors}")
        await asyncio.sleep(1.0)  # first frames, first paints: start-up is not measured
        view, audio = panel.view, model.audio
        under0 = audio.underruns
        arrived0 = len(arrivals)
        beat.start()
        shown0, cpu0, wall0 = view.frames_painted, time.thread_time(), time.perf_counter()
        await asyncio.sleep(seconds)
        wall = time.perf_counter() - wall0
        beat.stop()
        row.seconds = wall
        row.cpu_share = (time.thread_time() - cpu0) / wall
        row.shown = view.frames_painted - shown0
        row.stall_p99_ms, row.stall_max_ms = beat.stats()
        if base_url and audio.available:
            row.underruns = audio.underruns - under0
            row.delay_ms, row.dropped_ms = audio.delay_ms(), audio.dropped_ms
            window = arrivals[arrived0:]
            gaps = [(b - a) * 1000 for a, b in zip(window, window[1:], strict=False)]
            row.arrival_gap_ms = max(gaps, default=0.0)
            row.late_arrivals = sum(1 for gap in gaps if gap > LATE_ARRIVAL_MS)
        if base_url and model.phase is not Phase.LIVE:
            raise RuntimeError(f"the session did not stay live: {model.errors}")
    finally:
        await model.aclose()
        panel.close_window()
        panel.close()
    return row


def print_gui_table(rows: list[GuiRow], fps: float) -> None:
    """One line per case, then the verdicts against the targets."""
    base = rows[0]
    print(f"\n{'case':<14} {'shown fps':>9} {'stall p99':>10} {'x idle':>7} {'stall max':>10} "
          f"{'x idle':>7} {'GUI CPU':>8} {'underruns':>9} {'sound delay':>11} {'dropped':>9} "
          f"{'max arrival gap':>15} {'gaps > 90 ms':>12}")
    for row in rows:
        under = "-" if row.underruns is None else str(row.underruns)
        delay = "-" if row.delay_ms is None else f"{row.delay_ms:.0f} ms"
        dropped = "-" if row.dropped_ms is None else f"{row.dropped_ms:.0f} ms"
        gap = "-" if row.arrival_gap_ms is None else f"{row.arrival_gap_ms:.0f} ms"
        late = "-" if row.late_arrivals is None else str(row.late_arrivals)
        print(f"{row.name:<14} {row.shown / row.seconds:>9.1f} {row.stall_p99_ms:>7.2f} ms "
              f"{row.stall_p99_ms / max(base.stall_p99_ms, 1e-3):>6.1f}x "
              f"{row.stall_max_ms:>7.2f} ms "
              f"{row.stall_max_ms / max(base.stall_max_ms, 1e-3):>6.1f}x "
              f"{row.cpu_share:>7.1%} {under:>9} {delay:>11} {dropped:>9} {gap:>15} {late:>12}")
    live = rows[-1]
    shown = live.shown / live.seconds

    def verdict(ok: bool) -> str:
        return "ok" if ok else "MISSED"

    print(f"\nshown {shown:.1f} fps (>= {fps - 1:g}: {verdict(shown >= fps - 1)}); "
          f"stall p99 {live.stall_p99_ms:.2f} ms (< 8: {verdict(live.stall_p99_ms < 8)}); "
          f"max {live.stall_max_ms:.2f} ms (< 16: {verdict(live.stall_max_ms < 16)}); "
          + ("no sound device: underruns not measured" if live.underruns is None else
             f"underruns {live.underruns} in {live.seconds:.0f} s "
             f"(0: {verdict(live.underruns == 0)})"))


def run_gui(seconds: float, width: int, height: int, fps: float) -> None:
    """Run the GUI cases on a qasync loop and print the table."""
    with null_sink() as pulse:
        import qasync
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance() or QApplication([])
        QApplication.setQuitOnLastWindowClosed(False)  # closing a case's view must not quit
        loop = qasync.QEventLoop(app)
        asyncio.set_event_loop(loop)

        async def both(base_url: str) -> list[GuiRow]:
            idle = await _case("idle loop", seconds, "")
            live = await _case(f"{height}p{fps:g} page", seconds, base_url)
            return [idle, live]

        with fake_server_process(width, height, fps) as base_url, loop:
            rows = loop.run_until_complete(both(base_url))
        print(f"\nGUI: WHEP {width}x{height} @ {fps:g} fps into a 960x540 view, {seconds:g} s "
              f"per case, sound: {pulse or 'none'}")
        print_gui_table(rows, fps)
