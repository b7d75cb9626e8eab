"""Components and scopes of the ZGW Autorisaties API 1.0, and the suite's own beside them.

An applicatie's grant names a component and scopes on it. The standard's components are ``ac``,
``nrc``, ``zrc``, ``ztc``, ``drc`` and ``brc``, with the scopes their APIs document; the suite's
own services (intake, klantgegevens, financien, beleidsinfo) have components of the same name, an
extension the standard leaves room for. Every service checks its scopes with the names here.
"""

from __future__ import annotations

AC = "ac"
NRC = "nrc"
ZRC = "zrc"
ZTC = "ztc"
DRC = "drc"
BRC = "brc"

INTAKE = "intake"
KLANTGEGEVENS = "klantgegevens"
FINANCIEN = "financien"
BELEIDSINFO = "beleidsinfo"

# component -> componentWeergave, as the standard shows it
STANDARD_COMPONENTS: dict[str, str] = {
    AC: "Autorisatiecomponent",
    NRC: "Notificatierouteringcomponent",
    ZRC: "Zaakregistratiecomponent",
    ZTC: "Zaaktypecatalogus",
    DRC: "Documentregistratiecomponent",
    BRC: "Besluitregistratiecomponent",
}
SUITE_COMPONENTS: dict[str, str] = {
    INTAKE: "Intake (Sociaal Domein Suite)",
    KLANTGEGEVENS: "Klantgegevens (Sociaal Domein Suite)",
    FINANCIEN: "Financiën (Sociaal Domein Suite)",
    BELEIDSINFO: "Beleidsinformatie (Sociaal Domein Suite)",
}
COMPONENTS: dict[str, str] = {**STANDARD_COMPONENTS, **SUITE_COMPONENTS}

# The component behind each API of the suite, by the first segment of its path.
COMPONENT_OF_API: dict[str, str] = {
    "zaken": ZRC,
    "catalogi": ZTC,
    "besluiten": BRC,
    "documenten": DRC,
    "autorisaties": AC,
    "notificaties": NRC,
    INTAKE: INTAKE,
    KLANTGEGEVENS: KLANTGEGEVENS,
    FINANCIEN: FINANCIEN,
    BELEIDSINFO: BELEIDSINFO,
}

AUDITTRAILS_LEZEN = "audittrails.lezen"

ZAKEN_LEZEN = "zaken.lezen"
ZAKEN_AANMAKEN = "zaken.aanmaken"
ZAKEN_BIJWERKEN = "zaken.bijwerken"
ZAKEN_VERWIJDEREN = "zaken.verwijderen"
ZAKEN_HEROPENEN = "zaken.heropenen"
ZAKEN_STATUSSEN_TOEVOEGEN = "zaken.statussen.toevoegen"
ZAKEN_GEFORCEERD_BIJWERKEN = "zaken.geforceerd-bijwerken"

CATALOGI_LEZEN = "catalogi.lezen"
CATALOGI_SCHRIJVEN = "catalogi.schrijven"
CATALOGI_GEFORCEERD_SCHRIJVEN = "catalogi.geforceerd-schrijven"
CATALOGI_GEFORCEERD_VERWIJDEREN = "catalogi.geforceerd-verwijderen"

AUTORISATIES_LEZEN = "autorisaties.lezen"
AUTORISATIES_BIJWERKEN = "autorisaties.bijwerken"

DOCUMENTEN_LEZEN = "documenten.lezen"
DOCUMENTEN_AANMAKEN = "documenten.aanmaken"
DOCUMENTEN_BIJWERKEN = "documenten.bijwerken"
DOCUMENTEN_VERWIJDEREN = "documenten.verwijderen"
DOCUMENTEN_LOCK = "documenten.lock"
DOCUMENTEN_GEFORCEERD_UNLOCK = "documenten.geforceerd-unlock"
DOCUMENTEN_GEFORCEERD_BIJWERKEN = "documenten.geforceerd-bijwerken"

BESLUITEN_LEZEN = "besluiten.lezen"
BESLUITEN_AANMAKEN = "besluiten.aanmaken"
BESLUITEN_BIJWERKEN = "besluiten.bijwerken"
BESLUITEN_VERWIJDEREN = "besluiten.verwijderen"

NOTIFICATIES_CONSUMEREN = "notificaties.consumeren"
NOTIFICATIES_PUBLICEREN = "notificaties.publiceren"

# The scopes each standard component documents (its API's OAS, the VNG repositories' autorisaties.md).
STANDARD_SCOPES: dict[str, tuple[str, ...]] = {
    AC: (AUTORISATIES_LEZEN, AUTORISATIES_BIJWERKEN),
    NRC: (NOTIFICATIES_CONSUMEREN, NOTIFICATIES_PUBLICEREN),
    ZRC: (ZAKEN_LEZEN, ZAKEN_AANMAKEN, ZAKEN_BIJWERKEN, ZAKEN_VERWIJDEREN, ZAKEN_HEROPENEN,
          ZAKEN_STATUSSEN_TOEVOEGEN, ZAKEN_GEFORCEERD_BIJWERKEN, AUDITTRAILS_LEZEN),
    ZTC: (CATALOGI_LEZEN, CATALOGI_SCHRIJVEN, CATALOGI_GEFORCEERD_SCHRIJVEN, CATALOGI_GEFORCEERD_VERWIJDEREN),
    DRC: (DOCUMENTEN_LEZEN, DOCUMENTEN_AANMAKEN, DOCUMENTEN_BIJWERKEN, DOCUMENTEN_VERWIJDEREN, DOCUMENTEN_LOCK,
          DOCUMENTEN_GEFORCEERD_UNLOCK, DOCUMENTEN_GEFORCEERD_BIJWERKEN, AUDITTRAILS_LEZEN),
    BRC: (BESLUITEN_LEZEN, BESLUITEN_AANMAKEN, BESLUITEN_BIJWERKEN, BESLUITEN_VERWIJDEREN, AUDITTRAILS_LEZEN),
}
