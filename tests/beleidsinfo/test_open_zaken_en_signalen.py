"""Open zaken and signalen from what the projection keeps (a zaak's masker, a signaal's first aanvraag) give
exactly the figures of the events themselves, counted here in Python: for several peildata and windows, both
clusterings, and whatever the order and batches the events came in."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from contracts.envelope import CloudEvent
from services.beleidsinfo.context import ZONDER_PROFIEL
from services.beleidsinfo.domain import ALLE, Indeling
from services.beleidsinfo.indicatoren import INDICATOREN, Vraag, bereken
from tests.beleidsinfo.conftest import (
    CATALOGI,
    Bi,
    aanvraag_ingediend,
    make_bi,
    signaal,
    status_gezet,
    zaak_afgesloten,
    zaak_geopend,
)
from tests.beleidsinfo.test_tellingen import verwijderd

JAN = date(2026, 1, 1)
KOLOMMEN = [["wmo"], ["jeugd"], ["wmo", "jeugd"], ["participatie"], ["schuldhulp", "participatie"], ["schuldhulp"]]


def _in_batches(events: list[CloudEvent], rng: random.Random) -> list[list[CloudEvent]]:
    batches, i = [], 0
    while i < len(events):
        n = rng.choice((1, 1, 3, 17, 60))
        batches.append(events[i:i + n])
        i += n
    return batches


async def _cellen(bi: Bi, naam: str, vraag: Vraag) -> dict[tuple[str, ...], tuple[dict[str, Any], int]]:
    async with bi.app.state.db.transaction() as session:
        cellen = await bereken(session, INDICATOREN[naam], vraag)
    return {tuple(c.plaats.values()): (c.waarden, c.omvang) for c in cellen}


# --- open zaken ------------------------------------------------------------------------------------------------

def _zaken_stroom(rng: random.Random) -> tuple[list[CloudEvent], dict[int, dict[str, Any]]]:
    """Households with one to three zaken over the year, some in two kolommen, a status or two (the last
    counts), some closed, some deleted; and what each zaak ends up as."""
    events: list[CloudEvent] = []
    zaken: dict[int, dict[str, Any]] = {}
    nr = 0
    for hh in range(70):
        for _ in range(rng.randint(1, 3)):
            nr += 1
            kolommen = rng.choice(KOLOMMEN)
            dag = JAN + timedelta(days=rng.randrange(300))
            zaak = {"hh": hh, "kolommen": kolommen, "dag": dag, "status": "zonder-status", "eind": None}
            events.append(zaak_geopend(nr, hh, kolommen, dag))
            for _ in range(rng.randint(0, 2)):
                statustype = rng.choice(("intake", "onderzoek", "besluit"))
                events.append(status_gezet(nr, statustype))
                zaak["status"] = f"{CATALOGI}/statustypen/{statustype}"
            if rng.random() < 0.5:
                zaak["eind"] = dag + timedelta(days=rng.randrange(1, 120))
                events.append(zaak_afgesloten(nr, hh, kolommen, zaak["eind"]))
            if rng.random() < 0.05:
                events.append(verwijderd(nr))
            else:
                zaken[nr] = zaak
    return events, zaken


def _open_verwacht(zaken: dict[int, dict[str, Any]], peildatum: date,
                   indeling: Indeling) -> dict[tuple[str, ...], tuple[dict[str, Any], int]]:
    items: dict[tuple[str, ...], set[int]] = defaultdict(set)
    wie: dict[tuple[str, ...], set[int]] = defaultdict(set)
    for nr, z in zaken.items():
        if z["dag"] > peildatum or (z["eind"] is not None and z["eind"] <= peildatum):
            continue
        plaatsen = {(z["status"], ALLE, ALLE)}
        for kolom in z["kolommen"]:
            cluster = indeling.cluster_van(kolom)
            plaatsen |= {(z["status"], kolom, cluster), (z["status"], ALLE, cluster)}
        for plaats in plaatsen:
            items[plaats].add(nr)
            wie[plaats].add(z["hh"])
    return {plaats: ({"aantal": len(items[plaats])}, len(wie[plaats])) for plaats in items}


async def test_open_zaken_are_the_zaken_open_on_the_peildatum_by_their_last_status(tmp_path: Any) -> None:
    rng = random.Random(7)
    events, zaken = _zaken_stroom(rng)
    async for bi in make_bi(tmp_path, archetype="geclusterd-integraal"):
        for batch in _in_batches(events, rng):
            await bi.deliver(*batch)
        for indeling in (bi.app.state.beleidsinfo.indeling, ZONDER_PROFIEL):
            for peildatum in (date(2025, 12, 31), date(2026, 2, 14), date(2026, 6, 30), date(2026, 10, 27),
                              date(2027, 12, 31)):
                vraag = Vraag(van=JAN, tot=peildatum, periode="maand", indeling=indeling, minimum=0)
                assert await _cellen(bi, "open-zaken", vraag) == _open_verwacht(zaken, peildatum, indeling)
        # Non-trivial: households with two open zaken of one status, and a two-kolom zaak in one cluster.
        juni = _open_verwacht(zaken, date(2026, 6, 30), ZONDER_PROFIEL)
        assert any(omvang < w["aantal"] for w, omvang in juni.values())
        assert len(juni) > 20


# --- signalen ----------------------------------------------------------------------------------------------------

def _signalen_stroom(rng: random.Random) -> tuple[list[CloudEvent], list[tuple[int, date, str]],
                                                  dict[int, list[date]]]:
    events: list[CloudEvent] = []
    signalen: list[tuple[int, date, str]] = []
    aanvragen: dict[int, list[date]] = defaultdict(list)
    nr = 0
    for hh in range(60):
        for _ in range(rng.randint(1, 3)):
            nr += 1
            dag = JAN + timedelta(days=rng.randrange(200))
            soort = rng.choice(("huurachterstand", "energieachterstand"))
            signalen.append((hh, dag, soort))
            events.append(signaal(nr, hh, soort, dag))
        for _ in range(rng.randint(0, 3)):
            nr += 1
            # Before, on and after the household's signalen: an aanvraag before a signaal is no answer to it.
            dag = JAN + timedelta(days=rng.randrange(-30, 330))
            aanvragen[hh].append(dag)
            events.append(aanvraag_ingediend(nr, hh, [rng.choice(KOLOMMEN)[0]], dag))
    return events, signalen, aanvragen


def _signalen_verwacht(signalen: Sequence[tuple[int, date, str]], aanvragen: dict[int, list[date]],
                       venster: int) -> dict[tuple[str, ...], tuple[dict[str, Any], int]]:
    aantal: dict[tuple[str, ...], int] = defaultdict(int)
    werd: dict[tuple[str, ...], int] = defaultdict(int)
    wie: dict[tuple[str, ...], set[int]] = defaultdict(set)
    for hh, dag, soort in signalen:
        for plaats in ((f"{dag:%Y-%m}", soort), (f"{dag:%Y-%m}", ALLE)):
            aantal[plaats] += 1
            werd[plaats] += any(dag <= a <= dag + timedelta(days=venster) for a in aanvragen[hh])
            wie[plaats].add(hh)
    return {p: ({"aantal": aantal[p], "werdAanvraag": werd[p]}, len(wie[p])) for p in aantal}


async def test_a_signaal_became_an_aanvraag_whatever_the_order_the_stream_brought_them_in(tmp_path: Any) -> None:
    rng = random.Random(11)
    events, signalen, aanvragen = _signalen_stroom(rng)
    for ronde in range(3):
        volgorde = list(events)
        if ronde == 1:
            volgorde.reverse()  # every aanvraag before the signalen it follows
        elif ronde == 2:
            rng.shuffle(volgorde)
        (tmp_path / str(ronde)).mkdir()
        async for bi in make_bi(tmp_path / str(ronde)):
            for batch in _in_batches(volgorde, rng):
                await bi.deliver(*batch)
            await bi.deliver(*events[:40])  # delivered twice: counted once
            for venster in (0, 14, 90, 365):
                vraag = Vraag(van=JAN, tot=date(2026, 12, 31), periode="maand", indeling=ZONDER_PROFIEL,
                              minimum=0, signaal_venster=venster)
                verwacht = _signalen_verwacht(signalen, aanvragen, venster)
                assert await _cellen(bi, "signalen", vraag) == verwacht
                gevonden = sum(w["werdAanvraag"] for (_p, soort), (w, _n) in verwacht.items() if soort == ALLE)
                assert 0 < gevonden < len(signalen) or venster == 0
