"""The control API in the running panel: real HTTP and WebSocket requests, the simulator behind.

Every action travels the hotkeys' road (the lane, the state model); these tests check what
reaches the simulator, what the API answers, and what it pushes.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from aiohttp import ClientSession

from animaze_panel.control import discovery
from animaze_panel.control.server import ControlServer, ServerConfig
from animaze_panel.hotkeys.store import ProfileStore
from animaze_panel.secrets import Secret
from animaze_panel.simulator import SimulatorThread
from animaze_panel.ui.animaze_state import CATALOGUE, Part
from animaze_panel.ui.control.panel_backend import PanelBackend
from animaze_panel.ui.hotkeys.hotkeys_service import HotkeyService
from animaze_panel.ui.session import AnimazeSession

from . import controls_support as cs
from . import hotkeys_support as hs
from . import kinetix_fixtures as kf
from .conftest import action, count_frames, sim_frame

memory_keyring = kf.memory_keyring
sim = cs.sim
session = cs.session
backend = hs.backend
profile_path = hs.profile_path
pytestmark = cs.QT_LOG_IGNORE

TOKEN = "control-api-test-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def free_port() -> int:
    """A TCP port free right now on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Clock:
    """The API's cooldown clock, moved by the test."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest_asyncio.fixture
async def service(session: AnimazeSession, backend: hs.RecordingBackend,
                  profile_path: Path) -> AsyncIterator[HotkeyService]:
    """A hotkey service on the real clock (bindings' own cooldowns stay real)."""
    svc = HotkeyService(session, backend, ProfileStore(profile_path))
    yield svc
    await svc.aclose()


@pytest_asyncio.fixture
async def api(session: AnimazeSession, service: HotkeyService
              ) -> AsyncIterator[tuple[str, Clock]]:
    """The control server on a free port over the real panel backend."""
    clock = Clock()
    await asyncio.wait_for(session.model.settled(*CATALOGUE), 30)
    backend = PanelBackend(session, service, clock=clock)
    server = ControlServer(backend, Secret(TOKEN), ServerConfig(port=0))
    lane = service.lane_loop  # as in the app: the server runs where hotkeys run
    url = await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(server.start(), lane))
    yield url, clock
    await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(server.stop(), lane))


async def post(url: str, body: Any = None, headers: dict[str, str] | None = None
               ) -> httpx.Response:
    async with httpx.AsyncClient(timeout=30) as http:
        return await http.post(url, json=body, headers={**AUTH, **(headers or {})})


async def get(url: str) -> httpx.Response:
    async with httpx.AsyncClient(timeout=30) as http:
        return await http.get(url, headers=AUTH)


@pytest.mark.asyncio
async def test_run_an_emote_reaches_animaze_once_and_cooldown_refuses_a_repeat(
    sim: SimulatorThread, api: tuple[str, Clock]
) -> None:
    url, clock = api
    catalog = (await get(url + "/v1/catalog")).json()
    emote = catalog["emotes"][0]["name"]
    since = sim.simulator.frame_count
    answer = await post(url + "/v1/actions/run", {"type": "emote", "name": emote})
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"ok": True, "ran": f"Emote {emote}"}
    await sim_frame(sim, action("TriggerEmote", itemName=emote), since=since)
    again = await post(url + "/v1/actions/run", {"type": "emote", "name": emote})
    assert again.status_code == 429
    assert again.json()["error"]["code"] == "cooldown"
    clock.now += 1.0
    third = await post(url + "/v1/actions/run", {"type": "emote", "name": emote})
    assert third.status_code == 200
    await sim_frame(sim, action("TriggerEmote", itemName=emote), since=since + 1)
    # A sentinel round trip: anything sent by the refused request would have arrived by now.
    await post(url + "/v1/actions/run", {"type": "calibrate"})
    await sim_frame(sim, action("CalibrateTracker"), since=since)
    assert count_frames(sim, "TriggerEmote", since) == 2


@pytest.mark.asyncio
async def test_state_and_catalog_come_from_the_state_model(
    sim: SimulatorThread, session: AnimazeSession, api: tuple[str, Clock]
) -> None:
    url, _ = api
    state = (await get(url + "/v1/state")).json()
    assert state["connection"] == "connected"
    await asyncio.wait_for(session.model.settled(Part.AVATAR, Part.AVATARS), 30)
    state = (await get(url + "/v1/state")).json()
    avatar = session.model.avatar
    assert avatar is not None
    assert state["avatar"] == (avatar.friendly_name or avatar.item_name)
    catalog = (await get(url + "/v1/catalog")).json()
    assert [a["name"] for a in catalog["avatars"]] == list(session.model.avatars)
    assert {e["name"] for e in catalog["emotes"]} == {e.item_name for e in session.model.emotes}
    frames = sim.simulator.frame_count
    for _ in range(5):
        await get(url + "/v1/catalog")
        await get(url + "/v1/state")
    assert sim.simulator.frame_count - frames <= 3  # at most the model's own polling


@pytest.mark.asyncio
async def test_bad_requests_are_refused_with_clear_errors(
    sim: SimulatorThread, api: tuple[str, Clock]
) -> None:
    url, _ = api
    since = sim.simulator.frame_count
    unknown = await post(url + "/v1/actions/run", {"type": "moonwalk"})
    assert unknown.status_code == 400
    assert "unknown action type" in unknown.json()["error"]["message"]
    wait = await post(url + "/v1/actions/run", {"type": "wait", "seconds": 1})
    assert wait.status_code == 400
    async with httpx.AsyncClient() as http:
        no_token = await http.post(url + "/v1/actions/run", json={"type": "calibrate"})
        wrong = await http.post(url + "/v1/actions/run", json={"type": "calibrate"},
                                headers={"Authorization": "Bearer not-the-token"})
        big = await http.post(url + "/v1/actions/run", content=b"{" + b" " * 70_000 + b"}",
                              headers={**AUTH, "Content-Type": "application/json"})
        bad_json = await http.post(url + "/v1/actions/run", content=b"{oops",
                                   headers={**AUTH, "Content-Type": "application/json"})
    assert no_token.status_code == 401
    assert wrong.status_code == 401 and big.status_code == 413 and bad_json.status_code == 400
    missing = await post(url + "/v1/bindings/nobody/press")
    assert missing.status_code == 404
    await post(url + "/v1/actions/run", {"type": "calibrate"})
    await sim_frame(sim, action("CalibrateTracker"), since=since)
    assert [f.action for f in sim.simulator.frames[since:]
            if f.action not in ("GetCurrentSceneInfo", "GetCameraTransform", "GetCameraFov",
                                "GetAvatarTransform")] == ["CalibrateTracker"]


HOLD = """
[[binding]]
keys = "Ctrl+Shift+H"
name = "Hold pose"
action = {{ type = "pose", index = {pose} }}
release = {{ type = "idle", index = {idle} }}

[[binding]]
keys = "Ctrl+Shift+M"
name = "Intro"
macro = [{{ type = "emote", name = "{emote}" }}, {{ type = "wait", seconds = 60 }},
         {{ type = "calibrate" }}]
"""


@pytest.mark.asyncio
async def test_hold_binding_pressed_and_released_over_http_sends_two_frames_in_order(
    sim: SimulatorThread, service: HotkeyService, profile_path: Path, api: tuple[str, Clock]
) -> None:
    url, _ = api
    avatar = sim.simulator.world.avatar
    pose, idle = avatar.poses[-1].index, avatar.idles[-1].index
    emote = (await get(url + "/v1/catalog")).json()["emotes"][0]["name"]
    hs.write_profile(profile_path, HOLD.format(pose=pose, idle=idle, emote=emote))
    service.load()
    since = sim.simulator.frame_count
    pressed = await post(url + "/v1/bindings/hold pose/press")
    assert pressed.status_code == 200, pressed.text
    await sim_frame(sim, action("TriggerPose", index=pose), since=since)
    twice = await post(url + "/v1/bindings/Hold Pose/press")  # still held: refused
    assert twice.status_code == 429 and twice.json()["error"]["code"] == "busy"
    released = await post(url + "/v1/bindings/hold pose/release")
    assert released.status_code == 200
    await sim_frame(sim, action("TriggerIdle", index=idle), since=since)
    names = [f.action for f in sim.simulator.frames[since:]
             if f.action in ("TriggerPose", "TriggerIdle")]
    assert names == ["TriggerPose", "TriggerIdle"]
    # A macro from a deck button, then stopped mid-wait: the step after the wait never runs.
    macro = await post(url + "/v1/actions/run", {"type": "macro", "name": "intro"})
    assert macro.status_code == 200
    await sim_frame(sim, action("TriggerEmote", itemName=emote), since=since)
    stop = await post(url + "/v1/macros/stop")
    assert stop.json() == {"ok": True, "stopped": 1}
    not_macro = await post(url + "/v1/actions/run", {"type": "macro", "name": "Hold pose"})
    assert not_macro.status_code == 400


@pytest.mark.asyncio
async def test_events_push_an_outside_avatar_change(
    sim: SimulatorThread, session: AnimazeSession, api: tuple[str, Clock]
) -> None:
    url, _ = api
    await asyncio.wait_for(session.model.settled(Part.AVATAR, Part.AVATARS), 30)
    other = next(name for name in session.model.avatars
                 if session.model.avatar is None or name != session.model.avatar.item_name)
    async with ClientSession() as http:
        ws = await http.ws_connect(url + "/v1/events", headers=AUTH)
        hello = await ws.receive_json(timeout=30)
        assert hello["type"] == "hello" and hello["state"]["connection"] == "connected"
        # Another program (a Stream Deck plugin) loads an avatar straight into Animaze.
        await asyncio.get_running_loop().run_in_executor(
            None, lambda: sim.run(lambda s: s.change_avatar(other), 10))
        while True:
            push = await ws.receive_json(timeout=30)
            if "avatar" in push["changes"]:
                break
        assert push["type"] == "state"
        avatar = session.model.avatar
        assert avatar is not None and avatar.item_name == other
        assert push["changes"]["avatar"] == (avatar.friendly_name or avatar.item_name)
        await ws.close()


@pytest.mark.asyncio
async def test_schemathesis_finds_no_server_error_or_schema_violation(
    api: tuple[str, Clock], tmp_path: Path
) -> None:
    url, _ = api
    st = shutil.which("schemathesis", path=os.path.dirname(sys.executable))
    assert st is not None, "schemathesis is a dev dependency"
    proc = await asyncio.create_subprocess_exec(
        st, "run", url + "/v1/openapi.json", "-H", f"Authorization: Bearer {TOKEN}",
        "--checks", "not_a_server_error,response_schema_conformance,"
        "status_code_conformance,content_type_conformance",
        "--max-examples", "10", "--seed", "1", "--no-color", "--phases", "coverage,fuzzing",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        env={**os.environ, "SCHEMATHESIS_HOOKS": ""}, cwd=tmp_path)
    out, _ = await asyncio.wait_for(proc.communicate(), 600)
    text = out.decode(errors="replace")
    assert proc.returncode == 0, text[-4000:]
    assert "No issues found" in text or "passed" in text.lower(), text[-2000:]


@pytest.mark.asyncio
async def test_service_turns_the_api_on_with_a_token_made_once_and_rotates_it(
    session: AnimazeSession, service: HotkeyService, tmp_path: Path, memory_keyring: object
) -> None:
    from PySide6.QtCore import QSettings

    from animaze_panel.secrets import SecretStore
    from animaze_panel.ui.control.service import ControlApiOptions, ControlApiService

    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    store = SecretStore()
    found = tmp_path / "control-api.json"
    api = ControlApiService(PanelBackend(session, service), store, settings,
                            lane=service.lane_loop, discovery_path=found)
    assert not api.running and api.options == ControlApiOptions()  # off by default
    token = await api.apply(ControlApiOptions(enabled=True, port=free_port()))
    assert api.running and not api.error and token is not None
    assert store.get(discovery.TOKEN_NAME) == Secret(token)
    assert discovery.read(found) is not None and token not in found.read_text()
    settings.sync()
    assert token not in (tmp_path / "s.ini").read_text()
    async with httpx.AsyncClient(timeout=30) as http:
        ok = await http.get(api.url + "/v1/state", headers={"Authorization": f"Bearer {token}"})
        assert ok.status_code == 200
        assert await api.apply(api.options) is None  # a restart keeps the token: shown once
        new = api.rotate_token()
        old = await http.get(api.url + "/v1/state", headers={"Authorization": f"Bearer {token}"})
        assert old.status_code == 401
        fresh = await http.get(api.url + "/v1/state", headers={"Authorization": f"Bearer {new}"})
        assert fresh.status_code == 200
    remote = await api.apply(ControlApiOptions(True, free_port(), "0.0.0.0", False))
    assert remote is None and not api.running and "other machines" in api.error
    await api.apply(ControlApiOptions())
    assert not api.running and not found.exists()
    await api.aclose()


@pytest.mark.asyncio
async def test_cli_call_goes_through_the_running_panel(
    sim: SimulatorThread, session: AnimazeSession, service: HotkeyService, tmp_path: Path,
    memory_keyring: object, capsys: pytest.CaptureFixture[str],
) -> None:
    from PySide6.QtCore import QSettings

    from animaze_panel import cli
    from animaze_panel.secrets import SecretStore
    from animaze_panel.ui.control.service import ControlApiOptions, ControlApiService

    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    api = ControlApiService(PanelBackend(session, service), SecretStore(), settings,
                            lane=service.lane_loop)  # the default discovery file, as the app
    await api.apply(ControlApiOptions(enabled=True, port=free_port()))
    loop = asyncio.get_running_loop()
    try:
        connections = sim.simulator.connection_count
        since = sim.simulator.frame_count
        status = await loop.run_in_executor(None, cli.main, ["call", "CalibrateTracker"])
        out = capsys.readouterr()
        assert status == 0, out.err
        assert '"action": "CalibrateTracker"' in out.out
        await sim_frame(sim, action("CalibrateTracker"), since=since)
        assert sim.simulator.connection_count == connections  # no second connection
        again = await loop.run_in_executor(None, cli.main, ["call", "CalibrateTracker"])
        assert again == cli.EXIT_COMMAND_ERROR  # the panel's cooldown, as for a hotkey
        assert "cooldown" in capsys.readouterr().err
    finally:
        await api.aclose()
    # Panel API off: `call` talks to Animaze directly (here: nothing listens at the default).
    assert discovery.read() is None


def test_discovery_file_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "control-api.json"
    discovery.publish(discovery.Endpoint("http://127.0.0.1:8765", os.getpid()), path)
    assert discovery.read(path) == discovery.Endpoint("http://127.0.0.1:8765", os.getpid())
    assert TOKEN not in path.read_text()
    discovery.publish(discovery.Endpoint("http://127.0.0.1:1", 2**22 + 12345), path)
    assert discovery.read(path) is None  # its process is gone: stale
    path.write_text("{broken")
    assert discovery.read(path) is None
    discovery.publish(discovery.Endpoint("http://127.0.0.1:2", os.getpid()), path)
    discovery.withdraw(path)
    assert not path.exists()


@pytest.mark.asyncio
async def test_events_push_speaking_while_chatpal_answers(
    sim: SimulatorThread, api: tuple[str, Clock]
) -> None:
    # Speech touches only the state snapshot (no catalogue rebuild), and still reaches a deck.
    url, _ = api
    sim.simulator.speech_seconds_per_char = 0.05  # a second or more: never one loop pass
    async with ClientSession() as http:
        ws = await http.ws_connect(url + "/v1/events", headers=AUTH)
        hello = await ws.receive_json(timeout=30)
        assert hello["state"]["speaking"] is False
        response = await post(url + "/v1/actions/run", {"type": "chatpal", "message": "Hi"})
        assert response.status_code == 200, response.text
        seen: list[bool] = []
        while seen[-1:] != [False]:
            push = await ws.receive_json(timeout=30)
            if "speaking" in push["changes"]:
                seen.append(push["changes"]["speaking"])
        assert seen == [True, False]
        await ws.close()
