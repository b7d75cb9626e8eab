"""HTTP routes of gebruiksrechten."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Response
from sqlalchemy import false

from sds.runtime.scopes import DOCUMENTEN_AANMAKEN, DOCUMENTEN_BIJWERKEN, DOCUMENTEN_LEZEN, DOCUMENTEN_VERWIJDEREN
from services.documenten import authz
from services.documenten.common import Context, Ctx
from services.documenten.gebruiksrechten import schemas, service
from services.documenten.gebruiksrechten.models import gebruiksrechten
from services.documenten.informatieobjecten.models import informatieobjecten

router = APIRouter()
LIST_MAX = 1000
PatchBody = Annotated[dict[str, Any], Body()]
When = Annotated[datetime | None, Query()]


@router.get("/gebruiksrechten", tags=["gebruiksrechten"])
async def gebruiksrecht_list(
    ctx: Context, informatieobject: Annotated[str | None, Query(max_length=1000)] = None,
    startdatum__lt: When = None, startdatum__lte: When = None, startdatum__gt: When = None,
    startdatum__gte: When = None, einddatum__lt: When = None, einddatum__lte: When = None,
    einddatum__gt: When = None, einddatum__gte: When = None,
) -> list[dict[str, Any]]:
    """Not paginated, as the spec has it."""
    authz.require_scope(ctx.auth, DOCUMENTEN_LEZEN)
    stmt = service.select_().where(authz.clause(ctx.auth, DOCUMENTEN_LEZEN))
    if informatieobject is not None:
        found = ctx.uuid_from_url(informatieobject, "enkelvoudiginformatieobjecten")
        stmt = stmt.where(informatieobjecten.c.uuid == found) if found else stmt.where(false())
    for column, op, value in (
            (gebruiksrechten.c.startdatum, "lt", startdatum__lt), (gebruiksrechten.c.startdatum, "le", startdatum__lte),
            (gebruiksrechten.c.startdatum, "gt", startdatum__gt), (gebruiksrechten.c.startdatum, "ge", startdatum__gte),
            (gebruiksrechten.c.einddatum, "lt", einddatum__lt), (gebruiksrechten.c.einddatum, "le", einddatum__lte),
            (gebruiksrechten.c.einddatum, "gt", einddatum__gt), (gebruiksrechten.c.einddatum, "ge", einddatum__gte)):
        if value is not None:
            stmt = stmt.where(getattr(column, f"__{op}__")(value))
    async with ctx.uow:
        rows = (await ctx.session.execute(stmt.order_by(gebruiksrechten.c.id).limit(LIST_MAX))).all()
    return [service.serialize(ctx, row) for row in rows]


async def _read(ctx: Ctx, gebruiksrecht_uuid: str, scope: str) -> dict[str, Any]:
    row, _ = await service.stored(ctx, gebruiksrecht_uuid, scope)
    return service.serialize(ctx, row)


@router.post("/gebruiksrechten", status_code=201, tags=["gebruiksrechten"])
async def gebruiksrecht_create(body: schemas.GebruiksrechtIn, ctx: Context, response: Response) -> dict[str, Any]:
    authz.require_scope(ctx.auth, DOCUMENTEN_AANMAKEN)
    async with ctx.uow:
        new_uuid = await service.create(ctx, body, DOCUMENTEN_AANMAKEN)
        out = await _read(ctx, new_uuid, DOCUMENTEN_AANMAKEN)
    response.headers["Location"] = out["url"]
    return out


@router.get("/gebruiksrechten/{uuid}", tags=["gebruiksrechten"])
async def gebruiksrecht_read(uuid: uuid.UUID, ctx: Context) -> dict[str, Any]:
    authz.require_scope(ctx.auth, DOCUMENTEN_LEZEN)
    async with ctx.uow:
        return await _read(ctx, str(uuid), DOCUMENTEN_LEZEN)


@router.head("/gebruiksrechten/{uuid}", tags=["gebruiksrechten"])
async def gebruiksrecht_head(uuid: uuid.UUID, ctx: Context) -> Response:
    authz.require_scope(ctx.auth, DOCUMENTEN_LEZEN)
    async with ctx.uow:
        await _read(ctx, str(uuid), DOCUMENTEN_LEZEN)
    return Response(status_code=200)


async def _write(ctx: Ctx, gebruiksrecht_uuid: str, body: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    authz.require_scope(ctx.auth, DOCUMENTEN_BIJWERKEN)
    async with ctx.uow:
        await service.update_(ctx, gebruiksrecht_uuid, body, DOCUMENTEN_BIJWERKEN, partial=partial)
        return await _read(ctx, gebruiksrecht_uuid, DOCUMENTEN_BIJWERKEN)


@router.put("/gebruiksrechten/{uuid}", tags=["gebruiksrechten"])
async def gebruiksrecht_update(uuid: uuid.UUID, body: PatchBody, ctx: Context) -> dict[str, Any]:
    return await _write(ctx, str(uuid), body, partial=False)


@router.patch("/gebruiksrechten/{uuid}", tags=["gebruiksrechten"])
async def gebruiksrecht_partial_update(uuid: uuid.UUID, body: PatchBody, ctx: Context) -> dict[str, Any]:
    return await _write(ctx, str(uuid), body, partial=True)


@router.delete("/gebruiksrechten/{uuid}", status_code=204, tags=["gebruiksrechten"])
async def gebruiksrecht_delete(uuid: uuid.UUID, ctx: Context) -> Response:
    authz.require_scope(ctx.auth, DOCUMENTEN_VERWIJDEREN)
    async with ctx.uow:
        await service.delete_(ctx, str(uuid), DOCUMENTEN_VERWIJDEREN)
    return Response(status_code=204)
