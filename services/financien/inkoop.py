"""Inkoop- en contractbeheer: aanbieders, contracten, producten and tarieven per period."""

from __future__ import annotations

import uuid as uuidlib
from typing import Any

from fastapi import Request
from sqlalchemy import Select, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from sds.runtime.auth import AuthContext
from sds.runtime.errors import ValidatieFout, refused_or_absent
from sds.runtime.pagination import PageParams, paginate
from services.financien import schemas
from services.financien.context import Bereik, base_url, gemeente, lees_bereik, url
from services.financien.domain import Periode, euro, indeling_fouten
from services.financien.models import aanbieder_applicaties, aanbieders, contracten, producten, tarieven


def _not_exist(field: str, what: str) -> ValidatieFout:
    return ValidatieFout.single(field, "does_not_exist", f"{what} bestaat niet.")


async def _one(session: AsyncSession, stmt: Select[Any]) -> Any:
    return (await session.execute(stmt)).first()


# --- aanbieders -------------------------------------------------------------------------------------------

def _aanbieder(base: str, row: Any, applicaties: list[str] | None) -> dict[str, Any]:
    out = {"url": url(base, "aanbieders", row.uuid), "naam": row.naam, "agbCode": row.agb_code,
           "kvkNummer": row.kvk_nummer}
    if applicaties is not None:
        out["applicaties"] = applicaties
    return out


async def _applicaties(session: AsyncSession, aanbieder_id: int) -> list[str]:
    t = aanbieder_applicaties
    return list((await session.execute(select(t.c.client_id).where(t.c.aanbieder_id == aanbieder_id)
                                       .order_by(t.c.client_id))).scalars())


async def maak_aanbieder(session: AsyncSession, request: Request, ctx: AuthContext,
                         body: schemas.NieuweAanbieder) -> dict[str, Any]:
    await gemeente(session, ctx)
    invalid = []
    if await _one(session, select(aanbieders.c.id).where(aanbieders.c.agb_code == body.agb_code)):
        invalid.append({"name": "agbCode", "code": "unique", "reason": "Er is al een aanbieder met deze AGB-code."})
    if len(set(body.applicaties)) != len(body.applicaties):
        invalid.append({"name": "applicaties", "code": "unique", "reason": "Elke applicatie één keer."})
    elif body.applicaties and await _one(session, select(aanbieder_applicaties.c.id).where(
            aanbieder_applicaties.c.client_id.in_(body.applicaties))):
        invalid.append({"name": "applicaties", "code": "unique",
                        "reason": "Een applicatie werkt al voor een andere aanbieder."})
    if invalid:
        raise ValidatieFout(invalid)
    new = str(uuidlib.uuid4())
    aanbieder_id = (await session.execute(insert(aanbieders).values(
        uuid=new, naam=body.naam, agb_code=body.agb_code, kvk_nummer=body.kvk_nummer)
        .returning(aanbieders.c.id))).scalar_one()
    for client_id in body.applicaties:
        await session.execute(insert(aanbieder_applicaties).values(client_id=client_id, aanbieder_id=aanbieder_id))
    row = await _one(session, select(aanbieders).where(aanbieders.c.id == aanbieder_id))
    return _aanbieder(base_url(request), row, sorted(body.applicaties))


async def lees_aanbieder(session: AsyncSession, request: Request, ctx: AuthContext, uuid: str) -> dict[str, Any]:
    reach = await lees_bereik(session, ctx)
    row = await _one(session, select(aanbieders).where(aanbieders.c.uuid == uuid))
    if row is None or (reach.aanbieder_id is not None and row.id != reach.aanbieder_id):
        raise refused_or_absent(row is not None)
    return _aanbieder(base_url(request), row, await _applicaties(session, row.id))


async def lijst_aanbieders(session: AsyncSession, request: Request, ctx: AuthContext,
                           params: PageParams) -> dict[str, Any]:
    reach = await lees_bereik(session, ctx)
    stmt = select(aanbieders).order_by(aanbieders.c.id)
    if reach.aanbieder_id is not None:
        stmt = stmt.where(aanbieders.c.id == reach.aanbieder_id)
    base = base_url(request)
    # The applicaties are shown on a single aanbieder; a list leaves them out.
    return await paginate(session, stmt, params, request, lambda r: _aanbieder(base, r, None))


async def aanbieder_by_uuid(session: AsyncSession, uuid: str, field: str) -> Any:
    row = await _one(session, select(aanbieders).where(aanbieders.c.uuid == uuid))
    if row is None:
        raise _not_exist(field, "De aanbieder")
    return row


# --- contracten -------------------------------------------------------------------------------------------

def contract_select() -> Select[Any]:
    return (select(contracten, aanbieders.c.uuid.label("aanbieder_uuid"))
            .join(aanbieders, aanbieders.c.id == contracten.c.aanbieder_id))


def _contract(base: str, row: Any, reach: Bereik | None = None) -> dict[str, Any]:
    """A contract; to an applicatie limited to kolommen with its own of the contract's kolommen only."""
    return {"url": url(base, "contracten", row.uuid), "aanbieder": url(base, "aanbieders", row.aanbieder_uuid),
            "kolommen": [k for k in row.kolommen if reach is None or reach.ziet(k)], "cluster": row.cluster,
            "begindatum": row.begindatum.isoformat(),
            "einddatum": row.einddatum.isoformat() if row.einddatum else None,
            "uitvoeringsvariant": row.uitvoeringsvariant}


async def maak_contract(session: AsyncSession, request: Request, ctx: AuthContext,
                        body: schemas.NieuwContract) -> dict[str, Any]:
    await gemeente(session, ctx)
    if invalid := indeling_fouten(request.app.state.indeling, list(body.kolommen), body.cluster):
        raise ValidatieFout(invalid)
    aanbieder = await aanbieder_by_uuid(session, body.aanbieder, "aanbieder")
    new = str(uuidlib.uuid4())
    await session.execute(insert(contracten).values(
        uuid=new, aanbieder_id=aanbieder.id, kolommen=list(body.kolommen), cluster=body.cluster,
        begindatum=body.begindatum, einddatum=body.einddatum, uitvoeringsvariant=body.uitvoeringsvariant))
    return _contract(base_url(request), await _one(session, contract_select().where(contracten.c.uuid == new)))


def _contract_in_reach(stmt: Select[Any], reach: Bereik) -> Select[Any]:
    """The contracten in reach: the aanbieder's own (for its applicatie), for a kolom in reach (for a limited one)."""
    stmt = stmt.where(reach.een_van(contracten.c.kolommen))
    return stmt if reach.aanbieder_id is None else stmt.where(contracten.c.aanbieder_id == reach.aanbieder_id)


async def lees_contract(session: AsyncSession, request: Request, ctx: AuthContext, uuid: str) -> dict[str, Any]:
    reach = await lees_bereik(session, ctx)
    row = await _one(session, contract_select().where(contracten.c.uuid == uuid))
    if row is None or (reach.aanbieder_id is not None and row.aanbieder_id != reach.aanbieder_id) or (
            reach.begrensd and not any(reach.ziet(k) for k in row.kolommen)):
        raise refused_or_absent(row is not None)
    return _contract(base_url(request), row, reach)


async def lijst_contracten(session: AsyncSession, request: Request, ctx: AuthContext,
                           params: PageParams) -> dict[str, Any]:
    reach = await lees_bereik(session, ctx)
    base = base_url(request)
    return await paginate(session, _contract_in_reach(contract_select().order_by(contracten.c.id), reach),
                          params, request, lambda r: _contract(base, r, reach))


# --- producten --------------------------------------------------------------------------------------------

def product_select() -> Select[Any]:
    return (select(producten, contracten.c.uuid.label("contract_uuid"), contracten.c.aanbieder_id)
            .join(contracten, contracten.c.id == producten.c.contract_id))


def _product(base: str, row: Any) -> dict[str, Any]:
    return {"url": url(base, "producten", row.uuid), "contract": url(base, "contracten", row.contract_uuid),
            "productcategorie": row.productcategorie, "productcode": row.productcode, "eenheid": row.eenheid,
            "frequentie": row.frequentie}


async def maak_product(session: AsyncSession, request: Request, ctx: AuthContext,
                       body: schemas.NieuwProduct) -> dict[str, Any]:
    await gemeente(session, ctx)
    contract = await _one(session, select(contracten.c.id).where(contracten.c.uuid == body.contract))
    if contract is None:
        raise _not_exist("contract", "Het contract")
    if await _one(session, select(producten.c.id).where(
            producten.c.contract_id == contract.id, producten.c.productcategorie == body.productcategorie,
            producten.c.productcode == body.productcode)):
        raise ValidatieFout.single("productcode", "unique", "Dit contract kent dit product al.")
    new = str(uuidlib.uuid4())
    await session.execute(insert(producten).values(
        uuid=new, contract_id=contract.id, productcategorie=body.productcategorie, productcode=body.productcode,
        eenheid=body.eenheid, frequentie=body.frequentie))
    return _product(base_url(request), await _one(session, product_select().where(producten.c.uuid == new)))


async def lijst_producten(session: AsyncSession, request: Request, ctx: AuthContext, params: PageParams,
                          contract: str | None) -> dict[str, Any]:
    reach = await lees_bereik(session, ctx)
    stmt = product_select().order_by(producten.c.id)
    if contract is not None:
        stmt = stmt.where(contracten.c.uuid == contract)
    stmt = stmt.where(reach.een_van(contracten.c.kolommen))
    if reach.aanbieder_id is not None:
        stmt = stmt.where(contracten.c.aanbieder_id == reach.aanbieder_id)
    base = base_url(request)
    return await paginate(session, stmt, params, request, lambda r: _product(base, r))


# --- tarieven ---------------------------------------------------------------------------------------------

def _tarief(base: str, row: Any, product_uuid: str) -> dict[str, Any]:
    return {"url": url(base, "tarieven", row.uuid), "product": url(base, "producten", product_uuid),
            "begindatum": row.begindatum.isoformat(), "einddatum": row.einddatum.isoformat() if row.einddatum
            else None, "bedrag": euro(row.bedrag)}


async def maak_tarief(session: AsyncSession, request: Request, ctx: AuthContext,
                      body: schemas.NieuwTarief) -> dict[str, Any]:
    await gemeente(session, ctx)
    # Locked: two tarieven for one product at once must not both pass the overlap check.
    product = await _one(session, select(producten.c.id).where(producten.c.uuid == body.product).with_for_update())
    if product is None:
        raise _not_exist("product", "Het product")
    nieuw = Periode(body.begindatum, body.einddatum)
    for row in (await session.execute(select(tarieven).where(tarieven.c.product_id == product.id))).all():
        if Periode(row.begindatum, row.einddatum).overlapt(nieuw):
            raise ValidatieFout.single("begindatum", "overlap",
                                       "Dit product heeft al een tarief in (een deel van) deze periode.")
    new = str(uuidlib.uuid4())
    await session.execute(insert(tarieven).values(uuid=new, product_id=product.id, begindatum=body.begindatum,
                                                  einddatum=body.einddatum, bedrag=body.bedrag))
    row = await _one(session, select(tarieven).where(tarieven.c.uuid == new))
    return _tarief(base_url(request), row, body.product)


async def lijst_tarieven(session: AsyncSession, request: Request, ctx: AuthContext, params: PageParams,
                         product: str | None) -> dict[str, Any]:
    reach = await lees_bereik(session, ctx)
    stmt = (select(tarieven, producten.c.uuid.label("product_uuid"))
            .join(producten, producten.c.id == tarieven.c.product_id)
            .join(contracten, contracten.c.id == producten.c.contract_id).order_by(tarieven.c.id))
    if product is not None:
        stmt = stmt.where(producten.c.uuid == product)
    stmt = stmt.where(reach.een_van(contracten.c.kolommen))
    if reach.aanbieder_id is not None:
        stmt = stmt.where(contracten.c.aanbieder_id == reach.aanbieder_id)
    base = base_url(request)
    return await paginate(session, stmt, params, request, lambda r: _tarief(base, r, r.product_uuid))
