"""Figures kept ahead of the query: households and items per (indicator, period key, kolommen), and lead times.

The projection records, per item (an aanvraag, a zaak) and indicator it counts in, the period keys and kolommen
it counts in (``Wijzigingen``) and ``schrijf`` applies them in the projection's transaction:

- ``bi_huishouden_perioden``: per household, one row: per (indicator, period key, kolom) how many of its items
  count there;
- ``bi_tellingen``: per (indicator, period key, masker) how many households have items in exactly the kolommen of
  ``masker`` (a bit per kolom) and how many items have exactly those kolommen (``aantal``).

A household with zaken in wmo and jeugd in one month is one household under the masker wmo|jeugd; so the households
of a kolom, of a cluster (any clustering) and of the whole domain are plain sums over the maskers that touch it —
what ``count(DISTINCT huishouden)`` per level made from every row of the period before. An event delivered twice
has its effect once (the consumer's inbox), and a rebuild replays the same additions from empty tables, so it
reaches the same figures. ``bi_doorlooptijden`` holds the lead times' distribution per period key and masker.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, get_args

from sqlalchemy import Table, TextClause, bindparam, delete, insert, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.events.fields import Kolom
from services.beleidsinfo.domain import SLEUTEL_PERIODES, periode_sleutel
from services.beleidsinfo.models import doorlooptijden, huishouden_perioden, tellingen

BITS: dict[str, int] = {kolom: 1 << i for i, kolom in enumerate(get_args(Kolom))}
TOEGEKEND = ("toegekend", "gedeeltelijk-toegekend")
_CHUNK = 500


def masker(kolommen: Iterable[str]) -> int:
    m = 0
    for kolom in kolommen:
        m |= BITS[kolom]
    return m


@dataclass
class Wijzigingen:
    """What a batch adds to (or takes from) the figures, before it is written."""

    huishoudens: dict[tuple[str, int, str, str], int] = field(default_factory=lambda: defaultdict(int))
    items: dict[tuple[str, int, int], int] = field(default_factory=lambda: defaultdict(int))
    duur: dict[tuple[int, int, str, int], int] = field(default_factory=lambda: defaultdict(int))

    def aanvraag_tot_zaak(self, staat: Mapping[str, Any], aanvraag_datum: date, teken: int = 1) -> None:
        """The days from a zaak's aanvraag to the zaak, in the zaak's periods."""
        m = masker(staat["kolommen"])
        for sleutel in sleutels_van(staat["registratiedatum"]):
            self.duur[(sleutel, m, "a", (staat["registratiedatum"] - aanvraag_datum).days)] += teken

    def item(self, indicator: str, sleutels: Iterable[int], huishouden: str, kolommen: Sequence[str],
             teken: int = 1) -> None:
        """One item of ``kolommen`` (distinct) counting in each period of ``sleutels``."""
        m = masker(kolommen)
        for sleutel in sleutels:
            self.items[(indicator, sleutel, m)] += teken
            for kolom in kolommen:
                self.huishoudens[(indicator, sleutel, huishouden, kolom)] += teken

    def zaak(self, staat: Mapping[str, Any], teken: int = 1, *, alles: bool = True) -> None:
        """What a zaak in ``staat`` (its row in ``bi_zaken``, with ``aanvraag_datum`` when its aanvraag is known)
        counts in: the zaken and lead times of its registratiedatum, escalaties, voorzieningen (every period its
        voorziening runs in; an open-ended one is added at query time, it has no last period), and the periods
        its voorziening begins and ends in. ``alles=False``: only what a resultaat or escalatie changes."""
        huishouden, kolommen = staat["huishouden"], list(dict.fromkeys(staat["kolommen"]))
        if alles:
            self.item("zaken", sleutels_van(staat["registratiedatum"]), huishouden, kolommen, teken)
            if staat.get("aanvraag_datum") is not None:
                self.aanvraag_tot_zaak(staat, staat["aanvraag_datum"], teken)
        if staat.get("resultaatdatum") is not None:
            m = masker(kolommen)
            for sleutel in sleutels_van(staat["registratiedatum"]):
                self.duur[(sleutel, m, "z", (staat["resultaatdatum"] - staat["startdatum"]).days)] += teken
        if staat["geescaleerd"] is not None:
            self.item("escalaties", sleutels_van(staat["geescaleerd"]), huishouden, kolommen, teken)
        van, tot = staat["voorziening_van"], staat["voorziening_tot"]
        if staat["uitkomst"] not in TOEGEKEND or van is None:
            return
        self.item("voorzieningen-instroom", sleutels_van(van), huishouden, kolommen, teken)
        if tot is not None:
            self.item("voorzieningen-uitstroom", sleutels_van(tot), huishouden, kolommen, teken)
            self.item("voorzieningen", lopend(van, tot), huishouden, kolommen, teken)


def sleutels_van(dag: date) -> tuple[int, int, int]:
    """The keys of the month, quarter and year of a day."""
    return dag.year * 100 + dag.month, dag.year * 10 + (dag.month - 1) // 3 + 1, dag.year


def lopend(van: date, tot: date) -> set[int]:
    """The periods a voorziening from ``van`` to ``tot`` counts in: those with begin <= tot and end >= van (as the
    query asks it; a ``tot`` before ``van`` counts only in a period that holds both)."""
    if tot >= van:
        sleutels: set[int] = set()
        jaar, maand = van.year, van.month
        while (jaar, maand) <= (tot.year, tot.month):
            sleutels.update(sleutels_van(date(jaar, maand, 1)))
            jaar, maand = (jaar + 1, 1) if maand == 12 else (jaar, maand + 1)
        return sleutels
    return {periode_sleutel(van, p) for p in SLEUTEL_PERIODES if periode_sleutel(van, p) == periode_sleutel(tot, p)}


def _dialect(session: AsyncSession) -> str:
    bind = session.bind
    assert bind is not None
    return bind.dialect.name




async def _tellers(session: AsyncSession, huishoudens: Iterable[str]) -> dict[str, dict[str, int]]:
    """Per household its row's counters (``bi_huishouden_perioden``), for those that have one."""
    hp = huishouden_perioden.c
    lijst = sorted(set(huishoudens))
    uit: dict[str, dict[str, int]] = {}
    for i in range(0, len(lijst), _CHUNK):
        for hh, tellers in (await session.execute(select(hp.huishouden, hp.tellers)
                                                  .where(hp.huishouden.in_(lijst[i:i + _CHUNK])))).all():
            uit[hh] = tellers
    return uit


async def huidige(session: AsyncSession, indicatoren: Iterable[str], huishoudens: Iterable[str],
                  perioden: Iterable[int]) -> dict[tuple[str, int, str], dict[str, int]]:
    """Per (indicator, period key, household): the items per kolom as they stand."""
    inds, pers = set(indicatoren), set(perioden)
    uit: dict[tuple[str, int, str], dict[str, int]] = defaultdict(dict)
    for hh, tellers in (await _tellers(session, huishoudens)).items():
        for sleutel, n in tellers.items():
            ind, per, kolom = sleutel.split("|")
            if ind in inds and int(per) in pers:
                uit[(ind, int(per), hh)][kolom] = n
    return uit


async def schrijf(session: AsyncSession, w: Wijzigingen) -> None:
    """Apply ``w`` in the session's transaction: the household rows first, then the counts per masker."""
    postgres = _dialect(session) == "postgresql"
    per_masker: dict[tuple[str, int, int], list[int]] = defaultdict(lambda: [0, 0])
    for k, d in w.items.items():
        if d:
            per_masker[k][1] += d
    # Per household: per (indicator, period) the change per kolom.
    geraakt: dict[str, dict[tuple[str, int], dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    for (ind, per, hh, kolom), d in w.huishoudens.items():
        if d:
            geraakt[hh][(ind, per)][kolom] = d
    if geraakt:
        nu = await _tellers(session, geraakt)
        nieuwe: list[dict[str, Any]] = []
        gewijzigd: list[dict[str, Any]] = []
        weg: list[str] = []
        for hh, per_periode in geraakt.items():
            tellers = dict(nu.get(hh, {}))
            for (ind, per), wijziging in per_periode.items():
                voorvoegsel = f"{ind}|{per}|"
                m_oud = m_nieuw = 0
                for kolom in BITS:
                    if (was := tellers.get(voorvoegsel + kolom, 0)) > 0:
                        m_oud |= BITS[kolom]
                    n = was + wijziging.get(kolom, 0)
                    if n > 0:
                        m_nieuw |= BITS[kolom]
                        tellers[voorvoegsel + kolom] = n
                    else:
                        tellers.pop(voorvoegsel + kolom, None)
                if m_oud != m_nieuw:
                    if m_oud:
                        per_masker[(ind, per, m_oud)][0] -= 1
                    if m_nieuw:
                        per_masker[(ind, per, m_nieuw)][0] += 1
            if hh not in nu:
                nieuwe.append({"huishouden": hh, "tellers": tellers})
            elif tellers:
                gewijzigd.append({"k_huishouden": hh, "v_tellers": tellers})
            else:
                weg.append(hh)
        hp = huishouden_perioden.c
        if nieuwe:
            await session.execute(insert(huishouden_perioden), nieuwe)
        if gewijzigd:
            await session.execute(update(huishouden_perioden).where(hp.huishouden == bindparam("k_huishouden"))
                                  .values(tellers=bindparam("v_tellers")), gewijzigd)
        if weg:
            await session.execute(delete(huishouden_perioden).where(hp.huishouden.in_(weg)))
    duur = [(per, m, soort, dagen, n) for (per, m, soort, dagen), n in w.duur.items() if n]
    tel = [(ind, per, m, h, i) for (ind, per, m), (h, i) in per_masker.items() if h or i]
    for tabel, rijen in ((doorlooptijden, duur), (tellingen, tel)):
        if not rijen:
            continue
        kolommen = [c.name for c in tabel.c]
        if postgres:
            await session.execute(_OPTELLEN[tabel.name], _arrays(kolommen, rijen))
        else:
            await session.execute(_optellen(tabel), [dict(zip(kolommen, r, strict=True)) for r in rijen])


def _arrays(kolommen: Sequence[str], rijen: Sequence[tuple[Any, ...]]) -> dict[str, list[Any]]:
    """Rows as one list per column (the parameters of an unnest)."""
    return {k: [r[i] for r in rijen] for i, k in enumerate(kolommen)}


def _optellen(tabel: Table) -> Any:
    """Insert the rows, or add their counts to the rows already there (SQLite; executemany)."""
    upsert: Any = sqlite.insert(tabel)
    tellers = [c for c in tabel.c if not c.primary_key]
    return upsert.on_conflict_do_update(index_elements=list(tabel.primary_key.columns),
                                        set_={c.name: c + upsert.excluded[c.name] for c in tellers})


def _optellen_pg(tabel: Table) -> TextClause:
    """The same for PostgreSQL as one statement: the batch's rows as arrays."""
    pg = postgresql.dialect()
    namen = [c.name for c in tabel.c]
    arrays = ", ".join(f"CAST(:{c.name} AS {c.type.compile(dialect=pg)}[])" for c in tabel.c)
    sleutel = ", ".join(c.name for c in tabel.primary_key.columns)
    tellers = ", ".join(f"{c.name} = {tabel.name}.{c.name} + excluded.{c.name}" for c in tabel.c if not c.primary_key)
    return text(f"INSERT INTO {tabel.name} ({', '.join(namen)}) SELECT * FROM unnest({arrays}) "
                f"ON CONFLICT ({sleutel}) DO UPDATE SET {tellers}")


_OPTELLEN = {t.name: _optellen_pg(t) for t in (doorlooptijden, tellingen)}


async def lees(session: AsyncSession, indicator: str, sleutels: Iterable[int]) -> dict[int, dict[int, list[int]]]:
    """Per period key: per masker [households, items]."""
    t = tellingen.c
    uit: dict[int, dict[int, list[int]]] = defaultdict(dict)
    for r in (await session.execute(select(t.periode, t.masker, t.huishoudens, t.aantal)
                                    .where(t.indicator == indicator, t.periode.in_(sorted(set(sleutels)))))).all():
        if r.huishoudens or r.aantal:
            uit[r.periode][r.masker] = [r.huishoudens, r.aantal]
    return uit


Verdeling = dict[tuple[int, str], list[tuple[int, int]]]


async def lees_duur(session: AsyncSession, sleutels: Iterable[int]) -> dict[int, Verdeling]:
    """Per period key: per (masker, soort) the (days, zaken) of the lead times."""
    d = doorlooptijden.c
    uit: dict[int, Verdeling] = defaultdict(lambda: defaultdict(list))
    for r in (await session.execute(select(d.periode, d.masker, d.soort, d.dagen, d.aantal)
                                    .where(d.periode.in_(sorted(set(sleutels))), d.aantal != 0))).all():
        uit[r.periode][(r.masker, r.soort)].append((r.dagen, r.aantal))
    return uit


def mediaan_en_p90(verdeling: Iterable[tuple[int, int]]) -> tuple[float | None, float | None, int]:
    """The median (``percentile_cont(0.5)``), p90 (nearest rank, ``percentile_disc(0.9)``) and number of values
    of a distribution given as (value, how often)."""
    rijen = sorted((w, n) for w, n in verdeling if n)
    totaal = sum(n for _w, n in rijen)
    if not totaal:
        return None, None, 0

    def op(index: int) -> int:
        for w, n in rijen:
            if index < n:
                return w
            index -= n
        raise IndexError(index)

    half = totaal // 2
    midden = float(op(half)) if totaal % 2 else (op(half - 1) + op(half)) / 2
    return midden, float(op(math.ceil(0.9 * totaal) - 1)), totaal
