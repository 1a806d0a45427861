"""The GUI application: one qasync loop, one AnimazeClient, one MainWindow.

``animaze-panel`` (no subcommand) lands in :func:`main`::

    animaze-panel                      # connect to the last address (ws://localhost:9000 at first)
    animaze-panel --url ws://HOST:PORT # connect there and remember it
    animaze-panel --demo               # built-in simulator (+ fake Kinetix), nothing to install
    animaze-panel --self-test          # offscreen end-to-end check, prints one line, exit 0/1
    animaze-panel --reset-layout       # start with the default dock layout

:func:`build_window` assembles the window from a session and settings; extensions (e.g. the
hotkeys docks, the cloud pages of :mod:`.app_cloud`) hook in there before the saved layout is
restored. Services started here (the demo simulator and fake servers) are stopped on quit,
after the client and every httpx client are closed.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .app_cloud import (
    Extension,
    Services,
    akool_extension,
    cloud_secret_store,
    kaltura_extension,
    kinetix_extension,
)

if TYPE_CHECKING:  # Qt and the UI are imported when used: the CLI and cold start stay light
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from .secrets import SecretStore
    from .ui.main_window import MainWindow
    from .ui.session import AnimazeSession
    from .ui.widgets.gc_guard import MainThreadGc
    from .ui.widgets.theme import ThemeManager

_T0 = time.perf_counter()
"""Cold-start reference: before Qt is imported (the stdlib above costs a few ms)."""

log = logging.getLogger("animaze_panel")
ORGANIZATION = APPLICATION = "animaze-panel"
"""QSettings names: where the panel keeps its layout, theme and last address."""


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse the GUI's command line.

    Raises:
        SystemExit: Bad arguments (argparse prints the usage).
    """
    parser = argparse.ArgumentParser(
        prog="animaze-panel", description="Control panel for the Animaze avatar app."
    )
    parser.add_argument("--demo", action="store_true",
                        help="run against the built-in Animaze simulator (no Animaze needed)")
    parser.add_argument("--url", metavar="ws://HOST:PORT",
                        help="Animaze API address (remembered for next time)")
    parser.add_argument("--self-test", action="store_true",
                        help="run an offscreen end-to-end check against the simulator and exit")
    parser.add_argument("--reset-layout", action="store_true",
                        help="start with the default window layout")
    parser.add_argument("--screenshot", metavar="DIR", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--settings", metavar="FILE", type=Path, help=argparse.SUPPRESS)
    # bench/cold_start.py: print "ready <s>" once the window is interactive, then quit.
    parser.add_argument("--ready-probe", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(list(argv) if argv is not None else None)
    if args.url is not None:
        from .animaze.address import validate_url

        try:
            args.url = validate_url(args.url)
        except ValueError as exc:
            parser.error(f"--url: {exc}")
    return args


def build_window(
    session: AnimazeSession,
    settings: QSettings,
    theme: ThemeManager | None = None,
    *,
    remember_url: bool = True,
    reset_layout: bool = False,
    icon_cache_dir: Path | None = None,
    extensions: Sequence[Extension] = (),
) -> MainWindow:
    """Create the main window, let ``extensions`` add docks, then restore the saved layout.

    Args:
        session: The :class:`~.ui.session.AnimazeSession`.
        settings: ``QSettings`` for layout, theme and last URL.
        theme: The :class:`~.ui.theme.ThemeManager` (optional in tests).
        remember_url: Whether addresses typed in the window are saved.
        reset_layout: Ignore the saved layout.
        icon_cache_dir: Gallery icon cache folder (default: platformdirs cache).
        extensions: Callables ``f(window)`` run before the layout is restored (add docks here).

    Returns:
        The :class:`~.ui.main_window.MainWindow` (not shown yet).
    """
    from .ui.main_window import MainWindow

    window = MainWindow(
        session, settings, theme, remember_url=remember_url, icon_cache_dir=icon_cache_dir
    )
    for extend in extensions:
        extend(window)
    window.restore_layout(reset=reset_layout)
    return window


def main(argv: Sequence[str] | None = None) -> int:
    """Run the GUI until the window closes.

    Args:
        argv: Arguments after the program name.

    Returns:
        The exit status (self-test: 0 when every check passed).
    """
    args = parse_args(argv)
    if args.self_test:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # must precede the QApplication
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("websockets").setLevel(logging.WARNING)

    headless = args.self_test or args.screenshot is not None
    if headless and hasattr(os, "geteuid") and os.geteuid() == 0:
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")  # CI runs as root
    import qasync
    from PySide6.QtWidgets import QApplication

    from .ui.akool import scheme  # noqa: F401  # registers app:// before the QApplication
    from .ui.widgets import resources
    from .ui.widgets.gc_guard import MainThreadGc

    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication([sys.argv[0] if sys.argv else "animaze-panel"])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("Animaze Panel")
    app.setDesktopFileName("animaze-panel")
    app.setWindowIcon(resources.app_icon())
    app.setQuitOnLastWindowClosed(False)  # the loop ends after cleanup, not with the window
    # Threads (--demo's simulator, icon decoders) must never run the cyclic collector on
    # Qt objects: collect on the GUI thread only (see ui/gc_guard.py).
    collector = MainThreadGc(app)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    from .ui import messages
    from .ui.crash import CrashReporter, install, reports_dir

    def tell(text: str) -> None:  # from any thread: the message line lives on the GUI thread
        if not loop.is_closed():
            loop.call_soon_threadsafe(messages.error, text)

    # A bug in one slot or task must not take the panel down mid-show: log, report, tell once.
    uninstall = install(CrashReporter(reports_dir(), tell), loop)
    try:
        with loop:
            status: int = loop.run_until_complete(_run(args, app, collector))
            return status
    finally:
        uninstall()
        asyncio.set_event_loop(None)
        collector.stop()


def _settings(args: argparse.Namespace, scratch: Path | None) -> QSettings:
    from PySide6.QtCore import QSettings

    if args.settings is not None:
        return QSettings(str(args.settings), QSettings.Format.IniFormat)
    if scratch is not None:  # self-test and --demo: never read or write the user's settings
        return QSettings(str(scratch / "settings.ini"), QSettings.Format.IniFormat)
    return QSettings()


def session_storage(args: argparse.Namespace) -> tuple[Path | None, QSettings, SecretStore]:
    """Where this run keeps settings and secrets.

    Normally the user's ``QSettings`` and OS keyring. ``--demo`` and ``--self-test`` get a
    scratch folder (returned first; settings, hotkeys and caches go there) and an in-memory
    secret store: the user's real settings and keyring are neither read nor written.
    """
    demo = args.demo or args.self_test
    scratch = Path(tempfile.mkdtemp(prefix="animaze-panel-demo-")) if demo else None
    return scratch, _settings(args, scratch), cloud_secret_store(demo)


async def _run(args: argparse.Namespace, app: QApplication, collector: MainThreadGc) -> int:
    from PySide6.QtCore import QTimer

    from .animaze.address import LAST_URL_KEY
    from .animaze.client import DEFAULT_URL
    from .animaze.io_thread import ThreadedClient
    from .ui.main_window import THEME_KEY
    from .ui.session import AnimazeSession
    from .ui.widgets.theme import ThemeManager, ThemeMode

    services = Services()
    demo = args.demo or args.self_test
    scratch, settings, secrets = session_storage(args)
    theme = ThemeManager(app, ThemeMode.parse(settings.value(THEME_KEY, "system")))
    instance = None
    if not (demo or args.screenshot is not None or args.ready_probe):
        from .ui.single_instance import SingleInstance

        instance = SingleInstance(settings.fileName())
        if not instance.claim():
            print("animaze-panel is already running with these settings; its window was "
                  "brought to the front.", flush=True)
            return 0
    if demo:
        url = _start_simulator(services)
    else:
        stored = settings.value(LAST_URL_KEY)
        url = args.url or (stored if isinstance(stored, str) and stored else DEFAULT_URL)
        if args.url:
            settings.setValue(LAST_URL_KEY, args.url)

    client = ThreadedClient(url)  # the socket on its own thread: see animaze/io_thread.py
    session = AnimazeSession(client)
    services.closers += [client.close, session.aclose]  # reversed on stop: session first
    from .ui.say import SayRouter

    router = SayRouter()  # the say box's targets: ChatPal and every cloud avatar page
    extensions: list[Extension] = [] if args.self_test else [
        kinetix_extension(settings, services, secrets, demo=demo),
        akool_extension(services, secrets, demo=demo, scratch=scratch, router=router)]
    hotkeys = None
    if not args.self_test:  # hotkeys, macros, camera presets
        from .ui.hotkeys.hotkeys_install import hotkeys_extension
        hotkeys = hotkeys_extension(
            session, services.closers,
            profile_path=None if scratch is None else scratch / "hotkeys.toml")
        extensions.append(hotkeys)
    if not args.self_test:  # the Kaltura page and the say box (after hotkeys: "say" action)
        from .ui.say_install import say_extension

        extensions += [kaltura_extension(services, router, secrets, demo=demo),
                       say_extension(router, hotkeys)]
    window = build_window(
        session,
        settings,
        theme,
        remember_url=not demo,
        reset_layout=args.reset_layout or args.self_test or args.screenshot is not None,
        icon_cache_dir=None if scratch is None else scratch / "icons",
        extensions=extensions,
    )
    if hotkeys is not None and hotkeys.feature is not None:  # decks and scripts: off by default
        from .ui.control.install import install_control_api

        control = install_control_api(
            window, window.settings_menu, session, hotkeys.feature.service, secrets, settings,
            discovery_path=None if scratch is None else scratch / "control-api.json")
        services.closers.append(control.aclose)
    closed: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def on_closed() -> None:
        if not closed.done():
            closed.set_result(None)

    window.closed.connect(on_closed)
    if instance is not None:
        instance.raiseRequested.connect(window.bring_to_front)
    # Ctrl+C in a terminal closes the window cleanly; the timer lets Python see the signal.
    signal.signal(signal.SIGINT, lambda *_: window.close())
    tick = QTimer()
    tick.start(250)
    tick.timeout.connect(lambda: None)

    window.show()
    frozen = collector.freeze_startup()  # see ui/gc_guard.py: shorter GC pauses from now on
    log.debug("Start-up objects exempt from garbage collection: %d", frozen)
    client.start()
    status = 0
    try:
        if args.self_test:
            from .ui.self_test import run_self_test

            status = await run_self_test(window, _T0)
            window.close()
        elif args.ready_probe:
            from .ui.self_test import until

            await until(lambda: window.gallery.avatars.model.rowCount() > 0, 30, "ready")
            print(f"ready {time.perf_counter() - _T0:.3f}", flush=True)
            window.close()
        elif args.screenshot is not None:
            from .ui.screenshots import save_screenshots

            await save_screenshots(window, args.screenshot, _T0)
            window.close()
        else:
            log.info("Connecting to Animaze at %s", url)
            await closed
    finally:
        tick.stop()
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        window.close()
        await window.close_pages()  # paid cloud sessions end before their clients go
        await services.stop()
        settings.sync()
        if instance is not None:
            instance.release()
    return status


def remembered_url(settings_file: Path | None = None) -> str | None:
    """The Animaze address the panel used last (``None`` if it never saved one).

    Args:
        settings_file: An INI settings file instead of the user's settings (``--settings``).
    """
    from PySide6.QtCore import QSettings

    from .animaze.address import LAST_URL_KEY

    if settings_file is not None:
        settings = QSettings(str(settings_file), QSettings.Format.IniFormat)
    else:  # the names main() gives the QApplication, so the same store
        settings = QSettings(ORGANIZATION, APPLICATION)
    stored = settings.value(LAST_URL_KEY)
    return stored if isinstance(stored, str) and stored else None


def _start_simulator(services: Services) -> str:
    from .simulator import SimulatorThread

    simulator = SimulatorThread().start()
    services.stoppers.append(simulator.stop)
    log.info("Demo mode: Animaze simulator at %s", simulator.url)
    return simulator.url
