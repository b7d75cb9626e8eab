"""Besluitinformatieobjecten: a besluit's relations to informatieobjecten in a (configured) Documenten API.

Rules (Besluiten API 1.0.2, as Open Zaak applies them to an external Documenten API):
- ``besluit`` is a besluit of this API (``bad-url``); the client needs the scope for its besluittype (403);
- the ``informatieobject`` is fetched from a configured Documenten API exactly as for a zaakinformatieobject
  (``bad-url``, ``invalid-resource``: ``services.zaken.zaken.documenten``); without one configured the answer
  is 400 as well;
- its informatieobjecttype is one of the besluittype's informatieobjecttypen
  (``missing-besluittype-informatieobjecttype-relation``);
- a besluit relates to an informatieobject once (``unique``); every change leaves an audittrail entry on the
  besluit and an event in the outbox;
- the relation is two-sided, as a zaakinformatieobject's (``services.zaken.zaken.informatieobjecten``): stored
  and committed here, then registered in the Documenten API; undone when that API refuses.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, delete, insert, select

from sds.runtime.errors import NotFound, PermissionDenied, ValidatieFout
from sds.runtime.scopes import BESLUITEN_AANMAKEN, BESLUITEN_LEZEN, BESLUITEN_VERWIJDEREN
from services.zaken import events
from services.zaken.besluiten import authz, schemas, service
from services.zaken.besluiten.models import besluiten, besluitinformatieobjecten
from services.zaken.catalogi.models import besluittype_iotypen, besluittypen, informatieobjecttypen
from services.zaken.common import BESLUITEN_PREFIX, CATALOGI_PREFIX, uuid_from_url
from services.zaken.zaken.context import Ctx
from services.zaken.zaken.informatieobjecten import documenten

RESOURCE = "besluitinformatieobject"


def select_() -> Select[Any]:
    return (select(besluitinformatieobjecten, besluiten.c.uuid.label("besluit_uuid"),
                   besluiten.c.besluittype_id, besluittypen.c.uuid.label("besluittype_uuid"))
            .join(besluiten, besluiten.c.id == besluitinformatieobjecten.c.besluit_id)
            .join(besluittypen, besluittypen.c.id == besluiten.c.besluittype_id))


def serialize(ctx: Ctx, row: Any) -> dict[str, Any]:
    return {"url": service.url(ctx, "besluitinformatieobjecten", row.uuid), "informatieobject": row.informatieobject,
            "besluit": service.url(ctx, "besluiten", row.besluit_uuid)}


async def _besluit(ctx: Ctx, value: str) -> Any:
    found = uuid_from_url(ctx.request, value, BESLUITEN_PREFIX, "besluiten")
    row = (await ctx.session.execute(service.select_().where(besluiten.c.uuid == found))).first() if found else None
    if row is None:
        raise ValidatieFout.single("besluit", "bad-url", "Het besluit bestaat niet.")
    return row


async def _allowed(ctx: Ctx, besluit_id: int, scope: str) -> bool:
    return ctx.auth.heeft_alle_autorisaties or (await ctx.session.execute(select(besluiten.c.id).where(
        besluiten.c.id == besluit_id, authz.clause(ctx.request, ctx.auth, scope, besluiten.c.besluittype_id)))
    ).first() is not None


async def create(ctx: Ctx, body: schemas.BesluitInformatieObjectIn) -> str:
    besluit = await _besluit(ctx, body.besluit)
    if not await _allowed(ctx, besluit.id, BESLUITEN_AANMAKEN):
        raise PermissionDenied("Deze applicatie heeft geen rechten op besluiten van dit besluittype voor deze actie.")
    document = await documenten(ctx.request).informatieobject(body.informatieobject)
    found = uuid_from_url(ctx.request, str(document["informatieobjecttype"]), CATALOGI_PREFIX, "informatieobjecttypen")
    related = (await ctx.session.execute(
        select(besluittype_iotypen.c.iotype_id)
        .join(informatieobjecttypen, informatieobjecttypen.c.id == besluittype_iotypen.c.iotype_id)
        .where(besluittype_iotypen.c.besluittype_id == besluit.besluittype_id,
               informatieobjecttypen.c.uuid == found))).first() if found else None
    if related is None:
        raise ValidatieFout.single("nonFieldErrors", "missing-besluittype-informatieobjecttype-relation",
                                   "Het informatieobjecttype hoort niet bij de informatieobjecttypen van het "
                                   "besluittype.")
    # Locked, so two clients relating the same informatieobject at once get one 201 and one ``unique``.
    await ctx.session.execute(select(besluiten.c.id).where(besluiten.c.id == besluit.id).with_for_update())
    if (await ctx.session.execute(select(besluitinformatieobjecten.c.id).where(
            besluitinformatieobjecten.c.besluit_id == besluit.id,
            besluitinformatieobjecten.c.informatieobject == body.informatieobject))).first():
        raise ValidatieFout.single("nonFieldErrors", "unique", "Dit informatieobject hoort al bij dit besluit.")
    new_uuid = str(uuid.uuid4())
    await ctx.session.execute(insert(besluitinformatieobjecten).values(
        uuid=new_uuid, besluit_id=besluit.id, informatieobject=body.informatieobject,
        registratiedatum=datetime.now(UTC)))
    return new_uuid


async def registered(ctx: Ctx, bio_uuid: str) -> None:
    """The Documenten API has the relation too: the creation enters the audittrail and the outbox."""
    row = (await ctx.session.execute(select_().where(besluitinformatieobjecten.c.uuid == bio_uuid))).one()
    shown = serialize(ctx, row)
    await service.audit_entry(ctx, row.besluit_id, row.besluit_uuid, "create", "informatieobject", None, shown,
                              resource=RESOURCE, resource_url=shown["url"])
    await events.record(ctx.uow, "nl.overheid.zaken.besluitinformatieobject-aangemaakt", _event(
        ctx, shown["url"], row.besluit_uuid, row.besluittype_uuid, row.informatieobject), subject=row.uuid,
        dataref=shown["url"])


async def forget(ctx: Ctx, bio_uuid: str) -> None:
    """Undo a creation the Documenten API did not take."""
    await ctx.session.execute(delete(besluitinformatieobjecten).where(besluitinformatieobjecten.c.uuid == bio_uuid))


def _event(ctx: Ctx, bio_url: str, besluit_uuid: str, besluittype_uuid: str, informatieobject: str) -> dict[str, Any]:
    return {"besluitinformatieobject": bio_url, "besluit": service.url(ctx, "besluiten", besluit_uuid),
            "besluittype": ctx.type_url("besluittypen", besluittype_uuid), "informatieobject": informatieobject}


async def read(ctx: Ctx, bio_uuid: str) -> dict[str, Any]:
    row = await _stored(ctx, bio_uuid, BESLUITEN_LEZEN)
    return serialize(ctx, row)


async def _stored(ctx: Ctx, bio_uuid: str, scope: str) -> Any:
    row = (await ctx.session.execute(select_().where(besluitinformatieobjecten.c.uuid == bio_uuid))).first()
    if row is None:
        raise NotFound()
    if not await _allowed(ctx, row.besluit_id, scope):
        raise PermissionDenied("Deze applicatie heeft geen rechten op besluiten van dit besluittype voor deze actie.")
    return row


async def delete_(ctx: Ctx, bio_uuid: str) -> Any:
    """Removed here; returns the row, for ``removed`` (or ``restore``) once the Documenten API has answered."""
    row = await _stored(ctx, bio_uuid, BESLUITEN_VERWIJDEREN)
    await ctx.session.execute(delete(besluitinformatieobjecten).where(besluitinformatieobjecten.c.id == row.id))
    return row


async def removed(ctx: Ctx, row: Any) -> None:
    bio_url = service.url(ctx, "besluitinformatieobjecten", row.uuid)
    await service.audit_entry(ctx, row.besluit_id, row.besluit_uuid, "destroy", "informatieobject",
                              serialize(ctx, row), None, resource=RESOURCE, resource_url=bio_url)
    await events.record(ctx.uow, "nl.overheid.zaken.besluitinformatieobject-verwijderd", _event(
        ctx, bio_url, row.besluit_uuid, row.besluittype_uuid, row.informatieobject), subject=row.uuid, dataref=bio_url)


async def restore(ctx: Ctx, row: Any) -> None:
    """Put back a relation the Documenten API would not let go of."""
    await ctx.session.execute(insert(besluitinformatieobjecten).values(
        id=row.id, uuid=row.uuid, besluit_id=row.besluit_id, informatieobject=row.informatieobject,
        registratiedatum=row.registratiedatum))
