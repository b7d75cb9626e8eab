"""Objectinformatieobjecten: the Documenten API's copy of a zaak's or besluit's relation to a document.

The standard's two-sided relation (as Open Zaak keeps it with a Zaken or Besluiten API of another component):
the canonical side is the zaakinformatieobject or besluitinformatieobject, created first; the Zaken API then
registers it here. So a relation is accepted only when the other side has it (``inconsistent-relation``), and
removed only when the other side no longer has it (``remote-relation-exists``); a zaak or besluit relates to a
document once (``unique``).
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, delete, insert, select

from sds.runtime.errors import NotFound, ValidatieFout
from services.documenten.common import Ctx
from services.documenten.informatieobjecten import service as documenten
from services.documenten.informatieobjecten.models import informatieobjecten
from services.documenten.objectinformatieobjecten import schemas
from services.documenten.objectinformatieobjecten.models import objectinformatieobjecten
from services.documenten.zaken import zaken

RESOURCE = "objectinformatieobject"
EVENT = "nl.overheid.documenten.objectinformatieobject"


def select_() -> Select[Any]:
    return (select(objectinformatieobjecten, informatieobjecten.c.uuid.label("document_uuid"),
                   informatieobjecten.c.informatieobjecttype)
            .join(informatieobjecten, informatieobjecten.c.id == objectinformatieobjecten.c.informatieobject_id))


def serialize(ctx: Ctx, row: Any) -> dict[str, Any]:
    return {"url": ctx.url("objectinformatieobjecten", row.uuid),
            "informatieobject": ctx.url(documenten.COLLECTION, row.document_uuid),
            "object": row.object, "objectType": row.object_type}


def _event(ctx: Ctx, row_uuid: str, document_uuid: str, iotype: str, obj: str, object_type: str) -> dict[str, Any]:
    return {"objectinformatieobject": ctx.url("objectinformatieobjecten", row_uuid),
            "informatieobject": ctx.url(documenten.COLLECTION, document_uuid), "informatieobjecttype": iotype,
            "object": obj, "objectType": object_type}


async def create(ctx: Ctx, body: schemas.ObjectInformatieObjectIn, scope: str) -> str:
    found = ctx.uuid_from_url(body.informatieobject, documenten.COLLECTION)
    if found is None:
        raise ValidatieFout.single("informatieobject", "bad-url", "Het informatieobject is geen document van deze API.")
    try:
        doc = await documenten.stored(ctx, found, scope, lock=True)
    except NotFound:
        raise ValidatieFout.single("informatieobject", "does_not_exist", "Het informatieobject bestaat niet.") from None
    client = zaken(ctx.request)
    if client.object_prefix(body.object_type, body.object) is None:
        raise ValidatieFout.single("object", "bad-url", f"Het object is geen {body.object_type} van deze suite.")
    if (await ctx.session.execute(select(objectinformatieobjecten.c.id).where(
            objectinformatieobjecten.c.informatieobject_id == doc.id,
            objectinformatieobjecten.c.object == body.object))).first():
        raise ValidatieFout.single("nonFieldErrors", "unique",
                                   "De velden object en informatieobject moeten een unieke set zijn.")
    if not await client.relatie_bestaat(body.object_type, body.object, body.informatieobject):
        raise ValidatieFout.single("nonFieldErrors", "inconsistent-relation",
                                   "De relatie bestaat niet aan de kant van het object; zij kan hier niet "
                                   "aangemaakt worden.")
    new_uuid = str(uuid.uuid4())
    await ctx.session.execute(insert(objectinformatieobjecten).values(
        uuid=new_uuid, informatieobject_id=doc.id, object=body.object, object_type=body.object_type))
    url = ctx.url("objectinformatieobjecten", new_uuid)
    await documenten.audit(ctx, doc.id, doc.uuid, "create", body.object_type, None,
                           body.model_dump(mode="json", by_alias=True), resource=RESOURCE, resource_url=url)
    await ctx.record(f"{EVENT}-aangemaakt", _event(ctx, new_uuid, doc.uuid, doc.informatieobjecttype, body.object,
                                                   body.object_type), subject=new_uuid, dataref=url)
    return new_uuid


async def stored(ctx: Ctx, oio_uuid: str, scope: str) -> tuple[Any, Any]:
    row = (await ctx.session.execute(select_().where(objectinformatieobjecten.c.uuid == oio_uuid))).first()
    if row is None:
        raise NotFound()
    return row, await documenten.stored(ctx, row.document_uuid, scope, lock=True)


async def delete_(ctx: Ctx, oio_uuid: str, scope: str) -> None:
    row, doc = await stored(ctx, oio_uuid, scope)
    shown = serialize(ctx, row)
    if await zaken(ctx.request).relatie_bestaat(row.object_type, row.object, shown["informatieobject"]):
        raise ValidatieFout.single("nonFieldErrors", "remote-relation-exists",
                                   "De relatie bestaat nog aan de kant van het object; zij kan hier niet "
                                   "verwijderd worden.")
    await ctx.session.execute(delete(objectinformatieobjecten).where(objectinformatieobjecten.c.id == row.id))
    await documenten.audit(ctx, doc.id, doc.uuid, "destroy", row.object_type, shown, None, resource=RESOURCE,
                           resource_url=shown["url"])
    await ctx.record(f"{EVENT}-verwijderd", _event(ctx, row.uuid, doc.uuid, doc.informatieobjecttype, row.object,
                                                   row.object_type), subject=row.uuid, dataref=shown["url"])
