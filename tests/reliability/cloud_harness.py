"""Per-service harnesses of the cloud fault matrix: a fake on loopback, the real client, and for
every route a way to reach it, a way to break it with the fake's own fault injection, and the
fake's hit counter.

Every credential is a distinctive value the fakes are configured to accept, so a test can look
for it in every message, ``repr`` and log line. The fault client records its retry pauses
instead of sleeping them, so backoff is checked without waiting.
"""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from animaze_panel.cloud._http import RetryPolicy
from animaze_panel.cloud.akool import AkoolClient, AkoolConfig
from animaze_panel.cloud.akool_models import AvatarUploadRequest, SessionOptions
from animaze_panel.cloud.kaltura import KalturaClient, KalturaConfig
from animaze_panel.cloud.kinetix import KinetixClient, KinetixConfig
from animaze_panel.cloud.kinetix_models import EmoteSubmission
from animaze_panel.cloud.whep import WhepReceiver
from animaze_panel.fakes._kinetix_data import STEPS
from animaze_panel.fakes.akool_server import FakeAkoolServer, Fault
from animaze_panel.fakes.kaltura_server import FakeKalturaServer
from animaze_panel.fakes.kinetix_server import Failure, FakeKinetixServer, ManualClock
from animaze_panel.secrets import Secret

KINETIX_KEY = "kx-SECRET-key-7f3a9c1e5b"
AKOOL_CLIENT_ID = "ak-SECRET-id-4d8e2a6f"
AKOOL_CLIENT_SECRET = "ak-SECRET-secret-9b1c7e3d"
AKOOL_API_KEY = "ak-SECRET-apikey-2e5f8a1b"
KALTURA_KS = "djJ8SECRET-ks-6a2d9f4c8e1b"

FAULTS = ("401", "403", "404", "429", "500", "503", "timeout", "reset", "malformed")
RETRYABLE = frozenset({"429", "500", "503", "timeout", "reset"})
RETRY_AFTER = 7.0
"""The Retry-After the fakes send with 429; the client must pause exactly this long."""
RETRY = RetryPolicy(attempts=3, base_delay=0.25, max_delay=30.0)
PATIENT = 60.0
"""Timeout of every call that must not time out (a loaded machine is slow, never this slow)."""
IMPATIENT = 1.0
"""Timeout of the faulted call when the fault is a hang."""
HANG = 120.0
"""How long a hanging route hangs at most (released when the fake stops)."""

Call = Callable[[], Awaitable[Any]]

# A next step: an imperative opening the message or a clause ("...; check the key", "... and
# try again"), so a route's description ("while checking the key") does not count as one.
NEXT_STEP = re.compile(
    r"(?:^|[.;:]\s+|,\s+then\s+|\band\s+|\bthen\s+)(?:try|retry|check|enter|wait|start|"
    r"paste|copy|create|use|ask|turn|correct|choose|get|close|connect|reconnect|sign)\b",
    re.IGNORECASE)


@dataclass(frozen=True)
class RouteCase:
    """One route of one service: its fake route name and HTTP method."""

    service: str
    route: str
    method: str

    @property
    def id(self) -> str:
        return f"{self.service}-{self.route}"


class RecordingSleep:
    """A retry pause that records its length and returns at once (backoff without waiting)."""

    def __init__(self) -> None:
        self.pauses: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.pauses.append(seconds)
        await asyncio.sleep(0)


def _video(folder: Path) -> Path:
    path = folder / "dance.mp4"
    if not path.exists():
        path.write_bytes(os.urandom(50_000))
    return path


class KinetixHarness:
    """Fake Kinetix + a setup client + a fault client (recording its pauses)."""

    service = "kinetix"
    routes = {"plans": "POST", "register_user": "POST", "token": "GET", "token_status": "GET",
              "create_process": "POST", "process": "GET", "validate": "POST", "retake": "POST",
              "user_processes": "GET", "emote": "GET", "file": "GET"}

    def __init__(self, folder: Path, fault: str) -> None:
        self.folder = folder
        self.clock = ManualClock()
        self.server = FakeKinetixServer(api_key=KINETIX_KEY, clock=self.clock,
                                        hang_seconds=HANG)
        self.server.retry_after = f"{RETRY_AFTER:g}"
        self.sleep = RecordingSleep()
        self.timeout = IMPATIENT if fault == "timeout" else PATIENT
        self.secrets = [KINETIX_KEY]
        self.objects: list[object] = []

    async def __aenter__(self) -> KinetixHarness:
        url = await self.server.start()
        self.setup = KinetixClient(KinetixConfig(base_url=url, timeout=PATIENT),
                                   api_key=Secret(KINETIX_KEY))
        self.client = KinetixClient(
            KinetixConfig(base_url=url, timeout=self.timeout, retry=RETRY),
            api_key=Secret(KINETIX_KEY), sleep=self.sleep)
        self.objects += [self.client, self.client.config, self.client.api_key]
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.client.aclose()
        await self.setup.aclose()
        await self.server.stop()

    def hits(self, route: str) -> int:
        return self.server.hits[route]

    def inject(self, route: str, fault: str) -> None:
        kinds = {"401": Failure.UNAUTHORIZED, "403": Failure.FORBIDDEN,
                 "404": Failure.NOT_FOUND, "429": Failure.RATE_LIMITED,
                 "500": Failure.SERVER_ERROR, "503": Failure.UNAVAILABLE,
                 "timeout": Failure.TIMEOUT, "reset": Failure.RESET,
                 "malformed": Failure.MALFORMED_JSON}
        self.server.fail(route, kinds[fault])

    async def _done_process(self) -> str:
        token = await self.setup.create_token("player-1")
        process = await self.setup.create_process(token, self._submission())
        self.clock.advance(len(STEPS))
        return process.uuid

    def _submission(self) -> EmoteSubmission:
        return EmoteSubmission(_video(self.folder), "Happy dance", False, 500, 2500)

    async def prepare(self, route: str) -> Call:
        """Make what ``route`` needs with the setup client; return the faulted call."""
        c = self.client
        if route == "plans":
            return c.get_plans
        if route == "register_user":
            return lambda: c.register_user("player-2")
        if route == "token":
            await c.ensure_user("player-1")
            return lambda: c.create_token("player-1")
        if route == "token_status":
            token = await self.setup.create_token("player-1")
            self.objects.append(token)
            return lambda: c.get_token_status(token)
        if route == "create_process":
            token = await self.setup.create_token("player-1")
            return lambda: c.create_process(token, self._submission())
        if route == "user_processes":
            await self.setup.ensure_user("player-1")
            return lambda: c.list_user_processes("player-1")
        uuid = await self._done_process()
        if route == "process":
            return lambda: c.get_process(uuid)
        if route == "validate":
            return lambda: c.validate_process(uuid)
        if route == "retake":
            return lambda: c.retake_process(uuid)
        emote_uuid = (await self.setup.get_process(uuid)).emote
        if route == "emote":
            return lambda: c.get_emote(emote_uuid)
        emote = await self.setup.get_emote(emote_uuid)
        url = emote.files[0].url
        return lambda: c.download(url, self.folder, "emote.glb")


class AkoolHarness:
    """Fake Akool + a setup client + a fault client signed in with the setup's token."""

    service = "akool"
    routes = {"token": "POST", "avatar_create": "POST", "avatar_detail": "GET",
              "avatar_list": "GET", "session_create": "POST", "session_detail": "GET",
              "session_close": "POST", "session_list": "GET", "voice_list": "GET",
              "language_list": "GET"}

    def __init__(self, folder: Path, fault: str) -> None:
        self.clock = ManualClock()
        self.server = FakeAkoolServer(client_id=AKOOL_CLIENT_ID,
                                      client_secret=AKOOL_CLIENT_SECRET,
                                      api_key=AKOOL_API_KEY, clock=self.clock)
        self.sleep = RecordingSleep()
        self.timeout = IMPATIENT if fault == "timeout" else PATIENT
        self.secrets = [AKOOL_CLIENT_ID, AKOOL_CLIENT_SECRET, AKOOL_API_KEY]
        self.objects: list[object] = []

    async def __aenter__(self) -> AkoolHarness:
        url = await self.server.start()
        self.setup = AkoolClient(AkoolConfig(base_url=url, timeout=PATIENT),
                                 client_id=Secret(AKOOL_CLIENT_ID),
                                 client_secret=Secret(AKOOL_CLIENT_SECRET))
        token = await self.setup.fetch_token()
        self.secrets.append(token.reveal())
        self.client = AkoolClient(AkoolConfig(base_url=url, timeout=self.timeout, retry=RETRY),
                                  client_id=Secret(AKOOL_CLIENT_ID),
                                  client_secret=Secret(AKOOL_CLIENT_SECRET),
                                  token=token, sleep=self.sleep)
        self.objects += [self.client, self.client.config, token]
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.client.aclose()
        await self.setup.aclose()
        await self.server.stop()

    def hits(self, route: str) -> int:
        return self.server.hits[route]

    def inject(self, route: str, fault: str) -> None:
        if fault == "timeout":
            fault_ = Fault(delay=HANG, times=None)
        elif fault == "reset":
            fault_ = Fault(reset=True, times=None)
        elif fault == "malformed":
            fault_ = Fault(malformed=True, times=None)
        else:
            retry_after = f"{RETRY_AFTER:g}" if fault == "429" else None
            fault_ = Fault(http_status=int(fault), times=None, retry_after=retry_after)
        self.server.fail(route, fault_)

    async def prepare(self, route: str) -> Call:
        c = self.client
        if route == "token":
            # No token yet: signing in is the call.
            c.set_credentials(client_id=Secret(AKOOL_CLIENT_ID),
                              client_secret=Secret(AKOOL_CLIENT_SECRET))
            return c.fetch_token
        if route == "avatar_create":
            request = AvatarUploadRequest("https://example.com/me.mp4", "myavatar1", "Me")
            return lambda: c.upload_avatar(request)
        if route == "avatar_detail":
            upload = await self.setup.upload_avatar(
                AvatarUploadRequest("https://example.com/me.mp4", "myavatar2", "Me"))
            return lambda: c.get_avatar_detail(upload.id)
        if route == "avatar_list":
            return c.list_avatars
        if route == "session_create":
            return lambda: c.create_session(SessionOptions("dvp_Tristan_cloth2_1080P", 60))
        if route in ("session_detail", "session_close"):
            session = await self.setup.create_session(
                SessionOptions("dvp_Tristan_cloth2_1080P", 60))
            self.objects.append(session)
            if route == "session_detail":
                return lambda: c.get_session(session.id)
            return lambda: c.close_session(session.id)
        if route == "session_list":
            return c.list_sessions
        if route == "voice_list":
            return c.list_voices
        return c.list_languages


class KalturaHarness:
    """Fake Kaltura + a setup client + a fault client; WHEP through the real receiver."""

    service = "kaltura"
    routes = {"create": "POST", "init-client": "POST", "say-text": "POST",
              "interrupt": "POST", "keep-alive": "POST", "end": "POST", "whep": "POST"}

    def __init__(self, folder: Path, fault: str) -> None:
        self.server = FakeKalturaServer(ks=KALTURA_KS)
        self.sleep = RecordingSleep()
        self.timeout = IMPATIENT if fault == "timeout" else PATIENT
        self.secrets = [KALTURA_KS]
        self.objects: list[object] = []
        self.receivers: list[WhepReceiver] = []

    async def __aenter__(self) -> KalturaHarness:
        url = await self.server.start()
        # Both record their pauses: ending a session at close is retried (the setup client
        # ends the sessions it made while the fault is still on).
        self.setup = KalturaClient(KalturaConfig(base_url=url, timeout=PATIENT),
                                   ks=Secret(KALTURA_KS), sleep=RecordingSleep())
        self.client = KalturaClient(KalturaConfig(base_url=url, timeout=self.timeout),
                                    ks=Secret(KALTURA_KS), sleep=self.sleep)
        self.objects += [self.client, self.client.config, self.client.ks]
        return self

    async def __aexit__(self, *exc: object) -> None:
        for receiver in self.receivers:
            await receiver.stop()
        await self.client.aclose()
        await self.setup.aclose()
        await self.server.stop()

    def hits(self, route: str) -> int:
        return self.server.hits[route]

    def inject(self, route: str, fault: str) -> None:
        if fault == "timeout":
            self.server.delay(route, HANG)
        elif fault == "reset":
            self.server.reset(route)
        elif fault == "malformed":
            self.server.garble(route)
        else:
            retry_after = f"{RETRY_AFTER:g}" if fault == "429" else None
            self.server.fail(route, int(fault), retry_after=retry_after)

    async def prepare(self, route: str) -> Call:
        c = self.client
        if route == "create":
            return lambda: c.create_session("avatar-1")
        session = await self.setup.create_session("avatar-1")
        self.secrets.append(session.token.reveal())
        self.objects.append(session)
        if route == "init-client":
            return lambda: c.init_client(session)
        if route == "say-text":
            return lambda: c.say_text(session, "Hello chat")
        if route == "interrupt":
            return lambda: c.interrupt(session)
        if route == "keep-alive":
            return lambda: c.keep_alive(session)
        if route == "end":
            return lambda: c.end_session(session)
        init = await self.setup.init_client(session)
        receiver = WhepReceiver(
            init.whep_url, None, connect_timeout=PATIENT, http_timeout=self.timeout,
            reconnect_attempts=0, on_video=lambda _f: None, on_audio=lambda _f: None,
            on_state=lambda _s: None)
        self.receivers.append(receiver)
        self.objects.append(receiver)
        return receiver.start


Harness = KinetixHarness | AkoolHarness | KalturaHarness
HARNESSES: dict[str, type[KinetixHarness] | type[AkoolHarness] | type[KalturaHarness]] = {
    "kinetix": KinetixHarness, "akool": AkoolHarness, "kaltura": KalturaHarness,
}
CASES = [RouteCase(name, route, method) for name, cls in HARNESSES.items()
         for route, method in cls.routes.items()]
