"""Kaltura avatar sessions (control API): one async httpx client, typed results, mapped errors.

Sources: the quick start (``shared/specs/kaltura-avatar-api-quickstart.txt``), Kaltura's
control-API endpoint pages (docs.kaltura.ai/models/avatar/docs/control-api/endpoints/) and
Kaltura's newest public client, ``kaltura/intelligent-agents-sdk``
(``src/management/avatar-sessions.js``). Where they differ the SDK wins; the one such choice, the
create route, lives in :data:`CREATE_ROUTE`.

* ``create`` sends ``Authorization: KS <ks>``; every later call ``Authorization: Bearer <token>``.
  The KS and the session token are :class:`~animaze_panel.secrets.Secret` values: revealed only
  into the header, scrubbed from any server text that is shown.
* Every route is a POST and none is idempotent (the SDK marks each "WRITE"): no call is re-sent
  automatically. There are no GET routes.
* :meth:`KalturaClient.start_keep_alive` runs the documented 10 s keep-alive as a task (clock and
  sleep injectable) and reports each result; :meth:`KalturaClient.aclose` ends every live session,
  so closing the page or quitting the app never leaves a paid session running.
* ``end`` on a session that is already gone (404/410) counts as ended, as the SDK advises. That
  makes a repeated ``end`` harmless, so :meth:`KalturaClient.aclose` alone re-sends it after a
  429 (honouring ``Retry-After``), a 5xx or a dropped connection, a bounded number of times.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx

from ..secrets import Secret
from ._http import RetryPolicy, error_message, retry_after_seconds, transport_reason
from ._kaltura_keep_alive import KEEP_ALIVE_INTERVAL, KeepAlive, KeepAliveCallback
from .kaltura_models import (
    AvatarSession,
    ClientInit,
    KalturaAuthError,
    KalturaError,
    KalturaForbidden,
    KalturaInputError,
    KalturaNetworkError,
    KalturaProtocolError,
    KalturaRateLimited,
    KalturaRequestRejected,
    KalturaSayTextUnavailable,
    KalturaServerError,
    KalturaSessionGone,
    KalturaTimeout,
    SayText,
    TurnServer,
    error_for_status,
    new_turn_id,
    parse_answer,
    timeout_text,
    unreadable,
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
    "KalturaRateLimited",
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

DEFAULT_BASE_URL = "https://api.avatar.us.kaltura.ai/v1/avatar-session"


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
        end_retry: How often and how patiently :meth:`KalturaClient.aclose` re-sends a failed
            ``end`` (short pauses: a quit must not hang).
    """

    base_url: str = DEFAULT_BASE_URL
    timeout: float = 15.0
    create_route: CreateRoute = CREATE_ROUTE
    keep_alive_interval: float = KEEP_ALIVE_INTERVAL
    end_retry: RetryPolicy = RetryPolicy(attempts=3, base_delay=0.5, max_delay=4.0)


_Sleep = Callable[[float], Awaitable[None]]


class KalturaClient:
    """Async client of every avatar-session route; tracks live sessions to end them on close."""

    def __init__(
        self,
        config: KalturaConfig | None = None,
        ks: Secret | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: _Sleep = asyncio.sleep,
    ) -> None:
        """Create the client (no connection is opened until the first call).

        Args:
            config: Base URL, timeout and create variant.
            ks: The Kaltura Session; it can be set later through :attr:`ks`.
            transport: httpx transport, injectable for tests.
            sleep: Pause between the attempts to end a session on close.
        """
        self.config = config or KalturaConfig()
        self._sleep = sleep
        self.ks = ks
        self._base = self.config.base_url.rstrip("/")
        self._http = httpx.AsyncClient(
            timeout=httpx.Timeout(self.config.timeout), transport=transport, follow_redirects=False
        )
        self._live: dict[str, AvatarSession] = {}
        self._closed = False
        self._creating: set[asyncio.Task[AvatarSession]] = set()
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
        # The docs give no range ("a multiplier, e.g. 1.0, 1.5"): only a positive number.
        if voice_speed is not None and not (math.isfinite(voice_speed) and voice_speed > 0):
            raise KalturaInputError("voice speed", "The voice speed must be a positive number.")
        route = self.config.create_route
        body: dict[str, Any] = {"visualConfig": {route.avatar_field: avatar_id.strip()}}
        if voice_id and voice_id.strip():
            voice: dict[str, Any] = {"id": voice_id.strip()}
            if voice_speed is not None:
                voice["speed"] = voice_speed
            body["voiceConfig"] = voice
        # The request runs in a task of its own, shielded from the caller: a page closed while
        # Kaltura is creating still learns the session, so aclose() can end it.
        task = asyncio.get_running_loop().create_task(
            self._create(route.path, f"KS {self.ks.reveal()}", body), name="kaltura-create"
        )
        self._creating.add(task)
        task.add_done_callback(self._create_settled)
        return await asyncio.shield(task)

    def _create_settled(self, task: asyncio.Task[AvatarSession]) -> None:
        self._creating.discard(task)
        if not task.cancelled():
            task.exception()  # retrieved: an abandoned create's error is not logged as lost

    async def _create(self, path: str, authorization: str, body: Any) -> AvatarSession:
        answer = await self._post("create", path, authorization, body)
        session = parse_answer(AvatarSession.from_wire, answer, "create")
        self._live[session.session_id] = session
        log.info("kaltura session %s created", session.session_id)
        return session

    async def init_client(self, session: AvatarSession) -> ClientInit:
        """``POST /{id}/init-client``: the WHEP URL and TURN relay of the session's media.

        The SDK warns a second call may open a second WHEP resource: call it once per session.
        """
        answer = await self._session_post(session, "init-client", {})
        return parse_answer(ClientInit.from_wire, answer, "init-client")

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
        """End every live session (each bounded by the timeout), then close the pool.

        A create still under way is waited for first (bounded by the timeout), so a session it
        opens is ended too.
        """
        if self._creating:
            await asyncio.gather(*self._creating, return_exceptions=True)
        for session in list(self._live.values()):
            try:
                await self._end_at_close(session)
            except KalturaError as exc:
                log.warning("ending kaltura session %s failed: %s", session.session_id, exc)
                self._live.pop(session.session_id, None)
        for keeper in list(self._keep_alives.values()):
            await keeper.stop()
        self._keep_alives.clear()
        self._closed = True
        await self._http.aclose()

    async def _end_at_close(self, session: AvatarSession) -> None:
        """End ``session``, re-sending ``end`` after a transient failure (bounded)."""
        policy = self.config.end_retry
        for retry in range(policy.attempts):
            try:
                await self.end_session(session)
                return
            except KalturaTimeout:
                raise  # it already waited the full timeout: a quit must not wait more
            except (KalturaRateLimited, KalturaServerError, KalturaNetworkError) as exc:
                if retry + 1 >= policy.attempts:
                    raise
                hint = exc.retry_after if isinstance(exc, KalturaRateLimited) else None
                log.info("ending kaltura session %s failed (%s); trying again",
                         session.session_id, exc)
                await self._sleep(policy.delay(retry, hint))

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
        if self._closed:
            raise KalturaNetworkError("The Kaltura connection is closed (the page was closed).")
        try:
            response = await self._http.post(
                self._base + path, json=body, headers={"Authorization": authorization}
            )
        except httpx.TimeoutException as exc:
            raise KalturaTimeout(timeout_text(route, self.config.timeout)) from exc
        except httpx.TransportError as exc:
            raise KalturaNetworkError(
                f"Cannot reach Kaltura ({transport_reason(exc)}); check your connection and the "
                "server address, then try again."
            ) from exc
        # Every endpoint page answers errors as {success: false, error}.
        server_text = self._scrub(error_message(response, ("error", "message")), session)
        if not response.is_success:
            raise error_for_status(route, response.status_code, server_text,
                                   retry_after_seconds(response))
        try:
            body = response.json()
        except ValueError as exc:
            raise unreadable(route, "not JSON", server_text, response.status_code) from exc
        if isinstance(body, dict) and body.get("success") is False:
            # Every endpoint page answers success: true on success; false means it did not act.
            raise KalturaRequestRejected(
                f"Kaltura did not carry out {route} (Kaltura: {server_text}).", server_text,
                response.status_code,
            )
        return body

    def _scrub(self, text: str, session: AvatarSession | None) -> str:
        for secret in (self.ks, session.token if session else None):
            if secret and secret.reveal():
                text = text.replace(secret.reveal(), "********")
        return text


