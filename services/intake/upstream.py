"""What intake asks of other services over REST: the zaken catalogue (zaaktype URLs) and klantgegevens (the
household of a person). Intake calls them as itself, with only the rights it needs, on behalf of its caller."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import httpx

from sds.runtime.auth import AUTH_HEADER, AuthContext, Autorisatie, sign_auth_context
from sds.runtime.errors import ValidatieFout
from sds.runtime.scopes import CATALOGI_LEZEN, ZTC
from sds.runtime.tracing import traced_client
from services.intake.settings import IntakeSettings

log = logging.getLogger("sds.intake.upstream")

CLIENT_ID = "sds-intake"


class Onbereikbaar(Exception):
    """The other service did not answer (or answered 5xx): try again later, nothing is lost."""


def _headers(settings: IntakeSettings, ctx: AuthContext) -> dict[str, str]:
    return {AUTH_HEADER: sign_auth_context(ctx, settings.internal_secret)}


class Upstreams:
    def __init__(self, settings: IntakeSettings, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.settings = settings
        self.client = traced_client(timeout=settings.upstream_timeout, transport=transport)

    async def close(self) -> None:
        await self.client.aclose()

    async def _call(self, method: str, url: str, ctx: AuthContext, json: Any = None) -> httpx.Response:
        try:
            response = await self.client.request(method, url, json=json, headers=_headers(self.settings, ctx))
        except httpx.HTTPError as exc:
            raise Onbereikbaar(f"{method} {url}: {exc.__class__.__name__}") from exc
        if response.status_code >= 500 or response.status_code in (401, 403, 429):
            # 401/403: a deployment error (secret, rights), not the caller's: keep the work and retry later.
            raise Onbereikbaar(f"{method} {url}: {response.status_code}")
        return response

    async def zaaktypen(self) -> dict[str, str]:
        """identificatie -> URL of the version of each published zaaktype that is valid today."""
        ctx = AuthContext(client_id=CLIENT_ID, autorisaties=[Autorisatie(component=ZTC, scopes=[CATALOGI_LEZEN])])
        url: str | None = f"{self.settings.zaken_url.rstrip('/')}/catalogi/api/v1/zaaktypen?status=definitief"
        today = datetime.now(UTC).date().isoformat()
        best: dict[str, tuple[str, str]] = {}
        while url:
            response = await self._call("GET", url, ctx)
            if response.status_code != 200:
                raise Onbereikbaar(f"catalogue: {response.status_code}")
            page = response.json()
            for zt in page["results"]:
                begin, einde = zt.get("beginGeldigheid") or "", zt.get("eindeGeldigheid")
                if begin > today or (einde and einde < today):
                    continue
                if zt["identificatie"] not in best or best[zt["identificatie"]][0] < begin:
                    best[zt["identificatie"]] = (begin, zt["url"])
            nxt = page.get("next")
            # Follow the service's own pages only: the next link carries the public host, the path is what counts.
            url = (f"{self.settings.zaken_url.rstrip('/')}{httpx.URL(nxt).raw_path.decode()}" if nxt else None)
        return {ident: found[1] for ident, found in best.items()}

    async def huishouden_van(self, bsn: str, naam: dict[str, Any] | None, namens: str) -> str:
        """The URL of the household of person ``bsn`` in klantgegevens; registers person and household when
        klantgegevens does not know them yet. ``namens``: the user intake acts for (in the verwerkingenlog)."""
        ctx = AuthContext(client_id=CLIENT_ID, user_id=namens, user_representation="intake",
                          autorisaties=[Autorisatie(component="klantgegevens", scopes=["klantgegevens.registreren"])])
        api = f"{self.settings.klantgegevens_url.rstrip('/')}/klantgegevens/api/v1"
        response = await self._call("POST", f"{api}/personen", ctx,
                                    {"type": "RaadpleegMetBurgerservicenummer", "burgerservicenummer": [bsn]})
        if response.status_code != 200:
            raise Onbereikbaar(f"personen: {response.status_code}")
        personen = response.json()["personen"]
        if personen:
            persoon = personen[0]
        else:
            if naam is None:
                raise ValidatieFout.single("aanvrager.naam", "required",
                                           "Klantgegevens kent deze persoon nog niet: geef ook de naam op.")
            response = await self._call("POST", f"{api}/inschrijvingen", ctx,
                                        {"burgerservicenummer": bsn, "naam": naam})
            if response.status_code != 201:
                raise Onbereikbaar(f"inschrijving: {response.status_code}")
            persoon = response.json()
        if persoon.get("huishouden"):
            return str(persoon["huishouden"])
        response = await self._call("POST", f"{api}/huishoudens", ctx,
                                    {"leden": [{"persoon": persoon["url"], "rol": "ouder"}]})
        if response.status_code != 201:
            raise Onbereikbaar(f"huishouden: {response.status_code}")
        return str(response.json()["url"])
