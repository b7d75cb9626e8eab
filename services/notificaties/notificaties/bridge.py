"""From an event on the bus to a notificatie in the Notificaties API's shape, from the event alone.

Declared as data: per event type the kanaal, the resource and the actie (the ZGW words ``create``, ``update``,
``destroy``), and which field of ``data`` is the hoofdObject. ``resourceUrl`` is the event's ``dataref``,
``aanmaakdatum`` its ``time``. ``kenmerken`` are taken from ``data`` by the kanaal's filter names only, so
nothing else of the event (and no personal data: the events carry none) reaches a subscriber. What authorisation
needs besides (kolommen, cluster, catalogus) is kept apart in the ``Bereik`` and never sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from contracts.envelope import CloudEvent, subject_for
from services.notificaties.abonnementen.domain import Bereik
from services.notificaties.kanalen.domain import KANALEN


@dataclass(frozen=True)
class Route:
    kanaal: str
    resource: str
    actie: str
    hoofd: str  # the field of data that is the hoofdObject


_Z, _B, _D = "nl.overheid.zaken.", "nl.sociaal-domein.", "nl.overheid.documenten."
ROUTES: dict[str, Route] = {
    f"{_Z}zaak-geopend": Route("zaken", "zaak", "create", "zaak"),
    f"{_Z}zaak-gemuteerd": Route("zaken", "zaak", "update", "zaak"),  # "destroy" when data.actie says so
    f"{_Z}zaak-afgesloten": Route("zaken", "zaak", "update", "zaak"),
    f"{_Z}status-gezet": Route("zaken", "status", "create", "zaak"),
    f"{_Z}resultaat-vastgesteld": Route("zaken", "resultaat", "create", "zaak"),
    f"{_Z}rol-toegevoegd": Route("zaken", "rol", "create", "zaak"),
    f"{_B}zaken.regisseur-gewijzigd": Route("zaken", "regisseur", "update", "zaak"),
    f"{_B}zaken.zaak-geescaleerd": Route("zaken", "zaak", "update", "zaak"),
    f"{_B}zaken.plan-gewijzigd": Route("zaken", "plan", "update", "plan"),
    f"{_Z}besluit-aangemaakt": Route("besluiten", "besluit", "create", "besluit"),
    f"{_Z}besluit-gewijzigd": Route("besluiten", "besluit", "update", "besluit"),
    f"{_Z}besluit-verwijderd": Route("besluiten", "besluit", "destroy", "besluit"),
    f"{_Z}besluitinformatieobject-aangemaakt": Route("besluiten", "besluitinformatieobject", "create", "besluit"),
    f"{_Z}besluitinformatieobject-verwijderd": Route("besluiten", "besluitinformatieobject", "destroy", "besluit"),
    f"{_D}enkelvoudiginformatieobject-aangemaakt": Route("documenten", "enkelvoudiginformatieobject", "create",
                                                        "informatieobject"),
    f"{_D}enkelvoudiginformatieobject-gewijzigd": Route("documenten", "enkelvoudiginformatieobject", "update",
                                                       "informatieobject"),
    f"{_D}enkelvoudiginformatieobject-verwijderd": Route("documenten", "enkelvoudiginformatieobject", "destroy",
                                                        "informatieobject"),
    f"{_D}objectinformatieobject-aangemaakt": Route("documenten", "objectinformatieobject", "create",
                                                   "informatieobject"),
    f"{_D}objectinformatieobject-verwijderd": Route("documenten", "objectinformatieobject", "destroy",
                                                   "informatieobject"),
    f"{_B}intake.aanvraag-ingediend": Route("aanvragen", "aanvraag", "create", "aanvraag"),
    f"{_B}intake.aanvraag-getrieerd": Route("aanvragen", "aanvraag", "update", "aanvraag"),
    f"{_B}intake.aanvraag-afgerond": Route("aanvragen", "aanvraag", "update", "aanvraag"),
    f"{_B}intake.termijn-overschreden": Route("aanvragen", "termijn", "update", "aanvraag"),
    f"{_B}intake.signaal-ontvangen": Route("signalen", "signaal", "create", "signaal"),
    f"{_B}klantgegevens.huishouden-gewijzigd": Route("klantgegevens", "huishouden", "update", "huishouden"),
    f"{_B}financien.toewijzing-afgegeven": Route("financien", "toewijzing", "create", "toewijzing"),
    f"{_B}financien.toewijzing-afgewezen": Route("financien", "toewijzing", "create", "toewijzing"),
    f"{_B}financien.toewijzing-gewijzigd": Route("financien", "toewijzing", "update", "toewijzing"),
    f"{_B}financien.toewijzing-beeindigd": Route("financien", "toewijzing", "update", "toewijzing"),
    f"{_B}financien.zorg-gestart": Route("financien", "zorg", "create", "toewijzing"),
    f"{_B}financien.zorg-gestopt": Route("financien", "zorg", "update", "toewijzing"),
    f"{_B}financien.declaratie-verwerkt": Route("financien", "declaratie", "create", "declaratie"),
    f"{_B}financien.budget-drempel-bereikt": Route("financien", "budget", "update", "budget"),
    f"{_B}financien.verzoek-om-toewijzing-ingediend": Route("financien", "verzoek", "create", "verzoek"),
    f"{_B}financien.verzoek-om-toewijzing-beantwoord": Route("financien", "verzoek", "update", "verzoek"),
    f"{_B}financien.verzoek-om-wijziging-ingediend": Route("financien", "verzoek", "create", "verzoek"),
    f"{_B}financien.verzoek-om-wijziging-beantwoord": Route("financien", "verzoek", "update", "verzoek"),
}

# The subjects the bridge's durable consumer reads: those of the event types above.
SUBJECTS: tuple[str, ...] = tuple(sorted({subject_for(t) for t in ROUTES}))
_FILTERS = {k.naam: k.filters for k in KANALEN}


@dataclass(frozen=True)
class Notificatie:
    kanaal: str
    bericht: dict[str, Any]
    bereik: Bereik


def _kenmerken(kanaal: str, data: Mapping[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for name in _FILTERS[kanaal]:
        value = data.get(name)
        if name == "kolom" and value is None and len(data.get("kolommen") or ()) == 1:
            value = data["kolommen"][0]
        if isinstance(value, str) and value:
            out[name] = value
    return out


def _bereik(data: Mapping[str, Any]) -> Bereik:
    kolommen = list(data.get("kolommen") or ())
    if not kolommen and isinstance(data.get("kolom"), str):
        kolommen = [data["kolom"]]
    if not kolommen:
        # A declaratie names its kolommen per line of the batch.
        kolommen = [p["kolom"] for p in data.get("perKolom") or () if isinstance(p, dict) and p.get("kolom")]
    cluster = data.get("cluster")
    return Bereik(kolommen=tuple(dict.fromkeys(kolommen)), cluster=cluster if isinstance(cluster, str) else None,
                  catalogus=data.get("catalogus") if isinstance(data.get("catalogus"), str) else None)


def notificatie_of(event: CloudEvent) -> Notificatie | None:
    """The notificatie an event becomes, or None for an event no outside subscriber is told of."""
    route = ROUTES.get(event.type)
    hoofd = event.data.get(route.hoofd) if route else None
    if route is None or not isinstance(hoofd, str):
        return None
    actie = "destroy" if event.data.get("actie") == "verwijderd" else route.actie
    bericht = {
        "kanaal": route.kanaal,
        "hoofdObject": hoofd,
        "resource": route.resource,
        "resourceUrl": event.dataref or hoofd,
        "actie": actie,
        "aanmaakdatum": event.time.isoformat().replace("+00:00", "Z"),
        "kenmerken": _kenmerken(route.kanaal, event.data),
    }
    return Notificatie(kanaal=route.kanaal, bericht=bericht, bereik=_bereik(event.data))
