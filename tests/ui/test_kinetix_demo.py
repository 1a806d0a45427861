"""``--demo`` never touches the user's keyring or settings, and the page offers the demo key.

The app's own demo wiring (``session_storage``, ``kinetix_factory``) builds the Kinetix page
against the fake server while a recording keyring backend is installed and the user's QSettings
location points at an empty folder; the page is then used the way a demo user would.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import pytest
from PySide6.QtCore import QSettings

from animaze_panel.app import parse_args, session_storage
from animaze_panel.app_cloud import Services, kinetix_factory
from animaze_panel.fakes.kinetix_server import DEMO_API_KEY
from animaze_panel.secrets import MemorySecretStore, SecretStore
from animaze_panel.ui.kinetix.tab import KinetixTab

from .conftest import signal_future
from .kinetix_fixtures import QT_MULTIMEDIA_NOISE

pytestmark = pytest.mark.qt_log_ignore(*QT_MULTIMEDIA_NOISE)


class RecordingKeyring(keyring.backend.KeyringBackend):
    """A keyring that records every call made to it (and stores nothing)."""

    priority = 1

    def __init__(self) -> None:
        # Named rather than super(): mypy exempts only calls it can name from untyped-call checks.
        keyring.backend.KeyringBackend.__init__(self)
        self.calls: list[tuple[str, str, str]] = []

    def get_password(self, service: str, username: str) -> str | None:
        self.calls.append(("get", service, username))
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        self.calls.append(("set", service, username))

    def delete_password(self, service: str, username: str) -> None:
        self.calls.append(("delete", service, username))


@pytest.fixture
def recording_keyring() -> Iterator[RecordingKeyring]:
    previous = keyring.get_keyring()
    backend = RecordingKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def user_settings_dir(tmp_path: Path) -> Path:
    """Point the user's QSettings location (``QSettings()``) at an empty folder."""
    folder = tmp_path / "user-config"
    folder.mkdir()
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(folder))
    return folder


def files_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


@pytest.mark.asyncio
async def test_demo_uses_neither_the_keyring_nor_the_user_settings(
    recording_keyring: RecordingKeyring, user_settings_dir: Path
) -> None:
    # The recorder and the redirected folder do see the real paths (else this test proves
    # nothing): a normal run reads the keyring and writes QSettings() there.
    SecretStore().get("probe")
    real = QSettings()
    real.setValue("probe", 1)
    real.sync()
    assert recording_keyring.calls and files_in(user_settings_dir)
    recording_keyring.calls.clear()
    for path in files_in(user_settings_dir):
        path.unlink()

    scratch, settings, secrets = session_storage(parse_args(["--demo"]))
    assert scratch is not None and isinstance(secrets, MemorySecretStore)
    services = Services()
    tab = kinetix_factory(settings, services, secrets, demo=True)()
    assert isinstance(tab, KinetixTab)
    try:
        # The pre-filled demo key is found and checked at start: no typing needed.
        accepted = signal_future(tab.model.keyStatus, lambda text, ok: ok)
        assert await asyncio.wait_for(accepted, 30) == ("Key accepted", True)
        hint = tab.findChild(type(tab.account.plan_label), "kinetixDemoHint")
        assert hint is not None and DEMO_API_KEY in hint.text()
        assert tab.account.demo_button is not None

        # The demo button fills the key in and saves it (in memory).
        accepted = signal_future(tab.model.keyStatus, lambda text, ok: text == "Key accepted")
        tab.account.demo_button.click()
        await asyncio.wait_for(accepted, 30)
        assert tab.account.key_edit.text() == DEMO_API_KEY
        assert tab.account.user_edit.text() == "demo-player"

        # A typed key is kept for the session only; forgetting it forgets it in memory.
        typed = signal_future(tab.model.keyStatus, lambda text, ok: "Checking" not in text)
        tab.account.key_edit.setText("someone's-real-key")
        tab.account.save_button.click()
        await asyncio.wait_for(typed, 30)
        assert secrets.get("kinetix-api-key") is not None
        tab.account.forget_button.click()
        assert secrets.get("kinetix-api-key") is None

        tab.account.demo_button.click()
        token = signal_future(tab.model.tokenChanged, lambda value: value is not None)
        tab.token_panel.new_button.click()
        await asyncio.wait_for(token, 30)
    finally:
        await tab.aclose()
        tab.deleteLater()
        for stop in services.stoppers:
            stop()
    settings.sync()
    assert recording_keyring.calls == []
    assert files_in(user_settings_dir) == []
    assert "demo-player" in (scratch / "settings.ini").read_text()
    assert "someone's-real-key" not in (scratch / "settings.ini").read_text()


def test_a_normal_run_uses_the_os_keyring_and_user_settings() -> None:
    scratch, settings, secrets = session_storage(parse_args([]))
    assert scratch is None and type(secrets) is SecretStore
    assert settings.fileName() == QSettings().fileName()
