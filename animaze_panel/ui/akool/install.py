"""Building the Akool page for the app: the real Akool API, or ``--demo``'s fakes.

Normally the page talks to ``https://openapi.akool.com`` with the vendored Agora SDK,
credentials in the OS keyring and the open-session ledger in the user's data folder. In
``--demo`` (the app passes the fake server's URL and its demo credentials) it uses the SDK's
JavaScript double, credentials held in memory only, and a throwaway ledger folder: the real
keyring and data folder are never touched.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from pathlib import Path

from platformdirs import user_data_dir

from ...cloud.akool import AkoolClient, AkoolConfig
from ...secrets import Secret, SecretStore
from .page import AkoolPage
from .scheme import SdkSource


class _DemoSecretStore(SecretStore):
    """Secrets in a dict of this process (``--demo``): the OS keyring is never used."""

    def __init__(self, values: Mapping[str, str]) -> None:
        super().__init__("animaze-panel-demo")
        self._values = {name: Secret(value) for name, value in values.items()}

    def available(self) -> bool:
        return True

    def get(self, name: str) -> Secret | None:
        return self._values.get(name)

    def set(self, name: str, secret: Secret) -> None:
        self._values[name] = secret

    def delete(self, name: str) -> None:
        self._values.pop(name, None)


def build_akool_page(
    demo_base_url: str | None = None, demo_credentials: Mapping[str, str] | None = None
) -> AkoolPage:
    """The Akool page, for real or (with ``demo_base_url``) against the fake server.

    Args:
        demo_base_url: The fake Akool server's URL (``--demo``); None for Akool itself.
        demo_credentials: Keyring names -> values the demo starts with.
    """
    if demo_base_url is None:
        return AkoolPage(AkoolClient(AkoolConfig()), SecretStore(),
                         Path(user_data_dir("animaze-panel", appauthor=False)), SdkSource.VENDORED)
    ledger = Path(tempfile.mkdtemp(prefix="animaze-panel-akool-demo-"))
    return AkoolPage(AkoolClient(AkoolConfig(base_url=demo_base_url)),
                     _DemoSecretStore(demo_credentials or {}), ledger, SdkSource.DOUBLE)
