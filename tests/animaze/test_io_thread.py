"""ThreadedClient against the simulator: requests, errors and callbacks cross threads intact."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from animaze_panel.animaze import requests as rq
from animaze_panel.animaze.errors import (
    AnimazeCommandError,
    AnimazeDisconnected,
    AnimazeTimeout,
    AnimazeUnreachable,
)
from animaze_panel.animaze.io_thread import ThreadedClient
from animaze_panel.animaze.loop_thread import IoThread
from animaze_panel.animaze.messages import AvatarChanged, ChatbotSpeechEnded, Trigger
from animaze_panel.animaze.observers import ConnectionState, Direction
from animaze_panel.simulator import Simulator


def io_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "animaze-io"]


@pytest_asyncio.fixture(loop_scope="function")
async def client(simulator: Simulator) -> AsyncIterator[ThreadedClient]:
    c = ThreadedClient(simulator.url, reconnect=False, request_timeout=5)
    await c.connect()
    yield c
    await c.close()


@pytest.mark.asyncio
async def test_requests_run_on_the_io_thread_and_answer_here(client: ThreadedClient) -> None:
    assert client.connected and client.state is ConnectionState.CONNECTED
    assert client.io_loop is not asyncio.get_running_loop()
    await client.request(rq.LoadAvatar("Ghosty"))
    info = await client.request(rq.GetCurrentAvatarInfo())
    assert info.avatars[0].friendly_name == "Ghosty"
    fov = await client.request(rq.GetCameraFov())
    assert fov.fov > 0


@pytest.mark.asyncio
async def test_errors_cross_unchanged(client: ThreadedClient, simulator: Simulator) -> None:
    with pytest.raises(AnimazeCommandError) as refused:
        await client.request(rq.TriggerEmote("Emote_Nope"))
    assert refused.value.action == "TriggerEmote"
    simulator.faults.set(stall=True)
    with pytest.raises(AnimazeTimeout):
        await client.request(rq.GetCameraFov(), timeout=0.2)
    simulator.faults.set(stall=False, drop_after=0)
    with pytest.raises(AnimazeDisconnected):
        await client.request(rq.GetCameraFov())


@pytest.mark.asyncio
async def test_cancelling_the_caller_cancels_the_request(
    client: ThreadedClient, simulator: Simulator
) -> None:
    simulator.faults.set(stall=True)
    task = asyncio.ensure_future(client.request(rq.GetCameraFov(), timeout=30))
    await simulator.wait_for_frame(lambda f: f.action == "GetCameraFov")  # on the wire
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    # The inner client forgot it: nothing is left pending on the I/O loop.
    pending = asyncio.run_coroutine_threadsafe(_pending(client), client.io_loop)
    assert await asyncio.wrap_future(pending) == 0


async def _pending(client: ThreadedClient) -> int:
    # Posted after the cancellation: the I/O loop runs thread-safe callbacks in order.
    return client.inner.pending


@pytest.mark.asyncio
async def test_listeners_are_called_on_the_home_thread_in_order(simulator: Simulator) -> None:
    home = threading.get_ident()
    states: list[tuple[ConnectionState, int]] = []
    triggers: list[Trigger] = []
    frames: list[tuple[Direction, str]] = []
    ended: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def on_trigger(trigger: Trigger) -> None:
        assert threading.get_ident() == home
        triggers.append(trigger)
        if isinstance(trigger, ChatbotSpeechEnded) and not ended.done():
            ended.set_result(None)

    def on_frame(direction: Direction, text: str) -> None:
        assert threading.get_ident() == home
        frames.append((direction, text))

    c = ThreadedClient(simulator.url, reconnect=False)
    c.add_state_listener(lambda s: states.append((s, threading.get_ident())))
    c.subscribe(on_trigger)
    c.add_frame_listener(on_frame)
    try:
        await c.connect()
        assert states == [(ConnectionState.CONNECTING, home), (ConnectionState.CONNECTED, home)]
        await c.request(rq.LoadAvatar("Ghosty"))
        await c.request(rq.ChatbotSendMessage("Hi"))
        await asyncio.wait_for(ended, 5)
        assert triggers[0] == AvatarChanged(new_avatar="Ghosty")
        assert isinstance(triggers[-1], ChatbotSpeechEnded)
        sent = [text for direction, text in frames if direction is Direction.OUT]
        assert '"LoadAvatar"' in sent[0] and '"ChatbotSendMessage"' in sent[1]
    finally:
        await c.close()
    assert states[-1] == (ConnectionState.DISCONNECTED, home)
    assert c.state is ConnectionState.DISCONNECTED


@pytest.mark.asyncio
async def test_close_stops_the_thread_and_an_unreachable_url_says_so() -> None:
    before = len(io_threads())
    c = ThreadedClient("ws://127.0.0.1:9", reconnect=False, connect_timeout=1)
    assert len(io_threads()) == before + 1
    with pytest.raises(AnimazeUnreachable):
        await c.connect()
    assert c.last_error is not None and not c.connected
    with pytest.raises(AnimazeDisconnected):
        await c.request(rq.GetCameraFov())
    await c.close()
    await c.close()  # idempotent
    assert len(io_threads()) == before
    with pytest.raises(AnimazeDisconnected, match="closed"):
        await c.request(rq.GetCameraFov())
    c.reconnect_now()  # a late click on Reconnect: nothing to do, no error


@pytest.mark.asyncio
async def test_set_url_moves_to_another_animaze(simulator: Simulator) -> None:
    async with Simulator() as other:
        c = ThreadedClient(simulator.url, backoff_initial=0.01, backoff_max=0.05)
        try:
            await c.connect()
            await c.request(rq.LoadAvatar("Ghosty"))
            await c.set_url(other.url)
            assert c.url == other.url
            await _until_answers(c)
            info = await c.request(rq.GetCurrentAvatarInfo())
            assert info.avatars[0].friendly_name != "Ghosty"  # the other one's avatar
        finally:
            await c.close()


async def _until_answers(c: ThreadedClient) -> None:
    async with asyncio.timeout(5):
        while True:
            try:
                await c.wait_connected(5)
                await c.request(rq.GetCameraFov())
                return
            except AnimazeDisconnected:
                await asyncio.sleep(0.01)  # between the old link's drop and the new one


def test_io_thread_runs_coroutines_and_cancels_leftovers_on_stop() -> None:
    io = IoThread(name="test-io").start()
    assert io.running
    assert io.submit(_answer(41)).result(5) == 42
    started = threading.Event()
    leftover = io.submit(_forever(started))
    assert started.wait(5)
    io.stop()
    assert not io.running
    assert leftover.cancelled()
    with pytest.raises(RuntimeError):
        io.submit(_answer(0))


async def _answer(x: int) -> int:
    return x + 1


async def _forever(started: threading.Event) -> Any:
    started.set()
    await asyncio.Event().wait()


@pytest.mark.asyncio
async def test_logged_frames_keep_their_order_and_come_without_an_answer_too(
    simulator: Simulator,
) -> None:
    # A logged frame waits briefly for company (its answer) before the GUI is woken for it:
    # it must still arrive before the answer, and on its own when no answer ever comes.
    events: list[str] = []
    c = ThreadedClient(simulator.url, reconnect=False, request_timeout=30)
    c.add_frame_listener(lambda direction, text: events.append(f"{direction.name} {text}"))
    try:
        await c.connect()
        fov = await c.request(rq.GetCameraFov())
        events.append(f"answer {fov.fov}")
        out = next(i for i, e in enumerate(events) if e.startswith("OUT") and "GetCameraFov" in e)
        assert out < events.index(f"answer {fov.fov}")
        assert any(e.startswith("IN") for e in events[out:events.index(f"answer {fov.fov}")])

        simulator.faults.set(stall=True)  # recorded, never answered
        pending = asyncio.ensure_future(c.request(rq.GetCameraFov()))
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 10
        while sum("GetCameraFov" in e for e in events if e.startswith("OUT")) < 2:
            assert loop.time() < deadline, "the unanswered frame never reached the log"
            await asyncio.sleep(0.01)
        assert not pending.done()
        pending.cancel()
        with pytest.raises(asyncio.CancelledError):
            await pending
    finally:
        simulator.faults.set(stall=False)
        await c.close()
