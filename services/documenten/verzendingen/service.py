"""Use cases of verzendingen: each belongs to a document and names exactly one way the betrokkene is reached (a
Dutch or foreign address, a postbus, fax, e-mail, MijnOverheid or telephone; ``invalid-address``, as Open Zaak
and the reference implementation have it)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, delete, insert, select, update

from sds.runtime.errors import NotFound, ValidatieFout
from services.documenten.common import Ctx
from services.documenten.gebruiksrechten.service import document
from services.documenten.informatieobjecten import service as documenten
from services.documenten.informatieobjecten.models import informatieobjecten
from services.documenten.verzendingen import schemas
from services.documenten.verzendingen.models import verzendingen

RESOURCE = "verzending"
_EMPTY: dict[str, Any] = {"binnenlandsCorrespondentieadres": None, "buitenlandsCorrespondentieadres": None,
                          "correspondentiePostadres": None}


def select_() -> Select[Any]:
    return (select(verzendingen, informatieobjecten.c.uuid.label("document_uuid"))
            .join(informatieobjecten, informatieobjecten.c.id == verzendingen.c.informatieobject_id))


def serialize(ctx: Ctx, row: Any) -> dict[str, Any]:
    return {"url": ctx.url("verzendingen", row.uuid), **_EMPTY, **row.gegevens,
            "informatieobject": ctx.url(documenten.COLLECTION, row.document_uuid)}


def _check(body: schemas.VerzendingIn) -> dict[str, Any]:
    if body.adressen() != 1:
        raise ValidatieFout.single("nonFieldErrors", "invalid-address",
                                   "Een verzending heeft precies één correspondentieadres.")
    return body.model_dump(mode="json", by_alias=True, exclude={"informatieobject"})


async def create(ctx: Ctx, body: schemas.VerzendingIn, scope: str) -> str:
    gegevens = _check(body)
    doc = await document(ctx, body.informatieobject, scope)
    new_uuid = str(uuid.uuid4())
    await ctx.session.execute(insert(verzendingen).values(
        uuid=new_uuid, informatieobject_id=doc.id, aard_relatie=body.aard_relatie, betrokkene=body.betrokkene,
        gegevens=gegevens))
    await documenten.audit(ctx, doc.id, doc.uuid, "create", RESOURCE, None, gegevens, resource=RESOURCE,
                           resource_url=ctx.url("verzendingen", new_uuid))
    return new_uuid


async def stored(ctx: Ctx, verzending_uuid: str, scope: str) -> tuple[Any, Any]:
    row = (await ctx.session.execute(select_().where(verzendingen.c.uuid == verzending_uuid))).first()
    if row is None:
        raise NotFound()
    return row, await documenten.stored(ctx, row.document_uuid, scope, lock=True)


async def update_(ctx: Ctx, verzending_uuid: str, patch: dict[str, Any], scope: str, *, partial: bool) -> None:
    row, doc = await stored(ctx, verzending_uuid, scope)
    old = serialize(ctx, row)
    given = {k: v for k, v in patch.items() if k != "url"}
    body = schemas.VerzendingIn.model_validate({**old, **given} if partial else given)
    gegevens = _check(body)
    if ctx.uuid_from_url(body.informatieobject, documenten.COLLECTION) != row.document_uuid:
        raise ValidatieFout.single("informatieobject", "wijzigen-niet-toegelaten",
                                   "Het informatieobject mag niet gewijzigd worden.")
    await ctx.session.execute(update(verzendingen).where(verzendingen.c.id == row.id).values(
        aard_relatie=body.aard_relatie, betrokkene=body.betrokkene, gegevens=gegevens))
    await documenten.audit(ctx, doc.id, doc.uuid, "partial_update" if partial else "update", RESOURCE,
                           row.gegevens, gegevens, resource=RESOURCE, resource_url=old["url"])


async def delete_(ctx: Ctx, verzending_uuid: str, scope: str) -> None:
    row, doc = await stored(ctx, verzending_uuid, scope)
    await ctx.session.execute(delete(verzendingen).where(verzendingen.c.id == row.id))
    await documenten.audit(ctx, doc.id, doc.uuid, "destroy", RESOURCE, row.gegevens, None, resource=RESOURCE,
                           resource_url=ctx.url("verzendingen", row.uuid))
