"""Helpers for the Kaltura page tests: a PulseAudio null sink, generated audio/video frames."""

from __future__ import annotations

import atexit
import math
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from fractions import Fraction
from pathlib import Path

import av


@contextmanager
def pulse_null_sink() -> Iterator[bool]:
    """Run a private PulseAudio server with a null sink; yields whether one is running.

    Sets ``PULSE_SERVER`` so Qt Multimedia (initialised later in the process) finds it. Keeps an
    already configured server. Without the ``pulseaudio`` binary the audio tests skip.
    """
    if os.environ.get("PULSE_SERVER"):
        yield True
        return
    binary = shutil.which("pulseaudio")
    if binary is None:
        yield False
        return
    folder = Path(tempfile.mkdtemp(prefix="kaltura-pulse-"))
    socket = folder / "native"
    env = dict(os.environ, XDG_RUNTIME_DIR=str(folder), HOME=str(folder))
    process = subprocess.Popen(
        [binary, "-n", "--daemonize=no", "--exit-idle-time=-1", "--use-pid-file=no",
         "--system=no", "-L", "module-null-sink sink_name=null",
         "-L", f"module-native-protocol-unix socket={socket} auth-anonymous=1"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while not socket.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)  # waiting for a child process to create its socket: no signal exists
    running = socket.exists()
    keeper: subprocess.Popen[bytes] | None = None
    if running:
        os.environ["PULSE_SERVER"] = f"unix:{socket}"
        pacat = shutil.which("pacat")
        if pacat is not None:
            # An idle null sink sleeps for its 2 s default latency and swallows the first
            # streams' sound in one late gulp; one silent low-latency stream keeps it running
            # in real time, as a sound card does.
            keeper = subprocess.Popen(
                [pacat, "--playback", "--rate=48000", "--channels=2", "--format=s16le",
                 "--latency-msec=20", "/dev/zero"],
                env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )
    try:
        yield running
    finally:
        os.environ.pop("PULSE_SERVER", None)
        if keeper is not None:
            keeper.terminate()
            keeper.wait(timeout=5)
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(folder, ignore_errors=True)


_SHARED: list[bool] = []


def shared_pulse() -> bool:
    """One null-sink server for the whole test run (started on first use, stopped at exit).

    Qt Multimedia keeps the first server it met: a sink opened after that server went away
    aborts the process, so every test module shares this one.
    """
    if not _SHARED:
        manager = pulse_null_sink()
        _SHARED.append(manager.__enter__())
        atexit.register(manager.__exit__, None, None, None)
    return _SHARED[0]


def tone_frame(index: int, samples: int = 960, rate: int = 48_000,
               hz: float = 440.0) -> av.AudioFrame:
    """20 ms of a sine tone as s16 stereo (what aiortc's Opus decoder hands over)."""
    data = bytearray()
    for i in range(samples):
        t = (index * samples + i) / rate
        value = int(8000 * math.sin(2 * math.pi * hz * t))
        data += value.to_bytes(2, "little", signed=True) * 2
    frame = av.AudioFrame(format="s16", layout="stereo", samples=samples)
    frame.planes[0].update(bytes(data) + bytes(frame.planes[0].buffer_size - len(data)))
    frame.sample_rate = rate
    frame.pts = index * samples
    frame.time_base = Fraction(1, rate)
    return frame
