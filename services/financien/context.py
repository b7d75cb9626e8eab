"""What every use case of financien needs: URLs of its resources and who may see what.

An applicatie acts for an aanbieder when the aanbieder names its client id (``applicaties``); it then sees only
that aanbieder's contracten and toewijzingen. Any other applicatie with the scope works for the municipality.

An applicatie limited to kolommen or clusters (a team of one kolom, a cluster at an outside party) reaches only
what belongs to its kolommen: the limit of the context the request pipeline verified (``sds.runtime.auth.begrens``,
the clusters resolved by the archetype profile), so it holds for a call that did not come through the gateway too.
``Bereik`` carries it, and every read and write applies it through ``Bereik.kolom_in`` and ``Bereik.ziet``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Request
from sqlalchemy import ColumnElement, Text, cast, false, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from sds.runtime.auth import AuthContext, grens
from sds.runtime.errors import PermissionDenied
from services.financien.domain import COMPONENT, SCOPE_LEZEN, SCOPE_SCHRIJVEN, Indeling
from services.financien.models import aanbieder_applicaties

API_PREFIX = "/financien/api/v1"
SOURCE = "urn:nld:sociaal-domein:financien"


def url(base: str, kind: str, uuid: str) -> str:
    return f"{base.rstrip('/')}{API_PREFIX}/{kind}/{uuid}"


def base_url(request: Request) -> str:
    return str(request.app.state.settings.public_base_url)


@dataclass(frozen=True)
class Bereik:
    """``aanbieder_id`` None: the municipality (everything); else only that aanbieder's records. ``kolommen`` None:
    every kolom; else only what belongs to these (empty: nothing of any kolom)."""

    aanbieder_id: int | None
    kolommen: frozenset[str] | None = None

    @property
    def begrensd(self) -> bool:
        return self.kolommen is not None

    def ziet(self, kolom: str | None) -> bool:
        """Whether a record of ``kolom`` is in reach (one of no kolom only for an applicatie without a limit)."""
        return self.kolommen is None or kolom in self.kolommen

    def kolom_in(self, column: Any) -> ColumnElement[bool]:
        """The records of a kolom column in reach, as a WHERE clause."""
        if self.kolommen is None:
            return true()
        return column.in_(sorted(self.kolommen)) if self.kolommen else false()

    def clusters(self, indeling: Indeling | None) -> list[str] | None:
        """The clusters of the archetype profile wholly in reach (None: every cluster)."""
        if self.kolommen is None:
            return None
        kolommen = self.kolommen
        return sorted(c for c, ks in (indeling.clusters if indeling else {}).items() if ks and ks <= kolommen)

    def een_van(self, column: Any) -> ColumnElement[bool]:
        """The records whose JSON list of kolommen (a contract's) names one in reach, as a WHERE clause (the text
        containment reads the same on SQLite and PostgreSQL)."""
        if self.kolommen is None:
            return true()
        return or_(false(), *(cast(column, Text).contains(f'"{k}"', autoescape=True) for k in sorted(self.kolommen)))


async def bereik(session: AsyncSession, ctx: AuthContext, scope: str) -> Bereik:
    if not ctx.has_scope(COMPONENT, scope):
        raise PermissionDenied(f"Deze applicatie heeft de scope '{scope}' niet.", code="permission_denied")
    if ctx.heeft_alle_autorisaties:
        return Bereik(None)
    row = (await session.execute(select(aanbieder_applicaties.c.aanbieder_id)
                                 .where(aanbieder_applicaties.c.client_id == ctx.client_id))).first()
    limit = grens(ctx)
    return Bereik(int(row.aanbieder_id) if row else None, None if limit is None else frozenset(limit))


async def lees_bereik(session: AsyncSession, ctx: AuthContext) -> Bereik:
    return await bereik(session, ctx, SCOPE_LEZEN)


async def gemeente(session: AsyncSession, ctx: AuthContext) -> None:
    """Inkoop and budgetten are the municipality's to write, never an aanbieder's."""
    if (await bereik(session, ctx, SCOPE_SCHRIJVEN)).aanbieder_id is not None:
        raise PermissionDenied("Een aanbieder beheert geen inkoop of budgetten.", code="permission_denied")
