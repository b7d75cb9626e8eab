"""Request bodies of enkelvoudiginformatieobjecten, read as the reference does (readOnly and unknown fields
ignored)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, field_validator

from sds.runtime.body import ZgwBody

Vertrouwelijkheidaanduiding = Literal["openbaar", "beperkt_openbaar", "intern", "zaakvertrouwelijk",
                                      "vertrouwelijk", "confidentieel", "geheim", "zeer_geheim", ""]
Status = Literal["in_bewerking", "ter_vaststelling", "definitief", "gearchiveerd", ""]
Url = Annotated[str, Field(min_length=1, max_length=1000)]


class Ondertekening(ZgwBody):
    soort: Literal["analoog", "digitaal", "pki", ""] = ""
    datum: date | None = None


class Integriteit(ZgwBody):
    algoritme: Literal["crc_16", "crc_32", "crc_64", "fletcher4", "fletcher8", "fletcher16", "fletcher32",
                       "hmac", "md5", "sha_1", "sha_256", "sha_512", "sha_3", ""] = ""
    waarde: str = Field("", max_length=128)
    datum: date | None = None


class InformatieObjectIn(ZgwBody):
    identificatie: str = Field("", max_length=40)
    bronorganisatie: str = Field(min_length=1, max_length=9)
    creatiedatum: date
    titel: str = Field(min_length=1, max_length=200)
    vertrouwelijkheidaanduiding: Vertrouwelijkheidaanduiding = ""
    auteur: str = Field(min_length=1, max_length=200)
    status: Status = ""
    formaat: str = Field("", max_length=255)
    taal: str = Field(min_length=3, max_length=3)
    bestandsnaam: str = Field("", max_length=255)
    inhoud: str | None = None
    bestandsomvang: int | None = Field(None, ge=0)
    link: str = Field("", max_length=200)
    beschrijving: str = Field("", max_length=1000)
    ontvangstdatum: date | None = None
    verzenddatum: date | None = None
    indicatie_gebruiksrecht: bool | None = None
    verschijningsvorm: str = ""
    ondertekening: Ondertekening | None = None
    integriteit: Integriteit | None = None
    informatieobjecttype: str = Field(min_length=1, max_length=200)
    trefwoorden: list[Annotated[str, Field(max_length=100)]] | None = None
    # On PUT and PATCH: the lock the client holds (POST /lock); empty on POST.
    lock: str = Field("", max_length=64)

    @field_validator("identificatie", "formaat", "bestandsnaam", "link", "beschrijving", "verschijningsvorm",
                     "vertrouwelijkheidaanduiding", "status", "lock", mode="before")
    @classmethod
    def _null_is_blank(cls, value: object) -> object:
        return "" if value is None else value


class LockIn(ZgwBody):
    lock: str = Field("", max_length=64)


class ZoekIn(ZgwBody):
    uuid__in: list[Annotated[str, Field(max_length=36)]] = Field(alias="uuid__in", max_length=1000)
