"""``animaze-panel call`` / ``simulate`` against the simulator, in-process and as processes."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import types
from pathlib import Path

import pytest

from animaze_panel import cli
from animaze_panel.__main__ import main
from animaze_panel.animaze.errors import ENABLE_API_HINT, ValidationError
from animaze_panel.animaze.requests import LoadAvatar, SetCameraTransform, SetOverride
from animaze_panel.simulator import SimulatorThread

ROOT = Path(__file__).resolve().parents[2]


def call(
    sim: SimulatorThread, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str, str]:
    status = main(["call", "--url", sim.url, "--timeout", "5", *args])
    out, err = capsys.readouterr()
    return status, out, err


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def test_parse_value() -> None:
    assert cli.parse_value("2") == 2
    assert cli.parse_value("true") is True
    assert cli.parse_value("[0,1.7,1]") == [0, 1.7, 1]
    assert cli.parse_value("Avatar03") == "Avatar03"
    assert cli.parse_value("Auto Blink") == "Auto Blink"


def test_build_request_keeps_text_fields_as_text() -> None:
    assert cli.build_request("loadavatar", ["name=123"]) == LoadAvatar("123")
    request = cli.build_request("SetCameraTransform", ["position=[0,1.7,1]", "rotation=[0,0,0,1]"])
    assert request == SetCameraTransform((0.0, 1.7, 1.0), (0.0, 0.0, 0.0, 1.0))
    override = cli.build_request(
        "SetOverride", ["behavior=auto blink", "value=true", "frequency=1"]
    )
    assert override == SetOverride("Auto Blink", True, {"frequency": 1.0})
    with pytest.raises(ValidationError) as info:
        cli.build_request("TriggerPose", ["index=abc"])
    assert info.value.field == "index"


def test_call_prints_the_json_response(
    simulator_thread: SimulatorThread, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = call(simulator_thread, capsys, "GetCameraFov")
    assert status == 0 and err == ""
    reply = json.loads(out)
    assert reply["action"] == "GetCameraFov" and reply["fov"] == 60.000003814697266


def test_call_changes_state(
    simulator_thread: SimulatorThread, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = call(simulator_thread, capsys, "loadavatar", "name=AvatarBomb")
    assert status == 0 and json.loads(out)["name"] == "AvatarBomb"
    sent = simulator_thread.wait_for_frame(lambda f: f.action == "LoadAvatar")
    assert sent.message is not None and sent.message["name"] == "AvatarBomb"
    status, out, _ = call(simulator_thread, capsys, "GetCurrentAvatarInfo")
    assert json.loads(out)["avatars"][0]["friendlyName"] == "Bomb"
    args: tuple[str, ...] = ("SetCameraTransform", "position=[0,1.7,1]", "rotation=[0,0,0,1]")
    assert call(simulator_thread, capsys, *args)[0] == 0
    camera = json.loads(call(simulator_thread, capsys, "GetCameraTransform")[1])
    assert camera["position"] == [0.0, 1.7, 1.0]
    args = ("SetOverride", "behavior=Sound to Mouth Open", "value=true", "mouthSmoothTme=0.3")
    assert call(simulator_thread, capsys, *args)[0] == 0
    state = call(simulator_thread, capsys, "GetOverride", "behavior=Sound to Mouth Open")[1]
    assert json.loads(state)["mouthSmoothTme"] == 0.3


def test_pretty_output(
    simulator_thread: SimulatorThread, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = call(simulator_thread, capsys, "--pretty", "GetScenes")
    assert status == 0 and out.startswith("{\n  ") and len(json.loads(out)["scenes"]) >= 6


def test_animaze_error_exits_non_zero(
    simulator_thread: SimulatorThread, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = call(simulator_thread, capsys, "LoadAvatar", "name=Nobody")
    assert status == cli.EXIT_COMMAND_ERROR and out == ""
    assert "LoadAvatar" in err and "Avatar not found" in err


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("SetCameraFov", "fov=500"), "fov"),
        (("TriggerPose", "index=-1"), "index"),
        (("Broadcast", "toggle=yes"), "toggle"),
        (("SetOverride", "behavior=Moonwalk", "value=true"), "behavior"),
        (("LoadAvatar",), "name"),
        (("Dance",), "action"),
        (("LoadAvatar", "AvatarBomb"), "AvatarBomb"),
    ],
)
def test_invalid_input_names_the_field_and_sends_nothing(
    simulator_thread: SimulatorThread,
    capsys: pytest.CaptureFixture[str],
    args: tuple[str, ...],
    field: str,
) -> None:
    status, out, err = call(simulator_thread, capsys, *args)
    assert status == cli.EXIT_USAGE and out == ""
    assert err.startswith(f"animaze-panel: invalid {field}: ")
    assert simulator_thread.simulator.frame_count == 0


def test_unknown_fields_are_sent_with_a_note(
    simulator_thread: SimulatorThread, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ("SetOverride", "behavior=Auto Blink", "value=true", "frequncy=1")
    status, out, err = call(simulator_thread, capsys, *args)
    assert status == 0 and json.loads(out)["frequncy"] == 1
    assert "note: 'frequncy' is not a field of SetOverride" in err


def test_unreachable_says_how_to_enable_the_api(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["call", "--url", f"ws://127.0.0.1:{free_port()}", "GetAvatars"])
    out, err = capsys.readouterr()
    assert status == cli.EXIT_UNREACHABLE and out == ""
    assert ENABLE_API_HINT in err


def test_no_answer_times_out(
    simulator_thread: SimulatorThread, capsys: pytest.CaptureFixture[str]
) -> None:
    simulator_thread.faults.set(stall=True)
    status = main(["call", "--url", simulator_thread.url, "--timeout", "0.3", "GetAvatars"])
    out, err = capsys.readouterr()
    assert status == cli.EXIT_NO_ANSWER and out == "" and "GetAvatars" in err


def test_dropped_connection(
    simulator_thread: SimulatorThread, capsys: pytest.CaptureFixture[str]
) -> None:
    simulator_thread.faults.set(drop_after=0)
    status, out, err = call(simulator_thread, capsys, "GetAvatars")
    assert status == cli.EXIT_NO_ANSWER and out == "" and err


def test_misbehaving_animaze_still_answers(
    simulator_thread: SimulatorThread, capsys: pytest.CaptureFixture[str]
) -> None:
    simulator_thread.faults.set(garbage_frames=3, omit_id=True)
    status, out, _ = call(simulator_thread, capsys, "GetCameraFov")
    assert status == 0 and json.loads(out)["fov"] > 0


def test_help_and_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["call", "--help"]) == 0
    assert "exit status" in capsys.readouterr().out
    assert main(["call"]) == 2
    assert "ACTION" in capsys.readouterr().err
    assert main(["simulate", "--port", "notaport"]) == 2


def test_without_a_command_the_gui_gets_the_arguments(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[list[str]] = []

    def fake_main(argv: list[str]) -> int:
        seen.append(argv)
        return 7

    fake = types.ModuleType("animaze_panel.app")
    monkeypatch.setattr(fake, "main", fake_main, raising=False)
    monkeypatch.setitem(sys.modules, "animaze_panel.app", fake)
    assert main(["--demo", "--url", "ws://x:1"]) == 7
    assert seen == [["--demo", "--url", "ws://x:1"]]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def test_call_as_a_process(simulator_thread: SimulatorThread) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "animaze_panel",
            "call",
            "--url",
            simulator_thread.url,
            "TriggerEmote",
            "itemName=Emote_Alarm",
        ],  # fmt: skip
        capture_output=True,
        text=True,
        timeout=60,
        env=_env(),
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["itemName"] == "Emote_Alarm"
    assert simulator_thread.simulator.world.emotes_played == ["Emote_Alarm"]


def test_simulate_as_a_process(capsys: pytest.CaptureFixture[str]) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "animaze_panel", "simulate", "--port", "0", "--avatars", "20"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("Animaze simulator listening on ws://127.0.0.1:"), line
        url = line.split()[4]
        assert main(["call", "--url", url, "GetAvatars"]) == 0
        assert len(json.loads(capsys.readouterr().out)["avatars"]) == 20
    finally:
        proc.terminate()
        proc.communicate(timeout=30)
