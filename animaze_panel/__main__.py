"""Entry point of ``animaze-panel`` and ``python -m animaze_panel``.

``animaze-panel call ...`` and ``animaze-panel simulate ...`` are the command-line tools of
:mod:`.cli`; anything else (no arguments, ``--demo``, ``--url``, ``--self-test``...) starts the
GUI through ``animaze_panel.app.main``, imported only then so the tools never load Qt.

Before Qt is loaded, :func:`display_problem` checks that a GUI can open at all: on Linux without
a display, Qt would abort (a core dump and a misleading "reinstall the application" hint);
instead the panel says so in one line and exits with :data:`EXIT_NO_DISPLAY`.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

SUBCOMMANDS = ("call", "simulate")
EXIT_NO_DISPLAY = 3
HEADLESS_PLATFORMS = ("offscreen", "minimal", "vnc", "eglfs", "linuxfb")
"""Qt platform plugins that need no X11 or Wayland display."""


def display_problem(
    args: Sequence[str], environ: Mapping[str, str], platform: str = sys.platform
) -> str | None:
    """Why the GUI cannot open a window here, or ``None`` when it can (or cannot tell).

    Args:
        args: The GUI's arguments (``--self-test`` runs offscreen and needs no display).
        environ: The environment (``DISPLAY``, ``WAYLAND_DISPLAY``, ``QT_QPA_PLATFORM``).
        platform: ``sys.platform``; only Linux and the BSDs are checked (Windows and macOS
            always have a display when a user runs the panel).
    """
    if {"--self-test", "-h", "--help"} & set(args):
        return None
    if not platform.startswith(("linux", "freebsd", "openbsd")):
        return None
    wanted = environ.get("QT_QPA_PLATFORM", "").split(":", 1)[0].strip()
    if wanted in HEADLESS_PLATFORMS:
        return None
    display = environ.get("DISPLAY", "")
    wayland = environ.get("WAYLAND_DISPLAY", "")
    if wanted == "wayland":
        return None if wayland else "QT_QPA_PLATFORM is wayland but WAYLAND_DISPLAY is not set"
    if wanted == "xcb" or not wayland:
        if not display:
            return "no display: DISPLAY and WAYLAND_DISPLAY are not set"
        socket = _x11_socket(display)
        if socket is not None and not socket.exists():
            return f"no X server on DISPLAY={display} ({socket} does not exist)"
    return None


def _x11_socket(display: str) -> Path | None:
    """The Unix socket of a local ``:N`` display (``None`` for remote or unusual forms)."""
    host, _, rest = display.rpartition(":")
    number = rest.split(".", 1)[0]
    if host not in ("", "unix") or not number.isdigit():
        return None
    return Path(f"/tmp/.X11-unix/X{number}")


def main(argv: Sequence[str] | None = None) -> int:
    """Dispatch to a subcommand or the GUI.

    Args:
        argv: Arguments after the program name (``sys.argv[1:]`` by default).

    Returns:
        The process exit status.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in SUBCOMMANDS:
        from . import cli

        return cli.main(args)
    if args and args[0] in ("-h", "--help"):
        print(
            "usage: animaze-panel [GUI options]\n"
            "       animaze-panel call [--url ws://HOST:PORT] ACTION [key=value ...]\n"
            "       animaze-panel simulate [--host HOST] [--port PORT]\n"
            "(animaze-panel call --help / simulate --help for details)\n"
        )
    problem = display_problem(args, os.environ)
    if problem is not None:
        print(
            f"animaze-panel: cannot open a window: {problem}. Run it in a desktop session "
            "(or try --self-test, which needs no display).",
            file=sys.stderr,
        )
        return EXIT_NO_DISPLAY
    app = importlib.import_module("animaze_panel.app")  # Qt loads here, never for the tools
    try:
        status = app.main(args)
    except SystemExit as exc:  # e.g. argparse's --help in the GUI's parser
        return exc.code if isinstance(exc.code, int) else 1
    return int(status or 0)


if __name__ == "__main__":
    sys.exit(main())
