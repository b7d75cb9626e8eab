"""Settings of the zaken service (environment, prefix ``SDS_``), on top of the runtime's."""

from __future__ import annotations

from pydantic import Field

from sds.runtime.settings import ServiceSettings
from sds.runtime.verwerkingenlog import VerwerkingenlogSettings


class ZakenSettings(ServiceSettings, VerwerkingenlogSettings):
    service: str = "zaken"
    # ZGW: the Documenten API is another component. A zaakinformatieobject names an informatieobject in one of
    # these (as Open Zaak treats an external Documenten API it is configured for); `sds up` names the suite's own.
    documenten_apis: list[str] = Field(
        default_factory=list,
        description='JSON list of Documenten API roots, e.g. ["https://drc.gemeente.example/documenten/api/v1"]')
    documenten_url: str | None = Field(
        None, description="the documenten service inside the suite (`sds up` sets it): a document of the suite's "
                          "own Documenten API is fetched there, with the suite's internal credentials")
    documenten_client_id: str = Field("sds-zaken", description="client_id of the ZGW JWT sent to the Documenten API")
    documenten_secret: str = Field("", description="secret of that JWT; empty sends no Authorization header")
    documenten_timeout: float = Field(5.0, description="seconds for fetching an informatieobject")
