"""Simulator fault knobs, frame recording and the threaded runner."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect as sync_connect

from animaze_panel.animaze.errors import ProtocolError
from animaze_panel.animaze.messages import parse_frame
from animaze_panel.simulator import FaultSettings, Simulator, SimulatorThread

from .conftest import Connect, RawClient


@pytest.mark.asyncio
async def test_latency_delays_every_reply(raw: RawClient, simulator: Simulator) -> None:
    simulator.faults.set(latency=0.2)
    started = time.monotonic()
    assert (await raw.ask({"action": "GetCameraFov"}))["fov"] > 0
    assert time.monotonic() - started >= 0.19  # a lower bound only: sleep never ends early
    simulator.faults.reset()
    assert simulator.faults.settings == FaultSettings()


@pytest.mark.asyncio
async def test_stop_does_not_wait_out_a_long_latency() -> None:
    async with Simulator() as sim:
        async with connect(sim.url) as ws:
            sim.faults.set(latency=300)
            await ws.send('{"action": "GetCameraFov"}')
            await sim.wait_for_frame(lambda f: f.action == "GetCameraFov")
            await asyncio.wait_for(sim.stop(), 10)
            with pytest.raises(ConnectionClosed):
                await ws.recv()


@pytest.mark.asyncio
async def test_omit_id(raw: RawClient, simulator: Simulator) -> None:
    simulator.faults.set(omit_id=True)
    assert await raw.ask({"action": "SetCameraFov", "id": "a", "fov": 50}) == {
        "action": "SetCameraFov",
        "fov": 50,
    }
    error = await raw.ask({"action": "LoadAvatar", "id": "b", "name": "nope"})
    assert error == {"action": "LoadAvatar", "error": "Avatar not found"}


@pytest.mark.asyncio
async def test_drop_after_n_messages_is_one_shot(new_client: Connect, simulator: Simulator) -> None:
    client = await new_client()
    simulator.faults.set(drop_after=2)
    assert "fov" in await client.ask({"action": "GetCameraFov"})
    assert "fov" in await client.ask({"action": "GetCameraFov"})
    await client.send({"action": "GetCameraFov", "id": "lost"})
    with pytest.raises(ConnectionClosed):
        await client.recv()
    assert simulator.faults.settings.drop_after is None
    lost = await simulator.wait_for_frame(lambda f: f.message == {"action": "GetCameraFov",
                                                                  "id": "lost"})  # fmt: skip
    assert lost.client == 1
    again = await new_client()  # the knob fired once: reconnecting works
    assert "fov" in await again.ask({"action": "GetCameraFov"})


@pytest.mark.asyncio
async def test_drop_connections_aborts_every_client(
    new_client: Connect, simulator: Simulator
) -> None:
    first, second = await new_client(), await new_client()
    await first.ask({"action": "GetCameraFov"})
    await second.ask({"action": "GetCameraFov"})
    assert simulator.connection_count == 2
    simulator.drop_connections()
    for client in (first, second):
        with pytest.raises(ConnectionClosed):
            await client.recv()


@pytest.mark.asyncio
async def test_garbage_frames_come_before_the_real_reply(
    raw: RawClient, simulator: Simulator
) -> None:
    simulator.faults.set(garbage_frames=6)
    await raw.send({"action": "GetCameraFov", "id": "g"})
    for _ in range(6):
        with pytest.raises(ProtocolError):
            parse_frame(await raw.recv_text())
    assert await raw.recv() == {"action": "GetCameraFov", "id": "g", "fov": 60.000003814697266}


@pytest.mark.asyncio
async def test_stall_never_answers_but_records(raw: RawClient, simulator: Simulator) -> None:
    simulator.faults.set(stall=True)
    await raw.send({"action": "GetAvatars", "id": "s"})
    frame = await simulator.wait_for_frame(lambda f: f.action == "GetAvatars")
    assert frame.message == {"action": "GetAvatars", "id": "s"}
    with pytest.raises(TimeoutError):
        await raw.recv(timeout=0.3)
    simulator.faults.set(stall=False)
    assert (await raw.ask({"action": "GetCameraFov", "id": "t"}))["id"] == "t"


def test_fault_knobs_are_validated() -> None:
    sim = Simulator()
    with pytest.raises(TypeError):
        sim.faults.set(lateness=1.0)
    with pytest.raises(ValueError, match="negative"):
        sim.faults.set(latency=-1.0)
    assert sim.faults.settings == FaultSettings()


def test_fault_knobs_can_be_set_from_many_threads() -> None:
    sim = Simulator()
    sim.faults.set(drop_after=1000)
    fired: list[bool] = []

    def take() -> None:
        for _ in range(200):
            fired.append(sim.faults.take_drop())

    threads = [threading.Thread(target=take) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert fired.count(True) == 0 and sim.faults.settings.drop_after == 0
    assert sim.faults.take_drop() is True and sim.faults.settings.drop_after is None


@pytest.mark.asyncio
async def test_frames_are_recorded_and_awaitable(new_client: Connect, simulator: Simulator) -> None:
    first, second = await new_client(), await new_client()
    await first.ask({"action": "GetScenes", "id": "1"})
    await second.ask("{oops")
    frames = simulator.frames
    assert [(f.client, f.action) for f in frames] == [(1, "GetScenes"), (2, None)]
    assert frames[1].text == "{oops" and frames[1].message is None
    found = await simulator.wait_for_frame(lambda f: f.action == "GetScenes")
    assert found.seq == 0
    mark = simulator.frame_count
    waiter = asyncio.ensure_future(
        simulator.wait_for_frame(lambda f: f.action == "GetScenes", since=mark)
    )
    await second.ask({"action": "GetScenes", "id": "2"})
    later = await asyncio.wait_for(waiter, 5)
    assert later.seq == mark and later.message == {"action": "GetScenes", "id": "2"}
    with pytest.raises(TimeoutError):
        await simulator.wait_for_frame(lambda f: f.action == "Nothing", timeout=0.05)
    with pytest.raises(RuntimeError, match="await"):
        simulator.wait_for_frame_blocking(lambda f: True)


def test_simulator_thread_serves_sync_clients(simulator_thread: SimulatorThread) -> None:
    with sync_connect(simulator_thread.url) as ws:
        ws.send(json.dumps({"action": "LoadAvatar", "name": "Ghosty", "id": "t"}))
        assert json.loads(ws.recv(timeout=5)) == {
            "action": "LoadAvatar",
            "id": "t",
            "name": "Ghosty",
        }
        assert json.loads(ws.recv(timeout=5))["new_avatar"] == "Ghosty"
        frame = simulator_thread.wait_for_frame(lambda f: f.action == "LoadAvatar", timeout=5)
        assert frame.message is not None and frame.message["name"] == "Ghosty"
        simulator_thread.run(lambda sim: sim.change_avatar("AvatarBomb"))
        assert json.loads(ws.recv(timeout=5)) == {
            "event": "AvatarChanged",
            "new_avatar": "AvatarBomb",
        }
        simulator_thread.faults.set(omit_id=True)  # from this (non-loop) thread
        ws.send(json.dumps({"action": "GetCameraFov", "id": "x"}))
        assert "id" not in json.loads(ws.recv(timeout=5))
        with pytest.raises(TimeoutError):
            simulator_thread.wait_for_frame(lambda f: f.action == "Nope", timeout=0.05)
        simulator_thread.call_soon(simulator_thread.simulator.drop_connections)
        with pytest.raises(ConnectionClosed):
            ws.recv(timeout=5)


def test_simulator_thread_lifecycle() -> None:
    thread = SimulatorThread(num_avatars=3)
    with pytest.raises(RuntimeError):
        thread.run(lambda sim: sim.stop())
    with thread:
        port = thread.port
        assert thread.url == f"ws://127.0.0.1:{port}"
        with sync_connect(thread.url) as ws:
            ws.send('{"action": "GetAvatars"}')
            assert len(json.loads(ws.recv(timeout=5))["avatars"]) == 3
    thread.stop()  # idempotent
    with pytest.raises(OSError):
        sync_connect(f"ws://127.0.0.1:{port}", open_timeout=2)


def test_simulator_thread_reports_a_busy_port(simulator_thread: SimulatorThread) -> None:
    with pytest.raises(OSError):
        SimulatorThread(port=simulator_thread.port).start()


def test_stop_does_not_wait_for_a_peer_that_never_answers_the_close() -> None:
    # A client whose loop is no longer running (a test's panel, torn down first) never answers
    # the simulator's close frame; stop() must still finish well inside its own timeout.
    sim = SimulatorThread().start()
    peer = socket.create_connection(("127.0.0.1", sim.simulator.port), timeout=5)
    try:
        peer.sendall(
            b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
        answer = b""
        while b"\r\n\r\n" not in answer:
            answer += peer.recv(4096)
        assert answer.startswith(b"HTTP/1.1 101")
        sim.stop(timeout=5.0)  # the peer reads nothing more and never answers
    finally:
        peer.close()
