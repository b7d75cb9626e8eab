"""HTTP routes of notificaties (the standard's ``POST /notificaties``) and of the suite's leveringen."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Request

from sds.runtime.app import Uow
from sds.runtime.auth import Auth
from sds.runtime.pagination import Page, Pagination
from sds.runtime.scopes import NOTIFICATIES_CONSUMEREN, NOTIFICATIES_PUBLICEREN, NRC
from services.notificaties.context import Nrc
from services.notificaties.notificaties import service
from services.notificaties.schemas import Bericht, BerichtOut, Levering

router = APIRouter()


@router.post("/notificaties", status_code=201, response_model=BerichtOut, tags=["notificaties"],
             summary="Publiceer een notificatie.")
async def notificaties_create(body: Bericht, request: Request, uow: Uow, auth: Auth) -> Any:
    auth.require_scope(NRC, NOTIFICATIES_PUBLICEREN)
    async with uow:
        out = await service.ontvang(uow.session, body)
    request.app.state.bezorger_wake()
    return out


@router.get("/leveringen", response_model=Page[Levering], tags=["leveringen"],
            summary="De leveringen van de eigen abonnementen; status=mislukt: de dead letters")
async def levering_list(request: Request, nrc: Nrc, uow: Uow, auth: Auth, pagination: Pagination,
                        status: Annotated[Literal["wachtend", "afgeleverd", "mislukt"] | None, Query()] = None,
                        abonnement: Annotated[UUID | None, Query(description="uuid van het abonnement")] = None,
                        ) -> Any:
    auth.require_scope(NRC, NOTIFICATIES_CONSUMEREN)
    async with uow:
        return await service.lijst_leveringen(nrc, uow.session, auth, request, pagination, status=status,
                                              abonnement_uuid=str(abonnement) if abonnement else None)


@router.get("/leveringen/{uuid}", response_model=Levering, tags=["leveringen"], summary="Eén levering")
async def levering_read(uuid: UUID, nrc: Nrc, uow: Uow, auth: Auth) -> Any:
    auth.require_scope(NRC, NOTIFICATIES_CONSUMEREN)
    async with uow:
        return await service.lees_levering(nrc, uow.session, auth, str(uuid))


@router.post("/leveringen/{uuid}/opnieuw", response_model=Levering, tags=["leveringen"],
             summary="Een mislukte levering (dead letter) opnieuw versturen")
async def levering_redeliver(uuid: UUID, request: Request, nrc: Nrc, uow: Uow, auth: Auth) -> Any:
    auth.require_scope(NRC, NOTIFICATIES_CONSUMEREN)
    async with uow:
        out = await service.opnieuw(nrc, uow.session, auth, str(uuid))
    request.app.state.bezorger_wake()
    return out
