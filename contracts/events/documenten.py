"""Events of the Documenten API (the documenten service): ZGW's kanaal ``documenten`` (resources
``enkelvoudiginformatieobject`` and ``objectinformatieobject``, acties create/update/destroy) as the suite's events.

They carry references, the version and the vertrouwelijkheidaanduiding (so a consumer can decide whether it may
show the document without a call back): no titel, no bestandsnaam, no content.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from contracts.events.fields import EventData, Url, Vertrouwelijkheidaanduiding


class InformatieObjectGebeurtenis(EventData):
    informatieobject: Url
    informatieobjecttype: Url
    versie: int = Field(ge=1, description="the version after the change (the last one, for a deletion)")
    vertrouwelijkheidaanduiding: Vertrouwelijkheidaanduiding


class InformatieObjectAangemaakt(InformatieObjectGebeurtenis):
    pass


class InformatieObjectGewijzigd(InformatieObjectGebeurtenis):
    pass


class InformatieObjectVerwijderd(InformatieObjectGebeurtenis):
    pass


class ObjectInformatieObjectGebeurtenis(EventData):
    objectinformatieobject: Url
    informatieobject: Url
    informatieobjecttype: Url
    object: Url = Field(description="the zaak or besluit the document is related to")
    object_type: Literal["zaak", "besluit", "verzoek"]


class ObjectInformatieObjectAangemaakt(ObjectInformatieObjectGebeurtenis):
    pass


class ObjectInformatieObjectVerwijderd(ObjectInformatieObjectGebeurtenis):
    pass
