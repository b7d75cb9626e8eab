"""Finding the zaak (and the catalogue type) a request names, and whether the client may read or change it.

As the ZGW APIs answer (and Open Zaak): a zaak, or a resource under one, that exists outside the client's
autorisaties is 403 on a detail and on a write; one that does not exist is 404; lists leave out what the client
may not see. A closed zaak changes only with ``zaken.geforceerd-bijwerken``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from sds.runtime.errors import NotFound, PermissionDenied, ValidatieFout
from services.zaken.catalogi.models import (
    catalogussen,
    zaaktypen,
)
from services.zaken.common import (
    CATALOGI_PREFIX,
    ZAKEN_PREFIX,
    uuid_from_url,
)
from services.zaken.zaken import authz
from services.zaken.zaken.context import Ctx
from services.zaken.zaken.models import (
    zaken,
)


async def zaak_by_url(ctx: Ctx, url: str, field: str = "zaak", *, lock: bool = False) -> Any:
    found = uuid_from_url(ctx.request, url, ZAKEN_PREFIX, "zaken")
    row = None
    if found:
        stmt = select(zaken).where(zaken.c.uuid == found)
        row = (await ctx.session.execute(stmt.with_for_update() if lock else stmt)).first()
    if row is None:
        raise ValidatieFout.single(field, "bad-url", "De zaak bestaat niet.")
    return row


async def zaak_by_uuid(ctx: Ctx, zaak_uuid: str, *, lock: bool = False) -> Any:
    stmt = select(zaken).where(zaken.c.uuid == zaak_uuid)
    row = (await ctx.session.execute(stmt.with_for_update() if lock else stmt)).first()
    if row is None:
        raise NotFound()
    return row


async def granted(ctx: Ctx, zaak_id: int, scope: str) -> bool:
    if ctx.auth.heeft_alle_autorisaties:
        return True
    clause = authz.visible_clause(ctx.request, ctx.auth, scope)
    return (await ctx.session.execute(select(zaken.c.id).where(zaken.c.id == zaak_id, clause))).first() is not None


async def authorise_write(ctx: Ctx, zaak: Any, scopes: Sequence[str], *, closed_ok: bool = False) -> None:
    """403 unless one of ``scopes`` covers this zaak; a closed zaak also needs ``zaken.geforceerd-bijwerken``."""
    for scope in scopes:
        if await granted(ctx, zaak.id, scope):
            break
    else:
        raise PermissionDenied("Deze applicatie heeft geen rechten op deze zaak voor deze actie.")
    if zaak.einddatum is not None and not closed_ok and not await granted(ctx, zaak.id,
                                                                           "zaken.geforceerd-bijwerken"):
        raise PermissionDenied("De zaak is afgesloten; wijzigen vraagt de scope zaken.geforceerd-bijwerken.")


async def type_of(ctx: Ctx, table: Any, url: str, collection: str, field: str, zaak: Any) -> Any:
    found = uuid_from_url(ctx.request, url, CATALOGI_PREFIX, collection)
    row = None
    if found:
        row = (await ctx.session.execute(select(table).where(table.c.uuid == found))).first()
    if row is None:
        raise ValidatieFout.single(field, "bad-url", f"Het {field} bestaat niet.")
    if row.zaaktype_id != zaak.zaaktype_id:
        raise ValidatieFout.single(field, "zaaktype-mismatch",
                                   f"Het {field} hoort niet bij het zaaktype van de zaak.")
    return row


async def zaaktype_of_zaak(ctx: Ctx, zaak: Any) -> Any:
    return (await ctx.session.execute(
        select(zaaktypen, catalogussen.c.uuid.label("catalogus_uuid"))
        .join(catalogussen, catalogussen.c.id == zaaktypen.c.catalogus_id)
        .where(zaaktypen.c.id == zaak.zaaktype_id))).one()
