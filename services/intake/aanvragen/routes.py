"""HTTP routes of aanvragen, statusberichten and termijnen: HTTP in and out only; the rules live in service.py."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response

from sds.runtime.app import Uow
from sds.runtime.auth import Auth
from sds.runtime.pagination import Pagination, paginate
from services.intake.aanvragen import service
from services.intake.aanvragen.schemas import (
    Aanvraag,
    HistorieRegel,
    Kolom,
    NieuweAanvraag,
    Status,
    Statusbericht,
    StatusberichtUit,
)
from services.intake.context import IntakeDep
from services.intake.upstream import Onbereikbaar
from services.intake.worker import zorg_voor_catalogus

router = APIRouter()


log = logging.getLogger("sds.intake")


@router.post("/aanvragen", status_code=201, response_model=Aanvraag, response_model_by_alias=True,
             tags=["aanvragen"], summary="Een aanvraag indienen (inwoner, wijkteam of partner)")
async def dien_in(body: NieuweAanvraag, request: Request, intake: IntakeDep, uow: Uow, auth: Auth,
                  response: Response) -> Any:
    service.check_indiener(intake, auth, body)
    upstreams = request.app.state.upstreams
    huishouden = None
    if body.aanvrager is not None:
        try:
            naam = body.aanvrager.naam.model_dump(exclude_none=True) if body.aanvrager.naam else None
            huishouden = await upstreams.huishouden_van(body.aanvrager.burgerservicenummer, naam, auth.user_id)
        except Onbereikbaar as exc:
            # Accepted all the same: the worker finds the household when klantgegevens answers again.
            log.warning("household of an aanvrager not found now (%s); the worker will look again", exc)
            huishouden = None
    await zorg_voor_catalogus(intake, upstreams)
    async with uow:
        aanvraag_uuid = await service.dien_in(intake, uow.session, auth, body, huishouden)
        out = await service.weergave_van(intake, uow.session, aanvraag_uuid, auth, service.SCOPE_AANMAKEN,
                                         "aanvraag-indienen")
    response.headers["Location"] = out["url"]
    return out


@router.get("/aanvragen", tags=["aanvragen"], summary="Aanvragen, nieuwste eerst, binnen de kolommen van de client")
async def lijst(request: Request, intake: IntakeDep, uow: Uow, auth: Auth, params: Pagination,
                status: Annotated[Status | None, Query()] = None,
                kolom: Annotated[Kolom | None, Query()] = None,
                huishouden: Annotated[str | None, Query(max_length=1000)] = None) -> Any:
    async with uow:
        stmt = service.lijst_query(intake, auth, status=status, kolom=kolom, huishouden=huishouden)
        page = await paginate(uow.session, stmt, params, request, lambda row: row)
        page["results"] = await service.weergave(intake, uow.session, page["results"], auth)
    return page


@router.get("/aanvragen/{uuid}", response_model=Aanvraag, response_model_by_alias=True, tags=["aanvragen"])
async def lees(uuid: UUID, intake: IntakeDep, uow: Uow, auth: Auth) -> Any:
    async with uow:
        return await service.lees(intake, uow.session, auth, str(uuid))


@router.get("/aanvragen/{uuid}/historie", response_model=list[HistorieRegel], response_model_by_alias=True,
            tags=["aanvragen"], summary="Wat er met de aanvraag gebeurde, en waarom, in volgorde")
async def lees_historie(uuid: UUID, intake: IntakeDep, uow: Uow, auth: Auth) -> Any:
    async with uow:
        return await service.lees_historie(intake, uow.session, auth, str(uuid))


@router.post("/aanvragen/{uuid}/intrekking", response_model=Aanvraag, response_model_by_alias=True,
             tags=["aanvragen"], summary="De aanvraag intrekken")
async def trek_in(uuid: UUID, intake: IntakeDep, uow: Uow, auth: Auth) -> Any:
    async with uow:
        return await service.trek_in(intake, uow.session, auth, str(uuid))


@router.post("/statusberichten", status_code=201, response_model=StatusberichtUit, response_model_by_alias=True,
             tags=["statusberichten"],
             summary="Een externe partij meldt de status of de uitkomst van een aan haar doorgezette aanvraag")
async def ontvang_statusbericht(body: Statusbericht, intake: IntakeDep, uow: Uow, auth: Auth,
                                response: Response) -> Any:
    async with uow:
        out, new = await service.ontvang_statusbericht(intake, uow.session, auth, body)
    if not new:
        response.status_code = 200  # the same report again (a retry): nothing changed
    response.headers["Location"] = out["url"]
    return out


@router.get("/termijnen/overschreden", tags=["termijnen"],
            summary="Termijnen die voorbij zijn zonder dat ze gehaald zijn, oudste eerst")
async def overschreden(request: Request, intake: IntakeDep, uow: Uow, auth: Auth, params: Pagination,
                       kolom: Annotated[Kolom | None, Query()] = None) -> Any:
    vandaag = datetime.now(UTC).date()

    def weergave(t: Any) -> dict[str, Any]:
        return {"aanvraag": intake.url("aanvragen", t.aanvraag_uuid), "aanvraagStatus": t.aanvraag_status,
                "kolom": t.kolom, "soort": t.soort, "dagen": t.dagen, "startdatum": t.startdatum,
                "uiterlijkeEinddatum": t.uiterlijke_einddatum,
                "dagenOverschreden": (vandaag - t.uiterlijke_einddatum).days}

    async with uow:
        return await paginate(uow.session, service.overschreden_query(intake, auth, kolom, vandaag), params,
                              request, weergave)


@router.get("/termijnen/overschreden/telling", tags=["termijnen"],
            summary="Het aantal overschreden termijnen en aanvragen, per kolom")
async def telling(intake: IntakeDep, uow: Uow, auth: Auth) -> Any:
    async with uow:
        return await service.telling_overschreden(intake, uow.session, auth, datetime.now(UTC).date())
