"""ZGW authorisation on besluiten: a client's grants on the component ``brc`` become part of the query.

A ``brc`` grant names a besluittype (the Autorisaties API requires it for the ``besluiten.*`` scopes) and holds
for the besluiten of that besluittype; the suite's narrowing per catalogus or kolom applies as on the other
components. Lists are filtered by the clause inside the query (so paging and counts hold); a besluit outside it
is 403, as ZGW (Open Zaak) answers for a besluit, and so is a write outside it.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from sqlalchemy import ColumnElement, and_, false, or_, select, true

from sds.runtime.auth import AuthContext, Autorisatie
from sds.runtime.errors import PermissionDenied
from sds.runtime.scopes import BRC
from services.zaken.catalogi.models import besluittypen, catalogussen
from services.zaken.common import CATALOGI_PREFIX, uuid_from_url

COMPONENT = BRC


def _uuid(request: Request, url: str, collection: str) -> str:
    # A URL that is not one of ours matches nothing (an impossible uuid), never everything.
    return uuid_from_url(request, url, CATALOGI_PREFIX, collection) or "-"


def _condition(request: Request, grant: Autorisatie, besluittype_id: Any) -> ColumnElement[bool]:
    conditions: list[ColumnElement[bool]] = []
    if grant.besluittype:
        conditions.append(besluittype_id == select(besluittypen.c.id).where(
            besluittypen.c.uuid == _uuid(request, grant.besluittype, "besluittypen")).scalar_subquery())
    if grant.catalogus:
        conditions.append(besluittype_id.in_(select(besluittypen.c.id).join(
            catalogussen, catalogussen.c.id == besluittypen.c.catalogus_id).where(
            catalogussen.c.uuid == _uuid(request, grant.catalogus, "catalogussen"))))
    if grant.kolom:
        conditions.append(besluittype_id.in_(select(besluittypen.c.id).join(
            catalogussen, catalogussen.c.id == besluittypen.c.catalogus_id).where(catalogussen.c.kolom == grant.kolom)))
    return and_(true(), *conditions)


def clause(request: Request, auth: AuthContext, scope: str, besluittype_id: Any) -> ColumnElement[bool]:
    """The besluiten ``auth`` may act on with ``scope``, on the column holding a besluit's besluittype id."""
    if auth.heeft_alle_autorisaties:
        return true()
    alternatives = [_condition(request, g, besluittype_id) for g in auth.grants(COMPONENT, scope)]
    return or_(*alternatives) if alternatives else false()


def may(request: Request, auth: AuthContext, scope: str, besluittype: Any) -> bool:
    """Whether a grant with ``scope`` covers a besluit of ``besluittype`` (a row with uuid, catalogus uuid and
    kolom), for a besluit that does not exist yet or is about to change."""
    if auth.heeft_alle_autorisaties:
        return True
    for grant in auth.grants(COMPONENT, scope):
        if grant.besluittype and _uuid(request, grant.besluittype, "besluittypen") != besluittype.uuid:
            continue
        if grant.catalogus and _uuid(request, grant.catalogus, "catalogussen") != besluittype.catalogus_uuid:
            continue
        if grant.kolom and grant.kolom != besluittype.kolom:
            continue
        return True
    return False


def require(request: Request, auth: AuthContext, scope: str, besluittype: Any) -> None:
    if not may(request, auth, scope, besluittype):
        raise PermissionDenied("Deze applicatie heeft geen rechten op besluiten van dit besluittype voor deze actie.")


def require_scope(auth: AuthContext, *scopes: str) -> None:
    """The scope check before any query: without one of ``scopes`` on ``brc`` the answer is 403, whatever the
    besluit."""
    if not any(auth.has_scope(COMPONENT, s) for s in scopes):
        auth.require_scope(COMPONENT, scopes[0])
