"""The Documenten API a zaakinformatieobject points into: an external component, configured, not trusted blindly.

As Open Zaak validates a URL into an external component: the ``informatieobject`` must lie under a configured
Documenten API (else ``bad-url``), must answer 200 when fetched with the suite's credentials (else ``bad-url``),
and must look like an EnkelvoudigInformatieObject, with a ``url`` and an ``informatieobjecttype`` (else
``invalid-resource``). Nothing is stored when any of that fails.
"""

from __future__ import annotations

from typing import Any

import httpx

from sds.runtime.errors import ValidatieFout
from sds.runtime.jwt_zgw import encode_jwt_zgw
from sds.runtime.tracing import traced_client
from services.zaken.settings import ZakenSettings

FIELD = "informatieobject"


class Documenten:
    def __init__(self, settings: ZakenSettings, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.roots = [root.rstrip("/") + "/" for root in settings.documenten_apis]
        self.settings = settings
        self.transport = transport

    def known(self, url: str) -> bool:
        return any(url.startswith(f"{root}enkelvoudiginformatieobjecten/") for root in self.roots)

    def _headers(self) -> dict[str, str]:
        out = {"Accept": "application/json", "Accept-Crs": "EPSG:4326"}
        if self.settings.documenten_secret:
            token = encode_jwt_zgw(self.settings.documenten_client_id, self.settings.documenten_secret)
            out["Authorization"] = f"Bearer {token}"
        return out

    async def informatieobject(self, url: str) -> dict[str, Any]:
        """The informatieobject at ``url``, or a 400 naming why it cannot be related to a zaak."""
        if not self.roots:
            raise ValidatieFout.single(FIELD, "bad-url", "Er is geen Documenten API ingesteld voor deze Zaken API.")
        if not self.known(url):
            raise ValidatieFout.single(FIELD, "bad-url",
                                       "Het informatieobject ligt niet in een ingestelde Documenten API.")
        try:
            async with traced_client(timeout=self.settings.documenten_timeout, transport=self.transport) as client:
                response = await client.get(url, headers=self._headers())
        except httpx.HTTPError:
            raise ValidatieFout.single(FIELD, "bad-url", "De Documenten API is niet bereikbaar.") from None
        if response.status_code != 200:
            raise ValidatieFout.single(FIELD, "bad-url",
                                       f"Het informatieobject is niet op te halen (HTTP {response.status_code}).")
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict) or not body.get("url") or not body.get("informatieobjecttype"):
            raise ValidatieFout.single(FIELD, "invalid-resource", "De URL wijst niet naar een informatieobject.")
        return body
