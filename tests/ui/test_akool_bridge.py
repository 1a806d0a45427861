"""The real bridge page in offscreen QtWebEngine with the JavaScript double of the Agora SDK.

Checks that stream messages cross both ways (Python -> page -> SDK double -> page -> Python),
that the remote video element plays and the view's picture is not blank, the page's own join
timeout, SDK errors reaching Python in words, and the microphone permission policy.
"""

from __future__ import annotations

import asyncio
import json

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QImage

from animaze_panel.cloud import akool_stream as stream
from animaze_panel.ui.akool.bridge import JoinFailed, JoinTimeout, SendFailed
from animaze_panel.ui.akool.live_view import is_our_origin

from .akool_support import CREDENTIALS, WEBENGINE_NOISE, configure_double, open_live_view, run_js
from .conftest import signal_future, wait_until

pytestmark = [pytest.mark.qt_log_ignore(*WEBENGINE_NOISE), pytest.mark.asyncio]


def _distinct_colours(image: QImage, step: int = 16) -> int:
    colours = set()
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            colours.add(image.pixel(x, y))
    return len(colours)


async def test_messages_cross_both_ways_and_video_plays() -> None:
    async with open_live_view() as view:
        link = view.link
        playing = signal_future(link.videoPlaying)
        assert await link.join(CREDENTIALS) == "77"
        await asyncio.wait_for(playing, 20)

        received: list[str] = []
        link.messageReceived.connect(received.append)
        for out in stream.chat_messages("Hello avatar", "msg-1"):
            await link.send(out.text)
        # The double answers as the bot: audio_start, chat chunks, audio_end.
        await wait_until(lambda: any('"audio_end"' in m for m in received), 10)
        parsed = [stream.parse_message(m) for m in received]
        bot = "".join(p.text for p in parsed if isinstance(p, stream.ChatReceived))
        assert bot == "You said: Hello avatar"
        assert isinstance(parsed[0], stream.AudioEvent)
        assert parsed[0].kind is stream.AudioEventKind.AUDIO_START

        # The avatar's side saw exactly what Python sent.
        seen = json.loads(
            await run_js(view.live_page, "JSON.stringify(AgoraRTC.__double.received)"))
        assert [json.loads(m)["pld"]["text"] for m in seen] == ["Hello avatar"]

        # Commands are acknowledged with the same mid.
        received.clear()
        await link.send(stream.interrupt_message("msg-2").text)
        await wait_until(lambda: bool(received), 10)
        ack = stream.parse_message(received[0])
        assert isinstance(ack, stream.CommandAck)
        assert (ack.mid, ack.cmd, ack.ok) == ("msg-2", "interrupt", True)

        # The picture is the moving test video, not a blank page.
        def moving() -> bool:
            return _distinct_colours(view.grab().toImage()) > 4

        await wait_until(moving, 10)
        await link.leave()


async def test_double_refuses_oversized_messages() -> None:
    async with open_live_view() as view:
        await view.link.join(CREDENTIALS)
        big = json.dumps({"v": 2, "type": "chat", "mid": "m", "idx": 0, "fin": True,
                          "pld": {"text": "x" * 1000}})
        with pytest.raises(SendFailed, match="STREAM_MESSAGE_TOO_LARGE"):
            await view.link.send(big)
        # Past the rate: back-to-back 900-byte messages without pacing.
        chunk = json.dumps({"v": 1, "pld": "y" * 880})
        with pytest.raises(SendFailed, match="RATE_LIMIT"):
            for _ in range(12):
                await view.link.send(chunk)


async def test_join_timeout_is_the_pages_own() -> None:
    async with open_live_view() as view:
        await configure_double(view, joinMode="hang")
        with pytest.raises(JoinTimeout, match="did not answer"):
            await view.link.join(CREDENTIALS, timeout=0.3)
        # The page stopped the SDK's attempt: a new join can go ahead.
        await configure_double(view, joinMode="ok")
        assert await view.link.join(CREDENTIALS) == "77"


async def test_join_refused_reports_the_sdk_code() -> None:
    async with open_live_view() as view:
        await configure_double(view, joinMode="reject")
        with pytest.raises(JoinFailed, match="CAN_NOT_GET_GATEWAY_SERVER") as info:
            await view.link.join(CREDENTIALS)
        assert "start a new session" in str(info.value)


async def test_token_expiry_reaches_python() -> None:
    async with open_live_view() as view:
        await configure_double(view, expireTokenAfterMs=50)
        expired = signal_future(view.link.tokenExpired)
        await view.link.join(CREDENTIALS)
        await asyncio.wait_for(expired, 10)


async def test_microphone_granted_to_our_page_only() -> None:
    async with open_live_view() as view:
        await view.link.join(CREDENTIALS)
        received: list[str] = []
        view.link.messageReceived.connect(received.append)
        await view.link.set_mic(True)
        granted = view.live_page.granted
        assert granted and "MediaAudioCapture app://akool" in granted[0]
        # Push-to-talk release: the double's "speech recognition" sends the user's line.
        await view.link.set_mic(False)
        await wait_until(lambda: any('"from": "user"' in m or '"from":"user"' in m
                                     for m in received), 10)
    assert is_our_origin(QUrl("app://akool/index.html"))
    assert not is_our_origin(QUrl("https://akool.example/"))
    assert not is_our_origin(QUrl("app://other/"))


async def test_microphone_refused_to_any_other_origin() -> None:
    async with open_live_view() as view:
        loaded = signal_future(view.live_page.loadFinished)
        view.live_page.setHtml(
            "<script>navigator.mediaDevices.getUserMedia({audio: true})"
            ".then(() => document.title = 'granted', e => document.title = 'refused')</script>",
            QUrl("https://elsewhere.example/"))
        await asyncio.wait_for(loaded, 10)
        await wait_until(lambda: view.live_page.title() in ("granted", "refused"), 10)
        assert view.live_page.title() == "refused"
        assert view.live_page.denied and "elsewhere.example" in view.live_page.denied[0]
        assert view.live_page.granted == []
