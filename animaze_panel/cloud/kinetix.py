"""Kinetix User-Generated Emote API: one async httpx client, typed results, mapped errors.

Spec: ``shared/specs/kinetix-api-routes.txt`` plus the facts of Kinetix's public SDKs (every call
sends ``x-api-key``; ``POST /v1/process`` also sends ``x-api-token``). One long-lived
:class:`KinetixClient` per panel; its transport is injectable and it must be closed on quit.

* Idempotent GETs retry transient failures with backoff (:mod:`._http`); POSTs are sent once.
* The video is streamed from disk with an upload-progress callback; cancelling the awaiting task
  aborts the upload.
* Emote files are downloaded by a plain GET of their URL, *without* the API key (they live on a
  CDN, and the key must never leave for another host).

Exceptions (every one keeps the server's text in ``server_message``; none contains a secret)::

    KinetixError
     ├── KinetixInputError          bad input refused before any request (names the field)
     ├── KinetixAuthError           401: the API key is missing or wrong
     ├── KinetixNotAuthorized       403: the key may not do this
     │    └── KinetixValidationDisabled  403 on validate/retake: flow not enabled for the game
     ├── KinetixNotFound            404
     │    └── KinetixTokenExpired   the token was used or has expired
     ├── KinetixRequestRejected     other 4xx: the server refused the request's content
     ├── KinetixRateLimited         429 (``retry_after`` seconds when given)
     ├── KinetixServerError         5xx
     ├── KinetixProtocolError       an answer that is not the documented JSON
     └── KinetixNetworkError        connection failed or dropped
          └── KinetixTimeout        no answer in time
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

import httpx

from ..secrets import Secret
from ._http import (
    MultipartFile,
    ProgressCallback,
    RetryPolicy,
    error_message,
    retry_after_seconds,
    run_blocking,
    send_with_retry,
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

DEFAULT_BASE_URL = "https://sdk-api.kinetix.tech"
T = TypeVar("T")

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
    "KinetixProtocolError",
    "KinetixRateLimited",
    "KinetixRequestRejected",
    "KinetixServerError",
    "KinetixTimeout",
    "KinetixTokenExpired",
    "KinetixValidationDisabled",
]


class KinetixAuthError(KinetixError):
    """401: the API key is missing or not valid."""


class KinetixNotAuthorized(KinetixError):
    """403: the API key is valid but may not do this."""


class KinetixValidationDisabled(KinetixNotAuthorized):
    """403 on validate/retake: the validation flow is not enabled for this game."""


class KinetixNotFound(KinetixError):
    """404: no such process, token, emote or route."""


class KinetixTokenExpired(KinetixNotFound):
    """The process token was already used or has expired (they live about 5 minutes)."""


class KinetixRequestRejected(KinetixError):
    """Another 4xx: the server refused what was sent."""


class KinetixRateLimited(KinetixError):
    """429: too many calls; ``retry_after`` is the server's hint in seconds, if any."""

    def __init__(self, message: str, server_message: str, retry_after: float | None):
        """Build the error with the server's ``Retry-After`` hint."""
        super().__init__(message, server_message, 429)
        self.retry_after = retry_after


class KinetixServerError(KinetixError):
    """5xx: Kinetix failed."""


class KinetixProtocolError(KinetixError):
    """The answer was not the documented JSON."""


class KinetixNetworkError(KinetixError):
    """The connection failed or dropped."""


class KinetixTimeout(KinetixNetworkError):
    """Kinetix did not answer in time."""


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
        self.api_key = api_key
        self._sleep = sleep
        self._http = httpx.AsyncClient(
            base_url=self.config.base_url.rstrip("/"),
            timeout=httpx.Timeout(self.config.timeout),
            transport=transport,
            follow_redirects=False,
        )

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
        body = await self._json("POST", "/v1/plans", json={})
        return [_parse(Plan.from_wire, item) for item in _as_list(body)]

    async def create_token(self, user_id: str) -> ProcessToken:
        """``GET /v1/process/token``: a ~5 minute token whose ``url`` the player's QR encodes."""
        _require("user id", user_id)
        body = await self._json("GET", "/v1/process/token", params={"userId": user_id})
        return _parse(ProcessToken.from_wire, body)

    async def get_token_status(self, token: ProcessToken | str) -> TokenStatus:
        """``GET /v1/process/token/{uuid}``.

        Raises:
            KinetixTokenExpired: The token was used or has expired.
        """
        uuid = token.uuid if isinstance(token, ProcessToken) else token
        body = await self._json("GET", f"/v1/process/token/{_seg(uuid)}", not_found=_token_gone)
        return _parse(TokenStatus.from_wire, body)

    async def create_process(
        self,
        token: ProcessToken,
        submission: EmoteSubmission,
        progress: ProgressCallback | None = None,
    ) -> Process:
        """``POST /v1/process``: stream the video and start the emote; never retried.

        Args:
            token: A fresh token from :meth:`create_token` or :meth:`retake_process`.
            submission: Video, name, mature flag and start/end (already validated).
            progress: Called with ``(sent, total)`` file bytes while uploading.

        Raises:
            KinetixInputError: The submission is invalid (checked before any byte is sent).
            KinetixTokenExpired: The token was used or has expired.
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
            raise _transport_error(exc) from exc
        except OSError as exc:
            raise KinetixInputError("video", f"Reading the video failed: {exc}") from exc
        return _parse(Process.from_wire, self._decode(response, not_found=_token_gone))

    async def get_process(self, process_uuid: str) -> Process:
        """``GET /v1/process/{uuid}``: step, progression and ML details."""
        body = await self._json("GET", f"/v1/process/{_seg(process_uuid)}")
        return _parse(Process.from_wire, body)

    async def validate_process(self, process_uuid: str) -> Process:
        """``POST /v1/process/{uuid}/validate``: accept the generated emote.

        Raises:
            KinetixValidationDisabled: The validation flow is not enabled for the game.
        """
        path = f"/v1/process/{_seg(process_uuid)}/validate"
        body = await self._json("POST", path, forbidden=_validation_disabled)
        return _parse(Process.from_wire, body)

    async def retake_process(self, process_uuid: str) -> ProcessToken:
        """``POST /v1/process/{uuid}/retake``: reject the emote; returns a new token.

        Raises:
            KinetixValidationDisabled: The validation flow is not enabled for the game.
        """
        path = f"/v1/process/{_seg(process_uuid)}/retake"
        body = await self._json("POST", path, forbidden=_validation_disabled)
        return _parse(ProcessToken.from_wire, body)

    async def get_dev_token_qr(self, user_id: str) -> bytes:
        """``GET /v1/process/dev-token``: a PNG QR code (absent on some deployments).

        Raises:
            KinetixNotFound: The deployment has no dev-token route.
        """
        _require("user id", user_id)
        response = await self._get("/v1/process/dev-token", params={"userId": user_id})
        self._check(response)
        if not response.content.startswith(b"\x89PNG"):
            raise KinetixProtocolError("Kinetix's dev-token answer is not a PNG image")
        return response.content

    async def list_user_processes(self, user_id: str) -> list[Process]:
        """``GET /v2/users/{id}/processes``: the user's processes, newest first."""
        _require("user id", user_id)
        body = await self._json("GET", f"/v2/users/{_seg(user_id)}/processes")
        if isinstance(body, dict):
            body = body.get("data", body.get("processes", body))
        return [_parse(Process.from_wire, item) for item in _as_list(body)]

    async def get_emote(self, emote_uuid: str) -> Emote:
        """``GET /v1/emotes/{uuid}``: the emote's files (thumbnails, animations)."""
        body = await self._json("GET", f"/v1/emotes/{_seg(emote_uuid)}")
        return _parse(Emote.from_wire, body)

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
        target = folder / safe_filename(filename)
        partial = target.with_name(target.name + ".part")

        async def attempt() -> httpx.Response:
            # A plain GET: no x-api-key (the file host is not Kinetix's API).
            async with self._http.stream("GET", url) as response:
                if response.status_code != 200:
                    await response.aread()
                    return response
                total = int(response.headers.get("content-length", 0))
                received = 0
                with open(partial, "wb") as out:
                    async for chunk in response.aiter_bytes(self.config.chunk_size):
                        await run_blocking(out.write, chunk)
                        received += len(chunk)
                        if progress is not None:
                            progress(received, total)
                return response

        try:
            response = await send_with_retry(attempt, self.config.retry, self._sleep)
            self._check(response)
            partial.replace(target)
        except httpx.TransportError as exc:
            raise _transport_error(exc) from exc
        finally:
            partial.unlink(missing_ok=True)
        return target

    # -- plumbing ---------------------------------------------------------------------------

    def _headers(self) -> dict[str, str]:
        if not self.api_key:
            raise KinetixAuthError("No Kinetix API key is set", status=None)
        return {"x-api-key": self.api_key.reveal(), "Accept": "application/json"}

    async def _get(self, path: str, params: dict[str, str] | None = None) -> httpx.Response:
        headers = self._headers()

        async def once() -> httpx.Response:
            return await self._http.get(path, params=params, headers=headers)

        try:
            return await send_with_retry(once, self.config.retry, self._sleep)
        except httpx.TransportError as exc:
            raise _transport_error(exc) from exc

    async def _json(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, str] | None = None,
        json: Any = None,
        not_found: Callable[[str], KinetixError] | None = None,
        forbidden: Callable[[str], KinetixError] | None = None,
    ) -> Any:
        if method == "GET":
            response = await self._get(path, params)
        else:
            try:
                response = await self._http.request(
                    method, path, params=params, json=json, headers=self._headers()
                )
            except httpx.TransportError as exc:
                raise _transport_error(exc) from exc
        return self._decode(response, not_found=not_found, forbidden=forbidden)

    def _decode(
        self,
        response: httpx.Response,
        not_found: Callable[[str], KinetixError] | None = None,
        forbidden: Callable[[str], KinetixError] | None = None,
    ) -> Any:
        self._check(response, not_found=not_found, forbidden=forbidden)
        try:
            return response.json()
        except ValueError as exc:
            raise KinetixProtocolError(
                "Kinetix sent an answer the panel cannot read (not JSON)", status=200
            ) from exc

    @staticmethod
    def _check(
        response: httpx.Response,
        not_found: Callable[[str], KinetixError] | None = None,
        forbidden: Callable[[str], KinetixError] | None = None,
    ) -> None:
        status = response.status_code
        if status < 400:
            return
        text = error_message(response)
        if status == 401:
            raise KinetixAuthError(f"Kinetix rejected the API key ({text})", text, status)
        if status == 403:
            if forbidden is not None:
                raise forbidden(text)
            raise KinetixNotAuthorized(f"Kinetix refused: the key is not allowed ({text})",
                                       text, status)
        if status == 404:
            if not_found is not None:
                raise not_found(text)
            raise KinetixNotFound(f"Kinetix has no such resource ({text})", text, status)
        if status == 429:
            hint = retry_after_seconds(response)
            wait = f"; retry in {hint:g} s" if hint is not None else ""
            raise KinetixRateLimited(f"Too many Kinetix calls{wait} ({text})", text, hint)
        if status >= 500:
            raise KinetixServerError(f"Kinetix failed (HTTP {status}: {text})", text, status)
        raise KinetixRequestRejected(f"Kinetix refused the request ({text})", text, status)


def _token_gone(text: str) -> KinetixError:
    return KinetixTokenExpired(
        f"The emote token was already used or has expired; generate a new one ({text})", text, 404
    )


def _validation_disabled(text: str) -> KinetixError:
    return KinetixValidationDisabled(
        "Validate/retake is not enabled for this game; ask Kinetix to activate the "
        f"validation flow ({text})",
        text,
        403,
    )


def _transport_error(exc: httpx.TransportError) -> KinetixError:
    if isinstance(exc, httpx.TimeoutException):
        return KinetixTimeout("Kinetix did not answer in time; check the connection and retry")
    return KinetixNetworkError(f"Cannot reach Kinetix ({type(exc).__name__}: {exc})")


def _seg(value: str) -> str:
    """Quote one path segment so an id can never change the route."""
    return quote(value, safe="")


def _require(field: str, value: str) -> None:
    if not value.strip():
        raise KinetixInputError(field, f"The {field} is empty")


def _parse(from_wire: Callable[[dict[str, Any]], T], body: Any) -> T:
    """Decode one JSON object with ``from_wire``; any shape error is a protocol error."""
    if not isinstance(body, dict):
        raise KinetixProtocolError("Kinetix sent an answer the panel cannot read (not an object)")
    try:
        return from_wire(body)
    except (KeyError, TypeError, ValueError) as exc:
        raise KinetixProtocolError(
            f"Kinetix sent an answer the panel cannot read (bad field {exc})"
        ) from exc


def _as_list(body: Any) -> list[Any]:
    if not isinstance(body, list):
        raise KinetixProtocolError("Kinetix sent an answer the panel cannot read (not a list)")
    return body
