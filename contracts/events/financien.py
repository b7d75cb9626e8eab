"""Events of the financien service: toewijzingen, care started/stopped, declaraties and budgets."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from contracts.events.fields import Bedrag, Code, Datum, EventData, Kolom, Omvang, Product, Url


class ToewijzingAfgegeven(EventData):
    """An allocation to a provider (iJw/iWmo 301) and the money it commits."""

    toewijzing: Url
    zaak: Url
    huishouden: Url
    kolom: Kolom
    cluster: Code | None = None
    aanbieder: Url
    contract: Url
    product: Product
    omvang: Omvang
    begindatum: Datum
    einddatum: Datum | None = None
    verplichting: Bedrag = Field(description="the amount committed over the whole period, in eurocent")


class ToewijzingGewijzigd(ToewijzingAfgegeven):
    """The toekenning behind a toewijzing changed (iJw/iWmo 301 for the same toewijzing) and still fits a contract;
    the fields are the toewijzing as it is now."""


class ToewijzingBeeindigd(EventData):
    """The municipality ended a toewijzing (its toekenning was taken off the zaak's resultaat)."""

    toewijzing: Url
    zaak: Url
    aanbieder: Url
    kolom: Kolom
    einddatum: Datum
    verplichting: Bedrag = Field(description="what remains committed up to the einddatum, in eurocent")


class ToewijzingAfgewezen(EventData):
    """A toekenning could not be turned into a toewijzing; the zaak needs someone to act."""

    toewijzing: Url
    zaak: Url
    huishouden: Url
    kolom: Kolom
    aanbieder: Url | None = None
    product: Product
    omvang: Omvang
    redenen: list[Literal["geen-contract", "product-niet-gecontracteerd", "aanbieder-onbekend",
                          "budget-ontoereikend", "periode-buiten-contract"]] = Field(min_length=1)


class ZorgGestart(EventData):
    """The provider reported the start of care (iJw/iWmo 305)."""

    toewijzing: Url
    aanbieder: Url
    kolom: Kolom
    begindatum: Datum


class ZorgGestopt(EventData):
    """The provider reported the end of care (iJw/iWmo 307)."""

    toewijzing: Url
    aanbieder: Url
    kolom: Kolom
    einddatum: Datum
    reden_beeindiging: str = Field(pattern=r"^[0-9]{2}$", description="iStandaard code RedenBeeindiging")


class DeclaratieKolom(EventData):
    kolom: Kolom
    cluster: Code | None = None
    aantal_goedgekeurd: int = Field(ge=0)
    aantal_afgekeurd: int = Field(ge=0)
    goedgekeurd_bedrag: Bedrag
    afgekeurd_bedrag: Bedrag


class Afkeurreden(EventData):
    code: str = Field(pattern=r"^[0-9A-Z]{4}$", description="iStandaard retourcode")
    aantal: int = Field(ge=1)


class DeclaratieVerwerkt(EventData):
    """A provider's claim (iJw/iWmo 323) was checked and answered (325); lines are summed, not listed."""

    declaratie: Url
    aanbieder: Url
    begindatum: Datum = Field(description="first day of the declared period")
    einddatum: Datum = Field(description="last day of the declared period")
    aantal_regels: int = Field(ge=0)
    ingediend_bedrag: Bedrag
    goedgekeurd_bedrag: Bedrag
    afgekeurd_bedrag: Bedrag
    per_kolom: list[DeclaratieKolom]
    afkeurredenen: list[Afkeurreden]


class BudgetDrempelBereikt(EventData):
    budget: Url
    kolom: Kolom | None = Field(None, description="absent for a budget per cluster")
    cluster: Code | None = Field(None, description="absent for a budget per kolom")
    jaar: int = Field(ge=2015, le=2100)
    drempel_percentage: int = Field(ge=1, le=1000)
    budget_bedrag: Bedrag
    verplicht_bedrag: Bedrag
    gerealiseerd_bedrag: Bedrag


class VerzoekOmToewijzingIngediend(EventData):
    """A provider asked for a toewijzing for a client it has seen (iJw/iWmo 315); the municipality answers."""

    verzoek: Url
    aanbieder: Url
    klant: Url = Field(description="the klantgegevens huishouden or persoon the care is for")
    kolom: Kolom
    product: Product
    omvang: Omvang
    begindatum: Datum
    einddatum: Datum | None = None
    verwijzer_type: str | None = Field(None, pattern=r"^[0-9]{2}$", description="iJw Verwijzer Type (JZ002)")


class VerzoekOmToewijzingBeantwoord(EventData):
    """The municipality granted (a toewijzing was made, published as toewijzing-afgegeven) or refused a 315.
    Why it refused stays on the verzoek: free text is not carried in events."""

    verzoek: Url
    aanbieder: Url
    kolom: Kolom
    antwoord: Literal["toegekend", "afgewezen"]
    toewijzing: Url | None = Field(None, description="the toewijzing made; absent when refused")


class VerzoekOmWijzigingIngediend(EventData):
    """A provider asked to change the omvang and/or einddatum of one of its toewijzingen (iJw/iWmo 317)."""

    verzoek: Url
    toewijzing: Url
    aanbieder: Url
    kolom: Kolom
    omvang: Omvang | None = Field(None, description="the omvang asked for; absent when only the einddatum changes")
    einddatum: Datum | None = Field(None, description="the einddatum asked for; absent when only the omvang changes")


class VerzoekOmWijzigingBeantwoord(EventData):
    """The municipality granted (the toewijzing changed, published as toewijzing-gewijzigd) or refused a 317."""

    verzoek: Url
    toewijzing: Url
    aanbieder: Url
    kolom: Kolom
    antwoord: Literal["toegekend", "afgewezen"]
