"""ZGW authorisation on documents: a client's grants on the component ``drc`` become part of the query.

A ``drc`` grant names an informatieobjecttype (the Autorisaties API requires it for the ``documenten.*``
scopes) and a ``maxVertrouwelijkheidaanduiding``; it holds for the documents of that type up to that
aanduiding. The suite's narrowing per catalogus applies as on the other components. Lists are filtered by the
clause inside the query (so paging and counts hold); a document outside it is 403, as ZGW (Open Zaak) answers,
and so is a write outside it.

An applicatie limited to kolommen or clusters reaches only the documents of its kolommen (a document's kolom is
that of its informatieobjecttype's catalogus, a catalogus per kolom), whatever its grants say: the limit of the
context the request pipeline verified (``sds.runtime.auth.begrens``), so it holds for a direct call as well.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, false, or_, true

from sds.runtime.auth import AuthContext, Autorisatie, grens, vertrouwelijkheid_rank
from sds.runtime.errors import PermissionDenied
from sds.runtime.scopes import DRC
from services.documenten.informatieobjecten.models import informatieobjecten

COMPONENT = DRC


def _rank(grant: Autorisatie) -> int | None:
    value = grant.max_vertrouwelijkheidaanduiding
    return vertrouwelijkheid_rank(value) if value else None


def clause(auth: AuthContext, scope: str) -> ColumnElement[bool]:
    """The documents ``auth`` may act on with ``scope``, as a WHERE clause on ``informatieobjecten``."""
    if auth.heeft_alle_autorisaties:
        return true()
    alternatives: list[ColumnElement[bool]] = []
    for grant in auth.grants(COMPONENT, scope):
        conditions: list[ColumnElement[bool]] = []
        if grant.informatieobjecttype:
            conditions.append(informatieobjecten.c.informatieobjecttype == grant.informatieobjecttype)
        if grant.catalogus:
            conditions.append(informatieobjecten.c.catalogus == grant.catalogus)
        rank = _rank(grant)
        if rank is not None:
            conditions.append(informatieobjecten.c.vertrouwelijkheid_rank <= rank)
        alternatives.append(and_(true(), *conditions))
    if not alternatives:
        return false()
    limit = grens(auth)
    if limit is not None:
        return and_(informatieobjecten.c.kolom.in_(limit), or_(*alternatives)) if limit else false()
    return or_(*alternatives)


def may(auth: AuthContext, scope: str, *, informatieobjecttype: str, catalogus: str, kolom: str | None,
        rank: int) -> bool:
    """Whether a grant with ``scope`` covers a document of this type, kolom and aanduiding (one not stored yet, or
    about to change)."""
    if auth.heeft_alle_autorisaties:
        return True
    limit = grens(auth)
    if limit is not None and kolom not in limit:
        return False
    for grant in auth.grants(COMPONENT, scope):
        if grant.informatieobjecttype and grant.informatieobjecttype != informatieobjecttype:
            continue
        if grant.catalogus and grant.catalogus != catalogus:
            continue
        grant_rank = _rank(grant)
        if grant_rank is not None and rank > grant_rank:
            continue
        return True
    return False


def require(auth: AuthContext, scope: str, **document: str | int | None) -> None:
    if not may(auth, scope, **document):  # type: ignore[arg-type]
        raise PermissionDenied("Deze applicatie heeft geen rechten op documenten van dit informatieobjecttype "
                               "of met deze vertrouwelijkheidaanduiding voor deze actie.")


def require_scope(auth: AuthContext, *scopes: str) -> None:
    """The scope check before any query: without one of ``scopes`` on ``drc`` the answer is 403."""
    if not any(auth.has_scope(COMPONENT, s) for s in scopes):
        auth.require_scope(COMPONENT, scopes[0])
