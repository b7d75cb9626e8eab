"""Use cases of the catalogue: catalogussen, zaaktypen with concept and publish, and their types.

Rules (Catalogi API 1.3.1, as Open Zaak applies them):
- a new zaaktype is a concept; only a concept can be changed or deleted, except that a published
  zaaktype may still get its ``eindeGeldigheid`` (how an old version is closed when a new one starts);
- status-, rol-, resultaattypen and eigenschappen are added, changed and removed only while their
  zaaktype is a concept (``non-concept-zaaktype``);
- two versions of one zaaktype (same ``identificatie`` in one catalogus) may not overlap in
  ``beginGeldigheid``..``eindeGeldigheid`` (``overlap``);
- publishing needs its besluittypen and informatieobjecttypen published (``concept-relation``), and no more:
  a ZGW client publishes a zaaktype before it adds its statustypen (VNG's endpoint tests do);
- a published zaaktype, or a type of one, is deleted only with ``catalogi.geforceerd-verwijderen`` (Open Zaak's
  scope for it), and never while zaken of it exist (``pending-relations``);
- besluittypen of a zaaktype or a resultaattype are of the same catalogus (``relations-incorrect-catalogus``);
  statustypen and resultaattypen of a zaakobjecttype are of its zaaktype (``zaaktype-mismatch``).

Reads are filtered per catalogus or kolom by the client's ``catalogi`` grants (``catalogi.authz``).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from fastapi import Request
from pydantic import BaseModel
from sqlalchemy import (
    ColumnElement,
    Select,
    Table,
    Text,
    and_,
    cast,
    delete,
    false,
    func,
    insert,
    literal,
    or_,
    select,
    true,
    union_all,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from sds.runtime.auth import AuthContext
from sds.runtime.errors import PermissionDenied, ValidatieFout
from sds.runtime.scopes import CATALOGI_GEFORCEERD_VERWIJDEREN, CATALOGI_SCHRIJVEN
from services.zaken.catalogi import authz, referentielijsten, schemas, typen
from services.zaken.catalogi.models import (
    besluittypen,
    catalogussen,
    eigenschappen,
    informatieobjecttypen,
    resultaattype_besluittypen,
    resultaattypen,
    roltypen,
    statustypen,
    zaakobjecttypen,
    zaaktype_besluittypen,
    zaaktype_informatieobjecttypen,
    zaaktypen,
)
from services.zaken.common import (
    CATALOGI_PREFIX,
    ZgwBody,
    check_rsin,
    iso_date,
    refused_or_absent,
    resource_url,
    uuid_from_url,
    without_blank,
)
from services.zaken.zaken.models import zaken

# --- catalogussen -------------------------------------------------------------------------------------


def catalogus_url(request: Request, catalogus_uuid: str) -> str:
    return resource_url(request, CATALOGI_PREFIX, "catalogussen", catalogus_uuid)


def zaaktype_url(request: Request, zaaktype_uuid: str) -> str:
    return resource_url(request, CATALOGI_PREFIX, "zaaktypen", zaaktype_uuid)


async def create_catalogus(session: AsyncSession, body: schemas.CatalogusIn) -> str:
    check_rsin(body.rsin, "rsin")
    exists = (await session.execute(select(catalogussen.c.id).where(
        catalogussen.c.domein == body.domein, catalogussen.c.rsin == body.rsin))).first()
    if exists:
        raise ValidatieFout.single("nonFieldErrors", "unique", "De velden domein en rsin moeten uniek zijn.")
    new_uuid = str(uuid.uuid4())
    await session.execute(insert(catalogussen).values(
        uuid=new_uuid, domein=body.domein, rsin=body.rsin, naam=body.naam, kolom=body.kolom,
        gegevens=body.model_dump(mode="json", by_alias=True)))
    return new_uuid


def catalogus_query() -> Select[Any]:
    return select(catalogussen).order_by(catalogussen.c.id)


async def catalogus_children(session: AsyncSession, ids: Sequence[int], request: Request | None = None,
                             auth: AuthContext | None = None) -> dict[int, dict[str, list[str]]]:
    """The zaaktypen, besluittypen and informatieobjecttypen of each catalogus of a page, one query per kind;
    with ``auth``, only the zaaktypen that client may see (a grant per zaaktype shows just that one)."""
    out: dict[int, dict[str, list[str]]] = {i: {"zaaktypen": [], "besluittypen": [], "informatieobjecttypen": []}
                                            for i in ids}
    if not ids:
        return out
    for name, table in (("zaaktypen", zaaktypen), ("besluittypen", besluittypen),
                        ("informatieobjecttypen", informatieobjecttypen)):
        stmt = select(table.c.catalogus_id, table.c.uuid).where(table.c.catalogus_id.in_(ids)).order_by(table.c.id)
        if name == "zaaktypen" and request is not None and auth is not None:
            stmt = stmt.where(authz.zaaktype_clause(request, auth, zaaktypen.c.id, zaaktypen.c.catalogus_id))
        for row in (await session.execute(stmt)).all():
            out[row.catalogus_id][name].append(row.uuid)
    return out


def serialize_catalogus(request: Request, row: Any, children: dict[str, list[str]]) -> dict[str, Any]:
    # An absent e-mail address is left out: the spec types the field as an address, which "" is not.
    gegevens = {k: v for k, v in row.gegevens.items() if v != "" or k != "contactpersoonBeheerEmailadres"}
    # The kolom is part of the answer by name (not only because the stored body has it): the gateway routes on it.
    return {**gegevens, "url": catalogus_url(request, row.uuid), "uuid": row.uuid, "kolom": row.kolom,
            **{name: [resource_url(request, CATALOGI_PREFIX, name, u) for u in uuids]
               for name, uuids in children.items()}}


# --- zaaktypen ----------------------------------------------------------------------------------------


async def _catalogus_id(session: AsyncSession, request: Request, url: str, auth: AuthContext | None = None) -> int:
    found = uuid_from_url(request, url, CATALOGI_PREFIX, "catalogussen")
    row = None
    if found:
        row = (await session.execute(select(catalogussen.c.id).where(catalogussen.c.uuid == found))).first()
    if row is None:
        raise ValidatieFout.single("catalogus", "bad-url", "De catalogus bestaat niet.")
    if auth is not None and not (await session.execute(select(catalogussen.c.id).where(
            catalogussen.c.id == row.id, authz.catalogus_clause(request, auth, catalogussen.c.id,
                                                                 scope="catalogi.schrijven")))).first():
        raise PermissionDenied("Deze applicatie mag deze catalogus niet wijzigen.")
    return int(row.id)


async def besluittype_ids(session: AsyncSession, request: Request, urls: Sequence[str], catalogus_id: int,
                          field: str = "besluittypen") -> list[int]:
    """The besluittypen these URLs name, each of them in the given catalogus."""
    ids: list[int] = []
    for i, url in enumerate(dict.fromkeys(urls)):
        found = uuid_from_url(request, url, CATALOGI_PREFIX, "besluittypen")
        row = None
        if found:
            row = (await session.execute(select(besluittypen.c.id, besluittypen.c.catalogus_id)
                                         .where(besluittypen.c.uuid == found))).first()
        if row is None:
            raise ValidatieFout.single(f"{field}.{i}", "bad-url", "Het besluittype bestaat niet.")
        if row.catalogus_id != catalogus_id:
            raise ValidatieFout.single(field, "relations-incorrect-catalogus",
                                       "Besluittypen moeten tot dezelfde catalogus behoren.")
        ids.append(int(row.id))
    return ids


async def _link(session: AsyncSession, table: Table, own: str, own_id: int, other: str, ids: Sequence[int]) -> None:
    await session.execute(delete(table).where(table.c[own] == own_id))
    for other_id in ids:
        await session.execute(insert(table).values({own: own_id, other: other_id}))


async def _check_zaaktype_refs(session: AsyncSession, request: Request, body: schemas.ZaakTypeIn,
                               catalogus_id: int) -> list[int]:
    """Checks the references of a zaaktype; returns the ids of its besluittypen."""
    besluittype_ids_ = await besluittype_ids(session, request, body.besluittypen, catalogus_id)
    for i, url in enumerate(body.deelzaaktypen):
        found = uuid_from_url(request, url, CATALOGI_PREFIX, "zaaktypen")
        row = None
        if found:
            row = (await session.execute(select(zaaktypen.c.catalogus_id).where(zaaktypen.c.uuid == found))).first()
        if row is None:
            raise ValidatieFout.single(f"deelzaaktypen.{i}", "bad-url", "Het deelzaaktype bestaat niet.")
        if row.catalogus_id != catalogus_id:
            raise ValidatieFout.single("deelzaaktypen", "relations-incorrect-catalogus",
                                       "Deelzaaktypen moeten tot dezelfde catalogus behoren.")
    return besluittype_ids_


async def _check_overlap(session: AsyncSession, catalogus_id: int, identificatie: str, begin: date,
                         einde: date | None, exclude_id: int | None = None) -> None:
    clauses = [zaaktypen.c.catalogus_id == catalogus_id, zaaktypen.c.identificatie == identificatie,
               or_(zaaktypen.c.einde_geldigheid.is_(None), zaaktypen.c.einde_geldigheid >= begin)]
    if einde is not None:
        clauses.append(zaaktypen.c.begin_geldigheid <= einde)
    if exclude_id is not None:
        clauses.append(zaaktypen.c.id != exclude_id)
    if (await session.execute(select(zaaktypen.c.id).where(*clauses).limit(1))).first():
        raise ValidatieFout.single("beginGeldigheid", "overlap",
                                   "Dit zaaktype komt al voor binnen de catalogus en opgegeven geldigheidsperiode.")


def _zaaktype_columns(body: schemas.ZaakTypeIn) -> dict[str, Any]:
    return {"identificatie": body.identificatie, "omschrijving": body.omschrijving,
            "vertrouwelijkheidaanduiding": body.vertrouwelijkheidaanduiding, "doorlooptijd": body.doorlooptijd,
            "trefwoorden": list(body.trefwoorden), "begin_geldigheid": body.begin_geldigheid,
            "einde_geldigheid": body.einde_geldigheid, "gegevens": body.model_dump(mode="json", by_alias=True)}


async def create_zaaktype(session: AsyncSession, request: Request, body: schemas.ZaakTypeIn,
                          auth: AuthContext | None = None) -> str:
    catalogus_id = await _catalogus_id(session, request, body.catalogus, auth)
    await referentielijsten.check_procestype(request, body.selectielijst_procestype)
    besluittype_ids_ = await _check_zaaktype_refs(session, request, body, catalogus_id)
    await _check_overlap(session, catalogus_id, body.identificatie, body.begin_geldigheid, body.einde_geldigheid)
    new_uuid = str(uuid.uuid4())
    new_id = (await session.execute(insert(zaaktypen).values(uuid=new_uuid, catalogus_id=catalogus_id, concept=True,
                                                             **_zaaktype_columns(body))
                                    .returning(zaaktypen.c.id))).scalar_one()
    await _link(session, zaaktype_besluittypen, "zaaktype_id", new_id, "besluittype_id", besluittype_ids_)
    return new_uuid


async def get_zaaktype_row(session: AsyncSession, zaaktype_uuid: str, *, for_update: bool = False,
                           request: Request | None = None, auth: AuthContext | None = None) -> Any:
    """A zaaktype; with ``auth`` only one that client may see and (``for_update``) change: 403 otherwise."""
    unfiltered = stmt = zaaktype_query().where(zaaktypen.c.uuid == zaaktype_uuid)
    if request is not None and auth is not None:
        stmt = stmt.where(authz.zaaktype_clause(request, auth, zaaktypen.c.id, zaaktypen.c.catalogus_id))
    if for_update:
        stmt = stmt.with_for_update(of=zaaktypen)
    row = (await session.execute(stmt)).first()
    if row is None:
        raise await refused_or_absent(session, unfiltered)
    if for_update and request is not None and auth is not None:
        await require_zaaktype_write(session, request, auth, row.id)
    return row


async def _zaaktype_in_scope(session: AsyncSession, request: Request, auth: AuthContext, zaaktype_id: int,
                             scope: str) -> bool:
    clause = authz.zaaktype_clause(request, auth, zaaktypen.c.id, zaaktypen.c.catalogus_id, scope=scope)
    return (await session.execute(select(zaaktypen.c.id).where(zaaktypen.c.id == zaaktype_id, clause))).first() \
        is not None


async def require_zaaktype_write(session: AsyncSession, request: Request, auth: AuthContext, zaaktype_id: int) -> None:
    if not await _zaaktype_in_scope(session, request, auth, zaaktype_id, CATALOGI_SCHRIJVEN):
        raise PermissionDenied("Deze applicatie mag dit zaaktype niet wijzigen.")


async def _require_delete(session: AsyncSession, request: Request | None, auth: AuthContext | None, zaaktype_id: int,
                          concept: bool, *, field: str, code: str, message: str) -> None:
    """May ``auth`` delete the zaaktype (or a type of it)? A concept with ``catalogi.schrijven``; a published one
    only with ``catalogi.geforceerd-verwijderen``, and not while a zaak of it exists."""
    forced = False
    if request is not None and auth is not None:
        forced = await _zaaktype_in_scope(session, request, auth, zaaktype_id, CATALOGI_GEFORCEERD_VERWIJDEREN)
        if not forced and not await _zaaktype_in_scope(session, request, auth, zaaktype_id, CATALOGI_SCHRIJVEN):
            raise PermissionDenied("Deze applicatie mag dit zaaktype niet wijzigen.")
    if concept:
        return
    if not forced:
        raise ValidatieFout.single(field, code, message)
    if (await session.execute(select(zaken.c.id).where(zaken.c.zaaktype_id == zaaktype_id).limit(1))).first():
        raise ValidatieFout.single("nonFieldErrors", "pending-relations",
                                   "Er zijn zaken van dit zaaktype; het kan niet worden verwijderd.")


# Fields of a published zaaktype that may still change: closing a version is how a new one takes over.
_PUBLISHED_MUTABLE = {"eindeGeldigheid", "eindeObject"}


async def update_zaaktype(session: AsyncSession, request: Request, zaaktype_uuid: str,
                          patch: dict[str, Any], *, partial: bool, auth: AuthContext | None = None) -> None:
    row = await get_zaaktype_row(session, zaaktype_uuid, for_update=True, request=request, auth=auth)
    merged = {**row.gegevens, **patch} if partial else patch
    body = schemas.ZaakTypeIn.model_validate(merged)
    if not row.concept:
        changed = {k for k, v in body.model_dump(mode="json", by_alias=True).items() if row.gegevens.get(k) != v}
        if changed - _PUBLISHED_MUTABLE:
            raise ValidatieFout.single("nonFieldErrors", "non-concept-object",
                                       "Het is niet toegestaan om een gepubliceerd zaaktype bij te werken.")
    catalogus_id = await _catalogus_id(session, request, body.catalogus)
    if catalogus_id != row.catalogus_id:
        raise ValidatieFout.single("catalogus", "wijzigen-niet-toegelaten", "De catalogus kan niet wijzigen.")
    if body.selectielijst_procestype != row.gegevens.get("selectielijstProcestype"):
        await referentielijsten.check_procestype(request, body.selectielijst_procestype)
    besluittype_ids_ = await _check_zaaktype_refs(session, request, body, catalogus_id)
    await _check_overlap(session, catalogus_id, body.identificatie, body.begin_geldigheid, body.einde_geldigheid,
                         exclude_id=row.id)
    await session.execute(update(zaaktypen).where(zaaktypen.c.id == row.id).values(**_zaaktype_columns(body)))
    await _link(session, zaaktype_besluittypen, "zaaktype_id", row.id, "besluittype_id", besluittype_ids_)


async def delete_zaaktype(session: AsyncSession, zaaktype_uuid: str, request: Request | None = None,
                          auth: AuthContext | None = None) -> None:
    row = await get_zaaktype_row(session, zaaktype_uuid, request=request, auth=auth)
    await session.execute(select(zaaktypen.c.id).where(zaaktypen.c.id == row.id).with_for_update())
    # A concept never had zaken (they need a published zaaktype); a published one goes only when forced.
    await _require_delete(session, request, auth, row.id, row.concept, field="nonFieldErrors",
                          code="non-concept-object",
                          message="Het is niet toegestaan om een gepubliceerd zaaktype te verwijderen.")
    await session.execute(delete(resultaattype_besluittypen).where(resultaattype_besluittypen.c.resultaattype_id.in_(
        select(resultaattypen.c.id).where(resultaattypen.c.zaaktype_id == row.id))))
    await session.execute(delete(zaaktype_besluittypen).where(zaaktype_besluittypen.c.zaaktype_id == row.id))
    for table in (zaaktype_informatieobjecttypen, zaakobjecttypen, eigenschappen, resultaattypen, roltypen,
                  statustypen):
        await session.execute(delete(table).where(table.c.zaaktype_id == row.id))
    await session.execute(delete(zaaktypen).where(zaaktypen.c.id == row.id))


async def publish_zaaktype(session: AsyncSession, zaaktype_uuid: str, request: Request | None = None,
                           auth: AuthContext | None = None) -> None:
    row = await get_zaaktype_row(session, zaaktype_uuid, for_update=True, request=request, auth=auth)
    if not row.concept:
        return  # publishing twice changes nothing
    problems = []
    if (await session.execute(select(besluittypen.c.id).join(
            zaaktype_besluittypen, zaaktype_besluittypen.c.besluittype_id == besluittypen.c.id).where(
            zaaktype_besluittypen.c.zaaktype_id == row.id, besluittypen.c.concept.is_(True)).limit(1))).first():
        problems.append({"name": "besluittypen", "code": "concept-relation",
                         "reason": "Alle besluittypen van het zaaktype moeten gepubliceerd zijn."})
    ztiot = zaaktype_informatieobjecttypen
    if (await session.execute(select(informatieobjecttypen.c.id).join(
            ztiot, ztiot.c.iotype_id == informatieobjecttypen.c.id).where(
            ztiot.c.zaaktype_id == row.id, informatieobjecttypen.c.concept.is_(True)).limit(1))).first():
        problems.append({"name": "informatieobjecttypen", "code": "concept-relation",
                         "reason": "Alle informatieobjecttypen van het zaaktype moeten gepubliceerd zijn."})
    if problems:
        raise ValidatieFout(problems)
    await session.execute(update(zaaktypen).where(zaaktypen.c.id == row.id).values(concept=False))


def zaaktype_query() -> Select[Any]:
    return (select(zaaktypen, catalogussen.c.uuid.label("catalogus_uuid"), catalogussen.c.kolom.label("kolom"))
            .join(catalogussen, catalogussen.c.id == zaaktypen.c.catalogus_id))


def concept_filter(concept_col: Any, status: str | None) -> ColumnElement[bool]:
    if status in (None, "definitief"):
        return concept_col.is_(False)
    if status == "concept":
        return concept_col.is_(True)
    if status == "alles":
        return true()
    raise ValidatieFout.single("status", "invalid_choice", "Kies uit alles, concept of definitief.")


def geldig_op(begin_col: Any, einde_col: Any, op: date) -> ColumnElement[bool]:
    return and_(begin_col <= op, or_(einde_col.is_(None), einde_col >= op))


def zaaktype_list_query(request: Request, *, catalogus: str | None, identificatie: str | None,
                        trefwoorden: list[str] | None, status: str | None,
                        datum_geldigheid: date | None, auth: AuthContext | None = None) -> Select[Any]:
    stmt = zaaktype_query().where(concept_filter(zaaktypen.c.concept, status)).order_by(zaaktypen.c.id)
    if auth is not None:
        stmt = stmt.where(authz.zaaktype_clause(request, auth, zaaktypen.c.id, zaaktypen.c.catalogus_id))
    if catalogus is not None:
        found = uuid_from_url(request, catalogus, CATALOGI_PREFIX, "catalogussen")
        stmt = stmt.where(catalogussen.c.uuid == found) if found else stmt.where(false())
    if identificatie is not None:
        stmt = stmt.where(zaaktypen.c.identificatie == identificatie)
    for woord in trefwoorden or []:
        # JSON text containment is the one way that reads the same on SQLite and PostgreSQL.
        needle = '"' + woord.replace("\\", "\\\\").replace('"', '\\"') + '"'
        stmt = stmt.where(cast(zaaktypen.c.trefwoorden, Text).contains(needle, autoescape=True))
    if datum_geldigheid is not None:
        stmt = stmt.where(geldig_op(zaaktypen.c.begin_geldigheid, zaaktypen.c.einde_geldigheid, datum_geldigheid))
    return stmt


SUBTABLES: dict[str, Table] = {"statustypen": statustypen, "roltypen": roltypen,
                               "resultaattypen": resultaattypen, "eigenschappen": eigenschappen,
                               "zaakobjecttypen": zaakobjecttypen}


async def zaaktype_children(session: AsyncSession, ids: Sequence[int]) -> dict[int, dict[str, list[str]]]:
    """The URLs of the types under each zaaktype of a page, and of its besluittypen: one query for all kinds,
    whatever the page size."""
    out: dict[int, dict[str, list[str]]] = {i: {name: [] for name in (*SUBTABLES, "besluittypen",
                                                                       "informatieobjecttypen")} for i in ids}
    if not ids:
        return out
    parts: list[Any] = [
        select(table.c.zaaktype_id.label("zaaktype_id"), table.c.uuid.label("uuid"), literal(name).label("kind"),
               (table.c.volgnummer if name == "statustypen" else table.c.id).label("rang"))
        .where(table.c.zaaktype_id.in_(ids)) for name, table in SUBTABLES.items()]
    parts.append(select(zaaktype_besluittypen.c.zaaktype_id.label("zaaktype_id"), besluittypen.c.uuid.label("uuid"),
                        literal("besluittypen").label("kind"), besluittypen.c.id.label("rang"))
                 .join(besluittypen, besluittypen.c.id == zaaktype_besluittypen.c.besluittype_id)
                 .where(zaaktype_besluittypen.c.zaaktype_id.in_(ids)))
    ztiot = zaaktype_informatieobjecttypen
    parts.append(select(ztiot.c.zaaktype_id.label("zaaktype_id"), informatieobjecttypen.c.uuid.label("uuid"),
                        literal("informatieobjecttypen").label("kind"), ztiot.c.volgnummer.label("rang"))
                 .join(informatieobjecttypen, informatieobjecttypen.c.id == ztiot.c.iotype_id)
                 .where(ztiot.c.zaaktype_id.in_(ids)))
    union = union_all(*parts).subquery()
    rows = (await session.execute(select(union).order_by(union.c.kind, union.c.rang))).all()
    for row in rows:
        if row.uuid not in out[row.zaaktype_id][row.kind]:
            out[row.zaaktype_id][row.kind].append(row.uuid)
    return out


def serialize_zaaktype(request: Request, row: Any, children: dict[str, list[str]]) -> dict[str, Any]:
    out = {k: v for k, v in row.gegevens.items() if k != "kolom"}
    out.update({
        "url": zaaktype_url(request, row.uuid), "uuid": row.uuid, "concept": row.concept,
        "catalogus": catalogus_url(request, row.catalogus_uuid),
        "beginGeldigheid": iso_date(row.begin_geldigheid), "eindeGeldigheid": iso_date(row.einde_geldigheid),
        **{name: [resource_url(request, CATALOGI_PREFIX, name, u) for u in uuids]
           for name, uuids in children.items()},
    })
    for key in ("beginObject", "eindeObject", "servicenorm", "verlengingstermijn"):
        out.setdefault(key, None)
    without_blank(out, "selectielijstProcestype")
    if isinstance(out.get("referentieproces"), dict):
        out["referentieproces"] = without_blank(dict(out["referentieproces"]), "link")
    return out


# --- the types under a zaaktype ---------------------------------------------------------------------


@dataclass(frozen=True)
class SubType:
    """One kind of type under a zaaktype: its table, its body and the columns a rule or filter needs."""

    collection: str
    table: Table
    model: type[ZgwBody]
    columns: Callable[[Any], dict[str, Any]]


ZTIOT = "zaaktype-informatieobjecttypen"

SUBTYPES = {
    "statustypen": SubType("statustypen", statustypen, schemas.StatusTypeIn,
                           lambda b: {"omschrijving": b.omschrijving, "volgnummer": b.volgnummer}),
    "roltypen": SubType("roltypen", roltypen, schemas.RolTypeIn,
                        lambda b: {"omschrijving": b.omschrijving, "omschrijving_generiek": b.omschrijving_generiek}),
    "resultaattypen": SubType("resultaattypen", resultaattypen, schemas.ResultaatTypeIn,
                              lambda b: {"omschrijving": b.omschrijving, "archiefnominatie": b.archiefnominatie}),
    "eigenschappen": SubType("eigenschappen", eigenschappen, schemas.EigenschapIn, lambda b: {"naam": b.naam}),
    "zaakobjecttypen": SubType("zaakobjecttypen", zaakobjecttypen, schemas.ZaakObjectTypeIn,
                               lambda b: {"objecttype": b.objecttype, "relatie_omschrijving": b.relatie_omschrijving,
                                          "ander_objecttype": b.ander_objecttype,
                                          "begin_geldigheid": b.begin_geldigheid,
                                          "einde_geldigheid": b.einde_geldigheid}),
    ZTIOT: SubType(ZTIOT, zaaktype_informatieobjecttypen, schemas.ZaakTypeInformatieObjectTypeIn,
                   lambda b: {"volgnummer": b.volgnummer, "richting": b.richting}),
}


async def _concept_zaaktype_id(session: AsyncSession, request: Request, url: str,
                               auth: AuthContext | None = None) -> int:
    found = uuid_from_url(request, url, CATALOGI_PREFIX, "zaaktypen")
    row = None
    if found:
        row = (await session.execute(select(zaaktypen.c.id, zaaktypen.c.concept)
                                     .where(zaaktypen.c.uuid == found).with_for_update())).first()
    if row is None:
        raise ValidatieFout.single("zaaktype", "bad-url", "Het zaaktype bestaat niet.")
    if auth is not None:
        await require_zaaktype_write(session, request, auth, row.id)
    if not row.concept:
        raise ValidatieFout.single("zaaktype", "non-concept-zaaktype",
                                   "Het zaaktype is gepubliceerd; alleen een concept kan nog wijzigen.")
    return int(row.id)


async def _same_zaaktype(session: AsyncSession, request: Request, table: Table, collection: str,
                         urls: Sequence[str], zaaktype_id: int, field: str | None = None) -> None:
    """Each URL names a type of this collection under the given zaaktype; ``field`` for a single reference."""
    for i, url in enumerate(urls):
        found = uuid_from_url(request, url, CATALOGI_PREFIX, collection)
        row = None
        if found:
            row = (await session.execute(select(table.c.zaaktype_id).where(table.c.uuid == found))).first()
        if row is None:
            raise ValidatieFout.single(field or f"{collection}.{i}", "bad-url", f"Dit {collection[:-2]} bestaat niet.")
        if row.zaaktype_id != zaaktype_id:
            raise ValidatieFout.single(field or collection, "zaaktype-mismatch",
                                       f"De {collection} horen niet bij hetzelfde zaaktype.")


async def _check_sub_refs(session: AsyncSession, request: Request, kind: SubType, body: Any,
                          zaaktype_id: int) -> list[int]:
    """Checks what a type refers to; returns the ids of a resultaattype's besluittypen."""
    catalogus_id = (await session.execute(select(zaaktypen.c.catalogus_id)
                                          .where(zaaktypen.c.id == zaaktype_id))).scalar_one()
    if kind.collection == "zaakobjecttypen":
        if uuid_from_url(request, body.catalogus, CATALOGI_PREFIX, "catalogussen") != (await session.execute(
                select(catalogussen.c.uuid).where(catalogussen.c.id == catalogus_id))).scalar_one():
            raise ValidatieFout.single("catalogus", "relations-incorrect-catalogus",
                                       "De catalogus is niet die van het zaaktype.")
        await _same_zaaktype(session, request, statustypen, "statustypen", body.statustypen, zaaktype_id)
        await _same_zaaktype(session, request, resultaattypen, "resultaattypen", body.resultaattypen, zaaktype_id)
        return []
    if kind.collection == "resultaattypen":
        for i, url in enumerate(body.informatieobjecttypen):
            found = uuid_from_url(request, url, CATALOGI_PREFIX, "informatieobjecttypen")
            row = None
            if found:
                row = (await session.execute(select(informatieobjecttypen.c.catalogus_id).where(
                    informatieobjecttypen.c.uuid == found))).first()
            if row is None:
                raise ValidatieFout.single(f"informatieobjecttypen.{i}", "bad-url",
                                           "Het informatieobjecttype bestaat niet.")
            if row.catalogus_id != catalogus_id:
                raise ValidatieFout.single("informatieobjecttypen", "relations-incorrect-catalogus",
                                           "Informatieobjecttypen moeten tot dezelfde catalogus behoren.")
        return await besluittype_ids(session, request, body.besluittypen, catalogus_id)
    if kind.collection in ("eigenschappen", ZTIOT) and body.statustype:
        await _same_zaaktype(session, request, statustypen, "statustypen", [body.statustype], zaaktype_id,
                             field="statustype")
    if kind.collection == ZTIOT:
        # One informatieobjecttype: the one the URL names, or the newest version of the omschrijving.
        named = await typen.iotype_ids(session, request, catalogus_id, [body.informatieobjecttype],
                                       field="informatieobjecttype")
        return [named[0][-1]]
    if kind.collection == "statustypen" and body.eigenschappen:
        raise ValidatieFout.single("eigenschappen", "bad-url", "Koppel eigenschappen via het eigenschap zelf.")
    return []


async def create_subtype(session: AsyncSession, request: Request, kind: SubType, body: Any,
                         auth: AuthContext | None = None) -> str:
    # What the Referentielijsten API says is asked before the zaaktype is locked: a slow answer holds no lock.
    gegevens, columns = await _stored(session, request, kind, body)
    zaaktype_id = await _concept_zaaktype_id(session, request, body.zaaktype, auth)
    linked = await _check_sub_refs(session, request, kind, body, zaaktype_id)
    new_uuid = str(uuid.uuid4())
    try:
        async with session.begin_nested():
            new_id = (await session.execute(insert(kind.table).values(
                uuid=new_uuid, zaaktype_id=zaaktype_id, gegevens=gegevens, **columns,
                **_own_refs(kind, linked)).returning(kind.table.c.id))).scalar_one()
    except IntegrityError:
        field = "volgnummer" if kind.collection in ("statustypen", ZTIOT) else "naam"
        raise ValidatieFout.single(field, "unique", f"Dit {field} bestaat al binnen het zaaktype.") from None
    if kind.collection == "resultaattypen":
        await _link(session, resultaattype_besluittypen, "resultaattype_id", new_id, "besluittype_id", linked)
    return new_uuid


async def _stored(session: AsyncSession, request: Request, kind: SubType,
                  body: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """The ``gegevens`` and columns a type is stored with: its body, and for a resultaattype what it takes from the
    Referentielijsten API (``omschrijvingGeneriek``, a default archiefnominatie and archiefactietermijn)."""
    gegevens = body.model_dump(mode="json", by_alias=True)
    columns = kind.columns(body)
    if kind.collection == "resultaattypen":
        referentielijsten.check_brondatum(gegevens.get("brondatumArchiefprocedure"))
        found = uuid_from_url(request, body.zaaktype, CATALOGI_PREFIX, "zaaktypen")
        zaaktype = (await session.execute(select(zaaktypen.c.gegevens).where(zaaktypen.c.uuid == found))
                    ).scalar_one_or_none() if found else None
        if zaaktype is None:
            raise ValidatieFout.single("zaaktype", "bad-url", "Het zaaktype bestaat niet.")
        procestype = zaaktype.get("selectielijstProcestype") or ""
        derived = await referentielijsten.resultaattype_afleidingen(request, gegevens, procestype)
        gegevens.update(derived)
        if "archiefnominatie" in derived:
            columns["archiefnominatie"] = derived["archiefnominatie"]
    return gegevens, columns


def _own_refs(kind: SubType, linked: list[int]) -> dict[str, Any]:
    """The reference a type keeps in a column of its own: a zaaktype-informatieobjecttype's informatieobjecttype."""
    return {"iotype_id": linked[0]} if kind.collection == ZTIOT else {}


def subtype_query(kind: SubType) -> Select[Any]:
    cols: list[Any] = [kind.table, zaaktypen.c.uuid.label("zaaktype_uuid"),
                       zaaktypen.c.identificatie.label("zaaktype_identificatie"),
                       zaaktypen.c.concept.label("zaaktype_concept"), catalogussen.c.uuid.label("catalogus_uuid")]
    if kind.collection == "statustypen":
        highest = (select(func.max(statustypen.c.volgnummer)).where(
            statustypen.c.zaaktype_id == zaaktypen.c.id).correlate(zaaktypen).scalar_subquery())
        cols.append(highest.label("hoogste_volgnummer"))
    stmt = (select(*cols).join(zaaktypen, zaaktypen.c.id == kind.table.c.zaaktype_id)
            .join(catalogussen, catalogussen.c.id == zaaktypen.c.catalogus_id))
    if kind.collection == ZTIOT:
        stmt = stmt.add_columns(informatieobjecttypen.c.uuid.label("iotype_uuid")).join(
            informatieobjecttypen, informatieobjecttypen.c.id == zaaktype_informatieobjecttypen.c.iotype_id)
    return stmt


async def get_subtype_row(session: AsyncSession, kind: SubType, sub_uuid: str, request: Request | None = None,
                          auth: AuthContext | None = None) -> Any:
    """One type; with ``auth`` only one that client may see (403 otherwise)."""
    unfiltered = stmt = subtype_query(kind).where(kind.table.c.uuid == sub_uuid)
    if request is not None and auth is not None:
        stmt = stmt.where(authz.zaaktype_clause(request, auth, zaaktypen.c.id, zaaktypen.c.catalogus_id))
    row = (await session.execute(stmt)).first()
    if row is None:
        raise await refused_or_absent(session, unfiltered)
    return row


async def update_subtype(session: AsyncSession, request: Request, kind: SubType, sub_uuid: str,
                         patch: dict[str, Any], *, partial: bool, auth: AuthContext | None = None) -> None:
    row = await get_subtype_row(session, kind, sub_uuid, request, auth)
    body = kind.model.model_validate({**row.gegevens, **patch} if partial else patch)
    gegevens, columns = await _stored(session, request, kind, body)
    old_zaaktype_id = await _concept_zaaktype_id(session, request, _zaaktype_url_of(request, row), auth)
    zaaktype_id = await _concept_zaaktype_id(session, request, body.zaaktype)  # type: ignore[attr-defined]
    if zaaktype_id != old_zaaktype_id:
        raise ValidatieFout.single("zaaktype", "wijzigen-niet-toegelaten", "Het zaaktype kan niet wijzigen.")
    linked = await _check_sub_refs(session, request, kind, body, zaaktype_id)
    try:
        async with session.begin_nested():
            await session.execute(update(kind.table).where(kind.table.c.id == row.id).values(
                gegevens=gegevens, **columns, **_own_refs(kind, linked)))
    except IntegrityError:
        raise ValidatieFout.single("nonFieldErrors", "unique", "Deze waarde bestaat al binnen het zaaktype.") from None
    if kind.collection == "resultaattypen":
        await _link(session, resultaattype_besluittypen, "resultaattype_id", row.id, "besluittype_id", linked)


async def delete_subtype(session: AsyncSession, request: Request, kind: SubType, sub_uuid: str,
                         auth: AuthContext | None = None) -> None:
    row = await get_subtype_row(session, kind, sub_uuid, request, auth)
    zaaktype = (await session.execute(select(zaaktypen.c.id, zaaktypen.c.concept).where(
        zaaktypen.c.uuid == row.zaaktype_uuid).with_for_update())).one()
    await _require_delete(session, request, auth, zaaktype.id, zaaktype.concept, field="zaaktype",
                          code="non-concept-zaaktype",
                          message="Het zaaktype is gepubliceerd; alleen een concept kan nog wijzigen.")
    if kind.collection == "resultaattypen":
        await session.execute(delete(resultaattype_besluittypen).where(
            resultaattype_besluittypen.c.resultaattype_id == row.id))
    await session.execute(delete(kind.table).where(kind.table.c.id == row.id))


def _zaaktype_url_of(request: Request, row: Any) -> str:
    return zaaktype_url(request, row.zaaktype_uuid)


def subtype_list_query(request: Request, kind: SubType, *, zaaktype: str | None, zaaktype_identificatie: str | None,
                       status: str | None, datum_geldigheid: date | None,
                       omschrijving_generiek: str | None = None, auth: AuthContext | None = None) -> Select[Any]:
    stmt = subtype_query(kind).where(concept_filter(zaaktypen.c.concept, status)).order_by(kind.table.c.id)
    if auth is not None:
        stmt = stmt.where(authz.zaaktype_clause(request, auth, zaaktypen.c.id, zaaktypen.c.catalogus_id))
    if zaaktype is not None:
        found = uuid_from_url(request, zaaktype, CATALOGI_PREFIX, "zaaktypen")
        stmt = stmt.where(zaaktypen.c.uuid == found) if found else stmt.where(false())
    if zaaktype_identificatie is not None:
        stmt = stmt.where(zaaktypen.c.identificatie == zaaktype_identificatie)
    if omschrijving_generiek is not None:
        stmt = stmt.where(roltypen.c.omschrijving_generiek == omschrijving_generiek)
    if datum_geldigheid is not None and kind.collection == "zaakobjecttypen":
        stmt = stmt.where(geldig_op(zaakobjecttypen.c.begin_geldigheid, zaakobjecttypen.c.einde_geldigheid,
                                    datum_geldigheid))
    elif datum_geldigheid is not None:
        # A type without its own geldigheid is valid as long as its zaaktype is.
        stmt = stmt.where(geldig_op(zaaktypen.c.begin_geldigheid, zaaktypen.c.einde_geldigheid, datum_geldigheid))
    return stmt


def ztiot_filters(request: Request, stmt: Select[Any], *, informatieobjecttype: str | None,
                  richting: str | None) -> Select[Any]:
    """The filters only ``GET /zaaktype-informatieobjecttypen`` has; ``informatieobjecttype`` by URL or omschrijving."""
    if informatieobjecttype is not None:
        if informatieobjecttype.startswith(("http://", "https://")):
            found = uuid_from_url(request, informatieobjecttype, CATALOGI_PREFIX, "informatieobjecttypen")
            stmt = stmt.where(informatieobjecttypen.c.uuid == found) if found else stmt.where(false())
        else:
            stmt = stmt.where(informatieobjecttypen.c.omschrijving == informatieobjecttype)
    if richting is not None:
        stmt = stmt.where(zaaktype_informatieobjecttypen.c.richting == richting)
    return stmt


def zaakobjecttype_filters(request: Request, stmt: Select[Any], *, catalogus: str | None,
                           ander_objecttype: bool | None, datum_begin_geldigheid: date | None,
                           datum_einde_geldigheid: date | None, objecttype: str | None,
                           relatie_omschrijving: str | None) -> Select[Any]:
    """The filters only ``GET /zaakobjecttypen`` has."""
    table = zaakobjecttypen
    if catalogus is not None:
        found = uuid_from_url(request, catalogus, CATALOGI_PREFIX, "catalogussen")
        stmt = stmt.where(catalogussen.c.uuid == found) if found else stmt.where(false())
    for value, column in ((ander_objecttype, table.c.ander_objecttype),
                          (datum_begin_geldigheid, table.c.begin_geldigheid),
                          (datum_einde_geldigheid, table.c.einde_geldigheid), (objecttype, table.c.objecttype),
                          (relatie_omschrijving, table.c.relatie_omschrijving)):
        if value is not None:
            stmt = stmt.where(column == value)
    return stmt


_UUID_AT_END = re.compile(r"([0-9a-fA-F-]{36})/?$")


def _uuid_of(url: Any) -> str | None:
    match = _UUID_AT_END.search(str(url or ""))
    return match.group(1).lower() if match else None


async def subtype_extras(session: AsyncSession, kind: SubType, rows: Sequence[Any]) -> dict[int, dict[str, Any]]:
    """What the answer of a page of types shows from other tables: a resultaattype's besluittype and
    informatieobjecttype omschrijvingen and the zaakobjecttypen that name it, the zaakobjecttype that names a
    statustype. A fixed number of queries, whatever the page size."""
    out: dict[int, dict[str, Any]] = {r.id: {} for r in rows}
    if not rows or kind.collection not in ("resultaattypen", "statustypen"):
        return out
    field = kind.collection
    objecttypen = (await session.execute(select(zaakobjecttypen.c.uuid, zaakobjecttypen.c.gegevens).where(
        zaakobjecttypen.c.zaaktype_id.in_({r.zaaktype_id for r in rows})).order_by(zaakobjecttypen.c.id))).all()
    naming: dict[str, list[str]] = {}
    for objecttype in objecttypen:
        for url in objecttype.gegevens.get(field) or []:
            naming.setdefault(_uuid_of(url) or "", []).append(objecttype.uuid)
    for row in rows:
        out[row.id]["zaakobjecttypen"] = naming.get(row.uuid, [])
    if kind.collection == "resultaattypen":
        links = (await session.execute(
            select(resultaattype_besluittypen.c.resultaattype_id, besluittypen.c.omschrijving)
            .join(besluittypen, besluittypen.c.id == resultaattype_besluittypen.c.besluittype_id)
            .where(resultaattype_besluittypen.c.resultaattype_id.in_([r.id for r in rows]))
            .order_by(besluittypen.c.id))).all()
        for row in rows:
            out[row.id]["besluittypeOmschrijving"] = []
        for link in links:
            out[link.resultaattype_id]["besluittypeOmschrijving"].append(link.omschrijving)
        wanted = {_uuid_of(u) for r in rows for u in r.gegevens.get("informatieobjecttypen") or []} - {None}
        names: dict[str, str] = {}
        if wanted:
            found = await session.execute(select(informatieobjecttypen.c.uuid, informatieobjecttypen.c.omschrijving)
                                          .where(informatieobjecttypen.c.uuid.in_(wanted)))
            names = {uuid: omschrijving for uuid, omschrijving in found}
        for row in rows:
            out[row.id]["informatieobjecttypeOmschrijving"] = [
                names[u] for u in (_uuid_of(x) for x in row.gegevens.get("informatieobjecttypen") or []) if u in names]
    return out


def serialize_subtype(request: Request, kind: SubType, row: Any,
                      extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """A type as the API shows it; ``extra`` is what ``subtype_extras`` found for it (lists without it leave
    those relations empty)."""
    extra = extra or {}
    out = {k: v for k, v in row.gegevens.items() if k != "uitkomst" or kind.collection == "resultaattypen"}
    out.update({
        "url": resource_url(request, CATALOGI_PREFIX, kind.collection, row.uuid), "uuid": row.uuid,
        "zaaktype": zaaktype_url(request, row.zaaktype_uuid), "zaaktypeIdentificatie": row.zaaktype_identificatie,
        "catalogus": catalogus_url(request, row.catalogus_uuid),
    })
    for key in ("beginGeldigheid", "eindeGeldigheid", "beginObject", "eindeObject"):
        out.setdefault(key, None)
    if kind.collection == ZTIOT:
        out["informatieobjecttype"] = resource_url(request, CATALOGI_PREFIX, "informatieobjecttypen", row.iotype_uuid)
        out.setdefault("statustype", None)
        for key in ("beginGeldigheid", "eindeGeldigheid", "beginObject", "eindeObject"):
            out.pop(key, None)
    if kind.collection == "statustypen":
        out["isEindstatus"] = row.volgnummer == row.hoogste_volgnummer
        # The zaakobjecttype that names this statustype, if one does; none is left out, not invented.
        if extra.get("zaakobjecttypen"):
            out["zaakobjecttype"] = resource_url(request, CATALOGI_PREFIX, "zaakobjecttypen",
                                                 extra["zaakobjecttypen"][0])
        out.setdefault("doorlooptijd", None)
        out.setdefault("toelichting", None)
    elif kind.collection == "resultaattypen":
        out["omschrijvingGeneriek"] = row.gegevens.get("omschrijvingGeneriek", "")
        out["besluittypeOmschrijving"] = list(dict.fromkeys(extra.get("besluittypeOmschrijving", [])))
        out["informatieobjecttypeOmschrijving"] = list(dict.fromkeys(extra.get("informatieobjecttypeOmschrijving", [])))
        out["zaakobjecttypen"] = [resource_url(request, CATALOGI_PREFIX, "zaakobjecttypen", u)
                                  for u in extra.get("zaakobjecttypen", [])]
        out["uitkomst"] = uitkomst_of(row.gegevens)
    return out


_UITKOMSTEN = {"toegekend": "toegekend", "gedeeltelijk toegekend": "gedeeltelijk-toegekend",
               "afgewezen": "afgewezen", "ingetrokken": "ingetrokken", "buiten behandeling": "buiten-behandeling"}


def uitkomst_of(gegevens: dict[str, Any]) -> str | None:
    """What a resultaattype means for the resident: set on the type, or read from its omschrijving."""
    return gegevens.get("uitkomst") or _UITKOMSTEN.get(str(gegevens.get("omschrijving", "")).strip().lower())


def dump(body: BaseModel) -> dict[str, Any]:
    return body.model_dump(mode="json", by_alias=True)
