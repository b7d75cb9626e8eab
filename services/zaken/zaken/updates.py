"""Changing what hangs under a zaak: resultaten, zaakobjecten and zaakeigenschappen (PUT, PATCH, DELETE).

ZGW rules applied here (Zaken API 1.5.1, as Open Zaak applies them):
- a resultaat keeps its ``zaak`` and ``resultaattype``; a zaakobject its ``zaak``, ``object`` and
  ``objectType``; of a zaakeigenschap only the ``waarde`` may change (``wijzigen-niet-toegelaten``);
- a zaakobjecttype must belong to the zaak's zaaktype (``zaaktype-mismatch``);
- the scope is ``zaken.bijwerken`` for the zaak, within the client's zaaktype/catalogus/kolom and
  ``maxVertrouwelijkheidaanduiding``: one it may not see is 404, one it may see but not change is 403;
- a closed zaak changes only with ``zaken.geforceerd-bijwerken``;
- every change leaves an audittrail entry; a changed resultaat of a household's zaak is announced again
  (``resultaat-vastgesteld``), since its toekenningen are what financien acts on.

Read-only fields a client got from us (``url``, ``uuid``, ``naam``) may be sent back and are ignored.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, update

from sds.runtime.errors import NotFound, ValidatieFout
from services.zaken.catalogi.models import resultaattypen
from services.zaken.common import CATALOGI_PREFIX, ZAKEN_PREFIX, uuid_from_url
from services.zaken.zaken import audit, schemas, subresources
from services.zaken.zaken.access import authorise_write, type_of, zaak_by_uuid
from services.zaken.zaken.context import Ctx
from services.zaken.zaken.models import resultaten, zaakeigenschappen, zaakobjecten, zaken
from services.zaken.zaken.subresources import check_zaakobjecttype

_READ_ONLY = ("url", "uuid")


def _body(stored: dict[str, Any], patch: dict[str, Any], *, partial: bool, read_only: tuple[str, ...] = ()
          ) -> dict[str, Any]:
    given = {k: v for k, v in patch.items() if k not in (*_READ_ONLY, *read_only)}
    return {**stored, **given} if partial else given


def _immutable(field: str, changed: bool) -> None:
    if changed:
        raise ValidatieFout.single(field, "wijzigen-niet-toegelaten", f"{field} mag niet gewijzigd worden.")


async def _writable_zaak(ctx: Ctx, zaak_uuid: str) -> Any:
    """The zaak of a resource the client asks to change, locked until the commit: 403 if it may not change it (or
    the zaak is closed and it lacks ``zaken.geforceerd-bijwerken``)."""
    zaak = await zaak_by_uuid(ctx, zaak_uuid, lock=True)
    await authorise_write(ctx, zaak, ("zaken.bijwerken",))
    return zaak


# --- resultaten ----------------------------------------------------------------------------------------------


async def update_resultaat(ctx: Ctx, resultaat_uuid: str, patch: dict[str, Any], *, partial: bool) -> None:
    stmt = subresources.resultaat_select().where(resultaten.c.uuid == resultaat_uuid)
    row = (await ctx.session.execute(stmt)).first()
    if row is None:
        raise NotFound()
    zaak = await _writable_zaak(ctx, row.zaak_uuid)
    body = schemas.ResultaatIn.model_validate(_body(row.gegevens, patch, partial=partial))
    _immutable("zaak", uuid_from_url(ctx.request, body.zaak, ZAKEN_PREFIX, "zaken") != row.zaak_uuid)
    _immutable("resultaattype", uuid_from_url(ctx.request, body.resultaattype, CATALOGI_PREFIX,
                                              "resultaattypen") != row.resultaattype_uuid)
    resultaattype = await type_of(ctx, resultaattypen, body.resultaattype, "resultaattypen",
                                           "resultaattype", zaak)
    uitkomst = subresources.uitkomst_van(resultaattype, body)
    gegevens = body.model_dump(mode="json", by_alias=True)
    await ctx.session.execute(update(resultaten).where(resultaten.c.id == row.id).values(gegevens=gegevens))
    url = ctx.url("resultaten", resultaat_uuid)
    await audit.record(ctx, zaak_uuid=zaak.uuid, actie="partial_update" if partial else "update",
                       resource="resultaat", resource_url=url, weergave=resultaattype.omschrijving,
                       oud=row.gegevens, nieuw=gegevens)
    if gegevens["toekenningen"] != row.gegevens.get("toekenningen"):
        await subresources.resultaat_vastgesteld(ctx, zaak, url, resultaattype, uitkomst, gegevens["toekenningen"])


# --- zaakobjecten ----------------------------------------------------------------------------------------------


async def update_zaakobject(ctx: Ctx, zaakobject_uuid: str, patch: dict[str, Any], *, partial: bool) -> None:
    row = (await ctx.session.execute(subresources.zaakobject_select().where(
        zaakobjecten.c.uuid == zaakobject_uuid))).first()
    if row is None:
        raise NotFound()
    zaak = await _writable_zaak(ctx, row.zaak_uuid)
    body = schemas.ZaakObjectIn.model_validate(_body(row.gegevens, patch, partial=partial))
    _immutable("zaak", uuid_from_url(ctx.request, body.zaak, ZAKEN_PREFIX, "zaken") != row.zaak_uuid)
    _immutable("object", (body.object or None) != row.object)
    _immutable("objectType", body.object_type != row.object_type)
    if body.zaakobjecttype:
        await check_zaakobjecttype(ctx, body.zaakobjecttype, zaak)
    gegevens = body.model_dump(mode="json", by_alias=True)
    await ctx.session.execute(update(zaakobjecten).where(zaakobjecten.c.id == row.id).values(gegevens=gegevens))
    # The trail names the kind of object, not the object: a BSN does not belong in a weergave.
    await audit.record(ctx, zaak_uuid=zaak.uuid, actie="partial_update" if partial else "update",
                       resource="zaakobject", resource_url=ctx.url("zaakobjecten", zaakobject_uuid),
                       weergave=row.object_type, oud={"relatieomschrijving": row.gegevens.get("relatieomschrijving")},
                       nieuw={"relatieomschrijving": gegevens.get("relatieomschrijving")})


# --- zaakeigenschappen -----------------------------------------------------------------------------------------


async def _zaakeigenschap(ctx: Ctx, zaak_uuid: str, eigenschap_uuid: str) -> Any:
    row = (await ctx.session.execute(subresources.zaakeigenschap_select().where(
        zaken.c.uuid == zaak_uuid, zaakeigenschappen.c.uuid == eigenschap_uuid))).first()
    if row is None:
        raise NotFound()
    return row


async def update_zaakeigenschap(ctx: Ctx, zaak_uuid: str, eigenschap_uuid: str, patch: dict[str, Any], *,
                                partial: bool) -> None:
    row = await _zaakeigenschap(ctx, zaak_uuid, eigenschap_uuid)
    zaak = await _writable_zaak(ctx, row.zaak_uuid)
    stored = {"zaak": ctx.url("zaken", row.zaak_uuid), "eigenschap": ctx.type_url("eigenschappen", row.eigenschap_uuid),
              "waarde": row.waarde}
    body = schemas.ZaakEigenschapIn.model_validate(_body(stored, patch, partial=partial, read_only=("naam",)))
    _immutable("zaak", uuid_from_url(ctx.request, body.zaak, ZAKEN_PREFIX, "zaken") != row.zaak_uuid)
    _immutable("eigenschap", uuid_from_url(ctx.request, body.eigenschap, CATALOGI_PREFIX,
                                           "eigenschappen") != row.eigenschap_uuid)
    await ctx.session.execute(update(zaakeigenschappen).where(zaakeigenschappen.c.id == row.id)
                              .values(waarde=body.waarde))
    await audit.record(ctx, zaak_uuid=zaak.uuid, actie="partial_update" if partial else "update",
                       resource="zaakeigenschap", resource_url=ctx.url(f"zaken/{zaak.uuid}/zaakeigenschappen",
                                                                       eigenschap_uuid),
                       weergave=row.naam, oud={"waarde": row.waarde}, nieuw={"waarde": body.waarde})


async def delete_zaakeigenschap(ctx: Ctx, zaak_uuid: str, eigenschap_uuid: str) -> None:
    row = await _zaakeigenschap(ctx, zaak_uuid, eigenschap_uuid)
    zaak = await _writable_zaak(ctx, row.zaak_uuid)
    await ctx.session.execute(delete(zaakeigenschappen).where(zaakeigenschappen.c.id == row.id))
    await audit.record(ctx, zaak_uuid=zaak.uuid, actie="destroy", resource="zaakeigenschap",
                       resource_url=ctx.url(f"zaken/{zaak.uuid}/zaakeigenschappen", eigenschap_uuid),
                       weergave=row.naam, oud={"waarde": row.waarde}, nieuw=None)
