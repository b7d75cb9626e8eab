"""Zaakinformatieobjecten: the relation of a zaak to an informatieobject in a Documenten API.

ZGW rules applied here (Zaken API 1.5.1, as Open Zaak applies them to an external Documenten API):
- the ``informatieobject`` is fetched and must be an informatieobject of a configured Documenten API
  (``bad-url``, ``invalid-resource``, see ``documenten``);
- its informatieobjecttype must be one of the zaaktype's catalogus (``missing-zaaktype-informatieobjecttype-relation``);
- a zaak relates to an informatieobject once (``unique``); ``zaak`` and ``informatieobject`` do not change
  afterwards (``wijzigen-niet-toegelaten``); a ``status`` must be one of the zaak's own;
- a closed zaak changes only with ``zaken.geforceerd-bijwerken``; every change leaves an audittrail entry;
- the relation is two-sided: once stored (committed: the Documenten API checks it), it is registered in the
  Documenten API as an objectinformatieobject, and removed there once it is gone here; when the Documenten API
  refuses, the change here is undone and the answer is 400 ``pending-relations`` (as Open Zaak answers).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from fastapi import Request
from sqlalchemy import Select, delete, insert, select, update

from sds.runtime.errors import NotFound, ValidatieFout
from services.zaken.catalogi.models import informatieobjecttypen
from services.zaken.common import CATALOGI_PREFIX, ZAKEN_PREFIX, uuid_from_url
from services.zaken.settings import ZakenSettings
from services.zaken.zaken import audit, schemas
from services.zaken.zaken.access import authorise_write, zaak_by_url, zaak_by_uuid
from services.zaken.zaken.context import Ctx, aware
from services.zaken.zaken.documenten import Documenten
from services.zaken.zaken.models import statussen, zaakinformatieobjecten, zaken

AARD_RELATIE = "Hoort bij, omgekeerd: kent"

_READ_ONLY = ("url", "uuid", "aardRelatieWeergave", "registratiedatum")


def documenten(request: Request) -> Documenten:
    """The Documenten API client of this app, made from its settings the first time it is needed."""
    state = request.app.state
    if getattr(state, "documenten", None) is None:
        settings = state.settings
        if not isinstance(settings, ZakenSettings):
            settings = ZakenSettings(**settings.model_dump())  # the zaken settings from the environment
        state.documenten = Documenten(settings)
    return state.documenten  # type: ignore[no-any-return]


async def _check(ctx: Ctx, body: schemas.ZaakInformatieObjectIn, zaak: Any, document: dict[str, Any] | None) -> None:
    if body.status:
        found = uuid_from_url(ctx.request, body.status, ZAKEN_PREFIX, "statussen")
        row = (await ctx.session.execute(select(statussen.c.zaak_id).where(statussen.c.uuid == found))).first() \
            if found else None
        if row is None:
            raise ValidatieFout.single("status", "bad-url", "De status bestaat niet.")
        if row.zaak_id != zaak.id:
            raise ValidatieFout.single("status", "invalid", "De status hoort niet bij deze zaak.")
    if document is None:
        return
    found = uuid_from_url(ctx.request, str(document["informatieobjecttype"]), CATALOGI_PREFIX, "informatieobjecttypen")
    iotype = (await ctx.session.execute(select(informatieobjecttypen.c.catalogus_id).where(
        informatieobjecttypen.c.uuid == found))).first() if found else None
    if iotype is None or iotype.catalogus_id != zaak.catalogus_id:
        raise ValidatieFout.single("nonFieldErrors", "missing-zaaktype-informatieobjecttype-relation",
                                   "Het informatieobjecttype hoort niet bij het zaaktype van de zaak.")


async def create(ctx: Ctx, body: schemas.ZaakInformatieObjectIn) -> str:
    scopes = ("zaken.aanmaken", "zaken.bijwerken", "zaken.geforceerd-bijwerken")
    zaak = await zaak_by_url(ctx, body.zaak)
    await authorise_write(ctx, zaak, scopes)
    # Fetched before the zaak is locked: the Documenten API's answer time is not spent holding the lock.
    document = await documenten(ctx.request).informatieobject(body.informatieobject)
    zaak = await zaak_by_url(ctx, body.zaak, lock=True)
    await _check(ctx, body, zaak, document)
    if (await ctx.session.execute(select(zaakinformatieobjecten.c.id).where(
            zaakinformatieobjecten.c.zaak_id == zaak.id,
            zaakinformatieobjecten.c.informatieobject == body.informatieobject))).first():
        raise ValidatieFout.single("nonFieldErrors", "unique",
                                   "Dit informatieobject hoort al bij deze zaak.")
    new_uuid = str(uuid.uuid4())
    gegevens = body.model_dump(mode="json", by_alias=True)
    await ctx.session.execute(insert(zaakinformatieobjecten).values(
        uuid=new_uuid, zaak_id=zaak.id, informatieobject=body.informatieobject, registratiedatum=datetime.now(UTC),
        gegevens=gegevens))
    return new_uuid


async def registered(ctx: Ctx, zio_uuid: str) -> None:
    """The Documenten API has the relation too: the creation enters the audittrail."""
    row = (await ctx.session.execute(select_().where(zaakinformatieobjecten.c.uuid == zio_uuid))).one()
    await audit.record(ctx, zaak_uuid=row.zaak_uuid, actie="create", resource="zaakinformatieobject",
                       resource_url=ctx.url("zaakinformatieobjecten", zio_uuid),
                       weergave=row.gegevens.get("titel") or "informatieobject", oud=None, nieuw=row.gegevens)


async def forget(ctx: Ctx, zio_uuid: str) -> None:
    """Undo a creation the Documenten API did not take."""
    await ctx.session.execute(delete(zaakinformatieobjecten).where(zaakinformatieobjecten.c.uuid == zio_uuid))


def select_() -> Select[Any]:
    return (select(zaakinformatieobjecten, zaken.c.uuid.label("zaak_uuid"))
            .join(zaken, zaken.c.id == zaakinformatieobjecten.c.zaak_id))


def serialize(ctx: Ctx, row: Any) -> dict[str, Any]:
    g = row.gegevens
    return {"url": ctx.url("zaakinformatieobjecten", row.uuid), "uuid": row.uuid,
            "informatieobject": row.informatieobject, "zaak": ctx.url("zaken", row.zaak_uuid),
            "aardRelatieWeergave": AARD_RELATIE, "titel": g.get("titel", ""), "beschrijving": g.get("beschrijving", ""),
            "registratiedatum": aware(row.registratiedatum).isoformat(),
            "vernietigingsdatum": g.get("vernietigingsdatum"), "status": g.get("status") or None}


async def _stored(ctx: Ctx, zio_uuid: str, scopes: tuple[str, ...]) -> tuple[Any, Any]:
    row = (await ctx.session.execute(select_().where(zaakinformatieobjecten.c.uuid == zio_uuid))).first()
    if row is None:
        raise NotFound()
    zaak = await zaak_by_uuid(ctx, row.zaak_uuid, lock=True)
    await authorise_write(ctx, zaak, scopes)
    return row, zaak


async def update_(ctx: Ctx, zio_uuid: str, patch: dict[str, Any], *, partial: bool) -> None:
    row, zaak = await _stored(ctx, zio_uuid, ("zaken.bijwerken", "zaken.geforceerd-bijwerken"))
    given = {k: v for k, v in patch.items() if k not in _READ_ONLY}
    stored = {**row.gegevens, "zaak": ctx.url("zaken", row.zaak_uuid), "informatieobject": row.informatieobject}
    body = schemas.ZaakInformatieObjectIn.model_validate({**stored, **given} if partial else given)
    for field, changed in (("zaak", uuid_from_url(ctx.request, body.zaak, ZAKEN_PREFIX, "zaken") != row.zaak_uuid),
                           ("informatieobject", body.informatieobject != row.informatieobject)):
        if changed:
            raise ValidatieFout.single(field, "wijzigen-niet-toegelaten", f"{field} mag niet gewijzigd worden.")
    await _check(ctx, body, zaak, None)
    gegevens = body.model_dump(mode="json", by_alias=True)
    await ctx.session.execute(update(zaakinformatieobjecten).where(zaakinformatieobjecten.c.id == row.id)
                              .values(gegevens=gegevens))
    await audit.record(ctx, zaak_uuid=zaak.uuid, actie="partial_update" if partial else "update",
                       resource="zaakinformatieobject", resource_url=ctx.url("zaakinformatieobjecten", zio_uuid),
                       weergave=body.titel or "informatieobject", oud=row.gegevens, nieuw=gegevens)


async def delete_(ctx: Ctx, zio_uuid: str) -> Any:
    """Removed here; returns the row, for ``removed`` (or ``restore``) once the Documenten API has answered."""
    row, _ = await _stored(ctx, zio_uuid, ("zaken.bijwerken", "zaken.geforceerd-bijwerken", "zaken.verwijderen"))
    await ctx.session.execute(delete(zaakinformatieobjecten).where(zaakinformatieobjecten.c.id == row.id))
    return row


async def removed(ctx: Ctx, row: Any) -> None:
    await audit.record(ctx, zaak_uuid=row.zaak_uuid, actie="destroy", resource="zaakinformatieobject",
                       resource_url=ctx.url("zaakinformatieobjecten", row.uuid),
                       weergave=row.gegevens.get("titel") or "informatieobject", oud=row.gegevens, nieuw=None)


async def restore(ctx: Ctx, row: Any) -> None:
    """Put back a relation the Documenten API would not let go of."""
    await ctx.session.execute(insert(zaakinformatieobjecten).values(
        id=row.id, uuid=row.uuid, zaak_id=row.zaak_id, informatieobject=row.informatieobject,
        registratiedatum=row.registratiedatum, gegevens=row.gegevens))
