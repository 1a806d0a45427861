"""Paid sessions are always closed: on request, on quit, and on the next start after a crash."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from animaze_panel.cloud.akool import AkoolClient
from animaze_panel.cloud.akool_errors import AkoolError, AkoolNetworkError, AkoolNotFound
from animaze_panel.cloud.akool_models import SessionOptions
from animaze_panel.cloud.akool_sessions import (
    LedgerEntry,
    SessionGuard,
    SessionLedger,
    SessionLedgerError,
)
from animaze_panel.fakes.akool_server import FakeAkoolServer, Fault, ManualClock

# The fixtures come from test_akool_client (no shared conftest): test arguments name them.
# ruff: noqa: F811
from .test_akool_client import (  # noqa: F401
    TRISTAN,
    akool,
    akool_server,
    clock,
    make_akool,
)

OPTIONS = SessionOptions(avatar_id=TRISTAN, duration=300)


def guard_for(client: AkoolClient, folder: Path) -> SessionGuard:
    return SessionGuard(client, SessionLedger(folder), clock=lambda: 1_700_000_000.0)


@pytest.mark.asyncio
async def test_created_session_is_recorded_then_forgotten_when_closed(
    akool: AkoolClient, akool_server: FakeAkoolServer, tmp_path: Path
) -> None:
    guard = guard_for(akool, tmp_path)
    session = await guard.create_session(OPTIONS)
    stored = json.loads((tmp_path / "akool-open-sessions.json").read_text())
    assert stored == {"open": [{"id": session.id, "opened_at": 1_700_000_000.0,
                                "duration": 300}]}
    result = await guard.close(session.id)
    assert result.closed and result.error is None
    assert await guard.open_ids() == [] and akool_server.closes == [session.id]


@pytest.mark.asyncio
async def test_all_open_sessions_are_closed_on_quit(
    akool: AkoolClient, akool_server: FakeAkoolServer, tmp_path: Path, clock: ManualClock
) -> None:
    async with guard_for(akool, tmp_path) as guard:
        first = await guard.create_session(OPTIONS)
        second = await guard.create_session(OPTIONS)
        clock.advance(100)
        assert akool_server.open_session_ids() == [first.id, second.id]
    assert sorted(akool_server.closes) == sorted([first.id, second.id])
    assert akool_server.open_session_ids() == []
    assert akool_server.refunds[first.id] == pytest.approx(200.0)
    assert SessionLedger(tmp_path).ids() == []


@pytest.mark.asyncio
async def test_sessions_left_by_a_crash_are_closed_on_the_next_start(
    akool_server: FakeAkoolServer, clock: ManualClock, tmp_path: Path
) -> None:
    # First run: open a session, then "crash" (the guard is never closed).
    crashed = make_akool(akool_server.base_url, clock=clock)
    session = await guard_for(crashed, tmp_path).create_session(OPTIONS)
    await crashed.aclose()  # only the sockets go away, as when the process dies
    assert akool_server.open_session_ids() == [session.id]
    clock.advance(60)
    # Next start: a new client and guard over the same folder.
    async with make_akool(akool_server.base_url, clock=clock) as client:
        results = await guard_for(client, tmp_path).recover()
    assert [(r.session_id, r.closed) for r in results] == [(session.id, True)]
    assert akool_server.closes == [session.id]
    assert akool_server.refunds[session.id] == pytest.approx(240.0)
    assert SessionLedger(tmp_path).ids() == []


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("fault", "expected"),
    # A bare 404 (a wrong address, a proxy) is not Akool saying the session is gone (1008).
    [(Fault(reset=True), AkoolNetworkError), (Fault(http_status=404), AkoolNotFound)],
    ids=["reset", "404-without-code"],
)
async def test_failed_close_keeps_the_id_for_the_next_attempt(
    akool: AkoolClient, akool_server: FakeAkoolServer, tmp_path: Path, fault: Fault,
    expected: type[AkoolError],
) -> None:
    guard = guard_for(akool, tmp_path)
    session = await guard.create_session(OPTIONS)
    akool_server.fail("session_close", fault)
    result = await guard.close(session.id)
    assert not result.closed and type(result.error) is expected
    assert "try again" in str(result.error) or "Check the API address" in str(result.error)
    assert await guard.open_ids() == [session.id]
    assert akool_server.open_session_ids() == [session.id]
    assert [r.closed for r in await guard.aclose()] == [True]
    assert akool_server.closes == [session.id] and await guard.open_ids() == []


@pytest.mark.asyncio
async def test_session_unknown_to_akool_is_forgotten(
    akool: AkoolClient, tmp_path: Path
) -> None:
    ledger = SessionLedger(tmp_path)
    ledger.add(LedgerEntry("ffffffffffffffffffffffff", 0.0, 60))
    results = await guard_for(akool, tmp_path).recover()
    assert results[0].closed and isinstance(results[0].error, AkoolNotFound)
    assert ledger.ids() == []


@pytest.mark.asyncio
async def test_session_that_cannot_be_recorded_is_closed_at_once(
    akool: AkoolClient, akool_server: FakeAkoolServer, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the ledger folder should be")
    guard = guard_for(akool, blocker)
    with pytest.raises(SessionLedgerError) as caught:
        await guard.create_session(OPTIONS)
    assert "closed again" in str(caught.value) and "disk space" in caught.value.action
    assert len(akool_server.closes) == 1 and akool_server.open_session_ids() == []
    with pytest.raises(SessionLedgerError, match="Cannot read"):
        await guard.open_ids()
    assert await guard.aclose() == []  # nothing of this run is left open


def test_ledger_survives_damage_by_setting_it_aside(tmp_path: Path) -> None:
    ledger = SessionLedger(tmp_path)
    ledger.path.write_text("{not json")
    assert ledger.ids() == []
    assert (tmp_path / "akool-open-sessions.damaged").read_text() == "{not json"
    ledger.add(LedgerEntry("abc", 1.0, 10))
    ledger.add(LedgerEntry("def", 2.0, 20))
    ledger.add(LedgerEntry("abc", 3.0, 30))  # re-recording replaces, never duplicates
    assert ledger.ids() == ["def", "abc"]
    ledger.remove("def")
    ledger.remove("never-there")
    assert [e.to_wire() for e in ledger.entries()] == [
        {"id": "abc", "opened_at": 3.0, "duration": 30}]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".akool-ledger-")] == []


@pytest.mark.asyncio
async def test_quit_does_not_hang_on_a_dead_network(
    akool: AkoolClient, akool_server: FakeAkoolServer, tmp_path: Path
) -> None:
    guard = guard_for(akool, tmp_path)
    session = await guard.create_session(OPTIONS)
    akool_server.fail("session_close", Fault(delay=60.0))  # released when the server stops
    results = await guard.aclose(timeout=0.3)
    assert [(r.session_id, r.closed) for r in results] == [(session.id, False)]
    assert "next start" in str(results[0].error)
    assert SessionLedger(tmp_path).ids() == [session.id]


@pytest.mark.asyncio
async def test_many_sessions_close_together_and_the_ledger_loses_none(
    akool: AkoolClient, akool_server: FakeAkoolServer, tmp_path: Path
) -> None:
    guard = guard_for(akool, tmp_path)
    opened = [await guard.create_session(OPTIONS) for _ in range(6)]
    assert sorted(await guard.open_ids()) == sorted(s.id for s in opened)
    results = await guard.aclose()
    assert all(r.closed for r in results) and len(results) == 6
    assert sorted(akool_server.closes) == sorted(s.id for s in opened)
    assert await guard.open_ids() == [] and await guard.aclose() == []


@pytest.mark.asyncio
async def test_quit_closes_this_runs_sessions_even_if_the_ledger_broke(
    akool: AkoolClient, akool_server: FakeAkoolServer, tmp_path: Path
) -> None:
    guard = guard_for(akool, tmp_path)
    session = await guard.create_session(OPTIONS)
    ledger_file = tmp_path / "akool-open-sessions.json"
    ledger_file.unlink()
    ledger_file.mkdir()  # the ledger can be neither read nor written any more
    results = await guard.aclose()
    assert [(r.session_id, r.closed) for r in results] == [(session.id, True)]
    assert akool_server.closes == [session.id]
