"""What every use case of financien needs: URLs of its resources and who may see what.

An applicatie acts for an aanbieder when the aanbieder names its client id (``applicaties``); it then sees only
that aanbieder's contracten and toewijzingen. Any other applicatie with the scope works for the municipality.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from sds.runtime.auth import AuthContext
from sds.runtime.errors import PermissionDenied
from services.financien.domain import COMPONENT, SCOPE_LEZEN, SCOPE_SCHRIJVEN
from services.financien.models import aanbieder_applicaties

API_PREFIX = "/financien/api/v1"
SOURCE = "urn:nld:sociaal-domein:financien"


def url(base: str, kind: str, uuid: str) -> str:
    return f"{base.rstrip('/')}{API_PREFIX}/{kind}/{uuid}"


def base_url(request: Request) -> str:
    return str(request.app.state.settings.public_base_url)


@dataclass(frozen=True)
class Bereik:
    """``aanbieder_id`` None: the municipality (everything); else only that aanbieder's records."""

    aanbieder_id: int | None


async def bereik(session: AsyncSession, ctx: AuthContext, scope: str) -> Bereik:
    if not ctx.has_scope(COMPONENT, scope):
        raise PermissionDenied(f"Deze applicatie heeft de scope '{scope}' niet.", code="permission_denied")
    if ctx.heeft_alle_autorisaties:
        return Bereik(None)
    row = (await session.execute(select(aanbieder_applicaties.c.aanbieder_id)
                                 .where(aanbieder_applicaties.c.client_id == ctx.client_id))).first()
    return Bereik(int(row.aanbieder_id) if row else None)


async def lees_bereik(session: AsyncSession, ctx: AuthContext) -> Bereik:
    return await bereik(session, ctx, SCOPE_LEZEN)


async def gemeente(session: AsyncSession, ctx: AuthContext) -> None:
    """Inkoop and budgetten are the municipality's to write, never an aanbieder's."""
    if (await bereik(session, ctx, SCOPE_SCHRIJVEN)).aanbieder_id is not None:
        raise PermissionDenied("Een aanbieder beheert geen inkoop of budgetten.", code="permission_denied")
