"""Kanalen: the declared ones present in every database, a publisher's own added through the API."""

from __future__ import annotations

import uuid as uuidlib
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from sds.runtime.errors import NotFound, ValidatieFout
from services.notificaties.context import Notificaties
from services.notificaties.kanalen.domain import KANALEN
from services.notificaties.models import kanalen
from services.notificaties.schemas import KanaalIn


async def ensure(session: AsyncSession, public_base_url: str) -> None:
    """Add the declared kanalen a database does not have yet (a kanaal is never changed or removed here)."""
    known = set((await session.execute(select(kanalen.c.naam))).scalars())
    base = public_base_url.rstrip("/")
    rows = [{"uuid": str(uuidlib.uuid4()), "naam": k.naam, "filters": list(k.filters),
             "documentatie_link": f"{base}{k.documentatie_link}" if k.documentatie_link.startswith("/")
             else k.documentatie_link} for k in KANALEN if k.naam not in known]
    if rows:
        await session.execute(insert(kanalen), rows)


def serialize(nrc: Notificaties, row: Any) -> dict[str, Any]:
    return {"url": nrc.url("kanaal", row.uuid), "naam": row.naam, "documentatieLink": row.documentatie_link,
            "filters": list(row.filters)}


async def lijst(nrc: Notificaties, session: AsyncSession, naam: str | None) -> list[dict[str, Any]]:
    stmt = select(kanalen).order_by(kanalen.c.naam)
    if naam is not None:
        stmt = stmt.where(kanalen.c.naam == naam)
    return [serialize(nrc, row) for row in (await session.execute(stmt)).all()]


async def lees(nrc: Notificaties, session: AsyncSession, uuid: str) -> dict[str, Any]:
    row = (await session.execute(select(kanalen).where(kanalen.c.uuid == uuid))).first()
    if row is None:
        raise NotFound()
    return serialize(nrc, row)


async def maak(nrc: Notificaties, session: AsyncSession, body: KanaalIn) -> dict[str, Any]:
    if (await session.execute(select(kanalen.c.id).where(kanalen.c.naam == body.naam))).first():
        raise ValidatieFout.single("naam", "unique", "Er bestaat al een kanaal met deze naam.")
    new = str(uuidlib.uuid4())
    await session.execute(insert(kanalen).values(uuid=new, naam=body.naam, filters=list(body.filters),
                                                 documentatie_link=body.documentatie_link or ""))
    return await lees(nrc, session, new)


async def filters_by_naam(session: AsyncSession, namen: set[str]) -> dict[str, list[str]]:
    rows = (await session.execute(select(kanalen.c.naam, kanalen.c.filters).where(kanalen.c.naam.in_(namen)))).all()
    return {row.naam: list(row.filters) for row in rows}


