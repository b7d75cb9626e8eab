"""HTTP routes of the Besluiten API 1.0.2: besluiten, the audittrail of a besluit, besluitinformatieobjecten."""

from __future__ import annotations

import logging
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy import false, select

from sds.runtime.app import Uow
from sds.runtime.auth import Auth
from sds.runtime.errors import NotFound, ValidatieFout
from sds.runtime.pagination import Pagination, paginate
from sds.runtime.scopes import (
    AUDITTRAILS_LEZEN,
    BESLUITEN_AANMAKEN,
    BESLUITEN_BIJWERKEN,
    BESLUITEN_LEZEN,
    BESLUITEN_VERWIJDEREN,
)
from services.zaken.besluiten import authz, informatieobjecten, schemas, service
from services.zaken.besluiten.models import besluit_audittrail, besluiten, besluitinformatieobjecten
from services.zaken.catalogi.models import besluittypen
from services.zaken.common import BESLUITEN_PREFIX, CATALOGI_PREFIX, ZAKEN_PREFIX, PatchBody, UrlQuery, uuid_from_url
from services.zaken.zaken.context import Ctx
from services.zaken.zaken.documenten import RelatieFout
from services.zaken.zaken.informatieobjecten import documenten
from services.zaken.zaken.models import zaken

log = logging.getLogger("sds.besluiten")
router = APIRouter()

# The spec lists besluitinformatieobjecten without pages; a besluit with more than this is not a list to send whole.
BIO_LIST_MAX = 1000


async def context(request: Request, auth: Auth, uow: Uow) -> Ctx:
    return Ctx(request=request, auth=auth, uow=uow)


Context = Annotated[Ctx, Depends(context)]


def _by_url(request: Request, stmt: Any, value: str | None, column: Any, prefix: str, collection: str) -> Any:
    """A filter on a reference: a URL that is not one of this suite's resources matches nothing."""
    if value is None:
        return stmt
    found = uuid_from_url(request, value, prefix, collection)
    return stmt.where(column == found) if found else stmt.where(false())


@router.get("/besluiten", tags=["besluiten"])
async def besluit_list(
    ctx: Context, pagination: Pagination,
    identificatie: Annotated[str | None, Query(max_length=50)] = None,
    verantwoordelijke_organisatie: Annotated[str | None, Query(alias="verantwoordelijkeOrganisatie",
                                                               max_length=9)] = None,
    besluittype: UrlQuery = None, zaak: UrlQuery = None,
) -> dict[str, Any]:
    authz.require_scope(ctx.auth, BESLUITEN_LEZEN)
    stmt = service.select_().where(authz.clause(ctx.request, ctx.auth, BESLUITEN_LEZEN, besluiten.c.besluittype_id))
    if identificatie is not None:
        stmt = stmt.where(besluiten.c.identificatie == identificatie)
    if verantwoordelijke_organisatie is not None:
        stmt = stmt.where(besluiten.c.verantwoordelijke_organisatie == verantwoordelijke_organisatie)
    stmt = _by_url(ctx.request, stmt, besluittype, besluittypen.c.uuid, CATALOGI_PREFIX, "besluittypen")
    stmt = _by_url(ctx.request, stmt, zaak, zaken.c.uuid, ZAKEN_PREFIX, "zaken")
    async with ctx.uow:
        return await paginate(ctx.session, stmt.order_by(besluiten.c.id), pagination, ctx.request,
                              lambda row: service.serialize(ctx, row))


async def _read(ctx: Ctx, besluit_uuid: str) -> dict[str, Any]:
    row = (await ctx.session.execute(service.select_().where(besluiten.c.uuid == besluit_uuid))).one()
    return service.serialize(ctx, row)


@router.post("/besluiten", status_code=201, tags=["besluiten"])
async def besluit_create(body: schemas.BesluitIn, ctx: Context, response: Response) -> dict[str, Any]:
    authz.require_scope(ctx.auth, BESLUITEN_AANMAKEN)
    async with ctx.uow:
        new_uuid = await service.create(ctx, body)
        out = await _read(ctx, new_uuid)
    response.headers["Location"] = out["url"]
    return out


@router.get("/besluiten/{uuid}", tags=["besluiten"])
async def besluit_read(uuid: uuid.UUID, ctx: Context) -> dict[str, Any]:
    authz.require_scope(ctx.auth, BESLUITEN_LEZEN)
    async with ctx.uow:
        return service.serialize(ctx, await service.stored(ctx, str(uuid), BESLUITEN_LEZEN))


async def _write(ctx: Ctx, besluit_uuid: str, body: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    authz.require_scope(ctx.auth, BESLUITEN_BIJWERKEN)
    async with ctx.uow:
        await service.update_(ctx, besluit_uuid, body, partial=partial)
        return await _read(ctx, besluit_uuid)


@router.put("/besluiten/{uuid}", tags=["besluiten"])
async def besluit_update(uuid: uuid.UUID, body: PatchBody, ctx: Context) -> dict[str, Any]:
    return await _write(ctx, str(uuid), body, partial=False)


@router.patch("/besluiten/{uuid}", tags=["besluiten"])
async def besluit_partial_update(uuid: uuid.UUID, body: PatchBody, ctx: Context) -> dict[str, Any]:
    return await _write(ctx, str(uuid), body, partial=True)


@router.delete("/besluiten/{uuid}", status_code=204, tags=["besluiten"])
async def besluit_delete(uuid: uuid.UUID, ctx: Context) -> Response:
    authz.require_scope(ctx.auth, BESLUITEN_VERWIJDEREN)
    async with ctx.uow:
        relaties = await service.delete_(ctx, str(uuid))
    # Its besluitinformatieobjecten went with it; their side in the Documenten API goes now.
    for informatieobject in relaties:
        try:
            await documenten(ctx.request).delete_oio(informatieobject, service.url(ctx, "besluiten", str(uuid)))
        except RelatieFout as exc:
            log.warning("the relation of deleted besluit %s to %s stays in the Documenten API: %s", uuid,
                        informatieobject, exc)
    return Response(status_code=204)


@router.get("/besluiten/{besluit_uuid}/audittrail", tags=["besluiten"])
async def audittrail_list(besluit_uuid: uuid.UUID, ctx: Context) -> list[dict[str, Any]]:
    authz.require_scope(ctx.auth, AUDITTRAILS_LEZEN)
    async with ctx.uow:
        row = await service.stored(ctx, str(besluit_uuid), AUDITTRAILS_LEZEN)
        rows = (await ctx.session.execute(select(besluit_audittrail.c.gegevens).where(
            besluit_audittrail.c.besluit_id == row.id).order_by(besluit_audittrail.c.id))).all()
    return [r.gegevens for r in rows]


@router.get("/besluiten/{besluit_uuid}/audittrail/{uuid}", tags=["besluiten"])
async def audittrail_read(besluit_uuid: uuid.UUID, uuid: uuid.UUID, ctx: Context) -> dict[str, Any]:
    authz.require_scope(ctx.auth, AUDITTRAILS_LEZEN)
    async with ctx.uow:
        row = await service.stored(ctx, str(besluit_uuid), AUDITTRAILS_LEZEN)
        found = (await ctx.session.execute(select(besluit_audittrail.c.gegevens).where(
            besluit_audittrail.c.besluit_id == row.id, besluit_audittrail.c.uuid == str(uuid)))).first()
    if found is None:
        raise NotFound()
    return found.gegevens  # type: ignore[no-any-return]


@router.get("/besluitinformatieobjecten", tags=["besluitinformatieobjecten"])
async def besluitinformatieobject_list(ctx: Context, besluit: UrlQuery = None,
                                       informatieobject: UrlQuery = None) -> list[dict[str, Any]]:
    """Not paginated, as the spec has it."""
    authz.require_scope(ctx.auth, BESLUITEN_LEZEN)
    stmt = informatieobjecten.select_().where(
        authz.clause(ctx.request, ctx.auth, BESLUITEN_LEZEN, besluiten.c.besluittype_id))
    stmt = _by_url(ctx.request, stmt, besluit, besluiten.c.uuid, BESLUITEN_PREFIX, "besluiten")
    if informatieobject is not None:
        stmt = stmt.where(besluitinformatieobjecten.c.informatieobject == informatieobject)
    async with ctx.uow:
        rows = (await ctx.session.execute(stmt.order_by(besluitinformatieobjecten.c.id).limit(BIO_LIST_MAX))).all()
    return [informatieobjecten.serialize(ctx, row) for row in rows]


@router.post("/besluitinformatieobjecten", status_code=201, tags=["besluitinformatieobjecten"])
async def besluitinformatieobject_create(body: schemas.BesluitInformatieObjectIn, ctx: Context,
                                         response: Response) -> dict[str, Any]:
    authz.require_scope(ctx.auth, BESLUITEN_AANMAKEN)
    async with ctx.uow:
        new_uuid = await informatieobjecten.create(ctx, body)
    # Committed first: the Documenten API checks that this side of the relation exists.
    try:
        await documenten(ctx.request).create_oio(body.informatieobject, body.besluit, "besluit")
    except RelatieFout as exc:
        async with ctx.uow:
            await informatieobjecten.forget(ctx, new_uuid)
        raise ValidatieFout.single("informatieobject", "pending-relations", str(exc)) from None
    async with ctx.uow:
        await informatieobjecten.registered(ctx, new_uuid)
        row = (await ctx.session.execute(informatieobjecten.select_().where(
            besluitinformatieobjecten.c.uuid == new_uuid))).one()
    out = informatieobjecten.serialize(ctx, row)
    response.headers["Location"] = out["url"]
    return out


@router.get("/besluitinformatieobjecten/{uuid}", tags=["besluitinformatieobjecten"])
async def besluitinformatieobject_read(uuid: uuid.UUID, ctx: Context) -> dict[str, Any]:
    authz.require_scope(ctx.auth, BESLUITEN_LEZEN)
    async with ctx.uow:
        return await informatieobjecten.read(ctx, str(uuid))


@router.delete("/besluitinformatieobjecten/{uuid}", status_code=204, tags=["besluitinformatieobjecten"])
async def besluitinformatieobject_delete(uuid: uuid.UUID, ctx: Context) -> Response:
    authz.require_scope(ctx.auth, BESLUITEN_VERWIJDEREN)
    async with ctx.uow:
        row = await informatieobjecten.delete_(ctx, str(uuid))
    try:
        await documenten(ctx.request).delete_oio(row.informatieobject,
                                                 service.url(ctx, "besluiten", row.besluit_uuid))
    except RelatieFout as exc:
        async with ctx.uow:
            await informatieobjecten.restore(ctx, row)
        raise ValidatieFout.single("informatieobject", "pending-relations", str(exc)) from None
    async with ctx.uow:
        await informatieobjecten.removed(ctx, row)
    return Response(status_code=204)
