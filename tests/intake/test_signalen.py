"""Signalen (vroegsignalering) through the Intake API, in-process on the selected database: one signal and
batches, deduplication by the partner's id and by household key and partner within the window, all-or-nothing
validation, and the profile's rule that opens a proactive aanvraag."""

from __future__ import annotations

import contextlib
import random
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from contracts.envelope import CloudEvent
from sds.runtime.auth import AUTH_HEADER, AuthContext, Autorisatie, sign_auth_context
from sds.runtime.db import Database, create_engine, outbox_table
from sds.runtime.settings import DEV_INTERNAL_SECRET
from services.intake.app import create_app
from services.intake.models import aanvragen, verwerkingen
from services.intake.settings import IntakeSettings
from services.intake.signalen.models import signalen
from tests.support.bsns import synthetic_bsns
from tests.support.databases import fresh_database_url

BASE = "http://testserver"
API = f"{BASE}/intake/api/v1"
SIGNAAL_ONTVANGEN = "nl.sociaal-domein.intake.signaal-ontvangen"
TODAY = datetime.now(UTC).date()

# 9999xxxxx is the range the BRP test environment uses for made-up persons; nobody real has these numbers.
BSNS = list(synthetic_bsns("9999"))

PARTNER = AuthContext(client_id="woningcorporatie-1", autorisaties=[
    Autorisatie(component="intake", scopes=["intake.signalen.aanmaken"])])
TEAM = AuthContext(client_id="vroegsignalering", autorisaties=[
    Autorisatie(component="intake", scopes=["intake.signalen.lezen"])])


def headers(ctx: AuthContext | None = None) -> dict[str, str]:
    ctx = ctx or AuthContext(client_id="test-alles", heeft_alle_autorisaties=True)
    return {AUTH_HEADER: sign_auth_context(ctx, DEV_INTERNAL_SECRET)}


def signaal(n: int = 0, *, partnersoort: str = "woningcorporatie", partner: str = "KVK12345678",
            referentie: str | None = None, soort: str = "huurachterstand", bedrag: int = 125_000,
            dagen_geleden: int = 1, crisis: bool = False, postcode: str = "1234AB", huisnummer: int | None = None,
            toevoeging: str | None = None, bsn: str | None = None) -> dict[str, Any]:
    signaaldatum = TODAY - timedelta(days=dagen_geleden)
    adres: dict[str, Any] = {"postcode": postcode, "huisnummer": huisnummer if huisnummer is not None else n + 1}
    if toevoeging is not None:
        adres["huisnummertoevoeging"] = toevoeging
    return {"partnersoort": partnersoort, "partner": partner, "partnerReferentie": referentie or f"ref-{n}",
            "signaalsoort": soort, "bedrag": bedrag, "ontstaansdatum": (signaaldatum - timedelta(days=60)).isoformat(),
            "signaaldatum": signaaldatum.isoformat(), "crisissignaal": crisis,
            "burgerservicenummer": bsn or BSNS[n % len(BSNS)], "adres": adres}


@dataclass
class Intake:
    app: FastAPI
    client: httpx.AsyncClient

    async def post(self, path: str, body: Any, ctx: AuthContext | None = None) -> httpx.Response:
        return await self.client.post(f"{API}{path}", json=body, headers=headers(ctx))

    async def get(self, path_or_url: str, ctx: AuthContext | None = None, **params: Any) -> httpx.Response:
        url = path_or_url if path_or_url.startswith("http") else f"{API}{path_or_url}"
        return await self.client.get(url, params=params, headers=headers(ctx))

    async def batch(self, items: list[dict[str, Any]], **extra: Any) -> httpx.Response:
        return await self.post("/signalen/batches", {"signalen": items, **extra})

    async def count(self, table: Any, *where: Any) -> int:
        async with self.app.state.db.transaction() as session:
            return int((await session.execute(select(func.count()).select_from(table).where(*where))).scalar_one())

    async def proactieve_aanvragen(self) -> list[Any]:
        async with self.app.state.db.transaction() as session:
            return list((await session.execute(select(aanvragen).where(
                aanvragen.c.ingediend_door == "signalering").order_by(aanvragen.c.id))).all())

    async def events(self, type_: str = SIGNAAL_ONTVANGEN) -> list[CloudEvent]:
        table = outbox_table(self.app.state.metadata)
        async with self.app.state.db.transaction() as session:
            rows = (await session.execute(select(table.c.payload).order_by(table.c.seq))).scalars().all()
        return [e for e in map(CloudEvent.from_json, rows) if e.type == type_]


@contextlib.asynccontextmanager
async def running_intake(tmp_path: Any, archetype: str | None = "transitie-proof") -> AsyncIterator[Intake]:
    """The intake app on a fresh database, without a bus (its events stay in the outbox, where the tests read
    them) and without its background loops: signals need neither."""
    async with fresh_database_url(tmp_path, "intake_signalen") as url:
        app = create_app(IntakeSettings(env="dev", database_url=url, nats_url="nats://127.0.0.1:1",
                                        public_base_url=BASE, archetype=archetype))
        engine = create_engine(url)
        async with engine.begin() as conn:
            await conn.run_sync(app.state.metadata.create_all)
        await engine.dispose()
        app.state.db = Database(url)
        try:
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as client:
                yield Intake(app, client)
        finally:
            await app.state.db.dispose()


@pytest.fixture
async def intake(tmp_path: Any) -> AsyncIterator[Intake]:
    async with running_intake(tmp_path) as it:
        yield it


# --- one signal -------------------------------------------------------------------------------------------------

async def test_een_signaal_wordt_opgeslagen_gepubliceerd_en_gelezen(intake: Intake) -> None:
    body = signaal(0, postcode="1234 ab", toevoeging="a")
    r = await intake.post("/signalen", body, PARTNER)
    assert r.status_code == 201, r.text
    out = r.json()
    assert r.headers["Location"] == out["url"] and out["url"] == f"{API}/signalen/{out['uuid']}"
    assert out["adres"] == {"postcode": "1234AB", "huisnummer": 1, "huisnummertoevoeging": "A"}
    assert out["bedrag"] == 125_000 and out["partnerReferentie"] == "ref-0" and out["aanvraag"] is None
    assert "burgerservicenummer" not in r.text and body["burgerservicenummer"] not in r.text

    read = await intake.get(out["url"], TEAM)
    assert read.status_code == 200 and read.json() == out
    assert (await intake.get(out["url"], PARTNER)).status_code == 403  # a partner reports, it does not read
    assert (await intake.get("/signalen/00000000-0000-4000-8000-000000000000", TEAM)).status_code == 404

    (event,) = await intake.events()
    assert event.subject == out["uuid"] and event.dataref == out["url"]
    assert event.data == {"signaal": out["url"], "huishouden": None, "partnersoort": "woningcorporatie",
                          "signaalsoort": "huurachterstand", "crisis": False, "registratiedatum": TODAY.isoformat()}
    # No amount, address or BSN on the bus.
    assert "125000" not in event.to_json().decode() and body["burgerservicenummer"] not in event.to_json().decode()


async def test_lijst_filtert_op_partnersoort_signaalsoort_en_crisis(intake: Intake) -> None:
    items = [signaal(0), signaal(1, partnersoort="energiebedrijf", partner="ENECO", soort="energieachterstand"),
             signaal(2, crisis=True), signaal(3, partnersoort="school", partner="BRIN01AB", soort="schoolverzuim")]
    assert (await intake.batch(items)).status_code == 200
    r = await intake.get("/signalen", TEAM)
    assert r.status_code == 200 and r.json()["count"] == 4
    assert [s["partnerReferentie"] for s in r.json()["results"]] == ["ref-3", "ref-2", "ref-1", "ref-0"]
    woning = (await intake.get("/signalen", TEAM, partnersoort="woningcorporatie")).json()
    assert sorted(s["partnerReferentie"] for s in woning["results"]) == ["ref-0", "ref-2"]
    energie = (await intake.get("/signalen", TEAM, signaalsoort="energieachterstand")).json()
    assert [s["partnerReferentie"] for s in energie["results"]] == ["ref-1"]
    crisis = (await intake.get("/signalen", TEAM, crisissignaal="true")).json()
    assert [s["partnerReferentie"] for s in crisis["results"]] == ["ref-2"]
    page = (await intake.get("/signalen", TEAM, pageSize=3)).json()
    assert len(page["results"]) == 3 and page["next"] is not None
    assert (await intake.get("/signalen", TEAM, partnersoort="bank")).status_code == 400


# --- duplicates -------------------------------------------------------------------------------------------------

async def test_duplicaat_binnen_het_venster_verandert_niets(intake: Intake) -> None:
    eerste = await intake.post("/signalen", signaal(0, huisnummer=7, dagen_geleden=100), PARTNER)
    assert eerste.status_code == 201
    # Another signal of the same partner for the same address (spelled differently) inside the 90-day window.
    dubbel = signaal(0, referentie="ref-anders", huisnummer=7, postcode="1234 ab", dagen_geleden=20, bedrag=999)
    r = await intake.post("/signalen", dubbel, PARTNER)
    assert r.status_code == 200, r.text
    assert r.json()["uuid"] == eerste.json()["uuid"] and r.json()["bedrag"] == 125_000
    # The same signal again (the partner's own id): the same answer.
    again = await intake.post("/signalen", signaal(0, huisnummer=7, dagen_geleden=100), PARTNER)
    assert again.status_code == 200 and again.json()["uuid"] == eerste.json()["uuid"]
    assert await intake.count(signalen) == 1 and len(await intake.events()) == 1

    # Past the window: a signal of its own. Another partner, or another address: a signal of its own.
    later = await intake.post("/signalen", signaal(0, referentie="ref-later", huisnummer=7, dagen_geleden=10),
                              PARTNER)
    assert later.status_code == 201
    ander = await intake.post("/signalen", signaal(0, referentie="x", partner="KVK87654321", huisnummer=7),
                              PARTNER)
    assert ander.status_code == 201
    buren = await intake.post("/signalen", signaal(0, referentie="y", huisnummer=7, toevoeging="B"), PARTNER)
    assert buren.status_code == 201
    assert await intake.count(signalen) == 4 and len(await intake.events()) == 4


async def test_batch_tweemaal_gestuurd_heeft_geen_tweede_effect(intake: Intake) -> None:
    items = [signaal(n, huisnummer=n % 5 + 1, partner=f"P{n % 2}") for n in range(12)]
    first = await intake.batch(items, batchId="batch-2026-11-28-1")
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["batchId"] == "batch-2026-11-28-1" and body["aantal"] == 12
    # 5 addresses x 2 partners: 10 windows, so 10 signals and 2 duplicates (in the batch's order).
    assert body["aangemaakt"] == 10 and body["duplicaat"] == 2
    assert [r["status"] for r in body["resultaten"]] == ["aangemaakt"] * 10 + ["duplicaat"] * 2
    assert body["resultaten"][10]["signaal"] == body["resultaten"][0]["signaal"]
    assert body["resultaten"][11]["signaal"] == body["resultaten"][1]["signaal"]

    second = await intake.batch(items)
    assert second.status_code == 200
    assert [r["signaal"] for r in second.json()["resultaten"]] == [r["signaal"] for r in body["resultaten"]]
    assert second.json()["aangemaakt"] == 0 and second.json()["duplicaat"] == 12
    assert await intake.count(signalen) == 10 and len(await intake.events()) == 10
    stored = (await intake.get(body["resultaten"][0]["signaal"], TEAM)).json()
    assert stored["batchId"] == "batch-2026-11-28-1"


# --- bad input ------------------------------------------------------------------------------------------------

def _names(r: httpx.Response) -> set[str]:
    assert r.status_code == 400, r.text
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["code"] == "invalid" and body["status"] == 400
    return {p["name"] for p in body["invalidParams"]}


async def test_ongeldige_signalen_in_een_batch_slaan_niets_op(intake: Intake) -> None:
    items = [signaal(n) for n in range(12)]
    items[3]["bedrag"] = -1
    del items[4]["partnersoort"]
    items[5]["partnersoort"] = "bank"
    items[6]["kolom"] = "schuldhulp"  # a signal names no kolom: the profile decides
    items[7]["signaaldatum"] = (TODAY + timedelta(days=2)).isoformat()  # in the future in every time zone
    items[8]["ontstaansdatum"] = TODAY.isoformat()
    items[8]["signaaldatum"] = (TODAY - timedelta(days=3)).isoformat()
    items[9]["burgerservicenummer"] = "999999999"
    items[10]["signaalsoort"] = "parkeerboete"
    items[11]["adres"]["postcode"] = "0123AB"
    r = await intake.batch(items)
    assert _names(r) == {"signalen.3.bedrag", "signalen.4.partnersoort", "signalen.5.partnersoort",
                         "signalen.6.kolom", "signalen.7.signaaldatum", "signalen.8.signaaldatum",
                         "signalen.9.burgerservicenummer", "signalen.10.signaalsoort",
                         "signalen.11.adres.postcode"}
    assert "999999999" not in r.text
    assert await intake.count(signalen) == 0 and await intake.events() == []


async def test_lege_en_te_grote_batch_en_ongeldig_enkel_signaal(intake: Intake) -> None:
    assert _names(await intake.batch([])) == {"signalen"}
    assert _names(await intake.post("/signalen/batches", {"batchId": "x"})) == {"signalen"}
    te_groot = [signaal(n % 50, referentie=f"r{n}") for n in range(10_001)]
    assert _names(await intake.batch(te_groot)) == {"signalen"}
    zonder = signaal(0)
    del zonder["partnersoort"]
    assert _names(await intake.post("/signalen", zonder)) == {"partnersoort"}
    assert _names(await intake.post("/signalen", signaal(0, bedrag=-5))) == {"bedrag"}
    assert _names(await intake.post("/signalen", {**signaal(0), "kolom": "onbekend"})) == {"kolom"}
    assert await intake.count(signalen) == 0 and await intake.events() == []


async def test_zonder_scope_geen_signalen(intake: Intake) -> None:
    r = await intake.post("/signalen", signaal(0), TEAM)
    assert r.status_code == 403
    assert (await intake.post("/signalen/batches", {"signalen": [signaal(0)]}, TEAM)).status_code == 403
    assert (await intake.get("/signalen", PARTNER)).status_code == 403
    assert await intake.count(signalen) == 0


# --- the rule ---------------------------------------------------------------------------------------------------

async def test_twee_partners_binnen_het_venster_openen_een_aanvraag(intake: Intake) -> None:
    bsn = BSNS[42]
    huur = await intake.post("/signalen", signaal(0, huisnummer=3, bsn=bsn, dagen_geleden=30), PARTNER)
    assert huur.status_code == 201 and await intake.proactieve_aanvragen() == []
    # A kind the profile maps to no kolom is registered and counts for nothing.
    overig = await intake.post("/signalen", signaal(1, partnersoort="overig", partner="GEM-BIBLIOTHEEK",
                                                    soort="overig", huisnummer=3), PARTNER)
    assert overig.status_code == 201 and await intake.proactieve_aanvragen() == []

    energie = await intake.post("/signalen", signaal(2, partnersoort="energiebedrijf", partner="ENECO",
                                                     soort="energieachterstand", huisnummer=3, bsn=bsn), PARTNER)
    assert energie.status_code == 201
    (aanvraag,) = await intake.proactieve_aanvragen()
    assert aanvraag.aanvrager == {"burgerservicenummer": bsn} and aanvraag.kolommen == ["schuldhulp"]
    assert "2 partners" in aanvraag.toelichting and "90 dagen" in aanvraag.toelichting
    read = (await intake.get(energie.json()["url"], TEAM)).json()
    assert read["aanvraag"] == f"{API}/aanvragen/{aanvraag.uuid}"
    assert energie.json()["aanvraag"] is None  # the partner is not told

    # A third partner in the same window opens no second aanvraag.
    water = await intake.post("/signalen", signaal(3, partnersoort="waterbedrijf", partner="VITENS",
                                                   soort="waterachterstand", huisnummer=3), PARTNER)
    assert water.status_code == 201 and len(await intake.proactieve_aanvragen()) == 1


async def test_signalen_buiten_elkaars_venster_openen_niets(intake: Intake) -> None:
    await intake.post("/signalen", signaal(0, huisnummer=9, dagen_geleden=200), PARTNER)
    await intake.post("/signalen", signaal(1, huisnummer=9, partnersoort="zorgverzekeraar", partner="CZ",
                                           soort="zorgverzekeringsachterstand", dagen_geleden=5), PARTNER)
    assert await intake.count(signalen) == 2 and await intake.proactieve_aanvragen() == []


async def test_crisissignaal_opent_direct_een_aanvraag(intake: Intake) -> None:
    r = await intake.post("/signalen", signaal(0, crisis=True, soort="huurachterstand"), PARTNER)
    assert r.status_code == 201
    (aanvraag,) = await intake.proactieve_aanvragen()
    assert aanvraag.kolommen == ["schuldhulp"] and "Crisissignaal" in aanvraag.toelichting
    # A crisis in a kind that maps to another kolom goes there; a crisis of an unmapped kind opens nothing.
    school = await intake.post("/signalen", signaal(1, crisis=True, partnersoort="school", partner="BRIN01AB",
                                                    soort="schoolverzuim"), PARTNER)
    assert school.status_code == 201
    assert [a.kolommen for a in await intake.proactieve_aanvragen()] == [["schuldhulp"], ["jeugd"]]
    await intake.post("/signalen", signaal(2, crisis=True, partnersoort="overig", partner="X", soort="overig"),
                      PARTNER)
    assert len(await intake.proactieve_aanvragen()) == 2


@pytest.mark.parametrize("archetype", [None, "zonder-signaalfunctie"])
async def test_zonder_signaalfunctie_geen_aanvraag(tmp_path: Any, archetype: str | None) -> None:
    async with running_intake(tmp_path, archetype="transitie-proof" if archetype else None) as it:
        if archetype:
            profile = it.app.state.intake.profile
            it.app.state.intake.profile = profile.model_copy(update={"capabilities": profile.capabilities.model_copy(
                update={"signaalfunctie": False})})
        r = await it.batch([signaal(0, crisis=True), signaal(1, huisnummer=1, partnersoort="energiebedrijf",
                                                            partner="ENECO", soort="energieachterstand")])
        assert r.status_code == 200 and r.json()["aangemaakt"] == 2
        assert await it.count(signalen) == 2 and len(await it.events()) == 2
        assert await it.proactieve_aanvragen() == []


# --- 10,000 signals, 20% duplicates, sent twice -----------------------------------------------------------------

PARTNERS = [("woningcorporatie", "KVK11111111", "huurachterstand"), ("energiebedrijf", "ENECO", "energieachterstand"),
            ("waterbedrijf", "VITENS", "waterachterstand"), ("zorgverzekeraar", "CZ", "zorgverzekeringsachterstand"),
            ("overig", "BIEB", "overig")]


def tienduizend(seed: int = 6) -> tuple[list[dict[str, Any]], int, int]:
    """10,000 signals of which 2,000 duplicates (half a partner's id sent again, half another signal of the same
    partner and address inside the window); returns them with the number of distinct signals and the number of
    addresses the rule opens an aanvraag for, both counted here from the data alone."""
    rng = random.Random(seed)
    uniek: list[dict[str, Any]] = []
    seen: set[tuple[int, int]] = set()
    while len(uniek) < 8000:
        huis, p = rng.randrange(1, 6001), rng.randrange(len(PARTNERS))
        if (huis, p) in seen:
            continue
        seen.add((huis, p))
        soort, partner, kind = PARTNERS[p]
        uniek.append(signaal(len(uniek), partnersoort=soort, partner=partner, soort=kind, huisnummer=huis,
                             referentie=f"{partner}-{len(uniek)}", dagen_geleden=rng.randrange(10, 40),
                             crisis=rng.random() < 0.02, bsn=BSNS[huis % len(BSNS)]))
    dubbel = []
    for n in range(2000):
        origineel = dict(uniek[rng.randrange(len(uniek))])
        if n % 2:
            later = date.fromisoformat(origineel["signaaldatum"]) + timedelta(days=5)
            origineel = {**origineel, "partnerReferentie": f"{origineel['partnerReferentie']}-b",
                         "signaaldatum": later.isoformat()}
        dubbel.append(origineel)
    items = uniek + dubbel
    rng.shuffle(items)
    # What the rule must do, from the data: per address the mapped partners, and whether a crisis came along.
    mapped = {"huurachterstand", "energieachterstand", "waterachterstand", "zorgverzekeringsachterstand"}
    partners: dict[int, set[str]] = {}
    crisis: set[int] = set()
    for s in uniek:
        if s["signaalsoort"] in mapped:
            partners.setdefault(s["adres"]["huisnummer"], set()).add(s["partner"])
            if s["crisissignaal"]:
                crisis.add(s["adres"]["huisnummer"])
    verwacht = sum(1 for huis, ps in partners.items() if len(ps) >= 2 or huis in crisis)
    return items, len(uniek), verwacht


async def test_tienduizend_signalen_met_twintig_procent_duplicaten_tweemaal(intake: Intake) -> None:
    items, uniek, verwacht = tienduizend()
    first = await intake.batch(items, batchId="groot-1")
    assert first.status_code == 200, first.text[:500]
    body = first.json()
    assert body["aantal"] == 10_000 and body["aangemaakt"] == uniek and body["duplicaat"] == 10_000 - uniek
    assert [r["index"] for r in body["resultaten"]] == list(range(10_000))
    assert await intake.count(signalen) == uniek and len(await intake.events()) == uniek
    assert len(await intake.proactieve_aanvragen()) == verwacht and verwacht > 500
    # The batch's verwerkingenlog: more records than one INSERT of bind parameters per value could hold (4,096
    # rows of 8 pass PostgreSQL's 32,767 parameters), all written.
    assert await intake.count(verwerkingen) > 4_096

    second = await intake.batch(items, batchId="groot-1")
    assert second.status_code == 200
    assert second.json()["aangemaakt"] == 0 and second.json()["duplicaat"] == 10_000
    assert [r["signaal"] for r in second.json()["resultaten"]] == [r["signaal"] for r in body["resultaten"]]
    assert await intake.count(signalen) == uniek and len(await intake.events()) == uniek
    assert len(await intake.proactieve_aanvragen()) == verwacht


async def test_een_aanvraag_per_adres_en_venster(intake: Intake) -> None:
    oud = await intake.post("/signalen", signaal(0, huisnummer=4, crisis=True, dagen_geleden=150), PARTNER)
    assert oud.status_code == 201 and len(await intake.proactieve_aanvragen()) == 1
    # 140 days on: a new window for the partner and for the address, so a new aanvraag.
    nieuw = await intake.post("/signalen", signaal(0, referentie="ref-nieuw", huisnummer=4, crisis=True,
                                                   dagen_geleden=10), PARTNER)
    assert nieuw.status_code == 201 and len(await intake.proactieve_aanvragen()) == 2
    # Another partner's crisis inside that window: registered, no third aanvraag.
    ander = await intake.post("/signalen", signaal(1, partnersoort="energiebedrijf", partner="ENECO",
                                                   soort="energieachterstand", huisnummer=4, crisis=True,
                                                   dagen_geleden=5), PARTNER)
    assert ander.status_code == 201 and len(await intake.proactieve_aanvragen()) == 2
    gelezen = [(await intake.get(r.json()["url"], TEAM)).json()["aanvraag"] for r in (oud, nieuw, ander)]
    assert gelezen[0] and gelezen[1] and gelezen[0] != gelezen[1] and gelezen[2] is None
