"""Akool streaming-avatar OpenAPI: one async httpx client, typed results, mapped errors.

Spec: ``shared/specs/akool-streaming-avatar-api.txt``, with Akool's docs (docs.akool.com:
authentication, live-avatar pages) and its public React demo (``src/apiService.ts``) for what the
spec leaves out. One long-lived :class:`AkoolClient` per panel; close it on quit.

* Authentication (docs, "Authentication / Usage"): either a client ID + secret exchanged once
  for a long-lived token (``POST /api/open/v3/getToken`` -> ``{"code": 1000, "token"}``, then
  ``Authorization: Bearer``), or the API key sent as ``x-api-key``. The token is cached; an
  answer with code 1101 (token invalid/expired) makes the client fetch a new token **once** and
  send the request again (1101 means nothing was done); a second 1101 is reported.
* Every answer is ``{code, msg, data}``; only ``code == 1000`` is success. Other codes become
  the typed errors of :mod:`.akool_errors`; non-2xx statuses are handled too.
* Idempotent GETs retry transient failures (429/5xx/connection) with backoff (:mod:`._http`);
  POSTs are sent once (a repeated create would open and charge a second session).
* Credentials are :class:`~animaze_panel.secrets.Secret` values read from the keyring by the
  caller; they appear only in request headers/body, never in ``repr``, logs or exception text.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx

from ..secrets import Secret
from ._http import RetryPolicy, send_with_retry, transport_reason
from .akool_errors import (
    SUCCESS,
    AkoolAuthMissing,
    AkoolAvatarFailed,
    AkoolInputError,
    AkoolNetworkError,
    AkoolTimeout,
    error_for_code,
)
from .akool_models import (
    MAX_PAGE_SIZE,
    AvatarPage,
    AvatarStatus,
    AvatarUpload,
    AvatarUploadRequest,
    Language,
    Session,
    SessionOptions,
    SessionPage,
    SessionStatus,
    Voice,
)
from .akool_wire import as_list, code_of, decode, msg_of, parse, unreadable

DEFAULT_BASE_URL = "https://openapi.akool.com"
TOKEN_INVALID = 1101

# Route paths (spec and docs; the demo's apiService.ts uses the same ones).
GET_TOKEN = "/api/open/v3/getToken"
AVATAR_CREATE = "/api/open/v3/avatar/create"
AVATAR_DETAIL = "/api/open/v3/avatar/detail"
AVATAR_LIST = "/api/open/v4/liveAvatar/avatar/list"
SESSION_CREATE = "/api/open/v4/liveAvatar/session/create"
SESSION_DETAIL = "/api/open/v4/liveAvatar/session/detail"
SESSION_CLOSE = "/api/open/v4/liveAvatar/session/close"
SESSION_LIST = "/api/open/v4/liveAvatar/session/list"
VOICE_LIST = "/api/open/v4/voice/list"
LANGUAGE_LIST = "/api/open/v3/language/list"

_Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True)
class AkoolConfig:
    """Where and how patiently to talk to Akool.

    Attributes:
        base_url: API root, ``https://openapi.akool.com`` or the fake server's URL.
        timeout: Seconds to wait for connect/read/write of one step of a request.
        retry: Retry policy of idempotent GETs.
        avatar_poll_interval: Seconds between avatar-detail polls while an upload is processed.
    """

    base_url: str = DEFAULT_BASE_URL
    timeout: float = 30.0
    retry: RetryPolicy = RetryPolicy()
    avatar_poll_interval: float = 5.0


class AkoolClient:
    """Async client of every Akool streaming-avatar route used by the panel."""

    def __init__(
        self,
        config: AkoolConfig | None = None,
        *,
        client_id: Secret | None = None,
        client_secret: Secret | None = None,
        api_key: Secret | None = None,
        token: Secret | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: _Sleep = asyncio.sleep,
    ) -> None:
        """Create the client (no connection is opened until the first call).

        Args:
            config: Base URL, timeouts and retry policy.
            client_id: Akool client ID (with ``client_secret``: token authentication).
            client_secret: Akool client secret.
            api_key: Akool API key, sent as ``x-api-key`` when no client ID/secret is set.
            token: A token saved earlier; refreshed from the client ID/secret when refused.
            transport: httpx transport, injectable for tests.
            sleep: Pause used between retries and polls.
        """
        self.config = config or AkoolConfig()
        self.client_id = client_id
        self.client_secret = client_secret
        self.api_key = api_key
        self.token = token
        self.token_fetches = 0
        self._sleep = sleep
        self._token_lock = asyncio.Lock()
        self._http = httpx.AsyncClient(
            base_url=self.config.base_url.rstrip("/"),
            timeout=httpx.Timeout(self.config.timeout),
            transport=transport,
            follow_redirects=False,
        )

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()

    async def __aenter__(self) -> AkoolClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return (f"AkoolClient(base_url={self.config.base_url!r}, client_id={self.client_id!r}, "
                f"client_secret={self.client_secret!r}, api_key={self.api_key!r}, "
                f"token={self.token!r})")

    def set_credentials(
        self,
        *,
        client_id: Secret | None = None,
        client_secret: Secret | None = None,
        api_key: Secret | None = None,
        token: Secret | None = None,
    ) -> None:
        """Replace every credential (e.g. the user saved new ones); the cached token goes too."""
        self.client_id, self.client_secret = client_id, client_secret
        self.api_key, self.token = api_key, token

    @property
    def has_credentials(self) -> bool:
        """Whether any way to authenticate is set."""
        return bool(self._can_fetch_token or self.token or self.api_key)

    @property
    def _can_fetch_token(self) -> bool:
        return bool(self.client_id and self.client_secret)

    # -- routes -----------------------------------------------------------------------------

    async def fetch_token(self) -> Secret:
        """``POST /api/open/v3/getToken``: exchange the client ID/secret for a token (cached).

        Raises:
            AkoolAuthMissing: No client ID/secret is set.
            AkoolTokenInvalid: Akool refused them.
        """
        if not (self.client_id and self.client_secret):
            raise AkoolAuthMissing(
                "No Akool client ID and secret are set. Enter them in the credentials.",
                action="Enter your Akool client ID and secret.",
            )
        body = {"clientId": self.client_id.reveal(), "clientSecret": self.client_secret.reveal()}
        response = await self._send("POST", GET_TOKEN, json=body, headers={},
                                    context="Signing in to Akool")
        answer = decode(response, "Signing in to Akool")
        code = code_of(answer)
        if code != SUCCESS:
            raise error_for_code(code, msg_of(answer), response.status_code, "Signing in to Akool")
        token = answer.get("token")
        if not token and isinstance(answer.get("data"), dict):
            token = answer["data"].get("token")  # tolerated: token under data
        if not isinstance(token, str) or not token:
            raise unreadable("no token", "Signing in to Akool", 200)
        self.token = Secret(token)
        self.token_fetches += 1
        return self.token

    async def upload_avatar(self, request: AvatarUploadRequest) -> AvatarUpload:
        """``POST /api/open/v3/avatar/create``: start making a streaming avatar from a video link.

        Raises:
            AkoolInputError: The form is invalid (checked before anything is sent).
        """
        request.validate()
        data = await self._call("POST", AVATAR_CREATE, "Uploading the avatar",
                                json=request.to_wire())
        return parse(AvatarUpload.from_wire, data)

    async def get_avatar_detail(self, record_id: str) -> AvatarUpload:
        """``GET /api/open/v3/avatar/detail?id=``: status of an uploaded avatar."""
        _require("avatar", record_id)
        data = await self._call("GET", AVATAR_DETAIL, "Checking the avatar upload",
                                params={"id": record_id})
        return parse(AvatarUpload.from_wire, data)

    async def wait_for_avatar(
        self,
        record_id: str,
        on_status: Callable[[AvatarUpload], None] | None = None,
        interval: float | None = None,
    ) -> AvatarUpload:
        """Poll the avatar detail until it is ready (status 3); cancel the task to stop.

        Args:
            record_id: ``AvatarUpload.id`` from :meth:`upload_avatar`.
            on_status: Called with every polled state.
            interval: Seconds between polls (default: the config's).

        Raises:
            AkoolAvatarFailed: Akool could not make the avatar (status 4).
        """
        pause = self.config.avatar_poll_interval if interval is None else interval
        while True:
            upload = await self.get_avatar_detail(record_id)
            if on_status is not None:
                on_status(upload)
            if upload.status is AvatarStatus.READY:
                return upload
            if upload.status is AvatarStatus.FAILED:
                said = f' (Akool said: "{upload.message}")' if upload.message else ""
                raise AkoolAvatarFailed(
                    f"Akool could not make the avatar{said}. Try a clearer video of about a "
                    "minute where the face turns only slightly.",
                    server_message=upload.message,
                )
            await self._sleep(pause)

    async def list_avatars(self, page: int = 1, size: int = MAX_PAGE_SIZE) -> AvatarPage:
        """``GET /api/open/v4/liveAvatar/avatar/list``: streaming avatars (``size`` <= 100)."""
        if page < 1:
            raise AkoolInputError("page", "The page number starts at 1")
        if not 1 <= size <= MAX_PAGE_SIZE:
            raise AkoolInputError("size", f"A page holds 1 to {MAX_PAGE_SIZE} avatars")
        data = await self._call("GET", AVATAR_LIST, "Loading the avatars",
                                params={"page": str(page), "size": str(size)})
        return parse(AvatarPage.from_wire, data)

    async def create_session(self, options: SessionOptions) -> Session:
        """``POST /api/open/v4/liveAvatar/session/create``: open a paid session; never retried.

        The whole duration is charged up front; close the session when done (see
        :mod:`.akool_sessions`, which records it so it is closed even after a crash).
        """
        options.validate()
        try:
            data = await self._call("POST", SESSION_CREATE, "Starting the session",
                                    json=options.to_wire())
        except AkoolNetworkError as exc:
            # The request may have reached Akool before the connection failed.
            raise type(exc)(
                f"{exc} Akool may have opened the session anyway: look for it in the session "
                "list and close it if it is running.",
                action="Check the session list and close any session you do not use.",
            ) from exc
        return parse(Session.from_wire, data)

    async def get_session(self, session_id: str) -> Session:
        """``GET /api/open/v4/liveAvatar/session/detail?id=``."""
        _require("session", session_id)
        data = await self._call("GET", SESSION_DETAIL, "Checking the session",
                                params={"id": session_id})
        return parse(Session.from_wire, data)

    async def close_session(self, session_id: str) -> None:
        """``POST /api/open/v4/liveAvatar/session/close {"id"}``: stop paying for a session."""
        _require("session", session_id)
        await self._call("POST", SESSION_CLOSE, "Closing the session", json={"id": session_id})

    async def list_sessions(
        self, page: int = 1, size: int = MAX_PAGE_SIZE, status: SessionStatus | None = None
    ) -> SessionPage:
        """``GET /api/open/v4/liveAvatar/session/list``, optionally filtered by status."""
        if page < 1 or size < 1:
            raise AkoolInputError("page", "The page number and size start at 1")
        params = {"page": str(page), "size": str(size)}
        if status is not None and status is not SessionStatus.UNKNOWN:
            params["status"] = str(int(status))
        data = await self._call("GET", SESSION_LIST, "Loading the sessions", params=params)
        if isinstance(data, list):
            data = {"data": data, "count": len(data)}  # tolerated: a bare list
        return parse(SessionPage.from_wire, data)

    async def list_voices(self, kind: int | None = None) -> list[Voice]:
        """``GET /api/open/v4/voice/list?support_stream=1``: voices usable in a session.

        Args:
            kind: ``1`` cloned voices, ``2`` Akool's voices, ``None`` the server's default
                (the demo's ``type`` parameter).
        """
        params = {"support_stream": "1"}
        if kind is not None:
            params["type"] = str(kind)
        data = await self._call("GET", VOICE_LIST, "Loading the voices", params=params)
        items = data.get("result", []) if isinstance(data, dict) else data
        return [parse(Voice.from_wire, item) for item in as_list(items)]

    async def list_languages(self) -> list[Language]:
        """``GET /api/open/v3/language/list`` -> ``data.lang_list[{lang_code, lang_name}]``."""
        data = await self._call("GET", LANGUAGE_LIST, "Loading the languages")
        items = data.get("lang_list", []) if isinstance(data, dict) else data
        return [parse(Language.from_wire, item) for item in as_list(items)]

    # -- plumbing ---------------------------------------------------------------------------

    async def _auth_headers(self, stale: Secret | None = None) -> dict[str, str]:
        """Return the auth header; with ``stale``, replace that refused token first."""
        if self._can_fetch_token:
            async with self._token_lock:
                # Another call may have refreshed the token while this one waited.
                if self.token is None or (stale is not None and self.token == stale):
                    await self.fetch_token()
            assert self.token is not None
            return {"Authorization": f"Bearer {self.token.reveal()}"}
        if self.token:
            return {"Authorization": f"Bearer {self.token.reveal()}"}
        if self.api_key:
            return {"x-api-key": self.api_key.reveal()}
        raise AkoolAuthMissing(
            "No Akool credentials are set. Enter a client ID and secret, or an API key.",
            action="Enter your Akool credentials.",
        )

    async def _call(
        self,
        method: str,
        path: str,
        context: str,
        *,
        params: dict[str, str] | None = None,
        json: Any = None,
    ) -> Any:
        """Send one authenticated request and return ``data`` of a successful answer."""
        headers = await self._auth_headers()
        used = self.token if "Authorization" in headers else None
        response = await self._send(method, path, params=params, json=json, headers=headers,
                                    context=context)
        answer = decode(response, context)
        code = code_of(answer)
        if code == TOKEN_INVALID and used is not None and self._can_fetch_token:
            # 1101: the token was refused, so nothing was done; one new token, one more try.
            headers = await self._auth_headers(stale=used)
            response = await self._send(method, path, params=params, json=json,
                                        headers=headers, context=context)
            answer = decode(response, context)
            code = code_of(answer)
        if code != SUCCESS:
            raise error_for_code(code, msg_of(answer), response.status_code, context)
        return answer.get("data")

    async def _send(
        self,
        method: str,
        path: str,
        *,
        headers: dict[str, str],
        params: dict[str, str] | None = None,
        json: Any = None,
        context: str = "",
    ) -> httpx.Response:
        headers = {**headers, "Accept": "application/json"}
        head = f"{context}: " if context else ""

        async def once() -> httpx.Response:
            return await self._http.request(method, path, params=params, json=json,
                                            headers=headers)

        try:
            if method == "GET":
                return await send_with_retry(once, self.config.retry, self._sleep)
            return await once()  # POSTs are never repeated
        except httpx.TimeoutException as exc:
            raise AkoolTimeout(
                f"{head}Akool did not answer in time. Check the internet connection and try "
                "again.", action="Check the internet connection and try again."
            ) from exc
        except httpx.TransportError as exc:
            raise AkoolNetworkError(
                f"{head}Cannot reach Akool ({transport_reason(exc)}). Check the internet "
                "connection and try again.", action="Check the internet connection and try again."
            ) from exc


def _require(what: str, value: str) -> None:
    if not value.strip():
        raise AkoolInputError(f"{what}_id", f"No {what} is selected")
