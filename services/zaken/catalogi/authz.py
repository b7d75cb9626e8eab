"""Catalogi reads per kolom: a client's ``catalogi`` grants become part of the query.

A grant on the component ``ztc`` holds for the whole catalogue, or only for one catalogus, one kolom
(the catalogus of that kolom) or one zaaktype, as the grants on ``zrc`` do (``services.zaken.zaken.authz``).
Lists are filtered by that clause inside the query, so paging and counts hold; a detail outside it is 403,
as for a zaak (404 is for what is not there). A grant per zaaktype also shows the catalogus it is in (and what
hangs under that catalogus itself: besluittypen, informatieobjecttypen), not the catalogus's other zaaktypen.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from sqlalchemy import ColumnElement, and_, exists, false, or_, select, true

from sds.runtime.auth import AuthContext, Autorisatie
from sds.runtime.scopes import CATALOGI_LEZEN, ZTC
from services.zaken.catalogi.models import catalogussen, zaaktypen
from services.zaken.common import CATALOGI_PREFIX, uuid_from_url

COMPONENT = ZTC
READ = CATALOGI_LEZEN


def _grant_uuid(request: Request, url: str, collection: str) -> str:
    # An URL that is not one of ours matches nothing (an impossible uuid), never everything.
    return uuid_from_url(request, url, CATALOGI_PREFIX, collection) or "-"


def _catalogus_condition(request: Request, grant: Autorisatie, catalogus_id: Any) -> ColumnElement[bool]:
    conditions: list[ColumnElement[bool]] = []
    if grant.catalogus:
        conditions.append(catalogus_id == select(catalogussen.c.id).where(
            catalogussen.c.uuid == _grant_uuid(request, grant.catalogus, "catalogussen")).scalar_subquery())
    if grant.kolom:
        conditions.append(catalogus_id.in_(select(catalogussen.c.id).where(catalogussen.c.kolom == grant.kolom)))
    if grant.zaaktype:
        conditions.append(exists().where(zaaktypen.c.catalogus_id == catalogus_id, zaaktypen.c.uuid == _grant_uuid(
            request, grant.zaaktype, "zaaktypen")))
    return and_(true(), *conditions)


def covers_all(auth: AuthContext, scope: str) -> bool:
    """Whether a grant holds for the whole catalogue (what a new catalogus needs)."""
    return auth.heeft_alle_autorisaties or any(
        not (g.catalogus or g.kolom or g.zaaktype) for g in auth.grants(COMPONENT, scope))


def catalogus_clause(request: Request, auth: AuthContext, catalogus_id: Any,
                     scope: str = READ) -> ColumnElement[bool]:
    """What belongs to a catalogus (the catalogus itself, besluittypen, informatieobjecttypen) that ``auth``
    may see, as a WHERE clause on the column ``catalogus_id`` that holds the catalogus's id."""
    if auth.heeft_alle_autorisaties:
        return true()
    alternatives = [_catalogus_condition(request, g, catalogus_id) for g in auth.grants(COMPONENT, scope)]
    return or_(*alternatives) if alternatives else false()


def zaaktype_clause(request: Request, auth: AuthContext, zaaktype_id: Any, catalogus_id: Any,
                    scope: str = READ) -> ColumnElement[bool]:
    """Zaaktypen and what hangs under them that ``auth`` may see, on the columns holding the zaaktype's id and
    its catalogus's id (the query joins both)."""
    if auth.heeft_alle_autorisaties:
        return true()
    alternatives: list[ColumnElement[bool]] = []
    for grant in auth.grants(COMPONENT, scope):
        conditions: list[ColumnElement[bool]] = []
        if grant.zaaktype:
            conditions.append(zaaktype_id == select(zaaktypen.c.id).where(
                zaaktypen.c.uuid == _grant_uuid(request, grant.zaaktype, "zaaktypen")).scalar_subquery())
        narrowed = grant.model_copy(update={"zaaktype": None})
        conditions.append(_catalogus_condition(request, narrowed, catalogus_id))
        alternatives.append(and_(true(), *conditions))
    return or_(*alternatives) if alternatives else false()
