"""Toewijzingen: made from a zaak's toekenningen (resultaat-vastgesteld), read by the aanbieder, who reports
start zorg (305) and stop zorg (307) on them.

The toekenning lives on the zaak's resultaat (its ``toekenningen``: product, omvang, period, aanbieder), which
zaken carries in ``nl.overheid.zaken.resultaat-vastgesteld``; each toekenning becomes one toewijzing here, keyed
by the resultaat and the toekenning's place in it, so an event delivered twice makes one.
"""

from __future__ import annotations

import re
import uuid as uuidlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from fastapi import Request
from sqlalchemy import Select, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.envelope import CloudEvent, subject_for
from contracts.events import make_event, parse_data
from contracts.events import zaken as zk
from contracts.events.financien import (
    ToewijzingAfgegeven,
    ToewijzingAfgewezen,
    ToewijzingBeeindigd,
    ToewijzingGewijzigd,
    ZorgGestart,
    ZorgGestopt,
)
from sds.runtime.app import UnitOfWork
from sds.runtime.auth import AuthContext
from sds.runtime.errors import PermissionDenied, ValidatieFout, refused_or_absent
from sds.runtime.outbox import record_event
from sds.runtime.pagination import PageParams, paginate
from services.financien import budgetten, schemas, verplichtingen, verwerking
from services.financien.context import SOURCE, Bereik, base_url, bereik, lees_bereik, url
from services.financien.domain import (
    SCOPE_SCHRIJVEN,
    Kandidaat,
    Periode,
    Tarief,
    Toekenning,
    einde_verplichting,
    euro,
    start_zorg_fout,
    stop_zorg_fout,
    verplichting,
    wijs_toe,
)
from services.financien.models import aanbieders, contracten, producten, tarieven, toewijzingen

RESULTAAT_VASTGESTELD = "nl.overheid.zaken.resultaat-vastgesteld"
SUBJECTS = [subject_for(RESULTAAT_VASTGESTELD)]
TOEGEKEND = ("toegekend", "gedeeltelijk-toegekend")
AFGEGEVEN = "nl.sociaal-domein.financien.toewijzing-afgegeven"
AFGEWEZEN = "nl.sociaal-domein.financien.toewijzing-afgewezen"
ZORG_GESTART = "nl.sociaal-domein.financien.zorg-gestart"
ZORG_GESTOPT = "nl.sociaal-domein.financien.zorg-gestopt"
GEWIJZIGD = "nl.sociaal-domein.financien.toewijzing-gewijzigd"
BEEINDIGD = "nl.sociaal-domein.financien.toewijzing-beeindigd"

_AANBIEDER = re.compile(r"/financien/api/v1/aanbieders/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$")


# --- from a toekenning to a toewijzing ---------------------------------------------------------------------

async def _kandidaten(session: AsyncSession, aanbieder_id: int) -> list[Kandidaat]:
    rows = (await session.execute(
        select(producten.c.id.label("product_id"), producten.c.productcategorie, producten.c.productcode,
               producten.c.eenheid, contracten.c.id.label("contract_id"), contracten.c.kolommen,
               contracten.c.begindatum, contracten.c.einddatum)
        .join(contracten, contracten.c.id == producten.c.contract_id)
        .where(contracten.c.aanbieder_id == aanbieder_id).order_by(contracten.c.id, producten.c.id))).all()
    ids = [r.product_id for r in rows]
    per_product: dict[int, list[Tarief]] = {i: [] for i in ids}
    if ids:
        for t in (await session.execute(select(tarieven).where(tarieven.c.product_id.in_(ids)))).all():
            per_product[t.product_id].append(Tarief(Periode(t.begindatum, t.einddatum), t.bedrag))
    return [Kandidaat(contract_id=r.contract_id, product_id=r.product_id, kolommen=tuple(r.kolommen),
                      contract=Periode(r.begindatum, r.einddatum), productcategorie=r.productcategorie,
                      productcode=r.productcode, eenheid=r.eenheid, tarieven=tuple(per_product[r.product_id]))
            for r in rows]


async def _aanbieder_van(session: AsyncSession, aanbieder_url: str | None) -> Any:
    match = _AANBIEDER.search(aanbieder_url or "")
    if match is None:
        return None
    return (await session.execute(select(aanbieders).where(aanbieders.c.uuid == match.group(1)))).first()


@dataclass(frozen=True)
class _Beoordeling:
    """A toekenning held against the aanbieder's contracts: what would be stored and what it commits."""

    aanbieder: Any
    vraag: Toekenning
    redenen: tuple[str, ...]
    verplichting: int
    kandidaat: Kandidaat | None
    einddatum: date | None


async def beoordeel(session: AsyncSession, kolom: str, toekenning: zk.Toekenning) -> _Beoordeling:
    """A toekenning (of a zaak's resultaat, or what an aanbieder's verzoek asks for) against the contracts."""
    aanbieder = await _aanbieder_van(session, toekenning.aanbieder)
    vraag = Toekenning(kolom=kolom, productcategorie=toekenning.product.productcategorie,
                       productcode=toekenning.product.productcode, volume=toekenning.omvang.volume,
                       eenheid=toekenning.omvang.eenheid, frequentie=toekenning.omvang.frequentie,
                       periode=Periode(toekenning.begindatum, toekenning.einddatum))
    if aanbieder is None:
        return _Beoordeling(None, vraag, ("aanbieder-onbekend",), 0, None, toekenning.einddatum)
    uitkomst = wijs_toe(vraag, await _kandidaten(session, aanbieder.id))
    einddatum = toekenning.einddatum
    if uitkomst.kandidaat is not None and einddatum is None and uitkomst.kandidaat.contract.eind is not None:
        einddatum = einde_verplichting(toekenning.begindatum, None, uitkomst.kandidaat.contract.eind)
    return _Beoordeling(aanbieder, vraag, uitkomst.redenen, uitkomst.verplichting, uitkomst.kandidaat, einddatum)


def values_of(b: _Beoordeling, aanbieder_url: str | None) -> dict[str, Any]:
    k = b.kandidaat
    return {"aanbieder_url": aanbieder_url, "aanbieder_id": b.aanbieder.id if b.aanbieder is not None else None,
            "contract_id": k.contract_id if k else None, "product_id": k.product_id if k else None,
            "productcategorie": b.vraag.productcategorie, "productcode": b.vraag.productcode,
            "volume": b.vraag.volume, "eenheid": b.vraag.eenheid, "frequentie": b.vraag.frequentie,
            "begindatum": b.vraag.periode.begin, "einddatum": b.einddatum, "redenen": list(b.redenen),
            "verplichting": b.verplichting}


def _zelfde(row: Any, values: dict[str, Any]) -> bool:
    keys = ("aanbieder_url", "productcategorie", "productcode", "volume", "eenheid", "frequentie", "begindatum",
            "einddatum")
    return all(getattr(row, key) == values[key] for key in keys)


async def _contract(session: AsyncSession, contract_id: int) -> Any:
    return (await session.execute(select(contracten.c.uuid, contracten.c.cluster)
                                  .where(contracten.c.id == contract_id))).one()


@dataclass(frozen=True)
class Herkomst:
    """Where a toewijzing belongs: the zaak, the client (huishouden) and the kolom."""

    zaak: str
    huishouden: str
    kolom: str


async def _event(session: AsyncSession, base: str, traceparent: str | None, data: Herkomst,
                 toekenning: zk.Toekenning, b: _Beoordeling, toewijzing_uuid: str, soort: str) -> CloudEvent:
    """toewijzing-afgegeven or -gewijzigd for an allocation, toewijzing-afgewezen for a rejection."""
    own = url(base, "toewijzingen", toewijzing_uuid)
    product = toekenning.product.model_dump(mode="json", by_alias=True)
    omvang = toekenning.omvang.model_dump(mode="json", by_alias=True)
    if b.redenen:
        body: dict[str, Any] = {
            "toewijzing": own, "zaak": data.zaak, "huishouden": data.huishouden, "kolom": data.kolom,
            "aanbieder": toekenning.aanbieder, "product": product, "omvang": omvang, "redenen": list(b.redenen)}
        return make_event(AFGEWEZEN, ToewijzingAfgewezen.model_validate(body), source=SOURCE,
                          subject=toewijzing_uuid, dataref=own, traceparent=traceparent)
    assert b.kandidaat is not None and b.aanbieder is not None
    contract = await _contract(session, b.kandidaat.contract_id)
    body = {"toewijzing": own, "zaak": data.zaak, "huishouden": data.huishouden, "kolom": data.kolom,
            "cluster": contract.cluster, "aanbieder": url(base, "aanbieders", b.aanbieder.uuid),
            "contract": url(base, "contracten", contract.uuid), "product": product, "omvang": omvang,
            "begindatum": b.vraag.periode.begin, "einddatum": b.einddatum, "verplichting": b.verplichting}
    model = ToewijzingAfgegeven if soort == AFGEGEVEN else ToewijzingGewijzigd
    return make_event(soort, model.model_validate(body), source=SOURCE, subject=toewijzing_uuid, dataref=own,
                      traceparent=traceparent)


async def cluster_van(session: AsyncSession, b: _Beoordeling) -> str | None:
    return (await _contract(session, b.kandidaat.contract_id)).cluster if b.kandidaat else None


async def maak(session: AsyncSession, base: str, traceparent: str | None, bron: str, herkomst: Herkomst,
               toekenning: zk.Toekenning, b: _Beoordeling) -> tuple[str, CloudEvent]:
    """A new toewijzing of a toekenning held against the contracts (``b``), with its afgegeven or afgewezen."""
    values = values_of(b, toekenning.aanbieder)
    values["cluster"] = await cluster_van(session, b)
    new = str(uuidlib.uuid4())
    toewijzing_id = (await session.execute(insert(toewijzingen).values(
        uuid=new, bron=bron, zaak=herkomst.zaak, huishouden=herkomst.huishouden, kolom=herkomst.kolom,
        status="afgewezen" if b.redenen else "toegewezen", **values).returning(toewijzingen.c.id))).scalar_one()
    await verplichtingen.boek(session, None, toewijzing_id)
    return new, await _event(session, base, traceparent, herkomst, toekenning, b, new, AFGEGEVEN)


async def wijzig(session: AsyncSession, base: str, traceparent: str | None, row: Any, herkomst: Herkomst,
                 toekenning: zk.Toekenning, b: _Beoordeling) -> CloudEvent:
    """A running toewijzing changed to a toekenning that fits a contract: its omvang, period and verplichting as
    they are now, published as toewijzing-gewijzigd."""
    assert not b.redenen
    values = values_of(b, toekenning.aanbieder)
    values["cluster"] = await cluster_van(session, b)
    await session.execute(update(toewijzingen).where(toewijzingen.c.id == row.id).values(**values))
    await verplichtingen.boek(session, row, row.id)
    return await _event(session, base, traceparent, herkomst, toekenning, b, row.uuid, GEWIJZIGD)


async def drempels(session: AsyncSession, base: str, toewijzing_id: int) -> list[CloudEvent]:
    """The budget thresholds a toewijzing made or changed now passes."""
    row = (await session.execute(select(toewijzingen).where(toewijzingen.c.id == toewijzing_id))).one()
    return await budgetten.drempels(session, base, row.begindatum.year, row.kolom, row.cluster, row.aanbieder_id)


async def _toewijzing(session: AsyncSession, base: str, event: CloudEvent, data: zk.ResultaatVastgesteld,
                      index: int, toekenning: zk.Toekenning) -> CloudEvent | None:
    """The toewijzing of one toekenning: made the first time, changed when the toekenning changed, untouched when
    it is the same (the event seen again)."""
    bron = f"{data.resultaat}#{index}"
    row = (await session.execute(select(toewijzingen).where(toewijzingen.c.bron == bron)
                                 .with_for_update())).first()
    b = await beoordeel(session, data.kolom, toekenning)
    herkomst = Herkomst(data.zaak, data.huishouden, data.kolom)
    if row is None:
        return (await maak(session, base, event.traceparent, bron, herkomst, toekenning, b))[1]
    values = values_of(b, toekenning.aanbieder)
    values["cluster"] = await cluster_van(session, b)
    status = "afgewezen" if b.redenen else "toegewezen"
    if _zelfde(row, values) or row.status in ("gestopt", "beeindigd"):
        return None
    if row.status == "afgewezen":
        # A rejected toekenning that was corrected is a first allocation (or another rejection).
        await session.execute(update(toewijzingen).where(toewijzingen.c.id == row.id)
                              .values(status=status, **values))
        await verplichtingen.boek(session, row, row.id)
        return await _event(session, base, event.traceparent, herkomst, toekenning, b, row.uuid, AFGEGEVEN)
    if b.redenen:
        # The change does not fit a contract: the toewijzing stands as it was; the rejection is kept on it.
        await session.execute(update(toewijzingen).where(toewijzingen.c.id == row.id)
                              .values(redenen=list(b.redenen)))
        return await _event(session, base, event.traceparent, herkomst, toekenning, b, row.uuid, AFGEWEZEN)
    return await wijzig(session, base, event.traceparent, row, herkomst, toekenning, b)


async def _beeindig(session: AsyncSession, base: str, event: CloudEvent, row: Any) -> CloudEvent | None:
    """A toekenning taken off the resultaat ends its toewijzing on the day of the change (or its own earlier
    end); what it commits is counted again up to that day."""
    if row.status not in ("toegewezen", "gestart") or row.product_id is None:
        return None
    vandaag = event.time.date()
    einde = vandaag if row.einddatum is None or vandaag < row.einddatum else row.einddatum
    tarieven_ = [Tarief(Periode(t.begindatum, t.einddatum), t.bedrag) for t in (await session.execute(
        select(tarieven).where(tarieven.c.product_id == row.product_id))).all()]
    bedrag = (verplichting(row.volume, row.frequentie, Periode(row.begindatum, einde), tarieven_)
              if einde >= row.begindatum else 0)
    await session.execute(update(toewijzingen).where(toewijzingen.c.id == row.id)
                          .values(status="beeindigd", einddatum=einde, verplichting=bedrag))
    await verplichtingen.boek(session, row, row.id)
    aanbieder_uuid = (await session.execute(select(aanbieders.c.uuid)
                                            .where(aanbieders.c.id == row.aanbieder_id))).scalar_one()
    own = url(base, "toewijzingen", row.uuid)
    data = ToewijzingBeeindigd.model_validate({
        "toewijzing": own, "zaak": row.zaak, "aanbieder": url(base, "aanbieders", aanbieder_uuid),
        "kolom": row.kolom, "einddatum": einde, "verplichting": bedrag})
    return make_event(BEEINDIGD, data, source=SOURCE, subject=row.uuid, dataref=own, traceparent=event.traceparent)


async def _drempels(session: AsyncSession, base: str, *, bron: str) -> None:
    row = (await session.execute(select(toewijzingen.c.id).where(toewijzingen.c.bron == bron))).one()
    for event in await drempels(session, base, row.id):
        await record_event(session, event)


def handler(base: str) -> Callable[[AsyncSession, CloudEvent], Awaitable[None]]:
    """The consumer of resultaat-vastgesteld: every toekenning of a toekenning-resultaat becomes a toewijzing
    (or a recorded, published rejection); a toekenning changed on the resultaat changes it, one taken off ends
    it. Each is written with its event in the consumer's transaction."""

    async def handle(session: AsyncSession, event: CloudEvent) -> None:
        data = parse_data(event)
        if not isinstance(data, zk.ResultaatVastgesteld):
            return
        toekenningen = list(data.toekenningen) if data.uitkomst in TOEGEKEND else []
        for index, toekenning in enumerate(toekenningen):
            out = await _toewijzing(session, base, event, data, index, toekenning)
            if out is not None:
                await record_event(session, out)
                if out.type in (AFGEGEVEN, GEWIJZIGD):
                    await _drempels(session, base, bron=f"{data.resultaat}#{index}")
        bestaande = (await session.execute(select(toewijzingen).where(toewijzingen.c.zaak == data.zaak)
                                           .order_by(toewijzingen.c.id))).all()
        for row in bestaande:
            resultaat, _, index = row.bron.rpartition("#")
            if resultaat == data.resultaat and int(index) >= len(toekenningen):
                out = await _beeindig(session, base, event, row)
                if out is not None:
                    await record_event(session, out)

    return handle


# --- reading -----------------------------------------------------------------------------------------------

def toewijzing_select() -> Select[Any]:
    return (select(toewijzingen, aanbieders.c.uuid.label("aanbieder_uuid"), contracten.c.uuid.label("contract_uuid"))
            .outerjoin(aanbieders, aanbieders.c.id == toewijzingen.c.aanbieder_id)
            .outerjoin(contracten, contracten.c.id == toewijzingen.c.contract_id))


def _out(base: str, row: Any) -> dict[str, Any]:
    return {
        "url": url(base, "toewijzingen", row.uuid), "zaak": row.zaak, "kolom": row.kolom,
        "aanbieder": url(base, "aanbieders", row.aanbieder_uuid) if row.aanbieder_uuid else row.aanbieder_url,
        "contract": url(base, "contracten", row.contract_uuid) if row.contract_uuid else None,
        "product": {"productcategorie": row.productcategorie, "productcode": row.productcode},
        "omvang": {"volume": row.volume, "eenheid": row.eenheid, "frequentie": row.frequentie},
        "begindatum": row.begindatum.isoformat(), "einddatum": row.einddatum.isoformat() if row.einddatum else None,
        "status": row.status, "redenen": list(row.redenen), "verplichting": euro(row.verplichting),
        "startZorg": row.start_zorg.isoformat() if row.start_zorg else None,
        "stopZorg": row.stop_zorg.isoformat() if row.stop_zorg else None,
        "redenBeeindiging": row.reden_beeindiging,
    }


def _in_reach(reach: Bereik, row: Any) -> bool:
    """Whether a toewijzing is in reach: its aanbieder's (for an aanbieder's applicatie) and of a kolom in reach."""
    return (reach.aanbieder_id is None or row.aanbieder_id == reach.aanbieder_id) and reach.ziet(row.kolom)


async def lees(session: AsyncSession, request: Request, ctx: AuthContext, uuid: str) -> dict[str, Any]:
    reach = await lees_bereik(session, ctx)
    row = (await session.execute(toewijzing_select().where(toewijzingen.c.uuid == uuid))).first()
    if row is None or not _in_reach(reach, row):
        raise refused_or_absent(row is not None)
    await verwerking.toewijzingen_van(request, session, ctx, [row])
    return _out(base_url(request), row)


async def lijst(session: AsyncSession, request: Request, ctx: AuthContext, params: PageParams,
                status: str | None) -> dict[str, Any]:
    reach = await lees_bereik(session, ctx)
    stmt = toewijzing_select().where(reach.kolom_in(toewijzingen.c.kolom)).order_by(toewijzingen.c.id)
    if reach.aanbieder_id is not None:
        stmt = stmt.where(toewijzingen.c.aanbieder_id == reach.aanbieder_id)
    if status is not None:
        stmt = stmt.where(toewijzingen.c.status == status)
    base = base_url(request)
    shown: list[Any] = []
    page = await paginate(session, stmt, params, request, verwerking.onthouden(shown, lambda r: _out(base, r)))
    await verwerking.toewijzingen_van(request, session, ctx, shown)
    return page


# --- start and stop zorg -----------------------------------------------------------------------------------

async def _eigen(session: AsyncSession, ctx: AuthContext, uuid: str) -> Any:
    """The toewijzing, locked, if this applicatie acts for its aanbieder; the aanbieder reports start and stop."""
    reach = await bereik(session, ctx, SCOPE_SCHRIJVEN)
    row = (await session.execute(toewijzing_select().where(toewijzingen.c.uuid == uuid)
                                 .with_for_update(of=toewijzingen))).first()
    if row is None or not _in_reach(reach, row):
        raise refused_or_absent(row is not None)
    if reach.aanbieder_id is None and not ctx.heeft_alle_autorisaties:
        raise PermissionDenied("Start en stop zorg meldt de aanbieder.", code="permission_denied")
    return row


async def start_zorg(uow: UnitOfWork, request: Request, ctx: AuthContext, uuid: str,
                     body: schemas.StartZorg) -> dict[str, Any]:
    session = uow.session
    row = await _eigen(session, ctx, uuid)
    if reason := start_zorg_fout(row.status, Periode(row.begindatum, row.einddatum), body.begindatum):
        raise ValidatieFout.single("begindatum", "invalid", reason)
    await session.execute(update(toewijzingen).where(toewijzingen.c.id == row.id)
                          .values(status="gestart", start_zorg=body.begindatum))
    base = base_url(request)
    own = url(base, "toewijzingen", uuid)
    data = ZorgGestart.model_validate({"toewijzing": own, "aanbieder": url(base, "aanbieders", row.aanbieder_uuid),
                                       "kolom": row.kolom, "begindatum": body.begindatum})
    await uow.record(make_event(ZORG_GESTART, data, source=SOURCE, subject=uuid, dataref=own))
    await verwerking.toewijzingen_van(request, session, ctx, [row], activiteit="start-zorg-melden",
                                      handeling="schrijven")
    return _out(base, (await session.execute(toewijzing_select().where(toewijzingen.c.id == row.id))).one())


async def stop_zorg(uow: UnitOfWork, request: Request, ctx: AuthContext, uuid: str,
                    body: schemas.StopZorg) -> dict[str, Any]:
    session = uow.session
    row = await _eigen(session, ctx, uuid)
    if reason := stop_zorg_fout(row.status, row.start_zorg, Periode(row.begindatum, row.einddatum), body.einddatum):
        raise ValidatieFout.single("einddatum", "invalid", reason)
    await session.execute(update(toewijzingen).where(toewijzingen.c.id == row.id).values(
        status="gestopt", stop_zorg=body.einddatum, reden_beeindiging=body.reden_beeindiging))
    base = base_url(request)
    own = url(base, "toewijzingen", uuid)
    data = ZorgGestopt.model_validate({"toewijzing": own, "aanbieder": url(base, "aanbieders", row.aanbieder_uuid),
                                       "kolom": row.kolom, "einddatum": body.einddatum,
                                       "redenBeeindiging": body.reden_beeindiging})
    await uow.record(make_event(ZORG_GESTOPT, data, source=SOURCE, subject=uuid, dataref=own))
    await verwerking.toewijzingen_van(request, session, ctx, [row], activiteit="stop-zorg-melden",
                                      handeling="schrijven")
    return _out(base, (await session.execute(toewijzing_select().where(toewijzingen.c.id == row.id))).one())
