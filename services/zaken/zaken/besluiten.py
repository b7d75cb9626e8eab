"""Zaakbesluiten: a zaak's side of its relation to a besluit in a Besluiten API (Zaken API 1.5.1).

As the standard has it, the Besluiten API keeps the relation in step: it registers a besluit with the zaak
when it records a besluit for that zaak and removes it when the besluit goes; clients only read. The suite's
own Besluiten API (``services.zaken.besluiten``) does so in its own transaction through ``register`` and
``unregister``; an external one through ``POST /zaken/{uuid}/besluiten``. Rules applied here, as Open Zaak applies them:
- only the zaak's URL is validated (it is the path: ``bad-url`` when it does not exist); ``besluit`` is the
  besluit's URL, up to 1000 characters;
- a zaak names a besluit once (``unique``);
- writing needs ``zaken.bijwerken`` for the zaak (a closed zaak ``zaken.geforceerd-bijwerken``); every change
  leaves an audittrail entry.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, delete, insert, select

from sds.runtime.errors import NotFound, ValidatieFout
from services.zaken.zaken import audit, schemas
from services.zaken.zaken.access import authorise_write, zaak_by_url, zaak_by_uuid
from services.zaken.zaken.context import Ctx
from services.zaken.zaken.models import zaakbesluiten, zaken

WRITE_SCOPES = ("zaken.bijwerken", "zaken.geforceerd-bijwerken")


def select_() -> Select[Any]:
    return (select(zaakbesluiten, zaken.c.uuid.label("zaak_uuid"))
            .join(zaken, zaken.c.id == zaakbesluiten.c.zaak_id))


def url(ctx: Ctx, zaak_uuid: str, besluit_uuid: str) -> str:
    return f"{ctx.url('zaken', zaak_uuid)}/besluiten/{besluit_uuid}"


def serialize(ctx: Ctx, row: Any) -> dict[str, Any]:
    return {"url": url(ctx, row.zaak_uuid, row.uuid), "uuid": row.uuid, "besluit": row.besluit}


async def create(ctx: Ctx, zaak_uuid: str, body: schemas.ZaakBesluitIn) -> str:
    # The one check the standard names: the zaak (in the path) exists; a 400, as its operation documents.
    zaak = await zaak_by_url(ctx, ctx.url("zaken", zaak_uuid), lock=True)
    await authorise_write(ctx, zaak, WRITE_SCOPES)
    return await register(ctx, zaak, body.besluit)


async def register(ctx: Ctx, zaak: Any, besluit: str) -> str:
    """Relate ``besluit`` to the (locked) ``zaak``: the Besluiten API of this service calls it in the transaction
    that records the besluit, having authorised the client for the besluit, as the BRC is the writer here."""
    if (await ctx.session.execute(select(zaakbesluiten.c.id).where(
            zaakbesluiten.c.zaak_id == zaak.id, zaakbesluiten.c.besluit == besluit))).first():
        raise ValidatieFout.single("besluit", "unique", "Dit besluit hoort al bij deze zaak.")
    new_uuid = str(uuid.uuid4())
    await ctx.session.execute(insert(zaakbesluiten).values(uuid=new_uuid, zaak_id=zaak.id, besluit=besluit))
    await audit.record(ctx, zaak_uuid=zaak.uuid, actie="create", resource="zaakbesluit",
                       resource_url=url(ctx, zaak.uuid, new_uuid), weergave="besluit",
                       oud=None, nieuw={"besluit": besluit})
    return new_uuid


async def delete_(ctx: Ctx, zaak_uuid: str, besluit_uuid: str) -> None:
    row = (await ctx.session.execute(select_().where(zaken.c.uuid == zaak_uuid,
                                                     zaakbesluiten.c.uuid == besluit_uuid))).first()
    if row is None:
        raise NotFound()
    zaak = await zaak_by_uuid(ctx, zaak_uuid, lock=True)
    await authorise_write(ctx, zaak, WRITE_SCOPES)
    await _remove(ctx, zaak.uuid, row)


async def unregister(ctx: Ctx, zaak_id: int, besluit: str) -> None:
    """Remove the relation of ``besluit`` from the zaak (when the besluit leaves it or goes), if it is there."""
    row = (await ctx.session.execute(select_().where(zaakbesluiten.c.zaak_id == zaak_id,
                                                     zaakbesluiten.c.besluit == besluit))).first()
    if row is not None:
        await _remove(ctx, row.zaak_uuid, row)


async def _remove(ctx: Ctx, zaak_uuid: str, row: Any) -> None:
    await ctx.session.execute(delete(zaakbesluiten).where(zaakbesluiten.c.id == row.id))
    await audit.record(ctx, zaak_uuid=zaak_uuid, actie="destroy", resource="zaakbesluit",
                       resource_url=url(ctx, zaak_uuid, row.uuid), weergave="besluit",
                       oud={"besluit": row.besluit}, nieuw=None)
