"""Coalescer: leading send, at most one send per interval, the final value always sent."""

from __future__ import annotations

import asyncio

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import QObject

from animaze_panel.ui.widgets.coalescer import Coalescer, QtScheduler

from .controls_support import FakeTime

INTERVAL = 1.0 / 30


def make(fake: FakeTime) -> tuple[Coalescer[int], list[tuple[float, int]]]:
    sent: list[tuple[float, int]] = []
    coalescer: Coalescer[int] = Coalescer(
        lambda v: sent.append((fake.now, v)),
        min_interval=INTERVAL,
        clock=fake.clock,
        schedule=fake.schedule,
    )
    return coalescer, sent


def test_first_value_goes_out_immediately() -> None:
    fake = FakeTime()
    coalescer, sent = make(fake)
    coalescer.submit(1)
    assert sent == [(0.0, 1)]
    assert not coalescer.pending


def test_burst_sends_leading_and_trailing_values_only() -> None:
    fake = FakeTime()
    coalescer, sent = make(fake)
    for value in range(10):
        coalescer.submit(value)
        fake.advance(0.001)
    assert [v for _, v in sent] == [0]
    fake.advance(INTERVAL)
    assert [v for _, v in sent] == [0, 9]
    assert sent[1][0] == pytest.approx(INTERVAL)
    assert fake.scheduled == 0


def test_flush_sends_pending_at_once_and_cancels_timer() -> None:
    fake = FakeTime()
    coalescer, sent = make(fake)
    coalescer.submit(1)
    coalescer.submit(2)
    coalescer.flush()
    assert [v for _, v in sent] == [1, 2]
    assert fake.scheduled == 0
    fake.advance(1.0)
    assert [v for _, v in sent] == [1, 2]


def test_flush_without_pending_sends_nothing() -> None:
    fake = FakeTime()
    coalescer, sent = make(fake)
    coalescer.flush()
    assert sent == []


def test_cancel_drops_pending_value() -> None:
    fake = FakeTime()
    coalescer, sent = make(fake)
    coalescer.submit(1)
    coalescer.submit(2)
    coalescer.cancel()
    fake.advance(1.0)
    assert [v for _, v in sent] == [1]


def test_none_is_a_value() -> None:
    fake = FakeTime()
    sent: list[None] = []
    coalescer: Coalescer[None] = Coalescer(
        sent.append, min_interval=INTERVAL, clock=fake.clock, schedule=fake.schedule
    )
    coalescer.submit(None)
    coalescer.submit(None)
    fake.advance(1)
    assert sent == [None, None]


def test_after_quiet_period_next_value_is_immediate() -> None:
    fake = FakeTime()
    coalescer, sent = make(fake)
    coalescer.submit(1)
    fake.advance(1.0)
    coalescer.submit(2)
    assert sent == [(0.0, 1), (1.0, 2)]


def test_rejects_negative_interval() -> None:
    with pytest.raises(ValueError):
        Coalescer(print, min_interval=-1)


@given(st.lists(st.floats(min_value=0.0, max_value=0.2), min_size=1, max_size=200))
def test_rate_bound_and_final_value_property(gaps: list[float]) -> None:
    """Whatever the timing: sends are >= interval apart and the last value is the last sent."""
    fake = FakeTime()
    coalescer, sent = make(fake)
    for value, gap in enumerate(gaps):
        fake.advance(gap)
        coalescer.submit(value)
    fake.advance(1.0)
    times = [t for t, _ in sent]
    assert all(b - a >= INTERVAL - 1e-9 for a, b in zip(times, times[1:], strict=False))
    assert sent[-1][1] == len(gaps) - 1
    assert [v for _, v in sent] == sorted(v for _, v in sent)
    # 1 leading send plus at most one per elapsed interval.
    assert len(sent) <= 1 + (fake.now / INTERVAL) + 1


@pytest.mark.asyncio
async def test_qt_scheduler_runs_latest_callback_only(qapp: object) -> None:
    owner = QObject()
    schedule = QtScheduler(owner)
    loop = asyncio.get_running_loop()
    fired: list[str] = []
    done = loop.create_future()
    schedule(10.0, lambda: fired.append("replaced"))

    def latest() -> None:
        fired.append("latest")
        done.set_result(None)

    schedule(0.005, latest)
    await asyncio.wait_for(done, 5)
    assert fired == ["latest"]
    handle = schedule(0.005, lambda: fired.append("cancelled"))
    handle.cancel()
    done2 = loop.create_future()
    schedule(0.02, lambda: done2.set_result(None))
    await asyncio.wait_for(done2, 5)
    assert fired == ["latest"]


@pytest.mark.asyncio
async def test_coalescer_on_qt_timer_delivers_trailing_value(qapp: object) -> None:
    owner = QObject()
    loop = asyncio.get_running_loop()
    sent: list[int] = []
    done = loop.create_future()

    def send(value: int) -> None:
        sent.append(value)
        if value == 99 and not done.done():
            done.set_result(None)

    coalescer: Coalescer[int] = Coalescer(send, schedule=QtScheduler(owner))
    for value in range(100):
        coalescer.submit(value)
    await asyncio.wait_for(done, 5)
    assert sent == [0, 99]
