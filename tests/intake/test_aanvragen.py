"""Aanvragen: filed, the household found or registered in klantgegevens, triaged, zaken opened, history kept."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sds.runtime.auth import AuthContext, Autorisatie
from tests.intake.suite import INTAKE, WIJKTEAM, Suite, bsn, headers, make_suite, wait_for
from tests.support.natsserver import NatsServer


async def test_een_aanvraag_wordt_zaken_in_de_kolommen(tmp_path: Path, nats_server: NatsServer) -> None:
    async with make_suite(tmp_path, nats_server.url, "transitie-proof") as suite:
        r = await suite.aanvraag("huishouden", "opvoeden")
        assert r.status_code == 201, r.text
        aanvraag = r.json()
        assert aanvraag["kolommen"] == ["wmo", "jeugd"]
        assert aanvraag["huishouden"], aanvraag
        assert aanvraag["status"] == "getrieerd", aanvraag

        async def opened() -> bool:
            return len(await suite.zaken_van(aanvraag["huishouden"])) == 2

        await wait_for(opened)

        async def in_behandeling() -> bool:
            return (await suite.get(aanvraag["url"]))["status"] == "in_behandeling"

        await wait_for(in_behandeling)
        historie = await suite.get(f"{INTAKE}/aanvragen/{aanvraag['uuid']}/historie")
        # A line per kolom where the words speak of one, so a team of one kolom can be shown its own lines.
        assert [(h["status"], h["kolommen"]) for h in historie[:4]] == [
            ("ingediend", ["wmo"]), ("ingediend", ["jeugd"]), ("getrieerd", ["wmo"]), ("getrieerd", ["jeugd"])]
        # The first of the two zaken to open moves the aanvraag in behandeling.
        assert [h["status"] for h in historie[4:]] == ["in_behandeling"]
        assert historie[4]["kolommen"] in (["wmo"], ["jeugd"])
        assert "eigen zaak" in historie[2]["toelichting"]


async def _count(suite: Suite, table: str) -> int:
    from sqlalchemy import text

    async with suite.intake.state.db.transaction() as session:
        return int((await session.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one())


async def test_slechte_invoer_is_400_en_bewaart_niets(tmp_path: Path, nats_server: NatsServer) -> None:
    async with make_suite(tmp_path, nats_server.url, "transitie-proof") as suite:
        cases: list[tuple[dict[str, Any], str]] = [
            ({"vragen": [{"leefgebied": "huishouden", "kolom": "zorg"}]}, "vragen.0.kolom"),
            ({"vragen": [{"leefgebied": "tuinieren"}]}, "vragen.0.leefgebied"),
            ({"vragen": [{"leefgebied": "opvoeden", "kolom": "wmo"}]}, "vragen.0"),
            ({"vragen": []}, "vragen"),
            ({"aanvrager": {"burgerservicenummer": "123456789"}}, "aanvrager.burgerservicenummer"),
            ({"aanvrager": None}, "nonFieldErrors"),
            ({"ingediendDoor": "buurman"}, "ingediendDoor"),
        ]
        for fields, name in cases:
            body = {"ingediendDoor": "medewerker", "vragen": [{"leefgebied": "huishouden"}],
                    "aanvrager": {"burgerservicenummer": bsn(), "naam": {"geslachtsnaam": "Jansen"}}, **fields}
            r = await suite.client.post(f"{INTAKE}/aanvragen", json=body, headers=headers(WIJKTEAM))
            assert r.status_code == 400, (fields, r.text)
            problem = r.json()
            assert problem["code"] == "invalid" and r.headers["content-type"].startswith("application/problem+json")
            assert any(p["name"] == name for p in problem["invalidParams"]), (name, problem)
        # Klantgegevens does not know the person and no name is given: the filer is told, nothing is kept.
        r = await suite.client.post(f"{INTAKE}/aanvragen", headers=headers(WIJKTEAM), json={
            "ingediendDoor": "medewerker", "vragen": [{"leefgebied": "werk"}],
            "aanvrager": {"burgerservicenummer": bsn()}})
        assert r.status_code == 400 and r.json()["invalidParams"][0]["name"] == "aanvrager.naam", r.text
        assert await _count(suite, "aanvragen") == 0
        assert await _count(suite, "outbox") == 0


async def test_een_kolom_ziet_alleen_de_eigen_aanvragen(tmp_path: Path, nats_server: NatsServer) -> None:
    async with make_suite(tmp_path, nats_server.url, "transitie-proof") as suite:
        wmo = (await suite.aanvraag("huishouden")).json()
        beide = (await suite.aanvraag("begeleiding", "opvoeden")).json()
        jeugd_client = AuthContext(client_id="jeugdteam", autorisaties=[
            Autorisatie(component="intake", scopes=["intake.aanvragen.lezen"], kolom="jeugd")])
        page = await suite.get(f"{INTAKE}/aanvragen", jeugd_client)
        assert [a["url"] for a in page["results"]] == [beide["url"]] and page["count"] == 1
        r = await suite.client.get(wmo["url"], headers=headers(jeugd_client))
        assert r.status_code == 403
        r = await suite.client.get(f"{wmo['url']}/historie", headers=headers(jeugd_client))
        assert r.status_code == 403
        # Without the scope at all: 403 on the list as well.
        r = await suite.client.get(f"{INTAKE}/aanvragen", headers=headers(AuthContext(client_id="niemand")))
        assert r.status_code == 403


async def test_een_inwoner_dient_in_voor_zichzelf(tmp_path: Path, nats_server: NatsServer) -> None:
    async with make_suite(tmp_path, nats_server.url, "totaal-integraal") as suite:
        eigen = bsn()
        inwoner = AuthContext(client_id="mijn-gemeente", user_id=f"bsn:{eigen}", autorisaties=[
            Autorisatie(component="intake", scopes=["intake.inwoner"])])
        body = {"ingediendDoor": "inwoner", "vragen": [{"leefgebied": "schulden"}],
                "aanvrager": {"burgerservicenummer": eigen, "naam": {"geslachtsnaam": "Visser"}}}
        r = await suite.client.post(f"{INTAKE}/aanvragen", json=body, headers=headers(inwoner))
        assert r.status_code == 201, r.text
        voor_ander = {**body, "aanvrager": {"burgerservicenummer": bsn(), "naam": {"geslachtsnaam": "Bakker"}}}
        r2 = await suite.client.post(f"{INTAKE}/aanvragen", json=voor_ander, headers=headers(inwoner))
        assert r2.status_code == 403
        await suite.aanvraag("werk")  # someone else's, filed by a worker
        page = await suite.get(f"{INTAKE}/aanvragen", inwoner)
        assert [a["url"] for a in page["results"]] == [r.json()["url"]]
        r3 = await suite.client.post(f"{r.json()['url']}/intrekking", headers=headers(inwoner))
        assert r3.status_code == 200 and r3.json()["status"] == "ingetrokken", r3.text
        r4 = await suite.client.post(f"{r.json()['url']}/intrekking", headers=headers(inwoner))
        assert r4.status_code == 409


async def test_klantgegevens_even_weg_de_aanvraag_wacht_en_gaat_door(tmp_path: Path,
                                                                     nats_server: NatsServer) -> None:
    async with make_suite(tmp_path, nats_server.url, "transitie-proof") as suite:
        suite.dispatch.down.add("klantgegevens.intern")
        r = await suite.aanvraag("inkomen")
        assert r.status_code == 201, r.text
        aanvraag = r.json()
        assert aanvraag["status"] == "ingediend" and aanvraag["huishouden"] is None
        suite.dispatch.down.discard("klantgegevens.intern")

        async def triaged() -> bool:
            return (await suite.get(aanvraag["url"]))["huishouden"] is not None

        await wait_for(triaged)
        found = await suite.get(aanvraag["url"])
        zaken = await suite.zaken_van(found["huishouden"])
        await wait_for(lambda: _has_zaak(suite, found["huishouden"]))
        assert found["triage"]["zaken"][0]["zaaktypeIdentificatie"] == "PW-BIJSTAND", zaken


async def _has_zaak(suite: Suite, huishouden: str) -> bool:
    return len(await suite.zaken_van(huishouden)) == 1


async def test_termijnen_overschreden_gelijst_geteld_en_eenmaal_gemeld(tmp_path: Path,
                                                                       nats_server: NatsServer) -> None:
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import update

    from services.intake.aanvragen import service
    from services.intake.models import termijnen

    async with make_suite(tmp_path, nats_server.url, "transitie-proof") as suite:
        laat = (await suite.aanvraag("huishouden")).json()
        op_tijd = (await suite.aanvraag("opvoeden")).json()
        ingetrokken = (await suite.aanvraag("begeleiding")).json()
        assert [(t["kolom"], t["soort"], t["dagen"]) for t in laat["termijnen"]] == [
            ("wmo", "onderzoek", 42), ("wmo", "beslissing", 56)]
        vandaag = datetime.now(UTC).date()
        async with suite.intake.state.db.transaction() as session:
            for a in (laat, ingetrokken):
                sub = (await session.execute(
                    service.select(service.aanvragen.c.id).where(service.aanvragen.c.uuid == a["uuid"]))).scalar()
                await session.execute(update(termijnen).where(termijnen.c.aanvraag_id == sub).values(
                    startdatum=vandaag - timedelta(days=60), uiterlijke_einddatum=vandaag - timedelta(days=3)))
        r = await suite.client.post(f"{ingetrokken['url']}/intrekking", headers=headers(WIJKTEAM))
        assert r.status_code == 200
        page = await suite.get(f"{INTAKE}/termijnen/overschreden")
        assert page["count"] == 2 and {t["aanvraag"] for t in page["results"]} == {laat["url"]}
        assert page["results"][0]["dagenOverschreden"] == 3
        telling = await suite.get(f"{INTAKE}/termijnen/overschreden/telling")
        assert telling["perKolom"] == {"wmo": {"termijnen": 2, "aanvragen": 1}} and telling["aanvragen"] == 1
        assert op_tijd["url"] not in str(page)
        async with suite.intake.state.db.transaction() as session:
            assert await service.meld_overschreden(suite.intake.state.intake, session, vandaag) == 2
        async with suite.intake.state.db.transaction() as session:
            assert await service.meld_overschreden(suite.intake.state.intake, session, vandaag) == 0
        jeugd = AuthContext(client_id="jeugdteam", autorisaties=[
            Autorisatie(component="intake", scopes=["intake.aanvragen.lezen"], kolom="jeugd")])
        assert (await suite.get(f"{INTAKE}/termijnen/overschreden", jeugd))["count"] == 0


async def test_externe_partij_meldt_status_en_uitkomst(tmp_path: Path, nats_server: NatsServer) -> None:
    async with make_suite(tmp_path, nats_server.url, "geclusterd-integraal-elders") as suite:
        aanvraag = (await suite.aanvraag("opvoeden")).json()
        assert aanvraag["status"] == "doorgezet"
        jeugdorganisatie = AuthContext(client_id="regio-jeugd", clusters=["jeugdzorg"], autorisaties=[
            Autorisatie(component="intake", scopes=["intake.statusberichten"])])
        zorgverzekeraar = AuthContext(client_id="zorgverzekeraar", clusters=["zorg"], autorisaties=[
            Autorisatie(component="intake", scopes=["intake.statusberichten"])])
        status = {"aanvraag": aanvraag["url"], "externeReferentie": "RJ-2026-0042", "soort": "status",
                  "status": "in-behandeling"}
        r = await suite.client.post(f"{INTAKE}/statusberichten", json=status, headers=headers(zorgverzekeraar))
        assert r.status_code == 404, r.text  # not delegated to this party
        r = await suite.client.post(f"{INTAKE}/statusberichten", json=status, headers=headers(jeugdorganisatie))
        assert r.status_code == 201, r.text
        again = await suite.client.post(f"{INTAKE}/statusberichten", json=status, headers=headers(jeugdorganisatie))
        assert again.status_code == 200 and again.json()["url"] == r.json()["url"]
        bad = await suite.client.post(f"{INTAKE}/statusberichten", headers=headers(jeugdorganisatie),
                                      json={**status, "soort": "uitkomst"})
        assert bad.status_code == 400
        uitkomst = {**status, "soort": "uitkomst", "status": "afgerond", "uitkomst": "toegekend"}
        r = await suite.client.post(f"{INTAKE}/statusberichten", json=uitkomst, headers=headers(jeugdorganisatie))
        assert r.status_code == 201, r.text
        na = await suite.get(aanvraag["url"])
        assert na["status"] == "afgerond" and na["uitkomst"] == "gedelegeerd", na
        assert na["delegaties"][0]["externeReferentie"] == "RJ-2026-0042"
        assert all(t["gehaaldOp"] for t in na["termijnen"])
        historie = await suite.get(f"{aanvraag['url']}/historie")
        assert any("regionale-jeugdorganisatie meldt: in-behandeling" in h["toelichting"] for h in historie)
        assert await _count(suite, "statusberichten") == 2


async def test_de_zaak_beslist_en_sluit_dan_is_de_aanvraag_afgerond(tmp_path: Path, nats_server: NatsServer) -> None:
    async with make_suite(tmp_path, nats_server.url, "transitie-proof") as suite:
        aanvraag = (await suite.aanvraag("huishouden")).json()

        async def opened() -> bool:
            return len(await suite.zaken_van(aanvraag["huishouden"])) == 1

        await wait_for(opened)
        zaak = (await suite.zaken_van(aanvraag["huishouden"]))[0]
        zaaktype = await suite.get(zaak["zaaktype"])
        statustypen = sorted([await suite.get(u) for u in zaaktype["statustypen"]], key=lambda s: s["volgnummer"])
        resultaattypen = [await suite.get(u) for u in zaaktype["resultaattypen"]]
        afgewezen = next(r for r in resultaattypen if r["omschrijving"].lower().startswith("afgewezen"))
        zaken_api = "http://testserver/zaken/api/v1"
        r = await suite.client.post(f"{zaken_api}/statussen", headers=headers(), json={
            "zaak": zaak["url"], "statustype": statustypen[0]["url"], "datumStatusGezet": "2026-11-28T10:00:00Z"})
        assert r.status_code == 201, r.text
        r = await suite.client.post(f"{zaken_api}/resultaten", headers=headers(), json={
            "zaak": zaak["url"], "resultaattype": afgewezen["url"]})
        assert r.status_code == 201, r.text
        r = await suite.client.post(f"{zaken_api}/statussen", headers=headers(), json={
            "zaak": zaak["url"], "statustype": statustypen[-1]["url"], "datumStatusGezet": "2026-11-28T11:00:00Z"})
        assert r.status_code == 201, r.text

        async def afgerond() -> bool:
            return (await suite.get(aanvraag["url"]))["status"] == "afgerond"

        await wait_for(afgerond)
        na = await suite.get(aanvraag["url"])
        assert na["uitkomst"] == "zaken-geopend" and na["einddatum"]
        assert all(t["gehaaldOp"] for t in na["termijnen"]), na["termijnen"]
