"""One ZGW ``AuditTrail`` entry: every change of a resource, by whom, with the old and new values.

Each ZGW API keeps its own (the Zaken API per zaak, the Besluiten API per besluit, the Documenten API per
informatieobject), in its own table; the shape of an entry is the standard's, written here once.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from fastapi import Request

from sds.runtime.auth import AuthContext

_ACTIES = {"create": "Object aangemaakt", "update": "Object bijgewerkt", "partial_update": "Object deels bijgewerkt",
           "destroy": "Object verwijderd"}
_STATUS = {"create": 201, "update": 200, "partial_update": 200, "destroy": 204}


def entry(auth: AuthContext, request: Request | None, *, bron: str, hoofd_object: str, actie: str, resource: str,
          resource_url: str, weergave: str, oud: dict[str, Any] | None,
          nieuw: dict[str, Any] | None) -> tuple[str, datetime, dict[str, Any]]:
    """(uuid, time, body) of an entry of component ``bron`` for the main object ``hoofd_object``."""
    now = datetime.now(UTC)
    toelichting = request.headers.get("x-audit-toelichting", "")[:1000] if request is not None else ""
    new_uuid = str(uuid.uuid4())
    return new_uuid, now, {
        "uuid": new_uuid, "bron": bron, "applicatieId": auth.client_id[:100],
        "applicatieWeergave": auth.client_id[:200], "gebruikersId": auth.user_id[:255],
        "gebruikersWeergave": auth.user_representation[:255], "actie": actie,
        "actieWeergave": _ACTIES.get(actie, actie), "resultaat": _STATUS.get(actie, 200),
        "hoofdObject": hoofd_object, "resource": resource, "resourceUrl": resource_url,
        "toelichting": toelichting, "resourceWeergave": weergave[:200], "aanmaakdatum": now.isoformat(),
        "wijzigingen": {"oud": oud, "nieuw": nieuw}}
