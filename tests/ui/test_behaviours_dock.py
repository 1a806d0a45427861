"""BehavioursDock against the simulator: toggles and parameters round-trip through Animaze."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMainWindow, QScrollArea
from pytestqt.qtbot import QtBot

from animaze_panel.animaze.overrides import BEHAVIOURS
from animaze_panel.animaze.requests import GetOverride, SetOverride
from animaze_panel.simulator import SimulatorThread
from animaze_panel.ui.animaze.behaviours_dock import BehavioursDock
from animaze_panel.ui.session import AnimazeSession

from . import controls_support as cs

sim = cs.sim
session = cs.session
window = cs.window
pytestmark = cs.QT_LOG_IGNORE


@pytest.mark.asyncio
async def test_all_behaviours_shown_with_catalogue_ranges_and_state(
    qtbot: QtBot, sim: SimulatorThread, session: AnimazeSession, window: QMainWindow
) -> None:
    dock = BehavioursDock(session)
    await cs.show_refreshed(window, dock)
    assert dock.visible_behaviours() == [b.name for b in BEHAVIOURS]
    assert len(BEHAVIOURS) == 19
    overrides = sim.simulator.world.overrides_of()
    for behaviour in BEHAVIOURS:
        assert dock.checkbox(behaviour.name).isChecked() == overrides[behaviour.name].value
        for param in behaviour.params:
            spin = dock.param_spin(behaviour.name, param.name)
            assert (spin.minimum(), spin.maximum()) == (param.minimum, param.maximum)
            assert spin.value() == pytest.approx(overrides[behaviour.name].params[param.name])
    assert len(cs.frames_of(sim, "GetOverride")) == 19


@pytest.mark.asyncio
async def test_toggle_sends_set_override_and_get_override_agrees(
    qtbot: QtBot, sim: SimulatorThread, session: AnimazeSession, window: QMainWindow
) -> None:
    dock = BehavioursDock(session)
    await cs.show_refreshed(window, dock)
    box = dock.checkbox("Auto Blink")
    assert not box.isChecked()
    since = sim.simulator.frame_count
    scroll = dock.widget().findChild(QScrollArea)
    assert scroll is not None
    scroll.ensureWidgetVisible(box)
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(6, box.height() // 2))
    assert box.isChecked()
    frame = await cs.wait_frame(
        sim, cs.action_is("SetOverride", behavior="Auto Blink"), since=since
    )
    assert frame.message is not None
    assert frame.message["value"] is True
    assert frame.message["frequency"] == pytest.approx(0.3)
    state = await session.call(GetOverride("Auto Blink"))
    assert state is not None and state.value is True and state.value == box.isChecked()

    since = sim.simulator.frame_count
    box.toggle()  # keyboard/code path: the same request
    await cs.wait_frame(
        sim, cs.action_is("SetOverride", behavior="Auto Blink", value=False), since=since
    )
    state = await session.call(GetOverride("Auto Blink"))
    assert state is not None and state.value is False


@pytest.mark.asyncio
async def test_typed_parameter_sends_set_override_with_odd_wire_spelling(
    qtbot: QtBot, sim: SimulatorThread, session: AnimazeSession, window: QMainWindow
) -> None:
    dock = BehavioursDock(session)
    await cs.show_refreshed(window, dock)
    spin = dock.param_spin("Sound to Mouth Open", "mouth_smooth_time")
    since = sim.simulator.frame_count
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin, "0.42")
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    frame = await cs.wait_frame(
        sim, cs.action_is("SetOverride", behavior="Sound to Mouth Open"), since=since
    )
    assert frame.message is not None
    assert frame.message["mouthSmoothTme"] == pytest.approx(0.42)  # (sic), as the spec says
    assert frame.message["value"] is False
    state = await session.call(GetOverride("Sound to Mouth Open"))
    assert state is not None and state.params["mouth_smooth_time"] == pytest.approx(0.42)


@pytest.mark.asyncio
async def test_parameter_stepping_is_coalesced_with_final_value_sent(
    qtbot: QtBot, sim: SimulatorThread, session: AnimazeSession, window: QMainWindow
) -> None:
    dock = BehavioursDock(session)
    await cs.show_refreshed(window, dock)
    spin = dock.param_spin("Breathing Behavior", "amplitude")
    since = sim.simulator.frame_count
    for _ in range(20):  # twenty arrow-key steps within one event-loop turn
        spin.stepUp()
    final = spin.value()
    assert final == pytest.approx(1.0)
    await cs.wait_frame(
        sim,
        lambda f: (
            f.action == "SetOverride"
            and f.message is not None
            and f.message.get("amplitude") == pytest.approx(final)
        ),
        since=since,
    )
    await cs.settle(session, dock)
    sent = cs.frames_of(sim, "SetOverride", since)
    assert len(sent) == 2  # leading and final
    assert sent[-1]["value"] is True


@pytest.mark.asyncio
async def test_change_lost_in_a_drop_is_read_back_on_reconnect(
    qtbot: QtBot, sim: SimulatorThread, session: AnimazeSession, window: QMainWindow
) -> None:
    dock = BehavioursDock(session)
    await cs.show_refreshed(window, dock)
    failures = cs.next_emission(session.commandFailed)
    # Animaze drops the link when the toggle is sent: the dock is disabled, and the reconnect
    # re-reads every behaviour, so the box shows Animaze's state again.
    sim.faults.set(drop_after=0)
    box = dock.checkbox("Cross Eyes")
    refreshed = cs.next_emission(dock.refreshed, 15)
    box.toggle()
    await failures
    await refreshed
    assert not box.isChecked()
    assert sim.simulator.world.overrides_of()["Cross Eyes"].value is False


@pytest.mark.asyncio
async def test_avatar_change_rereads_state(
    qtbot: QtBot, sim: SimulatorThread, session: AnimazeSession, window: QMainWindow
) -> None:
    dock = BehavioursDock(session)
    await cs.show_refreshed(window, dock)
    assert await session.call(SetOverride("Cross Eyes", True)) is not None
    refreshed = cs.next_emission(dock.refreshed)
    qtbot.mouseClick(dock.refresh_button, Qt.MouseButton.LeftButton)
    await refreshed
    assert dock.checkbox("Cross Eyes").isChecked()

    other = sim.simulator.world.catalogue.avatars[2].item_name
    refreshed = cs.next_emission(dock.refreshed, 10)
    sim.run(lambda s: s.change_avatar(other))
    await refreshed
    assert not dock.checkbox("Cross Eyes").isChecked()  # overrides are per avatar


@pytest.mark.asyncio
async def test_filter_and_disabled_while_disconnected(
    qtbot: QtBot, sim: SimulatorThread, session: AnimazeSession, window: QMainWindow
) -> None:
    dock = BehavioursDock(session)
    await cs.show_refreshed(window, dock)
    dock.filter_edit.setText("symmetry")
    assert dock.visible_behaviours() == [
        "Forced Symmetry Eyebrows",
        "Forced Symmetry Eyelids",
        "Forced Symmetry Mouth",
    ]
    dock.filter_edit.setText("sensitivity")  # parameter names match too
    assert dock.visible_behaviours() == ["Sound to Mouth Open"]
    await cs.drop_and_wait_disconnected(sim, dock)
    assert not dock.checkbox("Sound to Mouth Open").isEnabled()
    assert dock.filter_edit.text() == "sensitivity"
