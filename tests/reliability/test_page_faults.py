"""Page level: a cloud fault during an upload shows its message and keeps everything typed.

The Kinetix page (the cloud page on main) runs on a qasync loop inside Qt, against the fake
Kinetix server in its own thread; the fake breaks the upload route with each fault, the page
must show the readable error, keep the whole form, and upload it on the next click.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from animaze_panel.fakes.kinetix_server import Failure
from tests.ui.kinetix_fixtures import (
    API_KEY,
    QT_MULTIMEDIA_NOISE,
    KinetixServerThread,
    avi_video,
    kinetix_server,
    memory_keyring,
    open_tab,
)

from .cloud_harness import NEXT_STEP
from .conftest import FIGURES
from .qt_support import next_emission, qt_loop

# Fixtures used by name below.
__all__ = ["avi_video", "kinetix_server", "memory_keyring", "qt_loop"]
pytestmark = pytest.mark.qt_log_ignore(*QT_MULTIMEDIA_NOISE)

FAULTS = {"429": Failure.RATE_LIMITED, "500": Failure.SERVER_ERROR,
          "503": Failure.UNAVAILABLE, "reset": Failure.RESET, "timeout": Failure.TIMEOUT,
          "malformed": Failure.MALFORMED_JSON, "401": Failure.UNAUTHORIZED}
_kept: set[str] = set()
_gaps: set[str] = set()


@pytest.mark.parametrize("fault", list(FAULTS))
def test_kinetix_form_is_kept_after_a_fault(
    fault: str, qt_loop: asyncio.AbstractEventLoop, kinetix_server: KinetixServerThread,
    memory_keyring: object, avi_video: Path, tmp_path: Path,
) -> None:
    async def scenario() -> None:
        async with open_tab(kinetix_server.base_url, tmp_path / "s.ini") as tab:
            checked = next_emission(tab.model.keyStatus, lambda text, ok: "Checking" not in text)
            tab.account.key_edit.setText(API_KEY)
            tab.account.user_edit.setText("player-1")
            tab.account.save_button.click()
            assert (await asyncio.wait_for(checked, 60))[1]
            duration = next_emission(tab.form.picker.durationChanged, lambda ms: ms is not None)
            assert tab.form.picker.set_video(avi_video)
            await asyncio.wait_for(duration, 60)
            form = tab.form
            form.name_edit.setText("Keep me")
            form.mature_check.setChecked(True)
            form.start_edit.setText("00:00:00.200")
            typed = (form.picker.video, form.name_edit.text(), form.mature_check.isChecked(),
                     form.start_edit.text(), form.end_edit.text())

            kinetix_server.call(lambda s: s.fail("create_process", FAULTS[fault], times=1))
            failed = next_emission(tab.model.uploadMessage, lambda text, ok: not ok)
            form.upload_button.click()
            (text, _ok) = await asyncio.wait_for(failed, 60)
            assert text and API_KEY not in text
            assert (form.picker.video, form.name_edit.text(), form.mature_check.isChecked(),
                    form.start_edit.text(), form.end_edit.text()) == typed
            assert form.upload_button.isEnabled()

            created = next_emission(tab.model.processChanged, lambda *a: True)
            form.upload_button.click()  # the same form, the next try goes through
            (process,) = await asyncio.wait_for(created, 60)
            assert process.name == "Keep me"
            _kept.add(fault)
            if NEXT_STEP.search(text) is None:
                _gaps.add(fault)

    qt_loop.run_until_complete(scenario())
    FIGURES["page keeps the form"] = (
        f"Kinetix upload after {len(_kept)} fault kinds: message shown, form kept, next try "
        "uploads; " + (f"{len(_gaps)} messages without a next step: {', '.join(sorted(_gaps))}"
                        if _gaps else "every message names a next step"))
