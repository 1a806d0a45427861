"""Paid Akool sessions are always closed: a ledger on disk and a guard that uses it.

Akool charges a session's whole duration when it is created and refunds the rest when it is
closed early (the billing rule in the project's Akool notes), so a session left open costs money.

* :class:`SessionLedger` keeps the IDs of the sessions the panel opened in a small JSON file in
  a directory the caller chooses (e.g. the app's data directory). Every change is written
  atomically (temporary file, fsync, rename), so a crash leaves either the old or the new list.
* :class:`SessionGuard` opens sessions through an :class:`~.akool.AkoolClient` and records them
  *before* handing them out; :meth:`SessionGuard.close` closes one and forgets it;
  :meth:`SessionGuard.recover` (on start) closes what a crash left in the ledger;
  :meth:`SessionGuard.aclose` (on quit, or leaving ``async with``) closes all that are open.

An ID is forgotten only when Akool confirms the close, or answers that the session does not
exist (code 1008) or is no longer running; on a network failure, or an HTTP 404 without a code
(a wrong address or a proxy answered, not Akool), it stays for the next attempt.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ._http import run_blocking
from .akool import AkoolClient
from .akool_errors import AkoolError, AkoolNotFound, AkoolTimeout
from .akool_models import Session, SessionOptions

log = logging.getLogger(__name__)

LEDGER_NAME = "akool-open-sessions.json"


@dataclass(frozen=True)
class LedgerEntry:
    """One session the panel opened and has not seen closed."""

    session_id: str
    opened_at: float
    duration: int = 0

    def to_wire(self) -> dict[str, object]:
        """Encode for the ledger file."""
        return {"id": self.session_id, "opened_at": self.opened_at, "duration": self.duration}

    @classmethod
    def from_wire(cls, body: dict[str, object]) -> LedgerEntry:
        """Decode one ledger item."""
        session_id = body["id"]
        if not isinstance(session_id, str) or not session_id:
            raise ValueError("bad session id")
        opened = body.get("opened_at", 0.0)
        duration = body.get("duration", 0)
        return cls(session_id, float(opened) if isinstance(opened, (int, float)) else 0.0,
                   int(duration) if isinstance(duration, int) else 0)


class SessionLedger:
    """The IDs of open sessions, persisted in ``directory / LEDGER_NAME`` (blocking I/O)."""

    def __init__(self, directory: Path, name: str = LEDGER_NAME) -> None:
        """Use ``directory`` (created when missing) for the ledger file."""
        self.directory = directory
        self.path = directory / name
        # Read-modify-write from several worker threads must not lose an update.
        self._lock = threading.Lock()

    def entries(self) -> list[LedgerEntry]:
        """Return the recorded sessions; an unreadable file is kept aside and counts as empty."""
        try:
            raw = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        try:
            items = json.loads(raw)["open"]
            return [LedgerEntry.from_wire(item) for item in items]
        except (ValueError, KeyError, TypeError) as exc:
            # Keep the damaged file for a person to read; never lose it silently.
            aside = self.path.with_suffix(".damaged")
            os.replace(self.path, aside)
            log.error("session ledger %s was unreadable (%s); moved to %s", self.path, exc, aside)
            return []

    def ids(self) -> list[str]:
        """Return the recorded session IDs, oldest first."""
        return [entry.session_id for entry in self.entries()]

    def add(self, entry: LedgerEntry) -> None:
        """Record an opened session."""
        with self._lock:
            entries = [e for e in self.entries() if e.session_id != entry.session_id]
            self._write([*entries, entry])

    def remove(self, session_id: str) -> None:
        """Forget a closed session (no error when it is not recorded)."""
        with self._lock:
            entries = self.entries()
            kept = [e for e in entries if e.session_id != session_id]
            if len(kept) != len(entries):
                self._write(kept)

    def _write(self, entries: list[LedgerEntry]) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        data = json.dumps({"open": [e.to_wire() for e in entries]}, indent=1)
        fd, tmp = tempfile.mkstemp(prefix=".akool-ledger-", dir=self.directory)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


class SessionLedgerError(AkoolError):
    """The list of open sessions could not be read or written on disk."""


def _ledger_error(
    action: str, ledger: SessionLedger, exc: OSError, closed: bool | None = None
) -> SessionLedgerError:
    reason = exc.strerror or type(exc).__name__
    text = f"Cannot {action} the list of open Akool sessions in {ledger.directory} ({reason})."
    if closed is True:
        text += " The new session was closed again so it costs nothing more."
    elif closed is False:
        text += " The new session could not be closed either: close it in the session list."
    return SessionLedgerError(text, action="Check the free disk space and the folder's "
                              "permissions, then try again.")


@dataclass(frozen=True)
class CloseResult:
    """What happened to one session the guard tried to close."""

    session_id: str
    closed: bool
    error: AkoolError | None = None


class SessionGuard:
    """Opens sessions, remembers them on disk, and closes every one it opened."""

    def __init__(
        self,
        client: AkoolClient,
        ledger: SessionLedger,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """Guard sessions of ``client`` with ``ledger``.

        Args:
            client: The Akool client (its credentials are used to close sessions).
            ledger: Where open sessions are remembered.
            clock: Wall clock for the ledger's ``opened_at``.
        """
        self.client = client
        self.ledger = ledger
        self._clock = clock
        # Sessions opened in this run, so quit closes them even if the disk fails meanwhile.
        self._opened: dict[str, None] = {}

    async def __aenter__(self) -> SessionGuard:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def open_ids(self) -> list[str]:
        """Return the IDs of the sessions recorded as open (and those opened in this run).

        Raises:
            SessionLedgerError: The ledger cannot be read.
        """
        try:
            recorded = await run_blocking(self.ledger.ids)
        except OSError as exc:
            raise _ledger_error("read", self.ledger, exc) from exc
        return list(dict.fromkeys([*recorded, *self._opened]))

    async def create_session(self, options: SessionOptions) -> Session:
        """Create a session and record it before returning it.

        If recording fails (disk full, no permission), the new session is closed again at
        once: a session the panel cannot remember must not keep running.

        Raises:
            AkoolError: Akool refused or could not be reached (nothing was opened).
            SessionLedgerError: The session could not be recorded (and was closed).
        """
        session = await self.client.create_session(options)
        self._opened[session.id] = None
        entry = LedgerEntry(session.id, self._clock(), options.duration)
        try:
            await run_blocking(self.ledger.add, entry)
        except OSError as exc:
            result = await self.close(session.id)
            raise _ledger_error("write", self.ledger, exc, closed=result.closed) from exc
        return session

    async def close(self, session_id: str) -> CloseResult:
        """Close one session and forget it when Akool confirms (or no longer knows it).

        Never raises an Akool error: it is returned in :attr:`CloseResult.error`, and the ID
        stays recorded when the close may not have happened.
        """
        error: AkoolError | None = None
        try:
            await self.client.close_session(session_id)
        except AkoolNotFound as exc:
            if exc.code is None:
                # A 404 without Akool's code is not Akool saying "no such session": the close
                # never reached it, so the session may still be running.
                log.warning("closing Akool session %s failed: %s", session_id, exc)
                return CloseResult(session_id, False, exc)
            # 1008: Akool has no such (open) session, so nothing is left to pay for.
            error = exc
        except AkoolError as exc:
            log.warning("closing Akool session %s failed: %s", session_id, exc)
            return CloseResult(session_id, False, exc)
        self._opened.pop(session_id, None)
        try:
            await run_blocking(self.ledger.remove, session_id)
        except OSError as exc:
            # Closed all the same; the stale ID is dropped when the next start finds it closed.
            log.warning("forgetting Akool session %s in %s failed: %s", session_id,
                        self.ledger.path, exc)
        return CloseResult(session_id, True, error)

    async def recover(self, timeout: float | None = None) -> list[CloseResult]:
        """Close the sessions a crash left open (call once on start, with credentials set).

        Args:
            timeout: Give up after this many seconds; what was not closed stays recorded.
        """
        return await self._close_all(timeout)

    async def aclose(self, timeout: float | None = None) -> list[CloseResult]:
        """Close every recorded session (on quit); returns what happened to each.

        Args:
            timeout: Give up after this many seconds (a quit must not hang on a dead network);
                what was not closed stays recorded and is closed on the next start.
        """
        return await self._close_all(timeout)

    async def _close_all(self, timeout: float | None) -> list[CloseResult]:
        try:
            ids = await self.open_ids()
        except SessionLedgerError:
            ids = list(self._opened)  # at least what this run opened
        tasks = [asyncio.ensure_future(self.close(session_id)) for session_id in ids]
        if not tasks:
            return []
        done, pending = await asyncio.wait(tasks, timeout=timeout)
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.wait(pending)
        results = []
        for session_id, task in zip(ids, tasks, strict=True):
            if task in done:
                results.append(task.result())
            else:
                results.append(CloseResult(session_id, False, AkoolTimeout(
                    "Closing the session took too long; it will be closed on the next start."
                )))
        return results
