"""The figures kept ahead of the query (``bi_tellingen``) give the very cells counting the rows gives: for every
period, clustering and range of whole periods, with items in several kolommen, open-ended voorzieningen, a
zaak escalated twice, a resultaat replaced and a zaak deleted; and the same whatever the batches were."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from contracts.envelope import CloudEvent
from services.beleidsinfo import indicatoren
from services.beleidsinfo.context import ZONDER_PROFIEL
from services.beleidsinfo.domain import Periode
from services.beleidsinfo.indicatoren import INDICATOREN, Vraag, bereken
from services.beleidsinfo.models import doorlooptijden, huishouden_perioden, tellingen, zaken
from tests.beleidsinfo.conftest import (
    CATALOGI,
    ZAKEN,
    Bi,
    _event,
    aanvraag_ingediend,
    geescaleerd,
    huishouden,
    make_bi,
    resultaat,
    zaak_geopend,
)

VOORAF = ("instroom", "escalaties", "voorzieningen", "voorzieningen-instroom", "voorzieningen-uitstroom",
          "meerdere-kolommen", "doorlooptijd")
KOLOMMEN = [["wmo"], ["jeugd"], ["wmo", "jeugd"], ["participatie"], ["schuldhulp", "participatie"], ["wmo"]]


def verwijderd(nr: int) -> CloudEvent:
    return _event("nl.overheid.zaken.zaak-gemuteerd", {
        "zaak": f"{ZAKEN}/zaken/{nr}", "zaaktype": f"{CATALOGI}/zaaktypen/x", "actie": "verwijderd", "velden": []})


def stroom() -> list[CloudEvent]:
    """Households with several aanvragen and zaken over two years, some in two kolommen, some alone in a
    kolom (small cells), a zaak now and then before its aanvraag, voorzieningen with and without an end,
    escalated once or twice, and deletions."""
    events: list[CloudEvent] = []
    for n in range(90):
        hh = n % 37
        dag = date(2026, 1 + n % 12, 1 + n % 28)
        kolommen = KOLOMMEN[n % len(KOLOMMEN)]
        aanvraag, zaak = aanvraag_ingediend(n, hh, kolommen, dag), zaak_geopend(n, hh, kolommen, dag, aanvraag=n)
        events += [zaak, aanvraag] if n % 9 == 0 else [aanvraag, zaak]  # now and then the zaak first
        if n % 3:
            begin = date(2026, 1 + (n + 1) % 12, 1 + n % 20)
            eind = None if n % 7 == 0 else date(2026 + (n % 5 == 0), 1 + (n + 4) % 12, 1 + n % 27)
            events.append(resultaat(n, hh, kolommen[0], begin, voorziening=(begin, eind)))
        if n % 11 == 0:  # a resultaat replaced: the first no longer counts
            events.append(resultaat(n, hh, kolommen[0], date(2026, 8, 1), voorziening=(date(2026, 8, 1), None)))
        if n % 13 == 0:
            events.append(resultaat(n, hh, kolommen[0], date(2026, 9, 1), uitkomst="afgewezen"))
        if n % 4 == 0:
            events.append(geescaleerd(n, hh, kolommen[0], date(2026, 1 + n % 12, 5)))
        if n % 8 == 0:  # escalated again later
            events.append(geescaleerd(n, hh, kolommen[0], date(2026, 1 + (n + 5) % 12, 9)))
        if n % 17 == 0:
            events.append(verwijderd(n))
    return events


@pytest.fixture
async def geclusterd(tmp_path: Any) -> AsyncIterator[Bi]:
    async for b in make_bi(tmp_path, archetype="geclusterd-integraal"):
        yield b


async def _alles(bi: Bi, vraag: Vraag) -> dict[str, Any]:
    async with bi.app.state.db.transaction() as session:
        return {naam: [(c.plaats, c.waarden, c.omvang, c.onderdrukt)
                       for c in await bereken(session, INDICATOREN[naam], vraag)] for naam in VOORAF}


@pytest.mark.parametrize(("periode", "van", "tot"), [
    ("maand", date(2026, 1, 1), date(2026, 12, 31)), ("maand", date(2026, 3, 1), date(2027, 4, 30)),
    ("kwartaal", date(2026, 1, 1), date(2027, 12, 31)), ("jaar", date(2026, 1, 1), date(2027, 12, 31)),
    ("kwartaal", date(2026, 4, 1), date(2026, 6, 30)), ("maand", date(2026, 5, 1), date(2026, 5, 31))])
async def test_the_kept_figures_are_the_counted_ones(geclusterd: Bi, monkeypatch: pytest.MonkeyPatch,
                                                     periode: Periode, van: date, tot: date) -> None:
    events = stroom()
    await geclusterd.deliver(*events[:100])
    for event in events[100:200]:  # one by one, as the live consumer may
        await geclusterd.deliver(event)
    await geclusterd.deliver(*events[200:])
    await geclusterd.deliver(*events)  # delivered twice: counted once
    ctx = geclusterd.app.state.beleidsinfo
    for indeling in (ctx.indeling, ZONDER_PROFIEL):
        vraag = Vraag(van=van, tot=tot, periode=periode, indeling=indeling, minimum=5)
        vooraf = await _alles(geclusterd, vraag)
        with monkeypatch.context() as m:
            m.setattr(indicatoren, "_vooraf", _niet)
            m.setattr(indicatoren, "_een_periode", lambda _van, _tot: None)
            geteld = await _alles(geclusterd, vraag)
        assert vooraf == geteld
        assert any(vooraf.values())


async def _niet(*_args: Any, **_kwargs: Any) -> None:
    return None


async def test_the_same_events_in_other_batches_keep_the_same_rows(tmp_path: Any) -> None:
    events = stroom()
    rijen = []
    z = [c for c in zaken.c if c.name != "id"]
    for i, delen in enumerate(([events], [[e] for e in events])):
        (tmp_path / str(i)).mkdir()
        async for bi in make_bi(tmp_path / str(i), archetype="geclusterd-integraal"):
            for deel in delen:
                await bi.deliver(*deel)
            async with bi.app.state.db.transaction() as session:
                # A masker a household left keeps its row at 0: the same figures as no row.
                rijen.append([sorted(tuple(r) for r in (await session.execute(select(t))).all()
                                     if r[-1] or (t is tellingen and r[-2]))
                              for t in (tellingen, huishouden_perioden, doorlooptijden)])
                # A zaak's changes in the batch of its zaak-geopend go into its row before the insert: the same
                # row as the updates one by one.
                rijen[-1].append(sorted(tuple(r) for r in (await session.execute(select(*z))).all()))
    assert rijen[0] == rijen[1]
    assert any(r[z.index(zaken.c.resultaatdatum)] for r in rijen[0][3])
    assert rijen[0][0] and rijen[0][1] and rijen[0][2]
    assert huishouden(1)  # the households in the rows are pseudonyms, never the URL
    assert all(huishouden(1) not in str(r) for r in rijen[0][1])
    assert all(str(r[1]).count("|") for r in rijen[0][1])
