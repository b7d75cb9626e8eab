"""What the Documenten API asks of the zaken service: an informatieobjecttype and the kolom of its catalogus
(Catalogi API), and whether a zaak's or besluit's relation to a document exists (Zaken API, Besluiten API) — the
other side of an objectinformatieobject.

As Open Zaak treats a Catalogi or Zaken API of another component: a reference must be a resource of the suite
(``bad-url``), must answer when fetched (``bad-url``) and must look like what it names (``invalid-resource``).
"""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import Request

from sds.runtime.auth import Autorisatie
from sds.runtime.errors import ValidatieFout
from sds.runtime.internal import internal_headers, internal_url
from sds.runtime.scopes import BESLUITEN_LEZEN, BRC, CATALOGI_LEZEN, ZAKEN_LEZEN, ZRC, ZTC
from sds.runtime.tracing import traced_client

CLIENT_ID = "sds-documenten"
CATALOGI = "/catalogi/api/v1"
PREFIXES = {"zaak": "/zaken/api/v1", "besluit": "/besluiten/api/v1"}
_GRANTS = (Autorisatie(component=ZTC, scopes=[CATALOGI_LEZEN]),
           Autorisatie(component=ZRC, scopes=[ZAKEN_LEZEN], max_vertrouwelijkheidaanduiding="zeer_geheim"),
           Autorisatie(component=BRC, scopes=[BESLUITEN_LEZEN]))


class Zaken:
    def __init__(self, settings: Any, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.settings = settings
        self.client = traced_client(timeout=settings.upstream_timeout, transport=transport)
        # A catalogus keeps its kolom (the Catalogi API changes no catalogus), so it is asked once per process.
        self.kolommen: dict[str, str] = {}

    async def close(self) -> None:
        await self.client.aclose()

    def _internal(self, url: str, prefix: str) -> str | None:
        return internal_url(url, self.settings.public_base_url, self.settings.zaken_url, prefix)

    async def _get(self, url: str, field: str, *, params: dict[str, str] | None = None,
                   code: str = "bad-url") -> httpx.Response:
        try:
            return await self.client.get(url, params=params, headers=internal_headers(
                self.settings.internal_secret, CLIENT_ID, *_GRANTS))
        except httpx.HTTPError:
            raise ValidatieFout.single(field, code, "De zaken-dienst is niet bereikbaar.") from None

    async def _catalogi(self, url: str, collection: str, field: str, not_ours: str) -> httpx.Response:
        """GET ``url`` when it is a resource of ``collection`` in this suite's Catalogi API; else a 400 ``not_ours``."""
        target = self._internal(url, CATALOGI)
        if target is None or collection not in url:
            raise ValidatieFout.single(field, "bad-url", not_ours)
        return await self._get(target, field)

    async def informatieobjecttype(self, url: str) -> dict[str, Any]:
        """The informatieobjecttype at ``url``, or a 400 naming why a document cannot be of it."""
        field = "informatieobjecttype"
        response = await self._catalogi(url, "/informatieobjecttypen/", field, "Het informatieobjecttype is geen "
                                        "informatieobjecttype van de Catalogi API van deze suite.")
        if response.status_code != 200:
            raise ValidatieFout.single(field, "bad-url",
                                       f"Het informatieobjecttype is niet op te halen (HTTP {response.status_code}).")
        body = _json(response)
        if not isinstance(body, dict) or not body.get("url") or "vertrouwelijkheidaanduiding" not in body:
            raise ValidatieFout.single(field, "invalid-resource", "De URL wijst niet naar een informatieobjecttype.")
        if body.get("concept"):
            raise ValidatieFout.single(field, "not-published", "Het informatieobjecttype is nog een concept.")
        return body

    async def kolom_van(self, catalogus: str) -> str:
        """The kolom of the catalogus at ``catalogus`` ("" when it serves none), or a 400 when it cannot be read."""
        if catalogus in self.kolommen:
            return self.kolommen[catalogus]
        field = "informatieobjecttype"
        response = await self._catalogi(catalogus, "/catalogussen/", field, "De catalogus van het "
                                        "informatieobjecttype is geen catalogus van de Catalogi API van deze suite.")
        body = _json(response) if response.status_code == 200 else None
        if not isinstance(body, dict) or not body.get("url"):
            raise ValidatieFout.single(field, "bad-url", "De catalogus van het informatieobjecttype is niet op te "
                                                         f"halen (HTTP {response.status_code}).")
        kolom = str(body.get("kolom") or "")
        self.kolommen[catalogus] = kolom
        return kolom

    def object_prefix(self, object_type: str, url: str) -> str | None:
        """Whether ``url`` is a zaak or besluit of the suite (by ``object_type``), as the internal URL to it."""
        prefix = PREFIXES.get(object_type)
        collection = {"zaak": "/zaken/", "besluit": "/besluiten/"}.get(object_type, "")
        if prefix is None or not url.startswith(f"{self.settings.public_base_url.rstrip('/')}{prefix}{collection}"):
            return None
        return self._internal(url, prefix)

    async def relatie_bestaat(self, object_type: str, object_url: str, informatieobject: str) -> bool:
        """Whether the zaak or besluit ``object_url`` names ``informatieobject`` in its zaak- or
        besluitinformatieobjecten (the canonical side of the relation, in the Zaken or Besluiten API)."""
        prefix = PREFIXES[object_type]
        base = f"{self.settings.zaken_url.rstrip('/')}{prefix}/{object_type}informatieobjecten"
        params = {object_type: object_url, "informatieobject": informatieobject}
        response = await self._get(base, "object", params=params, code="relation-lookup-error")
        if response.status_code != 200:
            raise ValidatieFout.single("object", "relation-lookup-error",
                                       f"De relatie is niet op te vragen (HTTP {response.status_code}).")
        body = _json(response)
        if not isinstance(body, list):
            raise ValidatieFout.single("object", "relation-lookup-error", "De relaties zijn niet te lezen.")
        return len(body) > 0


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def zaken(request: Request) -> Zaken:
    state = request.app.state
    if getattr(state, "zaken", None) is None:
        state.zaken = Zaken(state.settings, getattr(state, "zaken_transport", None))
    return state.zaken  # type: ignore[no-any-return]
