"""Unhandled exceptions: logged, written to a report file with secrets blanked, shown once.

A streamer mid-show must not lose the panel to a bug in one slot: :func:`install` routes
exceptions from Qt slots (``sys.excepthook``), threads (``threading.excepthook``) and asyncio
tasks (the loop's exception handler) to one :class:`CrashReporter`, which

* logs the traceback (redacted) to the app log,
* writes ``crash-<time>.txt`` (redacted) to the reports folder,
* tells the user once per distinct failure (same type and place: once per run),

and lets the panel keep running.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

from ..secrets import seen_values

log = logging.getLogger(__name__)

_PATTERNS = (
    # Authorization headers and their value (Bearer tokens, Kaltura "KS <ks>")
    re.compile(r"(?i)\b(bearer|ks)\s+[A-Za-z0-9._~+/=-]{8,}"),
    # key=value / "key": "value" for names that hold secrets
    re.compile(r"(?i)([\"']?(?:x-api-key|api[_-]?key|client[_-]?secret|clientsecret|"
               r"client[_-]?id|clientid|token|secret|password|ks)[\"']?\s*[:=]\s*[\"']?)"
               r"([^\s\"',&;]{4,})"),
)
MASK = "********"


def redact(text: str, values: frozenset[str] | None = None) -> str:
    """Blank out secrets in ``text``: every value a :class:`~..secrets.Secret` has held, and
    anything that looks like a credential (auth headers, ``token=...``)."""
    for value in sorted(values if values is not None else seen_values(), key=len, reverse=True):
        text = text.replace(value, MASK)
    text = _PATTERNS[0].sub(lambda m: f"{m.group(1)} {MASK}", text)
    return _PATTERNS[1].sub(lambda m: f"{m.group(1)}{MASK}", text)


def reports_dir() -> Path:
    """Where crash reports go (the app's platformdirs state folder)."""
    from platformdirs import user_state_dir

    return Path(user_state_dir("animaze-panel", appauthor=False)) / "crash-reports"


class CrashReporter:
    """Handles unhandled exceptions; see the module docstring."""

    def __init__(self, folder: Path, show: Callable[[str], None]) -> None:
        """Create the reporter.

        Args:
            folder: Where reports are written.
            show: Tells the user (called on the GUI thread, once per distinct failure).
        """
        self.folder = folder
        self._show = show
        self._shown: set[tuple[str, str]] = set()
        self._lock = threading.Lock()
        self.reports: list[Path] = []

    def handle(self, exc_type: type[BaseException], exc: BaseException,
               tb: TracebackType | None, where: str = "") -> Path | None:
        """Log, write a report and tell the user once. Never raises.

        Returns:
            The report file, or ``None`` if it could not be written.
        """
        try:
            text = redact("".join(traceback.format_exception(exc_type, exc, tb)))
            log.error("Unhandled error%s:\n%s", f" in {where}" if where else "", text)
            path = self._write(text, where)
            frames = traceback.extract_tb(tb) if tb is not None else []
            place = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else where
            key = (exc_type.__qualname__, place)
            with self._lock:
                first = key not in self._shown
                self._shown.add(key)
            if first:
                summary = redact(f"{exc_type.__name__}: {exc}")[:300]
                saved = f" A report was saved to {path}." if path is not None else ""
                self._show(f"Something went wrong inside the panel ({summary}); it keeps "
                           f"running.{saved} Please attach the report when you tell us.")
            return path
        except Exception:  # the reporter itself must never take the panel down
            log.exception("The crash reporter failed")
            return None

    def _write(self, text: str, where: str) -> Path | None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            stamp = time.strftime("%Y%m%d-%H%M%S")
            fd, tmp = tempfile.mkstemp(prefix=".crash-", dir=self.folder)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(f"animaze-panel crash report {stamp}\n")
                out.write(f"Python {sys.version.split()[0]} on {sys.platform}\n")
                if where:
                    out.write(f"In: {where}\n")
                out.write("\n" + text)
            path = self.folder / f"crash-{stamp}-{os.getpid()}-{len(self.reports)}.txt"
            os.replace(tmp, path)
        except OSError:
            log.exception("Could not write the crash report")
            return None
        self.reports.append(path)
        return path

    # ------------------------------------------------------------------ hooks

    def excepthook(self, exc_type: type[BaseException], exc: BaseException,
                   tb: TracebackType | None) -> None:
        """``sys.excepthook``: Qt slots and the main thread."""
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        self.handle(exc_type, exc, tb, "the window")

    def thread_hook(self, args: threading.ExceptHookArgs) -> None:
        """``threading.excepthook``: worker threads."""
        if args.exc_value is None or args.exc_type is SystemExit:
            return
        name = args.thread.name if args.thread is not None else "a thread"
        self.handle(args.exc_type, args.exc_value, args.exc_traceback, name)

    def loop_handler(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        """asyncio exception handler: tasks nobody awaited."""
        exc = context.get("exception")
        if isinstance(exc, BaseException):
            self.handle(type(exc), exc, exc.__traceback__, str(context.get("message", "")))
        else:
            log.error("asyncio: %s", redact(str(context.get("message", context))))


def install(reporter: CrashReporter, loop: asyncio.AbstractEventLoop) -> Callable[[], None]:
    """Route every unhandled exception to ``reporter``; returns an uninstaller."""
    previous = (sys.excepthook, threading.excepthook, loop.get_exception_handler())
    sys.excepthook = reporter.excepthook
    threading.excepthook = reporter.thread_hook
    loop.set_exception_handler(reporter.loop_handler)

    def uninstall() -> None:
        sys.excepthook, threading.excepthook = previous[0], previous[1]
        if not loop.is_closed():
            loop.set_exception_handler(previous[2])

    return uninstall
