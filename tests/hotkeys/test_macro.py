"""The hotkey engine on a fake clock: macro timing, cooldown, overlap, hold, cancel, failures."""

from __future__ import annotations

import asyncio

import pytest

from animaze_panel.hotkeys import actions as a
from animaze_panel.hotkeys.bindings import Binding, Overlap
from animaze_panel.hotkeys.keys import KeyCombo
from animaze_panel.hotkeys.macro import (
    ActionFailed,
    EngineEvents,
    HotkeyEngine,
    LoopClock,
)
from tests.fake_clock import FakeClock

pytestmark = pytest.mark.asyncio

F1, F2, F3 = (KeyCombo.parse(k) for k in ("Ctrl+F1", "Ctrl+F2", "Ctrl+F3"))
MACRO = (a.Emote("Wave"), a.Wait(1.5), a.Pose(1), a.Wait(3), a.Idle(0))


class Recorder:
    """Records (fake time, action description) for every executed step."""

    def __init__(self, clock: FakeClock, fail: set[str] | None = None) -> None:
        self.clock = clock
        self.sent: list[tuple[float, str]] = []
        self.fail = fail or set()

    async def __call__(self, action: a.Action, binding: Binding) -> None:
        if action.describe() in self.fail:
            raise ActionFailed(f"{action.describe()} is not available")
        self.sent.append((self.clock.now(), action.describe()))


def _engine(*bindings: Binding, fail: set[str] | None = None) -> tuple[HotkeyEngine, Recorder,
                                                                       FakeClock, list[str]]:
    clock = FakeClock(100.0)
    rec = Recorder(clock, fail)
    log: list[str] = []
    events = EngineEvents(
        fired=lambda b: log.append(f"fired {b.keys}"),
        dropped=lambda b, why: log.append(f"dropped {b.keys}: {why}"),
        failed=lambda b, why: log.append(f"failed {b.keys}: {why}"),
    )
    engine = HotkeyEngine(rec, clock, events)
    engine.set_bindings(bindings)
    return engine, rec, clock, log


async def test_macro_steps_follow_their_delays() -> None:
    engine, rec, clock, _ = _engine(Binding(F1, MACRO))
    assert engine.press(F1)
    await clock.advance(0)
    assert rec.sent == [(100.0, "Emote Wave")]
    await clock.advance(1.49)
    assert len(rec.sent) == 1
    await clock.advance(10)
    assert rec.sent == [(100.0, "Emote Wave"), (101.5, "Pose #1"), (104.5, "Idle #0")]
    assert not engine.running()


async def test_cooldown_drops_mashed_presses() -> None:
    engine, rec, clock, log = _engine(Binding(F1, (a.Emote("E"),), cooldown=0.5))
    assert engine.press(F1)
    engine.release(F1)
    await clock.advance(0.2)
    assert not engine.press(F1)  # within the cooldown
    engine.release(F1)
    await clock.advance(0.31)
    assert engine.press(F1)
    await clock.advance(0)
    assert [t for t, _ in rec.sent] == [100.0, 100.51]
    assert "dropped Ctrl+F1: cooldown (0.5 s)" in log


async def test_auto_repeat_is_ignored_until_release() -> None:
    engine, rec, clock, _ = _engine(Binding(F1, (a.Emote("E"),), cooldown=0))
    assert engine.press(F1)
    assert not engine.press(F1)
    assert not engine.press(F1)
    engine.release(F1)
    assert engine.press(F1)
    await clock.advance(0)
    assert len(rec.sent) == 2


async def test_macro_fired_twice_does_not_interleave_by_default() -> None:
    engine, rec, clock, log = _engine(Binding(F1, MACRO, cooldown=0))
    engine.press(F1)
    engine.release(F1)
    await clock.advance(1)
    assert not engine.press(F1)
    engine.release(F1)
    await clock.advance(10)
    assert [d for _, d in rec.sent] == ["Emote Wave", "Pose #1", "Idle #0"]
    assert "dropped Ctrl+F1: its macro is still running" in log


async def test_restart_cancels_the_running_macro() -> None:
    engine, rec, clock, _ = _engine(Binding(F1, MACRO, cooldown=0, overlap=Overlap.RESTART))
    engine.press(F1)
    engine.release(F1)
    await clock.advance(1)
    assert engine.press(F1)
    await clock.advance(10)
    assert rec.sent == [(100.0, "Emote Wave"), (101.0, "Emote Wave"), (102.5, "Pose #1"),
                        (105.5, "Idle #0")]


async def test_allow_interleaves() -> None:
    engine, rec, clock, _ = _engine(Binding(F1, MACRO, cooldown=0, overlap=Overlap.ALLOW))
    engine.press(F1)
    engine.release(F1)
    await clock.advance(1)
    engine.press(F1)
    await clock.advance(10)
    assert [t for t, _ in rec.sent] == [100.0, 101.0, 101.5, 102.5, 104.5, 105.5]


async def test_hold_runs_release_and_cancels_press_macro() -> None:
    hold = Binding(F2, (a.Pose(2), a.Wait(2), a.Pose(3)), release=(a.Idle(0),))
    engine, rec, clock, _ = _engine(hold)
    engine.press(F2)
    await clock.advance(1)
    assert engine.release(F2)
    await clock.advance(5)
    assert rec.sent == [(100.0, "Pose #2"), (101.0, "Idle #0")]


async def test_release_of_a_dropped_press_does_nothing() -> None:
    hold = Binding(F2, (a.Pose(2),), release=(a.Idle(0),), cooldown=1)
    engine, rec, clock, _ = _engine(hold)
    engine.press(F2)
    engine.release(F2)
    engine.press(F2)  # mashed: dropped by the cooldown
    assert not engine.release(F2)
    await clock.advance(0)
    assert [d for _, d in rec.sent] == ["Pose #2", "Idle #0"]


async def test_cancel_stops_macros() -> None:
    engine, rec, clock, _ = _engine(Binding(F1, MACRO), Binding(F3, MACRO))
    engine.press(F1)
    engine.press(F3)
    await clock.advance(0.5)
    assert engine.running(F1) and engine.running()
    assert engine.cancel(F1) == 1
    await clock.advance(0)
    assert not engine.running(F1) and engine.running(F3)
    assert engine.cancel() == 1
    await clock.advance(10)
    assert [d for _, d in rec.sent] == ["Emote Wave", "Emote Wave"]


async def test_failed_step_stops_the_run_and_is_reported() -> None:
    engine, rec, clock, log = _engine(Binding(F1, MACRO), fail={"Pose #1"})
    engine.press(F1)
    await clock.advance(10)
    assert [d for _, d in rec.sent] == ["Emote Wave"]
    assert "failed Ctrl+F1: Pose #1 is not available" in log


async def test_master_switch_and_unknown_keys() -> None:
    engine, rec, clock, _ = _engine(Binding(F1, (a.Emote("E"),)), Binding(F2, (a.Emote("X"),),
                                                                          enabled=False))
    engine.enabled = False
    assert not engine.press(F1)
    engine.release(F1)
    engine.enabled = True
    assert not engine.press(F2)  # disabled binding
    assert not engine.press(F3)  # unbound
    assert engine.press(F1)
    await clock.advance(0)
    assert [d for _, d in rec.sent] == ["Emote E"]
    assert engine.combos == [F1]


async def test_loop_clock_really_waits() -> None:
    sent: list[float] = []
    clock = LoopClock()

    async def execute(action: a.Action, binding: Binding) -> None:
        sent.append(clock.now())

    engine = HotkeyEngine(execute, clock)
    engine.set_bindings([Binding(F1, (a.Calibrate(), a.Wait(0.05), a.Calibrate()))])
    engine.press(F1)
    await asyncio.wait_for(engine.wait_idle(), 5)
    assert len(sent) == 2 and sent[1] - sent[0] >= 0.045
    await engine.aclose()
