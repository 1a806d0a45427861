"""The HTTP half of WHEP: POST an SDP offer for a viewer, DELETE the viewer's resource.

Used by :class:`~.whep.WhepReceiver`, which owns the peer connection and decides when to ask
for a viewer and when to release one; this module only speaks to the WHEP endpoint and turns
its answers into the :mod:`._whep_parts` errors. The offer is sent with nothing but
``Content-Type: application/sdp``, as the Kaltura SDK's ``whep.js`` does.
"""

from __future__ import annotations

import logging

import httpx

from ._http import retry_after_seconds, transport_reason
from ._whep_parts import WhepNetworkError, unreadable_answer, whep_error_for, whep_resource_url

log = logging.getLogger(__name__)
DELETE_TIMEOUT = 3.0
"""Seconds a DELETE may take (the SDK's ``WHEP_RELEASE_TIMEOUT_MS``)."""


class WhepSignalling:
    """Offers and releases of viewers at one WHEP endpoint, over one httpx client."""

    def __init__(
        self,
        whep_url: str,
        *,
        timeout: float,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        """Create the HTTP client (no request is sent yet).

        Args:
            whep_url: The WHEP endpoint that offers are POSTed to.
            timeout: Seconds for each request (a DELETE gets :data:`DELETE_TIMEOUT`).
            transport: httpx transport, injectable for tests.
        """
        self.whep_url = whep_url
        self._http = httpx.AsyncClient(timeout=timeout, transport=transport)

    async def post_offer(self, sdp: str) -> tuple[str, str | None]:
        """POST the SDP offer; return the SDP answer and the viewer's resource URL.

        A 201 whose body is not SDP is an error; its resource is deleted first, so the
        viewer it granted is not left taken.

        Returns:
            ``(answer, resource)``; ``resource`` is ``None`` when no ``Location`` came.

        Raises:
            WhepNetworkError: The endpoint cannot be reached.
            WhepProtocolError: 201 without an SDP answer.
            WhepError: Any other answer, by status (404, 409, 415...).
        """
        try:
            response = await self._http.post(
                self.whep_url, content=sdp.encode(), headers={"Content-Type": "application/sdp"}
            )
        except httpx.TransportError as exc:
            raise WhepNetworkError(
                f"Cannot reach the avatar's media server ({transport_reason(exc)}); check your "
                "connection and try again."
            ) from exc
        status = response.status_code
        if status == 201:
            location = response.headers.get("Location")
            resource = whep_resource_url(location, self.whep_url) if location else None
            if not response.text.lstrip().startswith("v=0"):
                if resource is not None:
                    await self.delete(resource)
                raise unreadable_answer(status)
            return response.text, resource
        raise whep_error_for(status, retry_after_seconds(response))

    async def delete(self, url: str) -> bool:
        """DELETE a WHEP resource (bounded like the SDK's 3 s release); whether it is gone."""
        try:
            response = await self._http.delete(url, timeout=DELETE_TIMEOUT)
        except httpx.HTTPError as exc:
            log.info("whep DELETE failed: %s", type(exc).__name__)
            return False
        if response.status_code >= 400 and response.status_code != 404:
            log.info("whep DELETE answered %s", response.status_code)
            return False
        return True

    async def aclose(self) -> None:
        """Close the HTTP client."""
        await self._http.aclose()
