"""Building the Akool page for the app: the real Akool API, or ``--demo``'s fakes.

Normally the page talks to ``https://openapi.akool.com`` with the vendored Agora SDK,
credentials in the OS keyring and the open-session ledger in the user's data folder. In
``--demo`` (the app passes the fake server's URL and its demo credentials) it uses the SDK's
JavaScript double, credentials held in memory only, and a throwaway ledger folder: the real
keyring and data folder are never touched.
"""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir

from ...cloud.akool import AkoolClient, AkoolConfig
from ...secrets import SecretStore
from .page import AkoolPage
from .scheme import SdkSource


def build_akool_page(
    store: SecretStore, demo_base_url: str | None = None, ledger_dir: Path | None = None
) -> AkoolPage:
    """The Akool page, for real or (with ``demo_base_url``) against the fake server.

    Args:
        store: Where the credentials live (the OS keyring; in ``--demo`` an in-memory store).
        demo_base_url: The fake Akool server's URL (``--demo``); None for Akool itself.
        ledger_dir: Folder of the open-session ledger (default: the user's data folder).
    """
    folder = ledger_dir or Path(user_data_dir("animaze-panel", appauthor=False))
    if demo_base_url is None:
        return AkoolPage(AkoolClient(AkoolConfig()), store, folder, SdkSource.VENDORED)
    return AkoolPage(AkoolClient(AkoolConfig(base_url=demo_base_url)), store, folder,
                     SdkSource.DOUBLE)
