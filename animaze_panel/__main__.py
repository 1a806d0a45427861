"""Entry point of ``animaze-panel`` and ``python -m animaze_panel``.

``animaze-panel call ...`` and ``animaze-panel simulate ...`` are the command-line tools of
:mod:`.cli`; anything else (no arguments, ``--demo``, ``--url``, ``--self-test``...) starts the
GUI through ``animaze_panel.app.main``, imported only then so the tools never load Qt.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence

SUBCOMMANDS = ("call", "simulate")


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
    app = importlib.import_module("animaze_panel.app")  # Qt loads here, never for the tools
    try:
        status = app.main(args)
    except SystemExit as exc:  # e.g. argparse's --help in the GUI's parser
        return exc.code if isinstance(exc.code, int) else 1
    return int(status or 0)


if __name__ == "__main__":
    sys.exit(main())
