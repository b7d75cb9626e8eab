"""Request and response bodies of the Notificaties API 1.0 (``notificaties-api-1.0.0-openapi.yaml``).

Requests are read as the ZGW reference reads them (sds.runtime.body.ZgwBody: read-only and unknown fields
ignored); ``auth`` of an abonnement is write-only, as Open Notificaties has it: it is the subscriber's secret.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from sds.runtime.body import ZgwBody

_URL = r"^https?://[^\s/?#]+[^\s]*$"
Uri = Annotated[str, Field(min_length=1, max_length=1000, pattern=_URL)]
CallbackUrl = Annotated[str, Field(min_length=1, max_length=200, pattern=_URL)]
Kenmerk = Annotated[str, Field(min_length=1, max_length=1000)]


class KanaalIn(ZgwBody):
    naam: str = Field(min_length=1, max_length=50, pattern=r"^[a-z0-9][a-z0-9_-]*$")
    documentatie_link: Annotated[str, Field(max_length=200, pattern=_URL)] | None = None
    filters: list[Annotated[str, Field(min_length=1, max_length=100)]] = Field(default_factory=list)


class _Out(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, validate_by_name=True, serialize_by_alias=True)


class Kanaal(_Out):
    url: str
    naam: str
    documentatie_link: str
    filters: list[str]


class FilterGroup(ZgwBody):
    naam: str = Field(min_length=1, max_length=50)
    filters: dict[Annotated[str, Field(min_length=1, max_length=100)], Kenmerk] = Field(default_factory=dict)


class AbonnementIn(ZgwBody):
    callback_url: CallbackUrl
    auth: str = Field(min_length=1, max_length=1000)
    kanalen: list[FilterGroup]


class AbonnementPatch(ZgwBody):
    callback_url: CallbackUrl | None = None
    auth: Annotated[str, Field(min_length=1, max_length=1000)] | None = None
    kanalen: list[FilterGroup] | None = None


class FilterGroupOut(_Out):
    naam: str
    filters: dict[str, str]


class Abonnement(_Out):
    url: str
    callback_url: str
    kanalen: list[FilterGroupOut]


class Bericht(ZgwBody):
    """The standard's ``Message``: what a publisher posts and what a subscriber receives."""

    kanaal: str = Field(min_length=1, max_length=50)
    hoofd_object: Uri
    resource: str = Field(min_length=1, max_length=100)
    resource_url: Uri
    actie: str = Field(min_length=1, max_length=100)
    aanmaakdatum: datetime
    kenmerken: dict[Annotated[str, Field(min_length=1, max_length=100)], Kenmerk] = Field(default_factory=dict)


class BerichtOut(_Out):
    kanaal: str
    hoofd_object: str
    resource: str
    resource_url: str
    actie: str
    aanmaakdatum: str
    kenmerken: dict[str, str]


class Levering(_Out):
    """The suite's extension: one delivery of a notificatie to an abonnement, and how it went."""

    url: str
    abonnement: str
    notificatie: BerichtOut
    status: str = Field(description="wachtend | afgeleverd | mislukt (dead-lettered after the last retry)")
    pogingen: int
    volgende_poging: datetime | None
    laatste_fout: str | None
    afgeleverd: datetime | None
