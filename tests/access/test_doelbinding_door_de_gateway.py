"""Issue 18: purpose-bound access through the gateway. A household with a jeugd and a schuldhulp question files one
aanvraag; a team limited to one cluster (or kolom) sees only its own part of it in list, detail, search and
history, and of the other part only what the archetype lets it learn; writes outside its kolommen are refused
with nothing changed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.harness import Suite, bsn, running_suite
from tests.support.natsserver import NatsServer

ZORG = "zorg-en-jeugd"
FIN = "financiele-en-inkomensondersteuning"
LEZEN = ["intake.aanvragen.lezen", "intake.aanvragen.aanmaken", "intake.aanvragen.bijwerken",
         "intake.signalen.lezen"]
# Words that appear only in the schuldhulp part of the aanvraag (its vraag, termijnen, triage and history).
SCHULD = ("schuld", "Schuld", "energierekening", "SHV-")
JEUGD = ("jeugd", "Jeugd", "opvoed", "zoon", "JW-")


@pytest.fixture
def suite_for(tmp_path: Path, nats_server: NatsServer) -> Iterator[Any]:
    def start(archetype: str) -> Any:
        return running_suite(tmp_path, nats_server.url, archetype)

    yield start


def _team(suite: Suite, name: str, **limit: Any) -> dict[str, str]:
    secret = f"{name}-secret-0123456789abcdefghijkl"
    suite.applicatie(name, secret, **limit, autorisaties=[{"component": "intake", "scopes": LEZEN}])
    return suite.bearer(name, secret)


def _gezin(suite: Suite) -> dict[str, Any]:
    r = suite.client.post("/intake/api/v1/aanvragen", headers=suite.bearer(), json={
        "ingediendDoor": "medewerker",
        "toelichting": "Moeder vertelt over de schulden en over haar zoon.",
        "vragen": [{"leefgebied": "opvoeden", "toelichting": "Zoon spijbelt, opvoedvragen."},
                   {"leefgebied": "schulden", "toelichting": "Achterstand op de energierekening."}],
        "aanvrager": {"burgerservicenummer": bsn(), "naam": {"geslachtsnaam": "Jansen"}}})
    assert r.status_code == 201, r.text
    aanvraag: dict[str, Any] = r.json()
    assert aanvraag["status"] == "getrieerd", aanvraag
    # Let the zaken open first: the aanvraag moves to in_behandeling as they do, and a test that compares a
    # detail read with a list read must not see it move in between.
    suite.wait(lambda: len(suite.zaken_van(aanvraag["huishouden"])) >= len(aanvraag["triage"]["zaken"])
               and suite.get(aanvraag["url"])["status"] == "in_behandeling")
    return suite.get(aanvraag["url"])  # type: ignore[no-any-return]


def _leaks(value: Any, words: tuple[str, ...]) -> list[str]:
    text = json.dumps(value, ensure_ascii=False)
    return [w for w in words if w in text]


def _own_part(aanvraag: dict[str, Any], kolom: str, cluster: str) -> None:
    assert [v["kolom"] for v in aanvraag["vragen"]] == [kolom]
    assert {t["kolom"] for t in aanvraag["termijnen"]} == {kolom}
    assert [z["cluster"] for z in aanvraag["triage"]["zaken"]] == [cluster]
    assert {r["kolom"] for r in aanvraag["triage"]["redenen"]} == {kolom}
    assert aanvraag["toelichting"] is None  # the filer's words speak of both kolommen
    assert aanvraag["triage"]["integraal"] is None and aanvraag["triage"]["regie"] is None


def test_geclusterd_integraal_elk_cluster_ziet_alleen_zijn_deel(suite_for: Any) -> None:
    with suite_for("geclusterd-integraal") as suite:
        aanvraag = _gezin(suite)
        assert sorted(z["cluster"] for z in aanvraag["triage"]["zaken"]) == [FIN, ZORG]
        zorg = _team(suite, "zorgteam", clusters=[ZORG])
        fin = _team(suite, "finteam", clusters=[FIN])
        for team, kolom, cluster, words in ((zorg, "jeugd", ZORG, SCHULD), (fin, "schuldhulp", FIN, JEUGD)):
            detail = suite.get(aanvraag["url"], team)
            _own_part(detail, kolom, cluster)
            # geclusterd-integraal: zicht.andere_kolommen is "dat": it learns that another kolom is involved,
            # not which one.
            assert detail["kolommen"] == [kolom] and detail["clusters"] == [cluster]
            assert detail["andereKolommen"] is True
            assert _leaks(detail, words) == []
            lijst = suite.get(f"/intake/api/v1/aanvragen?huishouden={aanvraag['huishouden']}", team)
            assert lijst["count"] == 1 and lijst["results"] == [detail]
            historie = suite.get(f"{aanvraag['url']}/historie", team)
            assert historie and all(h["kolommen"] in ([], [kolom]) for h in historie)
            assert _leaks(historie, words) == []
        # Search: a filter on the other cluster's kolom finds nothing (it would tell which households have debts).
        assert suite.get("/intake/api/v1/aanvragen?kolom=schuldhulp", zorg)["count"] == 0
        assert suite.get("/intake/api/v1/aanvragen?kolom=jeugd", zorg)["count"] == 1
        assert suite.get("/intake/api/v1/aanvragen?kolom=schuldhulp", fin)["count"] == 1
        # The whole is still there for who may see it all.
        alles = suite.get(aanvraag["url"])
        assert len(alles["vragen"]) == 2 and alles["toelichting"] and alles["andereKolommen"] is None


def test_geclusterd_integraal_schrijven_buiten_het_cluster_wordt_geweigerd(suite_for: Any) -> None:
    with suite_for("geclusterd-integraal") as suite:
        aanvraag = _gezin(suite)
        zorg = _team(suite, "zorgteam", clusters=[ZORG])
        voor = suite.get("/intake/api/v1/aanvragen")["count"]
        r = suite.client.post("/intake/api/v1/aanvragen", headers=zorg, json={
            "ingediendDoor": "medewerker", "vragen": [{"leefgebied": "opvoeden"}, {"leefgebied": "schulden"}],
            "huishouden": aanvraag["huishouden"]})
        assert r.status_code == 403, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["code"] == "buiten-kolommen"
        assert suite.get("/intake/api/v1/aanvragen")["count"] == voor
        # Withdrawing would end the other cluster's part too.
        r = suite.client.post(f"{aanvraag['url']}/intrekking", headers=zorg)
        assert r.status_code == 403, r.text
        assert suite.get(aanvraag["url"])["status"] != "ingetrokken"
        # Within its own cluster the team files, and the answer of that write is its own part.
        r = suite.client.post("/intake/api/v1/aanvragen", headers=zorg, json={
            "ingediendDoor": "medewerker", "vragen": [{"leefgebied": "opvoeden"}],
            "huishouden": aanvraag["huishouden"]})
        assert r.status_code == 201, r.text
        assert r.json()["kolommen"] == ["jeugd"] and r.json()["andereKolommen"] is False


def _signaal(soort: str, n: int) -> dict[str, Any]:
    dag = datetime.now(UTC).date() - timedelta(days=1)
    return {"partnersoort": "woningcorporatie" if soort == "huurachterstand" else "school", "partner": "KVK12345678",
            "partnerReferentie": f"toegang-{n}", "signaalsoort": soort, "bedrag": 0 if soort == "schoolverzuim"
            else 125_000, "ontstaansdatum": (dag - timedelta(days=30)).isoformat(), "signaaldatum": dag.isoformat(),
            "burgerservicenummer": bsn(), "adres": {"postcode": "1234AB", "huisnummer": 10 + n}}


def test_geclusterd_integraal_signalen_per_cluster(suite_for: Any) -> None:
    with suite_for("geclusterd-integraal") as suite:
        zorg = _team(suite, "zorgteam", clusters=[ZORG])
        urls = {}
        for n, soort in enumerate(("huurachterstand", "schoolverzuim")):
            r = suite.client.post("/intake/api/v1/signalen", headers=suite.bearer(), json=_signaal(soort, n))
            assert r.status_code == 201, r.text
            urls[soort] = r.json()["url"]
        lijst = suite.get("/intake/api/v1/signalen", zorg)
        assert lijst["count"] == 1 and [s["signaalsoort"] for s in lijst["results"]] == ["schoolverzuim"]
        assert lijst["results"][0]["kolom"] == "jeugd"
        assert suite.client.get(urls["huurachterstand"], headers=zorg).status_code == 403
        assert suite.get(urls["schoolverzuim"], zorg)["kolom"] == "jeugd"
        assert suite.get("/intake/api/v1/signalen")["count"] == 2


def test_transitie_proof_per_kolom_en_niets_van_de_andere(suite_for: Any) -> None:
    with suite_for("transitie-proof") as suite:
        aanvraag = _gezin(suite)
        jeugd = _team(suite, "jeugdteam", kolommen=["jeugd"])
        detail = suite.get(aanvraag["url"], jeugd)
        _own_part(detail, "jeugd", "jeugd")
        # transitie-proof: zicht.andere_kolommen is "niets": not even that another kolom is involved.
        assert detail["kolommen"] == ["jeugd"] and detail["clusters"] == ["jeugd"]
        assert detail["andereKolommen"] is None
        assert _leaks(detail, SCHULD) == []
        lijst = suite.get("/intake/api/v1/aanvragen", jeugd)
        assert lijst["results"] == [detail]
        assert _leaks(suite.get(f"{aanvraag['url']}/historie", jeugd), SCHULD) == []
        # A team of a kolom the aanvraag has no question in does not reach it at all.
        wmo = _team(suite, "wmoteam", kolommen=["wmo"])
        assert suite.client.get(aanvraag["url"], headers=wmo).status_code == 403
        assert suite.get("/intake/api/v1/aanvragen", wmo)["count"] == 0


def test_totaal_integraal_het_integrale_team_ziet_het_hele_huishouden(suite_for: Any) -> None:
    with suite_for("totaal-integraal") as suite:
        aanvraag = _gezin(suite)
        assert aanvraag["triage"]["integraal"] is True
        team = _team(suite, "integraalteam", clusters=["sociaal-domein"])
        detail = suite.get(aanvraag["url"], team)
        assert [v["kolom"] for v in detail["vragen"]] == ["jeugd", "schuldhulp"]
        assert detail["toelichting"] == aanvraag["toelichting"]
        assert detail["andereKolommen"] is False
        # zicht.integraal is "geheel": a specialist of one kolom in the integral team sees the integral aanvraag
        # whole too (one household, one plan, one regisseur).
        specialist = _team(suite, "jeugdspecialist", kolommen=["jeugd"])
        suite.wait(lambda: suite.get(aanvraag["url"])["status"] == "in_behandeling")
        heel = suite.get(aanvraag["url"], specialist)
        assert len(heel["vragen"]) == 2 and heel["triage"]["integraal"] is True
        assert suite.get(f"{aanvraag['url']}/historie", specialist) == suite.get(f"{aanvraag['url']}/historie")


def test_integraal_in_tweede_instantie_na_escalatie_ziet_het_integrale_team_het_geheel(suite_for: Any) -> None:
    with suite_for("integraal-in-tweede-instantie") as suite:
        aanvraag = _gezin(suite)
        # Questions in two kolommen: escalated to the integral team (zicht.integraal is "geheel").
        assert aanvraag["triage"]["integraal"] is True and aanvraag["triage"]["regie"] == "huishouden"
        jeugd = _team(suite, "jeugdteam", kolommen=["jeugd"])
        heel = suite.get(aanvraag["url"], jeugd)
        assert [v["kolom"] for v in heel["vragen"]] == ["jeugd", "schuldhulp"]
        assert heel["toelichting"] == aanvraag["toelichting"] and heel["andereKolommen"] is False
        # A team of a kolom the household has no question in still reaches nothing of it.
        wmo = _team(suite, "wmoteam", kolommen=["wmo"])
        assert suite.client.get(aanvraag["url"], headers=wmo).status_code == 403
