"""``animaze-panel call``: which address it uses, how it words failures, usage errors, pipes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from animaze_panel import cli
from animaze_panel.__main__ import main
from animaze_panel.simulator import SimulatorThread

ROOT = Path(__file__).resolve().parents[2]


def _settings_file(path: Path, url: str) -> Path:
    """A panel settings file (Qt's INI format, QSettings' own layout) remembering ``url``."""
    path.write_text(f"[connection]\nlastUrl={url}\n", encoding="utf-8")
    return path


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), **extra}


def test_without_url_the_address_the_panel_remembers_is_used(
    simulator_thread: SimulatorThread, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = _settings_file(tmp_path / "settings.ini", simulator_thread.url)
    status = main(["call", "--settings", str(settings), "TriggerEmote", "itemName=Emote_Alarm"])
    assert status == cli.EXIT_OK, capsys.readouterr().err
    assert simulator_thread.simulator.world.emotes_played == ["Emote_Alarm"]


def test_errors_name_the_remembered_address(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with SimulatorThread() as sim:
        url = sim.url
    settings = _settings_file(tmp_path / "settings.ini", url)  # nobody listens there now
    status = main(["call", "--settings", str(settings), "--timeout", "2", "GetAvatars"])
    assert status == cli.EXIT_UNREACHABLE
    assert url in capsys.readouterr().err


def test_timeout_names_the_address(
    simulator_thread: SimulatorThread, capsys: pytest.CaptureFixture[str]
) -> None:
    simulator_thread.faults.set(latency=3.0)
    status = main(["call", "--url", simulator_thread.url, "--timeout", "0.3", "GetAvatars"])
    err = capsys.readouterr().err
    assert status == cli.EXIT_NO_ANSWER
    assert simulator_thread.url in err and "GetAvatars" in err


def test_host_and_port_are_accepted_like_in_the_gui(
    simulator_thread: SimulatorThread, capsys: pytest.CaptureFixture[str]
) -> None:
    short = simulator_thread.url.removeprefix("ws://")
    assert main(["call", "--url", short, "GetCameraFov"]) == cli.EXIT_OK
    assert '"fov"' in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--url", "http://localhost:9000"], "ws://"),
        (["--url", "ws://localhost:port"], "port"),
        (["--timeout", "0"], "more than 0"),
        (["--timeout", "-1"], "more than 0"),
        (["--timeout", "nan"], "more than 0"),
        (["--timeout", "soon"], "not a number"),
    ],
)
def test_bad_address_or_timeout_is_a_usage_error(
    args: list[str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["call", *args, "GetAvatars"]) == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert words in err and "cannot reach" not in err.lower()


def test_remembered_address_from_the_real_settings_store(
    simulator_thread: SimulatorThread, tmp_path: Path
) -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("the native settings store is an INI file under XDG_CONFIG_HOME on Linux")
    (tmp_path / "animaze-panel").mkdir()
    _settings_file(tmp_path / "animaze-panel" / "animaze-panel.conf", simulator_thread.url)
    done = subprocess.run(
        [sys.executable, "-m", "animaze_panel", "call", "GetCameraFov"],
        capture_output=True, text=True, timeout=60,
        env=_env(XDG_CONFIG_HOME=str(tmp_path)),
    )  # fmt: skip
    assert done.returncode == cli.EXIT_OK, done.stderr
    assert simulator_thread.simulator.frame_count > 0


def test_closed_output_pipe_is_not_a_traceback(simulator_thread: SimulatorThread) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # like `| head` that has already exited
    try:
        done = subprocess.run(
            [sys.executable, "-m", "animaze_panel", "call", "--url", simulator_thread.url,
             "--pretty", "GetAvatars"],
            stdout=write_end, stderr=subprocess.PIPE, text=True, timeout=60, env=_env(),
        )  # fmt: skip
    finally:
        os.close(write_end)
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr, done.stderr
    assert done.returncode == cli.EXIT_FAILURE
