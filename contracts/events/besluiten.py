"""Events of the Besluiten API, which the zaken service hosts (as Open Zaak does): ZGW's kanaal ``besluiten``
(resources ``besluit`` and ``besluitinformatieobject``, acties create/update/destroy) as the suite's events.

They carry references and dates only: no identificatie or toelichting (free text, where personal data slips in),
and never a BSN.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from contracts.events.fields import Datum, EventData, Url

Vervalreden = Literal["tijdelijk", "ingetrokken_overheid", "ingetrokken_belanghebbende"]


class BesluitAangemaakt(EventData):
    besluit: Url
    besluittype: Url
    zaak: Url | None = Field(None, description="absent for a besluit that is not the outcome of a zaak")
    datum: Datum = Field(description="the beslisdatum (Awb)")
    ingangsdatum: Datum
    vervaldatum: Datum | None = None
    vervalreden: Vervalreden | None = None


class BesluitGewijzigd(EventData):
    besluit: Url
    besluittype: Url
    zaak: Url | None = Field(None, description="the zaak after the change; absent when it has none")
    vorige_zaak: Url | None = Field(None, description="the zaak before the change, when it was another")
    ingangsdatum: Datum
    vervaldatum: Datum | None = None
    vervalreden: Vervalreden | None = None
    velden: list[str] = Field(description="the camelCase names of the fields that changed")


class BesluitVerwijderd(EventData):
    besluit: Url
    besluittype: Url
    zaak: Url | None = None


class BesluitInformatieObjectAangemaakt(EventData):
    besluitinformatieobject: Url
    besluit: Url
    besluittype: Url
    informatieobject: Url


class BesluitInformatieObjectVerwijderd(EventData):
    besluitinformatieobject: Url
    besluit: Url
    besluittype: Url
    informatieobject: Url
