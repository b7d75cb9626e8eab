"""Verzoeken of an aanbieder, answered by the municipality: om toewijzing (iJw/iWmo 315) for a client it has seen,
and om wijziging (317) of the omvang or einddatum of one of its toewijzingen.

Only the aanbieder's own applicatie asks; only the municipality answers, once. A granted 315 makes the toewijzing
as a toekenning on a zaak would (``toewijzingen.maak``), a granted 317 changes it as a changed toekenning would
(``toewijzingen.wijzig``): the same contract check, verplichting and events.
"""

from __future__ import annotations

import uuid as uuidlib
from types import SimpleNamespace
from typing import Any

from fastapi import Request
from sqlalchemy import Select, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.events import make_event
from contracts.events import zaken as zk
from contracts.events.financien import (
    VerzoekOmToewijzingBeantwoord,
    VerzoekOmToewijzingIngediend,
    VerzoekOmWijzigingBeantwoord,
    VerzoekOmWijzigingIngediend,
)
from sds.runtime.app import UnitOfWork
from sds.runtime.auth import AuthContext
from sds.runtime.errors import NotFound, PermissionDenied, ValidatieFout, refused_or_absent
from sds.runtime.pagination import PageParams, paginate
from sds.runtime.verwerkingenlog import Handeling
from services.financien import schemas, toewijzingen, verwerking
from services.financien.context import SOURCE, Bereik, base_url, bereik, lees_bereik, url
from services.financien.domain import (
    AFWIJZING_VELD,
    SCOPE_SCHRIJVEN,
    Periode,
    antwoord_fout,
    verwijzer_fouten,
    wijziging_fout,
)
from services.financien.models import aanbieders, verzoeken_om_toewijzing, verzoeken_om_wijziging
from services.financien.models import toewijzingen as toewijzingen_t

OM_TOEWIJZING_INGEDIEND = "nl.sociaal-domein.financien.verzoek-om-toewijzing-ingediend"
OM_TOEWIJZING_BEANTWOORD = "nl.sociaal-domein.financien.verzoek-om-toewijzing-beantwoord"
OM_WIJZIGING_INGEDIEND = "nl.sociaal-domein.financien.verzoek-om-wijziging-ingediend"
OM_WIJZIGING_BEANTWOORD = "nl.sociaal-domein.financien.verzoek-om-wijziging-beantwoord"


async def _aanbieder(session: AsyncSession, ctx: AuthContext) -> tuple[Any, Bereik]:
    """The aanbieder this applicatie acts for, and its reach; a verzoek is the aanbieder's to make."""
    reach = await bereik(session, ctx, SCOPE_SCHRIJVEN)
    if reach.aanbieder_id is None:
        raise PermissionDenied("Een verzoek dient de aanbieder in.", code="permission_denied")
    return (await session.execute(select(aanbieders).where(aanbieders.c.id == reach.aanbieder_id))).one(), reach


async def _gemeente(session: AsyncSession, ctx: AuthContext) -> Bereik:
    reach = await bereik(session, ctx, SCOPE_SCHRIJVEN)
    if reach.aanbieder_id is not None:
        raise PermissionDenied("Een verzoek beantwoordt de gemeente, niet de aanbieder.", code="permission_denied")
    return reach


def _past_niet(redenen: tuple[str, ...]) -> ValidatieFout:
    reden = redenen[0]
    return ValidatieFout.single(AFWIJZING_VELD.get(reden, "omvang"), reden,
                                "Dit past niet in een contract van de aanbieder.")


async def _klanten(request: Request, session: AsyncSession, ctx: AuthContext, rows: list[Any], activiteit: str,
                   handeling: Handeling) -> None:
    """Verzoeken shown or written, each naming its klant (a 315) or its toewijzing's household (a 317)."""
    await verwerking.vastleggen(request, session, ctx, ((r.kolom, r.klant) for r in rows), activiteit=activiteit,
                                handeling=handeling)


def _in_reach(stmt: Select[Any], column: Any, kolom: Any, reach: Bereik) -> Select[Any]:
    """The verzoeken in reach: the aanbieder's own (for its applicatie), of a kolom in reach (a limited one)."""
    stmt = stmt.where(reach.kolom_in(kolom))
    return stmt if reach.aanbieder_id is None else stmt.where(column == reach.aanbieder_id)


def _row_in_reach(row: Any, reach: Bereik) -> bool:
    return (reach.aanbieder_id is None or row.aanbieder_id == reach.aanbieder_id) and reach.ziet(row.kolom)


# --- verzoek om toewijzing (315) ----------------------------------------------------------------------------

def _om_toewijzing_select() -> Select[Any]:
    t = verzoeken_om_toewijzing
    return (select(t, aanbieders.c.uuid.label("aanbieder_uuid"), toewijzingen_t.c.uuid.label("toewijzing_uuid"))
            .join(aanbieders, aanbieders.c.id == t.c.aanbieder_id)
            .outerjoin(toewijzingen_t, toewijzingen_t.c.id == t.c.toewijzing_id))


def _om_toewijzing_out(base: str, row: Any) -> dict[str, Any]:
    verwijzer = None
    if row.verwijzer_type is not None:
        verwijzer = {"type": row.verwijzer_type, "naam": row.verwijzer_naam,
                     "zorgverlenercode": row.verwijzer_zorgverlenercode}
    return {
        "url": url(base, "verzoeken-om-toewijzing", row.uuid), "aanbieder": url(base, "aanbieders", row.aanbieder_uuid),
        "klant": row.klant, "kolom": row.kolom,
        "product": {"productcategorie": row.productcategorie, "productcode": row.productcode},
        "omvang": {"volume": row.volume, "eenheid": row.eenheid, "frequentie": row.frequentie},
        "begindatum": row.begindatum.isoformat(), "einddatum": row.einddatum.isoformat() if row.einddatum else None,
        "verwijzer": verwijzer, "status": row.status, "redenAfwijzing": row.reden_afwijzing,
        "toewijzing": url(base, "toewijzingen", row.toewijzing_uuid) if row.toewijzing_uuid else None,
    }


def _gevraagde_toewijzing(base: str, aanbieder_uuid: str, v: Any) -> zk.Toekenning:
    """What a 315 asks for, as the toekenning a zaak's resultaat would carry."""
    return zk.Toekenning.model_validate({
        "product": {"productcategorie": v.productcategorie, "productcode": v.productcode},
        "omvang": {"volume": v.volume, "eenheid": v.eenheid, "frequentie": v.frequentie},
        "begindatum": v.begindatum, "einddatum": v.einddatum, "aanbieder": url(base, "aanbieders", aanbieder_uuid)})


async def dien_verzoek_om_toewijzing_in(uow: UnitOfWork, request: Request, ctx: AuthContext,
                                        body: schemas.NieuwVerzoekOmToewijzing) -> dict[str, Any]:
    session = uow.session
    aanbieder, reach = await _aanbieder(session, ctx)
    if not reach.ziet(body.kolom):
        raise PermissionDenied("Deze applicatie dient geen verzoek in buiten haar kolommen.", code="permission_denied")
    verwijzer = body.verwijzer.model_dump() if body.verwijzer else None
    if invalid := verwijzer_fouten(body.kolom, verwijzer):
        raise ValidatieFout(invalid)
    base = base_url(request)
    vraag = {"productcategorie": body.product.productcategorie, "productcode": body.product.productcode,
             "volume": body.omvang.volume, "eenheid": body.omvang.eenheid, "frequentie": body.omvang.frequentie,
             "begindatum": body.begindatum, "einddatum": body.einddatum}
    toekenning = _gevraagde_toewijzing(base, aanbieder.uuid, SimpleNamespace(**vraag))
    # What the aanbieder has no contract for is refused now, not left for the municipality to find.
    if (b := await toewijzingen.beoordeel(session, body.kolom, toekenning)).redenen:
        raise _past_niet(b.redenen)
    new = str(uuidlib.uuid4())
    await session.execute(insert(verzoeken_om_toewijzing).values(
        uuid=new, aanbieder_id=aanbieder.id, klant=body.klant, kolom=body.kolom, status="ingediend",
        verwijzer_type=verwijzer["type"] if verwijzer else None,
        verwijzer_naam=verwijzer["naam"] if verwijzer else None,
        verwijzer_zorgverlenercode=verwijzer["zorgverlenercode"] if verwijzer else None, **vraag))
    own = url(base, "verzoeken-om-toewijzing", new)
    data = VerzoekOmToewijzingIngediend.model_validate({
        "verzoek": own, "aanbieder": url(base, "aanbieders", aanbieder.uuid), "klant": body.klant,
        "kolom": body.kolom, "product": toekenning.product.model_dump(by_alias=True),
        "omvang": toekenning.omvang.model_dump(by_alias=True), "begindatum": body.begindatum,
        "einddatum": body.einddatum, "verwijzerType": verwijzer["type"] if verwijzer else None})
    await uow.record(make_event(OM_TOEWIJZING_INGEDIEND, data, source=SOURCE, subject=new, dataref=own))
    row = (await session.execute(_om_toewijzing_select().where(verzoeken_om_toewijzing.c.uuid == new))).one()
    await _klanten(request, session, ctx, [row], "verzoek-om-toewijzing-indienen", "schrijven")
    return _om_toewijzing_out(base, row)


async def lees_verzoek_om_toewijzing(session: AsyncSession, request: Request, ctx: AuthContext,
                                     uuid: str) -> dict[str, Any]:
    reach = await lees_bereik(session, ctx)
    t = verzoeken_om_toewijzing
    row = (await session.execute(_om_toewijzing_select().where(t.c.uuid == uuid))).first()
    if row is None or not _row_in_reach(row, reach):
        raise refused_or_absent(row is not None)
    await _klanten(request, session, ctx, [row], "verzoek-om-toewijzing-raadplegen", "lezen")
    return _om_toewijzing_out(base_url(request), row)


async def lijst_verzoeken_om_toewijzing(session: AsyncSession, request: Request, ctx: AuthContext,
                                        params: PageParams, status: str | None) -> dict[str, Any]:
    reach = await lees_bereik(session, ctx)
    t = verzoeken_om_toewijzing
    stmt = _in_reach(_om_toewijzing_select().order_by(t.c.id), t.c.aanbieder_id, t.c.kolom, reach)
    if status is not None:
        stmt = stmt.where(t.c.status == status)
    base = base_url(request)
    shown: list[Any] = []
    page = await paginate(session, stmt, params, request,
                          verwerking.onthouden(shown, lambda r: _om_toewijzing_out(base, r)))
    await _klanten(request, session, ctx, shown, "verzoek-om-toewijzing-raadplegen", "lezen")
    return page


async def _open_om_toewijzing(session: AsyncSession, ctx: AuthContext, uuid: str) -> Any:
    reach = await _gemeente(session, ctx)
    t = verzoeken_om_toewijzing
    row = (await session.execute(_om_toewijzing_select().where(t.c.uuid == uuid).with_for_update(of=t))).first()
    if row is None:
        raise NotFound()
    if not reach.ziet(row.kolom):
        raise refused_or_absent(True)
    if reason := antwoord_fout(row.status):
        raise ValidatieFout.single("status", "al-beantwoord", reason)
    return row


async def _om_toewijzing_beantwoord(uow: UnitOfWork, request: Request, ctx: AuthContext, row: Any, antwoord: str,
                                    toewijzing_uuid: str | None) -> dict[str, Any]:
    base = base_url(request)
    await _klanten(request, uow.session, ctx, [row], "verzoek-om-toewijzing-beantwoorden", "schrijven")
    own = url(base, "verzoeken-om-toewijzing", row.uuid)
    data = VerzoekOmToewijzingBeantwoord.model_validate({
        "verzoek": own, "aanbieder": url(base, "aanbieders", row.aanbieder_uuid), "kolom": row.kolom,
        "antwoord": antwoord, "toewijzing": url(base, "toewijzingen", toewijzing_uuid) if toewijzing_uuid else None})
    await uow.record(make_event(OM_TOEWIJZING_BEANTWOORD, data, source=SOURCE, subject=row.uuid, dataref=own))
    t = verzoeken_om_toewijzing
    return _om_toewijzing_out(base, (await uow.session.execute(_om_toewijzing_select().where(t.c.id == row.id))).one())


async def ken_verzoek_om_toewijzing_toe(uow: UnitOfWork, request: Request, ctx: AuthContext, uuid: str,
                                        body: schemas.ToekenningVanVerzoek) -> dict[str, Any]:
    session = uow.session
    row = await _open_om_toewijzing(session, ctx, uuid)
    base = base_url(request)
    toekenning = _gevraagde_toewijzing(base, row.aanbieder_uuid, row)
    b = await toewijzingen.beoordeel(session, row.kolom, toekenning)
    if b.redenen:  # the contract changed since the verzoek: nothing is made, the verzoek stays open
        raise _past_niet(b.redenen)
    herkomst = toewijzingen.Herkomst(zaak=body.zaak, huishouden=row.klant, kolom=row.kolom)
    bron = url(base, "verzoeken-om-toewijzing", row.uuid)
    nieuw, afgegeven = await toewijzingen.maak(session, base, None, bron, herkomst, toekenning, b)
    await uow.record(afgegeven)
    toewijzing_id = (await session.execute(select(toewijzingen_t.c.id)
                                           .where(toewijzingen_t.c.uuid == nieuw))).scalar_one()
    await uow.record_all(await toewijzingen.drempels(session, base, toewijzing_id))
    await session.execute(update(verzoeken_om_toewijzing).where(verzoeken_om_toewijzing.c.id == row.id)
                          .values(status="toegekend", toewijzing_id=toewijzing_id))
    return await _om_toewijzing_beantwoord(uow, request, ctx, row, "toegekend", nieuw)


async def wijs_verzoek_om_toewijzing_af(uow: UnitOfWork, request: Request, ctx: AuthContext, uuid: str,
                                        body: schemas.Afwijzing) -> dict[str, Any]:
    row = await _open_om_toewijzing(uow.session, ctx, uuid)
    await uow.session.execute(update(verzoeken_om_toewijzing).where(verzoeken_om_toewijzing.c.id == row.id)
                              .values(status="afgewezen", reden_afwijzing=body.reden))
    return await _om_toewijzing_beantwoord(uow, request, ctx, row, "afgewezen", None)


# --- verzoek om wijziging (317) -----------------------------------------------------------------------------

def _om_wijziging_select() -> Select[Any]:
    v = verzoeken_om_wijziging
    return (select(v, toewijzingen_t.c.uuid.label("toewijzing_uuid"), aanbieders.c.uuid.label("aanbieder_uuid"),
                   toewijzingen_t.c.kolom, toewijzingen_t.c.huishouden.label("klant"))
            .join(toewijzingen_t, toewijzingen_t.c.id == v.c.toewijzing_id)
            .join(aanbieders, aanbieders.c.id == v.c.aanbieder_id))


def _om_wijziging_url(base: str, toewijzing_uuid: str, uuid: str) -> str:
    return f"{url(base, 'toewijzingen', toewijzing_uuid)}/verzoeken-om-wijziging/{uuid}"


def _om_wijziging_out(base: str, row: Any) -> dict[str, Any]:
    omvang = ({"volume": row.volume, "eenheid": row.eenheid, "frequentie": row.frequentie}
              if row.volume is not None else None)
    return {"url": _om_wijziging_url(base, row.toewijzing_uuid, row.uuid),
            "toewijzing": url(base, "toewijzingen", row.toewijzing_uuid),
            "aanbieder": url(base, "aanbieders", row.aanbieder_uuid), "omvang": omvang,
            "einddatum": row.einddatum.isoformat() if row.einddatum else None, "reden": row.reden,
            "status": row.status, "redenAfwijzing": row.reden_afwijzing}


def _gewijzigde_toewijzing(t: Any, v: Any) -> zk.Toekenning:
    """The toewijzing ``t`` as the 317 ``v`` asks it to be: its own product and begindatum, the new omvang and
    einddatum where asked."""
    nieuw = v.volume is not None
    return zk.Toekenning.model_validate({
        "product": {"productcategorie": t.productcategorie, "productcode": t.productcode},
        "omvang": {"volume": v.volume if nieuw else t.volume, "eenheid": v.eenheid if nieuw else t.eenheid,
                   "frequentie": v.frequentie if nieuw else t.frequentie},
        "begindatum": t.begindatum, "einddatum": v.einddatum or t.einddatum, "aanbieder": t.aanbieder_url})


def _lopend(t: Any, einddatum: Any) -> None:
    if fout := wijziging_fout(t.status, Periode(t.begindatum, t.einddatum), t.start_zorg, einddatum):
        raise ValidatieFout.single(fout[0], "invalid", fout[1])


async def dien_verzoek_om_wijziging_in(uow: UnitOfWork, request: Request, ctx: AuthContext, toewijzing_uuid: str,
                                       body: schemas.NieuwVerzoekOmWijziging) -> dict[str, Any]:
    session = uow.session
    aanbieder, reach = await _aanbieder(session, ctx)
    t = (await session.execute(select(toewijzingen_t).where(toewijzingen_t.c.uuid == toewijzing_uuid)
                               .with_for_update())).first()
    if t is None or t.aanbieder_id != aanbieder.id or not reach.ziet(t.kolom):
        raise refused_or_absent(t is not None)
    if body.omvang is None and body.einddatum is None:
        raise ValidatieFout.single("omvang", "required", "Vraag een nieuwe omvang, een nieuwe einddatum of beide.")
    _lopend(t, body.einddatum)
    v = verzoeken_om_wijziging
    if (await session.execute(select(v.c.id).where(v.c.toewijzing_id == t.id, v.c.status == "ingediend"))).first():
        raise ValidatieFout.single("toewijzing", "pending", "Er loopt al een verzoek om wijziging.")
    omvang = body.omvang.model_dump() if body.omvang else {"volume": None, "eenheid": None, "frequentie": None}
    vraag = SimpleNamespace(**omvang, einddatum=body.einddatum)
    if (b := await toewijzingen.beoordeel(session, t.kolom, _gewijzigde_toewijzing(t, vraag))).redenen:
        raise _past_niet(b.redenen)
    new = str(uuidlib.uuid4())
    await session.execute(insert(v).values(uuid=new, toewijzing_id=t.id, aanbieder_id=aanbieder.id,
                                           einddatum=body.einddatum, reden=body.reden, status="ingediend", **omvang))
    base = base_url(request)
    own = _om_wijziging_url(base, toewijzing_uuid, new)
    data = VerzoekOmWijzigingIngediend.model_validate({
        "verzoek": own, "toewijzing": url(base, "toewijzingen", toewijzing_uuid),
        "aanbieder": url(base, "aanbieders", aanbieder.uuid), "kolom": t.kolom,
        "omvang": body.omvang.model_dump() if body.omvang else None, "einddatum": body.einddatum})
    await uow.record(make_event(OM_WIJZIGING_INGEDIEND, data, source=SOURCE, subject=new, dataref=own))
    row = (await session.execute(_om_wijziging_select().where(v.c.uuid == new))).one()
    await _klanten(request, session, ctx, [row], "verzoek-om-wijziging-indienen", "schrijven")
    return _om_wijziging_out(base, row)


async def _om_wijziging(session: AsyncSession, reach: Bereik, toewijzing_uuid: str, uuid: str,
                        lock: bool = False) -> Any:
    v = verzoeken_om_wijziging
    stmt = _om_wijziging_select().where(v.c.uuid == uuid, toewijzingen_t.c.uuid == toewijzing_uuid)
    row = (await session.execute(stmt.with_for_update(of=v) if lock else stmt)).first()
    if row is None or not _row_in_reach(row, reach):
        raise refused_or_absent(row is not None)
    return row


async def lees_verzoek_om_wijziging(session: AsyncSession, request: Request, ctx: AuthContext, toewijzing_uuid: str,
                                    uuid: str) -> dict[str, Any]:
    row = await _om_wijziging(session, await lees_bereik(session, ctx), toewijzing_uuid, uuid)
    await _klanten(request, session, ctx, [row], "verzoek-om-wijziging-raadplegen", "lezen")
    return _om_wijziging_out(base_url(request), row)


async def lijst_verzoeken_om_wijziging(session: AsyncSession, request: Request, ctx: AuthContext,
                                       params: PageParams, toewijzing_uuid: str | None,
                                       status: str | None) -> dict[str, Any]:
    reach = await lees_bereik(session, ctx)
    v = verzoeken_om_wijziging
    stmt = _in_reach(_om_wijziging_select().order_by(v.c.id), v.c.aanbieder_id, toewijzingen_t.c.kolom, reach)
    if toewijzing_uuid is not None:
        # The verzoeken of a toewijzing this applicatie may not see: 403, as the toewijzing itself answers.
        t = (await session.execute(select(toewijzingen_t.c.id, toewijzingen_t.c.aanbieder_id,
                                          toewijzingen_t.c.kolom).where(
            toewijzingen_t.c.uuid == toewijzing_uuid))).first()
        if t is None or not _row_in_reach(t, reach):
            raise refused_or_absent(t is not None)
        stmt = stmt.where(toewijzingen_t.c.uuid == toewijzing_uuid)
    if status is not None:
        stmt = stmt.where(v.c.status == status)
    base = base_url(request)
    shown: list[Any] = []
    page = await paginate(session, stmt, params, request,
                          verwerking.onthouden(shown, lambda r: _om_wijziging_out(base, r)))
    await _klanten(request, session, ctx, shown, "verzoek-om-wijziging-raadplegen", "lezen")
    return page


async def _open_om_wijziging(session: AsyncSession, ctx: AuthContext, toewijzing_uuid: str, uuid: str) -> Any:
    reach = await _gemeente(session, ctx)
    row = await _om_wijziging(session, reach, toewijzing_uuid, uuid, lock=True)
    if reason := antwoord_fout(row.status):
        raise ValidatieFout.single("status", "al-beantwoord", reason)
    return row


async def _om_wijziging_beantwoord(uow: UnitOfWork, request: Request, ctx: AuthContext, row: Any, kolom: str,
                                   antwoord: str) -> dict[str, Any]:
    base = base_url(request)
    await _klanten(request, uow.session, ctx, [row], "verzoek-om-wijziging-beantwoorden", "schrijven")
    own = _om_wijziging_url(base, row.toewijzing_uuid, row.uuid)
    data = VerzoekOmWijzigingBeantwoord.model_validate({
        "verzoek": own, "toewijzing": url(base, "toewijzingen", row.toewijzing_uuid),
        "aanbieder": url(base, "aanbieders", row.aanbieder_uuid), "kolom": kolom, "antwoord": antwoord})
    await uow.record(make_event(OM_WIJZIGING_BEANTWOORD, data, source=SOURCE, subject=row.uuid, dataref=own))
    v = verzoeken_om_wijziging
    return _om_wijziging_out(base, (await uow.session.execute(_om_wijziging_select().where(v.c.id == row.id))).one())


async def ken_verzoek_om_wijziging_toe(uow: UnitOfWork, request: Request, ctx: AuthContext, toewijzing_uuid: str,
                                       uuid: str) -> dict[str, Any]:
    session = uow.session
    row = await _open_om_wijziging(session, ctx, toewijzing_uuid, uuid)
    t = (await session.execute(select(toewijzingen_t).where(toewijzingen_t.c.id == row.toewijzing_id)
                               .with_for_update())).one()
    _lopend(t, row.einddatum)  # stopped or ended since the verzoek: nothing to change
    toekenning = _gewijzigde_toewijzing(t, row)
    b = await toewijzingen.beoordeel(session, t.kolom, toekenning)
    if b.redenen:  # the contract changed since the verzoek: the toewijzing stays, the verzoek stays open
        raise _past_niet(b.redenen)
    base = base_url(request)
    herkomst = toewijzingen.Herkomst(zaak=t.zaak, huishouden=t.huishouden, kolom=t.kolom)
    await uow.record(await toewijzingen.wijzig(session, base, None, t, herkomst, toekenning, b))
    await uow.record_all(await toewijzingen.drempels(session, base, t.id))
    await session.execute(update(verzoeken_om_wijziging).where(verzoeken_om_wijziging.c.id == row.id)
                          .values(status="toegekend"))
    return await _om_wijziging_beantwoord(uow, request, ctx, row, t.kolom, "toegekend")


async def wijs_verzoek_om_wijziging_af(uow: UnitOfWork, request: Request, ctx: AuthContext, toewijzing_uuid: str,
                                       uuid: str, body: schemas.Afwijzing) -> dict[str, Any]:
    session = uow.session
    row = await _open_om_wijziging(session, ctx, toewijzing_uuid, uuid)
    kolom = (await session.execute(select(toewijzingen_t.c.kolom)
                                   .where(toewijzingen_t.c.id == row.toewijzing_id))).scalar_one()
    await session.execute(update(verzoeken_om_wijziging).where(verzoeken_om_wijziging.c.id == row.id)
                          .values(status="afgewezen", reden_afwijzing=body.reden))
    return await _om_wijziging_beantwoord(uow, request, ctx, row, kolom, "afgewezen")
