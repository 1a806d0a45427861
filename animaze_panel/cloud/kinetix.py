"""Kinetix User-Generated Emote API: one async httpx client, typed results, mapped errors.

Spec: ``shared/specs/kinetix-api-routes.txt`` plus the facts of Kinetix's public SDKs (every call
sends ``x-api-key``; ``POST /v1/process`` also sends ``x-api-token``). One long-lived
:class:`KinetixClient` per panel; its transport is injectable and it must be closed on quit.

* Idempotent GETs retry transient failures with backoff (:mod:`._http`); POSTs are sent once.
* The video is streamed from disk with an upload-progress callback; cancelling the awaiting task
  aborts the upload.
* Emote files are downloaded by a plain GET of their URL, *without* the API key (they live on a
  CDN, and the key must never leave for another host): :mod:`.kinetix_download`.

Before the first token for a user id the client registers it (``POST /v1/virtual-world/users``;
409 "already exists" is fine), as Kinetix's own SDKs do (``git-kinetix/kinetix-fivem``
``kinetix_mod/server/core.lua``, ``git-kinetix/kinetix-unity-sdk-coreweb2``
``Runtime/Managers/AccountManager.cs``): the token route answers 404 "User not found" otherwise.

Errors are mapped in :mod:`.kinetix_errors` (re-exported here), by route, code and message;
answers are checked and decoded into :mod:`.kinetix_models` by :mod:`.kinetix_wire`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from ..secrets import Secret
from ._http import MultipartFile, ProgressCallback, RetryPolicy, send_with_retry
from .kinetix_download import download_file
from .kinetix_errors import (
    KinetixAuthError,
    KinetixNetworkError,
    KinetixNotAuthorized,
    KinetixNotFound,
    KinetixProcessNotReady,
    KinetixProtocolError,
    KinetixRateLimited,
    KinetixRequestRejected,
    KinetixRetakeLimit,
    KinetixServerError,
    KinetixTimeout,
    KinetixTokenExpired,
    KinetixUgcDisabled,
    KinetixUserNotFound,
    KinetixValidationDisabled,
    Route,
    transport_error,
)
from .kinetix_models import (
    Emote,
    EmoteSubmission,
    KinetixError,
    KinetixInputError,
    Plan,
    Process,
    ProcessToken,
    TokenStatus,
    safe_filename,
)
from .kinetix_wire import as_list, decode_json, parse, path_segment

DEFAULT_BASE_URL = "https://sdk-api.kinetix.tech"

__all__ = [
    "DEFAULT_BASE_URL",
    "KinetixAuthError",
    "KinetixClient",
    "KinetixConfig",
    "KinetixError",
    "KinetixInputError",
    "KinetixNetworkError",
    "KinetixNotAuthorized",
    "KinetixNotFound",
    "KinetixProcessNotReady",
    "KinetixProtocolError",
    "KinetixRateLimited",
    "KinetixRequestRejected",
    "KinetixRetakeLimit",
    "KinetixServerError",
    "KinetixTimeout",
    "KinetixTokenExpired",
    "KinetixUgcDisabled",
    "KinetixUserNotFound",
    "KinetixValidationDisabled",
]


@dataclass(frozen=True)
class KinetixConfig:
    """Where and how patiently to talk to Kinetix.

    Attributes:
        base_url: API root, e.g. ``https://sdk-api.kinetix.tech`` or the fake server's URL.
        timeout: Seconds to wait for connect/read/write of one step of a request.
        retry: Retry policy of idempotent GETs.
        chunk_size: Bytes per upload chunk read from disk.
    """

    base_url: str = DEFAULT_BASE_URL
    timeout: float = 30.0
    retry: RetryPolicy = RetryPolicy()
    chunk_size: int = 1024 * 1024


_Sleep = Callable[[float], Awaitable[None]]


class KinetixClient:
    """Async client of every Kinetix UGE route used by the panel."""

    def __init__(
        self,
        config: KinetixConfig | None = None,
        api_key: Secret | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: _Sleep = asyncio.sleep,
    ) -> None:
        """Create the client (no connection is opened until the first call).

        Args:
            config: Base URL, timeouts and retry policy.
            api_key: The game API key; it can be set later through :attr:`api_key`.
            transport: httpx transport, injectable for tests.
            sleep: Pause used between retries.
        """
        self.config = config or KinetixConfig()
        self._api_key = api_key
        self._registered: set[str] = set()  # user ids known to the game of the current key
        self._sleep = sleep
        self._http = httpx.AsyncClient(
            base_url=self.config.base_url.rstrip("/"),
            timeout=httpx.Timeout(self.config.timeout),
            transport=transport,
            follow_redirects=False,
        )

    @property
    def api_key(self) -> Secret | None:
        """The game API key (another key may belong to another game: registrations reset)."""
        return self._api_key

    @api_key.setter
    def api_key(self, key: Secret | None) -> None:
        if key != self._api_key:
            self._registered.clear()
        self._api_key = key

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()

    async def __aenter__(self) -> KinetixClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"KinetixClient(base_url={self.config.base_url!r}, api_key={self.api_key!r})"

    # -- routes -----------------------------------------------------------------------------

    async def get_plans(self) -> list[Plan]:
        """``POST /v1/plans``: the game's subscription plan(s)."""
        body = await self._json("POST", "/v1/plans", Route.PLANS, json={})
        return [parse(Plan.from_wire, item) for item in as_list(body)]

    async def register_user(self, user_id: str) -> bool:
        """``POST /v1/virtual-world/users {"id"}``: make ``user_id`` known to the game.

        Returns:
            ``True`` when it was created, ``False`` when it already existed (409
            ``alreadyExists``, ``controllers/virtualWorld.js`` createUser).
        """
        _require("user id", user_id)
        try:
            await self._json("POST", "/v1/virtual-world/users", Route.REGISTER,
                             json={"id": user_id})
        except KinetixRequestRejected as exc:
            if exc.status == 409 and (exc.code == "alreadyExists"
                                      or exc.server_message == "User already exists"):
                self._registered.add(user_id)
                return False
            raise
        self._registered.add(user_id)
        return True

    async def ensure_user(self, user_id: str) -> None:
        """Register ``user_id`` unless this client already did (or learnt it exists)."""
        if user_id not in self._registered:
            await self.register_user(user_id)

    async def create_token(self, user_id: str) -> ProcessToken:
        """``GET /v1/process/token``: a ~5 minute token whose ``url`` the player's QR encodes.

        The user id is registered first when this client has not done so yet.
        """
        _require("user id", user_id)
        await self.ensure_user(user_id)
        params = {"userId": user_id}
        try:
            body = await self._json("GET", "/v1/process/token", Route.TOKEN, params=params)
        except KinetixUserNotFound:
            # Registered earlier through another key or deleted since: register once more.
            self._registered.discard(user_id)
            await self.register_user(user_id)
            body = await self._json("GET", "/v1/process/token", Route.TOKEN, params=params)
        return parse(ProcessToken.from_wire, body)

    async def get_token_status(self, token: ProcessToken | str) -> TokenStatus:
        """``GET /v1/process/token/{uuid}``.

        Raises:
            KinetixTokenExpired: The token was used or has expired (404).
        """
        uuid = token.uuid if isinstance(token, ProcessToken) else token
        path = f"/v1/process/token/{path_segment(uuid)}"
        body = await self._json("GET", path, Route.TOKEN_STATUS)
        return parse(TokenStatus.from_wire, body)

    async def create_process(
        self,
        token: ProcessToken,
        submission: EmoteSubmission,
        progress: ProgressCallback | None = None,
    ) -> Process:
        """``POST /v1/process``: stream the video and start the emote; never retried.

        Any attempt that reaches Kinetix uses the token up, whatever the answer
        (``middlewares/tokenAuth.js`` deletes it first): take a fresh token for the next one.

        Args:
            token: A fresh token from :meth:`create_token` or :meth:`retake_process`.
            submission: Video, name, mature flag and start/end (already validated).
            progress: Called with ``(sent, total)`` file bytes while uploading.

        Raises:
            KinetixInputError: The submission is invalid (checked before any byte is sent).
            KinetixTokenExpired: The token was used or has expired (403 ``wrongToken``).
        """
        submission.validate()
        try:
            body = MultipartFile(
                submission.fields(),
                "video",
                submission.video,
                progress=progress,
                chunk_size=self.config.chunk_size,
            )
        except OSError as exc:
            raise KinetixInputError("video", f"Cannot read the video: {exc.strerror}") from exc
        headers = {**self._headers(), **body.headers(), "x-api-token": token.uuid}
        try:
            response = await self._http.request(
                "POST", "/v1/process", content=body, headers=headers
            )
        except httpx.TransportError as exc:
            raise transport_error(exc) from exc
        except OSError as exc:
            raise KinetixInputError("video", f"Reading the video failed: {exc}") from exc
        return parse(Process.from_wire, decode_json(response, Route.UPLOAD))

    async def get_process(self, process_uuid: str) -> Process:
        """``GET /v1/process/{uuid}``: step, progression and ML details."""
        body = await self._json("GET", f"/v1/process/{path_segment(process_uuid)}", Route.PROCESS)
        return parse(Process.from_wire, body)

    async def validate_process(self, process_uuid: str) -> Process:
        """``POST /v1/process/{uuid}/validate``: accept the generated emote.

        Raises:
            KinetixValidationDisabled: The validation flow is not enabled for the game.
            KinetixProcessNotReady: The emote is not done yet.
        """
        path = f"/v1/process/{path_segment(process_uuid)}/validate"
        body = await self._json("POST", path, Route.VALIDATE, json={})
        return parse(Process.from_wire, body)

    async def retake_process(self, process_uuid: str) -> ProcessToken:
        """``POST /v1/process/{uuid}/retake``: reject the emote; returns a new token.

        Raises:
            KinetixValidationDisabled: The validation flow is not enabled for the game.
            KinetixRetakeLimit: The emote has no retakes left.
        """
        path = f"/v1/process/{path_segment(process_uuid)}/retake"
        body = await self._json("POST", path, Route.RETAKE, json={})
        return parse(ProcessToken.from_wire, body)

    async def list_user_processes(self, user_id: str) -> list[Process]:
        """``GET /v2/users/{id}/processes``: the user's processes, newest first.

        A user id that was never registered has made nothing: an empty list.
        """
        _require("user id", user_id)
        path = f"/v2/users/{path_segment(user_id)}/processes"
        try:
            body = await self._json("GET", path, Route.USER_PROCESSES)
        except KinetixUserNotFound:
            return []
        if isinstance(body, dict):
            body = body.get("data", body.get("processes", body))
        return [parse(Process.from_wire, item) for item in as_list(body)]

    async def get_emote(self, emote_uuid: str) -> Emote:
        """``GET /v1/emotes/{uuid}``: the emote's files (thumbnails, animations)."""
        body = await self._json("GET", f"/v1/emotes/{path_segment(emote_uuid)}", Route.EMOTE)
        return parse(Emote.from_wire, body)

    async def download(
        self, url: str, folder: Path, filename: str, progress: ProgressCallback | None = None
    ) -> Path:
        """Download ``url`` into ``folder`` (streamed; no API key sent).

        Args:
            url: Absolute file URL from :meth:`get_emote`.
            folder: Existing destination folder.
            filename: Wanted file name; sanitised so it cannot leave ``folder``.
            progress: Called with ``(received, total)``; ``total`` is 0 when unknown.

        Returns:
            The written file's path.
        """
        return await download_file(
            self._http, url, folder / safe_filename(filename), chunk_size=self.config.chunk_size,
            retry=self.config.retry, sleep=self._sleep, progress=progress)

    # -- plumbing ---------------------------------------------------------------------------

    def _headers(self) -> dict[str, str]:
        if not self.api_key:
            raise KinetixAuthError("No Kinetix API key is set; enter the game API key",
                                   status=None)
        # The route list gives every call "Content-Type: application/json" (the upload
        # replaces it with its multipart type).
        return {"x-api-key": self.api_key.reveal(), "Accept": "application/json",
                "Content-Type": "application/json"}

    async def _json(
        self,
        method: str,
        path: str,
        route: Route,
        *,
        params: dict[str, str] | None = None,
        json: Any = None,
    ) -> Any:
        headers = self._headers()
        try:
            if method == "GET":
                async def once() -> httpx.Response:
                    return await self._http.get(path, params=params, headers=headers)

                response = await send_with_retry(once, self.config.retry, self._sleep)
            else:
                response = await self._http.request(
                    method, path, params=params, json=json, headers=headers
                )
        except httpx.TransportError as exc:
            raise transport_error(exc) from exc
        return decode_json(response, route)


def _require(field: str, value: str) -> None:
    if not value.strip():
        raise KinetixInputError(field, f"The {field} is empty")
