"""The indicators: each reads the projection and makes its cells with the rules of ``domain``.

Every indicator is a table of cells by place (periode, kolom, cluster, or what it is about) with its
figures; suppression is applied to the whole table, then the caller's filter picks cells.
"""

from __future__ import annotations

import functools
import operator
from collections import defaultdict
from collections.abc import Awaitable, Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, get_args

from sqlalchemy import (
    ColumnElement,
    Date,
    Float,
    FromClause,
    Integer,
    Select,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.events.fields import Kolom
from services.beleidsinfo.domain import (
    ALLE,
    Cel,
    Indeling,
    Periode,
    Telling,
    cellen_uit_tellingen,
    heel_in_perioden,
    hierarchie,
    mediaan,
    onderdruk,
    p90,
    periode_sleutel,
    periode_uit_sleutel,
    periode_van,
    perioden,
)
from services.beleidsinfo.models import (
    aanvraag_kolommen,
    aanvragen,
    afwijzingen,
    budgetten,
    declaratie_kolommen,
    signalen,
    termijnen,
    toewijzingen,
    zaak_kolommen,
    zaken,
)
from services.beleidsinfo.tellingen import BITS, huidige, lees, lees_duur, masker, mediaan_en_p90

KOLOMMEN: tuple[str, ...] = get_args(Kolom)
Groepen = list[Callable[[Cel], Hashable | None]]


@dataclass(frozen=True)
class Vraag:
    """What a caller asks of an indicator, already validated."""

    van: date
    tot: date
    periode: Periode
    indeling: Indeling
    minimum: int
    signaal_venster: int = 90

    def label(self, dag: date) -> str:
        """The period a day falls in; for ``geheel`` the asked range itself (an ISO 8601 interval)."""
        return f"{self.van.isoformat()}/{self.tot.isoformat()}" if self.periode == "geheel" else periode_van(
            dag, self.periode)

    def label_van(self, sleutel: int) -> str:
        """The period of a key ``periode_sql`` made."""
        return f"{self.van.isoformat()}/{self.tot.isoformat()}" if self.periode == "geheel" else periode_uit_sleutel(
            sleutel, self.periode)


@dataclass(frozen=True)
class Indicator:
    naam: str
    omschrijving: str
    velden: tuple[str, ...]  # the figures of each cell, in order (the CSV's columns after the place)
    plaats: tuple[str, ...]  # the place of each cell
    bereken: Callable[[AsyncSession, Vraag], Awaitable[tuple[list[Cel], Groepen]]]


# --- SQL per dialect: one helper per expression that differs between SQLite and PostgreSQL ----------------------

def _dialect(session: AsyncSession) -> str:
    bind = session.bind
    assert bind is not None
    return bind.dialect.name


def periode_sql(dialect: str, dag: ColumnElement[Any], periode: Periode) -> ColumnElement[int]:
    """The key of the period a day falls in, in SQL: an integer (``domain.periode_sleutel``), so the database
    groups by a number rather than formatting and collating a text per row; the label is made per cell."""
    if periode == "geheel":
        return literal(0, Integer)
    if dialect == "postgresql":
        jaar, maand = cast(func.extract("year", dag), Integer), cast(func.extract("month", dag), Integer)
    else:
        jaar, maand = cast(func.strftime("%Y", dag), Integer), cast(func.strftime("%m", dag), Integer)
    if periode == "maand":
        return jaar * 100 + maand
    if periode == "kwartaal":
        return jaar * 10 + (maand + 2) // 3
    return jaar


def _dagen_sql(dialect: str, van: ColumnElement[Any], tot: ColumnElement[Any]) -> ColumnElement[float]:
    """Days from ``van`` to ``tot`` (NULL when either is)."""
    if dialect == "postgresql":
        return cast(tot - van, Float)
    return func.julianday(tot) - func.julianday(van)


def _plus_dagen_sql(dialect: str, dag: ColumnElement[Any], dagen: int) -> ColumnElement[Any]:
    if dialect == "postgresql":
        return dag + dagen
    return func.date(dag, f"+{dagen} days")


def _dag_sql(dialect: str, dag: date) -> ColumnElement[Any]:
    """A constant day in a select list: typed on PostgreSQL; on SQLite the ISO text it stores dates as (a CAST
    to DATE would make it a number there)."""
    return cast(literal(dag), Date) if dialect == "postgresql" else literal(dag, Date)


def cluster_sql(indeling: Indeling, kolom: ColumnElement[str]) -> ColumnElement[str]:
    """The cluster of a kolom, in SQL, from the profile's indeling."""
    whens = [(kolom.in_(kolommen), literal(naam)) for naam, kolommen in indeling.clusters.items() if kolommen]
    return case(*whens, else_=kolom) if whens else kolom


# --- a kolom → cluster → whole-domain table counted in the database ------------------------------------------

Meting = Callable[[FromClause], list[ColumnElement[Any]]]
"""The figures of a cell as aggregates over a level's rows (one row per item of the cell)."""


def _tekst(waarde: str) -> ColumnElement[str]:
    """A constant text in a select list, typed (PostgreSQL cannot infer the type of a bare parameter there)."""
    return cast(literal(waarde), String)


def _aantal(_rows: FromClause) -> list[ColumnElement[Any]]:
    return [func.count().label("aantal")]


def _huishoudens(_rows: FromClause) -> list[ColumnElement[Any]]:
    """The households are the figure: filled in from the household count itself."""
    return []


async def _per_niveau(session: AsyncSession, v: Vraag, bron: Select[Any], meting: Meting,
                      python: Callable[[Sequence[Any]], dict[str, float | int | None]] | None = None,
                      label: Callable[[Any], str] | None = None) -> list[Cel]:
    """Cells per (periode, kolom), per (periode, cluster) and per periode from ``bron``: a select of
    ``periode, kolom, item, huishouden`` and the item's own numbers, one row per (item, kolom).

    An item of several kolommen counts in each of them, once in each cluster it touches and once in the
    total: each level first takes its distinct (place, item) rows, then groups. The households are counted
    by ``count(DISTINCT huishouden)``; the other figures by ``meting``, or — where the dialect has no such
    aggregate — by ``python`` over the level's rows. ``label``: the cell's place from ``periode`` (by default
    the period of a ``periode_sql`` key)."""
    label = label or v.label_van
    rijen = bron.subquery("rijen")
    extra = [c for c in rijen.c if c.name not in ("periode", "kolom", "item", "huishouden")]
    cluster = cluster_sql(v.indeling, rijen.c.kolom)
    niveaus = [
        select(rijen.c.periode, rijen.c.kolom.label("kolom"), cluster.label("cluster"), rijen.c.item,
               rijen.c.huishouden, *extra),
        select(rijen.c.periode, _tekst(ALLE).label("kolom"), cluster.label("cluster"), rijen.c.item,
               rijen.c.huishouden, *extra).distinct(),
        select(rijen.c.periode, _tekst(ALLE).label("kolom"), _tekst(ALLE).label("cluster"), rijen.c.item,
               rijen.c.huishouden, *extra).distinct(),
    ]
    tellingen: list[Telling] = []
    if python is None:
        delen = []
        for niveau in niveaus:
            n = niveau.subquery()
            delen.append(select(n.c.periode, n.c.kolom, n.c.cluster,
                                func.count(n.c.huishouden.distinct()).label("n_huishoudens"), *meting(n))
                         .group_by(n.c.periode, n.c.kolom, n.c.cluster))
        for r in (await session.execute(union_all(*delen))).mappings():
            waarden = {k: r[k] for k in r.keys() if k not in ("periode", "kolom", "cluster", "n_huishoudens")}
            tellingen.append((label(r["periode"]), r["kolom"], r["cluster"], waarden, r["n_huishoudens"]))
    else:
        groepen: dict[tuple[Any, str, str], tuple[list[Any], set[str]]] = {}
        for rij in (await session.execute(union_all(*niveaus))).all():
            lijst, wie = groepen.setdefault((rij.periode, rij.kolom, rij.cluster), ([], set()))
            lijst.append(rij)
            wie.add(rij.huishouden)
        tellingen = [(label(p), k, c, python(lijst), len(wie)) for (p, k, c), (lijst, wie) in groepen.items()]
    cellen = cellen_uit_tellingen(tellingen)
    if meting is _huishoudens:
        for cel in cellen:
            cel.waarden = {"huishoudens": cel.omvang}
    return cellen


async def _vooraf(session: AsyncSession, v: Vraag, indicator: str, *, aantal: bool) -> list[Cel] | None:
    """The cells of a kolom → cluster → whole-domain table from the figures the projection keeps per period key
    (``services.beleidsinfo.tellingen``): a few rows per period instead of every item of the range. Only for a
    range of whole months, quarters or years (``None`` otherwise: the caller counts the rows). ``aantal``: the
    cells count items as well as households."""
    if not heel_in_perioden(v.van, v.tot, v.periode):
        return None
    sleutels = {periode_sleutel(begin, v.periode): (begin, eind) for _l, begin, eind in perioden(v.van, v.tot,
                                                                                                v.periode)}
    per = await lees(session, indicator, sleutels)
    if indicator == "voorzieningen":
        await _open_einde(session, v, sleutels, per)
    cellen = _cellen_uit_maskers(per, v.indeling, v.label_van, aantal=aantal)
    if not aantal:
        for cel in cellen:
            cel.waarden = {"huishoudens": cel.omvang}
    return cellen


def _cellen_uit_maskers(per: Mapping[Any, Mapping[int, Sequence[int]]], indeling: Indeling,
                        label: Callable[[Any], str], *, aantal: bool) -> list[Cel]:
    """The cells of a kolom → cluster → whole-domain table from, per place of the first column (a period key, a
    statustype), per masker: how many households have items in exactly those kolommen, and how many items have
    exactly those kolommen. A cell sums the maskers that touch its kolommen."""
    tellingen: list[Telling] = []
    plaatsen = _plaats_bits(indeling)
    for eerste, maskers in per.items():
        for (kolom, cluster), bits in plaatsen.items():
            h = i = 0
            for m, (huishoudens, items) in maskers.items():
                if m & bits:
                    h, i = h + huishoudens, i + items
            if h > 0:
                tellingen.append((label(eerste), kolom, cluster, {"aantal": i} if aantal else {}, h))
    return cellen_uit_tellingen(tellingen)


def _plaats_bits(indeling: Indeling) -> dict[tuple[str, str], int]:
    """Per place (kolom, cluster) of a kolom → cluster → whole-domain table: the bits of the kolommen it holds."""
    clusters: dict[str, int] = {}
    plaatsen: dict[tuple[str, str], int] = {}
    for kolom in KOLOMMEN:
        cluster = indeling.cluster_van(kolom)
        clusters[cluster] = clusters.get(cluster, 0) | BITS[kolom]
        plaatsen[(kolom, cluster)] = BITS[kolom]
    plaatsen.update({(ALLE, cluster): bits for cluster, bits in clusters.items()})
    plaatsen[(ALLE, ALLE)] = masker(KOLOMMEN)
    return plaatsen


def _een_periode(van: date, tot: date) -> int | None:
    """The key of the month, quarter or year that [van, tot] is exactly, if it is one."""
    for periode in ("maand", "kwartaal", "jaar"):
        if heel_in_perioden(van, tot, periode) and periode_sleutel(van, periode) == periode_sleutel(tot, periode):
            return periode_sleutel(van, periode)
    return None


async def _open_einde(session: AsyncSession, v: Vraag, sleutels: dict[int, tuple[date, date]],
                      per: dict[int, dict[int, list[int]]]) -> None:
    """Add the voorzieningen without an end (they run in every period from their begin, so the projection keeps
    no periods for them): each household they touch moves, in each period, from the masker of its other
    voorzieningen to that masker with the open ones' kolommen."""
    z, zk = zaken.c, zaak_kolommen.c
    open_: dict[tuple[int, str], int] = defaultdict(int)
    for r in (await session.execute(
            select(zk.huishouden, zk.kolom, z.voorziening_van)
            .select_from(zaak_kolommen.join(zaken, z.zaak == zk.zaak))
            .where(*_TOEGEKENDE_VOORZIENING, z.voorziening_tot.is_(None), z.voorziening_van <= v.tot))).all():
        for sleutel, (_begin, eind) in sleutels.items():
            if r.voorziening_van <= eind:
                open_[(sleutel, r.huishouden)] |= BITS[r.kolom]
    if not open_:
        return
    nu = await huidige(session, ["voorzieningen"], {hh for _s, hh in open_}, sleutels)
    for (sleutel, hh), om in open_.items():
        bm = masker(k for k, n in nu.get(("voorzieningen", sleutel, hh), {}).items() if n > 0)
        if bm | om == bm:
            continue
        maskers = per[sleutel]
        if bm:
            maskers[bm][0] -= 1
        maskers.setdefault(bm | om, [0, 0])[0] += 1


def _aanvraag_rijen(dialect: str, v: Vraag) -> Select[Any]:
    ak = aanvraag_kolommen.c
    return select(periode_sql(dialect, ak.registratiedatum, v.periode).label("periode"), ak.kolom.label("kolom"),
                  ak.aanvraag.label("item"), ak.huishouden.label("huishouden"))


def _zaak_rijen(dialect: str, dag: ColumnElement[Any], v: Vraag, *extra: ColumnElement[Any]) -> Select[Any]:
    zk = zaak_kolommen.c
    return (select(periode_sql(dialect, dag, v.periode).label("periode"), zk.kolom.label("kolom"),
                   zk.zaak.label("item"), zk.huishouden.label("huishouden"), *extra)
            .select_from(zaak_kolommen.join(zaken, zaken.c.zaak == zk.zaak)))


async def _instroom(session: AsyncSession, v: Vraag) -> tuple[list[Cel], Groepen]:
    if (cellen := await _vooraf(session, v, "instroom", aantal=True)) is not None:
        return cellen, hierarchie()
    bron = _aanvraag_rijen(_dialect(session), v).where(aanvraag_kolommen.c.registratiedatum.between(v.van, v.tot))
    return await _per_niveau(session, v, bron, _aantal), hierarchie()


_DOORLOOP = ("aanvraagTotZaak", "zaakTotResultaat")


def _doorloop_sql(rows: FromClause) -> list[ColumnElement[Any]]:
    a, z = rows.c.aanvraagTotZaak, rows.c.zaakTotResultaat
    return [func.count().label("aantal"),
            func.percentile_cont(0.5).within_group(a).label("mediaanDagenAanvraagTotZaak"),
            func.percentile_disc(0.9).within_group(a).label("p90DagenAanvraagTotZaak"),
            func.count(z).label("metResultaat"),
            func.percentile_cont(0.5).within_group(z).label("mediaanDagenZaakTotResultaat"),
            func.percentile_disc(0.9).within_group(z).label("p90DagenZaakTotResultaat")]


def _doorloop_python(lijst: Sequence[Any]) -> dict[str, float | int | None]:
    a = [r.aanvraagTotZaak for r in lijst if r.aanvraagTotZaak is not None]
    z = [r.zaakTotResultaat for r in lijst if r.zaakTotResultaat is not None]
    return {"aantal": len(lijst), "mediaanDagenAanvraagTotZaak": mediaan(a), "p90DagenAanvraagTotZaak": p90(a),
            "metResultaat": len(z), "mediaanDagenZaakTotResultaat": mediaan(z), "p90DagenZaakTotResultaat": p90(z)}


async def _doorlooptijd(session: AsyncSession, v: Vraag) -> tuple[list[Cel], Groepen]:
    if (cellen := await _vooraf(session, v, "zaken", aantal=True)) is not None:
        # The zaken and households per cell from the kept counts; the lead times from their distribution.
        duur = await lees_duur(session, {periode_sleutel(begin, v.periode) for _l, begin, _e in perioden(
            v.van, v.tot, v.periode)})
        bits = _plaats_bits(v.indeling)
        labels = {v.label_van(sleutel): sleutel for sleutel in duur}
        for cel in cellen:
            verdeling = duur.get(labels.get(cel.plaats["periode"], -1), {})
            b = bits[(cel.plaats["kolom"], cel.plaats["cluster"])]
            a_med, a_p90, _n = mediaan_en_p90(x for (m, soort), rijen in verdeling.items()
                                              if soort == "a" and m & b for x in rijen)
            z_med, z_p90, z_n = mediaan_en_p90(x for (m, soort), rijen in verdeling.items()
                                               if soort == "z" and m & b for x in rijen)
            cel.waarden = {"aantal": cel.waarden["aantal"], "mediaanDagenAanvraagTotZaak": a_med,
                           "p90DagenAanvraagTotZaak": a_p90, "metResultaat": z_n,
                           "mediaanDagenZaakTotResultaat": z_med, "p90DagenZaakTotResultaat": z_p90}
        return cellen, hierarchie()
    dialect = _dialect(session)
    z = zaken.c
    bron = (_zaak_rijen(dialect, zaak_kolommen.c.registratiedatum, v,
                        _dagen_sql(dialect, aanvragen.c.registratiedatum, z.registratiedatum).label("aanvraagTotZaak"),
                        _dagen_sql(dialect, z.startdatum, z.resultaatdatum).label("zaakTotResultaat"))
            .outerjoin(aanvragen, aanvragen.c.aanvraag == z.aanvraag)
            .where(zaak_kolommen.c.registratiedatum.between(v.van, v.tot)))
    if dialect == "postgresql":
        cellen = await _per_niveau(session, v, bron, _doorloop_sql)
    else:
        cellen = await _per_niveau(session, v, bron, _aantal, python=_doorloop_python)
    for cel in cellen:
        cel.waarden = {k: float(w) if k.startswith(("mediaan", "p90")) and w is not None else w
                       for k, w in cel.waarden.items()}
    return cellen, hierarchie()


async def _termijnen(session: AsyncSession, v: Vraag) -> tuple[list[Cel], Groepen]:
    t = termijnen.c
    bron = (select(periode_sql(_dialect(session), t.uiterlijke_einddatum, v.periode).label("periode"),
                   t.kolom.label("kolom"), t.id.label("item"),
                   func.coalesce(aanvragen.c.huishouden, t.aanvraag).label("huishouden"))
            .select_from(termijnen.outerjoin(aanvragen, aanvragen.c.aanvraag == t.aanvraag))
            .where(t.uiterlijke_einddatum.between(v.van, v.tot)))
    return await _per_niveau(session, v, bron, _aantal), hierarchie()


async def _open_zaken(session: AsyncSession, v: Vraag) -> tuple[list[Cel], Groepen]:
    """Zaken open on the peildatum (``tot``: registered by then, not ended by then) by their current statustype.
    Per statustype and masker the database counts the zaken, and the households by the masker of all their open
    zaken of that statustype (a bit set when any of them has it): one pass over the open zaken, no row per kolom."""
    z = zaken.c
    open_ = (z.registratiedatum <= v.tot, or_(z.einddatum.is_(None), z.einddatum > v.tot))
    of = functools.reduce(operator.add, (func.max(z.masker.op("&")(bit)) for bit in BITS.values()))
    per_huishouden = (select(z.statustype, of.label("masker")).where(*open_)
                      .group_by(z.statustype, z.huishouden).subquery())
    per: dict[str, dict[int, list[int]]] = defaultdict(dict)
    for statustype, m, n in (await session.execute(
            select(per_huishouden.c.statustype, per_huishouden.c.masker, func.count())
            .group_by(per_huishouden.c.statustype, per_huishouden.c.masker))).all():
        per[statustype or "zonder-status"].setdefault(m, [0, 0])[0] = n
    for statustype, m, n in (await session.execute(select(z.statustype, z.masker, func.count()).where(*open_)
                                                   .group_by(z.statustype, z.masker))).all():
        per[statustype or "zonder-status"].setdefault(m, [0, 0])[1] = n
    cellen = _cellen_uit_maskers(per, v.indeling, str, aantal=True)
    for cel in cellen:
        cel.plaats = {"statustype": cel.plaats.pop("periode"), **cel.plaats}
    return cellen, [_groep_binnen_cluster("statustype"), _groep_binnen_domein("statustype")]


async def _escalaties(session: AsyncSession, v: Vraag) -> tuple[list[Cel], Groepen]:
    if (cellen := await _vooraf(session, v, "escalaties", aantal=True)) is not None:
        return cellen, hierarchie()
    bron = _zaak_rijen(_dialect(session), zaken.c.geescaleerd, v).where(zaken.c.geescaleerd.between(v.van, v.tot))
    return await _per_niveau(session, v, bron, _aantal), hierarchie()


async def _signalen(session: AsyncSession, v: Vraag) -> tuple[list[Cel], Groepen]:
    dialect = _dialect(session)
    s = signalen.c
    # The household's first aanvraag on or after the signaal (kept by the projection) within the window.
    werd = s.eerste_aanvraag <= _plus_dagen_sql(dialect, s.registratiedatum, v.signaal_venster)
    periode = periode_sql(dialect, s.registratiedatum, v.periode).label("periode")
    rijen = (select(periode, s.signaalsoort, func.coalesce(s.huishouden, s.signaal).label("huishouden"),
                    case((werd, 1), else_=0).label("werd"))
             .where(s.registratiedatum.between(v.van, v.tot)).subquery())
    delen = [select(rijen.c.periode, soort.label("soort"), func.count().label("aantal"),
                    func.sum(rijen.c.werd).label("werd"), func.count(rijen.c.huishouden.distinct()).label("n"))
             .group_by(rijen.c.periode, *group) for soort, group in (
                 (rijen.c.signaalsoort, [rijen.c.signaalsoort]), (_tekst(ALLE), []))]
    tellingen = (await session.execute(union_all(*delen))).all()
    cellen = [Cel({"periode": p, "signaalsoort": r.soort}, {"aantal": r.aantal, "werdAanvraag": int(r.werd)},
                  aantal_huishoudens=r.n)
              for p, r in sorted(((v.label_van(r.periode), r) for r in tellingen),
                                 key=lambda pr: (pr[0], pr[1].soort == ALLE, pr[1].soort))]
    return cellen, [lambda c: c.plaats["periode"]]


async def _meerdere_kolommen(session: AsyncSession, v: Vraag) -> tuple[list[Cel], Groepen]:
    if (sleutel := _een_periode(v.van, v.tot)) is not None:
        # The households per masker of the zaken registered in that month, quarter or year: a pair's households
        # are those whose masker holds both kolommen.
        maskers = (await lees(session, "zaken", [sleutel])).get(sleutel, {})
        cellen = []
        for i, ka in enumerate(KOLOMMEN):
            for kb in KOLOMMEN[i:]:
                bits = BITS[ka] | BITS[kb]
                n = sum(h for m, (h, _items) in maskers.items() if m & bits == bits)
                cellen.append(Cel({"kolomA": ka, "kolomB": kb}, {"huishoudens": n}, aantal_huishoudens=n))
        return cellen, []
    a, b = zaak_kolommen.alias("a"), zaak_kolommen.alias("b")
    in_periode = [a.c.registratiedatum.between(v.van, v.tot), b.c.registratiedatum.between(v.van, v.tot)]
    telling = dict(((r.a, r.b), r.n) for r in (await session.execute(
        select(a.c.kolom.label("a"), b.c.kolom.label("b"), func.count(a.c.huishouden.distinct()).label("n"))
        .select_from(a.join(b, and_(a.c.huishouden == b.c.huishouden, a.c.kolom <= b.c.kolom)))
        .where(*in_periode).group_by(a.c.kolom, b.c.kolom))).all())
    cellen = []
    for i, ka in enumerate(KOLOMMEN):
        for kb in KOLOMMEN[i:]:
            n = telling.get((ka, kb), 0) + (telling.get((kb, ka), 0) if ka != kb else 0)
            cellen.append(Cel({"kolomA": ka, "kolomB": kb}, {"huishoudens": n}, aantal_huishoudens=n))
    return cellen, []


async def huishouden_kolommen(session: AsyncSession, v: Vraag) -> dict[str, set[str]]:
    """Per household: the kolommen it had a zaak in that was registered in the period."""
    per_huishouden: dict[str, set[str]] = defaultdict(set)
    z = zaak_kolommen.c
    for h, kolom in (await session.execute(select(z.huishouden, z.kolom).distinct()
                                           .where(z.registratiedatum.between(v.van, v.tot)))).all():
        per_huishouden[h].add(kolom)
    return per_huishouden


_TOEGEKEND = ("toegekend", "gedeeltelijk-toegekend")
_TOEGEKENDE_VOORZIENING = (zaken.c.uitkomst.in_(_TOEGEKEND), zaken.c.voorziening_van.is_not(None))


async def _voorzieningen(session: AsyncSession, v: Vraag) -> tuple[list[Cel], Groepen]:
    if (cellen := await _vooraf(session, v, "voorzieningen", aantal=False)) is not None:
        return cellen, hierarchie()
    lijst = perioden(v.van, v.tot, v.periode)
    dialect = _dialect(session)
    stukken = union_all(*(select(literal(i, Integer).label("nr"), _dag_sql(dialect, begin).label("begin"),
                                 _dag_sql(dialect, eind).label("eind"))
                          for i, (_label, begin, eind) in enumerate(lijst))).subquery("p")
    z = zaak_kolommen.c
    bron = (select(stukken.c.nr.label("periode"), z.kolom.label("kolom"), z.zaak.label("item"),
                   z.huishouden.label("huishouden"))
            .select_from(zaak_kolommen.join(zaken, zaken.c.zaak == z.zaak).join(stukken, and_(
                zaken.c.voorziening_van <= stukken.c.eind,
                or_(zaken.c.voorziening_tot.is_(None), zaken.c.voorziening_tot >= stukken.c.begin))))
            .where(*_TOEGEKENDE_VOORZIENING))
    return await _per_niveau(session, v, bron, _huishoudens, label=lambda nr: lijst[nr][0]), hierarchie()


async def _voorzieningen_instroom(session: AsyncSession, v: Vraag) -> tuple[list[Cel], Groepen]:
    if (cellen := await _vooraf(session, v, "voorzieningen-instroom", aantal=False)) is not None:
        return cellen, hierarchie()
    van = zaken.c.voorziening_van
    bron = _zaak_rijen(_dialect(session), van, v).where(*_TOEGEKENDE_VOORZIENING, van.between(v.van, v.tot))
    return await _per_niveau(session, v, bron, _huishoudens), hierarchie()


async def _voorzieningen_uitstroom(session: AsyncSession, v: Vraag) -> tuple[list[Cel], Groepen]:
    if (cellen := await _vooraf(session, v, "voorzieningen-uitstroom", aantal=False)) is not None:
        return cellen, hierarchie()
    tot = zaken.c.voorziening_tot
    bron = _zaak_rijen(_dialect(session), tot, v).where(*_TOEGEKENDE_VOORZIENING, tot.between(v.van, v.tot))
    return await _per_niveau(session, v, bron, _huishoudens), hierarchie()


# --- financien: amounts in eurocent, per kolom → cluster → domain (and per aanbieder) --------------------------

async def _bedragen_per_niveau(session: AsyncSession, v: Vraag, bron: Select[Any], meting: Meting,
                               per_aanbieder: bool) -> list[Any]:
    """Counts per (periode, kolom), per (periode, cluster) and per periode — and with ``per_aanbieder`` the same
    again per aanbieder — from ``bron``: a select of ``periode, aanbieder, kolom`` and what ``meting`` sums, one
    row per item of one kolom (a toewijzing, a part of a declaratie), so no level needs distinct rows first."""
    rijen = bron.subquery("rijen")
    basis = select(*rijen.c, cluster_sql(v.indeling, rijen.c.kolom).label("cluster")).subquery("basis")
    delen = []
    for aanbieder in (False, True) if per_aanbieder else (False,):
        for niveau in ("kolom", "cluster", ALLE):
            groep = [basis.c.periode, *([basis.c.aanbieder] if aanbieder else [])]
            groep += [basis.c.kolom] if niveau == "kolom" else []
            groep += [basis.c.cluster] if niveau != ALLE else []
            delen.append(select(
                basis.c.periode, (basis.c.aanbieder if aanbieder else _tekst(ALLE)).label("aanbieder"),
                (basis.c.kolom if niveau == "kolom" else _tekst(ALLE)).label("kolom"),
                (basis.c.cluster if niveau != ALLE else _tekst(ALLE)).label("cluster"), *meting(basis))
                .group_by(*groep))
    return list((await session.execute(union_all(*delen))).mappings())


def _sort_bedrag(plaats: dict[str, str]) -> tuple[Any, ...]:
    aanbieder = plaats.get("aanbieder", ALLE)
    return (plaats["periode"], aanbieder != ALLE, aanbieder, plaats["cluster"] == ALLE, plaats["cluster"],
            plaats["kolom"] == ALLE, plaats["kolom"])


def _groepen_bedrag(per_aanbieder: bool) -> Groepen:
    """The kolommen of a cluster with that cluster, the clusters with the total (per period and aanbieder), and
    the aanbieders' cells with the cell of all aanbieders at the same place (each item has one aanbieder)."""

    def binnen_cluster(c: Cel) -> Hashable | None:
        p = c.plaats
        return None if p["cluster"] == ALLE else ("cluster", p["periode"], p.get("aanbieder"), p["cluster"])

    def binnen_domein(c: Cel) -> Hashable | None:
        p = c.plaats
        return None if p["kolom"] != ALLE else ("domein", p["periode"], p.get("aanbieder"))

    def over_aanbieders(c: Cel) -> Hashable | None:
        p = c.plaats
        return ("aanbieders", p["periode"], p["kolom"], p["cluster"])

    return [binnen_cluster, binnen_domein, *([over_aanbieders] if per_aanbieder else [])]


def _verplichting_sql(rows: FromClause) -> list[ColumnElement[Any]]:
    return [func.count(rows.c.huishouden.distinct()).label("n_huishoudens"),
            func.count().label("toewijzingen"),
            func.coalesce(func.sum(rows.c.verplichting), 0).label("verplichting")]


async def _verplichtingen(session: AsyncSession, v: Vraag) -> tuple[list[Cel], Groepen]:
    t = toewijzingen.c
    bron = (select(periode_sql(_dialect(session), t.begindatum, v.periode).label("periode"),
                   t.aanbieder.label("aanbieder"), t.kolom.label("kolom"), t.huishouden.label("huishouden"),
                   t.verplichting.label("verplichting"))
            .where(t.begindatum.between(v.van, v.tot)))
    cellen = []
    for r in await _bedragen_per_niveau(session, v, bron, _verplichting_sql, per_aanbieder=True):
        plaats = {"periode": v.label_van(r["periode"]), "aanbieder": r["aanbieder"], "kolom": r["kolom"],
                  "cluster": r["cluster"]}
        cellen.append(Cel(plaats, {"toewijzingen": r["toewijzingen"], "verplichting": int(r["verplichting"])},
                          aantal_huishoudens=r["n_huishoudens"]))
    cellen.sort(key=lambda c: _sort_bedrag(c.plaats))
    return cellen, _groepen_bedrag(per_aanbieder=True)


_REALISATIE = ("goedgekeurdBedrag", "afgekeurdBedrag", "regelsGoedgekeurd", "regelsAfgekeurd")


def _realisatie_sql(rows: FromClause) -> list[ColumnElement[Any]]:
    return [func.count().label("delen"),
            *(func.coalesce(func.sum(rows.c[kolom]), 0).label(veld) for veld, kolom in zip(_REALISATIE, (
                "goedgekeurd_bedrag", "afgekeurd_bedrag", "aantal_goedgekeurd", "aantal_afgekeurd"), strict=True))]


def _huishoudens_sql(rows: FromClause) -> list[ColumnElement[Any]]:
    return [func.count(rows.c.huishouden.distinct()).label("n_huishoudens")]


async def _realisatie(session: AsyncSession, v: Vraag) -> tuple[list[Cel], Groepen]:
    """Declaraties name no households. A cell rests on the households of the toewijzingen its declaraties can be
    for — same aanbieder and kolom, a period that overlaps the declared one — and on at least one."""
    dialect = _dialect(session)
    d, t = declaratie_kolommen.c, toewijzingen.c
    periode = periode_sql(dialect, d.begindatum, v.periode).label("periode")
    in_periode = d.begindatum.between(v.van, v.tot)
    bron = select(periode, d.aanbieder.label("aanbieder"), d.kolom.label("kolom"), d.goedgekeurd_bedrag,
                  d.afgekeurd_bedrag, d.aantal_goedgekeurd, d.aantal_afgekeurd).where(in_periode)
    wie = (select(periode, d.aanbieder.label("aanbieder"), d.kolom.label("kolom"), t.huishouden.label("huishouden"))
           .select_from(declaratie_kolommen.join(toewijzingen, and_(
               t.aanbieder == d.aanbieder, t.kolom == d.kolom, t.begindatum <= d.einddatum,
               or_(t.einddatum.is_(None), t.einddatum >= d.begindatum))))
           .where(in_periode))
    huishoudens = {(r["periode"], r["kolom"], r["cluster"]): r["n_huishoudens"]
                   for r in await _bedragen_per_niveau(session, v, wie, _huishoudens_sql, per_aanbieder=False)}
    cellen = []
    for r in await _bedragen_per_niveau(session, v, bron, _realisatie_sql, per_aanbieder=False):
        plaats = {"periode": v.label_van(r["periode"]), "kolom": r["kolom"], "cluster": r["cluster"]}
        n = huishoudens.get((r["periode"], r["kolom"], r["cluster"]), 0)
        cellen.append(Cel(plaats, {veld: int(r[veld]) for veld in _REALISATIE},
                          aantal_huishoudens=max(n, 1) if r["delen"] else 0))
    cellen.sort(key=lambda c: _sort_bedrag(c.plaats))
    return cellen, _groepen_bedrag(per_aanbieder=False)


async def _afwijzingen(session: AsyncSession, v: Vraag) -> tuple[list[Cel], Groepen]:
    a = afwijzingen.c
    rijen = (select(periode_sql(_dialect(session), a.datum, v.periode).label("periode"), a.reden, a.afwijzing,
                    a.huishouden)
             .where(a.datum.between(v.van, v.tot)).subquery())
    delen = [select(rijen.c.periode, reden.label("reden"), func.count(rijen.c.afwijzing.distinct()).label("aantal"),
                    func.count(rijen.c.huishouden.distinct()).label("n"))
             .group_by(rijen.c.periode, *group) for reden, group in (
                 (rijen.c.reden, [rijen.c.reden]), (_tekst(ALLE), []))]
    tellingen = (await session.execute(union_all(*delen))).all()
    cellen = [Cel({"periode": p, "reden": r.reden}, {"aantal": r.aantal}, aantal_huishoudens=r.n)
              for p, r in sorted(((v.label_van(r.periode), r) for r in tellingen),
                                 key=lambda pr: (pr[0], pr[1].reden == ALLE, pr[1].reden))]
    return cellen, [lambda c: c.plaats["periode"]]


async def _budgetten(session: AsyncSession, v: Vraag) -> tuple[list[Cel], Groepen]:
    """A budget is the municipality's own figure, not about households: it is shown as financien last reported
    it (no cell is suppressed; what was committed and claimed is in ``verplichtingen`` and ``realisatie``)."""
    b = budgetten.c
    rows = (await session.execute(select(b.jaar, b.kolom, b.cluster, b.budget_bedrag, b.drempel_percentage)
                                  .where(b.jaar.between(v.van.year, v.tot.year),
                                         or_(b.kolom.is_not(None), b.cluster.is_not(None))))).all()
    cellen = [Cel({"jaar": str(r.jaar), "kolom": r.kolom or ALLE, "cluster": r.cluster or ALLE},
                  {"budgetBedrag": r.budget_bedrag, "drempelPercentage": r.drempel_percentage}, aantal_huishoudens=0)
              for r in rows]
    cellen.sort(key=lambda c: (c.plaats["jaar"], c.plaats["kolom"] == ALLE, c.plaats["kolom"], c.plaats["cluster"]))
    return cellen, []


def _groep_binnen_cluster(eerste: str) -> Callable[[Cel], Hashable | None]:
    return lambda c: None if c.plaats["cluster"] == ALLE else ("cluster", c.plaats[eerste], c.plaats["cluster"])


def _groep_binnen_domein(eerste: str) -> Callable[[Cel], Hashable | None]:
    return lambda c: None if c.plaats["kolom"] != ALLE else ("domein", c.plaats[eerste])


_KOLOM_CLUSTER = ("kolom", "cluster")
INDICATOREN: dict[str, Indicator] = {i.naam: i for i in [
    Indicator("instroom", "Aanvragen per periode (registratiedatum), kolom en cluster; een aanvraag met vragen in "
              "meer kolommen telt in elk daarvan en één keer in het totaal.", ("aantal",),
              ("periode", *_KOLOM_CLUSTER), _instroom),
    Indicator("signalen", "Signalen van partners per periode en soort, en hoeveel daarvan binnen het venster "
              "(standaard 90 dagen) tot een aanvraag van het huishouden leidden.", ("aantal", "werdAanvraag"),
              ("periode", "signaalsoort"), _signalen),
    Indicator("doorlooptijd", "Zaken per periode (registratiedatum), kolom en cluster: dagen van aanvraag tot zaak "
              "en van zaak tot resultaat, mediaan en p90.",
              ("aantal", "mediaanDagenAanvraagTotZaak", "p90DagenAanvraagTotZaak", "metResultaat",
               "mediaanDagenZaakTotResultaat", "p90DagenZaakTotResultaat"), ("periode", *_KOLOM_CLUSTER),
              _doorlooptijd),
    Indicator("termijnen", "Overschreden wettelijke termijnen (onderzoek of beslissing) per periode (uiterlijke "
              "einddatum), kolom en cluster.", ("aantal",), ("periode", *_KOLOM_CLUSTER), _termijnen),
    Indicator("open-zaken", "Zaken die op de peildatum (tot) open zijn, per statustype, kolom en cluster.",
              ("aantal",), ("statustype", *_KOLOM_CLUSTER), _open_zaken),
    Indicator("meerdere-kolommen", "Huishoudens met een zaak in beide kolommen (de diagonaal: in die kolom), "
              "over de zaken geregistreerd in de periode.", ("huishoudens",), ("kolomA", "kolomB"),
              _meerdere_kolommen),
    Indicator("voorzieningen", "Huishoudens met een lopende voorziening (een toekenning) in de periode, per kolom "
              "en cluster: de telling van de Monitor Sociaal Domein.", ("huishoudens",), ("periode", *_KOLOM_CLUSTER),
              _voorzieningen),
    Indicator("voorzieningen-instroom", "Huishoudens van wie een voorziening in de periode begon, per kolom en "
              "cluster.", ("huishoudens",), ("periode", *_KOLOM_CLUSTER), _voorzieningen_instroom),
    Indicator("voorzieningen-uitstroom", "Huishoudens van wie een voorziening in de periode eindigde, per kolom en "
              "cluster.", ("huishoudens",), ("periode", *_KOLOM_CLUSTER), _voorzieningen_uitstroom),
    Indicator("escalaties", "Kolomzaken die naar een integraal team gingen, per periode, kolom en cluster.",
              ("aantal",), ("periode", *_KOLOM_CLUSTER), _escalaties),
    Indicator("verplichtingen", "Toewijzingen en wat ze verplichten (in eurocent, zoals financien ze nu kent: "
              "gewijzigd of beëindigd), per periode (begindatum), kolom en cluster, en per aanbieder.",
              ("toewijzingen", "verplichting"), ("periode", "aanbieder", *_KOLOM_CLUSTER), _verplichtingen),
    Indicator("realisatie", "Gedeclareerde zorg, goedgekeurd en afgekeurd (in eurocent en in regels), per periode "
              "(begindatum van de declaratie), kolom en cluster.", _REALISATIE, ("periode", *_KOLOM_CLUSTER),
              _realisatie),
    Indicator("afwijzingen", "Toekenningen die geen toewijzing werden, per periode en reden; een afwijzing om "
              "meer redenen telt bij elk daarvan en één keer in het totaal.", ("aantal",), ("periode", "reden"),
              _afwijzingen),
    Indicator("budgetten", "Budgetten per jaar, kolom of cluster, zoals financien ze meldde toen de verplichtingen "
              "een drempel passeerden (het hoogste drempelpercentage tot nu toe).",
              ("budgetBedrag", "drempelPercentage"), ("jaar", *_KOLOM_CLUSTER), _budgetten),
]}


async def bereken(session: AsyncSession, indicator: Indicator, vraag: Vraag) -> list[Cel]:
    cellen, groepen = await indicator.bereken(session, vraag)
    onderdruk(cellen, groepen, vraag.minimum)
    return cellen


def past_bij(cel: Cel, filters: dict[str, str]) -> bool:
    return all(cel.plaats.get(k) == value for k, value in filters.items())


async def clusterindeling(session: AsyncSession, v: Vraag, indelingen: list[Indeling]) -> list[dict[str, Any]]:
    """For each clustering: of the households with zaken in several kolommen, how many span several clusters;
    and per cluster the zaken, households and lead times, and the cost: what its toewijzingen commit and
    what was claimed."""
    per_huishouden = {h: k for h, k in (await huishouden_kolommen(session, v)).items() if len(k) > 1}
    uitkomst = []
    for indeling in indelingen:
        gesplitst = {h for h, kolommen in per_huishouden.items() if len(indeling.clusters_van(kolommen)) > 1}
        totaal = Cel({}, {"huishoudensMeerdereKolommen": len(per_huishouden),
                          "waarvanOverClustersHeen": len(gesplitst)}, set(per_huishouden))
        deel = Cel({}, {"waarvanOverClustersHeen": len(gesplitst)}, gesplitst)
        heel = Cel({}, {"binnenEenCluster": len(per_huishouden) - len(gesplitst)}, set(per_huishouden) - gesplitst)
        onderdruk([totaal, deel, heel], [lambda _c: "huishoudens"], v.minimum)
        verhouding = None
        if not (totaal.onderdrukt or deel.onderdrukt) and per_huishouden:
            verhouding = round(len(gesplitst) / len(per_huishouden), 4)
        # One period over the whole range asked: a cluster's lead time, not per month.
        geheel = replace(v, periode="geheel", indeling=indeling)
        doorloop = [c for c in await bereken(session, INDICATOREN["doorlooptijd"], geheel) if c.plaats["kolom"] == ALLE]
        verplicht = [c for c in await bereken(session, INDICATOREN["verplichtingen"], geheel)
                     if c.plaats["kolom"] == ALLE and c.plaats["aanbieder"] == ALLE]
        realisatie = [c for c in await bereken(session, INDICATOREN["realisatie"], geheel) if c.plaats["kolom"] == ALLE]
        uitkomst.append({
            "profiel": indeling.naam,
            "clusters": {naam: list(kolommen) for naam, kolommen in indeling.clusters.items()},
            "huishoudensMeerdereKolommen": None if totaal.onderdrukt else len(per_huishouden),
            "waarvanOverClustersHeen": None if deel.onderdrukt else len(gesplitst),
            "aandeelOverClustersHeen": verhouding,
            "onderdrukt": totaal.onderdrukt or deel.onderdrukt,
            "perCluster": [c.naar_buiten() for c in doorloop if c.plaats["cluster"] != ALLE],
            "verplichtingenPerCluster": [c.naar_buiten() for c in verplicht if c.plaats["cluster"] != ALLE],
            "realisatiePerCluster": [c.naar_buiten() for c in realisatie if c.plaats["cluster"] != ALLE],
        })
    return uitkomst
