"""Kaltura avatar sessions (control API): one async httpx client, typed results, mapped errors.

Sources: the quick start (``shared/specs/kaltura-avatar-api-quickstart.txt``), Kaltura's
control-API endpoint pages (docs.kaltura.ai/models/avatar/docs/control-api/endpoints/) and
Kaltura's newest public client, ``kaltura/intelligent-agents-sdk``
(``src/management/avatar-sessions.js``). Where they differ the SDK wins; the one such choice, the
create route, lives in :data:`CREATE_ROUTE`.

* ``create`` sends ``Authorization: KS <ks>``; every later call ``Authorization: Bearer <token>``.
  The KS and the session token are :class:`~animaze_panel.secrets.Secret` values: revealed only
  into the header, scrubbed from any server text that is shown.
* Every route is a POST and none is idempotent (the SDK marks each "WRITE"): nothing is ever
  re-sent automatically. There are no GET routes, so nothing is retried.
* :meth:`KalturaClient.start_keep_alive` runs the documented 10 s keep-alive as a task (clock and
  sleep injectable) and reports each result; :meth:`KalturaClient.aclose` ends every live session,
  so closing the page or quitting the app never leaves a paid session running.
* ``end`` on a session that is already gone (404/410) counts as ended, as the SDK advises.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import quote

import httpx

from ..secrets import Secret
from .kaltura_models import (
    AvatarSession,
    ClientInit,
    KalturaAuthError,
    KalturaError,
    KalturaForbidden,
    KalturaInputError,
    KalturaNetworkError,
    KalturaProtocolError,
    KalturaRequestRejected,
    KalturaSayTextUnavailable,
    KalturaServerError,
    KalturaSessionGone,
    KalturaTimeout,
    SayText,
    TurnServer,
    new_turn_id,
)

__all__ = [
    "CREATE_ROUTE",
    "DEFAULT_BASE_URL",
    "QUICKSTART_CREATE",
    "SDK_CREATE",
    "AvatarSession",
    "ClientInit",
    "CreateRoute",
    "KalturaAuthError",
    "KalturaClient",
    "KalturaConfig",
    "KalturaError",
    "KalturaForbidden",
    "KalturaInputError",
    "KalturaNetworkError",
    "KalturaProtocolError",
    "KalturaRequestRejected",
    "KalturaSayTextUnavailable",
    "KalturaServerError",
    "KalturaSessionGone",
    "KalturaTimeout",
    "KeepAlive",
    "SayText",
    "TurnServer",
    "new_turn_id",
]

log = logging.getLogger(__name__)
T = TypeVar("T")

DEFAULT_BASE_URL = "https://api.avatar.us.kaltura.ai/v1/avatar-session"
KEEP_ALIVE_INTERVAL = 10.0
"""Seconds between keep-alives ("every 10 seconds": keep-alive endpoint page; SDK ``keepAlive``)."""


@dataclass(frozen=True)
class CreateRoute:
    """Where ``create`` posts (appended to the base URL) and how the avatar id is named.

    Attributes:
        path: Suffix of the base URL ("" posts to the base URL itself).
        avatar_field: Key of the avatar id inside ``visualConfig``.
    """

    path: str
    avatar_field: str


SDK_CREATE = CreateRoute(path="", avatar_field="id")
"""``POST {base}`` (create-session endpoint page) with ``visualConfig.id`` (the SDK's field)."""
QUICKSTART_CREATE = CreateRoute(path="/create", avatar_field="avatarId")
"""The quick start's ``POST {base}/create`` with ``visualConfig.avatarId``."""
CREATE_ROUTE = SDK_CREATE
"""The one place the create variant is chosen: the SDK is Kaltura's newest real client."""


@dataclass(frozen=True)
class KalturaConfig:
    """Where and how patiently to talk to Kaltura.

    Attributes:
        base_url: The avatar-session root (tests and ``--demo`` use the fake server's).
        timeout: Seconds for connect/read/write of one request; no call waits longer.
        create_route: The create variant (see :data:`CREATE_ROUTE`).
        keep_alive_interval: Seconds between keep-alives.
    """

    base_url: str = DEFAULT_BASE_URL
    timeout: float = 15.0
    create_route: CreateRoute = CREATE_ROUTE
    keep_alive_interval: float = KEEP_ALIVE_INTERVAL


_Sleep = Callable[[float], Awaitable[None]]
KeepAliveCallback = Callable[["KalturaError | None"], None]
"""Called after each keep-alive with ``None`` (it succeeded) or the error it raised."""


class KalturaClient:
    """Async client of every avatar-session route; tracks live sessions to end them on close."""

    def __init__(
        self,
        config: KalturaConfig | None = None,
        ks: Secret | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        """Create the client (no connection is opened until the first call).

        Args:
            config: Base URL, timeout and create variant.
            ks: The Kaltura Session; it can be set later through :attr:`ks`.
            transport: httpx transport, injectable for tests.
        """
        self.config = config or KalturaConfig()
        self.ks = ks
        self._base = self.config.base_url.rstrip("/")
        self._http = httpx.AsyncClient(
            timeout=httpx.Timeout(self.config.timeout), transport=transport, follow_redirects=False
        )
        self._live: dict[str, AvatarSession] = {}
        self._keep_alives: dict[str, KeepAlive] = {}

    def __repr__(self) -> str:
        return f"KalturaClient(base_url={self._base!r}, ks={self.ks!r}, live={len(self._live)})"

    @property
    def live_sessions(self) -> tuple[AvatarSession, ...]:
        """Sessions created by this client and not ended yet."""
        return tuple(self._live.values())

    # -- routes -----------------------------------------------------------------------------

    async def create_session(
        self, avatar_id: str, voice_id: str | None = None, voice_speed: float | None = None
    ) -> AvatarSession:
        """Create an avatar session (``Authorization: KS``); sent once, never repeated.

        Args:
            avatar_id: The avatar (visual catalogue) id.
            voice_id: Optional TTS voice id.
            voice_speed: Optional speech speed multiplier (e.g. 1.0, 1.5).

        Raises:
            KalturaInputError: No KS or no avatar id (nothing was sent).
            KalturaAuthError: The KS is wrong or expired.
            KalturaForbidden: The KS may not create avatar sessions.
        """
        if not self.ks:
            raise KalturaInputError("ks", "Enter your Kaltura Session (KS) first.")
        if not avatar_id.strip():
            raise KalturaInputError("avatar id", "Enter the avatar id to start a session.")
        if voice_speed is not None and not 0.1 <= voice_speed <= 4.0:
            raise KalturaInputError("voice speed", "The voice speed must be between 0.1 and 4.")
        route = self.config.create_route
        body: dict[str, Any] = {"visualConfig": {route.avatar_field: avatar_id.strip()}}
        if voice_id and voice_id.strip():
            voice: dict[str, Any] = {"id": voice_id.strip()}
            if voice_speed is not None:
                voice["speed"] = voice_speed
            body["voiceConfig"] = voice
        answer = await self._post("create", route.path, f"KS {self.ks.reveal()}", body)
        session = _parse(AvatarSession.from_wire, answer, "create")
        self._live[session.session_id] = session
        log.info("kaltura session %s created", session.session_id)
        return session

    async def init_client(self, session: AvatarSession) -> ClientInit:
        """``POST /{id}/init-client``: the WHEP URL and TURN relay of the session's media.

        The SDK warns a second call may open a second WHEP resource: call it once per session.
        """
        answer = await self._session_post(session, "init-client", {})
        return _parse(ClientInit.from_wire, answer, "init-client")

    async def say_text(
        self,
        session: AvatarSession,
        text: str,
        turn_id: str | None = None,
        is_final: bool = True,
    ) -> SayText:
        """``POST /{id}/say-text {text, turnId, isFinal}``; returns what was sent.

        Args:
            session: The live session.
            text: What the avatar says (not blank).
            turn_id: The turn; a new one when ``None``. Parts of one turn share it.
            is_final: ``False`` when more parts of this turn follow.

        Raises:
            KalturaInputError: The text is blank (nothing was sent).
            KalturaSayTextUnavailable: Kaltura answered 503; the avatar did not speak.
        """
        if not text.strip():
            raise KalturaInputError("text", "Type something for the avatar to say.")
        say = SayText(text, turn_id or new_turn_id(), is_final)
        await self._session_post(session, "say-text", say.to_wire())
        return say

    async def interrupt(self, session: AvatarSession) -> None:
        """``POST /{id}/interrupt``: stop the current speech and clear the queue."""
        await self._session_post(session, "interrupt", {})

    async def keep_alive(self, session: AvatarSession) -> None:
        """``POST /{id}/keep-alive``: one keep-alive (see :meth:`start_keep_alive`)."""
        await self._session_post(session, "keep-alive", {})

    async def end_session(self, session: AvatarSession) -> bool:
        """``POST /{id}/end``: stop its keep-alive and end it.

        Returns:
            ``True`` when this call ended it, ``False`` when it was already gone (404/410).
        """
        keeper = self._keep_alives.pop(session.session_id, None)
        if keeper is not None:
            await keeper.stop()
        try:
            await self._session_post(session, "end", {})
        except KalturaSessionGone:
            self._live.pop(session.session_id, None)
            return False
        self._live.pop(session.session_id, None)
        log.info("kaltura session %s ended", session.session_id)
        return True

    # -- keep-alive and lifetime ------------------------------------------------------------

    def start_keep_alive(
        self,
        session: AvatarSession,
        on_result: KeepAliveCallback | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: _Sleep = asyncio.sleep,
    ) -> KeepAlive:
        """Start (or return the running) keep-alive task of ``session``; stopped by end/aclose."""
        keeper = self._keep_alives.get(session.session_id)
        if keeper is None or not keeper.running:
            keeper = KeepAlive(
                self, session, self.config.keep_alive_interval, clock=clock, sleep=sleep,
                on_result=on_result,
            )
            self._keep_alives[session.session_id] = keeper
            keeper.start()
        return keeper

    async def aclose(self) -> None:
        """End every live session (each bounded by the timeout), then close the pool."""
        for session in list(self._live.values()):
            try:
                await self.end_session(session)
            except KalturaError as exc:
                log.warning("ending kaltura session %s failed: %s", session.session_id, exc)
                self._live.pop(session.session_id, None)
        for keeper in list(self._keep_alives.values()):
            await keeper.stop()
        self._keep_alives.clear()
        await self._http.aclose()

    async def __aenter__(self) -> KalturaClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # -- plumbing ---------------------------------------------------------------------------

    async def _session_post(self, session: AvatarSession, route: str, body: Any) -> Any:
        path = f"/{quote(session.session_id, safe='')}/{route}"
        return await self._post(route, path, f"Bearer {session.token.reveal()}", body, session)

    async def _post(
        self,
        route: str,
        path: str,
        authorization: str,
        body: Any,
        session: AvatarSession | None = None,
    ) -> Any:
        try:
            response = await self._http.post(
                self._base + path, json=body, headers={"Authorization": authorization}
            )
        except httpx.TimeoutException as exc:
            raise KalturaTimeout(_timeout_text(route, self.config.timeout)) from exc
        except httpx.TransportError as exc:
            raise KalturaNetworkError(
                f"Cannot reach Kaltura ({type(exc).__name__}); check the connection and the "
                "server address, then try again."
            ) from exc
        server_text = self._scrub(_server_text(response), session)
        if response.is_success:
            try:
                return response.json()
            except ValueError as exc:
                raise KalturaProtocolError(
                    f"Kaltura's {route} answer is not JSON.", server_text, response.status_code
                ) from exc
        raise _error_for(route, response.status_code, server_text)

    def _scrub(self, text: str, session: AvatarSession | None) -> str:
        for secret in (self.ks, session.token if session else None):
            if secret and secret.reveal():
                text = text.replace(secret.reveal(), "********")
        return text


class KeepAlive:
    """Sends a keep-alive every ``interval`` seconds (start to start) until stopped.

    Ticks missed while a call was slow are skipped, never sent in a burst. A 401/404/410 stops
    the loop (the session is unusable); any other failure is reported and the next tick tries
    again.
    """

    def __init__(
        self,
        client: KalturaClient,
        session: AvatarSession,
        interval: float = KEEP_ALIVE_INTERVAL,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: _Sleep = asyncio.sleep,
        on_result: KeepAliveCallback | None = None,
    ) -> None:
        """Prepare the loop (not started).

        Args:
            client: Sends the keep-alives.
            session: The session kept alive.
            interval: Seconds between the starts of two keep-alives.
            clock: Monotonic time source, injectable for tests.
            sleep: Awaitable pause, injectable for tests.
            on_result: Called after each keep-alive with ``None`` or the error.
        """
        self.session = session
        self.interval = interval
        self.sent = 0
        self.last_error: KalturaError | None = None
        self._client = client
        self._clock = clock
        self._sleep = sleep
        self._on_result = on_result
        self._task: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        """Whether the loop is running."""
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        """Start the loop on the running event loop."""
        if not self.running:
            self._task = asyncio.get_running_loop().create_task(
                self._run(), name=f"kaltura-keep-alive-{self.session.session_id}"
            )

    async def stop(self) -> None:
        """Stop the loop and wait until it has stopped."""
        task, self._task = self._task, None
        if task is None or task.done():
            return
        task.cancel()
        # The task's own CancelledError is collected, not raised: only our caller's cancel is.
        await asyncio.gather(task, return_exceptions=True)

    async def _run(self) -> None:
        next_at = self._clock() + self.interval
        while True:
            await self._sleep(max(0.0, next_at - self._clock()))
            error: KalturaError | None = None
            try:
                await self._client.keep_alive(self.session)
            except KalturaError as exc:
                error = exc
            self.sent += 1
            self.last_error = error
            if self._on_result is not None:
                self._on_result(error)
            if isinstance(error, KalturaSessionGone | KalturaAuthError):
                return
            next_at += self.interval
            now = self._clock()
            if next_at <= now:
                next_at = now + self.interval


def _parse(parser: Callable[[Any], T], body: Any, route: str) -> T:
    try:
        return parser(body)
    except (KeyError, TypeError, ValueError) as exc:
        raise KalturaProtocolError(
            f"Kaltura's {route} answer is not the documented shape ({exc})."
        ) from exc


def _server_text(response: httpx.Response) -> str:
    """The ``error`` text of ``{success: false, error}`` (every endpoint page), else an excerpt."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        for key in ("error", "message"):
            if isinstance(body.get(key), str):
                return str(body[key])
    text = response.text.strip()
    return text[:200] if text else (response.reason_phrase or f"HTTP {response.status_code}")


def _timeout_text(route: str, timeout: float) -> str:
    if route == "create":
        return (
            f"Kaltura did not answer within {timeout:g} s while creating the session. A session "
            "may still have been opened (it expires on its own); try again."
        )
    return f"Kaltura did not answer {route} within {timeout:g} s; check the connection."


def _error_for(route: str, status: int, server: str) -> KalturaError:
    detail = f" (Kaltura: {server})" if server else ""
    if status == 401:
        if route == "create":
            return KalturaAuthError(
                f"Kaltura refused the Kaltura Session: the KS is wrong or expired{detail}. "
                "Paste a fresh KS and start again.", server, status,
            )
        return KalturaAuthError(
            f"Kaltura refused the session token: it is wrong or expired{detail}. Start a new "
            "session.", server, status,
        )
    if status == 403:
        return KalturaForbidden(
            f"This KS may not create avatar sessions{detail}. Use a KS with avatar access "
            "(an admin KS).", server, status,
        )
    if status in (404, 410):
        return KalturaSessionGone(
            f"The avatar session was not found or has already ended{detail}. Start a new "
            "session.", server, status,
        )
    if status == 503 and route == "say-text":
        return KalturaSayTextUnavailable(
            "Kaltura's say-text service is unavailable (503): the avatar did not say this "
            "line. The session is still live; try again later.", server, status,
        )
    if 400 <= status < 500:
        return KalturaRequestRejected(
            f"Kaltura refused the {route} request (HTTP {status}){detail}.", server, status
        )
    return KalturaServerError(
        f"Kaltura failed on {route} (HTTP {status}){detail}; try again in a moment.",
        server, status,
    )
