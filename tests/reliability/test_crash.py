"""Crash safety: an unhandled exception is logged, reported (secrets blanked) and shown once,
and the panel keeps running; settings and hotkeys.toml survive a kill in the middle of a save."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import sys
import textwrap
import threading
import tomllib
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from animaze_panel.secrets import Secret
from animaze_panel.ui.crash import MASK, CrashReporter, install, redact

from .conftest import FIGURES


class Boom(RuntimeError):
    pass


@pytest.mark.qt_no_exception_capture
def test_exception_in_a_slot_is_reported_redacted_shown_once_and_the_panel_runs_on(
    qtbot: QtBot, tmp_path: Path
) -> None:
    key = Secret("sk-live-0123456789abcdef")
    shown: list[str] = []
    reporter = CrashReporter(tmp_path / "reports", shown.append)
    loop = asyncio.new_event_loop()
    uninstall = install(reporter, loop)
    ticks: list[int] = []
    try:
        def boom() -> None:
            raise Boom(f"upload failed with x-api-key={key.reveal()} and "
                       f"Authorization: Bearer {key.reveal()}")

        for _ in range(2):  # the same failure twice: reported twice, shown once
            QTimer.singleShot(0, boom)
        QTimer.singleShot(5, lambda: ticks.append(1))  # the event loop keeps going
        qtbot.waitUntil(lambda: len(reporter.reports) == 2 and ticks == [1], timeout=10_000)

        def worker() -> None:
            raise Boom("in a worker thread")

        thread = threading.Thread(target=worker, name="icon-decoder")
        thread.start()
        thread.join()
    finally:
        uninstall()
        loop.close()
    assert len(reporter.reports) == 3
    assert len(shown) == 2  # the slot failure once, the thread failure once
    assert "keeps running" in shown[0] and str(reporter.reports[0]) in shown[0]
    for path in reporter.reports:
        text = path.read_text(encoding="utf-8")
        assert "Boom" in text
        assert key.reveal() not in text
    assert MASK in reporter.reports[0].read_text(encoding="utf-8")
    assert key.reveal() not in "".join(shown)
    assert sys.excepthook is not reporter.excepthook


def test_task_exceptions_reach_the_reporter(tmp_path: Path) -> None:
    shown: list[str] = []
    reporter = CrashReporter(tmp_path, shown.append)
    loop = asyncio.new_event_loop()
    uninstall = install(reporter, loop)
    try:
        async def failing() -> None:
            raise Boom("nobody awaited me")

        async def main() -> None:
            task = loop.create_task(failing())
            await asyncio.sleep(0)
            await asyncio.sleep(0)
            del task  # dropped unretrieved: the loop reports it when collected

        loop.run_until_complete(main())
        import gc

        gc.collect()
    finally:
        uninstall()
        loop.close()
    assert len(reporter.reports) == 1 and len(shown) == 1


def test_redact_blanks_known_values_and_credential_shapes() -> None:
    assert redact("KS djJ8MTIzNDU2Nzg5MHxhYmNk end", frozenset()) == f"KS {MASK} end"
    assert redact('{"clientSecret": "abcd1234"}', frozenset()) == f'{{"clientSecret": "{MASK}"}}'
    assert redact("?token=abcdefgh&x=1", frozenset()) == f"?token={MASK}&x=1"
    assert redact("value hunter22 here", frozenset({"hunter22"})) == f"value {MASK} here"
    assert redact("nothing secret", frozenset()) == "nothing secret"


_SAVER = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    from PySide6.QtCore import QSettings
    from animaze_panel.hotkeys.keys import KeyCombo
    from animaze_panel.hotkeys.bindings import Binding
    from animaze_panel.hotkeys.actions import Emote
    from animaze_panel.hotkeys.store import Profile, save_file

    folder = Path(sys.argv[1])

    def save_forever(seed):
        settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
        i = seed
        while True:
            bindings = tuple(Binding(KeyCombo.parse(f"Ctrl+F{1 + k % 12}"), (Emote(f"E{i}_{k}"),))
                             for k in range(1 + i % 12))
            save_file(folder / "hotkeys.toml", Profile(True, bindings, ()))
            settings.setValue("generation", i)
            settings.setValue("blob", "x" * (1000 + i % 5000))
            settings.sync()
            i += 1

    import signal
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # killed savers are reaped by the kernel
    # A zygote: imports once, then forks one saver per line read; the test kills the saver.
    for line in sys.stdin:
        pid = os.fork()
        if pid == 0:
            save_forever(int(line))
        print(pid, flush=True)
""")


def test_settings_and_hotkeys_survive_a_kill_during_save(tmp_path: Path) -> None:
    from PySide6.QtCore import QSettings

    rng = random.Random(7)
    kills = 20
    zygote = subprocess.Popen([sys.executable, "-c", _SAVER, str(tmp_path)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert zygote.stdin is not None and zygote.stdout is not None
    try:
        for round_ in range(kills):
            zygote.stdin.write(f"{round_ * 1000}\n")
            zygote.stdin.flush()
            saver = int(zygote.stdout.readline())
            # A random moment inside the save loop: after the file changed a random number
            # of times (polling the file, not sleeping a fixed time).
            target = rng.randint(1, 8)
            seen, last = 0, b""
            while seen < target:
                try:
                    data = (tmp_path / "hotkeys.toml").read_bytes()
                except FileNotFoundError:
                    continue
                if data != last:
                    seen, last = seen + 1, data
            os.kill(saver, signal.SIGKILL)
            profile = tomllib.loads((tmp_path / "hotkeys.toml").read_text(encoding="utf-8"))
            assert profile["binding"], "a killed save left an empty profile"
            settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
            assert settings.status() is QSettings.Status.NoError
            assert int(str(settings.value("generation"))) >= 0
            assert len(str(settings.value("blob"))) >= 1000
    finally:
        zygote.kill()
        zygote.wait(10)
        zygote.stdin.close()
        zygote.stdout.close()
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".hotkeys-")]
    FIGURES["Kill during save"] = (f"{kills} kills mid-save: hotkeys.toml and settings.ini "
                                   f"always complete and readable; {len(leftovers)} temp files "
                                   "left behind")
