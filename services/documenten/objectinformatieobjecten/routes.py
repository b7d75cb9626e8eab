"""HTTP routes of objectinformatieobjecten."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from sqlalchemy import false

from sds.runtime.scopes import DOCUMENTEN_AANMAKEN, DOCUMENTEN_LEZEN, DOCUMENTEN_VERWIJDEREN
from services.documenten import authz
from services.documenten.common import Context
from services.documenten.informatieobjecten.models import informatieobjecten
from services.documenten.objectinformatieobjecten import schemas, service
from services.documenten.objectinformatieobjecten.models import objectinformatieobjecten

router = APIRouter()
LIST_MAX = 1000
UrlQuery = Annotated[str | None, Query(max_length=1000)]


@router.get("/objectinformatieobjecten", tags=["objectinformatieobjecten"])
async def oio_list(ctx: Context, object: UrlQuery = None, informatieobject: UrlQuery = None) -> list[dict[str, Any]]:
    """Not paginated, as the spec has it."""
    authz.require_scope(ctx.auth, DOCUMENTEN_LEZEN)
    stmt = service.select_().where(authz.clause(ctx.auth, DOCUMENTEN_LEZEN))
    if informatieobject is not None:
        found = ctx.uuid_from_url(informatieobject, "enkelvoudiginformatieobjecten")
        stmt = stmt.where(informatieobjecten.c.uuid == found) if found else stmt.where(false())
    if object is not None:
        stmt = stmt.where(objectinformatieobjecten.c.object == object)
    async with ctx.uow:
        rows = (await ctx.session.execute(stmt.order_by(objectinformatieobjecten.c.id).limit(LIST_MAX))).all()
    return [service.serialize(ctx, row) for row in rows]


@router.post("/objectinformatieobjecten", status_code=201, tags=["objectinformatieobjecten"])
async def oio_create(body: schemas.ObjectInformatieObjectIn, ctx: Context, response: Response) -> dict[str, Any]:
    authz.require_scope(ctx.auth, DOCUMENTEN_AANMAKEN)
    async with ctx.uow:
        new_uuid = await service.create(ctx, body, DOCUMENTEN_AANMAKEN)
        row, _ = await service.stored(ctx, new_uuid, DOCUMENTEN_AANMAKEN)
    out = service.serialize(ctx, row)
    response.headers["Location"] = out["url"]
    return out


@router.get("/objectinformatieobjecten/{uuid}", tags=["objectinformatieobjecten"])
async def oio_read(uuid: uuid.UUID, ctx: Context) -> dict[str, Any]:
    authz.require_scope(ctx.auth, DOCUMENTEN_LEZEN)
    async with ctx.uow:
        row, _ = await service.stored(ctx, str(uuid), DOCUMENTEN_LEZEN)
    return service.serialize(ctx, row)


@router.head("/objectinformatieobjecten/{uuid}", tags=["objectinformatieobjecten"])
async def oio_head(uuid: uuid.UUID, ctx: Context) -> Response:
    authz.require_scope(ctx.auth, DOCUMENTEN_LEZEN)
    async with ctx.uow:
        await service.stored(ctx, str(uuid), DOCUMENTEN_LEZEN)
    return Response(status_code=200)


@router.delete("/objectinformatieobjecten/{uuid}", status_code=204, tags=["objectinformatieobjecten"])
async def oio_delete(uuid: uuid.UUID, ctx: Context) -> Response:
    authz.require_scope(ctx.auth, DOCUMENTEN_VERWIJDEREN)
    async with ctx.uow:
        await service.delete_(ctx, str(uuid), DOCUMENTEN_VERWIJDEREN)
    return Response(status_code=204)
