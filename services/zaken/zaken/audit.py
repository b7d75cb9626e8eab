"""The audittrail of a zaak (ZGW ``AuditTrail``): every change, by whom, with the old and new values."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert

from services.zaken.common import ZAKEN_PREFIX, resource_url
from services.zaken.zaken.models import audittrail

if TYPE_CHECKING:
    from services.zaken.zaken.service import Ctx

_ACTIES = {"create": "Object aangemaakt", "update": "Object bijgewerkt", "partial_update": "Object deels bijgewerkt",
           "destroy": "Object verwijderd"}
_STATUS = {"create": 201, "update": 200, "partial_update": 200, "destroy": 204}


async def record(ctx: Ctx, *, zaak_uuid: str, actie: str, resource: str, resource_url: str, weergave: str,
                 oud: dict[str, Any] | None, nieuw: dict[str, Any] | None) -> None:
    now = datetime.now(UTC)
    toelichting = ctx.request.headers.get("x-audit-toelichting", "")[:1000] if ctx.request is not None else ""
    new_uuid = str(uuid.uuid4())
    await ctx.session.execute(insert(audittrail).values(uuid=new_uuid, zaak_uuid=zaak_uuid, aanmaakdatum=now, gegevens={
        "uuid": new_uuid, "bron": "zrc", "applicatieId": ctx.auth.client_id[:100],
        "applicatieWeergave": ctx.auth.client_id[:200], "gebruikersId": ctx.auth.user_id[:255],
        "gebruikersWeergave": ctx.auth.user_representation[:255], "actie": actie,
        "actieWeergave": _ACTIES.get(actie, actie), "resultaat": _STATUS.get(actie, 200),
        "hoofdObject": _zaak_url(ctx, zaak_uuid), "resource": resource, "resourceUrl": resource_url,
        "toelichting": toelichting, "resourceWeergave": weergave[:200], "aanmaakdatum": now.isoformat(),
        "wijzigingen": {"oud": oud, "nieuw": nieuw}}))


def _zaak_url(ctx: Ctx, zaak_uuid: str) -> str:
    return resource_url(ctx.request, ZAKEN_PREFIX, "zaken", zaak_uuid)
