"""The cloud pages (Kinetix, Akool, Kaltura) as :func:`~.app.build_window` extensions.

Each page is built when first shown. In ``--demo`` that is also when its fake server starts (in
a thread of its own, stopped on quit through :class:`Services`); its keys are in the in-memory
secret store :func:`cloud_secret_store` gives the demo, so the user's keyring is never read or
written. :mod:`.app` assembles the window and runs the loop.
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Qt and the UI are imported when used: the CLI and cold start stay light
    from PySide6.QtCore import QSettings

    from .secrets import SecretStore
    from .ui.akool.page import AkoolPage
    from .ui.kaltura.page import KalturaPage
    from .ui.kinetix.tab import KinetixTab
    from .ui.main_window import MainWindow
    from .ui.say import SayRouter

Extension = Callable[["MainWindow"], None]
"""Adds something to the window before its saved layout is restored (docks, pages)."""

log = logging.getLogger("animaze_panel")


@dataclass
class Services:
    """Background things the app started and must stop on quit."""

    stoppers: list[Callable[[], None]] = field(default_factory=list)
    closers: list[Callable[[], Awaitable[object]]] = field(default_factory=list)

    async def stop(self) -> None:
        """Close async resources first (they may talk to the services), then the services."""
        for close in reversed(self.closers):
            try:
                await close()
            except Exception:
                log.exception("Closing a component failed")
        loop = asyncio.get_running_loop()
        for stop in reversed(self.stoppers):
            try:
                await loop.run_in_executor(None, stop)  # joins a thread: off the GUI thread
            except Exception:
                log.exception("Stopping a background service failed")


def cloud_secret_store(demo: bool) -> SecretStore:
    """The secret store of every cloud page: the OS keyring, or in ``--demo`` one in memory.

    The demo store is pre-filled with the fake servers' keys; the user's keyring is neither
    read nor written (a key typed in demo mode lives until the app exits).
    """
    from .secrets import MemorySecretStore, SecretStore

    if not demo:
        return SecretStore()
    from .fakes.kinetix_server import DEMO_API_KEY
    from .ui.kinetix.viewmodel import KEY_NAME

    return MemorySecretStore({KEY_NAME: DEMO_API_KEY})


def kinetix_extension(
    settings: QSettings, services: Services, secrets: SecretStore, *, demo: bool
) -> Extension:
    """A :func:`~.app.build_window` extension adding the Kinetix page.

    The page is built when first shown; in demo mode that is also when the fake Kinetix server
    starts (in its own thread). ``secrets`` is :func:`cloud_secret_store`'s store. Its HTTP
    client is closed on quit by ``window.close_pages``.
    """
    factory = kinetix_factory(settings, services, secrets, demo=demo)

    def extend(window: MainWindow) -> None:
        from .ui.pages import PageKey
        from .ui.widgets import resources
        from .ui.widgets.lazy_page import LazyPage

        # Built when first shown; closed by window.close_pages() on quit.
        window.add_page(PageKey.KINETIX, "Kinetix", resources.icon("kinetix"), LazyPage(factory))

    return extend


def kinetix_factory(
    settings: QSettings, services: Services, secrets: SecretStore, *, demo: bool
) -> Callable[[], KinetixTab]:
    """Return a function building (and starting) the Kinetix page; ``--demo``: the fake too."""

    def factory() -> KinetixTab:
        from .cloud.kinetix import KinetixConfig
        from .ui.kinetix.settings import KinetixSettings
        from .ui.kinetix.tab import KinetixTab

        config = KinetixConfig()
        demo_key = None
        if demo:
            from .fakes.kinetix_server import DEMO_API_KEY, FakeKinetixThread

            fake = FakeKinetixThread(api_key=DEMO_API_KEY)
            config = KinetixConfig(base_url=fake.start())
            services.stoppers.append(fake.stop)
            demo_key = DEMO_API_KEY
            log.info("Demo mode: fake Kinetix at %s", config.base_url)
        tab = KinetixTab(config, secrets, KinetixSettings(settings), demo_key=demo_key)
        tab.start()
        return tab

    return factory


def akool_extension(
    services: Services, secrets: SecretStore, *, demo: bool, scratch: Path | None,
    router: SayRouter | None = None,
) -> Extension:
    """A :func:`~.app.build_window` extension adding the Akool page (built when first shown) and,
    with ``router``, its target for the say box."""

    def extend(window: MainWindow) -> None:
        from .ui.pages import PageKey
        from .ui.say import lazy_page_target
        from .ui.widgets import resources
        from .ui.widgets.lazy_page import LazyPage

        build = akool_factory(services, secrets, demo=demo, scratch=scratch)

        def factory() -> AkoolPage:
            content = build()
            if router is not None:
                content.live.phaseChanged.connect(lambda _phase: router.notify_live_changed())
            return content

        page = LazyPage(factory)
        window.add_page(PageKey.AKOOL, "Akool", resources.icon("avatar"), page)
        if router is not None:
            router.register(lazy_page_target("akool", "Akool", page))

    return extend


def akool_factory(
    services: Services, secrets: SecretStore, *, demo: bool, scratch: Path | None = None
) -> Callable[[], AkoolPage]:
    """Return a function building the Akool page; ``--demo``: the fake Akool server too.

    In demo mode the page runs against the fake with the Agora SDK's JavaScript double, the
    fake's credentials put in ``secrets`` (the in-memory store) and its session ledger in the
    scratch folder.
    """

    def factory() -> AkoolPage:
        from .ui.akool.install import build_akool_page

        if not demo:
            return build_akool_page(secrets)
        from .fakes.akool_server import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, FakeAkoolThread
        from .secrets import Secret
        from .ui.akool.account import CLIENT_ID, CLIENT_SECRET

        fake = FakeAkoolThread()
        base_url = fake.start()
        services.stoppers.append(fake.stop)
        log.info("Demo mode: fake Akool at %s", base_url)
        secrets.set(CLIENT_ID, Secret(DEMO_CLIENT_ID))
        secrets.set(CLIENT_SECRET, Secret(DEMO_CLIENT_SECRET))
        folder = Path(tempfile.mkdtemp(prefix="animaze-panel-akool-")) if scratch is None \
            else scratch / "akool"
        return build_akool_page(secrets, demo_base_url=base_url, ledger_dir=folder)

    return factory


def kaltura_extension(
    services: Services, router: SayRouter, secrets: SecretStore, *, demo: bool
) -> Extension:
    """A :func:`~.app.build_window` extension adding the Kaltura page and its say target.

    The page is built when first shown (it imports aiortc and PyAV); in demo mode that is also
    when the fake Kaltura server starts and its KS joins ``secrets`` (:func:`cloud_secret_store`:
    in memory for ``--demo``). The page's session is ended by ``window.close_pages`` on quit.
    """
    def factory() -> KalturaPage:
        from .cloud.kaltura import KalturaConfig
        from .ui.kaltura.page import KalturaPage

        config = KalturaConfig()
        if demo:
            from .fakes.kaltura_server import DEMO_AVATAR_ID, DEMO_KS, FakeKalturaThread
            from .secrets import Secret
            from .ui.kaltura.ks_keeper import KS_SECRET_NAME

            fake = FakeKalturaThread()
            config = KalturaConfig(base_url=fake.start())
            services.stoppers.append(fake.stop)
            if secrets.get(KS_SECRET_NAME) is None:  # the demo store is in memory only
                secrets.set(KS_SECRET_NAME, Secret(DEMO_KS))
            log.info("Demo mode: fake Kaltura at %s (any avatar id works)", config.base_url)
        page = KalturaPage(config, secrets)
        if demo:  # ready to press Start, as the demo's KS is already saved
            page.session_form.avatar_edit.setText(DEMO_AVATAR_ID)
        page.model.phaseChanged.connect(lambda _phase: router.notify_live_changed())
        return page

    def extend(window: MainWindow) -> None:
        from .ui.pages import PageKey
        from .ui.say import lazy_page_target
        from .ui.widgets import resources
        from .ui.widgets.lazy_page import LazyPage

        page = LazyPage(factory)
        window.add_page(PageKey.KALTURA, "Kaltura", resources.icon("kaltura"), page)
        router.register(lazy_page_target("kaltura", "Kaltura", page))

    return extend
