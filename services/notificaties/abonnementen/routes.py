"""HTTP routes of abonnementen: HTTP in and out only."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Response

from sds.runtime.app import Uow
from sds.runtime.auth import Auth
from sds.runtime.scopes import NOTIFICATIES_CONSUMEREN, NRC
from services.notificaties.abonnementen import service
from services.notificaties.context import Nrc
from services.notificaties.schemas import Abonnement, AbonnementIn, AbonnementPatch

router = APIRouter(tags=["abonnement"])


@router.get("/abonnement", response_model=list[Abonnement], summary="Alle ABONNEMENTen opvragen.")
async def abonnement_list(nrc: Nrc, uow: Uow, auth: Auth) -> Any:
    auth.require_scope(NRC, NOTIFICATIES_CONSUMEREN)
    async with uow:
        return await service.lijst(nrc, uow.session, auth)


@router.post("/abonnement", status_code=201, response_model=Abonnement, summary="Maak een ABONNEMENT aan.")
async def abonnement_create(body: AbonnementIn, nrc: Nrc, uow: Uow, auth: Auth, response: Response) -> Any:
    auth.require_scope(NRC, NOTIFICATIES_CONSUMEREN)
    async with uow:
        out = await service.maak(nrc, uow.session, auth, body)
    response.headers["Location"] = out["url"]
    return out


@router.get("/abonnement/{uuid}", response_model=Abonnement, summary="Een specifiek ABONNEMENT opvragen.")
async def abonnement_read(uuid: UUID, nrc: Nrc, uow: Uow, auth: Auth) -> Any:
    auth.require_scope(NRC, NOTIFICATIES_CONSUMEREN)
    async with uow:
        return await service.lees(nrc, uow.session, auth, str(uuid))


@router.put("/abonnement/{uuid}", response_model=Abonnement, summary="Werk een ABONNEMENT in zijn geheel bij.")
async def abonnement_update(uuid: UUID, body: AbonnementIn, nrc: Nrc, uow: Uow, auth: Auth) -> Any:
    auth.require_scope(NRC, NOTIFICATIES_CONSUMEREN)
    async with uow:
        return await service.wijzig(nrc, uow.session, auth, str(uuid), body)


@router.patch("/abonnement/{uuid}", response_model=Abonnement, summary="Werk een ABONNEMENT deels bij.")
async def abonnement_partial_update(uuid: UUID, body: AbonnementPatch, nrc: Nrc, uow: Uow, auth: Auth) -> Any:
    auth.require_scope(NRC, NOTIFICATIES_CONSUMEREN)
    async with uow:
        return await service.wijzig(nrc, uow.session, auth, str(uuid), body)


@router.delete("/abonnement/{uuid}", status_code=204, summary="Verwijder een ABONNEMENT.")
async def abonnement_delete(uuid: UUID, uow: Uow, auth: Auth) -> Response:
    auth.require_scope(NRC, NOTIFICATIES_CONSUMEREN)
    async with uow:
        await service.verwijder(uow.session, auth, str(uuid))
    return Response(status_code=204)
