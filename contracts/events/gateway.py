"""Events of the gateway: what external parties report about the work delegated to them."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from contracts.events.fields import Code, EventData, Tijdstip, Url


class ExternStatusberichtOntvangen(EventData):
    """An external party (e.g. a regional youth-care organisation) reported on a delegated part."""

    partij: Code
    aanvraag: Url | None = Field(None, description="the delegated aanvraag, when the report is about one")
    zaak: Url | None = Field(None, description="the delegated zaak, when the report is about one")
    externe_referentie: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:-]+$",
                                    description="the party's own id of the case")
    soort: Literal["status", "uitkomst"]
    status: Code = Field(description="the party's status code, e.g. in-behandeling")
    uitkomst: Literal["toegekend", "gedeeltelijk-toegekend", "afgewezen", "ingetrokken"] | None = None
    ontvangen: Tijdstip
