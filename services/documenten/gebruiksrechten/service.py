"""Use cases of gebruiksrechten: each belongs to a document and keeps its ``indicatieGebruiksrecht`` in step (set
while it has gebruiksrechten, unspecified when the last goes), in the latest version itself, not a new one."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, delete, insert, select, update

from sds.runtime.errors import NotFound, ValidatieFout
from services.documenten.common import Ctx
from services.documenten.gebruiksrechten import schemas
from services.documenten.gebruiksrechten.models import gebruiksrechten
from services.documenten.informatieobjecten import service as documenten
from services.documenten.informatieobjecten.models import informatieobjecten, versies

RESOURCE = "gebruiksrechten"


def select_() -> Select[Any]:
    return (select(gebruiksrechten, informatieobjecten.c.uuid.label("document_uuid"))
            .join(informatieobjecten, informatieobjecten.c.id == gebruiksrechten.c.informatieobject_id))


def _aware(value: datetime | None) -> datetime | None:
    return value if value is None or value.tzinfo else value.replace(tzinfo=UTC)


def serialize(ctx: Ctx, row: Any) -> dict[str, Any]:
    einddatum = _aware(row.einddatum)
    return {"url": ctx.url("gebruiksrechten", row.uuid),
            "informatieobject": ctx.url(documenten.COLLECTION, row.document_uuid),
            "startdatum": _aware(row.startdatum).isoformat(),  # type: ignore[union-attr]
            "einddatum": einddatum.isoformat() if einddatum else None,
            "omschrijvingVoorwaarden": row.omschrijving_voorwaarden}


async def document(ctx: Ctx, url: str, scope: str) -> Any:
    found = ctx.uuid_from_url(url, documenten.COLLECTION)
    if found is None:
        raise ValidatieFout.single("informatieobject", "bad-url", "Het informatieobject is geen document van deze API.")
    try:
        return await documenten.stored(ctx, found, scope, lock=True)
    except NotFound:
        raise ValidatieFout.single("informatieobject", "does_not_exist", "Het informatieobject bestaat niet.") from None


async def _indicatie(ctx: Ctx, row: Any, value: bool | None) -> None:
    gegevens = {**row.gegevens, "indicatieGebruiksrecht": value}
    await ctx.session.execute(update(versies).where(versies.c.informatieobject_id == row.id,
                                                    versies.c.versie == row.laatste_versie).values(gegevens=gegevens))


def _check(body: schemas.GebruiksrechtIn) -> None:
    if body.einddatum is not None and _aware(body.einddatum) < _aware(body.startdatum):  # type: ignore[operator]
        raise ValidatieFout.single("einddatum", "date-mismatch", "De einddatum ligt voor de startdatum.")


async def create(ctx: Ctx, body: schemas.GebruiksrechtIn, scope: str) -> str:
    _check(body)
    row = await document(ctx, body.informatieobject, scope)
    new_uuid = str(uuid.uuid4())
    await ctx.session.execute(insert(gebruiksrechten).values(
        uuid=new_uuid, informatieobject_id=row.id, startdatum=body.startdatum, einddatum=body.einddatum,
        omschrijving_voorwaarden=body.omschrijving_voorwaarden))
    await _indicatie(ctx, row, True)
    url = ctx.url("gebruiksrechten", new_uuid)
    await documenten.audit(ctx, row.id, row.uuid, "create", "gebruiksrecht", None,
                           body.model_dump(mode="json", by_alias=True), resource=RESOURCE, resource_url=url)
    return new_uuid


async def stored(ctx: Ctx, gebruiksrecht_uuid: str, scope: str) -> tuple[Any, Any]:
    """The gebruiksrecht and its document; 404 when absent, 403 when ``scope`` does not cover the document."""
    row = (await ctx.session.execute(select_().where(gebruiksrechten.c.uuid == gebruiksrecht_uuid))).first()
    if row is None:
        raise NotFound()
    return row, await documenten.stored(ctx, row.document_uuid, scope, lock=True)


async def update_(ctx: Ctx, gebruiksrecht_uuid: str, patch: dict[str, Any], scope: str, *, partial: bool) -> None:
    row, doc = await stored(ctx, gebruiksrecht_uuid, scope)
    old = serialize(ctx, row)
    given = {k: v for k, v in patch.items() if k != "url"}
    body = schemas.GebruiksrechtIn.model_validate({**old, **given} if partial else given)
    _check(body)
    if ctx.uuid_from_url(body.informatieobject, documenten.COLLECTION) != row.document_uuid:
        raise ValidatieFout.single("informatieobject", "wijzigen-niet-toegelaten",
                                   "Het informatieobject mag niet gewijzigd worden.")
    await ctx.session.execute(update(gebruiksrechten).where(gebruiksrechten.c.id == row.id).values(
        startdatum=body.startdatum, einddatum=body.einddatum, omschrijving_voorwaarden=body.omschrijving_voorwaarden))
    await documenten.audit(ctx, doc.id, doc.uuid, "partial_update" if partial else "update", "gebruiksrecht", old,
                           body.model_dump(mode="json", by_alias=True), resource=RESOURCE,
                           resource_url=old["url"])


async def delete_(ctx: Ctx, gebruiksrecht_uuid: str, scope: str) -> None:
    row, doc = await stored(ctx, gebruiksrecht_uuid, scope)
    await ctx.session.execute(delete(gebruiksrechten).where(gebruiksrechten.c.id == row.id))
    if (await ctx.session.execute(select(gebruiksrechten.c.id).where(
            gebruiksrechten.c.informatieobject_id == doc.id).limit(1))).first() is None:
        await _indicatie(ctx, doc, None)
    await documenten.audit(ctx, doc.id, doc.uuid, "destroy", "gebruiksrecht", serialize(ctx, row), None,
                           resource=RESOURCE, resource_url=ctx.url("gebruiksrechten", row.uuid))
