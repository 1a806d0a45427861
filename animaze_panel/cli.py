"""Command-line tools: ``call`` sends one Animaze action, ``simulate`` runs the simulator.

::

    animaze-panel call GetAvatars
    animaze-panel call LoadAvatar name=AvatarBomb
    animaze-panel call SetCameraTransform position=[0,1.7,1] rotation=[0,0,0,1]
    animaze-panel call SetOverride behavior="Auto Blink" value=true frequency=0.4
    animaze-panel simulate --port 9000

``call`` prints the JSON response on stdout. Values are read as JSON where they parse
(``index=2``, ``toggle=true``, ``position=[0,1.7,1]``) and as text otherwise; fields the action
defines as text (``name``, ``itemName``, ``behavior``, ``message``) are always text, so
``name=123`` loads an avatar called "123". Failures go to stderr, worded as in the panel
(:func:`~.animaze.errors.describe_error`, naming the address used), with an exit status a
script (Streamer.bot, a Stream Deck "run program" action) can test; see :data:`EXIT_CODES`.

Without ``--url``, ``call`` talks to the address the panel used last (else
``ws://localhost:9000``); ``--url`` takes ``ws://host:port`` or ``host:port`` like the panel's
address field. A closed output pipe (``| head``) ends it quietly.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import logging
import math
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .animaze.address import validate_url
from .animaze.client import DEFAULT_URL, AnimazeClient
from .animaze.errors import (
    AnimazeCommandError,
    AnimazeConnectionError,
    AnimazeError,
    AnimazeUnreachable,
    ValidationError,
    describe_error,
)
from .animaze.messages import parse_request
from .animaze.requests import REQUEST_TYPES, Request, request_type
from .animaze.responses import Response
from .simulator.catalogue import BASE_AVATAR_COUNT

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_UNREACHABLE = 3
EXIT_COMMAND_ERROR = 4
EXIT_NO_ANSWER = 5
EXIT_CODES = {
    EXIT_OK: "success, the response is on stdout",
    EXIT_FAILURE: "other failure (e.g. an answer that could not be read)",
    EXIT_USAGE: "bad command line or invalid field value; nothing was sent",
    EXIT_UNREACHABLE: "Animaze is not reachable (not running, or its API is disabled)",
    EXIT_COMMAND_ERROR: "Animaze answered with an error (e.g. Avatar not found)",
    EXIT_NO_ANSWER: "no answer in time, or the connection dropped",
}

PROG = "animaze-panel"


def parse_value(text: str) -> Any:
    """Read a command-line value: JSON where it parses, else the text itself.

    Args:
        text: e.g. ``"2"``, ``"true"``, ``"[0,1.7,1]"`` or ``"Avatar03"``.
    """
    try:
        return json.loads(text)
    except ValueError:
        return text


def _text_fields(cls: type[Request[Any]]) -> set[str]:
    """Wire keys of the fields ``cls`` declares as text."""
    wire = dict(cls.WIRE)
    return {
        wire.get(f.name, f.name)
        for f in dataclasses.fields(cls)
        if f.type in ("str", str) and f.name != "extra"
    }


def build_request(action: str, assignments: Sequence[str]) -> Request[Any]:
    """Build and validate a request from ``ACTION key=value ...``.

    Args:
        action: The action name, in any casing.
        assignments: ``key=value`` strings; keys are the wire keys of the spec.

    Returns:
        The validated request.

    Raises:
        ValidationError: Unknown action, an argument without ``=``, or an invalid field (the
            error names it).
    """
    cls = request_type(action)
    if cls is None:
        known = ", ".join(t.ACTION for t in REQUEST_TYPES)
        raise ValidationError("action", f"unknown action {action!r} (known: {known})")
    text_keys = _text_fields(cls)
    frame: dict[str, Any] = {"action": action}
    for item in assignments:
        key, sep, raw = item.partition("=")
        if not sep or not key:
            raise ValidationError(item, "expected key=value, e.g. name=Avatar03")
        frame[key] = raw if key in text_keys else parse_value(raw)
    return parse_request(frame)


async def send(url: str, request: Request[Any], timeout: float) -> Response:
    """Connect to Animaze at ``url``, send ``request`` and return the response.

    Raises:
        AnimazeUnreachable: Could not connect.
        AnimazeCommandError: Animaze answered with an error.
        AnimazeConnectionError: Timed out or the connection dropped.
    """
    client = AnimazeClient(
        url, reconnect=False, request_timeout=timeout, connect_timeout=timeout, ping_interval=None
    )
    async with client:
        return await client.request(request)


def _error(message: str) -> None:
    print(f"{PROG}: {message}", file=sys.stderr)


def call_url(args: argparse.Namespace) -> str:
    """The address ``call`` talks to: ``--url``, else the one the panel remembers, else the
    default."""
    if args.url is not None:
        return str(args.url)
    from .app import remembered_url  # Qt's settings store: only when no --url is given

    return remembered_url(args.settings) or DEFAULT_URL


def run_call(args: argparse.Namespace) -> int:
    """The ``call`` subcommand. Returns the exit status."""
    try:
        request = build_request(args.action, args.fields)
    except ValidationError as exc:
        _error(describe_error(exc))
        return EXIT_USAGE
    for key in request.extra:  # sent verbatim (a newer Animaze may know it), but likely a typo
        _error(f"note: {key!r} is not a field of {request.ACTION} in the API spec; sent as is")
    if args.url is None:
        status = call_through_panel(request, args.timeout, args.pretty)
        if status is not None:
            return status
    url = call_url(args)
    try:
        response = asyncio.run(send(url, request, args.timeout))
    except AnimazeError as exc:
        _error(describe_error(exc, url))
        return _exit_status(exc)
    indent = 2 if args.pretty else None
    return _print(json.dumps(response.to_wire(), indent=indent, ensure_ascii=False))


_API_EXIT = {400: EXIT_USAGE, 429: EXIT_COMMAND_ERROR, 502: EXIT_COMMAND_ERROR,
             503: EXIT_UNREACHABLE}


def call_through_panel(request: Request[Any], timeout: float, pretty: bool) -> int | None:
    """Send ``request`` through a running panel's control API, if it is on.

    One connection to Animaze, the panel's state and cooldowns. Returns the exit status, or
    ``None`` when no panel API is reachable (the caller then talks to Animaze directly).
    """
    from .control import discovery
    from .secrets import SecretStore, SecretStoreError

    endpoint = discovery.read()
    if endpoint is None:
        return None
    try:
        token = SecretStore().get(discovery.TOKEN_NAME)
    except SecretStoreError:
        return None
    if token is None:
        return None
    import httpx

    wire = request.to_wire()
    wire.pop("id", None)
    try:
        answer = httpx.post(f"{endpoint.url}/v1/animaze", json=wire, timeout=timeout,
                            headers={"Authorization": f"Bearer {token.reveal()}"})
        body = answer.json()
    except (httpx.HTTPError, ValueError):
        return None  # the panel went away: talk to Animaze directly
    if answer.status_code == 200:
        return _print(json.dumps(body, indent=2 if pretty else None, ensure_ascii=False))
    message = body.get("error", {}).get("message", answer.text) if isinstance(body, dict) \
        else answer.text
    _error(f"through the panel at {endpoint.url}: {message}")
    return _API_EXIT.get(answer.status_code, EXIT_FAILURE)


def _exit_status(error: AnimazeError) -> int:
    if isinstance(error, AnimazeUnreachable):
        return EXIT_UNREACHABLE
    if isinstance(error, AnimazeCommandError):
        return EXIT_COMMAND_ERROR
    if isinstance(error, AnimazeConnectionError):
        return EXIT_NO_ANSWER
    return EXIT_FAILURE


def _print(text: str) -> int:
    """Print ``text`` on stdout; a reader that went away (``| head``) is not a crash."""
    try:
        print(text, flush=True)
    except BrokenPipeError:
        # As the Python docs advise (signal module, "Note on SIGPIPE"): point stdout at
        # devnull so the flush at exit does not raise again, and exit with an error status.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_FAILURE
    return EXIT_OK


async def _simulate(args: argparse.Namespace) -> None:
    from .simulator import Simulator  # only this subcommand needs the server

    simulator = Simulator(
        args.host,
        args.port,
        num_avatars=args.avatars,
        icon_size=args.icon_size,
        speech_seconds_per_char=args.speech_seconds_per_char,
    )
    async with simulator:
        if args.latency:
            simulator.faults.set(latency=args.latency)
        print(f"Animaze simulator listening on {simulator.url} (Ctrl+C to stop)", flush=True)
        await asyncio.Event().wait()


def run_simulate(args: argparse.Namespace) -> int:
    """The ``simulate`` subcommand: serve until interrupted. Returns the exit status."""
    if args.verbose:
        logging.basicConfig(level=logging.DEBUG, format="%(asctime)s %(message)s")
    try:
        asyncio.run(_simulate(args))
    except KeyboardInterrupt:
        return EXIT_OK
    except OSError as exc:
        _error(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}")
        return EXIT_FAILURE
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The parser of the ``simulate`` and ``call`` subcommands."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Animaze control panel. Without a command, starts the GUI.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    codes = "\n".join(f"  {code}  {meaning}" for code, meaning in EXIT_CODES.items())
    call = commands.add_parser(
        "call",
        help="send one action to Animaze and print the JSON response",
        description="Send one action to Animaze (or the simulator) and print its JSON response.",
        epilog=f"values are JSON where they parse, else text.\n\nexit status:\n{codes}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    call.add_argument("--url", type=_url, default=None, metavar="ws://HOST:PORT",
                      help="Animaze API address, host:port accepted (default: the one the "
                           f"panel used last, else {DEFAULT_URL})")
    call.add_argument("--timeout", type=_positive_float, default=5.0,
                      help="seconds to wait, more than 0 (5)")
    call.add_argument("--settings", metavar="FILE", type=Path, help=argparse.SUPPRESS)
    call.add_argument("--pretty", action="store_true", help="indent the JSON output")
    call.add_argument("action", metavar="ACTION", help="e.g. GetAvatars, LoadAvatar")
    call.add_argument("fields", metavar="key=value", nargs="*", help="e.g. name=AvatarBomb")
    call.set_defaults(run=run_call)

    sim = commands.add_parser(
        "simulate",
        help="run a simulated Animaze (the whole API, with state)",
        description="Run a simulated Animaze API server until Ctrl+C.",
    )
    sim.add_argument("--host", default="127.0.0.1", help="interface to listen on (127.0.0.1)")
    sim.add_argument("--port", type=int, default=9000, help="TCP port, 0 for any free (9000)")
    sim.add_argument(
        "--avatars", type=_positive_int, default=BASE_AVATAR_COUNT, help="avatars on offer"
    )
    sim.add_argument("--icon-size", type=_positive_int, default=None, metavar="BYTES",
                     help="pad every icon to at least this many bytes")  # fmt: skip
    sim.add_argument("--speech-seconds-per-char", type=float, default=0.06, metavar="SECONDS",
                     help="ChatPal speaking pace (0.06)")  # fmt: skip
    sim.add_argument("--latency", type=float, default=0.0, help="seconds before each reply")
    sim.add_argument("-v", "--verbose", action="store_true", help="log every frame")
    sim.set_defaults(run=run_simulate)
    return parser


def _url(text: str) -> str:
    try:
        return validate_url(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"must be more than 0 seconds, got {text}")
    return value


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def main(argv: Sequence[str]) -> int:
    """Run a subcommand.

    Args:
        argv: Arguments after the program name, starting with the subcommand.

    Returns:
        The exit status (see :data:`EXIT_CODES`).
    """
    parser = build_parser()
    try:
        args = parser.parse_args(list(argv))
    except SystemExit as exc:  # --help or a usage error: argparse already printed
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    status: int = args.run(args)
    return status
