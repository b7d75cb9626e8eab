"""Financien's events in beleidsinfo: toewijzingen and what they commit, declaraties and what was claimed,
afwijzingen and budgets — exact figures from known event sequences, once per event, the same after a replay,
small cells suppressed, and the clustering's cost per cluster."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from contracts.envelope import CloudEvent, subject_for
from contracts.events import make_event
from sds.runtime.bus import Bus
from sds.runtime.db import create_engine
from services.beleidsinfo.app import create_app
from services.beleidsinfo.models import toewijzingen
from services.beleidsinfo.projectie import TABLES
from services.beleidsinfo.settings import BeleidsinfoSettings
from tests.beleidsinfo.conftest import Bi, headers, huishouden, zaak_geopend
from tests.beleidsinfo.test_replay import suite_database
from tests.support.natsserver import NatsServer

FIN = "http://gemeente.test/financien/api/v1"
ZAKEN = "http://gemeente.test/zaken/api/v1"
RANGE = {"van": "2026-01-01", "tot": "2026-12-31"}
JAAR = {**RANGE, "periode": "jaar"}


def aanbieder(nr: int) -> str:
    return f"{FIN}/aanbieders/00000000-0000-4000-9000-{nr:012d}"


def _event(type_: str, data: dict[str, Any], ref: str, when: datetime | None = None) -> CloudEvent:
    ev = make_event(type_, data, source="urn:nld:sociaal-domein:financien", subject=ref.rsplit("/", 1)[-1],
                    dataref=ref)
    return ev.model_copy(update={"time": when}) if when else ev


def _toewijzing(nr: int, hh: int, kolom: str, begin: date, verplichting: int, *, aanbieder_nr: int = 1,
                einde: date | None = None, cluster: str | None = None) -> dict[str, Any]:
    return {"toewijzing": f"{FIN}/toewijzingen/{nr}", "zaak": f"{ZAKEN}/zaken/{nr}", "huishouden": huishouden(hh),
            "kolom": kolom, "cluster": cluster, "aanbieder": aanbieder(aanbieder_nr),
            "contract": f"{FIN}/contracten/{aanbieder_nr}",
            "product": {"productcategorie": "02", "productcode": "02A01"},
            "omvang": {"volume": 4, "eenheid": "uur", "frequentie": "per-week"},
            "begindatum": begin.isoformat(), "einddatum": einde.isoformat() if einde else None,
            "verplichting": verplichting}


def toewijzing_afgegeven(nr: int, hh: int, kolom: str, begin: date, verplichting: int, **kw: Any) -> CloudEvent:
    return _event("nl.sociaal-domein.financien.toewijzing-afgegeven",
                  _toewijzing(nr, hh, kolom, begin, verplichting, **kw), f"{FIN}/toewijzingen/{nr}")


def toewijzing_gewijzigd(nr: int, hh: int, kolom: str, begin: date, verplichting: int, **kw: Any) -> CloudEvent:
    return _event("nl.sociaal-domein.financien.toewijzing-gewijzigd",
                  _toewijzing(nr, hh, kolom, begin, verplichting, **kw), f"{FIN}/toewijzingen/{nr}")


def toewijzing_beeindigd(nr: int, kolom: str, einde: date, verplichting: int, aanbieder_nr: int = 1) -> CloudEvent:
    return _event("nl.sociaal-domein.financien.toewijzing-beeindigd", {
        "toewijzing": f"{FIN}/toewijzingen/{nr}", "zaak": f"{ZAKEN}/zaken/{nr}", "aanbieder": aanbieder(aanbieder_nr),
        "kolom": kolom, "einddatum": einde.isoformat(), "verplichting": verplichting}, f"{FIN}/toewijzingen/{nr}")


def toewijzing_afgewezen(nr: int, hh: int, kolom: str, dag: date, redenen: list[str]) -> CloudEvent:
    return _event("nl.sociaal-domein.financien.toewijzing-afgewezen", {
        "toewijzing": f"{FIN}/toewijzingen/{nr}", "zaak": f"{ZAKEN}/zaken/{nr}", "huishouden": huishouden(hh),
        "kolom": kolom, "aanbieder": None, "product": {"productcategorie": "02", "productcode": "02A01"},
        "omvang": {"volume": 4, "eenheid": "uur", "frequentie": "per-week"}, "redenen": redenen},
        f"{FIN}/toewijzingen/{nr}", when=datetime(dag.year, dag.month, dag.day, 12, tzinfo=UTC))


def zorg_gestart(nr: int, kolom: str, dag: date, aanbieder_nr: int = 1) -> CloudEvent:
    return _event("nl.sociaal-domein.financien.zorg-gestart", {
        "toewijzing": f"{FIN}/toewijzingen/{nr}", "aanbieder": aanbieder(aanbieder_nr), "kolom": kolom,
        "begindatum": dag.isoformat()}, f"{FIN}/toewijzingen/{nr}")


def declaratie_verwerkt(nr: int, begin: date, eind: date, delen: list[tuple[str, int, int]],
                        aanbieder_nr: int = 1) -> CloudEvent:
    """``delen``: per kolom (kolom, goedgekeurd bedrag, afgekeurd bedrag); each a line of each."""
    per_kolom = [{"kolom": k, "cluster": None, "aantalGoedgekeurd": 1, "aantalAfgekeurd": 1 if af else 0,
                  "goedgekeurdBedrag": goed, "afgekeurdBedrag": af} for k, goed, af in delen]
    goed, af = sum(d[1] for d in delen), sum(d[2] for d in delen)
    return _event("nl.sociaal-domein.financien.declaratie-verwerkt", {
        "declaratie": f"{FIN}/declaraties/{nr}", "aanbieder": aanbieder(aanbieder_nr),
        "begindatum": begin.isoformat(), "einddatum": eind.isoformat(),
        "aantalRegels": sum(p["aantalGoedgekeurd"] + p["aantalAfgekeurd"] for p in per_kolom),  # type: ignore[operator]
        "ingediendBedrag": goed + af, "goedgekeurdBedrag": goed, "afgekeurdBedrag": af, "perKolom": per_kolom,
        "afkeurredenen": [{"code": "0001", "aantal": 1}] if af else []}, f"{FIN}/declaraties/{nr}")


def budget_drempel(nr: int, kolom: str | None, cluster: str | None, jaar: int, drempel: int,
                   bedrag: int) -> CloudEvent:
    return _event("nl.sociaal-domein.financien.budget-drempel-bereikt", {
        "budget": f"{FIN}/budgetten/{nr}", "kolom": kolom, "cluster": cluster, "jaar": jaar,
        "drempelPercentage": drempel, "budgetBedrag": bedrag, "verplichtBedrag": bedrag * drempel // 100,
        "gerealiseerdBedrag": 0}, f"{FIN}/budgetten/{nr}")


def cel(cellen: list[dict[str, Any]], **plaats: str) -> dict[str, Any]:
    """The one cell at ``plaats``: kolom, cluster and aanbieder default to 'alle' (transitie-proof: a kolom is
    its own cluster, so a kolom's cluster defaults to the kolom)."""
    plaats.setdefault("kolom", "alle")
    plaats.setdefault("cluster", plaats["kolom"])
    if cellen and "aanbieder" in cellen[0]:
        plaats.setdefault("aanbieder", "alle")
    [found] = [c for c in cellen if all(c.get(k) == v for k, v in plaats.items())]
    return found


FEB = date(2026, 2, 1)


async def _vijf_jeugd(bi: Bi) -> None:
    """Five jeugd households each with a toewijzing of € 1.000,00 at aanbieder 1 from February."""
    await bi.deliver(*(toewijzing_afgegeven(n, n, "jeugd", FEB, 100_000) for n in range(5)))


async def test_afgegeven_then_gewijzigd_then_beeindigd_leaves_the_final_verplichting(bi: Bi) -> None:
    await _vijf_jeugd(bi)
    await bi.deliver(toewijzing_gewijzigd(0, 0, "jeugd", FEB, 250_000))  # replaces, does not add
    await bi.deliver(toewijzing_gewijzigd(0, 0, "jeugd", FEB, 180_000))
    await bi.deliver(toewijzing_beeindigd(1, "jeugd", date(2026, 3, 31), 40_000))  # what remains committed
    cellen = await bi.cellen("verplichtingen", **RANGE)
    assert cel(cellen, periode="2026-02", kolom="jeugd") == {
        "periode": "2026-02", "aanbieder": "alle", "kolom": "jeugd", "cluster": "jeugd", "toewijzingen": 5,
        "verplichting": 180_000 + 40_000 + 3 * 100_000, "onderdrukt": False}
    assert cel(cellen, periode="2026-02", aanbieder=aanbieder(1), kolom="jeugd")["verplichting"] == 520_000
    assert cel(cellen, periode="2026-02", cluster="jeugd")["verplichting"] == 520_000
    assert cel(cellen, periode="2026-02", cluster="alle")["toewijzingen"] == 5
    async with bi.app.state.db.transaction() as session:
        rows = {r.status: r for r in (await session.execute(select(toewijzingen))).all()}
    assert rows["beeindigd"].einddatum == date(2026, 3, 31)
    assert rows["gewijzigd"].verplichting == 180_000
    # Pseudonyms, never the references themselves.
    assert all(len(r.huishouden) == 32 and "http" not in r.huishouden + r.zaak + r.toewijzing for r in rows.values())


async def test_a_change_in_the_same_batch_as_its_allocation_is_applied_in_stream_order(bi: Bi) -> None:
    await bi.deliver(*(toewijzing_afgegeven(n, n, "wmo", FEB, 10_000) for n in range(5)),
                     toewijzing_gewijzigd(0, 0, "wmo", FEB, 30_000), zorg_gestart(0, "wmo", date(2026, 2, 3)),
                     toewijzing_beeindigd(0, "wmo", date(2026, 2, 28), 5_000))
    assert cel(await bi.cellen("verplichtingen", **JAAR), periode="2026", kolom="wmo")["verplichting"] == 45_000
    async with bi.app.state.db.transaction() as session:
        row = (await session.execute(select(toewijzingen).where(toewijzingen.c.status == "beeindigd"))).one()
    assert (row.verplichting, row.zorg_begin, row.einddatum) == (5_000, date(2026, 2, 3), date(2026, 2, 28))


async def test_a_change_before_its_toewijzing_is_retried_later(bi: Bi) -> None:
    from sds.runtime.consumer import HandlerFailed

    with pytest.raises(HandlerFailed):
        await bi.deliver(toewijzing_beeindigd(7, "wmo", date(2026, 3, 1), 1_000))
    await bi.deliver(toewijzing_afgegeven(7, 7, "wmo", FEB, 9_000))
    await bi.deliver(toewijzing_beeindigd(7, "wmo", date(2026, 3, 1), 1_000))
    async with bi.app.state.db.transaction() as session:
        assert (await session.execute(select(toewijzingen.c.verplichting))).scalars().all() == [1_000]


async def test_declaraties_give_the_realisatie_per_kolom(bi: Bi) -> None:
    await _vijf_jeugd(bi)
    await bi.deliver(toewijzing_afgegeven(9, 9, "wmo", FEB, 50_000))
    await bi.deliver(declaratie_verwerkt(1, FEB, date(2026, 2, 28), [("jeugd", 30_000, 2_000), ("wmo", 7_000, 0)]),
                     declaratie_verwerkt(2, date(2026, 3, 1), date(2026, 3, 31), [("jeugd", 45_000, 0)]))
    cellen = await bi.cellen("realisatie", **RANGE)
    assert cel(cellen, periode="2026-03", kolom="jeugd") == {
        "periode": "2026-03", "kolom": "jeugd", "cluster": "jeugd", "goedgekeurdBedrag": 45_000,
        "afgekeurdBedrag": 0, "regelsGoedgekeurd": 1, "regelsAfgekeurd": 0, "onderdrukt": False}
    # wmo's claim rests on one household's toewijzing: suppressed, and with it the smallest other cluster
    # of February (jeugd) so the total does not give it away.
    assert cel(cellen, periode="2026-02", kolom="wmo")["onderdrukt"] is True
    assert cel(cellen, periode="2026-02", kolom="wmo")["goedgekeurdBedrag"] is None
    assert cel(cellen, periode="2026-02", cluster="jeugd")["onderdrukt"] is True
    assert cel(cellen, periode="2026-02", kolom="jeugd")["onderdrukt"] is True
    assert cel(cellen, periode="2026-02", cluster="alle")["goedgekeurdBedrag"] == 37_000
    jaar = await bi.cellen("realisatie", **JAAR)
    assert cel(jaar, periode="2026", cluster="alle") == {
        "periode": "2026", "kolom": "alle", "cluster": "alle", "goedgekeurdBedrag": 82_000, "afgekeurdBedrag": 2_000,
        "regelsGoedgekeurd": 3, "regelsAfgekeurd": 1, "onderdrukt": False}
    # A declaratie seen again (a correction, or a redelivery) replaces its parts.
    await bi.deliver(declaratie_verwerkt(2, date(2026, 3, 1), date(2026, 3, 31), [("jeugd", 40_000, 5_000)]))
    assert cel(await bi.cellen("realisatie", **JAAR), periode="2026", cluster="alle")["goedgekeurdBedrag"] == 77_000


async def test_a_claim_without_a_known_toewijzing_rests_on_at_least_one_household(bi: Bi) -> None:
    await bi.deliver(declaratie_verwerkt(1, FEB, date(2026, 2, 28), [("schuldhulp", 12_345, 0)], aanbieder_nr=4))
    [*_, totaal] = await bi.cellen("realisatie", **JAAR)
    assert totaal["onderdrukt"] is True and totaal["goedgekeurdBedrag"] is None


async def test_an_event_delivered_twice_counts_once(bi: Bi) -> None:
    events = [toewijzing_afgegeven(n, n, "wmo", FEB, 1_000) for n in range(6)]
    events += [declaratie_verwerkt(1, FEB, date(2026, 2, 28), [("wmo", 600, 0)]),
               toewijzing_afgewezen(50, 50, "wmo", FEB, ["geen-contract"])]
    await bi.deliver(*events)
    await bi.deliver(*events)
    await bi.deliver(events[0], events[-1])
    assert cel(await bi.cellen("verplichtingen", **JAAR), periode="2026", kolom="wmo")["toewijzingen"] == 6
    assert cel(await bi.cellen("verplichtingen", **JAAR), periode="2026", kolom="wmo")["verplichting"] == 6_000
    assert cel(await bi.cellen("realisatie", **JAAR), periode="2026", kolom="wmo")["goedgekeurdBedrag"] == 600
    async with bi.app.state.db.transaction() as session:
        assert (await session.execute(select(func.count()).select_from(toewijzingen))).scalar_one() == 6


async def test_small_amount_cells_are_suppressed_per_aanbieder_too(bi: Bi) -> None:
    # Aanbieder 1: six wmo households; aanbieder 2: two. The wmo cell of all aanbieders stands (8 households).
    await bi.deliver(*(toewijzing_afgegeven(n, n, "wmo", FEB, 10_000) for n in range(6)),
                     *(toewijzing_afgegeven(n, n, "wmo", FEB, 77_700, aanbieder_nr=2) for n in range(6, 8)))
    cellen = await bi.cellen("verplichtingen", **JAAR)
    twee = cel(cellen, periode="2026", aanbieder=aanbieder(2), kolom="wmo")
    assert twee["onderdrukt"] is True and twee["verplichting"] is None and twee["toewijzingen"] is None
    # Secondary: the other aanbieder's cell would give it away from the total, so it goes too.
    assert cel(cellen, periode="2026", aanbieder=aanbieder(1), kolom="wmo")["onderdrukt"] is True
    assert cel(cellen, periode="2026", kolom="wmo")["verplichting"] == 6 * 10_000 + 2 * 77_700
    csv = await bi.get("/indicatoren/verplichtingen", formaat="csv", **JAAR)
    assert csv.status_code == 200
    assert csv.text.splitlines()[0] == "periode,aanbieder,kolom,cluster,toewijzingen,verplichting,onderdrukt"
    assert "2026,alle,wmo,wmo,8,215400,false" in csv.text.splitlines()
    # The same household twice is one household: two toewijzingen of one family do not make a cell.
    await bi.deliver(toewijzing_afgegeven(90, 90, "participatie", FEB, 5_000),
                     toewijzing_afgegeven(91, 90, "participatie", FEB, 5_000))
    deel = cel(await bi.cellen("verplichtingen", **JAAR), periode="2026", kolom="participatie")
    assert deel["onderdrukt"] is True


async def test_afwijzingen_per_reden(bi: Bi) -> None:
    await bi.deliver(*(toewijzing_afgewezen(n, n, "jeugd", date(2026, 4, 2), ["geen-contract"]) for n in range(4)),
                     toewijzing_afgewezen(4, 4, "jeugd", date(2026, 4, 3), ["geen-contract", "budget-ontoereikend"]),
                     toewijzing_afgewezen(5, 5, "wmo", date(2026, 4, 3), ["budget-ontoereikend"]),
                     toewijzing_afgewezen(6, 6, "wmo", date(2026, 4, 3), ["aanbieder-onbekend"]))
    cellen = await bi.cellen("afwijzingen", **RANGE)
    assert [c for c in cellen if c["reden"] == "geen-contract"] == [
        {"periode": "2026-04", "reden": "geen-contract", "aantal": 5, "onderdrukt": False}]
    assert [c["onderdrukt"] for c in cellen if c["reden"] == "budget-ontoereikend"] == [True]
    assert [c["aantal"] for c in cellen if c["reden"] == "alle"] == [7]  # the afwijzing of two reasons once
    # A refused toewijzing commits nothing.
    assert await bi.cellen("verplichtingen", **RANGE) == []


async def test_budgetten_as_financien_last_reported_them(bi: Bi) -> None:
    await bi.deliver(budget_drempel(1, "jeugd", None, 2026, 50, 10_000_000),
                     budget_drempel(2, None, "zorg", 2026, 75, 4_000_000),
                     budget_drempel(3, None, None, 2026, 90, 1_000_000))  # an aanbieder's budget: no place here
    await bi.deliver(budget_drempel(1, "jeugd", None, 2026, 80, 10_000_000))
    cellen = await bi.cellen("budgetten", **RANGE)
    assert cellen == [
        {"jaar": "2026", "kolom": "jeugd", "cluster": "alle", "budgetBedrag": 10_000_000, "drempelPercentage": 80,
         "onderdrukt": False},
        {"jaar": "2026", "kolom": "alle", "cluster": "zorg", "budgetBedrag": 4_000_000, "drempelPercentage": 75,
         "onderdrukt": False}]
    assert await bi.cellen("budgetten", van="2027-01-01", tot="2027-12-31") == []


async def test_clusterindeling_gives_the_cost_per_cluster(bi: Bi) -> None:
    # Six households with zaken and toewijzingen in wmo and in jeugd.
    for n in range(6):
        await bi.deliver(zaak_geopend(2 * n, n, ["wmo"], FEB), zaak_geopend(2 * n + 1, n, ["jeugd"], FEB),
                         toewijzing_afgegeven(2 * n, n, "wmo", FEB, 1_000),
                         toewijzing_afgegeven(2 * n + 1, n, "jeugd", FEB, 3_000))
    await bi.deliver(declaratie_verwerkt(1, FEB, date(2026, 2, 28), [("wmo", 500, 0), ("jeugd", 1_500, 100)]))
    response = await bi.get("/clusterindeling", profiel=["geclusterd-integraal"], **RANGE)
    assert response.status_code == 200, response.text
    by_profile = {r["profiel"]: r for r in response.json()["results"]}
    eigen = {c["cluster"]: c for c in by_profile["transitie-proof"]["verplichtingenPerCluster"]}
    assert {k: (c["toewijzingen"], c["verplichting"]) for k, c in eigen.items()} == {
        "wmo": (6, 6_000), "jeugd": (6, 18_000)}
    # Under geclusterd-integraal wmo and jeugd share one cluster.
    ander = by_profile["geclusterd-integraal"]
    [samen] = [c for c in ander["verplichtingenPerCluster"] if c["toewijzingen"]]
    assert (samen["toewijzingen"], samen["verplichting"]) == (12, 24_000)
    [geclaimd] = [c for c in ander["realisatiePerCluster"] if c["goedgekeurdBedrag"]]
    assert (geclaimd["cluster"], geclaimd["goedgekeurdBedrag"], geclaimd["afgekeurdBedrag"]) == (
        samen["cluster"], 2_000, 100)


@pytest.mark.parametrize(("path", "params", "field"), [
    ("/indicatoren/verplichtingen", {"kolom": "zorg"}, "kolom"),
    ("/indicatoren/realisatie", {"periode": "week"}, "periode"),
    ("/indicatoren/afwijzingen", {"van": "2026-05-01", "tot": "2026-04-01"}, "tot"),
    ("/indicatoren/budgetten", {"formaat": "pdf"}, "formaat"),
    ("/indicatoren/verplichtingen", {"tot": "morgen"}, "tot"),
])
async def test_bad_input_is_a_validatiefout(bi: Bi, path: str, params: dict[str, str], field: str) -> None:
    response = await bi.get(path, **params)
    assert response.status_code == 400, response.text
    assert field in [p["name"] for p in response.json()["invalidParams"]]


def _events() -> list[CloudEvent]:
    events: list[CloudEvent] = []
    for n in range(24):
        kolom = ("wmo", "jeugd", "participatie")[n % 3]
        begin = date(2026, 1 + n % 6, 1 + n)
        events.append(toewijzing_afgegeven(n, n % 15, kolom, begin, 1_000 * (n + 1), aanbieder_nr=1 + n % 2))
        if n % 4 == 0:
            events.append(toewijzing_gewijzigd(n, n % 15, kolom, begin, 2_500 * (n + 1), aanbieder_nr=1 + n % 2))
        if n % 5 == 0:
            events.append(zorg_gestart(n, kolom, begin, aanbieder_nr=1 + n % 2))
            events.append(toewijzing_beeindigd(n, kolom, date(2026, 9, 30), 700 * (n + 1), aanbieder_nr=1 + n % 2))
        if n % 3 == 0:
            events.append(declaratie_verwerkt(n, begin, begin, [(kolom, 500 * n, 50), ("jeugd", 300, 0)],
                                              aanbieder_nr=1 + n % 2))
        if n % 7 == 0:
            events.append(toewijzing_afgewezen(100 + n, n, kolom, begin, ["geen-contract"]))
    events.append(budget_drempel(1, "wmo", None, 2026, 50, 1_000_000))
    events.append(budget_drempel(1, "wmo", None, 2026, 75, 1_000_000))
    return events


async def _figures(client: httpx.AsyncClient) -> dict[str, Any]:
    out = {}
    for naam in ("verplichtingen", "realisatie", "afwijzingen", "budgetten"):
        response = await client.get(f"/beleidsinfo/api/v1/indicatoren/{naam}", params={**RANGE, "periode": "kwartaal"},
                                    headers=headers())
        assert response.status_code == 200, response.text
        out[naam] = response.json()["results"]
    response = await client.get("/beleidsinfo/api/v1/clusterindeling",
                                params={**RANGE, "profiel": "geclusterd-integraal"}, headers=headers())
    out["clusterindeling"] = response.json()["results"]
    return out


async def test_replay_reaches_exactly_the_live_figures_of_financien(tmp_path: Path) -> None:
    assert {t.name for t in TABLES} >= {"bi_toewijzingen", "bi_afwijzingen", "bi_declaratie_kolommen",
                                        "bi_budgetten"}
    nats = NatsServer(tmp_path / "nats").start()
    try:
        async with suite_database(tmp_path) as (url, where):
            settings = BeleidsinfoSettings(env="dev", database_url=url, nats_url=nats.url, archetype="transitie-proof")
            app = create_app(settings)
            engine = create_engine(url)
            async with engine.begin() as conn:
                await conn.run_sync(app.state.metadata.create_all)
            await engine.dispose()
            events = _events()
            bus = await Bus.connect(nats.url, name="test-producer")
            await bus.ensure_stream(settings.stream, ["sds.>"])
            for event in [*events, *events[:10]]:  # the first ten a second time
                await bus.js.publish(subject_for(event.type), event.to_json())
            await bus.close()
            async with app.router.lifespan_context(app):
                transport = httpx.ASGITransport(app=app)
                async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
                    live = await _wait_for(client, len(events) + 10)
                    assert live["verplichtingen"] and live["realisatie"] and live["budgetten"]
                    env = {**os.environ, "SDS_ENV": "dev", "SDS_ARCHETYPE": "transitie-proof"}
                    done = await asyncio.to_thread(subprocess.run, [
                        str(Path(sys.executable).parent / "sds"), "beleidsinfo", "rebuild", *where,
                        "--nats-url", nats.url], env=env, capture_output=True, text=True, timeout=120)
                    assert done.returncode == 0, done.stderr
                    assert await _figures(client) == live
    finally:
        nats.kill()


async def _wait_for(client: httpx.AsyncClient, expected: int) -> dict[str, Any]:
    """The figures once every event was applied (the inbox holds a row per event the projection took)."""
    from sqlalchemy import column, table

    inbox = table("inbox", column("consumer"))
    deadline = asyncio.get_running_loop().time() + 30
    db = client._transport.app.state.db  # type: ignore[attr-defined]
    while asyncio.get_running_loop().time() < deadline:
        async with db.transaction() as session:
            n = (await session.execute(select(func.count()).select_from(inbox))).scalar_one()
        if n >= expected - 10:
            return await _figures(client)
        await asyncio.sleep(0.3)
    raise AssertionError(f"the live projection did not take every event: {n} of {expected - 10}")
