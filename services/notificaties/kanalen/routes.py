"""HTTP routes of kanalen: HTTP in and out only."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Response

from sds.runtime.app import Uow
from sds.runtime.auth import Auth
from sds.runtime.scopes import NOTIFICATIES_CONSUMEREN, NOTIFICATIES_PUBLICEREN, NRC
from services.notificaties.context import Nrc
from services.notificaties.kanalen import service
from services.notificaties.schemas import Kanaal, KanaalIn
from services.notificaties.scopes import require_any

router = APIRouter(tags=["kanaal"])


@router.get("/kanaal", response_model=list[Kanaal], summary="Alle KANAALen opvragen.")
async def kanaal_list(nrc: Nrc, uow: Uow, auth: Auth,
                      naam: Annotated[str | None, Query(max_length=50)] = None) -> Any:
    require_any(auth, NOTIFICATIES_CONSUMEREN, NOTIFICATIES_PUBLICEREN)
    async with uow:
        return await service.lijst(nrc, uow.session, naam)


@router.post("/kanaal", status_code=201, response_model=Kanaal, summary="Maak een KANAAL aan.")
async def kanaal_create(body: KanaalIn, nrc: Nrc, uow: Uow, auth: Auth, response: Response) -> Any:
    auth.require_scope(NRC, NOTIFICATIES_PUBLICEREN)
    async with uow:
        out = await service.maak(nrc, uow.session, body)
    response.headers["Location"] = out["url"]
    return out


@router.get("/kanaal/{uuid}", response_model=Kanaal, summary="Een specifiek KANAAL opvragen.")
async def kanaal_read(uuid: UUID, nrc: Nrc, uow: Uow, auth: Auth) -> Any:
    require_any(auth, NOTIFICATIES_CONSUMEREN, NOTIFICATIES_PUBLICEREN)
    async with uow:
        return await service.lees(nrc, uow.session, str(uuid))
