"""Events of the zaken service. The ZGW ones keep Open Zaak's names so ZGW consumers understand them."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from contracts.events.fields import (
    Code,
    Datum,
    EventData,
    Kolom,
    Kolommen,
    Omvang,
    Product,
    Reden,
    Tijdstip,
    Url,
    Vertrouwelijkheidaanduiding,
)

Rsin = Annotated[str, Field(pattern=r"^[0-9]{9}$", description="RSIN of the zaak's bronorganisatie")]
# What a ZGW notificatie of the zaak carries as kenmerken (bronorganisatie, zaaktype, vertrouwelijkheidaanduiding)
# and what the Notificaties API authorises on (the kolommen): on every zaak event, so the notificaties service
# builds its notificatie from the event alone. Optional: events recorded before they were added lack them.
_BRON = Field(None, description="RSIN of the zaak's bronorganisatie (a kenmerk of the ZGW notificatie)")
_VERTROUWELIJK = Field(None, description="the zaak's vertrouwelijkheidaanduiding (a kenmerk of the ZGW notificatie)")
_KOLOMMEN = Field(None, description="the kolommen the zaak is about (the Notificaties API authorises on them)")


class ZaakGeopend(EventData):
    aanvraag: Url | None = Field(None, description="absent for a zaak opened without an aanvraag")
    zaak: Url
    zaaktype: Url
    catalogus: Url
    kolommen: Kolommen
    cluster: Code | None = Field(None, description="absent for an integral zaak across clusters")
    integraal: bool
    huishouden: Url
    hoofdzaak: Url | None = None
    vertrouwelijkheidaanduiding: Vertrouwelijkheidaanduiding
    registratiedatum: Datum
    startdatum: Datum
    bronorganisatie: Rsin | None = _BRON


class StatusGezet(EventData):
    zaak: Url
    zaaktype: Url
    status: Url
    statustype: Url
    datum_status_gezet: Tijdstip
    is_eindstatus: bool
    bronorganisatie: Rsin | None = _BRON
    vertrouwelijkheidaanduiding: Vertrouwelijkheidaanduiding | None = _VERTROUWELIJK
    kolommen: list[Kolom] | None = _KOLOMMEN


class Toekenning(EventData):
    """What a toekenning grants: enough for financien to make the toewijzing without calling back."""

    product: Product
    omvang: Omvang
    begindatum: Datum
    einddatum: Datum | None = Field(None, description="absent for an open-ended toekenning")
    aanbieder: Url | None = Field(None, description="absent while the resident has not chosen a provider")


class ResultaatVastgesteld(EventData):
    zaak: Url
    zaaktype: Url
    huishouden: Url
    kolom: Kolom = Field(description="the law the decision is taken under")
    resultaat: Url
    resultaattype: Url
    uitkomst: Literal["toegekend", "gedeeltelijk-toegekend", "afgewezen", "ingetrokken", "buiten-behandeling"]
    toekenningen: list[Toekenning] = Field(description="empty unless something was granted")
    bronorganisatie: Rsin | None = _BRON
    vertrouwelijkheidaanduiding: Vertrouwelijkheidaanduiding | None = _VERTROUWELIJK


class ZaakAfgesloten(EventData):
    zaak: Url
    zaaktype: Url
    huishouden: Url
    kolommen: Kolommen
    resultaattype: Url
    einddatum: Datum
    bronorganisatie: Rsin | None = _BRON
    vertrouwelijkheidaanduiding: Vertrouwelijkheidaanduiding | None = _VERTROUWELIJK


class PlanGewijzigd(EventData):
    """The household plan (one household, one plan) was made, revised or closed."""

    plan: Url
    huishouden: Url
    wijziging: Literal["aangemaakt", "bijgesteld", "afgesloten"]
    zaken: list[Url] = Field(description="the zaken the plan covers")
    regisseur: Url | None = Field(None, description="the rol of the regisseur, absent when there is none")


class RegisseurGewijzigd(EventData):
    zaak: Url = Field(description="the zaak that holds the regisseur rol")
    huishouden: Url
    plan: Url | None = None
    regisseur: Url | None = Field(description="the new regisseur rol; null when the rol ended")
    vorige_regisseur: Url | None = None


class ZaakGeescaleerd(EventData):
    """A kolom zaak moved under an integral hoofdzaak (integraal in tweede instantie)."""

    zaak: Url
    kolom: Kolom
    hoofdzaak: Url
    huishouden: Url
    redenen: list[Reden] = Field(min_length=1)


class ZaakGemuteerd(EventData):
    """A zaak's own fields changed or the zaak was deleted; the ZGW ``update``/``destroy`` notification."""

    zaak: Url
    zaaktype: Url
    actie: Literal["bijgewerkt", "verwijderd"]
    velden: list[str] = Field(description="the camelCase names of the fields that changed; empty on delete")
    huishouden: Url | None = None
    bronorganisatie: Rsin | None = _BRON
    vertrouwelijkheidaanduiding: Vertrouwelijkheidaanduiding | None = _VERTROUWELIJK
    kolommen: list[Kolom] | None = _KOLOMMEN


class RolToegevoegd(EventData):
    """A party got a role in a zaak (initiator, behandelaar, regisseur, ...); no personal data, only the rol."""

    zaak: Url
    zaaktype: Url
    rol: Url
    roltype: Url
    omschrijving: str = Field(max_length=100, description="the roltype's omschrijving, e.g. Regisseur")
    omschrijving_generiek: Literal["adviseur", "behandelaar", "belanghebbende", "beslisser", "initiator",
                                   "klantcontacter", "zaakcoordinator", "mede_initiator"]
    betrokkene_type: Literal["natuurlijk_persoon", "niet_natuurlijk_persoon", "vestiging",
                             "organisatorische_eenheid", "medewerker"]
    huishouden: Url | None = None
    bronorganisatie: Rsin | None = _BRON
    vertrouwelijkheidaanduiding: Vertrouwelijkheidaanduiding | None = _VERTROUWELIJK
    kolommen: list[Kolom] | None = _KOLOMMEN
