"""Declaraties (iJw/iWmo 323) and their answer (325): every line of a batch checked against the aanbieder's
toewijzingen and contract, accepted or rejected with a retourcode, in one transaction with its event.

Sent again with the same Idempotency-Key, the runtime answers the first response without a second effect; a
batch with a DeclaratieNummer already used by this aanbieder is refused, and a ProductReferentie is paid once,
so a batch resent without the key pays nothing twice either.
"""

from __future__ import annotations

import hashlib
import json
import uuid as uuidlib
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from fastapi import Request
from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Select,
    String,
    any_,
    bindparam,
    case,
    cast,
    exists,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.events import make_event
from contracts.events.financien import DeclaratieVerwerkt
from sds.runtime.app import UnitOfWork
from sds.runtime.auth import AuthContext
from sds.runtime.errors import PermissionDenied, ValidatieFout, refused_or_absent
from sds.runtime.pagination import PageParams, paginate
from services.financien import schemas, verplichtingen, verwerking
from services.financien.context import SOURCE, Bereik, base_url, bereik, lees_bereik, url
from services.financien.domain import (
    GOEDGEKEURD,
    SCOPE_SCHRIJVEN,
    Periode,
    Regel,
    Tarief,
    Toegewezen,
    beoordeel_regels,
    einde_verplichting,
    euro,
    toegewezen_volume,
)
from services.financien.models import aanbieders, declaratie_regels, declaraties, tarieven, toewijzingen

DECLARATIE_VERWERKT = "nl.sociaal-domein.financien.declaratie-verwerkt"
_CHUNK = 1000
_T = TypeVar("_T")


def _chunks(values: list[_T]) -> Iterator[list[_T]]:
    for i in range(0, len(values), _CHUNK):
        yield values[i:i + _CHUNK]


def _in(column: Any, values: list[_T], postgres: bool) -> list[ColumnElement[bool]]:
    """``column`` among ``values``: on PostgreSQL one constant statement with the values as one array parameter
    (``= ANY``), planned once and sent once; elsewhere IN lists of at most 1,000, within SQLite's bind limit."""
    if postgres:
        kind = BigInteger() if values and isinstance(values[0], int) else String()
        return [column == any_(bindparam(None, values, type_=ARRAY(kind)))]
    return [column.in_(chunk) for chunk in _chunks(values)]


# What the checks of a line need of a toewijzing, and what a declared line and the verwerkingenlog keep of it.
_KOLOMMEN = (toewijzingen.c.id, toewijzingen.c.uuid, toewijzingen.c.product_id, toewijzingen.c.begindatum,
             toewijzingen.c.einddatum, toewijzingen.c.stop_zorg, toewijzingen.c.volume, toewijzingen.c.eenheid,
             toewijzingen.c.frequentie, toewijzingen.c.kolom, toewijzingen.c.cluster, toewijzingen.c.huishouden)


async def _toegewezen(session: AsyncSession, aanbieder_id: int, uuids: Iterable[str], reach: Bereik) -> tuple[
        dict[str, Toegewezen], dict[str, Any]]:
    """The aanbieder's live toewijzingen among ``uuids`` (of the kolommen in ``reach``: a line on another kolom's
    is as one on no toewijzing), as the checks need them, and their rows.

    The caller holds the aanbieder's lock (``_vergrendel``): two batches at once must not both fit in what is
    left of one toewijzing."""
    postgres = session.get_bind().dialect.name == "postgresql"
    rows: dict[str, Any] = {}
    for where in _in(toewijzingen.c.uuid, sorted(set(uuids)), postgres):
        for row in (await session.execute(select(*_KOLOMMEN).where(
                where, toewijzingen.c.aanbieder_id == aanbieder_id, reach.kolom_in(toewijzingen.c.kolom),
                toewijzingen.c.status.in_(("toegewezen", "gestart", "gestopt", "beeindigd"))))).all():
            rows[row.uuid] = row
    ids = sorted(r.id for r in rows.values())
    product_ids = sorted({r.product_id for r in rows.values()})
    claimed: dict[int, int] = {}
    per_product: dict[int, list[Tarief]] = {p: [] for p in product_ids}
    for where in _in(declaratie_regels.c.toewijzing_id, ids, postgres) if ids else []:
        for toewijzing_id, volume in (await session.execute(
                select(declaratie_regels.c.toewijzing_id, func.sum(declaratie_regels.c.volume))
                .where(where, declaratie_regels.c.retourcode == GOEDGEKEURD)
                .group_by(declaratie_regels.c.toewijzing_id))).all():
            claimed[toewijzing_id] = int(volume)
    for chunk in _chunks(product_ids):
        for t in (await session.execute(select(tarieven).where(tarieven.c.product_id.in_(chunk)))).all():
            per_product[t.product_id].append(Tarief(Periode(t.begindatum, t.einddatum), t.bedrag))
    out = {}
    for key, r in rows.items():
        eind = r.stop_zorg or einde_verplichting(r.begindatum, r.einddatum, None)
        periode = Periode(r.begindatum, eind)
        out[key] = Toegewezen(periode=periode, eenheid=r.eenheid,
                              toegewezen_volume=toegewezen_volume(r.volume, r.frequentie, periode),
                              gedeclareerd_volume=claimed.get(r.id, 0), tarieven=tuple(per_product[r.product_id]))
    return out, rows


async def _al_betaald(session: AsyncSession, aanbieder_id: int, referenties: list[str]) -> set[str]:
    postgres = session.get_bind().dialect.name == "postgresql"
    found: set[str] = set()
    for where in _in(declaratie_regels.c.betaald_sleutel, sorted({f"{aanbieder_id}|{r}" for r in referenties}),
                     postgres):
        found.update(k.split("|", 1)[1] for k in (await session.execute(
            select(declaratie_regels.c.betaald_sleutel).where(where))).scalars())
    return found


_REGEL_KOLOMMEN = ("declaratie_id", "toewijzing_id", "referentie", "betaald_sleutel", "begindatum", "einddatum",
                   "volume", "tarief", "bedrag", "kolom", "cluster", "retourcode")


async def _schrijf_regels(session: AsyncSession, values: list[dict[str, Any]]) -> None:
    """The lines of a batch, in the batch's transaction. On PostgreSQL by COPY on the session's own connection:
    10,000 rows as INSERTs took 0.4 s, most of a batch's time in the database. The unique ProductReferentie of a
    paid line holds all the same (a violation fails the COPY, and the transaction with it)."""
    if session.get_bind().dialect.name != "postgresql":
        for chunk in _chunks(values):
            await session.execute(insert(declaratie_regels), chunk)
        return
    raw = await (await session.connection()).get_raw_connection()
    await raw.driver_connection.copy_records_to_table(  # type: ignore[union-attr]
        declaratie_regels.name, columns=_REGEL_KOLOMMEN,
        records=[tuple(v[c] for c in _REGEL_KOLOMMEN) for v in values])


async def _vergrendel(session: AsyncSession, aanbieder_id: int) -> None:
    """Lock the aanbieder for this transaction: its batches are checked one after another, so two at once cannot
    both fit in what is left of a toewijzing. A batch claims only on the aanbieder's own toewijzingen, so one row
    lock does what locking each of up to 10,000 toewijzingen did (that wrote every page they lie on: 0.3 s and
    80 MB of WAL a batch at a million toewijzingen). NO KEY: a row elsewhere may still reference the aanbieder."""
    await session.execute(select(aanbieders.c.id).where(aanbieders.c.id == aanbieder_id)
                          .with_for_update(key_share=True))


def declaratie_select(reach: Bereik) -> Select[Any]:
    """Declaraties with their aanbieder's uuid. For an applicatie limited to kolommen a batch is cut to its part:
    only a declaratie with a line on a toewijzing of its kolommen, and its counts and amounts over those lines
    alone (what another kolom's care cost is not its to see)."""
    if not reach.begrensd:
        return (select(declaraties, aanbieders.c.uuid.label("aanbieder_uuid"))
                .join(aanbieders, aanbieders.c.id == declaraties.c.aanbieder_id))
    r = declaratie_regels
    eigen = (r.c.declaratie_id == declaraties.c.id, reach.kolom_in(r.c.kolom))

    def som(value: Any) -> Any:
        # As a bigint: PostgreSQL sums bigints as numeric.
        return select(cast(func.coalesce(func.sum(value), 0), BigInteger)).where(*eigen).correlate(
            declaraties).scalar_subquery()

    hidden = {"aantal_regels", "ingediend_bedrag", "goedgekeurd_bedrag"}
    return (select(*(c for c in declaraties.c if c.name not in hidden),
                   select(func.count()).where(*eigen).correlate(declaraties).scalar_subquery().label("aantal_regels"),
                   som(r.c.bedrag).label("ingediend_bedrag"),
                   som(case((r.c.retourcode == GOEDGEKEURD, r.c.bedrag), else_=0)).label("goedgekeurd_bedrag"),
                   aanbieders.c.uuid.label("aanbieder_uuid"))
            .join(aanbieders, aanbieders.c.id == declaraties.c.aanbieder_id)
            .where(exists().where(*eigen)))


def _out(base: str, row: Any, aanbieder_uuid: str, regels: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    out = {"url": url(base, "declaraties", row.uuid), "aanbieder": url(base, "aanbieders", aanbieder_uuid),
           "identificatie": row.identificatie, "begindatum": row.begindatum.isoformat(),
           "einddatum": row.einddatum.isoformat(), "aantalRegels": row.aantal_regels,
           "ingediendBedrag": euro(row.ingediend_bedrag), "goedgekeurdBedrag": euro(row.goedgekeurd_bedrag),
           "afgekeurdBedrag": euro(row.ingediend_bedrag - row.goedgekeurd_bedrag)}
    if regels is not None:
        out["regels"] = regels
    return out


def inhoud(body: schemas.NieuweDeclaratie) -> str:
    """The batch's content as a digest, whatever its JSON spacing, key order or amount notation: what makes a
    batch the same. From the validated values as plain lists (a model_dump of 10,000 lines took 0.1 s)."""
    return hashlib.sha256(json.dumps([str(body.begindatum), str(body.einddatum), [
        [r.referentie, r.toewijzing, str(r.begindatum), str(r.einddatum), r.volume, r.eenheid, r.product_tarief]
        for r in body.regels]], separators=(",", ":")).encode()).hexdigest()


async def dien_in(uow: UnitOfWork, request: Request, ctx: AuthContext,
                  body: schemas.NieuweDeclaratie) -> dict[str, Any]:
    session = uow.session
    reach = await bereik(session, ctx, SCOPE_SCHRIJVEN)
    if reach.aanbieder_id is None:
        raise PermissionDenied("Een declaratie dient de aanbieder in, met zijn eigen applicatie.",
                               code="permission_denied")
    aanbieder_id = reach.aanbieder_id
    if session.get_bind().dialect.name == "postgresql":
        # The checks look up toewijzingen and declared lines by the same statements every batch; PostgreSQL would
        # keep a generic plan made while declaratie_regels was small (a seq scan) as the table grows, each batch
        # slower than the last (1.6 s to 22 s over five batches). Plan them afresh.
        await session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
    await _vergrendel(session, aanbieder_id)
    digest = inhoud(body)
    eerder = (await session.execute(select(declaraties.c.uuid, declaraties.c.inhoud).where(
        declaraties.c.aanbieder_id == aanbieder_id, declaraties.c.identificatie == body.identificatie))).first()
    if eerder is not None:
        if eerder.inhoud == digest:
            # The same batch again (its answer lost in a crash, or sent twice): the first answer, no second effect.
            return await lees(session, request, ctx, eerder.uuid)
        raise ValidatieFout.single("identificatie", "unique", "Deze aanbieder diende al een andere declaratie met "
                                   "dit nummer in.")
    regels = [Regel(referentie=r.referentie, toewijzing=r.toewijzing, periode=Periode(r.begindatum, r.einddatum),
                    volume=r.volume, eenheid=r.eenheid, tarief=r.product_tarief) for r in body.regels]
    toegewezen, rows = await _toegewezen(session, aanbieder_id, (r.toewijzing for r in regels), reach)
    al_betaald = await _al_betaald(session, aanbieder_id, [r.referentie for r in regels])
    codes = beoordeel_regels(regels, Periode(body.begindatum, body.einddatum), toegewezen, al_betaald)

    ingediend = sum(r.volume * r.tarief for r in regels)
    goedgekeurd = sum(r.volume * r.tarief for r, c in zip(regels, codes, strict=True) if c == GOEDGEKEURD)
    new = str(uuidlib.uuid4())
    declaratie_id = (await session.execute(insert(declaraties).values(
        uuid=new, aanbieder_id=aanbieder_id, identificatie=body.identificatie, begindatum=body.begindatum,
        einddatum=body.einddatum, aantal_regels=len(regels), ingediend_bedrag=ingediend,
        goedgekeurd_bedrag=goedgekeurd, inhoud=digest).returning(declaraties.c.id))).scalar_one()
    values = []
    for regel, code in zip(regels, codes, strict=True):
        row = rows.get(regel.toewijzing)
        values.append({
            "declaratie_id": declaratie_id, "toewijzing_id": row.id if row is not None else None,
            "referentie": regel.referentie,
            "betaald_sleutel": f"{aanbieder_id}|{regel.referentie}" if code == GOEDGEKEURD else None,
            "begindatum": regel.periode.begin, "einddatum": regel.periode.eind, "volume": regel.volume,
            "tarief": regel.tarief, "bedrag": regel.volume * regel.tarief,
            "kolom": row.kolom if row is not None else None, "cluster": row.cluster if row is not None else None,
            "retourcode": code})
    await _schrijf_regels(session, values)
    realisatie: dict[verplichtingen.Sleutel, int] = {}
    for v in values:
        if v["retourcode"] == GOEDGEKEURD:
            key = (v["begindatum"].year, v["kolom"], v["cluster"], aanbieder_id)
            realisatie[key] = realisatie.get(key, 0) + v["bedrag"]
    await verplichtingen.boek_realisatie(session, realisatie)

    base = base_url(request)
    aanbieder_uuid = (await session.execute(select(aanbieders.c.uuid)
                                            .where(aanbieders.c.id == aanbieder_id))).scalar_one()
    own = url(base, "declaraties", new)
    await uow.record(make_event(DECLARATIE_VERWERKT, _verwerkt(own, url(base, "aanbieders", aanbieder_uuid), body,
                                                               values, ingediend, goedgekeurd),
                                source=SOURCE, subject=new, dataref=own))
    # Each household whose toewijzing a line claims on, once.
    await verwerking.toewijzingen_van(request, session, ctx, rows.values(), activiteit="declaratie-indienen",
                                      handeling="schrijven")
    row = (await session.execute(select(declaraties).where(declaraties.c.id == declaratie_id))).one()
    return _out(base, row, aanbieder_uuid, [{"referentie": v["referentie"], "retourcode": v["retourcode"]}
                                            for v in values])


def _verwerkt(own: str, aanbieder: str, body: schemas.NieuweDeclaratie, values: list[dict[str, Any]],
              ingediend: int, goedgekeurd: int) -> DeclaratieVerwerkt:
    per_kolom: dict[tuple[str, str | None], dict[str, int]] = {}
    for v in values:
        if v["kolom"] is None:
            continue
        sums = per_kolom.setdefault((v["kolom"], v["cluster"]), {"ag": 0, "aa": 0, "bg": 0, "ba": 0})
        if v["retourcode"] == GOEDGEKEURD:
            sums["ag"] += 1
            sums["bg"] += v["bedrag"]
        else:
            sums["aa"] += 1
            sums["ba"] += v["bedrag"]
    redenen = Counter(v["retourcode"] for v in values if v["retourcode"] != GOEDGEKEURD)
    return DeclaratieVerwerkt.model_validate({
        "declaratie": own, "aanbieder": aanbieder, "begindatum": body.begindatum, "einddatum": body.einddatum,
        "aantalRegels": len(values), "ingediendBedrag": ingediend, "goedgekeurdBedrag": goedgekeurd,
        "afgekeurdBedrag": ingediend - goedgekeurd,
        "perKolom": [{"kolom": k, "cluster": c, "aantalGoedgekeurd": s["ag"], "aantalAfgekeurd": s["aa"],
                      "goedgekeurdBedrag": s["bg"], "afgekeurdBedrag": s["ba"]}
                     for (k, c), s in sorted(per_kolom.items(), key=lambda i: (i[0][0], i[0][1] or ""))],
        "afkeurredenen": [{"code": code, "aantal": n} for code, n in sorted(redenen.items())]})


async def lees(session: AsyncSession, request: Request, ctx: AuthContext, uuid: str) -> dict[str, Any]:
    reach = await lees_bereik(session, ctx)
    row = (await session.execute(declaratie_select(reach).where(declaraties.c.uuid == uuid))).first()
    if row is None or (reach.aanbieder_id is not None and row.aanbieder_id != reach.aanbieder_id):
        exists_ = row is not None or (await session.execute(
            select(declaraties.c.id).where(declaraties.c.uuid == uuid))).first() is not None
        raise refused_or_absent(exists_)
    await verwerking.declaratie(request, session, ctx, row.id, reach)
    regels = [{"referentie": r.referentie, "retourcode": r.retourcode} for r in (await session.execute(
        select(declaratie_regels.c.referentie, declaratie_regels.c.retourcode)
        .where(declaratie_regels.c.declaratie_id == row.id, reach.kolom_in(declaratie_regels.c.kolom))
        .order_by(declaratie_regels.c.id))).all()]
    return _out(base_url(request), row, row.aanbieder_uuid, regels)


async def lijst(session: AsyncSession, request: Request, ctx: AuthContext, params: PageParams) -> dict[str, Any]:
    reach = await lees_bereik(session, ctx)
    stmt = declaratie_select(reach).order_by(declaraties.c.id)
    if reach.aanbieder_id is not None:
        stmt = stmt.where(declaraties.c.aanbieder_id == reach.aanbieder_id)
    base = base_url(request)
    return await paginate(session, stmt, params, request, lambda r: _out(base, r, r.aanbieder_uuid))
