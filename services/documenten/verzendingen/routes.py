"""HTTP routes of verzendingen."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Query, Response
from sqlalchemy import false, func, select

from sds.runtime.pagination import Pagination, paginate
from sds.runtime.scopes import DOCUMENTEN_AANMAKEN, DOCUMENTEN_BIJWERKEN, DOCUMENTEN_LEZEN, DOCUMENTEN_VERWIJDEREN
from services.documenten import authz
from services.documenten.common import Context, Ctx
from services.documenten.informatieobjecten.models import informatieobjecten
from services.documenten.verzendingen import schemas, service
from services.documenten.verzendingen.models import verzendingen

router = APIRouter()
PatchBody = Annotated[dict[str, Any], Body()]


@router.get("/verzendingen", tags=["verzendingen"])
async def verzending_list(
    ctx: Context, pagination: Pagination,
    aard_relatie: Annotated[Literal["afzender", "geadresseerde"] | None, Query(alias="aardRelatie")] = None,
    informatieobject: Annotated[str | None, Query(max_length=1000)] = None,
    betrokkene: Annotated[str | None, Query(max_length=200)] = None,
) -> dict[str, Any]:
    authz.require_scope(ctx.auth, DOCUMENTEN_LEZEN)
    conditions = [authz.clause(ctx.auth, DOCUMENTEN_LEZEN)]
    if aard_relatie is not None:
        conditions.append(verzendingen.c.aard_relatie == aard_relatie)
    if betrokkene is not None:
        conditions.append(verzendingen.c.betrokkene == betrokkene)
    if informatieobject is not None:
        found = ctx.uuid_from_url(informatieobject, "enkelvoudiginformatieobjecten")
        conditions.append(informatieobjecten.c.uuid == found if found else false())
    async with ctx.uow:
        count = (await ctx.session.execute(select(func.count()).select_from(service.select_().where(
            *conditions).subquery()))).scalar_one()
        return await paginate(ctx.session, service.select_().where(*conditions).order_by(verzendingen.c.id),
                              pagination, ctx.request, lambda row: service.serialize(ctx, row), count=count)


async def _read(ctx: Ctx, verzending_uuid: str, scope: str) -> dict[str, Any]:
    row, _ = await service.stored(ctx, verzending_uuid, scope)
    return service.serialize(ctx, row)


@router.post("/verzendingen", status_code=201, tags=["verzendingen"])
async def verzending_create(body: schemas.VerzendingIn, ctx: Context, response: Response) -> dict[str, Any]:
    authz.require_scope(ctx.auth, DOCUMENTEN_AANMAKEN)
    async with ctx.uow:
        new_uuid = await service.create(ctx, body, DOCUMENTEN_AANMAKEN)
        out = await _read(ctx, new_uuid, DOCUMENTEN_AANMAKEN)
    response.headers["Location"] = out["url"]
    return out


@router.get("/verzendingen/{uuid}", tags=["verzendingen"])
async def verzending_read(uuid: uuid.UUID, ctx: Context) -> dict[str, Any]:
    authz.require_scope(ctx.auth, DOCUMENTEN_LEZEN)
    async with ctx.uow:
        return await _read(ctx, str(uuid), DOCUMENTEN_LEZEN)


@router.head("/verzendingen/{uuid}", tags=["verzendingen"])
async def verzending_head(uuid: uuid.UUID, ctx: Context) -> Response:
    authz.require_scope(ctx.auth, DOCUMENTEN_LEZEN)
    async with ctx.uow:
        await _read(ctx, str(uuid), DOCUMENTEN_LEZEN)
    return Response(status_code=200)


async def _write(ctx: Ctx, verzending_uuid: str, body: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    authz.require_scope(ctx.auth, DOCUMENTEN_BIJWERKEN)
    async with ctx.uow:
        await service.update_(ctx, verzending_uuid, body, DOCUMENTEN_BIJWERKEN, partial=partial)
        return await _read(ctx, verzending_uuid, DOCUMENTEN_BIJWERKEN)


@router.put("/verzendingen/{uuid}", tags=["verzendingen"])
async def verzending_update(uuid: uuid.UUID, body: PatchBody, ctx: Context) -> dict[str, Any]:
    return await _write(ctx, str(uuid), body, partial=False)


@router.patch("/verzendingen/{uuid}", tags=["verzendingen"])
async def verzending_partial_update(uuid: uuid.UUID, body: PatchBody, ctx: Context) -> dict[str, Any]:
    return await _write(ctx, str(uuid), body, partial=True)


@router.delete("/verzendingen/{uuid}", status_code=204, tags=["verzendingen"])
async def verzending_delete(uuid: uuid.UUID, ctx: Context) -> Response:
    authz.require_scope(ctx.auth, DOCUMENTEN_VERWIJDEREN)
    async with ctx.uow:
        await service.delete_(ctx, str(uuid), DOCUMENTEN_VERWIJDEREN)
    return Response(status_code=204)
