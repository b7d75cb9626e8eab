"""Issue 5: per archetype, end to end through the gateway — how it routes: per kolom, per cluster, integral,
escalation to the integral team, and for *elders* a jeugd aanvraag that reaches the external party and whose
status report comes back through the gateway with the party's own applicatie."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.harness import PARTIJ_SECRET, Suite, running_suite
from tests.support.natsserver import NatsServer


@pytest.fixture
def suite_for(tmp_path: Path, nats_server: NatsServer) -> Iterator[Any]:
    def start(archetype: str) -> Any:
        return running_suite(tmp_path, nats_server.url, archetype)

    yield start


def _types(suite: Suite, zaken: list[dict[str, Any]]) -> list[str]:
    by_url = {url: ident for ident, url in suite.zaaktypen.items()}
    return sorted(by_url[z["zaaktype"]] for z in zaken)


def _settled(suite: Suite, huishouden: str, expected: int) -> list[dict[str, Any]]:
    suite.wait(lambda: len(suite.zaken_van(huishouden)) >= expected)
    return suite.zaken_van(huishouden)


def test_transitie_proof_per_kolom(suite_for: Any) -> None:
    with suite_for("transitie-proof") as suite:
        aanvraag = suite.aanvraag("huishouden", "opvoeden")
        zaken = _settled(suite, aanvraag["huishouden"], 2)
        assert _types(suite, zaken) == ["JW-AMB", "WMO-HBH"]
        # A jeugd team sees the jeugd zaak and the aanvraag it came from, never the wmo zaak.
        suite.applicatie("jeugdteam", "jeugdteam-secret-0123456789abcdef", kolommen=["jeugd"], autorisaties=[
            {"component": "zrc", "scopes": ["zaken.lezen"], "kolom": "jeugd",
             "maxVertrouwelijkheidaanduiding": "zeer_geheim"},
            {"component": "intake", "scopes": ["intake.aanvragen.lezen"], "kolom": "jeugd"}])
        jeugd = suite.bearer("jeugdteam", "jeugdteam-secret-0123456789abcdef")
        zichtbaar = suite.zaken_van(aanvraag["huishouden"], jeugd)
        assert _types(suite, zichtbaar) == ["JW-AMB"]
        wmo_zaak = next(z for z in zaken if z not in zichtbaar)
        assert suite.client.get(wmo_zaak["url"], headers=jeugd).status_code == 403
        assert suite.get(aanvraag["url"], jeugd)["uuid"] == aanvraag["uuid"]


def test_geclusterd_integraal_per_cluster(suite_for: Any) -> None:
    with suite_for("geclusterd-integraal") as suite:
        aanvraag = suite.aanvraag("opvoeden", "schulden")
        zaken = _settled(suite, aanvraag["huishouden"], 2)
        assert _types(suite, zaken) == ["JW-AMB", "SHV-SCHULDHULP"]
        assert sorted(z["cluster"] for z in aanvraag["triage"]["zaken"]) == [
            "financiele-en-inkomensondersteuning", "zorg-en-jeugd"]
        # A team of the financial cluster gets nothing of the zorg-en-jeugd cluster, through any route.
        suite.applicatie("fin-team", "fin-team-secret-0123456789abcdefgh",
                         clusters=["financiele-en-inkomensondersteuning"], autorisaties=[
                             {"component": "zrc", "scopes": ["zaken.lezen"],
                              "maxVertrouwelijkheidaanduiding": "zeer_geheim"},
                             {"component": "intake", "scopes": ["intake.aanvragen.lezen"]}])
        fin = suite.bearer("fin-team", "fin-team-secret-0123456789abcdefgh")
        assert _types(suite, suite.zaken_van(aanvraag["huishouden"], fin)) == ["SHV-SCHULDHULP"]
        jeugd_zaak = next(z for z in zaken if suite.zaaktypen["JW-AMB"] == z["zaak" + "type"])
        assert suite.client.get(jeugd_zaak["url"], headers=fin).status_code == 403
        r = suite.client.post("/zaken/api/v1/zaken/_zoek", headers=fin, json={"zaaktype": suite.zaaktypen["JW-AMB"]})
        assert r.status_code in (200, 403) and (r.status_code == 403 or r.json()["count"] == 0), r.text


def test_totaal_integraal_een_integrale_zaak(suite_for: Any) -> None:
    with suite_for("totaal-integraal") as suite:
        aanvraag = suite.aanvraag("huishouden", "opvoeden")
        zaken = _settled(suite, aanvraag["huishouden"], 1)
        assert _types(suite, zaken) == ["INT-PLAN"]
        suite.wait(lambda: suite.get(f"/zaken/api/v1/plannen?huishouden={aanvraag['huishouden']}")["count"] == 1)


def test_integraal_in_tweede_instantie_escaleert_naar_het_integrale_team(suite_for: Any) -> None:
    with suite_for("integraal-in-tweede-instantie") as suite:
        enkel = suite.aanvraag("huishouden")
        assert _types(suite, _settled(suite, enkel["huishouden"], 1)) == ["WMO-HBH"]
        aanvraag = suite.aanvraag("huishouden", "opvoeden")
        zaken = _settled(suite, aanvraag["huishouden"], 3)
        assert _types(suite, zaken) == ["INT-PLAN", "JW-AMB", "WMO-HBH"]
        hoofd = next(z for z in zaken if z["hoofdzaak"] is None)
        assert all(z["hoofdzaak"] == hoofd["url"] for z in zaken if z is not hoofd)


def test_geclusterd_integraal_elders_delegeert_en_de_partij_meldt_terug(suite_for: Any) -> None:
    with suite_for("geclusterd-integraal-elders") as suite:
        aanvraag = suite.aanvraag("opvoeden")
        assert aanvraag["status"] == "doorgezet"
        suite.wait(lambda: len(suite.partij.received) == 1)
        ontvangen = suite.partij.received[0]
        assert ontvangen["partij"] == "jeugd" and ontvangen["aanvraag"] == aanvraag["url"]
        assert [v["kolom"] for v in ontvangen["vragen"]] == ["jeugd"]
        # The party reports back through the gateway with its own applicatie, limited to its cluster.
        suite.applicatie("regio-jeugd", PARTIJ_SECRET, clusters=["jeugdzorg"], autorisaties=[
            {"component": "intake", "scopes": ["intake.statusberichten"]}])
        partij = suite.bearer("regio-jeugd", PARTIJ_SECRET, user_id="")
        for bericht in ({"soort": "status", "status": "in-behandeling"},
                        {"soort": "uitkomst", "status": "afgerond", "uitkomst": "toegekend"}):
            r = suite.client.post("/intake/api/v1/statusberichten", headers=partij, json={
                "aanvraag": aanvraag["url"], "externeReferentie": "RJ-0001", **bericht})
            assert r.status_code == 201, r.text
        na = suite.get(aanvraag["url"])
        assert na["status"] == "afgerond" and na["delegaties"][0]["uitkomst"] == "toegekend"
        # The party's applicatie reaches nothing else.
        assert suite.client.get("/zaken/api/v1/zaken", headers=partij).status_code == 403
        assert suite.client.get(aanvraag["url"], headers=partij).status_code == 403
