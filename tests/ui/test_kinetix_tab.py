"""The Kinetix tab's whole flow against the fake Kinetix server (real sockets, qasync loop)."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import keyring
import keyring.backends.fail
import pytest

from animaze_panel.fakes._kinetix_data import STEPS, emote_files
from animaze_panel.fakes.kinetix_server import Failure
from animaze_panel.ui import messages
from animaze_panel.ui.kinetix.message import ERROR_COLOR, SUCCESS_COLOR
from animaze_panel.ui.kinetix.tab import KinetixTab
from animaze_panel.ui.kinetix.video import MEDIA_ERROR

from .conftest import signal_future, wait_until
from .kinetix_fixtures import (
    API_KEY,
    QT_MULTIMEDIA_NOISE,
    KinetixServerThread,
    avi_video,
    kinetix_server,
    memory_keyring,
    needs_media,
    open_tab,
    phone_upload,
)

__all__ = ["avi_video", "kinetix_server", "memory_keyring"]  # fixtures used by name below
pytestmark = [pytest.mark.qt_log_ignore(*QT_MULTIMEDIA_NOISE), pytest.mark.asyncio]
WAIT = 30  # seconds: a ceiling for a busy machine, never a pause (each wait ends on its event)


async def enter_key(tab: KinetixTab, key: str = API_KEY) -> tuple[str, bool]:
    checked = signal_future(tab.model.keyStatus, lambda text, ok: "Checking" not in text)
    tab.account.key_edit.setText(key)
    tab.account.user_edit.setText("player-1")
    tab.account.save_button.click()
    return await asyncio.wait_for(checked, WAIT)


async def fill_form(tab: KinetixTab, video: Path, name: str = "Wave") -> None:
    picker = tab.form.picker
    assert picker.set_video(video)
    if MEDIA_ERROR is not None:  # no preview on this system: the user types the end
        tab.form.end_edit.setText("00:00:02.000")
    else:  # the preview reads the duration, or says why it cannot
        await wait_until(lambda: picker.duration_ms is not None
                         or "Cannot preview" in picker.duration_label.text(), WAIT)
        assert picker.duration_ms is not None, picker.duration_label.text()
    tab.form.name_edit.setText(name)
    tab.form.mature_check.setChecked(True)
    tab.form.start_edit.setText("00:00:00.200")


async def upload(tab: KinetixTab) -> object:
    created = signal_future(tab.model.processChanged)
    tab.form.upload_button.click()
    (process,) = await asyncio.wait_for(created, WAIT)
    return process


async def test_whole_flow(
    kinetix_server: KinetixServerThread, memory_keyring: object, avi_video: Path, tmp_path: Path
) -> None:
    async with open_tab(kinetix_server.base_url, tmp_path / "s.ini") as tab:
        assert tab.objectName() == "kinetixTab"
        assert await enter_key(tab) == ("Key accepted", True)
        assert "Demo plan" in tab.account.plan_label.text()
        assert keyring.get_password("animaze-panel-test", "kinetix-api-key") == API_KEY

        await fill_form(tab, avi_video)
        assert tab.form.end_edit.text() == "00:00:02.000"

        qr = signal_future(tab.token_panel.qrShown)
        tab.token_panel.new_button.click()
        await asyncio.wait_for(qr, WAIT)
        assert not tab.token_panel.qr_label.pixmap().isNull()
        # 5 minutes from the server's start (its clock is manual; wall time still runs).
        assert re.fullmatch(r"Expires in [0-4]:[0-5]\d", tab.token_panel.countdown.text())

        process = await upload(tab)
        upload_record = kinetix_server.call(lambda s: s.uploads[-1])
        assert upload_record.fields == {"name": "Wave", "mature": "true",
                                        "start": "00:00:00.200", "end": "00:00:02.000"}
        assert upload_record.size == avi_video.stat().st_size
        assert tab.process_panel.upload_bar.value() == 1000
        assert tab.form.upload_message.message.startswith("Upload complete")
        assert tab.form.upload_message.ok
        # The shown QR code's token was used by this upload: it is cleared, not left to fail.
        assert tab.token_panel.token is None and tab.token_panel.qr_label.pixmap().isNull()
        assert process.name == "Wave"  # type: ignore[attr-defined]

        files_ready = signal_future(tab.model.filesChanged, lambda files: bool(files))
        kinetix_server.clock.advance(len(STEPS))
        (files,) = await asyncio.wait_for(files_ready, WAIT)
        assert "Emote ready" in tab.process_panel.step_label.text()
        assert tab.process_panel.step_bar.value() == 100
        assert tab.process_panel.validate_button.isEnabled()
        assert tab.files_panel.files_table.rowCount() == len(files) == 5

        folder = tmp_path / "downloads"
        folder.mkdir()
        opened: list[Path] = []
        tab.files_panel.choose_folder = lambda: folder
        tab.files_panel.open_folder = opened.append
        assert not tab.files_panel.open_button.isEnabled()
        done = signal_future(tab.model.downloadsDone)
        tab.files_panel.download_all.click()
        (saved, where) = await asyncio.wait_for(done, WAIT)
        emote = files[0].url.split("/")[-2]
        assert sorted(p.name for p in saved) == sorted(f.filename for f in files)
        for file in files:
            content = (folder / file.filename).read_bytes()
            assert content == emote_files(emote)[(file.name, file.extension)]
        message = tab.files_panel.download_message
        assert message.ok and f"Saved 5 file(s) in {folder}" in message.message
        assert all(f.filename in message.message for f in files)
        tab.files_panel.open_button.click()
        assert opened == [folder] == [where]

        validated = signal_future(tab.model.processMessage,
                                  lambda text, ok: "validated" in text)
        tab.process_panel.validate_button.click()
        await asyncio.wait_for(validated, WAIT)
        assert tab.process_panel.step_label.text() == "“Wave”: Validated"
        assert tab.history.list.count() == 1 and "Wave" in tab.history.list.item(0).text()


async def test_unsupported_file_type_is_refused(
    kinetix_server: KinetixServerThread, memory_keyring: object, tmp_path: Path
) -> None:
    gif = tmp_path / "funny.gif"
    gif.write_bytes(b"GIF89a")
    async with open_tab(kinetix_server.base_url, tmp_path / "s.ini") as tab:
        assert not tab.form.picker.set_video(gif)
        text = tab.form.picker.error_label.message
        assert ".gif videos are not supported" in text and "MP4" in text and "WebM" in text
        assert tab.form.picker.video is None
    assert kinetix_server.server.hits["create_process"] == 0


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        ("00:00:01.000", "00:00:00.500", "end", "End must be after start"),
        ("00:00:01.000", "00:00:01.000", "end", "End must be after start"),
        pytest.param("00:00:00.000", "00:00:05.000", "end", "past the end of the video",
                     marks=needs_media),
        ("1s", "00:00:01.000", "start", "HH:mm:ss.SSS"),
        ("00:00:00.000", "2", "end", "HH:mm:ss.SSS"),
    ],
)
async def test_bad_times_are_refused_and_kept(
    kinetix_server: KinetixServerThread, memory_keyring: object, avi_video: Path, tmp_path: Path,
    start: str, end: str, field: str, message: str,
) -> None:
    async with open_tab(kinetix_server.base_url, tmp_path / "s.ini") as tab:
        await enter_key(tab)
        await fill_form(tab, avi_video)
        tab.form.start_edit.setText(start)
        tab.form.end_edit.setText(end)
        tab.form.upload_button.click()
        assert message in tab.form.errors[field].message
        assert (tab.form.start_edit.text(), tab.form.end_edit.text()) == (start, end)
    assert kinetix_server.server.hits["create_process"] == 0


async def test_unknown_key_is_shown_next_to_the_key_field(
    kinetix_server: KinetixServerThread, memory_keyring: object, avi_video: Path, tmp_path: Path
) -> None:
    async with open_tab(kinetix_server.base_url, tmp_path / "s.ini") as tab:
        text, ok = await enter_key(tab, "not-the-key")
        assert not ok and "does not know this API key" in text and "Unknown API key" in text
        last = messages.bridge().last  # the panel's message channel (status bar, app log)
        assert last is not None and last.level is messages.Level.ERROR
        assert last.text == f"Kinetix: {text}" and "not-the-key" not in last.text
        assert tab.account.key_status.message == text
        assert not tab.account.key_status.ok
        assert tab.account.key_status.colour() in (ERROR_COLOR, "#c62828")
        assert tab.account.key_edit.text() == "not-the-key"  # kept for correction

        await enter_key(tab)
        assert tab.account.key_status.ok
        assert tab.account.key_status.colour() in (SUCCESS_COLOR, "#1e7e4f")
        await fill_form(tab, avi_video)
        # The key is revoked on Kinetix's side while the page is open.
        kinetix_server.call(lambda s: setattr(s, "api_key", "rotated-key"))
        failed = signal_future(tab.model.keyStatus, lambda text, ok: not ok)
        tab.form.upload_button.click()
        (text, _) = await asyncio.wait_for(failed, WAIT)
        assert "Unknown API key" in tab.account.key_status.message
        assert tab.form.name_edit.text() == "Wave"
    assert kinetix_server.call(lambda s: s.uploads) == []


async def test_form_is_kept_after_a_500_and_retry_works(
    kinetix_server: KinetixServerThread, memory_keyring: object, avi_video: Path, tmp_path: Path
) -> None:
    async with open_tab(kinetix_server.base_url, tmp_path / "s.ini") as tab:
        await enter_key(tab)
        await fill_form(tab, avi_video, name="Keep me")
        kinetix_server.call(lambda s: s.fail("create_process", Failure.SERVER_ERROR, times=1))
        failed = signal_future(tab.model.uploadMessage, lambda text, ok: "HTTP 500" in text)
        tab.form.upload_button.click()
        (text, ok) = await asyncio.wait_for(failed, WAIT)
        assert text == ("Kinetix failed while uploading the video (HTTP 500: An error occured); "
                        "try again in a minute")
        assert not ok and tab.form.upload_message.message == text
        form = tab.form
        assert (form.picker.video, form.name_edit.text(), form.mature_check.isChecked(),
                form.start_edit.text(), form.end_edit.text()) == (
            avi_video, "Keep me", True, "00:00:00.200", "00:00:02.000")
        assert form.upload_button.isEnabled()
        process = await upload(tab)  # same form, second try succeeds (with a fresh token)
        assert process.name == "Keep me"  # type: ignore[attr-defined]
        assert kinetix_server.call(lambda s: s.hits["token"]) == 2


async def test_cancel_upload_keeps_everything(
    kinetix_server: KinetixServerThread, memory_keyring: object, tmp_path: Path
) -> None:
    big = tmp_path / "big.mp4"
    with open(big, "wb") as out:
        out.truncate(300 * 1024 * 1024)  # sparse: quick to make, slow enough to cancel
    async with open_tab(kinetix_server.base_url, tmp_path / "s.ini") as tab:
        await enter_key(tab)
        assert tab.form.picker.set_video(big)
        tab.form.name_edit.setText("Big")
        tab.form.end_edit.setText("00:00:01.000")
        started = signal_future(tab.model.uploadProgress, lambda sent, total: sent > 0)
        tab.form.upload_button.click()
        await asyncio.wait_for(started, WAIT)
        assert tab.process_panel.cancel_button.isEnabled()
        cancelled = signal_future(tab.model.uploadMessage, lambda text, ok: "cancelled" in text)
        tab.process_panel.cancel_button.click()
        await asyncio.wait_for(cancelled, WAIT)
        assert not tab.process_panel.cancel_button.isEnabled()
        assert tab.form.upload_button.isEnabled() and tab.form.name_edit.text() == "Big"
        await wait_until(lambda: bool(kinetix_server.call(lambda s: s.aborted_uploads)), WAIT)
    assert kinetix_server.call(lambda s: s.uploads) == []


async def test_history_survives_restart(
    kinetix_server: KinetixServerThread, memory_keyring: object, avi_video: Path, tmp_path: Path
) -> None:
    settings = tmp_path / "s.ini"
    async with open_tab(kinetix_server.base_url, settings) as tab:
        await enter_key(tab)
        await fill_form(tab, avi_video, name="Remember me")
        process = await upload(tab)
    kinetix_server.stop()  # offline on restart: the history comes from the settings alone
    async with open_tab(kinetix_server.base_url, settings) as tab:
        assert tab.account.user_edit.text() == "player-1"
        assert tab.history.list.count() == 1
        assert tab.history.processes[0].uuid == process.uuid  # type: ignore[attr-defined]
        assert "Remember me" in tab.history.list.item(0).text()
        assert tab.form.picker.start_folder == str(avi_video.parent)


async def test_history_merges_server_list(
    kinetix_server: KinetixServerThread, memory_keyring: object, avi_video: Path, tmp_path: Path
) -> None:
    async with open_tab(kinetix_server.base_url, tmp_path / "s.ini") as tab:
        await enter_key(tab)
        await fill_form(tab, avi_video, name="One")
        await upload(tab)
        kinetix_server.clock.advance(len(STEPS))
        refreshed = signal_future(tab.model.historyChanged,
                                  lambda items: "Emote ready" in tab.history.list.item(0).text()
                                  if tab.history.list.count() else False)
        tab.history.refresh_button.click()
        await asyncio.wait_for(refreshed, WAIT)
        assert tab.history.list.count() == 1


async def test_validation_disabled_is_explained(
    kinetix_server: KinetixServerThread, memory_keyring: object, avi_video: Path, tmp_path: Path
) -> None:
    kinetix_server.call(lambda s: setattr(s, "validation_enabled", False))
    async with open_tab(kinetix_server.base_url, tmp_path / "s.ini") as tab:
        await enter_key(tab)
        await fill_form(tab, avi_video)
        await upload(tab)
        ready = signal_future(tab.model.filesChanged, lambda files: bool(files))
        kinetix_server.clock.advance(len(STEPS))
        await asyncio.wait_for(ready, WAIT)
        explained = signal_future(tab.model.processMessage,
                                  lambda text, ok: "not enabled for this game" in text)
        tab.process_panel.validate_button.click()
        await asyncio.wait_for(explained, WAIT)
        assert "ask Kinetix to activate" in tab.process_panel.process_message.message
        # Both buttons stay off: the flow is disabled for the whole game.
        assert not tab.process_panel.validate_button.isEnabled()
        assert not tab.process_panel.retake_button.isEnabled()
        assert "Emote ready" in tab.process_panel.step_label.text()


async def test_retake_gives_a_new_token(
    kinetix_server: KinetixServerThread, memory_keyring: object, avi_video: Path, tmp_path: Path
) -> None:
    async with open_tab(kinetix_server.base_url, tmp_path / "s.ini") as tab:
        await enter_key(tab)
        await fill_form(tab, avi_video)
        await upload(tab)
        ready = signal_future(tab.model.filesChanged, lambda files: bool(files))
        kinetix_server.clock.advance(len(STEPS))
        await asyncio.wait_for(ready, WAIT)
        token = signal_future(tab.model.tokenChanged)
        tab.process_panel.retake_button.click()
        await asyncio.wait_for(token, WAIT)
        await wait_until(lambda: "Rejected" in tab.process_panel.step_label.text())
        assert tab.token_panel.countdown.text().startswith("Expires in")


async def test_token_countdown_expires(
    kinetix_server: KinetixServerThread, memory_keyring: object, tmp_path: Path
) -> None:
    kinetix_server.call(lambda s: setattr(s, "token_ttl", 1.0))
    async with open_tab(kinetix_server.base_url, tmp_path / "s.ini") as tab:
        await enter_key(tab)
        expired = signal_future(tab.token_panel.expired)
        tab.token_panel.new_button.click()
        await asyncio.wait_for(expired, WAIT)
        assert tab.token_panel.countdown.text().startswith("Expired")


async def test_qr_code_used_on_a_phone_is_cleared_and_its_emote_listed(
    kinetix_server: KinetixServerThread, memory_keyring: object, avi_video: Path, tmp_path: Path
) -> None:
    async with open_tab(kinetix_server.base_url, tmp_path / "s.ini") as tab:
        await enter_key(tab)
        shown = signal_future(tab.token_panel.qrShown)
        tab.token_panel.new_button.click()
        await asyncio.wait_for(shown, WAIT)
        token = tab.token_panel.token
        assert token is not None
        # Listen before the phone uploads: the page's token watch may notice the used token
        # while the upload itself is still being answered.
        cleared = signal_future(tab.model.tokenChanged, lambda value: value is None)
        await phone_upload(kinetix_server, token, avi_video, "From the phone")
        await asyncio.wait_for(cleared, WAIT)
        assert "was used or has expired" in tab.token_panel.message.message
        assert tab.token_panel.qr_label.text() == "No QR code"
        await wait_until(lambda: tab.history.list.count() == 1, WAIT)
        assert "From the phone" in tab.history.list.item(0).text()


async def test_upload_with_a_token_used_meanwhile_retries_with_a_new_one(
    kinetix_server: KinetixServerThread, memory_keyring: object, avi_video: Path, tmp_path: Path
) -> None:
    async with open_tab(kinetix_server.base_url, tmp_path / "s.ini") as tab:
        await enter_key(tab)
        await fill_form(tab, avi_video, name="Mine")
        token = await tab.model.client.create_token("player-1")
        await phone_upload(kinetix_server, token, avi_video, "Phone")
        tab.model.token = token  # the page still holds it: the server deleted it meanwhile
        retried = signal_future(tab.model.uploadMessage, lambda text, ok: "used" in text)
        process = await upload(tab)
        await asyncio.wait_for(retried, 1)
        assert process.name == "Mine"  # type: ignore[attr-defined]
        assert kinetix_server.call(lambda s: s.hits["create_process"]) == 3
        assert [u.fields["name"] for u in kinetix_server.call(lambda s: s.uploads)] == [
            "Phone", "Mine"]


async def test_no_secure_store_says_so_and_saves_nothing(
    kinetix_server: KinetixServerThread, tmp_path: Path
) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    try:
        async with open_tab(kinetix_server.base_url, tmp_path / "s.ini") as tab:
            assert "No secure credential store" in tab.account.key_status.message
            text, ok = await enter_key(tab)
            assert not ok and "No secure credential store" in text and "NOT saved" in text
            assert "Demo plan" in tab.account.plan_label.text()  # usable this session
        assert API_KEY not in (tmp_path / "s.ini").read_text()
    finally:
        keyring.set_keyring(previous)


@needs_media
async def test_unreadable_video_degrades_to_unknown_duration(
    kinetix_server: KinetixServerThread, memory_keyring: object, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(b"this is not a video" * 100)
    async with open_tab(kinetix_server.base_url, tmp_path / "s.ini") as tab:
        await enter_key(tab)
        assert tab.form.picker.set_video(broken)  # the suffix is fine; the content is not
        await wait_until(lambda: "Reading" not in tab.form.picker.duration_label.text(), WAIT)
        assert "duration is unknown" in tab.form.picker.duration_label.text()
        tab.form.name_edit.setText("Anyway")
        tab.form.end_edit.setText("00:00:01.000")
        process = await upload(tab)  # end is only checked against start
        assert process.name == "Anyway"  # type: ignore[attr-defined]


async def test_user_id_required(
    kinetix_server: KinetixServerThread, memory_keyring: object, tmp_path: Path
) -> None:
    async with open_tab(kinetix_server.base_url, tmp_path / "s.ini") as tab:
        tab.account.user_edit.setText("")
        tab.account.user_edit.editingFinished.emit()
        tab.token_panel.new_button.click()
        assert "player id" in tab.account.user_error.message


async def test_validate_too_early_says_wait_and_hides_nothing(
    kinetix_server: KinetixServerThread, memory_keyring: object, avi_video: Path, tmp_path: Path
) -> None:
    async with open_tab(kinetix_server.base_url, tmp_path / "s.ini") as tab:
        await enter_key(tab)
        await fill_form(tab, avi_video)
        await upload(tab)
        wait = signal_future(tab.model.processMessage, lambda text, ok: "not ready" in text)
        tab.model.validate()  # Kinetix answers 403 "Process is not ready to be validated"
        (text, ok) = await asyncio.wait_for(wait, WAIT)
        assert not ok and "wait until it is done" in text
        assert tab.model.review_available
        ready = signal_future(tab.model.filesChanged, lambda files: bool(files))
        kinetix_server.clock.advance(len(STEPS))
        await asyncio.wait_for(ready, WAIT)
        assert tab.process_panel.validate_button.isEnabled()  # offered once it is done
        validated = signal_future(tab.model.processMessage, lambda text, ok: ok)
        tab.process_panel.validate_button.click()
        assert await asyncio.wait_for(validated, WAIT) == ("Emote validated", True)


async def test_download_all_reports_each_file_saved_or_not(
    kinetix_server: KinetixServerThread, memory_keyring: object, avi_video: Path, tmp_path: Path
) -> None:
    async with open_tab(kinetix_server.base_url, tmp_path / "s.ini") as tab:
        await enter_key(tab)
        await fill_form(tab, avi_video)
        await upload(tab)
        ready = signal_future(tab.model.filesChanged, lambda files: bool(files))
        kinetix_server.clock.advance(len(STEPS))
        (files,) = await asyncio.wait_for(ready, WAIT)
        folder = tmp_path / "out"
        folder.mkdir()
        tab.files_panel.choose_folder = lambda: folder
        # The first file fails on every retry; the others arrive.
        kinetix_server.call(lambda s: s.fail("file", Failure.SERVER_ERROR, times=2))
        done = signal_future(tab.model.downloadsDone)
        tab.files_panel.download_all.click()
        (saved, _) = await asyncio.wait_for(done, WAIT)
        message = tab.files_panel.download_message
        assert [p.name for p in saved] == [f.filename for f in files[1:]]
        assert not message.ok and f"Not saved: {files[0].filename}" in message.message
        assert all(f.filename in message.message for f in files[1:])
        assert tab.files_panel.open_button.isEnabled()


async def test_plain_words_on_the_page(
    kinetix_server: KinetixServerThread, memory_keyring: object, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QLineEdit

    async with open_tab(kinetix_server.base_url, tmp_path / "s.ini") as tab:
        texts = [w.text() for w in tab.findChildren(QLabel) + tab.findChildren(QAbstractButton)]
        texts += [w.placeholderText() for w in tab.findChildren(QLineEdit)]
        texts += [w.title() for w in tab.findChildren(QGroupBox)]
        words = " ".join(texts).lower()
        for jargon in ("virtual world", "dev-token", "token", "uuid"):
            assert jargon not in words, jargon
        assert "Player id" in texts and "New QR code" in texts


@needs_media
async def test_the_preview_reads_the_duration_into_end(
    kinetix_server: KinetixServerThread, memory_keyring: object, avi_video: Path, tmp_path: Path
) -> None:
    async with open_tab(kinetix_server.base_url, tmp_path / "s.ini") as tab:
        await fill_form(tab, avi_video)
        assert tab.form.picker.duration_ms == 2000
        assert tab.form.end_edit.text() == "00:00:02.000"  # the video's real duration
        assert "00:00:02.000" in tab.form.picker.duration_label.text()
        assert tab.form.picker.play_button.isEnabled()
