"""Figures kept ahead of the query: households and items per (indicator, period key, kolommen).

The projection records, per item (an aanvraag, a zaak) and indicator it counts in, the period keys and kolommen
it counts in (``Wijzigingen``) and ``schrijf`` applies them in the projection's transaction:

- ``bi_huishouden_perioden``: per (household, indicator, period key, kolom) how many items count there;
- ``bi_tellingen``: per (indicator, period key, masker) how many households have items in exactly the kolommen of
  ``masker`` (a bit per kolom) and how many items have exactly those kolommen (``aantal``).

A household with zaken in wmo and jeugd in one month is one household under the masker wmo|jeugd; so the households
of a kolom, of a cluster (any clustering) and of the whole domain are plain sums over the maskers that touch it —
what ``count(DISTINCT huishouden)`` per level made from every row of the period before. An event delivered twice
has its effect once (the consumer's inbox), and a rebuild replays the same additions from empty tables, so it
reaches the same figures.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, get_args

from sqlalchemy import and_, bindparam, delete, insert, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.events.fields import Kolom
from services.beleidsinfo.domain import SLEUTEL_PERIODES, periode_sleutel, sleutels_tussen
from services.beleidsinfo.models import doorlooptijden, huishouden_perioden, tellingen

BITS: dict[str, int] = {kolom: 1 << i for i, kolom in enumerate(get_args(Kolom))}
TOEGEKEND = ("toegekend", "gedeeltelijk-toegekend")
_CHUNK = 500
_PK = and_(*(huishouden_perioden.c[c] == bindparam(f"k_{c}") for c in ("huishouden", "indicator", "periode", "kolom")))


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
        for sleutel in _sleutels(staat["registratiedatum"]):
            self.duur[(sleutel, m, "a", (staat["registratiedatum"] - aanvraag_datum).days)] += teken

    def item(self, indicator: str, sleutels: Iterable[int], huishouden: str, kolommen: Sequence[str],
             teken: int = 1) -> None:
        """One item of ``kolommen`` (distinct) counting in each period of ``sleutels``."""
        m = masker(kolommen)
        for sleutel in sleutels:
            self.items[(indicator, sleutel, m)] += teken
            for kolom in kolommen:
                self.huishoudens[(indicator, sleutel, huishouden, kolom)] += teken

    def zaak(self, staat: Mapping[str, Any], teken: int = 1) -> None:
        """What a zaak in ``staat`` (its row in ``bi_zaken``, with ``aanvraag_datum`` when its aanvraag is known)
        counts in: the zaken and lead times of its registratiedatum, escalaties, voorzieningen (every period its
        voorziening runs in; an open-ended one is added at query time, it has no last period), and the periods
        its voorziening begins and ends in."""
        huishouden, kolommen = staat["huishouden"], list(dict.fromkeys(staat["kolommen"]))
        self.item("zaken", _sleutels(staat["registratiedatum"]), huishouden, kolommen, teken)
        if staat.get("aanvraag_datum") is not None:
            self.aanvraag_tot_zaak(staat, staat["aanvraag_datum"], teken)
        if staat.get("resultaatdatum") is not None:
            m = masker(kolommen)
            for sleutel in _sleutels(staat["registratiedatum"]):
                self.duur[(sleutel, m, "z", (staat["resultaatdatum"] - staat["startdatum"]).days)] += teken
        if staat["geescaleerd"] is not None:
            self.item("escalaties", _sleutels(staat["geescaleerd"]), huishouden, kolommen, teken)
        van, tot = staat["voorziening_van"], staat["voorziening_tot"]
        if staat["uitkomst"] not in TOEGEKEND or van is None:
            return
        self.item("voorzieningen-instroom", _sleutels(van), huishouden, kolommen, teken)
        if tot is not None:
            self.item("voorzieningen-uitstroom", _sleutels(tot), huishouden, kolommen, teken)
            self.item("voorzieningen", lopend(van, tot), huishouden, kolommen, teken)


def _sleutels(dag: date) -> list[int]:
    return [periode_sleutel(dag, periode) for periode in SLEUTEL_PERIODES]


def lopend(van: date, tot: date) -> set[int]:
    """The periods a voorziening from ``van`` to ``tot`` counts in: those with begin <= tot and end >= van (as the
    query asks it; a ``tot`` before ``van`` counts only in a period that holds both)."""
    if tot >= van:
        return sleutels_tussen(van, tot)
    return {periode_sleutel(van, p) for p in SLEUTEL_PERIODES if periode_sleutel(van, p) == periode_sleutel(tot, p)}


def _dialect(session: AsyncSession) -> str:
    bind = session.bind
    assert bind is not None
    return bind.dialect.name


def _insert(session: AsyncSession) -> Any:
    return postgresql.insert if _dialect(session) == "postgresql" else sqlite.insert


_KOLOMMEN = ("huishouden", "indicator", "periode", "kolom", "aantal")
_UNNEST = text(
    "INSERT INTO bi_huishouden_perioden (huishouden, indicator, periode, kolom, aantal) "
    "SELECT * FROM unnest(CAST(:huishouden AS varchar[]), CAST(:indicator AS varchar[]), "
    "CAST(:periode AS integer[]), CAST(:kolom AS varchar[]), CAST(:aantal AS integer[]))")


async def huidige(session: AsyncSession, indicatoren: Iterable[str], huishoudens: Iterable[str],
                  perioden: Iterable[int] | None = None) -> dict[tuple[str, int, str], dict[str, int]]:
    """Per (indicator, period key, household): the items per kolom as they stand."""
    hp = huishouden_perioden.c
    inds, lijst = sorted(set(indicatoren)), sorted(set(huishoudens))
    uit: dict[tuple[str, int, str], dict[str, int]] = defaultdict(dict)
    for i in range(0, len(lijst), _CHUNK):
        stmt = (select(hp.indicator, hp.periode, hp.huishouden, hp.kolom, hp.aantal)
                .where(hp.huishouden.in_(lijst[i:i + _CHUNK]), hp.indicator.in_(inds)))
        if perioden is not None:
            stmt = stmt.where(hp.periode.in_(sorted(set(perioden))))
        for r in (await session.execute(stmt)).all():
            uit[(r.indicator, r.periode, r.huishouden)][r.kolom] = r.aantal
    return uit


async def schrijf(session: AsyncSession, w: Wijzigingen) -> None:
    """Apply ``w`` in the session's transaction: the household rows first, then the counts per masker."""
    delta = {k: d for k, d in w.huishoudens.items() if d}
    per_masker: dict[tuple[str, int, int], list[int]] = defaultdict(lambda: [0, 0])
    for k, d in w.items.items():
        if d:
            per_masker[k][1] += d
    if delta:
        nu = await huidige(session, {k[0] for k in delta}, {k[2] for k in delta})
        geraakt: dict[tuple[str, int, str], dict[str, int]] = defaultdict(dict)
        for (ind, per, hh, kolom), d in delta.items():
            geraakt[(ind, per, hh)][kolom] = d
        nieuwe: list[dict[str, Any]] = []
        gewijzigd: list[dict[str, Any]] = []
        weg: list[dict[str, Any]] = []
        for sleutel, wijziging in geraakt.items():
            oud = nu.get(sleutel, {})
            nieuw = dict(oud)
            for kolom, d in wijziging.items():
                nieuw[kolom] = nieuw.get(kolom, 0) + d
                ind, per, hh = sleutel
                row = {"huishouden": hh, "indicator": ind, "periode": per, "kolom": kolom}
                if nieuw[kolom] > 0 and kolom not in oud:
                    nieuwe.append({**row, "aantal": nieuw[kolom]})
                elif nieuw[kolom] > 0:
                    gewijzigd.append({**{f"k_{c}": v for c, v in row.items()}, "v_aantal": nieuw[kolom]})
                elif kolom in oud:
                    weg.append({f"k_{c}": v for c, v in row.items()})
            m_oud = masker(k for k, n in oud.items() if n > 0)
            m_nieuw = masker(k for k, n in nieuw.items() if n > 0)
            if m_oud != m_nieuw:
                ind, per, _hh = sleutel
                if m_oud:
                    per_masker[(ind, per, m_oud)][0] -= 1
                if m_nieuw:
                    per_masker[(ind, per, m_nieuw)][0] += 1
        # Read in this transaction: a row not there is inserted (a plain multi-row insert, the replay's case),
        # one that is gets its new count or goes at 0.
        if nieuwe and _dialect(session) == "postgresql":
            # One statement for the whole batch: the rows as five arrays (a row per item and period adds up).
            await session.execute(_UNNEST, {c: [r[c] for r in nieuwe] for c in _KOLOMMEN})
        elif nieuwe:
            await session.execute(insert(huishouden_perioden), nieuwe)
        if gewijzigd:
            await session.execute(update(huishouden_perioden).where(_PK).values(aantal=bindparam("v_aantal")),
                                  gewijzigd)
        if weg:
            await session.execute(delete(huishouden_perioden).where(_PK), weg)
    if duur := [{"periode": per, "masker": m, "soort": soort, "dagen": dagen, "aantal": n}
                for (per, m, soort, dagen), n in w.duur.items() if n]:
        dc = doorlooptijden.c
        upsert: Any = _insert(session)(doorlooptijden)
        upsert = upsert.on_conflict_do_update(index_elements=[dc.periode, dc.masker, dc.soort, dc.dagen],
                                              set_={"aantal": dc.aantal + upsert.excluded.aantal})
        await session.execute(upsert, duur)
    rows = [{"indicator": ind, "periode": per, "masker": m, "huishoudens": h, "aantal": i}
            for (ind, per, m), (h, i) in per_masker.items() if h or i]
    if rows:
        t = tellingen.c
        ins: Any = _insert(session)(tellingen)
        ins = ins.on_conflict_do_update(
            index_elements=[t.indicator, t.periode, t.masker],
            set_={"huishoudens": t.huishoudens + ins.excluded.huishoudens, "aantal": t.aantal + ins.excluded.aantal})
        await session.execute(ins, rows)


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
