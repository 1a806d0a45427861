"""State of the fake Kinetix server: tokens, processes and how a process moves through its steps.

A process advances one step every ``step_seconds`` of the server's clock through the real step
names (:data:`._kinetix_data.STEPS`), optionally ending in a failure step. The queries look
processes up as the server's controllers do (by user, by emote, along retakes).
:class:`KinetixBook` keeps every token and process the server made, with the rules that issue,
expire and use up tokens and start processes; the HTTP side stays in :mod:`.kinetix_server`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from ._kinetix_data import STEPS

_DAY = 86400.0


@dataclass
class Token:
    """A generation token (the server's ``sdk-token-<uuid>`` cache entry)."""

    user_id: str
    created: float
    parent: str | None = None  # the rejected process of a retake


@dataclass
class Process:
    """An emote process (a row of the server's process table)."""

    uuid: str
    user_id: str
    name: str
    created: float
    created_wall: str
    parent: str | None = None
    emote: str = field(default_factory=lambda: str(uuid.uuid4()))
    fail_step: str | None = None
    final: str | None = None  # "validated" / "rejected"


def step_of(process: Process, now: float, step_seconds: float) -> tuple[str, float]:
    """Return ``(step, ml progression 0-100)`` from the clock."""
    if process.final is not None:
        return process.final, 100.0
    elapsed = (now - process.created) / step_seconds
    index = int(elapsed)
    ml_index = STEPS.index("ml_running")
    if process.fail_step is not None and index > ml_index:
        return process.fail_step, 100.0
    index = min(index, len(STEPS) - 1)
    ml = 0.0 if index < ml_index else 100.0
    if index == ml_index:
        ml = round((elapsed - index) * 100, 1)
    return STEPS[index], ml


def process_json(process: Process, now: float, step_seconds: float) -> dict[str, Any]:
    """The process as the server sends it (controllers/process.js create/get)."""
    step, ml = step_of(process, now, step_seconds)
    progression = round(100 * min(1.0, (now - process.created) /
                                  (step_seconds * (len(STEPS) - 1))), 1)
    body = {
        "uuid": process.uuid,
        "emote": process.emote,
        "animation": process.emote,
        "video": process.uuid,
        "step": step,
        "name": process.name,
        "vw": 1,
        "user": process.user_id,
        "progression": 100.0 if process.final else progression,
        "validated": process.final == "validated",
        "rejected": process.final == "rejected",
        "createdAt": process.created_wall,
        "ml": {"progression": ml, "mlRemaining": 0, "mlElapsed": 0},
    }
    if process.parent is not None:
        body["parent"] = process.parent
    return body


def status_of(item: dict[str, Any]) -> str:
    """The list's ``status`` of a process (controllers/user.js getProcessesV2 getStatus)."""
    if item["validated"]:
        return "validated"
    if item["rejected"]:
        return "rejected"
    groups = {"ml_running": "processing", "ml_done": "processing", "render_done": "done",
              "done": "done"}
    step = str(item["step"])
    return groups.get(step, "failed" if step.endswith("_failed") else "pending")


def user_processes(processes: dict[str, Process], user: str) -> list[Process]:
    """``user``'s processes, newest first."""
    mine = [p for p in processes.values() if p.user_id == user]
    return sorted(mine, key=lambda p: p.created, reverse=True)


def emote_process(processes: dict[str, Process], emote: str) -> Process | None:
    """The process that made ``emote`` (``None``: no such emote)."""
    return next((p for p in processes.values() if p.emote == emote), None)


def retake_chain(processes: dict[str, Process], process: Process) -> tuple[Process, int]:
    """The last process of ``process``'s chain of retakes, and how many ancestors it has.

    Mirrors controllers/process.js retake, which follows the chain to its end before counting.
    """
    last = process
    while (child := _child_of(processes, last.uuid)) is not None:
        last = child
    ancestors, walker = 0, last
    while walker.parent is not None and walker.parent in processes:
        ancestors += 1
        walker = processes[walker.parent]
    return last, ancestors


def _child_of(processes: dict[str, Process], parent: str) -> Process | None:
    return next((p for p in processes.values() if p.parent == parent), None)


class KinetixBook:
    """Every token and process the fake has made, and the rules that use them.

    The server's settings (token lifetime, step length...) stay on the server, where tests
    change them while it runs: each call brings the values it needs, with ``now`` on the
    server's clock.
    """

    def __init__(self, now: float) -> None:
        """Start an empty book; ``now`` is the server clock's value at this wall time."""
        self.tokens: dict[str, Token] = {}
        self.processes: dict[str, Process] = {}
        self.opened = now
        """The clock value when the book was opened: :meth:`wall` maps it to that wall time."""
        self._wall0 = datetime.now(UTC)

    def wall(self, clock_value: float) -> str:
        """The wall time of a clock value, written as the server writes times."""
        instant = self._wall0 + timedelta(seconds=clock_value - self.opened)
        return instant.isoformat(timespec="milliseconds").replace("+00:00", "Z")

    def issue_token(self, user_id: str, now: float, ttl: float, base_url: str,
                    parent: str | None = None) -> dict[str, Any]:
        """Make a token for ``user_id`` (a retake's: ``parent``) and return it as answered."""
        # controllers/process.js request/retake: {uuid, expire, url=<front>/?token=&expire=}.
        token_uuid = str(uuid.uuid4())
        token = Token(user_id, now, parent)
        self.tokens[token_uuid] = token
        expire = self.wall(token.created + ttl)
        return {"uuid": token_uuid, "expire": expire,
                "url": f"{base_url}/record/?token={token_uuid}&expire={expire}"}

    def live_token(self, token_uuid: str, now: float, ttl: float) -> Token | None:
        """The token, or ``None`` when it is unknown or has expired (it is then forgotten)."""
        token = self.tokens.get(token_uuid)
        if token is not None and now - token.created >= ttl:
            del self.tokens[token_uuid]  # the cache entry's TTL ran out
            return None
        return token

    def use_token(self, token_uuid: str, now: float, ttl: float) -> Token | None:
        """Take the token an upload presents: gone afterwards, whatever it was worth."""
        token = self.live_token(token_uuid, now, ttl)
        self.tokens.pop(token_uuid, None)  # tokenAuth(true): deleted on any use
        return token

    def made_today(self, user: str, now: float) -> int:
        """How many emotes ``user`` started (retakes aside) in the last day."""
        return len([p for p in user_processes(self.processes, user)
                    if p.parent is None and now - p.created < _DAY])

    def start_process(self, token: Token, name: str, now: float,
                      fail_step: str | None) -> Process:
        """Start the process of an upload made with ``token``."""
        process = Process(str(uuid.uuid4()), token.user_id, name, now, self.wall(now),
                          parent=token.parent, fail_step=fail_step)
        self.processes[process.uuid] = process
        return process

    def listing(self, user: str, now: float, step_seconds: float) -> list[dict[str, Any]]:
        """``user``'s processes as the v2 list answers them, newest first, with a status."""
        items = []
        for process in user_processes(self.processes, user):
            item = process_json(process, now, step_seconds)
            item["status"] = status_of(item)
            items.append(item)
        return items
