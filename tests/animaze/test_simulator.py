"""The simulator answers all 29 actions with state, over a real loopback socket."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from websockets.asyncio.client import connect

from animaze_panel.animaze import responses as r
from animaze_panel.animaze.messages import ChatbotSpeechEnded, ChatbotSpeechStarted, parse_frame
from animaze_panel.animaze.overrides import BEHAVIOURS
from animaze_panel.animaze.requests import REQUEST_TYPES, request_type
from animaze_panel.simulator import Simulator

from .conftest import Connect, RawClient, png_info

# One valid request per action, and the wire keys its reply must carry.
VALID: dict[str, tuple[dict[str, Any], set[str]]] = {
    "LoadAvatar": ({"name": "AvatarBomb"}, {"name"}),
    "LoadScene": ({"name": "Spaceship"}, {"name"}),
    "GetAvatars": ({}, {"avatars"}),
    "GetCurrentAvatarInfo": ({}, {"avatars", "numAvatars"}),
    "GetScenes": ({}, {"scenes"}),
    "GetCurrentSceneInfo": ({}, {"itemName", "friendlyName", "description"}),
    "GetItemIcon": ({"name": "Spaceship"}, {"image"}),
    "GetEmotes": ({}, {"emotes"}),
    "TriggerEmote": ({"itemName": "Emote_Alarm"}, {"itemName"}),
    "GetSpecialActions": ({}, {"specialActions"}),
    "TriggerSpecialAction": ({"index": 0}, {"index"}),
    "GetPoses": ({}, {"poseList"}),
    "TriggerPose": ({"index": 0}, {"index"}),
    "GetIdleAnims": ({}, {"idleList"}),
    "TriggerIdle": ({"index": 0}, {"index"}),
    "GetQuickscenes": ({}, {"quickslots"}),
    "LoadQuickscene": ({"index": 0}, {"index"}),
    "SaveQuickscene": ({"index": 3}, {"index"}),
    "CalibrateTracker": ({}, set()),
    "Broadcast": ({"toggle": True}, {"toggle"}),
    "SetCameraTransform": ({"position": [0, 1, 2], "rotation": [0, 0, 0, 1]}, {"position"}),
    "GetCameraTransform": ({}, {"position", "rotation"}),
    "SetCameraFov": ({"fov": 45}, {"fov"}),
    "GetCameraFov": ({}, {"fov"}),
    "SetAvatarTransform": (
        {"position": [0, 0, 0], "rotation": [0, 0, 0, 1], "scale": 2},
        {"position", "rotation", "scale"},
    ),
    "GetAvatarTransform": ({}, {"position", "rotation", "scale"}),
    "SetOverride": ({"behavior": "Cross Eyes", "value": True}, {"behavior", "value"}),
    "GetOverride": ({"behavior": "Cross Eyes"}, {"behavior", "value"}),
    "ChatbotSendMessage": ({"message": "Hello!"}, {"response"}),
}


def test_the_table_covers_every_action() -> None:
    assert set(VALID) == {t.ACTION for t in REQUEST_TYPES}


@pytest.mark.asyncio
@pytest.mark.parametrize("action", sorted(VALID))
async def test_every_action_is_answered(raw: RawClient, action: str) -> None:
    fields, keys = VALID[action]
    reply = await raw.ask({"action": action, "id": f"req-{action}", **fields})
    assert reply["action"] == action and reply["id"] == f"req-{action}"
    assert "error" not in reply, reply
    assert keys <= reply.keys()
    typed = parse_frame(json.dumps(reply))
    cls = request_type(action)
    assert cls is not None and isinstance(typed, cls.RESPONSE)


@pytest.mark.asyncio
async def test_catalogue_sizes(raw: RawClient) -> None:
    avatars = (await raw.ask({"action": "GetAvatars"}))["avatars"]
    scenes = (await raw.ask({"action": "GetScenes"}))["scenes"]
    emotes = (await raw.ask({"action": "GetEmotes"}))["emotes"]
    assert len(avatars) >= 12 and len(set(avatars)) == len(avatars)
    assert len(scenes) >= 6
    assert len(emotes) >= 28
    assert all(e["friendlyName"] and e["itemName"].startswith("Emote_") for e in emotes)
    assert {"friendlyName": "Alarm", "itemName": "Emote_Alarm"} in emotes


@pytest.mark.asyncio
async def test_load_avatar_changes_current_avatar_info(raw: RawClient) -> None:
    before = await raw.ask({"action": "GetCurrentAvatarInfo", "id": "MyDevName"})
    assert before["numAvatars"] == 1 and before["id"] == "MyDevName"
    assert before["avatars"][0]["friendlyName"] == "Fluffo"
    assert before["avatars"][0]["props"] == ["crown_king", "greenGlasses", "headphones"]
    assert before["avatars"][0]["numProps"] == 3
    assert (await raw.ask({"action": "LoadAvatar", "name": "Avatar03"}))["name"] == "Avatar03"
    assert (await raw.recv())["event"] == "AvatarChanged"
    [info] = (await raw.ask({"action": "GetCurrentAvatarInfo"}))["avatars"]
    assert info["itemName"] == "Avatar03" and info["friendlyName"] == "Kitsune"
    assert info["description"] and info["animStandard"] and info["itemType"] == "Avatar3D"


@pytest.mark.asyncio
async def test_load_scene_changes_current_scene_info(raw: RawClient, simulator: Simulator) -> None:
    first = await raw.ask({"action": "GetCurrentSceneInfo"})
    assert first["friendlyName"] == "The RGB Room" and first["description"] == "A gamer's room."
    await raw.ask({"action": "LoadScene", "name": "spaceship"})  # names are case-insensitive
    info = await raw.ask({"action": "GetCurrentSceneInfo"})
    assert info["itemName"] == "Spaceship" and info["friendlyName"] == "Spaceship Bridge"
    assert (await raw.ask({"action": "LoadScene", "name": "Moon"}))["error"] == "Scene not found"
    assert simulator.world.scene.item_name == "Spaceship"


@pytest.mark.asyncio
async def test_icons_are_real_pngs_of_realistic_size(raw: RawClient) -> None:
    avatars = (await raw.ask({"action": "GetAvatars"}))["avatars"]
    scenes = (await raw.ask({"action": "GetScenes"}))["scenes"]
    images = set()
    for name in [*avatars, *scenes, "Emote_Alarm", "headphones", "VoiceFX_Robot"]:
        reply = await raw.ask({"action": "GetItemIcon", "name": name})
        data = base64.b64decode(reply["image"], validate=True)
        assert png_info(data)[:2] == (256, 256)
        assert 20_000 <= len(data) <= 80_000, (name, len(data))
        images.add(reply["image"])
    assert len(images) == len(avatars) + len(scenes) + 3  # every item looks different
    missing = await raw.ask({"action": "GetItemIcon", "name": "nope", "id": "i"})
    assert missing == {"action": "GetItemIcon", "id": "i", "error": "Item not found"}


@pytest.mark.asyncio
async def test_emotes_trigger_by_item_name(raw: RawClient, simulator: Simulator) -> None:
    assert "error" not in await raw.ask({"action": "TriggerEmote", "itemName": "emote_hearts"})
    assert simulator.world.emotes_played == ["Emote_Hearts"]
    nope = await raw.ask({"action": "TriggerEmote", "itemName": "Emote_Nope"})
    assert nope["error"] == "Emote not found"


@pytest.mark.asyncio
async def test_animations_differ_per_avatar_and_indices_are_checked(raw: RawClient) -> None:
    lists = []
    for avatar in ("avatar01_BS_Full", "AvatarBomb", "Avatar03"):
        await raw.ask({"action": "LoadAvatar", "name": avatar})
        await raw.recv()  # AvatarChanged
        specials = (await raw.ask({"action": "GetSpecialActions"}))["specialActions"]
        poses = (await raw.ask({"action": "GetPoses"}))["poseList"]
        idles = (await raw.ask({"action": "GetIdleAnims"}))["idleList"]
        lists.append((specials, poses, idles))
        for kind, entries in (("TriggerSpecialAction", specials), ("TriggerPose", poses)):
            last = entries[-1]["index"]
            assert "error" not in await raw.ask({"action": kind, "index": last})
            assert "not found" in (await raw.ask({"action": kind, "index": last + 1}))["error"]
    assert len({str(entry) for entry in lists}) == 3
    fluffo_idles = [e["index"] for e in lists[0][2]]
    assert fluffo_idles[:2] == [0, 2]  # a gap, as in the spec's example
    await raw.ask({"action": "LoadAvatar", "name": "avatar01_BS_Full"})
    await raw.recv()
    gap = await raw.ask({"action": "TriggerIdle", "index": 1})
    assert gap["error"] == "Idle animation not found"
    assert "error" not in await raw.ask({"action": "TriggerIdle", "index": 2})
    negative = await raw.ask({"action": "TriggerPose", "index": -1})
    assert negative["error"] == "index: must be 0 or more, got -1"


@pytest.mark.asyncio
async def test_quickscenes_save_load_and_empty_slots(raw: RawClient) -> None:
    slots = (await raw.ask({"action": "GetQuickscenes"}))["quickslots"]
    assert [s["index"] for s in slots] == list(range(len(slots)))
    empty = [s["index"] for s in slots if "image" not in s]
    assert empty and len(empty) < len(slots)
    for slot in slots:
        if "image" in slot:
            assert png_info(base64.b64decode(slot["image"]))[:2] == (256, 256)
    target = empty[0]
    refused = await raw.ask({"action": "LoadQuickscene", "index": target})
    assert refused["error"] == "Quickscene slot is empty"
    assert (await raw.ask({"action": "SaveQuickscene", "index": 99}))["error"]
    await raw.ask({"action": "LoadAvatar", "name": "Ghosty"})
    await raw.recv()
    await raw.ask({"action": "SetCameraFov", "fov": 33.5})
    assert "error" not in await raw.ask({"action": "SaveQuickscene", "index": target})
    after = (await raw.ask({"action": "GetQuickscenes"}))["quickslots"]
    assert "image" in after[target]
    await raw.ask({"action": "LoadAvatar", "name": "AvatarBomb"})
    await raw.recv()
    await raw.ask({"action": "SetCameraFov", "fov": 90})
    loaded = await raw.ask({"action": "LoadQuickscene", "index": target, "id": "q"})
    assert loaded == {"action": "LoadQuickscene", "id": "q", "index": target}
    assert await raw.recv() == {"event": "AvatarChanged", "new_avatar": "Ghosty"}
    assert (await raw.ask({"action": "GetCameraFov"}))["fov"] == 33.5


@pytest.mark.asyncio
async def test_camera_and_avatar_transforms_and_fov(raw: RawClient) -> None:
    default = await raw.ask({"action": "GetCameraTransform"})
    assert default["position"] == [0.0, 1.7000000476837158, 1.0]
    assert default["rotation"] == [0.0, 0.0, 0.0, 1.0]
    assert (await raw.ask({"action": "GetCameraFov"}))["fov"] == 60.000003814697266
    assert (await raw.ask({"action": "SetCameraFov", "fov": 35.5}))["fov"] == 35.5
    assert (await raw.ask({"action": "GetCameraFov"}))["fov"] == 35.5
    bad = await raw.ask({"action": "SetCameraFov", "fov": 0})
    assert bad["error"].startswith("fov: must be between 0 and 180")
    await raw.ask({"action": "SetCameraTransform", "position": [1, 2, 3], "rotation": [0, 0, 0, 2]})
    camera = await raw.ask({"action": "GetCameraTransform"})
    assert camera["position"] == [1.0, 2.0, 3.0] and camera["rotation"] == [0.0, 0.0, 0.0, 1.0]
    place = {"position": [0.5, 0, -1], "rotation": [0, 1, 0, 0], "scale": 1.5}
    await raw.ask({"action": "SetAvatarTransform", **place})
    got = await raw.ask({"action": "GetAvatarTransform"})
    assert got["position"] == [0.5, 0.0, -1.0] and got["rotation"] == [0.0, 1.0, 0.0, 0.0]
    assert got["scale"] == 1.5
    bad_scale = await raw.ask({"action": "SetAvatarTransform", **place, "scale": -1})
    assert bad_scale["error"].startswith("scale:")


@pytest.mark.asyncio
@pytest.mark.parametrize("behaviour", BEHAVIOURS, ids=lambda b: b.name)
async def test_every_override_set_then_get(raw: RawClient, behaviour: Any) -> None:
    default = await raw.ask({"action": "GetOverride", "behavior": behaviour.name})
    assert default["behavior"] == behaviour.name and isinstance(default["value"], bool)
    assert {p.wire for p in behaviour.params} <= default.keys()
    params = {
        p.wire: round(p.minimum + (p.maximum - p.minimum) * 0.37, 3) for p in behaviour.params
    }
    sent = {"action": "SetOverride", "behavior": behaviour.name, "value": True, **params}
    assert "error" not in await raw.ask(sent)
    state = await raw.ask({"action": "GetOverride", "behavior": behaviour.name.upper()})
    assert state["value"] is True
    for wire, number in params.items():
        assert state[wire] == number
    off = await raw.ask({"action": "SetOverride", "behavior": behaviour.name, "value": False})
    assert "error" not in off
    again = await raw.ask({"action": "GetOverride", "behavior": behaviour.name})
    assert again["value"] is False and all(again[w] == n for w, n in params.items())


@pytest.mark.asyncio
async def test_override_odd_spellings_and_per_avatar_state(raw: RawClient) -> None:
    await raw.ask({"action": "SetOverride", "behavior": "Sound to Mouth Open", "value": True,
                   "mouthSmoothTime": 0.25})  # fmt: skip
    mouth = await raw.ask({"action": "GetOverride", "behavior": "Sound to Mouth Open"})
    assert mouth["mouthSmoothTme"] == 0.25 and "mouthSmoothTime" not in mouth
    await raw.ask({"action": "SetOverride", "behavior": "Mouse Keyboard Behavior", "value": True,
                   "zAxisOffset": -0.5})  # fmt: skip
    keyboard = await raw.ask({"action": "GetOverride", "behavior": "Mouse Keyboard Behavior"})
    assert keyboard["zAxisOffset "] == -0.5
    await raw.ask({"action": "LoadAvatar", "name": "AvatarBomb"})
    await raw.recv()
    other = await raw.ask({"action": "GetOverride", "behavior": "Sound to Mouth Open"})
    assert other["value"] is False and other["mouthSmoothTme"] == 0.1  # Bomb has its own
    unknown = await raw.ask({"action": "GetOverride", "behavior": "Moonwalk"})
    assert unknown["error"] == "behavior: unknown override behaviour 'Moonwalk'"
    bad = await raw.ask({"action": "SetOverride", "behavior": "Auto Blink", "value": "yes"})
    assert bad["error"] == "value: must be true or false, got 'yes'"


@pytest.mark.asyncio
async def test_broadcast_and_calibrate_change_state(raw: RawClient, simulator: Simulator) -> None:
    assert (await raw.ask({"action": "Broadcast", "toggle": True}))["toggle"] is True
    assert simulator.world.broadcasting is True
    await raw.ask({"action": "Broadcast", "toggle": False})
    assert simulator.world.broadcasting is False
    await raw.ask({"action": "CalibrateTracker"})
    await raw.ask({"action": "calibratetracker"})
    assert simulator.world.calibrations == 2


@pytest.mark.asyncio
async def test_chatpal_echo_and_reply_then_speech_events(raw: RawClient) -> None:
    echo = await raw.ask({"action": "ChatbotSendMessage", "id": "c", "message": "-echo Hi chat!"})
    assert echo == {"action": "ChatbotSendMessage", "id": "c", "response": "Hi chat!"}
    assert parse_frame(await raw.recv_text()) == ChatbotSpeechStarted()
    assert parse_frame(await raw.recv_text()) == ChatbotSpeechEnded()
    reply = await raw.ask({"action": "ChatbotSendMessage", "message": "What game is this?"})
    assert reply["response"] and reply["response"] != "What game is this?"
    assert (await raw.recv())["event"] == "ChatbotSpeechStarted"
    assert (await raw.recv())["event"] == "ChatbotSpeechEnded"
    empty = await raw.ask({"action": "ChatbotSendMessage", "message": " "})
    assert empty["error"] == "message: must not be empty"


@pytest.mark.asyncio
async def test_reply_comes_before_the_trigger_and_every_client_gets_it(
    new_client: Connect,
) -> None:
    watcher, actor = await new_client(), await new_client()
    await actor.send({"action": "LoadAvatar", "name": "Mochi_Cat", "id": "1"})
    assert await actor.recv() == {"action": "LoadAvatar", "id": "1", "name": "Mochi_Cat"}
    assert await actor.recv() == {"event": "AvatarChanged", "new_avatar": "Mochi_Cat"}
    assert await watcher.recv() == {"event": "AvatarChanged", "new_avatar": "Mochi_Cat"}
    failed = await actor.ask({"action": "LoadAvatar", "name": "Nobody", "id": "2"})
    assert failed == {"action": "LoadAvatar", "id": "2", "error": "Avatar not found"}


@pytest.mark.asyncio
async def test_change_made_in_animaze_is_broadcast(raw: RawClient, simulator: Simulator) -> None:
    await simulator.change_avatar("penny_penguin")
    assert await raw.recv() == {"event": "AvatarChanged", "new_avatar": "Penny_Penguin"}
    with pytest.raises(KeyError):
        await simulator.change_avatar("nobody")


@pytest.mark.asyncio
@pytest.mark.parametrize("spelling", ["getcamerafov", "GETCAMERAFOV", "GetCameraFOV"])
async def test_action_names_in_any_casing(raw: RawClient, spelling: str) -> None:
    reply = await raw.ask({"action": spelling})
    assert reply == {"action": spelling, "fov": 60.000003814697266}  # echoed as sent


@pytest.mark.asyncio
async def test_reused_and_missing_ids(raw: RawClient) -> None:
    for fov in (40, 50, 70):
        reply = await raw.ask({"action": "SetCameraFov", "id": "same", "fov": fov})
        assert reply == {"action": "SetCameraFov", "id": "same", "fov": fov}
    assert "id" not in await raw.ask({"action": "GetCameraFov"})
    reply = await raw.ask({"action": "GetCameraFov", "id": 7})
    assert reply["id"] == 7 and isinstance(reply["id"], int)  # echoed as sent, not as "7"


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("frame", "error"),
    [
        ("{not json", "Malformed request: frame is not valid JSON"),
        ("[1, 2]", "Malformed request: frame is a JSON list, expected an object"),
        ('{"id": "x"}', "action: missing"),
        ('{"action": "Dance"}', "action: unknown action 'Dance'"),
        ('{"action": "LoadAvatar"}', "name: missing (expected key 'name')"),
        ('{"action": "LoadAvatar", "name": 3}', "name: must be text, got 3"),
        ('{"action": "TriggerPose", "index": 1.5}', "index: must be a whole number, got 1.5"),
    ],
)
async def test_error_replies(raw: RawClient, frame: str, error: str) -> None:
    reply = await raw.ask(frame)
    assert reply["error"].startswith(error)
    if "action" in reply:
        assert isinstance(parse_frame(json.dumps(reply)), r.ErrorReply)
    else:  # no action could be read, so there is none to echo (the id still is)
        assert set(reply) <= {"error", "id"}


@pytest.mark.asyncio
async def test_binary_frames_are_read_too(raw: RawClient) -> None:
    reply = await raw.ask(b'{"action": "GetCameraFov", "id": "b"}')
    assert reply["id"] == "b" and reply["fov"] > 0


@pytest.mark.asyncio
async def test_benchmark_sizes() -> None:
    async with Simulator(num_avatars=500, icon_size=48_000) as sim:
        async with connect(sim.url, max_size=None) as ws:
            client = RawClient(ws)
            avatars = (await client.ask({"action": "GetAvatars"}))["avatars"]
            assert len(avatars) == 500 and avatars[-1] == "Generated_0500"
            icon = await client.ask({"action": "GetItemIcon", "name": "Generated_0499"})
            assert len(icon["image"]) >= 64_000
            assert png_info(base64.b64decode(icon["image"]))[:2] == (256, 256)
            await client.ask({"action": "LoadAvatar", "name": "Generated_0321"})
            assert (await client.recv())["new_avatar"] == "Generated_0321"
            assert (await client.ask({"action": "GetSpecialActions"}))["specialActions"]
