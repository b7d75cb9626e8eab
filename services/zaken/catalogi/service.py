"""Use cases of the catalogue: catalogussen, zaaktypen with concept and publish, and their types.

Rules (Catalogi API 1.3.1, as Open Zaak applies them):
- a new zaaktype is a concept; only a concept can be changed or deleted, except that a published
  zaaktype may still get its ``eindeGeldigheid`` (how an old version is closed when a new one starts);
- status-, rol-, resultaattypen and eigenschappen are added, changed and removed only while their
  zaaktype is a concept (``non-concept-zaaktype``);
- two versions of one zaaktype (same ``identificatie`` in one catalogus) may not overlap in
  ``beginGeldigheid``..``eindeGeldigheid`` (``overlap``);
- publishing needs at least two statustypen, a roltype and a resultaattype: a published zaaktype
  has to be usable for a zaak from start to end.
"""

from __future__ import annotations

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
    or_,
    select,
    true,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from sds.runtime.errors import NotFound, ValidatieFout
from services.zaken.catalogi import schemas
from services.zaken.catalogi.models import (
    catalogussen,
    eigenschappen,
    resultaattypen,
    roltypen,
    statustypen,
    zaaktypen,
)
from services.zaken.common import (
    CATALOGI_PREFIX,
    check_rsin,
    iso_date,
    resource_url,
    uuid_from_url,
    without_blank,
)

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


async def catalogus_children(session: AsyncSession, ids: Sequence[int]) -> dict[int, list[str]]:
    rows = (await session.execute(
        select(zaaktypen.c.catalogus_id, zaaktypen.c.uuid).where(zaaktypen.c.catalogus_id.in_(ids))
        .order_by(zaaktypen.c.id))).all()
    out: dict[int, list[str]] = {i: [] for i in ids}
    for row in rows:
        out[row.catalogus_id].append(row.uuid)
    return out


def serialize_catalogus(request: Request, row: Any, zaaktype_uuids: list[str]) -> dict[str, Any]:
    # An absent e-mail address is left out: the spec types the field as an address, which "" is not.
    gegevens = {k: v for k, v in row.gegevens.items() if v != "" or k != "contactpersoonBeheerEmailadres"}
    return {**gegevens, "url": catalogus_url(request, row.uuid), "uuid": row.uuid,
            "zaaktypen": [zaaktype_url(request, u) for u in zaaktype_uuids],
            "besluittypen": [], "informatieobjecttypen": []}


# --- zaaktypen ----------------------------------------------------------------------------------------


async def _catalogus_id(session: AsyncSession, request: Request, url: str) -> int:
    found = uuid_from_url(request, url, CATALOGI_PREFIX, "catalogussen")
    row = None
    if found:
        row = (await session.execute(select(catalogussen.c.id).where(catalogussen.c.uuid == found))).first()
    if row is None:
        raise ValidatieFout.single("catalogus", "bad-url", "De catalogus bestaat niet.")
    return int(row.id)


async def _check_zaaktype_refs(session: AsyncSession, request: Request, body: schemas.ZaakTypeIn,
                               catalogus_id: int) -> None:
    if body.besluittypen:
        # This service offers no besluittypen, so no URL can point at one of them.
        raise ValidatieFout.single("besluittypen", "bad-url", "Deze catalogus kent geen besluittypen.")
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


async def create_zaaktype(session: AsyncSession, request: Request, body: schemas.ZaakTypeIn) -> str:
    catalogus_id = await _catalogus_id(session, request, body.catalogus)
    await _check_zaaktype_refs(session, request, body, catalogus_id)
    await _check_overlap(session, catalogus_id, body.identificatie, body.begin_geldigheid, body.einde_geldigheid)
    new_uuid = str(uuid.uuid4())
    await session.execute(insert(zaaktypen).values(uuid=new_uuid, catalogus_id=catalogus_id, concept=True,
                                                   **_zaaktype_columns(body)))
    return new_uuid


async def get_zaaktype_row(session: AsyncSession, zaaktype_uuid: str, *, for_update: bool = False) -> Any:
    stmt = zaaktype_query().where(zaaktypen.c.uuid == zaaktype_uuid)
    if for_update:
        stmt = stmt.with_for_update(of=zaaktypen)
    row = (await session.execute(stmt)).first()
    if row is None:
        raise NotFound()
    return row


# Fields of a published zaaktype that may still change: closing a version is how a new one takes over.
_PUBLISHED_MUTABLE = {"eindeGeldigheid", "eindeObject"}


async def update_zaaktype(session: AsyncSession, request: Request, zaaktype_uuid: str,
                          patch: dict[str, Any], *, partial: bool) -> None:
    row = await get_zaaktype_row(session, zaaktype_uuid, for_update=True)
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
    await _check_zaaktype_refs(session, request, body, catalogus_id)
    await _check_overlap(session, catalogus_id, body.identificatie, body.begin_geldigheid, body.einde_geldigheid,
                         exclude_id=row.id)
    await session.execute(update(zaaktypen).where(zaaktypen.c.id == row.id).values(**_zaaktype_columns(body)))


async def delete_zaaktype(session: AsyncSession, zaaktype_uuid: str) -> None:
    row = await get_zaaktype_row(session, zaaktype_uuid, for_update=True)
    # Only a concept can go, and a concept never had zaken (they need a published zaaktype).
    if not row.concept:
        raise ValidatieFout.single("nonFieldErrors", "non-concept-object",
                                   "Het is niet toegestaan om een gepubliceerd zaaktype te verwijderen.")
    for table in (eigenschappen, resultaattypen, roltypen, statustypen):
        await session.execute(delete(table).where(table.c.zaaktype_id == row.id))
    await session.execute(delete(zaaktypen).where(zaaktypen.c.id == row.id))


async def publish_zaaktype(session: AsyncSession, zaaktype_uuid: str) -> None:
    row = await get_zaaktype_row(session, zaaktype_uuid, for_update=True)
    if not row.concept:
        return  # publishing twice changes nothing
    counts = {}
    for name, table in (("statustypen", statustypen), ("roltypen", roltypen), ("resultaattypen", resultaattypen)):
        counts[name] = (await session.execute(
            select(func.count()).select_from(table).where(table.c.zaaktype_id == row.id))).scalar_one()
    problems = []
    if counts["statustypen"] < 2:
        problems.append({"name": "statustypen", "code": "concept-relation",
                         "reason": "Een zaaktype heeft minstens twee statustypen nodig (begin en eind)."})
    if counts["roltypen"] < 1:
        problems.append({"name": "roltypen", "code": "concept-relation",
                         "reason": "Een zaaktype heeft minstens één roltype nodig."})
    if counts["resultaattypen"] < 1:
        problems.append({"name": "resultaattypen", "code": "concept-relation",
                         "reason": "Een zaaktype heeft minstens één resultaattype nodig."})
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
                        datum_geldigheid: date | None) -> Select[Any]:
    stmt = zaaktype_query().where(concept_filter(zaaktypen.c.concept, status)).order_by(zaaktypen.c.id)
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
                               "resultaattypen": resultaattypen, "eigenschappen": eigenschappen}


async def zaaktype_children(session: AsyncSession, ids: Sequence[int]) -> dict[int, dict[str, list[str]]]:
    """The URLs of the types under each zaaktype of a page: one query per kind, whatever the page size."""
    out: dict[int, dict[str, list[str]]] = {i: {name: [] for name in SUBTABLES} for i in ids}
    if not ids:
        return out
    for name, table in SUBTABLES.items():
        order = table.c.volgnummer if name == "statustypen" else table.c.id
        rows = (await session.execute(select(table.c.zaaktype_id, table.c.uuid)
                                      .where(table.c.zaaktype_id.in_(ids)).order_by(order))).all()
        for row in rows:
            out[row.zaaktype_id][name].append(row.uuid)
    return out


def serialize_zaaktype(request: Request, row: Any, children: dict[str, list[str]]) -> dict[str, Any]:
    out = {k: v for k, v in row.gegevens.items() if k != "kolom"}
    out.update({
        "url": zaaktype_url(request, row.uuid), "uuid": row.uuid, "concept": row.concept,
        "catalogus": catalogus_url(request, row.catalogus_uuid),
        "beginGeldigheid": iso_date(row.begin_geldigheid), "eindeGeldigheid": iso_date(row.einde_geldigheid),
        "zaakobjecttypen": [], "informatieobjecttypen": [],
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
    model: type[schemas.Geldigheid]
    columns: Callable[[Any], dict[str, Any]]


SUBTYPES = {
    "statustypen": SubType("statustypen", statustypen, schemas.StatusTypeIn,
                           lambda b: {"omschrijving": b.omschrijving, "volgnummer": b.volgnummer}),
    "roltypen": SubType("roltypen", roltypen, schemas.RolTypeIn,
                        lambda b: {"omschrijving": b.omschrijving, "omschrijving_generiek": b.omschrijving_generiek}),
    "resultaattypen": SubType("resultaattypen", resultaattypen, schemas.ResultaatTypeIn,
                              lambda b: {"omschrijving": b.omschrijving, "archiefnominatie": b.archiefnominatie}),
    "eigenschappen": SubType("eigenschappen", eigenschappen, schemas.EigenschapIn, lambda b: {"naam": b.naam}),
}


async def _concept_zaaktype_id(session: AsyncSession, request: Request, url: str) -> int:
    found = uuid_from_url(request, url, CATALOGI_PREFIX, "zaaktypen")
    row = None
    if found:
        row = (await session.execute(select(zaaktypen.c.id, zaaktypen.c.concept)
                                     .where(zaaktypen.c.uuid == found).with_for_update())).first()
    if row is None:
        raise ValidatieFout.single("zaaktype", "bad-url", "Het zaaktype bestaat niet.")
    if not row.concept:
        raise ValidatieFout.single("zaaktype", "non-concept-zaaktype",
                                   "Het zaaktype is gepubliceerd; alleen een concept kan nog wijzigen.")
    return int(row.id)


async def _check_sub_refs(session: AsyncSession, request: Request, kind: SubType, body: Any,
                          zaaktype_id: int) -> None:
    if kind.collection == "eigenschappen" and body.statustype:
        found = uuid_from_url(request, body.statustype, CATALOGI_PREFIX, "statustypen")
        row = None
        if found:
            row = (await session.execute(select(statustypen.c.zaaktype_id)
                                         .where(statustypen.c.uuid == found))).first()
        if row is None:
            raise ValidatieFout.single("statustype", "bad-url", "Het statustype bestaat niet.")
        if row.zaaktype_id != zaaktype_id:
            raise ValidatieFout.single("statustype", "zaaktype-mismatch",
                                       "Het statustype hoort niet bij hetzelfde zaaktype.")
    for field in ("besluittypen", "informatieobjecttypen", "eigenschappen"):
        if kind.collection != "eigenschappen" and getattr(body, field, None):
            raise ValidatieFout.single(field, "bad-url", f"Deze catalogus kent geen {field} om naar te verwijzen.")


async def create_subtype(session: AsyncSession, request: Request, kind: SubType, body: Any) -> str:
    zaaktype_id = await _concept_zaaktype_id(session, request, body.zaaktype)
    await _check_sub_refs(session, request, kind, body, zaaktype_id)
    new_uuid = str(uuid.uuid4())
    try:
        async with session.begin_nested():
            await session.execute(insert(kind.table).values(
                uuid=new_uuid, zaaktype_id=zaaktype_id, gegevens=body.model_dump(mode="json", by_alias=True),
                **kind.columns(body)))
    except IntegrityError:
        field = "volgnummer" if kind.collection == "statustypen" else "naam"
        raise ValidatieFout.single(field, "unique", f"Dit {field} bestaat al binnen het zaaktype.") from None
    return new_uuid


def subtype_query(kind: SubType) -> Select[Any]:
    cols: list[Any] = [kind.table, zaaktypen.c.uuid.label("zaaktype_uuid"),
                       zaaktypen.c.identificatie.label("zaaktype_identificatie"),
                       zaaktypen.c.concept.label("zaaktype_concept"), catalogussen.c.uuid.label("catalogus_uuid")]
    if kind.collection == "statustypen":
        highest = (select(func.max(statustypen.c.volgnummer)).where(
            statustypen.c.zaaktype_id == zaaktypen.c.id).correlate(zaaktypen).scalar_subquery())
        cols.append(highest.label("hoogste_volgnummer"))
    return (select(*cols).join(zaaktypen, zaaktypen.c.id == kind.table.c.zaaktype_id)
            .join(catalogussen, catalogussen.c.id == zaaktypen.c.catalogus_id))


async def get_subtype_row(session: AsyncSession, kind: SubType, sub_uuid: str) -> Any:
    row = (await session.execute(subtype_query(kind).where(kind.table.c.uuid == sub_uuid))).first()
    if row is None:
        raise NotFound()
    return row


async def update_subtype(session: AsyncSession, request: Request, kind: SubType, sub_uuid: str,
                         patch: dict[str, Any], *, partial: bool) -> None:
    row = await get_subtype_row(session, kind, sub_uuid)
    body = kind.model.model_validate({**row.gegevens, **patch} if partial else patch)
    old_zaaktype_id = await _concept_zaaktype_id(session, request, _zaaktype_url_of(request, row))
    zaaktype_id = await _concept_zaaktype_id(session, request, body.zaaktype)  # type: ignore[attr-defined]
    if zaaktype_id != old_zaaktype_id:
        raise ValidatieFout.single("zaaktype", "wijzigen-niet-toegelaten", "Het zaaktype kan niet wijzigen.")
    await _check_sub_refs(session, request, kind, body, zaaktype_id)
    try:
        async with session.begin_nested():
            await session.execute(update(kind.table).where(kind.table.c.id == row.id).values(
                gegevens=body.model_dump(mode="json", by_alias=True), **kind.columns(body)))
    except IntegrityError:
        raise ValidatieFout.single("nonFieldErrors", "unique", "Deze waarde bestaat al binnen het zaaktype.") from None


async def delete_subtype(session: AsyncSession, request: Request, kind: SubType, sub_uuid: str) -> None:
    row = await get_subtype_row(session, kind, sub_uuid)
    await _concept_zaaktype_id(session, request, _zaaktype_url_of(request, row))
    await session.execute(delete(kind.table).where(kind.table.c.id == row.id))


def _zaaktype_url_of(request: Request, row: Any) -> str:
    return zaaktype_url(request, row.zaaktype_uuid)


def subtype_list_query(request: Request, kind: SubType, *, zaaktype: str | None, zaaktype_identificatie: str | None,
                       status: str | None, datum_geldigheid: date | None,
                       omschrijving_generiek: str | None = None) -> Select[Any]:
    stmt = subtype_query(kind).where(concept_filter(zaaktypen.c.concept, status)).order_by(kind.table.c.id)
    if zaaktype is not None:
        found = uuid_from_url(request, zaaktype, CATALOGI_PREFIX, "zaaktypen")
        stmt = stmt.where(zaaktypen.c.uuid == found) if found else stmt.where(false())
    if zaaktype_identificatie is not None:
        stmt = stmt.where(zaaktypen.c.identificatie == zaaktype_identificatie)
    if omschrijving_generiek is not None:
        stmt = stmt.where(roltypen.c.omschrijving_generiek == omschrijving_generiek)
    if datum_geldigheid is not None:
        # A type without its own geldigheid is valid as long as its zaaktype is.
        stmt = stmt.where(geldig_op(zaaktypen.c.begin_geldigheid, zaaktypen.c.einde_geldigheid, datum_geldigheid))
    return stmt


def serialize_subtype(request: Request, kind: SubType, row: Any) -> dict[str, Any]:
    out = {k: v for k, v in row.gegevens.items() if k != "uitkomst" or kind.collection == "resultaattypen"}
    out.update({
        "url": resource_url(request, CATALOGI_PREFIX, kind.collection, row.uuid), "uuid": row.uuid,
        "zaaktype": zaaktype_url(request, row.zaaktype_uuid), "zaaktypeIdentificatie": row.zaaktype_identificatie,
        "catalogus": catalogus_url(request, row.catalogus_uuid),
    })
    for key in ("beginGeldigheid", "eindeGeldigheid", "beginObject", "eindeObject"):
        out.setdefault(key, None)
    if kind.collection == "statustypen":
        out["isEindstatus"] = row.volgnummer == row.hoogste_volgnummer
        # No zaakobjecttype: this catalogue has no zaakobjecttypen, and an invented URL would mislead.
        out.setdefault("doorlooptijd", None)
        out.setdefault("toelichting", None)
    elif kind.collection == "resultaattypen":
        out["omschrijvingGeneriek"] = row.gegevens.get("omschrijving", "")
        out["besluittypeOmschrijving"] = []
        out["informatieobjecttypeOmschrijving"] = []
        out["zaakobjecttypen"] = []
        out["uitkomst"] = uitkomst_of(row.gegevens)
    return out


_UITKOMSTEN = {"toegekend": "toegekend", "gedeeltelijk toegekend": "gedeeltelijk-toegekend",
               "afgewezen": "afgewezen", "ingetrokken": "ingetrokken", "buiten behandeling": "buiten-behandeling"}


def uitkomst_of(gegevens: dict[str, Any]) -> str | None:
    """What a resultaattype means for the resident: set on the type, or read from its omschrijving."""
    return gegevens.get("uitkomst") or _UITKOMSTEN.get(str(gegevens.get("omschrijving", "")).strip().lower())


def dump(body: BaseModel) -> dict[str, Any]:
    return body.model_dump(mode="json", by_alias=True)
