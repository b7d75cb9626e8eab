"""The kanalen the suite publishes on, declared as data (as Open Zaak declares its kanalen).

Each names the kenmerken its notificaties carry, which are what an abonnement may filter on. The ZGW kanalen
(``zaken``, ``zaaktypen``, ``besluiten``, ``documenten``) carry the kenmerken of the standard (Open Zaak's
``notificaties.md``); the suite's own (``aanvragen``, ``signalen``, ``klantgegevens``, ``financien``) carry what
their events hold that a subscriber may sensibly select on, never personal data.
"""

from __future__ import annotations

from dataclasses import dataclass

DOCS = "https://vng-realisatie.github.io/gemma-zaken/standaard/"


@dataclass(frozen=True)
class KanaalDef:
    naam: str
    documentatie_link: str
    filters: tuple[str, ...]


KANALEN: tuple[KanaalDef, ...] = (
    KanaalDef("zaken", f"{DOCS}zaken/", ("bronorganisatie", "zaaktype", "vertrouwelijkheidaanduiding")),
    KanaalDef("zaaktypen", f"{DOCS}catalogi/", ("catalogus",)),
    KanaalDef("besluiten", f"{DOCS}besluiten/", ("verantwoordelijkeOrganisatie", "besluittype")),
    KanaalDef("documenten", f"{DOCS}documenten/",
              ("bronorganisatie", "informatieobjecttype", "vertrouwelijkheidaanduiding")),
    KanaalDef("aanvragen", "/intake/api/v1/schema", ("kolom",)),
    KanaalDef("signalen", "/intake/api/v1/schema", ("partnersoort", "signaalsoort")),
    KanaalDef("klantgegevens", "/klantgegevens/api/v1/schema", ("wijziging",)),
    KanaalDef("financien", "/financien/api/v1/schema", ("kolom", "cluster")),
)
