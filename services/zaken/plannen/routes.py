"""HTTP routes of the social domain's extensions under /zaken/api/v1: plannen, the regisseur, escalation."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from sds.runtime.pagination import Pagination, paginate
from services.zaken.plannen import schemas, service
from services.zaken.zaken import reading
from services.zaken.zaken.routes import Context, _require

router = APIRouter()


@router.get("/plannen", tags=["plannen"])
async def plan_list(ctx: Context, pagination: Pagination,
                    huishouden: Annotated[str | None, Query(max_length=1000)] = None,
                    lopend: Annotated[bool | None, Query(description="alleen lopende (true) of afgesloten")] = None,
                    ) -> dict[str, Any]:
    _require(ctx, "zaken.lezen")
    async with ctx.uow:
        page = await paginate(ctx.session, service.plan_list_query(ctx, huishouden, lopend), pagination,
                              ctx.request, lambda row: row)
        page["results"] = await service.serialize_plannen(ctx, page["results"])
    return page


@router.post("/plannen", status_code=201, tags=["plannen"])
async def plan_create(body: schemas.PlanIn, ctx: Context, response: Response) -> dict[str, Any]:
    _require(ctx, "zaken.bijwerken")
    async with ctx.uow:
        new_uuid = await service.create_plan(ctx, body)
        out = await service.read_plan(ctx, new_uuid)
    response.headers["Location"] = out["url"]
    return out


@router.get("/plannen/{uuid}", tags=["plannen"])
async def plan_read(uuid: uuid.UUID, ctx: Context) -> dict[str, Any]:
    _require(ctx, "zaken.lezen")
    async with ctx.uow:
        return await service.read_plan(ctx, str(uuid))


@router.patch("/plannen/{uuid}", tags=["plannen"])
async def plan_update(uuid: uuid.UUID, body: schemas.PlanPatch, ctx: Context) -> dict[str, Any]:
    _require(ctx, "zaken.bijwerken")
    async with ctx.uow:
        await service.update_plan(ctx, str(uuid), body)
        return await service.read_plan(ctx, str(uuid))


@router.post("/plannen/{uuid}/regisseur", status_code=201, tags=["plannen"])
async def plan_regisseur(uuid: uuid.UUID, body: schemas.RegisseurIn, ctx: Context) -> dict[str, Any]:
    """Give the plan its regisseur; a second one is refused (409): hand over instead."""
    _require(ctx, "zaken.bijwerken")
    async with ctx.uow:
        await service.set_regisseur(ctx, str(uuid), body)
        return await service.read_plan(ctx, str(uuid))


@router.post("/plannen/{uuid}/regisseur/overdracht", tags=["plannen"])
async def plan_overdracht(uuid: uuid.UUID, body: schemas.OverdrachtIn, ctx: Context) -> dict[str, Any]:
    _require(ctx, "zaken.bijwerken")
    async with ctx.uow:
        await service.hand_over(ctx, str(uuid), body)
        return await service.read_plan(ctx, str(uuid))


@router.get("/plannen/{uuid}/regisseurs", tags=["plannen"])
async def plan_regisseurs(uuid: uuid.UUID, ctx: Context) -> list[dict[str, Any]]:
    """Who directed this plan, and from when until when: the history a handover leaves."""
    _require(ctx, "zaken.lezen")
    async with ctx.uow:
        return await service.regisseur_history(ctx, str(uuid))


@router.post("/zaken/{uuid}/escalaties", status_code=201, tags=["zaken"])
async def zaak_escalate(uuid: uuid.UUID, body: schemas.EscalatieIn, ctx: Context, response: Response) -> dict[str, Any]:
    """Escalate a kolom zaak to the integral team: the integral hoofdzaak (new or the household's open one)."""
    _require(ctx, "zaken.bijwerken")
    async with ctx.uow:
        hoofd_uuid = await service.escalate(ctx, str(uuid), body)
        out = await reading.read_zaak(ctx, hoofd_uuid, scope=None, activiteit="zaak-escaleren", handeling="schrijven")
    response.headers["Location"] = out["url"]
    return out
