"""Besluittypen and informatieobjecttypen: types of a catalogus (not of one zaaktype), each with its own concept
and publish, versioned by ``omschrijving`` and geldigheid.

Rules (Catalogi API 1.3.1, as Open Zaak applies them):
- a new one is a concept; only a concept can be changed or deleted, except that a published one may still
  get its ``eindeGeldigheid``/``eindeObject`` (``non-concept-object``), and is deleted with
  ``catalogi.geforceerd-verwijderen``, and a besluittype never while besluiten of it exist (``pending-relations``);
- two versions with the same ``omschrijving`` in one catalogus may not overlap in geldigheid (``overlap``);
- a besluittype names its informatieobjecttypen by ``omschrijving``, in its own catalogus; the answer
  gives their URLs (and the omschrijvingen as ``vastgelegdIn``);
- the catalogus cannot change (``wijzigen-niet-toegelaten``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from fastapi import Request
from sqlalchemy import Select, Table, delete, exists, false, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from sds.runtime.auth import AuthContext
from sds.runtime.errors import PermissionDenied, ValidatieFout
from sds.runtime.scopes import CATALOGI_GEFORCEERD_VERWIJDEREN, CATALOGI_SCHRIJVEN
from services.zaken.besluiten.models import besluiten
from services.zaken.catalogi import authz, schemas
from services.zaken.catalogi.models import (
    besluittype_iotypen,
    besluittypen,
    catalogussen,
    informatieobjecttypen,
    resultaattype_besluittypen,
    resultaattypen,
    zaaktype_besluittypen,
    zaaktype_informatieobjecttypen,
    zaaktypen,
)
from services.zaken.common import CATALOGI_PREFIX, iso_date, refused_or_absent, resource_url, uuid_from_url

# Fields of a published type that may still change: closing a version is how a new one takes over.
_PUBLISHED_MUTABLE = {"eindeGeldigheid", "eindeObject"}


@dataclass(frozen=True)
class CatalogusType:
    collection: str
    table: Table
    model: type[schemas.Geldigheid]
    columns: Callable[[Any], dict[str, Any]]
    weergave: str


BESLUITTYPEN = CatalogusType("besluittypen", besluittypen, schemas.BesluitTypeIn,
                             lambda b: {"omschrijving": b.omschrijving}, "besluittype")
INFORMATIEOBJECTTYPEN = CatalogusType("informatieobjecttypen", informatieobjecttypen, schemas.InformatieObjectTypeIn,
                                      lambda b: {"omschrijving": b.omschrijving}, "informatieobjecttype")
KINDS = {k.collection: k for k in (BESLUITTYPEN, INFORMATIEOBJECTTYPEN)}


def _url(request: Request, collection: str, resource_uuid: str) -> str:
    return resource_url(request, CATALOGI_PREFIX, collection, resource_uuid)


def query(kind: CatalogusType) -> Select[Any]:
    return (select(kind.table, catalogussen.c.uuid.label("catalogus_uuid"))
            .join(catalogussen, catalogussen.c.id == kind.table.c.catalogus_id))


def list_query(request: Request, auth: AuthContext, kind: CatalogusType, *, catalogus: str | None,
               status: str | None, omschrijving: str | None, datum_geldigheid: date | None,
               zaaktype: str | None = None, informatieobjecttype: str | None = None) -> Select[Any]:
    from services.zaken.catalogi.service import concept_filter, geldig_op

    table = kind.table
    stmt = query(kind).where(concept_filter(table.c.concept, status),
                             authz.catalogus_clause(request, auth, table.c.catalogus_id)).order_by(table.c.id)
    if catalogus is not None:
        found = uuid_from_url(request, catalogus, CATALOGI_PREFIX, "catalogussen")
        stmt = stmt.where(catalogussen.c.uuid == found) if found else stmt.where(false())
    if omschrijving is not None:
        stmt = stmt.where(table.c.omschrijving == omschrijving)
    if datum_geldigheid is not None:
        stmt = stmt.where(geldig_op(table.c.begin_geldigheid, table.c.einde_geldigheid, datum_geldigheid))
    if zaaktype is not None:
        found = uuid_from_url(request, zaaktype, CATALOGI_PREFIX, "zaaktypen")
        stmt = stmt.where(exists().where(zaaktype_besluittypen.c.besluittype_id == table.c.id,
                                         zaaktype_besluittypen.c.zaaktype_id == zaaktypen.c.id,
                                         zaaktypen.c.uuid == found)) if found else stmt.where(false())
    if informatieobjecttype is not None:
        found = uuid_from_url(request, informatieobjecttype, CATALOGI_PREFIX, "informatieobjecttypen")
        link = besluittype_iotypen
        stmt = stmt.where(exists().where(link.c.besluittype_id == table.c.id,
                                         link.c.iotype_id == informatieobjecttypen.c.id,
                                         informatieobjecttypen.c.uuid == found)) if found else stmt.where(false())
    return stmt


async def get_row(session: AsyncSession, request: Request, auth: AuthContext, kind: CatalogusType,
                  type_uuid: str, *, for_update: bool = False) -> Any:
    """One the client may see, and (``for_update``) may write: 403 otherwise, 404 when it is not there."""
    unfiltered = query(kind).where(kind.table.c.uuid == type_uuid)
    stmt = unfiltered.where(authz.catalogus_clause(request, auth, kind.table.c.catalogus_id))
    row = (await session.execute(stmt.with_for_update(of=kind.table) if for_update else stmt)).first()
    if row is None:
        raise await refused_or_absent(session, unfiltered)
    if for_update:
        _require_write(request, auth, await _writable(session, request, auth, row.catalogus_id))
    return row


async def _in_scope(session: AsyncSession, request: Request, auth: AuthContext, catalogus_id: int,
                    scope: str) -> bool:
    clause = authz.catalogus_clause(request, auth, catalogussen.c.id, scope=scope)
    return (await session.execute(select(catalogussen.c.id).where(catalogussen.c.id == catalogus_id,
                                                                   clause))).first() is not None


async def _writable(session: AsyncSession, request: Request, auth: AuthContext, catalogus_id: int) -> bool:
    return await _in_scope(session, request, auth, catalogus_id, CATALOGI_SCHRIJVEN)


def _require_write(request: Request, auth: AuthContext, allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("Deze applicatie mag deze catalogus niet wijzigen.")


async def _catalogus_id(session: AsyncSession, request: Request, auth: AuthContext, url: str) -> int:
    found = uuid_from_url(request, url, CATALOGI_PREFIX, "catalogussen")
    row = None
    if found:
        row = (await session.execute(select(catalogussen.c.id).where(catalogussen.c.uuid == found))).first()
    if row is None:
        raise ValidatieFout.single("catalogus", "bad-url", "De catalogus bestaat niet.")
    _require_write(request, auth, await _writable(session, request, auth, row.id))
    return int(row.id)


async def _check_overlap(session: AsyncSession, kind: CatalogusType, catalogus_id: int, body: Any,
                         exclude_id: int | None = None) -> None:
    table = kind.table
    clauses = [table.c.catalogus_id == catalogus_id, table.c.omschrijving == body.omschrijving,
               or_(table.c.einde_geldigheid.is_(None), table.c.einde_geldigheid >= body.begin_geldigheid)]
    if body.einde_geldigheid is not None:
        clauses.append(table.c.begin_geldigheid <= body.einde_geldigheid)
    if exclude_id is not None:
        clauses.append(table.c.id != exclude_id)
    if (await session.execute(select(table.c.id).where(*clauses).limit(1))).first():
        raise ValidatieFout.single("beginGeldigheid", "overlap", f"Dit {kind.weergave} komt al voor binnen de "
                                   "catalogus en opgegeven geldigheidsperiode.")


async def iotype_ids(session: AsyncSession, request: Request, catalogus_id: int, refs: Sequence[str],
                     field: str = "informatieobjecttypen") -> list[list[int]]:
    """Per reference, the informatieobjecttype(n) it names in the catalogus: a URL names one (``bad-url`` when it is
    not one of ours, ``relations-incorrect-catalogus`` when of another catalogus), an omschrijving every version of
    it, newest last (``does_not_exist`` when there is none)."""
    out: list[list[int]] = []
    for i, ref in enumerate(refs):
        name = f"{field}.{i}" if field.endswith("en") else field
        if ref.startswith(("http://", "https://")):
            found = uuid_from_url(request, ref, CATALOGI_PREFIX, "informatieobjecttypen")
            row = None
            if found:
                row = (await session.execute(select(informatieobjecttypen.c.id, informatieobjecttypen.c.catalogus_id)
                                             .where(informatieobjecttypen.c.uuid == found))).first()
            if row is None:
                raise ValidatieFout.single(name, "bad-url", "Het informatieobjecttype bestaat niet.")
            if row.catalogus_id != catalogus_id:
                raise ValidatieFout.single(field, "relations-incorrect-catalogus",
                                           "Het informatieobjecttype hoort niet bij dezelfde catalogus.")
            out.append([int(row.id)])
            continue
        ids = (await session.execute(select(informatieobjecttypen.c.id).where(
            informatieobjecttypen.c.catalogus_id == catalogus_id, informatieobjecttypen.c.omschrijving == ref)
            .order_by(informatieobjecttypen.c.id))).scalars().all()
        if not ids:
            raise ValidatieFout.single(name, "does_not_exist",
                                       f"Er is geen informatieobjecttype '{ref[:80]}' in deze catalogus.")
        out.append([int(x) for x in ids])
    return out


async def _write_links(session: AsyncSession, request: Request, kind: CatalogusType, type_id: int,
                       catalogus_id: int, body: Any) -> None:
    if kind is not BESLUITTYPEN:
        return
    link = besluittype_iotypen
    ids = list(dict.fromkeys(i for found in await iotype_ids(session, request, catalogus_id,
                                                               body.informatieobjecttypen) for i in found))
    await session.execute(delete(link).where(link.c.besluittype_id == type_id))
    for iot_id in ids:
        await session.execute(insert(link).values(besluittype_id=type_id, iotype_id=iot_id))


def _columns(kind: CatalogusType, body: Any) -> dict[str, Any]:
    return {"begin_geldigheid": body.begin_geldigheid, "einde_geldigheid": body.einde_geldigheid,
            "gegevens": body.model_dump(mode="json", by_alias=True), **kind.columns(body)}


async def create(session: AsyncSession, request: Request, auth: AuthContext, kind: CatalogusType, body: Any) -> str:
    catalogus_id = await _catalogus_id(session, request, auth, body.catalogus)
    await _check_overlap(session, kind, catalogus_id, body)
    new_uuid = str(uuid.uuid4())
    type_id = (await session.execute(insert(kind.table).values(
        uuid=new_uuid, catalogus_id=catalogus_id, concept=True, **_columns(kind, body))
        .returning(kind.table.c.id))).scalar_one()
    await _write_links(session, request, kind, type_id, catalogus_id, body)
    return new_uuid


async def update_(session: AsyncSession, request: Request, auth: AuthContext, kind: CatalogusType, type_uuid: str,
                  patch: dict[str, Any], *, partial: bool) -> None:
    row = await get_row(session, request, auth, kind, type_uuid, for_update=True)
    body = kind.model.model_validate({**row.gegevens, **patch} if partial else patch)
    if not row.concept:
        changed = {k for k, v in body.model_dump(mode="json", by_alias=True).items() if row.gegevens.get(k) != v}
        if changed - _PUBLISHED_MUTABLE:
            raise ValidatieFout.single("nonFieldErrors", "non-concept-object",
                                       f"Het is niet toegestaan om een gepubliceerd {kind.weergave} bij te werken.")
    if uuid_from_url(request, body.catalogus, CATALOGI_PREFIX, "catalogussen") != row.catalogus_uuid:  # type: ignore[attr-defined]
        raise ValidatieFout.single("catalogus", "wijzigen-niet-toegelaten", "De catalogus kan niet wijzigen.")
    await _check_overlap(session, kind, row.catalogus_id, body, exclude_id=row.id)
    await session.execute(update(kind.table).where(kind.table.c.id == row.id).values(**_columns(kind, body)))
    await _write_links(session, request, kind, row.id, row.catalogus_id, body)


async def delete_(session: AsyncSession, request: Request, auth: AuthContext, kind: CatalogusType,
                  type_uuid: str) -> None:
    row = await get_row(session, request, auth, kind, type_uuid)
    await session.execute(select(kind.table.c.id).where(kind.table.c.id == row.id).with_for_update())
    # A concept goes with catalogi.schrijven, a published one only with catalogi.geforceerd-verwijderen.
    forced = await _in_scope(session, request, auth, row.catalogus_id, CATALOGI_GEFORCEERD_VERWIJDEREN)
    if not forced:
        _require_write(request, auth, await _writable(session, request, auth, row.catalogus_id))
        if not row.concept:
            raise ValidatieFout.single("nonFieldErrors", "non-concept-object",
                                       f"Het is niet toegestaan om een gepubliceerd {kind.weergave} te verwijderen.")
    if kind is BESLUITTYPEN and (await session.execute(
            select(besluiten.c.id).where(besluiten.c.besluittype_id == row.id).limit(1))).first():
        raise ValidatieFout.single("nonFieldErrors", "pending-relations",
                                   "Er zijn besluiten van dit besluittype; het kan niet worden verwijderd.")
    column = "besluittype_id" if kind is BESLUITTYPEN else "iotype_id"
    for link in (zaaktype_besluittypen, besluittype_iotypen, resultaattype_besluittypen,
                 zaaktype_informatieobjecttypen):
        if column in link.c:
            await session.execute(delete(link).where(link.c[column] == row.id))
    await session.execute(delete(kind.table).where(kind.table.c.id == row.id))


async def publish(session: AsyncSession, request: Request, auth: AuthContext, kind: CatalogusType,
                  type_uuid: str) -> None:
    row = await get_row(session, request, auth, kind, type_uuid, for_update=True)
    if row.concept:
        await session.execute(update(kind.table).where(kind.table.c.id == row.id).values(concept=False))


# --- the answers ----------------------------------------------------------------------------------------


async def serialize_many(session: AsyncSession, request: Request, kind: CatalogusType,
                         rows: Sequence[Any]) -> list[dict[str, Any]]:
    """A page of them with their relations: one query per relation, whatever the page size."""
    ids = [r.id for r in rows]
    relations: dict[int, dict[str, list[Any]]] = {i: {} for i in ids}
    if ids and kind is BESLUITTYPEN:
        await _collect(session, relations, "zaaktypen", zaaktype_besluittypen.c.besluittype_id,
                       select(zaaktype_besluittypen.c.besluittype_id, zaaktypen.c.uuid, zaaktypen.c.omschrijving)
                       .join(zaaktypen, zaaktypen.c.id == zaaktype_besluittypen.c.zaaktype_id), ids, zaaktypen.c.id)
        link = besluittype_iotypen
        await _collect(session, relations, "informatieobjecttypen", link.c.besluittype_id,
                       select(link.c.besluittype_id, informatieobjecttypen.c.uuid,
                              informatieobjecttypen.c.omschrijving)
                       .join(informatieobjecttypen, informatieobjecttypen.c.id == link.c.iotype_id),
                       ids, informatieobjecttypen.c.id)
        await _collect(session, relations, "resultaattypen", resultaattype_besluittypen.c.besluittype_id,
                       select(resultaattype_besluittypen.c.besluittype_id, resultaattypen.c.uuid,
                              resultaattypen.c.omschrijving)
                       .join(resultaattypen, resultaattypen.c.id == resultaattype_besluittypen.c.resultaattype_id),
                       ids, resultaattypen.c.id)
    elif ids:
        link = besluittype_iotypen
        await _collect(session, relations, "besluittypen", link.c.iotype_id,
                       select(link.c.iotype_id, besluittypen.c.uuid, besluittypen.c.omschrijving)
                       .join(besluittypen, besluittypen.c.id == link.c.besluittype_id), ids, besluittypen.c.id)
    return [_serialize(request, kind, row, relations[row.id]) for row in rows]


async def _collect(session: AsyncSession, out: dict[int, dict[str, list[Any]]], name: str, key: Any,
                   stmt: Select[Any], ids: Sequence[int], order: Any) -> None:
    for i in ids:
        out[i][name] = []
    for parent, ref_uuid, omschrijving in (await session.execute(stmt.where(key.in_(list(ids)))
                                                                  .order_by(order))).all():
        out[parent][name].append((ref_uuid, omschrijving))


def _serialize(request: Request, kind: CatalogusType, row: Any, relations: dict[str, list[Any]]) -> dict[str, Any]:
    out = dict(row.gegevens)
    out.update({"url": _url(request, kind.collection, row.uuid), "catalogus": _url(request, "catalogussen",
                                                                                  row.catalogus_uuid),
                "concept": row.concept, "beginGeldigheid": iso_date(row.begin_geldigheid),
                "eindeGeldigheid": iso_date(row.einde_geldigheid)})
    for key in ("beginObject", "eindeObject"):
        out.setdefault(key, None)
    if kind is BESLUITTYPEN:
        out["zaaktypen"] = _urls(request, "zaaktypen", relations["zaaktypen"])
        out["informatieobjecttypen"] = _urls(request, "informatieobjecttypen", relations["informatieobjecttypen"])
        out["vastgelegdIn"] = list(dict.fromkeys(o for _, o in relations["informatieobjecttypen"]))
        out["resultaattypen"] = _urls(request, "resultaattypen", relations["resultaattypen"])
        out["resultaattypenOmschrijving"] = list(dict.fromkeys(o for _, o in relations["resultaattypen"]))
    else:
        out["besluittypen"] = _urls(request, "besluittypen", relations["besluittypen"])
        if out.get("omschrijvingGeneriek") is None:
            out.pop("omschrijvingGeneriek", None)
    return out


def _urls(request: Request, collection: str, refs: list[Any]) -> list[str]:
    return list(dict.fromkeys(_url(request, collection, u) for u, _ in refs))
