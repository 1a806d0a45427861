"""The shared Animaze state: true after our own commands, after outside changes, read once."""

from __future__ import annotations

import math
from collections.abc import AsyncIterator, Sequence
from typing import Any

import pytest
import pytest_asyncio

from animaze_panel.animaze import requests as rq
from animaze_panel.animaze.client import AnimazeClient
from animaze_panel.simulator import SimulatorThread
from animaze_panel.ui.animaze_state import POLL_INTERVAL, POLLED, Part
from animaze_panel.ui.hotkeys.action_choices import ActionChoices
from animaze_panel.ui.main_window import MainWindow

from .conftest import QT_OFFSCREEN_NOISE, action, sim_frame, wait_until

pytestmark = [pytest.mark.qt_log_ignore(QT_OFFSCREEN_NOISE), pytest.mark.asyncio]

OUTSIDE_WITHIN = 2.0
"""Seconds within which a change made outside the panel must show."""
assert POLL_INTERVAL < OUTSIDE_WITHIN


def close(got: Sequence[float], want: Sequence[float], tol: float = 1e-4) -> bool:
    return len(got) == len(want) and all(
        math.isclose(x, y, abs_tol=tol) for x, y in zip(got, want, strict=True)
    )


@pytest_asyncio.fixture
async def outsider(simulator: SimulatorThread) -> AsyncIterator[AnimazeClient]:
    # A plain client on the test loop, as another program would connect.
    """A second client, like a Stream Deck plugin or the Animaze window changing things."""
    client = AnimazeClient(simulator.url, request_timeout=5.0, ping_interval=None)
    client.start()
    await client.wait_connected(10)
    yield client
    await client.close()


async def test_quickscene_load_shows_its_scene_camera_and_avatar(
    main_window: MainWindow, simulator: SimulatorThread
) -> None:
    session, camera = main_window.session, main_window.camera
    # Slot 6 holds: Avatar03 in the third scene, camera at (1.5, 1.2, 3).
    scene = main_window.gallery.scenes.model.names[2]
    setup: tuple[rq.Request[Any], ...] = (
        rq.LoadAvatar("Avatar03"), rq.LoadScene(scene),
        rq.SetCameraTransform((1.5, 1.2, 3.0), (0.0, 0.0, 0.0, 1.0)), rq.SaveQuickscene(6))
    for request in setup:
        assert await session.call(request) is not None
    # Then somewhere else entirely, shown in the panel.
    first = main_window.gallery.scenes.model.names[0]
    elsewhere: tuple[rq.Request[Any], ...] = (
        rq.LoadAvatar("AvatarBomb"), rq.LoadScene(first),
        rq.SetAvatarTransform((0.4, 0.0, 0.0), (0.0, 0.0, 0.0, 1.0), 1.5))
    for request in elsewhere:
        assert await session.call(request) is not None
    camera.apply_camera((8.879, 1.0, 1.0), (0.0, 0.0, 0.0, 1.0), 60.0)
    await sim_frame(simulator, lambda f: f.action == "SetCameraTransform"
                    and f.message is not None and f.message["position"][0] == 8.879)
    await wait_until(lambda: main_window.avatar_transform.editor.value("scale") == 1.5)

    main_window.quickscenes.load(6)
    await wait_until(lambda: close(camera.current_camera()[0], (1.5, 1.2, 3.0)))
    await wait_until(lambda: main_window.gallery.scenes.model.current == scene)
    await wait_until(lambda: main_window.gallery.avatar_info is not None
                     and main_window.gallery.avatar_info.item_name == "Avatar03")
    # Avatar03 never moved: its own placement, not AvatarBomb's.
    await wait_until(lambda: main_window.avatar_transform.editor.value("scale") == 1.0)

    # The next nudge starts from the quickscene's camera, not the one shown before.
    since = simulator.simulator.frame_count
    camera.editor.slider("y").setValue(camera.editor.slider("y").value() + 10)
    frame = await sim_frame(simulator, action("SetCameraTransform"), since=since)
    assert frame.message is not None
    assert frame.message["position"][0] == pytest.approx(1.5)
    assert frame.message["position"][2] == pytest.approx(3.0)


async def test_outside_changes_show_within_two_seconds_and_are_never_undone(
    main_window: MainWindow, simulator: SimulatorThread, outsider: AnimazeClient
) -> None:
    session = main_window.session
    scene = main_window.gallery.scenes.model.names[3]
    since = simulator.simulator.frame_count
    await outsider.request(rq.SetCameraTransform((-2.0, 0.5, 4.0), (0.0, 0.0, 0.0, 1.0)))
    await outsider.request(rq.SetCameraFov(42.0))
    await outsider.request(rq.SetAvatarTransform((0.0, 0.3, 0.0), (0.0, 0.0, 0.0, 1.0), 0.5))
    await outsider.request(rq.LoadScene(scene))

    camera, avatar = main_window.camera, main_window.avatar_transform
    await wait_until(lambda: close(camera.current_camera()[0], (-2.0, 0.5, 4.0))
                     and camera.current_camera()[2] == pytest.approx(42.0)
                     and avatar.editor.value("scale") == 0.5
                     and main_window.gallery.scenes.model.current == scene,
                     timeout=OUTSIDE_WITHIN)

    # Nothing the panel sent since then puts the old values back: a request of ours after
    # the change was shown marks the end of what to look at.
    await session.call(rq.GetCameraFov())
    mine = {f.client for f in simulator.simulator.frames[since:] if f.action == "GetCameraFov"}
    panel_frames = [f for f in simulator.simulator.frames[since:]
                    if f.client in mine and (f.action or "").startswith(("Set", "Load"))]
    assert panel_frames == []
    world = simulator.simulator.world
    assert close(world.camera[0], (-2.0, 0.5, 4.0)) and world.fov == 42.0


async def test_polling_pauses_while_a_control_is_dragged(
    main_window: MainWindow, simulator: SimulatorThread
) -> None:
    model = main_window.session.model
    model.hold_polling(60.0)
    # A tick just before the hold may have a read on its way: let it land before counting.
    await model.settled(*POLLED)
    since = simulator.simulator.frame_count
    model.poll()  # the timer's tick while the user holds a slider
    await main_window.session.call(rq.GetCameraFov())  # sentinel: sent after any poll read
    assert not [f for f in simulator.simulator.frames[since:]
                if f.action in ("GetCameraTransform", "GetAvatarTransform",
                                "GetCurrentSceneInfo")]


async def test_the_action_picker_reads_nothing_the_docks_already_read(
    main_window: MainWindow, simulator: SimulatorThread
) -> None:
    session = main_window.session
    assert all(session.model.loaded(p) for p in (Part.EMOTES, Part.AVATARS, Part.QUICKSCENES))
    since = simulator.simulator.frame_count
    choices = ActionChoices(session)
    task = choices.refresh()
    assert task is not None
    await task
    assert [c.value for c in choices.choices("emote")] == [
        e.item_name for e in session.model.emotes
    ]
    assert choices.choices("quickscene") and choices.choices("pose")
    await session.call(rq.GetCameraFov())  # sentinel
    catalogue_reads = {"GetEmotes", "GetSpecialActions", "GetPoses", "GetIdleAnims",
                       "GetAvatars", "GetScenes", "GetQuickscenes"}
    assert not [f.action for f in simulator.simulator.frames[since:]
                if f.action in catalogue_reads]


async def test_broadcast_is_one_truth_for_toolbar_and_commands(main_window: MainWindow) -> None:
    session, toolbar = main_window.session, main_window.broadcast_action
    seen: list[bool] = []
    session.model.broadcastChanged.connect(seen.append)
    toolbar.setChecked(True)  # the user clicks the toolbar
    await wait_until(lambda: session.model.broadcast)
    # A hotkey or macro turns it off through the session: the toolbar follows.
    assert await session.call(rq.Broadcast(False)) is not None
    assert not toolbar.isChecked() and not session.model.broadcast
    assert seen == [True, False]


async def test_a_held_slider_is_not_moved_by_a_read(
    main_window: MainWindow, simulator: SimulatorThread, outsider: AnimazeClient
) -> None:
    camera, model = main_window.camera, main_window.session.model
    slider = camera.editor.slider("x")
    before = camera.current_camera()[0]
    slider.setSliderDown(True)  # the user holds the X slider
    try:
        await outsider.request(rq.SetCameraTransform((3.0, 0.5, 4.0), (0.0, 0.0, 0.0, 1.0)))
        await model.refresh(Part.CAMERA)
        assert model.camera is not None and close(model.camera.position, (3.0, 0.5, 4.0))
        assert camera.current_camera()[0] == before  # what the user holds stays put
    finally:
        slider.setSliderDown(False)
    # Let go: the next outside change shows again.
    await outsider.request(rq.SetCameraTransform((-1.0, 0.5, 4.0), (0.0, 0.0, 0.0, 1.0)))
    await wait_until(lambda: close(camera.current_camera()[0], (-1.0, 0.5, 4.0)),
                     timeout=OUTSIDE_WITHIN + 1.5)  # after the drag's polling pause
