"""The Besluiten API through the gateway: routed to the zaken service, and an applicatie registered in the
Autorisaties API with a ``brc`` grant for one besluittype sees and changes only those besluiten."""

from __future__ import annotations

from pathlib import Path

from services.zaken.seed_catalogus import DEFAULT_RSIN as RSIN
from tests.e2e.harness import running_suite
from tests.support.natsserver import NatsServer

BESLUITEN = "/besluiten/api/v1/besluiten"
WMO_TEAM_SECRET = "e2e-wmo-besluiten-secret-0123456789-abc"


def test_a_brc_grant_per_besluittype_holds_through_the_gateway(tmp_path: Path, nats_server: NatsServer) -> None:
    with running_suite(tmp_path, nats_server.url, "totaal-integraal") as suite:
        wmo = suite.get(suite.zaaktypen["WMO-HBH"])["besluittypen"][0]
        jeugd = suite.get(suite.zaaktypen["JW-AMB"])["besluittypen"][0]
        zaak = suite.client.post("/zaken/api/v1/zaken", headers=suite.bearer(), json={
            "bronorganisatie": RSIN, "verantwoordelijkeOrganisatie": RSIN,
            "zaaktype": suite.zaaktypen["WMO-HBH"], "startdatum": "2026-11-01"})
        assert zaak.status_code == 201, zaak.text
        made = {}
        for name, besluittype, extra in (("wmo", wmo, {"zaak": zaak.json()["url"]}), ("jeugd", jeugd, {})):
            r = suite.client.post(BESLUITEN, headers=suite.bearer(), json={
                "verantwoordelijkeOrganisatie": RSIN, "besluittype": besluittype, "datum": "2026-11-20",
                "ingangsdatum": "2026-12-01", **extra})
            assert r.status_code == 201, r.text
            assert r.headers["API-Version"] == "1.0.2"
            made[name] = r.json()
        assert suite.get(f"{zaak.json()['url']}/besluiten")[0]["besluit"] == made["wmo"]["url"]

        suite.applicatie("wmo-besluiten", WMO_TEAM_SECRET, autorisaties=[{
            "component": "brc", "besluittype": wmo, "scopes": ["besluiten.lezen", "besluiten.bijwerken"]}])
        team = suite.bearer("wmo-besluiten", WMO_TEAM_SECRET)
        page = suite.get(BESLUITEN, team)
        assert [b["url"] for b in page["results"]] == [made["wmo"]["url"]] and page["count"] == 1
        assert suite.client.get(made["jeugd"]["url"], headers=team).status_code == 403
        assert suite.client.patch(made["jeugd"]["url"], headers=team, json={"toelichting": "x"}).status_code == 403
        assert suite.client.patch(made["wmo"]["url"], headers=team, json={"toelichting": "x"}).status_code == 200
        assert suite.client.post(BESLUITEN, headers=team, json={**made["wmo"], "identificatie": ""}).status_code == 403
        # The contract is public, in each form, as for the other ZGW APIs.
        for path in ("openapi.json", "schema/openapi.yaml", "schema"):
            assert suite.client.get(f"/besluiten/api/v1/{path}").status_code == 200, path
