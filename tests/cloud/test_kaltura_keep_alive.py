"""The keep-alive task: cadence on a manual clock, slow calls, errors, stopping with the session."""

from __future__ import annotations

import pytest

from animaze_panel.cloud.kaltura import KalturaClient, KalturaError, KalturaSessionGone
from animaze_panel.fakes.kaltura_server import FakeKalturaServer

from .kaltura_fixtures import *  # noqa: F403 (fixtures)
from .kaltura_fixtures import ManualTimer, make_client, wait_until

pytestmark = pytest.mark.asyncio


async def test_keep_alive_every_ten_seconds(
    kaltura: KalturaClient, kaltura_server: FakeKalturaServer, timer: ManualTimer
) -> None:
    session = await kaltura.create_session("avatar-1")
    results: list[KalturaError | None] = []
    keeper = kaltura.start_keep_alive(session, results.append, timer.clock, timer.sleep)

    for tick in range(1, 4):
        await timer.wait_sleeping(tick)
        assert len(kaltura_server.sessions[session.session_id].keep_alives) == tick - 1
        timer.advance(10.0)
    await timer.wait_sleeping(4)

    assert kaltura_server.sessions[session.session_id].keep_alives == [10.0, 20.0, 30.0]
    assert timer.sleeps == [10.0, 10.0, 10.0, 10.0]
    assert results == [None, None, None]
    assert keeper.running and keeper.sent == 3
    await kaltura.end_session(session)
    assert not keeper.running


async def test_nothing_is_sent_before_the_first_interval(
    kaltura: KalturaClient, kaltura_server: FakeKalturaServer, timer: ManualTimer
) -> None:
    session = await kaltura.create_session("avatar-1")
    kaltura.start_keep_alive(session, None, timer.clock, timer.sleep)
    await timer.wait_sleeping(1)
    timer.advance(9.9)
    assert kaltura_server.hits["keep-alive"] == 0
    assert kaltura.start_keep_alive(session, None, timer.clock, timer.sleep).sent == 0


async def test_a_slow_keep_alive_skips_missed_ticks_instead_of_bursting(
    kaltura: KalturaClient, kaltura_server: FakeKalturaServer, timer: ManualTimer
) -> None:
    session = await kaltura.create_session("avatar-1")

    def slow_result(error: KalturaError | None) -> None:
        if len(timer.sleeps) == 1:
            timer.now += 25.0  # the first call "took" 25 s

    kaltura.start_keep_alive(session, slow_result, timer.clock, timer.sleep)
    await timer.wait_sleeping(1)
    timer.advance(10.0)
    await timer.wait_sleeping(2)

    assert timer.sleeps == [10.0, 10.0]  # next one 10 s after now, not 0 s (a burst)


async def test_a_transient_error_is_reported_and_the_next_tick_retries(
    kaltura: KalturaClient, kaltura_server: FakeKalturaServer, timer: ManualTimer
) -> None:
    session = await kaltura.create_session("avatar-1")
    results: list[KalturaError | None] = []
    kaltura_server.fail("keep-alive", 500, times=1)
    keeper = kaltura.start_keep_alive(session, results.append, timer.clock, timer.sleep)

    await timer.wait_sleeping(1)
    timer.advance(10.0)
    await timer.wait_sleeping(2)
    timer.advance(10.0)
    await timer.wait_sleeping(3)

    assert isinstance(results[0], KalturaError) and results[1] is None
    assert keeper.last_error is None and keeper.running


async def test_a_gone_session_stops_the_keep_alive(
    kaltura: KalturaClient, kaltura_server: FakeKalturaServer, timer: ManualTimer
) -> None:
    session = await kaltura.create_session("avatar-1")
    results: list[KalturaError | None] = []
    keeper = kaltura.start_keep_alive(session, results.append, timer.clock, timer.sleep)
    kaltura_server.sessions[session.session_id].ended = True  # ended on Kaltura's side

    await timer.wait_sleeping(1)
    timer.advance(10.0)
    await wait_until(lambda: not keeper.running)

    assert len(results) == 1 and isinstance(results[0], KalturaSessionGone)


async def test_aclose_stops_keep_alives_and_ends_sessions(
    kaltura_server: FakeKalturaServer, timer: ManualTimer
) -> None:
    client = make_client(kaltura_server.base_url)
    session = await client.create_session("avatar-1")
    keeper = client.start_keep_alive(session, None, timer.clock, timer.sleep)
    await timer.wait_sleeping(1)

    await client.aclose()

    assert not keeper.running
    assert kaltura_server.sessions[session.session_id].ended
    timer.advance(100.0)
    assert kaltura_server.hits["keep-alive"] == 0
