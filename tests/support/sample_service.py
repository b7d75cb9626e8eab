"""A small service built on the shared runtime, the way every real service is built.

The runtime's behaviour (errors, auth, pagination, idempotency, tracing, outbox) is tested
through it, so those tests do not depend on any one service's domain.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, FastAPI, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Column, Date, Integer, String, Table, select

from contracts.envelope import CloudEvent
from sds.runtime.app import Api, Uow, create_service_app
from sds.runtime.auth import Auth
from sds.runtime.db import new_metadata
from sds.runtime.errors import NotFound
from sds.runtime.pagination import Pagination, paginate
from sds.runtime.settings import ServiceSettings

metadata = new_metadata()
notities = Table(
    "notities",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("onderwerp", String(80), nullable=False),
    Column("aantal", Integer, nullable=False),
    Column("datum", Date, nullable=False),
)

router = APIRouter()
PREFIX = "/proef/api/v1"
# Tests set this to hold a create request open (to show 409 for a key still in use).
hold_create: asyncio.Event | None = None


class NotitieIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    onderwerp: str = Field(min_length=1, max_length=80)
    aantal: int = Field(ge=0, le=1000)
    datum: date


class Notitie(NotitieIn):
    url: str
    uuid: str


def _out(request: Request, row: object) -> dict[str, object]:
    base = request.app.state.settings.public_base_url.rstrip("/")
    return {"url": f"{base}{PREFIX}/notities/{row.uuid}", "uuid": row.uuid,  # type: ignore[attr-defined]
            "onderwerp": row.onderwerp, "aantal": row.aantal, "datum": row.datum.isoformat()}  # type: ignore[attr-defined]


@router.post("/notities", status_code=201, response_model=Notitie)
async def create_notitie(body: NotitieIn, request: Request, response: Response, uow: Uow, auth: Auth) -> dict:
    if hold_create is not None:
        await hold_create.wait()
    new_uuid = str(uuid.uuid4())
    async with uow:
        await uow.session.execute(notities.insert().values(uuid=new_uuid, **body.model_dump()))
        row = (await uow.session.execute(select(notities).where(notities.c.uuid == new_uuid))).one()
        await uow.record(CloudEvent(
            source="urn:nld:sociaal-domein:proef", type="nl.sociaal-domein.proef.notitie-aangemaakt",
            subject=new_uuid, dataref=_out(request, row)["url"], data={"onderwerp": body.onderwerp}))
    out = _out(request, row)
    response.headers["Location"] = str(out["url"])
    return out


@router.get("/notities")
async def list_notities(
    request: Request, uow: Uow, pagination: Pagination, auth: Auth,
    onderwerp: Annotated[str | None, Query(max_length=80)] = None,
) -> dict:
    stmt = select(notities).order_by(notities.c.id)
    if onderwerp is not None:
        stmt = stmt.where(notities.c.onderwerp == onderwerp)
    async with uow:
        return await paginate(uow.session, stmt, pagination, request, lambda row: _out(request, row))


@router.get("/notities/{notitie_uuid}")
async def get_notitie(notitie_uuid: uuid.UUID, request: Request, uow: Uow, auth: Auth) -> dict:
    async with uow:
        row = (await uow.session.execute(select(notities).where(notities.c.uuid == str(notitie_uuid)))).first()
    if row is None:
        raise NotFound()
    return _out(request, row)


def create_app(settings: ServiceSettings) -> FastAPI:
    return create_service_app(settings, metadata=metadata,
                              apis=[Api(prefix=PREFIX, title="Proef API", version="1.0.0", router=router)])
