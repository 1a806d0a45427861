"""``--demo``'s Akool page: the app's own wiring, against the fake server and the SDK double,
never touching the OS keyring."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import keyring.backend
import pytest

from animaze_panel.app_cloud import Services, akool_factory, cloud_secret_store
from animaze_panel.ui.akool.page import AkoolPage

from .akool_support import WEBENGINE_NOISE, go_live
from .conftest import wait_until

pytestmark = [pytest.mark.qt_log_ignore(*WEBENGINE_NOISE), pytest.mark.asyncio]


class RecordingKeyring(keyring.backend.KeyringBackend):
    """A keyring that records every call made to it and stores nothing."""

    priority = 1

    def __init__(self) -> None:
        # Named rather than super(): mypy exempts only calls it can name from untyped-call checks.
        keyring.backend.KeyringBackend.__init__(self)
        self.calls: list[str] = []

    def get_password(self, service: str, username: str) -> str | None:
        self.calls.append(f"get {username}")
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        self.calls.append(f"set {username}")

    def delete_password(self, service: str, username: str) -> None:
        self.calls.append(f"delete {username}")


@pytest.fixture
def recording_keyring() -> Iterator[RecordingKeyring]:
    previous = keyring.get_keyring()
    backend = RecordingKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


async def test_demo_page_runs_on_fakes_without_the_keyring(
    recording_keyring: RecordingKeyring,
) -> None:
    services = Services()
    page = akool_factory(services, cloud_secret_store(demo=True), demo=True)()
    assert isinstance(page, AkoolPage)
    page.resize(1160, 640)
    page.show()
    try:
        await wait_until(lambda: page.account.accepted, 30)
        await wait_until(lambda: page.avatars.list.count() > 0, 10)
        await go_live(page)
        await page.say_target.say("Hello demo")
        await wait_until(lambda: "Avatar: You said: Hello demo" in page.chat.lines(), 10)
        page.credentials.client_id_edit.setText("other-id")
        page.credentials.secret_edit.setText("other-secret")
        page.credentials.save_button.click()
        await wait_until(lambda: not page.credentials.status.ok, 10)  # the fake refuses them
    finally:
        await page.aclose()
        page.close()
        page.deleteLater()
        await services.stop()
    assert recording_keyring.calls == []
