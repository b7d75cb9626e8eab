"""The Documenten API a zaakinformatieobject points into: another component, configured, not trusted blindly.

As Open Zaak validates a URL into an external component: the ``informatieobject`` must lie under a configured
Documenten API (else ``bad-url``), must answer 200 when fetched with the suite's credentials (else ``bad-url``),
and must look like an EnkelvoudigInformatieObject, with a ``url`` and an ``informatieobjecttype`` (else
``invalid-resource``). Nothing is stored when any of that fails.

The relation is two-sided (the standard's rule): once a zaak- or besluitinformatieobject is stored, the Documenten
API is told with an objectinformatieobject, and when it goes, that one is removed. The suite's own Documenten
API is reached inside the suite (``documenten_url``), with an auth context signed with the internal secret;
another one with a ZGW JWT of ``documenten_client_id``.
"""

from __future__ import annotations

from typing import Any

import httpx

from sds.runtime.auth import Autorisatie
from sds.runtime.errors import ValidatieFout
from sds.runtime.internal import internal_headers, internal_url
from sds.runtime.jwt_zgw import encode_jwt_zgw
from sds.runtime.scopes import DOCUMENTEN_AANMAKEN, DOCUMENTEN_LEZEN, DOCUMENTEN_VERWIJDEREN, DRC
from sds.runtime.tracing import traced_client
from services.zaken.settings import ZakenSettings

FIELD = "informatieobject"
DOCUMENTEN_PREFIX = "/documenten/api/v1"
_GRANT = Autorisatie(component=DRC, scopes=[DOCUMENTEN_LEZEN, DOCUMENTEN_AANMAKEN, DOCUMENTEN_VERWIJDEREN],
                     max_vertrouwelijkheidaanduiding="zeer_geheim")


class RelatieFout(Exception):
    """The Documenten API did not take the objectinformatieobject (or its removal); the message says why."""


class Documenten:
    def __init__(self, settings: ZakenSettings, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.roots = [root.rstrip("/") + "/" for root in settings.documenten_apis]
        self.settings = settings
        self.transport = transport

    def known(self, url: str) -> bool:
        return any(url.startswith(f"{root}enkelvoudiginformatieobjecten/") for root in self.roots)

    def _root(self, url: str) -> str:
        return next(root for root in self.roots if url.startswith(root))

    def _target(self, url: str) -> tuple[str, dict[str, str]]:
        """Where to send a request for ``url``, and with which headers."""
        if self.settings.documenten_url:
            inside = internal_url(url, self.settings.public_base_url, self.settings.documenten_url,
                                  DOCUMENTEN_PREFIX)
            if inside is not None:
                return inside, internal_headers(self.settings.internal_secret, self.settings.documenten_client_id,
                                                _GRANT)
        out = {"Accept": "application/json", "Accept-Crs": "EPSG:4326"}
        if self.settings.documenten_secret:
            token = encode_jwt_zgw(self.settings.documenten_client_id, self.settings.documenten_secret)
            out["Authorization"] = f"Bearer {token}"
        return url, out

    def _client(self) -> httpx.AsyncClient:
        return traced_client(timeout=self.settings.documenten_timeout, transport=self.transport)

    async def informatieobject(self, url: str) -> dict[str, Any]:
        """The informatieobject at ``url``, or a 400 naming why it cannot be related to a zaak."""
        if not self.roots:
            raise ValidatieFout.single(FIELD, "bad-url", "Er is geen Documenten API ingesteld voor deze Zaken API.")
        if not self.known(url):
            raise ValidatieFout.single(FIELD, "bad-url",
                                       "Het informatieobject ligt niet in een ingestelde Documenten API.")
        target, headers = self._target(url)
        try:
            async with self._client() as client:
                response = await client.get(target, headers=headers)
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

    async def _call(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        target, headers = self._target(url)
        try:
            async with self._client() as client:
                return await client.request(method, target, headers=headers, **kwargs)
        except httpx.HTTPError as exc:
            raise RelatieFout(f"De Documenten API is niet bereikbaar ({type(exc).__name__}).") from None

    async def create_oio(self, informatieobject: str, obj: str, object_type: str) -> None:
        """Register the relation in the Documenten API of ``informatieobject``. Called once the zaak- or
        besluitinformatieobject is committed: the Documenten API checks that it exists."""
        response = await self._call("POST", f"{self._root(informatieobject)}objectinformatieobjecten", json={
            "informatieobject": informatieobject, "object": obj, "objectType": object_type})
        if response.status_code != 201:
            raise RelatieFout(f"De Documenten API nam de relatie niet aan (HTTP {response.status_code}).")

    async def delete_oio(self, informatieobject: str, obj: str) -> None:
        """Remove the relation's objectinformatieobject, once the zaak- or besluitinformatieobject is gone (the
        Documenten API checks that it is); none there is fine."""
        if not self.known(informatieobject):
            return
        response = await self._call("GET", f"{self._root(informatieobject)}objectinformatieobjecten", params={
            "informatieobject": informatieobject, "object": obj})
        try:
            found = response.json() if response.status_code == 200 else None
        except ValueError:
            found = None
        if not isinstance(found, list):
            raise RelatieFout(f"De Documenten API gaf de relatie niet (HTTP {response.status_code}).")
        for oio in found:
            if not isinstance(oio, dict) or not isinstance(oio.get("url"), str):
                raise RelatieFout("De Documenten API gaf een relatie zonder url.")
            response = await self._call("DELETE", oio["url"])
            if response.status_code not in (204, 404):
                raise RelatieFout(f"De Documenten API verwijderde de relatie niet (HTTP {response.status_code}).")
