"""The events of the zaken service, built from the contracts in ``contracts/events`` and written to the outbox.

Events that carry a household (``zaak-geopend``, ``resultaat-vastgesteld``, ``zaak-afgesloten``) exist only
for zaken of a household: a zaak a ZGW client registers without one is not part of the social domain's flow
until a ``huishouden`` zaakobject links it, and that is when it is announced as opened.
"""

from __future__ import annotations

from typing import Any

from contracts.events import make_event
from sds.runtime.app import UnitOfWork
from services.zaken.common import SOURCE


async def record(uow: UnitOfWork, event_type: str, data: dict[str, Any], *, subject: str, dataref: str) -> None:
    await uow.record(make_event(event_type, data, source=SOURCE, subject=subject, dataref=dataref))


def kolommen_of(zaak: Any) -> list[str]:
    """The kolommen a zaak is about: those triage named, else the kolom of its catalogus."""
    if zaak.kolommen:
        return [k for k in zaak.kolommen.split(",") if k]
    return [zaak.kolom] if zaak.kolom and zaak.kolom != "integraal" else []


def kenmerken(zaak: Any) -> dict[str, Any]:
    """What every zaak event carries for the ZGW notificatie made of it (its kenmerken bronorganisatie and
    vertrouwelijkheidaanduiding; zaaktype each event names already) and for its authorisation (the kolommen)."""
    return {"bronorganisatie": zaak.bronorganisatie, "vertrouwelijkheidaanduiding": zaak.vertrouwelijkheidaanduiding,
            "kolommen": kolommen_of(zaak) or None}
