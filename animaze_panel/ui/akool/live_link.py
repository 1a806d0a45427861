"""An async API over the live-view page: join, leave, send stream messages, microphone, probe.

Each request carries a sequence number (or message id) that the page echoes in its answer, so
an answer always settles the request that caused it. Events that nobody asked for (received
stream messages, connection changes, token expiry, the video starting) become Qt signals.
Every wait has a timeout: a page that stops answering fails the request instead of freezing it.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal

from .bridge import (
    JoinFailed,
    JoinTimeout,
    LiveError,
    MicFailed,
    PageBridge,
    PageNotReady,
    SdkMissing,
    SendFailed,
)

JOIN_TIMEOUT_S = 20.0
"""The page's own join timeout: offline the real SDK retries for 45 s and more."""
ANSWER_TIMEOUT_S = 10.0
"""How long a send/mic/leave/probe may wait for the page's answer."""


@dataclass(frozen=True)
class Probe:
    """What the page's SDK reports about this browser engine."""

    version: str
    system_ok: bool
    video_codecs: tuple[str, ...]
    audio_codecs: tuple[str, ...]

    @property
    def vp8(self) -> bool:
        """Whether VP8 (the codec Akool's streams use) is supported."""
        return "VP8" in self.video_codecs


def _sdk_words(data: Mapping[str, Any]) -> str:
    code, message = str(data.get("code", "")), str(data.get("message", ""))
    return f"{code}: {message}" if message else code


class LiveLink(QObject):
    """Requests to the page as coroutines; page events as signals."""

    ready = Signal(bool)
    """The page is up; True when the SDK loaded."""
    messageReceived = Signal(str)  # noqa: N815 (Qt naming)
    """A stream message from the avatar (JSON text)."""
    videoPlaying = Signal()  # noqa: N815
    """The remote video element started playing."""
    connectionChanged = Signal(str, str)  # noqa: N815
    """The SDK's connection state and the reason."""
    tokenExpiring = Signal()  # noqa: N815
    tokenExpired = Signal()  # noqa: N815
    remoteLeft = Signal(str)  # noqa: N815
    """The avatar left the channel (reason)."""
    pageError = Signal(str)  # noqa: N815
    """Something failed inside the page outside any request."""
    rendererGone = Signal()  # noqa: N815
    """The page's renderer process ended (the page is being loaded again)."""

    def __init__(self, bridge: PageBridge, parent: QObject | None = None) -> None:
        """Talk to the page through ``bridge``."""
        super().__init__(parent)
        self.bridge = bridge
        self.sdk_loaded: bool | None = None
        self.sdk_version = ""
        self.video_playing = False
        self._seq = itertools.count(1)
        self._pending: dict[tuple[str, int], asyncio.Future[dict[str, Any]]] = {}
        self._ready: asyncio.Future[bool] | None = None
        bridge.received.connect(self._on_event)

    # -- requests ---------------------------------------------------------------------------

    async def wait_ready(self, timeout: float = 20.0) -> None:
        """Wait until the page has loaded and connected its channel.

        Raises:
            PageNotReady: Not within ``timeout``.
            SdkMissing: The page came up without the Agora SDK.
        """
        if self.sdk_loaded is None:
            if self._ready is None or self._ready.done():
                self._ready = asyncio.get_running_loop().create_future()
            try:
                await asyncio.wait_for(asyncio.shield(self._ready), timeout)
            except TimeoutError as exc:
                raise PageNotReady(
                    "The live view did not start. Restart the panel; if it keeps happening, "
                    "reinstall it."
                ) from exc
        if not self.sdk_loaded:
            raise SdkMissing(
                "The video component (Agora Web SDK) is missing from this installation. "
                "Reinstall the panel (from a checkout: run scripts/vendor-agora)."
            )

    def _request(self, kind: str, op: str, **fields: Any) -> asyncio.Future[dict[str, Any]]:
        seq = next(self._seq)
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._pending[(kind, seq)] = future
        key = "id" if kind == "send" else "seq"
        self.bridge.send_command(op, **{key: seq}, **fields)
        return future

    async def _answer(
        self, future: asyncio.Future[dict[str, Any]], timeout: float, what: str
    ) -> dict[str, Any]:
        try:
            return await asyncio.wait_for(future, timeout)
        except TimeoutError as exc:
            raise LiveError(f"The live view did not answer ({what}). Stop and start the "
                            "session again.", "PAGE_TIMEOUT") from exc
        finally:
            for key, pending in list(self._pending.items()):
                if pending is future:
                    del self._pending[key]

    async def join(self, credentials: Mapping[str, Any], timeout: float = JOIN_TIMEOUT_S) -> str:
        """Join the Agora channel with ``credentials`` (Akool's ``credentials`` object).

        Returns:
            Our uid in the channel.

        Raises:
            JoinTimeout: No answer from the video servers within ``timeout`` (the page has
                stopped trying).
            JoinFailed: The SDK refused (e.g. the token expired).
        """
        await self.wait_ready()
        future = self._request("join", "join", credentials=dict(credentials),
                               timeout_ms=int(timeout * 1000))
        data = await self._answer(future, timeout + ANSWER_TIMEOUT_S, "joining")
        if data["ev"] == "joined":
            return str(data.get("uid", ""))
        if data.get("code") == "JOIN_TIMEOUT":
            raise JoinTimeout(
                f"The avatar's video servers did not answer within {timeout:g} s. Check the "
                "internet connection (and that no firewall blocks the video call), then start "
                "again.", "JOIN_TIMEOUT")
        raise JoinFailed(
            f"Could not join the avatar's video call ({_sdk_words(data)}). The session "
            "credentials may have expired: start a new session.", str(data.get("code", "")))

    async def leave(self) -> None:
        """Leave the channel (idempotent); never raises for the page's own errors."""
        if not self.sdk_loaded:
            return
        future = self._request("leave", "leave")
        try:
            await self._answer(future, ANSWER_TIMEOUT_S, "leaving")
        except LiveError:
            pass  # a page that does not answer is being torn down anyway
        self.video_playing = False

    async def send(self, text: str) -> None:
        """Send one stream message (already built and paced by the caller).

        Raises:
            SendFailed: The SDK refused it (too large, too fast, not connected).
        """
        future = self._request("send", "send", text=text)
        data = await self._answer(future, ANSWER_TIMEOUT_S, "sending a message")
        if data["ev"] != "sent":
            raise SendFailed(f"The message was not delivered ({_sdk_words(data)}).",
                             str(data.get("code", "")))

    async def set_mic(self, on: bool) -> None:
        """Publish (or mute) the microphone.

        Raises:
            MicFailed: No microphone, permission refused, or not in a call.
        """
        future = self._request("mic", "mic", on=on)
        data = await self._answer(future, ANSWER_TIMEOUT_S, "switching the microphone")
        if data["ev"] != "mic":
            code = str(data.get("code", ""))
            hint = ("Allow the panel to use the microphone in the system's privacy settings."
                    if code == "PERMISSION_DENIED"
                    else "Check that a microphone is connected and not used by another app.")
            raise MicFailed(f"The microphone could not be turned on ({_sdk_words(data)}). {hint}",
                            code)

    async def probe(self) -> Probe:
        """Ask the SDK about system support and codecs."""
        await self.wait_ready()
        future = self._request("probe", "probe")
        data = await self._answer(future, ANSWER_TIMEOUT_S, "checking the video component")
        return Probe(str(data.get("version", "")), bool(data.get("system")),
                     tuple(str(c) for c in data.get("video", [])),
                     tuple(str(c) for c in data.get("audio", [])))

    def renderer_gone(self) -> None:
        """The page's renderer ended: fail every waiting request and tell the listeners."""
        self.sdk_loaded = None
        self.video_playing = False
        for future in self._pending.values():
            if not future.done():
                future.set_exception(LiveError(
                    "The live view stopped unexpectedly. Start the session again.", "CRASHED"))
        self._pending.clear()
        self.rendererGone.emit()

    # -- events -----------------------------------------------------------------------------

    _ANSWERS = {"joined": "join", "join_failed": "join", "left": "leave", "sent": "send",
                "send_failed": "send", "mic": "mic", "mic_failed": "mic", "probe": "probe"}

    def _on_event(self, name: str, data: dict[str, Any]) -> None:
        kind = self._ANSWERS.get(name)
        if kind is not None:
            seq = data.get("id" if kind == "send" else "seq")
            future = self._pending.pop((kind, int(seq)), None) if isinstance(seq, int) else None
            if future is not None and not future.done():
                future.set_result({"ev": name, **data})
            return
        if name == "message":
            self.messageReceived.emit(str(data.get("text", "")))
        elif name == "ready":
            self.sdk_loaded = bool(data.get("sdk"))
            self.sdk_version = str(data.get("version", ""))
            if self._ready is not None and not self._ready.done():
                self._ready.set_result(self.sdk_loaded)
            self.ready.emit(self.sdk_loaded)
        elif name == "video":
            self.video_playing = data.get("state") == "playing"
            if self.video_playing:
                self.videoPlaying.emit()
        elif name == "connection":
            self.connectionChanged.emit(str(data.get("state", "")), str(data.get("reason", "")))
        elif name == "token":
            (self.tokenExpired if data.get("state") == "expired" else self.tokenExpiring).emit()
        elif name == "user_left":
            self.remoteLeft.emit(str(data.get("reason", "")))
        elif name in ("error", "exception"):
            self.pageError.emit(_sdk_words(data))
