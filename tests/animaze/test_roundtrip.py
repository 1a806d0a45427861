"""Round trips through AnimazeClient to the simulator: all 29 actions and all 19 overrides."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
import pytest_asyncio

from animaze_panel.animaze import requests as rq
from animaze_panel.animaze import responses as r
from animaze_panel.animaze.client import AnimazeClient
from animaze_panel.animaze.errors import AnimazeCommandError, AnimazeDisconnected, AnimazeTimeout
from animaze_panel.animaze.messages import (
    AvatarChanged,
    ChatbotSpeechEnded,
    ChatbotSpeechStarted,
    Trigger,
)
from animaze_panel.animaze.overrides import BEHAVIOURS, Behaviour
from animaze_panel.simulator import Simulator


@pytest_asyncio.fixture(loop_scope="function")
async def client(simulator: Simulator) -> AsyncIterator[AnimazeClient]:
    async with AnimazeClient(simulator.url, reconnect=False, request_timeout=5) as c:
        yield c


Check = Callable[[Any], bool]

# (request, expected response class, check on the response)
ROUND_TRIPS: list[tuple[rq.Request[Any], type[r.Response], Check]] = [
    (rq.LoadAvatar("AvatarBomb"), r.Response, lambda x: x.extra["name"] == "AvatarBomb"),
    (rq.LoadScene("Stream"), r.Response, lambda x: x.extra["name"] == "Stream"),
    (rq.GetAvatars(), r.AvatarList, lambda x: "AvatarBomb" in x.avatars),
    (rq.GetCurrentAvatarInfo(), r.CurrentAvatarInfo,
     lambda x: x.num_avatars == 1 and x.avatars[0].friendly_name == "Fluffo"),
    (rq.GetScenes(), r.SceneList, lambda x: len(x.scenes) >= 6),
    (rq.GetCurrentSceneInfo(), r.CurrentSceneInfo, lambda x: x.friendly_name == "The RGB Room"),
    (rq.GetItemIcon("Fluffo"), r.ErrorReply, lambda x: True),  # friendly names are not items
    (rq.GetItemIcon("avatar01_BS_Full"), r.ItemIcon,
     lambda x: x.image_bytes().startswith(b"\x89PNG")),
    (rq.GetEmotes(), r.EmoteList, lambda x: r.Emote("Alarm", "Emote_Alarm") in x.emotes),
    (rq.TriggerEmote("Emote_Alarm"), r.Response, lambda x: x.extra["itemName"] == "Emote_Alarm"),
    (rq.GetSpecialActions(), r.SpecialActionList, lambda x: len(x.items) >= 3),
    (rq.TriggerSpecialAction(0), r.Response, lambda x: x.extra["index"] == 0),
    (rq.GetPoses(), r.PoseList, lambda x: len(x.items) >= 2),
    (rq.TriggerPose(1), r.Response, lambda x: x.extra["index"] == 1),
    (rq.GetIdleAnims(), r.IdleList, lambda x: x.items[0] == r.AnimEntry("Default Idle", 0)),
    (rq.TriggerIdle(2), r.Response, lambda x: x.extra["index"] == 2),
    (rq.GetQuickscenes(), r.QuickscenesList,
     lambda x: any(s.image for s in x.quickslots) and any(not s.image for s in x.quickslots)),
    (rq.LoadQuickscene(1), r.Response, lambda x: x.extra["index"] == 1),
    (rq.SaveQuickscene(7), r.Response, lambda x: x.extra["index"] == 7),
    (rq.CalibrateTracker(), r.Response, lambda x: x.action == "CalibrateTracker"),
    (rq.Broadcast(True), r.Response, lambda x: x.extra["toggle"] is True),
    (rq.SetCameraTransform((0, 1.5, 2), (0, 0, 0, 1)), r.Response,
     lambda x: x.extra["position"] == [0, 1.5, 2]),
    (rq.GetCameraTransform(), r.CameraTransform,
     lambda x: x.position == (0.0, 1.7000000476837158, 1.0)),
    (rq.SetCameraFov(42.0), r.Response, lambda x: x.extra["fov"] == 42.0),
    (rq.GetCameraFov(), r.CameraFov, lambda x: x.fov == 60.000003814697266),
    (rq.SetAvatarTransform((1, 0, 0), (0, 0, 0, 1), 2.0), r.Response,
     lambda x: x.extra["scale"] == 2.0),
    (rq.GetAvatarTransform(), r.AvatarTransform, lambda x: x.scale == 1.0),
    (rq.SetOverride("Cross Eyes", True), r.Response, lambda x: x.extra["value"] is True),
    (rq.GetOverride("Tracked Blinking"), r.OverrideState, lambda x: x.value is True),
    (rq.ChatbotSendMessage.echo("Testing"), r.ChatbotReply, lambda x: x.response == "Testing"),
]  # fmt: skip


def test_round_trips_cover_every_action() -> None:
    assert {type(req) for req, _, _ in ROUND_TRIPS} == set(rq.REQUEST_TYPES)


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("request_", "expected", "check"),
    ROUND_TRIPS,
    ids=[f"{req.ACTION}-{i}" for i, (req, _, _) in enumerate(ROUND_TRIPS)],
)
async def test_round_trip(
    client: AnimazeClient, request_: rq.Request[Any], expected: type[r.Response], check: Check
) -> None:
    if expected is r.ErrorReply:
        with pytest.raises(AnimazeCommandError) as info:
            await client.request(request_)
        assert info.value.action == request_.ACTION and info.value.message == "Item not found"
        return
    response = await client.request(request_)
    assert type(response) is expected and response.action == request_.ACTION
    assert check(response), response


@pytest.mark.asyncio
@pytest.mark.parametrize("behaviour", BEHAVIOURS, ids=lambda b: b.name)
async def test_override_round_trip(client: AnimazeClient, behaviour: Behaviour) -> None:
    params = {
        p.name: round(p.minimum + (p.maximum - p.minimum) * 0.61, 4) for p in behaviour.params
    }
    await client.request(rq.SetOverride(behaviour.name, True, params))
    state = await client.request(rq.GetOverride(behaviour.name))
    assert state.behavior == behaviour.name and state.value is True
    assert dict(state.params) == params
    await client.request(rq.SetOverride(behaviour.name, False))
    off = await client.request(rq.GetOverride(behaviour.name))
    assert off.value is False and dict(off.params) == params


@pytest.mark.asyncio
async def test_state_round_trips(client: AnimazeClient) -> None:
    await client.request(rq.SetCameraFov(33.0))
    assert (await client.request(rq.GetCameraFov())).fov == 33.0
    await client.request(rq.LoadAvatar("pixel_knight"))
    info = await client.request(rq.GetCurrentAvatarInfo())
    assert info.avatars[0].friendly_name == "Sir Pixel" and "pixel_sword" in info.avatars[0].props
    await client.request(rq.SaveQuickscene(4))
    slots = (await client.request(rq.GetQuickscenes())).quickslots
    assert slots[4].image


@pytest.mark.asyncio
async def test_triggers_reach_subscribers(client: AnimazeClient) -> None:
    seen: list[Trigger] = []
    ended = asyncio.get_running_loop().create_future()

    def on_trigger(trigger: Trigger) -> None:
        seen.append(trigger)
        if isinstance(trigger, ChatbotSpeechEnded) and not ended.done():
            ended.set_result(None)

    client.subscribe(on_trigger)
    await client.request(rq.LoadAvatar("Ghosty"))
    reply = await client.request(rq.ChatbotSendMessage("Hello there"))
    assert reply.response
    await asyncio.wait_for(ended, 5)
    assert seen == [
        AvatarChanged(new_avatar="Ghosty"),
        ChatbotSpeechStarted(),
        ChatbotSpeechEnded(),
    ]


@pytest.mark.asyncio
async def test_client_copes_with_faults(client: AnimazeClient, simulator: Simulator) -> None:
    simulator.faults.set(omit_id=True, garbage_frames=2)
    assert (await client.request(rq.GetCameraFov())).fov > 0
    simulator.faults.set(omit_id=False, garbage_frames=0, stall=True)
    with pytest.raises(AnimazeTimeout):
        await client.request(rq.GetCameraFov(), timeout=0.2)
    simulator.faults.set(stall=False, drop_after=0)
    with pytest.raises(AnimazeDisconnected):
        await client.request(rq.GetCameraFov())
