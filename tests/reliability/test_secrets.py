"""Secrets: a scripted session through every cloud service leaves no secret anywhere, and
``--demo`` touches neither the user's keyring nor the user's settings.

The session reads its distinctive credentials from the keyring the way the app does
(:class:`~animaze_panel.secrets.SecretStore` over the in-memory backend), runs each service's
whole flow against its fake (errors included), then every file in the config, cache, data and
state folders and in the session's own folders, every log record and the ``repr`` of every
object involved is searched for each secret, including those the servers handed out (the Akool
token, Kaltura session tokens).
"""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from animaze_panel.cloud.akool import AkoolClient, AkoolConfig
from animaze_panel.cloud.akool_credentials import (
    KEY_CLIENT_ID,
    KEY_CLIENT_SECRET,
    load_credentials,
    save_token,
)
from animaze_panel.cloud.akool_errors import AkoolError
from animaze_panel.cloud.akool_models import SessionOptions
from animaze_panel.cloud.akool_sessions import SessionGuard, SessionLedger
from animaze_panel.cloud.kaltura import KalturaClient, KalturaConfig, KalturaError
from animaze_panel.cloud.kinetix import KinetixClient, KinetixConfig, KinetixError
from animaze_panel.cloud.kinetix_models import EmoteSubmission
from animaze_panel.fakes._kinetix_data import STEPS
from animaze_panel.fakes.akool_server import FakeAkoolServer, Fault
from animaze_panel.fakes.kaltura_server import FakeKalturaServer
from animaze_panel.fakes.kinetix_server import (
    Failure,
    FakeKinetixServer,
    FakeKinetixThread,
    ManualClock,
)
from animaze_panel.secrets import Secret, SecretStore
from animaze_panel.ui.kinetix.viewmodel import KEY_NAME as KINETIX_KEY_NAME

from ..cloud import memory_keyring
from ..ui.kinetix_fixtures import QT_MULTIMEDIA_NOISE, avi_video, open_tab
from ..xserver import XvfbUnavailable, xvfb
from .cloud_harness import (
    AKOOL_API_KEY,
    AKOOL_CLIENT_ID,
    AKOOL_CLIENT_SECRET,
    KALTURA_KS,
    KINETIX_KEY,
)
from .conftest import FIGURES
from .qt_support import next_emission, qt_loop
from .recording_keyring import FILE_VARIABLE

__all__ = ["avi_video", "qt_loop"]  # fixtures used by name below

KALTURA_KEY_NAME = "kaltura-ks"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def store() -> Iterator[SecretStore]:
    """The app's secret store over the in-memory keyring, holding every distinctive secret."""
    backend, previous = memory_keyring.install()
    secrets = SecretStore()
    for name, value in ((KINETIX_KEY_NAME, KINETIX_KEY), (KEY_CLIENT_ID, AKOOL_CLIENT_ID),
                        (KEY_CLIENT_SECRET, AKOOL_CLIENT_SECRET), (KALTURA_KEY_NAME, KALTURA_KS)):
        secrets.set(name, Secret(value))
    try:
        yield secrets
    finally:
        keyring.set_keyring(previous)


def app_folders() -> list[Path]:
    """The config, cache, data and state folders of this run (tests/conftest.py moved them)."""
    return [Path(os.environ[name]) for name in
            ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME")]


def files_in(*folders: Path) -> list[Path]:
    return sorted(p for folder in folders if folder.exists()
                  for p in folder.rglob("*") if p.is_file())


def leaks(secrets: list[str], files: list[Path], texts: dict[str, str]) -> list[str]:
    """Where any secret shows up (file paths / text names), as readable lines."""
    found = []
    for path in files:
        data = path.read_bytes()
        found += [f"{path}: secret #{i}" for i, s in enumerate(secrets) if s.encode() in data]
    for name, text in texts.items():
        found += [f"{name}: secret #{i}" for i, s in enumerate(secrets) if s in text]
    return found


async def kinetix_session(store: SecretStore, folder: Path, seen: list[object]) -> None:
    clock = ManualClock()
    server = FakeKinetixServer(api_key=KINETIX_KEY, clock=clock)
    url = await server.start()
    client = KinetixClient(KinetixConfig(base_url=url, timeout=60),
                           api_key=store.get(KINETIX_KEY_NAME))
    try:
        video = folder / "dance.mp4"
        video.write_bytes(os.urandom(40_000))
        seen += [client, client.config, await client.get_plans()]
        token = await client.create_token("player-1")
        process = await client.create_process(
            token, EmoteSubmission(video, "Happy dance", False, 500, 2500))
        clock.advance(len(STEPS))
        process = await client.validate_process(process.uuid)
        emote = await client.get_emote(process.emote)
        seen += [token, process, emote, await client.list_user_processes("player-1")]
        await client.download(emote.files[0].url, folder, "emote.glb")
        server.fail("process", Failure.UNAUTHORIZED)
        with pytest.raises(KinetixError) as caught:
            await client.get_process(process.uuid)
        seen.append(caught.value)
    finally:
        await client.aclose()
        await server.stop()


async def akool_session(store: SecretStore, folder: Path, seen: list[object],
                        secrets: list[str]) -> None:
    server = FakeAkoolServer(client_id=AKOOL_CLIENT_ID, client_secret=AKOOL_CLIENT_SECRET,
                             api_key=AKOOL_API_KEY, clock=ManualClock())
    url = await server.start()
    client = AkoolClient(AkoolConfig(base_url=url, timeout=60))
    credentials = load_credentials(store)
    credentials.apply(client)
    guard = SessionGuard(client, SessionLedger(folder))
    try:
        session = await guard.create_session(SessionOptions("dvp_Tristan_cloth2_1080P", 60))
        assert client.token is not None
        secrets.append(client.token.reveal())
        save_token(store, client)  # the token is kept for the next start: in the keyring
        seen += [client, credentials, session, await client.get_session(session.id),
                 await client.list_voices(), await client.list_sessions()]
        server.expire_tokens()  # the next call refreshes the token: a second one to hide
        seen.append(await client.list_avatars())
        secrets.append(client.token.reveal())
        server.fail("session_detail", Fault(code=1101, times=None))
        with pytest.raises(AkoolError) as caught:
            await client.get_session(session.id)
        seen.append(caught.value)
        server.clear_faults()
    finally:
        await guard.aclose()
        await client.aclose()
        await server.stop()
    assert server.open_session_ids() == []


async def kaltura_session(store: SecretStore, seen: list[object], secrets: list[str]) -> None:
    server = FakeKalturaServer(ks=KALTURA_KS)
    url = await server.start()
    client = KalturaClient(KalturaConfig(base_url=url, timeout=60),
                           ks=store.get(KALTURA_KEY_NAME))
    try:
        session = await client.create_session("avatar-1")
        secrets.append(session.token.reveal())
        seen += [client, session, await client.init_client(session),
                 await client.say_text(session, "Hello chat")]
        await client.keep_alive(session)
        server.fail("say-text", 401, message=f"bad token {session.token.reveal()}")
        with pytest.raises(KalturaError) as caught:
            await client.say_text(session, "Again")
        seen.append(caught.value)
    finally:
        await client.aclose()
        await server.stop()
    assert all(s.ended for s in server.sessions.values())


@pytest.mark.asyncio
async def test_scripted_session_leaves_no_secret_behind(
    store: SecretStore, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    data = Path(os.environ["XDG_DATA_HOME"]) / "animaze-panel"
    downloads = Path(os.environ["XDG_CACHE_HOME"]) / "animaze-panel" / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    secrets = [KINETIX_KEY, AKOOL_CLIENT_ID, AKOOL_CLIENT_SECRET, AKOOL_API_KEY, KALTURA_KS]
    seen: list[object] = []
    await kinetix_session(store, downloads, seen)
    await akool_session(store, data, seen, secrets)
    await kaltura_session(store, seen, secrets)

    files = files_in(*app_folders(), tmp_path)
    assert (data / "akool-open-sessions.json").exists() and (downloads / "emote.glb").exists()
    texts = {"log": caplog.text, **{f"repr({type(o).__name__})": repr(o) for o in seen},
             **{f"str({type(o).__name__})": str(o) for o in seen if isinstance(o, Exception)}}
    assert leaks(secrets, files, texts) == []
    # The check can fail: the secrets were really used and really are in the keyring.
    assert store.get(KINETIX_KEY_NAME) == Secret(KINETIX_KEY)
    assert len(secrets) == 8 and caplog.records
    FIGURES["secrets"] = (
        f"{len(secrets)} secrets (Kinetix key, Akool id/secret/key/2 tokens, Kaltura KS/"
        f"session token) absent from {len(files)} files, {len(caplog.records)} log records and "
        f"{len(seen)} reprs"
    )


def test_demo_touches_neither_the_keyring_nor_the_user_settings(tmp_path: Path) -> None:
    """The real app, ``--demo``, every page shown, in a child process with a recording keyring
    and a fresh home."""
    record = tmp_path / "keyring-calls.txt"
    home = tmp_path / "home"
    env = {**os.environ, "HOME": str(home), "PYTHONPATH": str(ROOT),
           "PYTHON_KEYRING_BACKEND": "tests.reliability.recording_keyring.FileRecorder",
           FILE_VARIABLE: str(record), "QT_QPA_PLATFORM": "offscreen"}
    for name in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
        env[name] = str(home / name.lower())
    # The recorder does see a normal run's keyring use (else this test proves nothing).
    probe = subprocess.run(
        [sys.executable, "-c", "from animaze_panel.secrets import SecretStore; "
         "SecretStore().get('kinetix-api-key')"],
        env=env, capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert probe.returncode == 0, probe.stderr
    assert "get animaze-panel kinetix-api-key" in record.read_text()
    record.unlink()

    # --screenshot shows every page (each cloud page is built, with its demo fake) and quits;
    # under Xvfb as the screenshot script runs it (QtWebEngine pages crashed offscreen).
    shots = tmp_path / "shots"
    try:
        with xvfb(1920, 1080) as display:
            env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb")
            done = subprocess.run(
                [sys.executable, "-m", "animaze_panel", "--demo", "--screenshot", str(shots)],
                env=env, capture_output=True, text=True, timeout=300, cwd=ROOT)
    except XvfbUnavailable as exc:
        pytest.skip(str(exc))
    assert done.returncode == 0, done.stderr[-2000:]
    pages = sorted({p.name.split("-")[0] for p in shots.glob("*.png")})
    assert {"animaze", "kinetix"} <= set(pages), pages
    assert not record.exists(), record.read_text()
    # QSettings() of a normal run lives in the config folder: nothing may be written there,
    # except libpulse's own auth cookie (the sound library QtMultimedia uses writes it when a
    # sound server is running: the system's client state, not the panel's settings).
    written = files_in(home / "xdg_config_home", home / ".config")
    assert [p for p in written if p.parent.name != "pulse"] == []
    FIGURES["--demo"] = (f"0 keyring calls, 0 user settings files written with every page shown "
                         f"({', '.join(pages)}; real app, child process)")


def test_crash_report_hides_every_secret(
    store: SecretStore, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """An unhandled error whose text carries every secret: the report file, the log and what
    the user is shown hold none of them (the crash reporter of the reliability work)."""
    crash = pytest.importorskip("animaze_panel.ui.crash")
    caplog.set_level(logging.DEBUG)
    secrets = [KINETIX_KEY, AKOOL_CLIENT_ID, AKOOL_CLIENT_SECRET, KALTURA_KS]
    held = [store.get(name) for name in (KINETIX_KEY_NAME, KEY_CLIENT_ID, KEY_CLIENT_SECRET,
                                         KALTURA_KEY_NAME)]
    assert [s.reveal() for s in held if s is not None] == secrets
    shown: list[str] = []
    reporter = crash.CrashReporter(tmp_path / "reports", shown.append)
    try:
        raise RuntimeError(
            f"request failed: x-api-key={KINETIX_KEY} clientId={AKOOL_CLIENT_ID} "
            f"clientSecret={AKOOL_CLIENT_SECRET} Authorization: KS {KALTURA_KS}")
    except RuntimeError as exc:
        report = reporter.handle(type(exc), exc, exc.__traceback__, "a test")
    assert report is not None and len(shown) == 1
    assert leaks(secrets, files_in(tmp_path / "reports"),
                 {"log": caplog.text, "shown": shown[0]}) == []
    assert "request failed" in report.read_text()  # the report is there, only redacted


@pytest.mark.qt_log_ignore(*QT_MULTIMEDIA_NOISE)
def test_kinetix_page_session_leaves_no_key_behind(
    qt_loop: asyncio.AbstractEventLoop, avi_video: Path, tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The Kinetix page used as a streamer would (key typed and saved, QR code, upload, a
    refused call): the key is only in the keyring, nowhere in files, logs or texts shown."""
    caplog.set_level(logging.DEBUG)
    backend, previous = memory_keyring.install()
    server = FakeKinetixThread(api_key=KINETIX_KEY, clock=ManualClock())
    url = server.start()
    settings_file = tmp_path / "page" / "settings.ini"
    settings_file.parent.mkdir()
    shown: list[str] = []

    async def scenario() -> None:
        async with open_tab(url, settings_file) as tab:
            for signal in (tab.model.keyStatus, tab.model.uploadMessage):
                signal.connect(lambda text, ok: shown.append(text))
            checked = next_emission(tab.model.keyStatus, lambda text, ok: "Checking" not in text)
            tab.account.key_edit.setText(KINETIX_KEY)
            tab.account.user_edit.setText("player-1")
            tab.account.save_button.click()
            assert (await asyncio.wait_for(checked, 60))[1]
            token = next_emission(tab.model.tokenChanged, lambda value: value is not None)
            tab.token_panel.new_button.click()
            await asyncio.wait_for(token, 60)
            duration = next_emission(tab.form.picker.durationChanged, lambda ms: ms is not None)
            assert tab.form.picker.set_video(avi_video)
            await asyncio.wait_for(duration, 60)
            tab.form.name_edit.setText("Wave")
            created = next_emission(tab.model.processChanged, lambda *a: True)
            tab.form.upload_button.click()
            await asyncio.wait_for(created, 60)
            server.call(lambda s: s.fail("create_process", Failure.UNAUTHORIZED, times=1))
            failed = next_emission(tab.model.uploadMessage, lambda text, ok: not ok)
            tab.form.upload_button.click()
            await asyncio.wait_for(failed, 60)
            shown.append(repr(tab.model))

    try:
        qt_loop.run_until_complete(scenario())
    finally:
        server.stop()
        keyring.set_keyring(previous)
    assert ("animaze-panel-test", KINETIX_KEY_NAME) in backend.passwords  # the one place
    files = files_in(*app_folders(), tmp_path)
    assert settings_file in files and len(shown) >= 4
    assert leaks([KINETIX_KEY], files, {"log": caplog.text, "shown": "\n".join(shown)}) == []
    FIGURES["secrets (Kinetix page)"] = (
        f"key only in the keyring; absent from {len(files)} files, {len(caplog.records)} log "
        f"records and {len(shown)} texts shown")
