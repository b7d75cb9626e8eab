"""HTTP routes of signalen (vroegsignalering): HTTP in and out only; the rules live in service and domain."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from sds.runtime.app import Uow
from sds.runtime.auth import Auth
from sds.runtime.pagination import Page, Pagination
from services.intake.context import IntakeDep
from services.intake.signalen import service
from services.intake.signalen.schemas import Batch, BatchResultaat, NieuwSignaal, Partnersoort, Signaal, Signaalsoort
from services.intake.signalen.service import COMPONENT, SCOPE_AANMAKEN, SCOPE_LEZEN

router = APIRouter(tags=["signalen"])


@router.post("/signalen", status_code=201, response_model=Signaal,
             responses={200: {"model": Signaal, "description": "a duplicate: the signal it duplicates"}},
             summary="Eén signaal melden; een duplicaat verandert niets en geeft het bestaande signaal terug")
async def meld(body: NieuwSignaal, intake: IntakeDep, uow: Uow, auth: Auth, response: Response) -> Any:
    service.check_melder(intake, auth, [body])
    async with uow:
        (uitkomst,) = await service.ontvang(intake, uow, auth, [body], None)
        out = await service.lees(intake, uow.session, auth, uitkomst.uuid, SCOPE_AANMAKEN,
                                 met_aanvraag=auth.has_scope(COMPONENT, SCOPE_LEZEN))
    if uitkomst.status == "duplicaat":
        response.status_code = 200
    response.headers["Location"] = out["url"]
    return out


@router.post("/signalen/batches", status_code=200, response_model=BatchResultaat,
             summary="Tot 10.000 signalen tegelijk; geldig in zijn geheel of niets opgeslagen, een resultaat per "
                     "signaal")
async def meld_batch(body: Batch, intake: IntakeDep, uow: Uow, auth: Auth) -> Response:
    service.check_melder(intake, auth, body.signalen)
    async with uow:
        uitkomsten = await service.ontvang(intake, uow, auth, body.signalen, body.batch_id)
    aangemaakt = sum(1 for u in uitkomsten if u.status == "aangemaakt")
    out = {"batchId": body.batch_id, "aantal": len(uitkomsten), "aangemaakt": aangemaakt,
           "duplicaat": len(uitkomsten) - aangemaakt,
           "resultaten": [{"index": i, "status": u.status, "signaal": intake.url("signalen", u.uuid)}
                          for i, u in enumerate(uitkomsten)]}
    # Serialised here: validating 10,000 results against the response model again would cost more than it checks.
    return JSONResponse(out)


@router.get("/signalen/{uuid}", response_model=Signaal)
async def lees(uuid: UUID, intake: IntakeDep, uow: Uow, auth: Auth) -> Any:
    auth.require_scope(COMPONENT, SCOPE_LEZEN)
    async with uow:
        return await service.lees(intake, uow.session, auth, str(uuid), SCOPE_LEZEN, met_aanvraag=True)


@router.get("/signalen", response_model=Page[Signaal])
async def lijst(request: Request, intake: IntakeDep, uow: Uow, auth: Auth, pagination: Pagination,
                partnersoort: Annotated[Partnersoort | None, Query()] = None,
                signaalsoort: Annotated[Signaalsoort | None, Query()] = None,
                crisissignaal: Annotated[bool | None, Query()] = None) -> Any:
    auth.require_scope(COMPONENT, SCOPE_LEZEN)
    async with uow:
        return await service.lijst(intake, uow.session, auth, request, pagination, partnersoort=partnersoort,
                                   signaalsoort=signaalsoort, crisissignaal=crisissignaal)
