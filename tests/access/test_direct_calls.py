"""The second line of defence: a service called directly, not through the gateway, with the signed context of an
applicatie limited to one kolom (or one cluster) shows nothing of another and changes nothing of it.

The gateway narrows an applicatie's grants to its kolommen before it signs them; here no gateway runs. The
contexts carry the applicatie's limit and grants as registered: grants without a kolom, and grants naming a
zaaktype and a besluittype of the other kolom. Each service holds them to the limit itself
(``sds.runtime.auth.begrens`` in its request pipeline, and its own filters after that).

One data set, made with every right, spans two clusters of geclusterd-integraal: a jeugd aanvraag (cluster
zorg-en-jeugd) and a schuldhulp aanvraag (cluster financiele-en-inkomensondersteuning), each with its household,
the zaak triage opened for it and a besluit. Beleidsinfo gets aanvragen of both kolommen as events.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from sds.profiles import load_profile
from sds.runtime.auth import AuthContext, Autorisatie
from tests.intake.suite import INTAKE, KLANTGEGEVENS, ZAKEN, Suite, bsn, headers, make_suite, wait_for
from tests.support.natsserver import NatsServer

CATALOGI = ZAKEN.replace("/zaken/", "/catalogi/")
BESLUITEN = ZAKEN.replace("/zaken/", "/besluiten/")
ARCHETYPE = "geclusterd-integraal"
ZORG, FIN = "zorg-en-jeugd", "financiele-en-inkomensondersteuning"
# The seeded catalogus of each kolom.
DOMEIN = {"wmo": "WMO", "jeugd": "JEUGD", "participatie": "PART", "schuldhulp": "SHV"}


def _limit(ctx: AuthContext) -> set[str]:
    return set(ctx.kolommen) or {k for c in ctx.clusters for k in load_profile(ARCHETYPE).clusters[c].kolommen}


def _context(client_id: str, eigen: dict[str, str], ander: dict[str, str], **limit: list[str]) -> AuthContext:
    """An applicatie limited by ``limit``, with grants as an administrator may have given them: without a kolom,
    and on a zaaktype and a besluittype of another kolom (which its limit must still keep it from)."""
    zaken = ["zaken.lezen", "zaken.aanmaken", "zaken.bijwerken"]
    besluiten = ["besluiten.lezen", "besluiten.aanmaken", "besluiten.bijwerken"]
    return AuthContext(client_id=client_id, user_id="medewerker", autorisaties=[
        Autorisatie(component="zrc", scopes=zaken, max_vertrouwelijkheidaanduiding="zeer_geheim"),
        Autorisatie(component="zrc", scopes=zaken, zaaktype=ander["zaaktype"]),
        Autorisatie(component="ztc", scopes=["catalogi.lezen"]),
        Autorisatie(component="brc", scopes=besluiten, besluittype=eigen["besluittype"]),
        Autorisatie(component="brc", scopes=besluiten, besluittype=ander["besluittype"]),
        Autorisatie(component="intake", scopes=["intake.aanvragen.lezen", "intake.aanvragen.aanmaken",
                                                "intake.aanvragen.bijwerken"]),
        Autorisatie(component="klantgegevens", scopes=["klantgegevens.lezen", "klantgegevens.schrijven"]),
    ], **limit)


async def _json(suite: Suite, method: str, url: str, ctx: AuthContext | None = None, **kw: Any) -> Any:
    r = await suite.client.request(method, url, headers=headers(ctx), **kw)
    assert r.status_code in (200, 201), r.text
    return r.json()


async def _status(suite: Suite, method: str, url: str, ctx: AuthContext, **kw: Any) -> int:
    return (await suite.client.request(method, url, headers=headers(ctx), **kw)).status_code


async def _kolom(suite: Suite, leefgebied: str, kolom: str, zaaktype: str) -> dict[str, str]:
    """An aanvraag in one kolom, its household, the zaak triage opened and a besluit of that zaak's kolom."""
    body = {"ingediendDoor": "medewerker", "vragen": [{"leefgebied": leefgebied}],
            "aanvrager": {"burgerservicenummer": bsn(), "naam": {"geslachtsnaam": "Jansen"}}}
    aanvraag = await _json(suite, "POST", f"{INTAKE}/aanvragen", json=body)
    found: list[dict[str, Any]] = []

    async def opened() -> bool:
        found[:] = await suite.zaken_van(aanvraag["huishouden"])
        return len(found) == 1

    await wait_for(opened)
    zaak = found[0]
    assert zaak["zaaktype"] == suite.zaaktypen[zaaktype]
    besluittype = str((await _json(suite, "GET", suite.zaaktypen[zaaktype]))["besluittypen"][0])
    besluit = await _json(suite, "POST", f"{BESLUITEN}/besluiten", json={
        "verantwoordelijkeOrganisatie": zaak["bronorganisatie"], "besluittype": besluittype,
        "datum": "2026-11-20", "ingangsdatum": "2026-12-01"})
    catalogus = (await _json(suite, "GET", suite.zaaktypen[zaaktype]))["catalogus"]
    return {"kolom": kolom, "leefgebied": leefgebied, "aanvraag": aanvraag["url"],
            "huishouden": aanvraag["huishouden"], "zaak": zaak["url"], "zaaktype": suite.zaaktypen[zaaktype],
            "besluittype": besluittype, "besluit": besluit["url"], "catalogus": catalogus}


@pytest.fixture
async def suite(tmp_path: Path, nats_server: NatsServer) -> Any:
    async with make_suite(tmp_path, nats_server.url, ARCHETYPE, label="direct", every_service=True) as s:
        s.data = {"jeugd": await _kolom(s, "opvoeden", "jeugd", "JW-AMB"),  # type: ignore[attr-defined]
                  "schuldhulp": await _kolom(s, "schulden", "schuldhulp", "SHV-SCHULDHULP")}
        yield s


async def _sees_only_its_own(suite: Suite, ctx: AuthContext, eigen: dict[str, str], ander: dict[str, str]) -> None:
    # Zaken: the list, _zoek (also when asked for the other's zaaktype), the detail, and writes.
    domeinen = {DOMEIN[k] for k in _limit(ctx)}
    eigen_catalogi = {c["url"] for c in (await _json(suite, "GET", f"{CATALOGI}/catalogussen"))["results"]
                      if c["domein"] in domeinen}
    eigen_zaaktypen = {z["url"] for z in (await _json(suite, "GET", f"{CATALOGI}/zaaktypen?pageSize=100"))[
        "results"] if z["catalogus"] in eigen_catalogi}
    for zaken in (await _json(suite, "GET", f"{ZAKEN}/zaken?pageSize=100", ctx),
                  await _json(suite, "POST", f"{ZAKEN}/zaken/_zoek", ctx, json={})):
        assert eigen["zaak"] in [z["url"] for z in zaken["results"]]
        assert {z["zaaktype"] for z in zaken["results"]} <= eigen_zaaktypen
        assert zaken["count"] == len(zaken["results"])
    zoek = await _json(suite, "POST", f"{ZAKEN}/zaken/_zoek", ctx, json={"zaaktype": ander["zaaktype"]})
    assert zoek["count"] == 0 and zoek["results"] == []
    assert (await _json(suite, "GET", eigen["zaak"], ctx))["url"] == eigen["zaak"]
    assert await _status(suite, "GET", ander["zaak"], ctx) == 403
    assert await _status(suite, "PATCH", ander["zaak"], ctx, json={"omschrijving": "x"}) == 403
    zaak_body = {"bronorganisatie": "002220647", "verantwoordelijkeOrganisatie": "002220647",
                 "startdatum": "2026-11-01"}
    assert await _status(suite, "POST", f"{ZAKEN}/zaken", ctx, json={**zaak_body, "zaaktype": ander["zaaktype"]}
                         ) == 403
    assert await _status(suite, "POST", f"{ZAKEN}/zaken", ctx, json={**zaak_body, "zaaktype": eigen["zaaktype"]}
                         ) == 201

    # Catalogi: the catalogus and zaaktypen of its own kolom only.
    catalogussen = await _json(suite, "GET", f"{CATALOGI}/catalogussen", ctx)
    assert {c["domein"] for c in catalogussen["results"]} == domeinen
    assert eigen["catalogus"] in [c["url"] for c in catalogussen["results"]]
    zaaktypen = await _json(suite, "GET", f"{CATALOGI}/zaaktypen?pageSize=100", ctx)
    assert zaaktypen["count"] >= 1 and {z["catalogus"] for z in zaaktypen["results"]} == {
        c["url"] for c in catalogussen["results"]}
    assert await _status(suite, "GET", ander["zaaktype"], ctx) == 403
    assert await _status(suite, "GET", ander["catalogus"], ctx) == 403

    # Besluiten: its grant on the other kolom's besluittype reaches nothing.
    besluiten = await _json(suite, "GET", f"{BESLUITEN}/besluiten", ctx)
    assert [b["url"] for b in besluiten["results"]] == [eigen["besluit"]]  # its own writes above were zaken
    assert await _status(suite, "GET", ander["besluit"], ctx) == 403
    assert await _status(suite, "PATCH", ander["besluit"], ctx, json={"toelichting": "x"}) == 403
    assert await _status(suite, "POST", f"{BESLUITEN}/besluiten", ctx, json={
        "verantwoordelijkeOrganisatie": "002220647", "besluittype": ander["besluittype"], "datum": "2026-11-20",
        "ingangsdatum": "2026-12-01"}) == 403

    # Intake: the aanvragen of its kolom; the other's detail and history, and writes in the other kolom, refused.
    aanvragen = await _json(suite, "GET", f"{INTAKE}/aanvragen", ctx)
    assert [a["url"] for a in aanvragen["results"]] == [eigen["aanvraag"]]
    assert await _status(suite, "GET", ander["aanvraag"], ctx) == 403
    assert await _status(suite, "GET", f"{ander['aanvraag']}/historie", ctx) == 403
    assert await _status(suite, "POST", f"{ander['aanvraag']}/intrekking", ctx) == 403
    assert await _status(suite, "POST", f"{INTAKE}/aanvragen", ctx, json={
        "ingediendDoor": "medewerker", "vragen": [{"leefgebied": ander["leefgebied"]}],
        "aanvrager": {"burgerservicenummer": bsn(), "naam": {"geslachtsnaam": "Jansen"}}}) == 403

    # Klantgegevens: the household with a lawful reason in its kolom, not the other.
    assert (await _json(suite, "GET", eigen["huishouden"], ctx))["url"] == eigen["huishouden"]
    assert await _status(suite, "GET", ander["huishouden"], ctx) == 403
    assert ander["huishouden"].startswith(KLANTGEGEVENS)

    # Nothing of the other kolom changed.
    assert (await _json(suite, "GET", ander["aanvraag"]))["status"] != "ingetrokken"
    assert (await _json(suite, "GET", ander["zaak"])).get("omschrijving") != "x"


async def test_a_service_called_directly_shows_a_kolom_or_cluster_team_nothing_of_another(suite: Any) -> None:
    jeugd, schuldhulp = suite.data["jeugd"], suite.data["schuldhulp"]
    # One data set for the three teams (a suite takes seconds to start); each team's own writes add to its own
    # kolom only, which the next team does not see either.
    await _sees_only_its_own(suite, _context("jeugdteam", jeugd, schuldhulp, kolommen=["jeugd"]), jeugd, schuldhulp)
    # Limited to its cluster alone: the service finds the cluster's kolommen in its own archetype profile.
    await _sees_only_its_own(suite, _context("finteam", schuldhulp, jeugd, clusters=[FIN]), schuldhulp, jeugd)
    await _sees_only_its_own(suite, _context("zorgteam", jeugd, schuldhulp, clusters=[ZORG]), jeugd, schuldhulp)


def test_the_limit_is_the_applicaties_own_not_the_grants() -> None:
    """What every service applies to the context it verified, shown on the context itself."""
    from sds.runtime.auth import begrens

    kolommen = {ZORG: ("wmo", "jeugd"), FIN: ("participatie", "schuldhulp")}
    ctx = AuthContext(client_id="a", clusters=[FIN], autorisaties=[
        Autorisatie(component="zrc", scopes=["zaken.lezen"]),
        Autorisatie(component="zrc", scopes=["zaken.lezen"], kolom="jeugd"),
        Autorisatie(component="drc", scopes=["documenten.lezen"], informatieobjecttype="http://x/iot/1")])
    held = begrens(ctx, kolommen)
    assert held.kolommen == ["participatie", "schuldhulp"]
    assert [(g.component, g.kolom) for g in held.autorisaties] == [
        ("zrc", "participatie"), ("zrc", "schuldhulp"), ("drc", None)]
    # A cluster the service does not know (or no profile) reaches nothing of a per-kolom component.
    assert [g.component for g in begrens(ctx).autorisaties] == ["drc"]
    onbekend = AuthContext(client_id="d", clusters=["elders"], autorisaties=[
        Autorisatie(component="klantgegevens", scopes=["klantgegevens.lezen"]),
        Autorisatie(component="brc", scopes=["besluiten.lezen"], besluittype="http://x/bt/1")])
    assert begrens(onbekend, kolommen).autorisaties == [] and begrens(onbekend, kolommen).kolommen == []
    # Not limited, or every right: as it came.
    assert begrens(AuthContext(client_id="b", autorisaties=ctx.autorisaties), kolommen).autorisaties == \
        ctx.autorisaties
    alles = AuthContext(client_id="c", heeft_alle_autorisaties=True, kolommen=["jeugd"])
    assert begrens(alles, kolommen) is alles


async def test_beleidsinfo_called_directly_shows_a_limited_team_no_cell_of_another_kolom_or_cluster(
        tmp_path: Path) -> None:
    from tests.beleidsinfo.conftest import aanvraag_ingediend, lezer, make_bi

    jan = date(2026, 1, 5)
    async for bi in make_bi(tmp_path, archetype=ARCHETYPE):
        # Six households in each kolom (counts below the suppression threshold would hide the cells anyway).
        await bi.deliver(*(aanvraag_ingediend(n, n, ["jeugd"], jan) for n in range(6)),
                         *(aanvraag_ingediend(n, n, ["schuldhulp"], jan) for n in range(6, 12)))
        alles = (await bi.get("/indicatoren/instroom", van="2026-01-01", tot="2026-12-31")).json()["results"]
        assert {c["kolom"] for c in alles} >= {"jeugd", "schuldhulp"}
        profile = load_profile(ARCHETYPE)
        for ctx, kolom in ((lezer(kolommen=["jeugd"]), "jeugd"), (lezer(clusters=[FIN]), "schuldhulp")):
            response = await bi.get("/indicatoren/instroom", ctx, van="2026-01-01", tot="2026-12-31")
            assert response.status_code == 200, response.text
            cellen = response.json()["results"]
            assert any(c["kolom"] == kolom and c["aantal"] == 6 for c in cellen), cellen
            assert {c["kolom"] for c in cellen} <= {"alle", *_limit(ctx)}, cellen
            assert {c["cluster"] for c in cellen} <= {"alle", profile.cluster_of(kolom)}, cellen


def _documenten_team(client_id: str, **limit: list[str]) -> AuthContext:
    """A team limited by ``limit`` with a drc grant on every informatieobjecttype: only its limit holds it."""
    return AuthContext(client_id=client_id, user_id="medewerker", autorisaties=[Autorisatie(
        component="drc", max_vertrouwelijkheidaanduiding="zeer_geheim", scopes=[
            "documenten.lezen", "documenten.aanmaken", "documenten.bijwerken", "documenten.verwijderen",
            "documenten.lock"])], **limit)


async def test_documenten_called_directly_shows_a_limited_team_no_document_of_another_kolom(tmp_path: Path) -> None:
    from tests.documenten.conftest import DRC, make_documenten
    from tests.zaken.conftest import CATALOGI as ZTC
    from tests.zaken.conftest import headers as alles
    from tests.zaken.conftest import make_suite as make_zaken

    async for zaken in make_zaken(tmp_path):
        async for drc in make_documenten(tmp_path, zaken, archetype=ARCHETYPE):
            kolom_van = {c["url"]: c["kolom"] for c in (await zaken.get_json(f"{ZTC}/catalogussen"))["results"]}
            iotypen = (await zaken.get_json(f"{ZTC}/informatieobjecttypen?status=definitief&pageSize=100"))["results"]
            iotype = {kolom_van[t["catalogus"]]: t["url"] for t in iotypen}
            docs: dict[str, dict[str, Any]] = {}
            rechten: dict[str, str] = {}
            for kolom in ("jeugd", "schuldhulp", "wmo"):
                docs[kolom] = await drc.created(informatieobjecttype=iotype[kolom])
                r = await drc.client.post(f"{DRC}/gebruiksrechten", headers=alles(), json={
                    "informatieobject": docs[kolom]["url"], "startdatum": "2026-01-01T12:00:00",
                    "omschrijvingVoorwaarden": "intern"})
                assert r.status_code == 201, r.text
                rechten[kolom] = r.json()["url"]
            # jeugd alone; the cluster zorg-en-jeugd (wmo and jeugd); the cluster of schuldhulp.
            for ctx, eigen in ((_documenten_team("jeugdteam", kolommen=["jeugd"]), {"jeugd"}),
                               (_documenten_team("zorgteam", clusters=[ZORG]), {"wmo", "jeugd"}),
                               (_documenten_team("finteam", clusters=[FIN]), {"schuldhulp"})):
                ander = [k for k in docs if k not in eigen]
                lijst = (await drc.get(f"{DRC}/enkelvoudiginformatieobjecten", ctx)).json()
                assert {d["url"] for d in lijst["results"]} == {docs[k]["url"] for k in eigen}
                assert lijst["count"] == len(eigen)
                r = await drc.client.post(f"{DRC}/enkelvoudiginformatieobjecten/_zoek", headers=headers(ctx),
                                          json={"uuid__in": [d["url"].rsplit("/", 1)[1] for d in docs.values()]})
                assert {d["url"] for d in r.json()["results"]} == {docs[k]["url"] for k in eigen}
                recht_lijst = (await drc.get(f"{DRC}/gebruiksrechten", ctx)).json()
                assert {g["url"] for g in recht_lijst} == {rechten[k] for k in eigen}
                for k in eigen:
                    assert (await drc.get(docs[k]["url"], ctx)).status_code == 200
                for k in ander:
                    url = docs[k]["url"]
                    assert (await drc.get(url, ctx)).status_code == 403
                    assert (await drc.get(f"{url}/download", ctx)).status_code == 403
                    assert (await drc.get(rechten[k], ctx)).status_code == 403
                    assert (await drc.client.patch(url, headers=headers(ctx), json={"titel": "x"})).status_code == 403
                    assert (await drc.client.post(f"{url}/lock", headers=headers(ctx))).status_code == 403
                    assert (await drc.client.delete(url, headers=headers(ctx))).status_code == 403
                    assert (await drc.create(ctx, informatieobjecttype=iotype[k])).status_code == 403
                    assert (await drc.get(url)).json()["titel"] == "aanvraagformulier"
                made = await drc.create(ctx, informatieobjecttype=iotype[sorted(eigen)[0]])
                assert made.status_code == 201, made.text
                assert (await drc.client.delete(made.json()["url"], headers=headers(ctx))).status_code == 204
            assert (await drc.get(f"{DRC}/enkelvoudiginformatieobjecten")).json()["count"] == 3


def _financien_team(client_id: str, **limit: list[str]) -> AuthContext:
    return AuthContext(client_id=client_id, user_id="medewerker", autorisaties=[
        Autorisatie(component="financien", scopes=["financien.lezen", "financien.schrijven"])], **limit)


async def test_financien_called_directly_shows_a_limited_team_nothing_of_another_kolom(tmp_path: Path) -> None:
    from tests.financien.conftest import HUISHOUDEN, beheer, make_fin, toegekend, toekenning

    async for fin in make_fin(tmp_path, archetype=ARCHETYPE):
        # One aanbieder with a contract for jeugd and schuldhulp, one for wmo only; a toewijzing in each kolom.
        beide = await fin.inkoop(agb="11111111", applicaties=["zorg-app"], kolommen=["jeugd", "schuldhulp"])
        wmo = await fin.inkoop(agb="22222222", kolommen=["wmo"])
        aanbieder = {"jeugd": beide, "schuldhulp": beide, "wmo": wmo}
        for nr, kolom in enumerate(("jeugd", "schuldhulp", "wmo"), start=1):
            await fin.deliver(toegekend([toekenning(aanbieder[kolom]["aanbieder"]["url"])], nr=nr, kolom=kolom))
        alles = beheer()
        toewijzing = {t["kolom"]: t["url"] for t in (await fin.get("/toewijzingen", alles)).json()["results"]}
        assert set(toewijzing) == {"jeugd", "schuldhulp", "wmo"}
        budget = {k: (await fin.made("/budgetten", {"jaar": 2026, "kolom": k, "bedrag": "1000.00"}))["url"]
                  for k in ("jeugd", "schuldhulp", "wmo")}
        budget[FIN] = (await fin.made("/budgetten", {"jaar": 2026, "cluster": FIN, "bedrag": "5000.00"}))["url"]

        def regel(kolom: str, ref: str, toewijzing: dict[str, str] = toewijzing) -> dict[str, Any]:
            return {"referentie": ref, "toewijzing": toewijzing[kolom], "begindatum": "2026-03-02",
                    "einddatum": "2026-03-08", "volume": 3, "eenheid": "uur", "productTarief": "52.40"}

        # The aanbieder's own applicatie, limited to jeugd: its line on the schuldhulp toewijzing is refused as one
        # on no toewijzing of its own, and nothing of schuldhulp is realised.
        zorg_app = _financien_team("zorg-app", kolommen=["jeugd"])
        r = await fin.post("/declaraties", {"identificatie": "D-1", "begindatum": "2026-03-01",
                                            "einddatum": "2026-03-31", "regels": [regel("jeugd", "R1"),
                                                                                  regel("schuldhulp", "R2")]}, zorg_app)
        assert r.status_code == 201, r.text
        assert [x["retourcode"] for x in r.json()["regels"]][1] != "0200"
        r = await fin.post("/declaraties", {"identificatie": "D-2", "begindatum": "2026-03-01",
                                            "einddatum": "2026-03-31", "regels": [regel("jeugd", "R3"),
                                                                                  regel("schuldhulp", "R4")]})
        assert r.status_code == 403  # the municipality's inkoper declares nothing
        r = await fin.post("/declaraties", {"identificatie": "D-2", "begindatum": "2026-03-01",
                                            "einddatum": "2026-03-31", "regels": [regel("jeugd", "R3"),
                                                                                  regel("schuldhulp", "R4")]},
                           _financien_team("zorg-app"))
        assert r.status_code == 201 and [x["retourcode"] for x in r.json()["regels"]] == ["0200", "0200"], r.text
        declaratie = r.json()["url"]
        m = (await fin.get("/budgetmonitor", alles, jaar=2026)).json()
        assert {x["kolom"]: x["gerealiseerd"] for x in m["perKolom"]} == {
            "jeugd": "314.40", "schuldhulp": "157.20", "wmo": "0.00"}

        for ctx, eigen in ((_financien_team("jeugdteam", kolommen=["jeugd"]), {"jeugd"}),
                           (_financien_team("zorgteam", clusters=[ZORG]), {"wmo", "jeugd"}),
                           (_financien_team("finteam", clusters=[FIN]), {"schuldhulp"})):
            ander = {"jeugd", "schuldhulp", "wmo"} - eigen
            # Toewijzingen: the list, the detail, and a verzoek of another kolom not to be answered.
            lijst = (await fin.get("/toewijzingen", ctx)).json()
            assert {t["url"] for t in lijst["results"]} == {toewijzing[k] for k in eigen} and lijst["count"] == len(
                eigen)
            for k in eigen:
                assert (await fin.get(toewijzing[k], ctx)).status_code == 200
            for k in ander:
                assert (await fin.get(toewijzing[k], ctx)).status_code == 403
                assert (await fin.get(f"{toewijzing[k]}/verzoeken-om-wijziging", ctx)).status_code == 403
            # Budgetten: its kolommen's (and its whole cluster's); writes outside refused.
            budgetten = {b["url"] for b in (await fin.get("/budgetten", ctx)).json()["results"]}
            assert budgetten == {budget[k] for k in eigen} | ({budget[FIN]} if "schuldhulp" in eigen else set())
            for k in ander:
                assert (await fin.get(budget[k], ctx)).status_code == 403
                r = await fin.post("/budgetten", {"jaar": 2027, "kolom": k, "bedrag": "1.00"}, ctx)
                assert r.status_code == 403, r.text
            if "schuldhulp" not in eigen:
                assert (await fin.get(budget[FIN], ctx)).status_code == 403
                r = await fin.post("/budgetten", {"jaar": 2027, "cluster": FIN, "bedrag": "1.00"}, ctx)
                assert r.status_code == 403, r.text
            # The monitor and a household's costs: its kolommen's lines only.
            m = (await fin.get("/budgetmonitor", ctx, jaar=2026)).json()
            assert {x["kolom"] for x in m["perKolom"]} == eigen, m
            assert {x["cluster"] for x in m["perCluster"]} <= {load_profile(ARCHETYPE).cluster_of(k) for k in eigen}
            kosten = (await fin.get("/budgetmonitor/huishouden", ctx, huishouden=HUISHOUDEN, jaar=2026)).json()
            assert {x["kolom"] for x in kosten["perKolom"]} == eigen
            # The declaratie is cut to its lines: the counts and amounts of its kolommen alone.
            gezien = [k for k in ("jeugd", "schuldhulp") if k in eigen]
            d = (await fin.get(declaratie, ctx)).json()
            assert d["aantalRegels"] == len(d["regels"]) == len(gezien), d
            assert d["ingediendBedrag"] == f"{157.20 * len(gezien):.2f}"
            lijst = (await fin.get("/declaraties", ctx)).json()
            assert [x["ingediendBedrag"] for x in lijst["results"] if x["url"] == declaratie] == [
                d["ingediendBedrag"]]
            # Contracten: the wmo-only one outside a team without wmo; the other shows its own kolommen only.
            contracten = {c["url"]: c["kolommen"] for c in (await fin.get("/contracten", ctx)).json()["results"]}
            assert contracten.get(beide["contract"]["url"]) == [k for k in ("jeugd", "schuldhulp") if k in eigen]
            assert (wmo["contract"]["url"] in contracten) == ("wmo" in eigen)
            assert (await fin.get(wmo["contract"]["url"], ctx)).status_code == (200 if "wmo" in eigen else 403)
        # Nothing of another kolom changed: no budget for 2027 was made.
        assert (await fin.get("/budgetten", alles, jaar=2027)).json()["count"] == 0
