"""Cloud faults: every Kinetix, Akool and Kaltura route, broken every way a network breaks.

For each (service, route, fault) the real client talks to the real fake over loopback, the fake
breaks the route with its own fault injection, and the call must end in the service's typed
error whose text says what went wrong and what to do, with no traceback text and no secret in
it, its ``repr``, its cause chain or the log. GETs are retried with backoff (the fake counts
the attempts; the recorded pauses grow, or equal the server's ``Retry-After``); POSTs reach the
server exactly once.
"""

from __future__ import annotations

import logging
import traceback
from pathlib import Path

import pytest

from animaze_panel.cloud._whep_parts import WhepError
from animaze_panel.cloud.akool_errors import AkoolError
from animaze_panel.cloud.kaltura_models import KalturaError
from animaze_panel.cloud.kinetix_models import KinetixError

from .cloud_harness import CASES, FAULTS, HARNESSES, RETRY, RETRY_AFTER, RETRYABLE, RouteCase
from .conftest import FIGURES

TYPED = {"kinetix": (KinetixError,), "akool": (AkoolError,),
         "kaltura": (KalturaError, WhepError)}
# What a message may tell the user to do next: at least one must appear.
ACTIONS = ("try", "check", "enter", "wait", "start", "paste", "copy", "create", "use ",
           "ask", "turn", "correct", "choose", "get a new", "close", "connect")
# Signs of a programmer's text leaking into a user's message.
LEAKS = ("Traceback", 'File "', "httpx.", "aiohttp", "Error(", "<html", "\n", "None")

_covered: set[tuple[str, str, str]] = set()
_retried: set[str] = set()
_single: set[str] = set()


def assert_readable(exc: BaseException, service: str, secrets: list[str]) -> str:
    """Check the error is typed, says what went wrong and what to do, and hides every secret."""
    assert isinstance(exc, TYPED[service]), f"untyped error {type(exc).__name__}: {exc}"
    text = str(exc)
    assert 15 <= len(text) <= 400, f"message length {len(text)}: {text!r}"
    assert text[0].isupper(), f"not a sentence: {text!r}"
    for leak in LEAKS:
        assert leak not in text, f"{leak!r} in the message {text!r}"
    assert any(word in text.lower() for word in ACTIONS), f"no next step in {text!r}"
    chain = "".join(traceback.format_exception(exc)) + repr(exc)
    for secret in secrets:
        assert secret not in chain, "a secret is in the error, its repr or its causes"
    return text


def _fault_ids() -> list[tuple[RouteCase, str]]:
    return [(case, fault) for case in CASES for fault in FAULTS]


@pytest.mark.asyncio
@pytest.mark.parametrize(("case", "fault"), _fault_ids(),
                         ids=[f"{c.id}-{f}" for c, f in _fault_ids()])
async def test_fault_is_readable_and_retried_only_when_safe(
    case: RouteCase, fault: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with HARNESSES[case.service](tmp_path, fault) as harness:
        call = await harness.prepare(case.route)
        before = harness.hits(case.route)
        harness.inject(case.route, fault)
        with pytest.raises(Exception) as caught:  # noqa: B017 - the type is checked below
            await call()
        assert_readable(caught.value, case.service, harness.secrets)
        hits = harness.hits(case.route) - before
        retried = case.method == "GET" and fault in RETRYABLE
        assert hits == (RETRY.attempts if retried else 1), f"{hits} hits on the fake"
        if retried:
            pauses = harness.sleep.pauses  # type: ignore[union-attr]
            assert len(pauses) == RETRY.attempts - 1
            if fault == "429":
                assert pauses == [RETRY_AFTER] * (RETRY.attempts - 1)
            else:
                assert all(p >= RETRY.base_delay / 2 for p in pauses)
                assert pauses == sorted(pauses), f"no backoff: {pauses}"
            _retried.add(case.id)
        elif case.method == "POST":
            _single.add(case.id)
        for obj in harness.objects:
            for secret in harness.secrets:
                assert secret not in repr(obj), f"a secret in repr of {type(obj).__name__}"
    for secret in harness.secrets:
        assert secret not in caplog.text, "a secret in the log"
    _covered.add((case.service, case.route, fault))
    total = len(CASES) * len(FAULTS)
    FIGURES["cloud faults"] = (
        f"{len(_covered)}/{total} route/fault pairs covered "
        f"({len({c.id for c in CASES})} routes x {len(FAULTS)} faults), all readable; "
        f"GET retries with backoff on {len(_retried)} routes / POST single-shot on "
        f"{len(_single)} routes verified"
    )
