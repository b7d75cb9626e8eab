"""Reading the verwerkingenlog: an auditor's queries, and a resident asking who processed their data and when."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import Request
from sqlalchemy import Select, select

from sds.runtime.app import UnitOfWork
from sds.runtime.auth import AuthContext
from sds.runtime.bsn import inwoner_bsn
from sds.runtime.errors import PermissionDenied
from sds.runtime.pagination import PageParams, paginate
from sds.runtime.verwerkingenlog import pseudoniem
from services.klantgegevens.context import Klantgegevens
from services.klantgegevens.domain import COMPONENT, SCOPE_AUDIT, SCOPE_INWONER
from services.klantgegevens.models import verwerkingen

v = verwerkingen


def _auditor(ctx: AuthContext) -> None:
    ctx.require_scope(COMPONENT, SCOPE_AUDIT)


def verwerking_out(row: Any) -> dict[str, Any]:
    return {"tijdstip": row.tijdstip, "clientId": row.client_id, "gebruiker": row.gebruiker,
            "verwerkingsactiviteit": row.verwerkingsactiviteit, "handeling": row.handeling,
            "grondslag": row.grondslag, "betrokkene": row.betrokkene, "traceId": row.trace_id}


def _filtered(*, betrokkene: str | None = None, client_id: str | None = None, trace_id: str | None = None,
              van: datetime | None = None, tot: datetime | None = None) -> Select[Any]:
    stmt = select(v)
    if betrokkene is not None:
        stmt = stmt.where(v.c.betrokkene == betrokkene)
    if client_id is not None:
        stmt = stmt.where(v.c.client_id == client_id)
    if trace_id is not None:
        stmt = stmt.where(v.c.trace_id == trace_id)
    if van is not None:
        stmt = stmt.where(v.c.tijdstip >= van)
    if tot is not None:
        stmt = stmt.where(v.c.tijdstip < tot)
    return stmt.order_by(v.c.tijdstip.desc(), v.c.id.desc())


async def lijst(uow: UnitOfWork, ctx: AuthContext, request: Request, params: PageParams,
                **filters: Any) -> dict[str, Any]:
    _auditor(ctx)
    return await paginate(uow.session, _filtered(**filters), params, request, verwerking_out)


async def zoek_op_bsn(kg: Klantgegevens, uow: UnitOfWork, ctx: AuthContext, request: Request, params: PageParams,
                      bsn: str, van: datetime | None, tot: datetime | None) -> dict[str, Any]:
    _auditor(ctx)
    subject = pseudoniem(bsn, kg.sleutel)
    # Turning a BSN into that person's processing history is itself a processing of their data.
    await kg.log.vastleggen(uow.session, ctx, activiteit="verwerkingenlog-raadplegen", handeling="lezen",
                            grondslag="toezicht", betrokkenen=[subject])
    return await paginate(uow.session, _filtered(betrokkene=subject, van=van, tot=tot), params, request,
                          verwerking_out)


async def eigen(kg: Klantgegevens, uow: UnitOfWork, ctx: AuthContext, request: Request,
                params: PageParams) -> dict[str, Any]:
    bsn = inwoner_bsn(ctx)
    if not ctx.grants(COMPONENT, SCOPE_INWONER) or bsn is None:
        raise PermissionDenied("Alleen een inwoner kan zijn eigen verwerkingen opvragen.")
    stmt = _filtered(betrokkene=pseudoniem(bsn, kg.sleutel))

    def out(row: Any) -> dict[str, Any]:
        return {"organisatie": row.client_id, "tijdstip": row.tijdstip,
                "verwerkingsactiviteit": row.verwerkingsactiviteit, "handeling": row.handeling}

    return await paginate(uow.session, stmt, params, request, out)
