"""The rows of the matrix, each run against every applicatie, and the classification of every route of the
services' OpenAPI documents: each is covered by a row, or exempt with the reason why. A route that is neither
fails the completeness test, so a resource added to the suite without joining the matrix does not pass."""

from __future__ import annotations

from typing import Any

from sds.profiles.model import Profile
from tests.access.matrix import gegevens
from tests.access.matrix.controle import Controle, Matrix, Rij, vraag_buiten
from tests.access.matrix.definitie import ZAAKTYPE, App, applicaties
from tests.access.matrix.gegevens import Gegevens
from tests.e2e.harness import Suite

IN, Z, B, K = "/intake/api/v1", "/zaken/api/v1", "/besluiten/api/v1", "/klantgegevens/api/v1"
F, BI = "/financien/api/v1", "/beleidsinfo/api/v1"
# The Catalogi API: types, no personal data and no case of a kolom; every route of it is exempt (see _CATALOGUS).
CATALOGI = "/catalogi/api/v1/"

# (method, path of the OpenAPI document) -> the rows that cover it.
DEKKING: dict[tuple[str, str], tuple[str, ...]] = {
    ("GET", f"{IN}/aanvragen"): ("aanvragen lijst", "aanvragen zoeken per kolom"),
    ("POST", f"{IN}/aanvragen"): ("aanvragen aanmaken buiten",),
    ("GET", f"{IN}/aanvragen/{{uuid}}"): ("aanvragen detail",),
    ("GET", f"{IN}/aanvragen/{{uuid}}/historie"): ("aanvragen historie",),
    ("POST", f"{IN}/aanvragen/{{uuid}}/intrekking"): ("aanvragen intrekking",),
    ("GET", f"{IN}/signalen"): ("signalen lijst",),
    ("GET", f"{IN}/signalen/{{uuid}}"): ("signalen detail",),
    ("GET", f"{Z}/zaken"): ("zaken lijst",),
    ("POST", f"{Z}/zaken/_zoek"): ("zaken _zoek", "zaken _zoek per zaaktype"),
    ("GET", f"{Z}/zaken/{{uuid}}"): ("zaken detail",),
    ("PATCH", f"{Z}/zaken/{{uuid}}"): ("zaken bijwerken",),
    ("PUT", f"{Z}/zaken/{{uuid}}"): ("zaken vervangen",),
    ("DELETE", f"{Z}/zaken/{{uuid}}"): ("zaken verwijderen",),
    ("GET", f"{Z}/statussen"): ("statussen lijst",),
    ("POST", f"{Z}/statussen"): ("statussen toevoegen",),
    ("GET", f"{Z}/statussen/{{uuid}}"): ("statussen detail",),
    ("GET", f"{Z}/rollen"): ("rollen lijst",),
    ("GET", f"{Z}/rollen/{{uuid}}"): ("rollen detail",),
    ("DELETE", f"{Z}/rollen/{{uuid}}"): ("rollen verwijderen",),
    ("GET", f"{Z}/resultaten"): ("resultaten lijst",),
    ("GET", f"{Z}/resultaten/{{uuid}}"): ("resultaten detail",),
    ("PATCH", f"{Z}/resultaten/{{uuid}}"): ("resultaten bijwerken",),
    ("DELETE", f"{Z}/resultaten/{{uuid}}"): ("resultaten verwijderen",),
    ("GET", f"{Z}/zaakobjecten"): ("zaakobjecten lijst",),
    ("GET", f"{Z}/zaakobjecten/{{uuid}}"): ("zaakobjecten detail",),
    ("PATCH", f"{Z}/zaakobjecten/{{uuid}}"): ("zaakobjecten bijwerken",),
    ("DELETE", f"{Z}/zaakobjecten/{{uuid}}"): ("zaakobjecten verwijderen",),
    ("GET", f"{Z}/zaken/{{zaak_uuid}}/zaakeigenschappen"): ("zaakeigenschappen per zaak",),
    ("GET", f"{Z}/zaken/{{zaak_uuid}}/zaakeigenschappen/{{uuid}}"): ("zaakeigenschappen detail",),
    ("PATCH", f"{Z}/zaken/{{zaak_uuid}}/zaakeigenschappen/{{uuid}}"): ("zaakeigenschappen bijwerken",),
    ("DELETE", f"{Z}/zaken/{{zaak_uuid}}/zaakeigenschappen/{{uuid}}"): ("zaakeigenschappen verwijderen",),
    ("GET", f"{Z}/zaken/{{zaak_uuid}}/besluiten"): ("zaakbesluiten per zaak",),
    ("GET", f"{Z}/zaken/{{zaak_uuid}}/audittrail"): ("audittrail per zaak",),
    ("GET", f"{B}/besluiten"): ("besluiten lijst",),
    ("GET", f"{B}/besluiten/{{uuid}}"): ("besluiten detail",),
    ("PATCH", f"{B}/besluiten/{{uuid}}"): ("besluiten bijwerken",),
    ("DELETE", f"{B}/besluiten/{{uuid}}"): ("besluiten verwijderen",),
    ("GET", f"{K}/personen/{{uuid}}"): ("personen detail",),
    ("GET", f"{K}/huishoudens/{{uuid}}"): ("huishoudens detail",),
    ("GET", f"{K}/contactmomenten"): ("contactmomenten per persoon",),
    ("POST", f"{K}/contactmomenten"): ("contactmomenten aanmaken buiten",),
    ("GET", f"{K}/contactmomenten/{{uuid}}"): ("contactmomenten detail",),
    ("GET", f"{K}/toestemmingen"): ("toestemmingen per persoon",),
    ("POST", f"{K}/toestemmingen"): ("toestemmingen aanmaken buiten",),
    ("POST", f"{K}/toestemmingen/{{uuid}}/intrekking"): ("toestemmingen intrekking",),
    ("GET", f"{K}/verwerkingen"): ("verwerkingenlog lijst",),
    ("GET", f"{K}/eigen-dossier"): ("eigen-dossier lezen",),
}

_SIGNAALPARTNER = ("a signal partner's write: the kolom follows from the signaalsoort by the profile, not from the "
                   "client, and the partner sees nothing back but its own receipt (tests/intake)")
_DOCUMENTEN = ("a relation to a document of the suite's documenten service, which the matrix's suite does not "
               "start yet (issue 18, open); tests/zaken and tests/documenten hold its filter")
_CATALOGUS = ("the catalogue: types, no personal data and no case of a kolom; its reach per grant is the Catalogi "
              "API's own (tests/zaken/test_catalogi_*)")
_NOG_NIET = "not yet in the matrix (issue 18, point 2): its own tests hold its filter"

VRIJGESTELD: dict[tuple[str, str], str] = {
    ("POST", f"{IN}/signalen"): _SIGNAALPARTNER,
    ("POST", f"{IN}/signalen/batches"): _SIGNAALPARTNER,
    ("POST", f"{IN}/statusberichten"): ("an external party reports on an aanvraag delegated to it; intake answers "
                                      "only for that party's own delegations (tests/e2e/test_archetypen_*)"),
    ("GET", f"{IN}/termijnen/overschreden"): _NOG_NIET,
    ("GET", f"{IN}/termijnen/overschreden/telling"): _NOG_NIET,
    ("POST", f"{Z}/zaken"): _NOG_NIET,
    ("POST", f"{Z}/rollen"): _NOG_NIET,
    ("POST", f"{Z}/resultaten"): _NOG_NIET,
    ("PUT", f"{Z}/resultaten/{{uuid}}"): _NOG_NIET,
    ("POST", f"{Z}/zaakobjecten"): _NOG_NIET,
    ("PUT", f"{Z}/zaakobjecten/{{uuid}}"): _NOG_NIET,
    ("GET", f"{Z}/klantcontacten"): _NOG_NIET,
    ("POST", f"{Z}/klantcontacten"): _NOG_NIET,
    ("GET", f"{Z}/klantcontacten/{{uuid}}"): _NOG_NIET,
    ("POST", f"{Z}/zaken/{{zaak_uuid}}/zaakeigenschappen"): _NOG_NIET,
    ("PUT", f"{Z}/zaken/{{zaak_uuid}}/zaakeigenschappen/{{uuid}}"): _NOG_NIET,
    ("POST", f"{Z}/zaken/{{zaak_uuid}}/besluiten"): _NOG_NIET,
    ("GET", f"{Z}/zaken/{{zaak_uuid}}/besluiten/{{uuid}}"): _NOG_NIET,
    ("DELETE", f"{Z}/zaken/{{zaak_uuid}}/besluiten/{{uuid}}"): _NOG_NIET,
    ("GET", f"{Z}/zaken/{{zaak_uuid}}/audittrail/{{uuid}}"): _NOG_NIET,
    ("GET", f"{Z}/plannen"): _NOG_NIET,
    ("POST", f"{Z}/plannen"): _NOG_NIET,
    ("GET", f"{Z}/plannen/{{uuid}}"): _NOG_NIET,
    ("PATCH", f"{Z}/plannen/{{uuid}}"): _NOG_NIET,
    ("POST", f"{Z}/plannen/{{uuid}}/regisseur"): _NOG_NIET,
    ("POST", f"{Z}/plannen/{{uuid}}/regisseur/overdracht"): _NOG_NIET,
    ("GET", f"{Z}/plannen/{{uuid}}/regisseurs"): _NOG_NIET,
    ("POST", f"{Z}/zaken/{{uuid}}/escalaties"): _NOG_NIET,
    ("POST", f"{B}/besluiten"): _NOG_NIET,
    ("PUT", f"{B}/besluiten/{{uuid}}"): _NOG_NIET,
    ("GET", f"{B}/besluiten/{{besluit_uuid}}/audittrail"): _NOG_NIET,
    ("GET", f"{B}/besluiten/{{besluit_uuid}}/audittrail/{{uuid}}"): _NOG_NIET,
    ("POST", f"{K}/personen"): _NOG_NIET,
    ("POST", f"{K}/inschrijvingen"): _NOG_NIET,
    ("POST", f"{K}/huishoudens"): _NOG_NIET,
    ("POST", f"{K}/huishoudens/{{uuid}}/leden"): _NOG_NIET,
    ("PUT", f"{K}/huishoudens/{{uuid}}/leden/{{persoon}}"): _NOG_NIET,
    ("DELETE", f"{K}/huishoudens/{{uuid}}/leden/{{persoon}}"): _NOG_NIET,
    ("POST", f"{K}/verwerkingen/zoeken"): _NOG_NIET,
    ("GET", f"{K}/eigen-verwerkingen"): ("a resident's own processing log: only an inwoner applicatie reaches it, "
                                        "for the BSN it logged in with (tests/klantgegevens/test_verwerkingenlog)"),
}
_FINANCIEN = ("financien is not yet started by the matrix's suite: it narrows by aanbieder (an aanbieder's "
              "applicatie sees its own, tests/financien) and not yet by kolom (issue 18, point 1, open)")
for _m, _p in (("GET", "aanbieders"), ("POST", "aanbieders"), ("GET", "aanbieders/{uuid}"), ("GET", "contracten"),
               ("POST", "contracten"), ("GET", "contracten/{uuid}"), ("GET", "producten"), ("POST", "producten"),
               ("GET", "tarieven"), ("POST", "tarieven"), ("GET", "budgetten"), ("POST", "budgetten"),
               ("GET", "budgetmonitor"), ("GET", "budgetmonitor/huishouden"), ("GET", "budgetten/{uuid}"),
               ("GET", "toewijzingen"), ("GET", "toewijzingen/{uuid}"), ("POST", "toewijzingen/{uuid}/start-zorg"),
               ("POST", "toewijzingen/{uuid}/stop-zorg"), ("GET", "toewijzingen/{uuid}/verzoeken-om-wijziging"),
               ("POST", "toewijzingen/{uuid}/verzoeken-om-wijziging"),
               ("GET", "toewijzingen/{uuid}/verzoeken-om-wijziging/{verzoek}"),
               ("POST", "toewijzingen/{uuid}/verzoeken-om-wijziging/{verzoek}/toekennen"),
               ("POST", "toewijzingen/{uuid}/verzoeken-om-wijziging/{verzoek}/afwijzen"),
               ("GET", "verzoeken-om-wijziging"), ("GET", "verzoeken-om-toewijzing"),
               ("POST", "verzoeken-om-toewijzing"), ("GET", "verzoeken-om-toewijzing/{uuid}"),
               ("POST", "verzoeken-om-toewijzing/{uuid}/toekennen"),
               ("POST", "verzoeken-om-toewijzing/{uuid}/afwijzen"),
               ("GET", "declaraties"), ("POST", "declaraties"), ("GET", "declaraties/{uuid}")):
    VRIJGESTELD[(_m, f"{F}/{_p}")] = _FINANCIEN
for _m, _p in (("GET", "indicatoren"), ("GET", "indicatoren/{naam}"), ("GET", "cbs/{naam}"),
               ("GET", "clusterindeling"), ("POST", "clusterindeling")):
    VRIJGESTELD[(_m, f"{BI}/{_p}")] = ("beleidsinfo: counts per kolom and cluster, not yet started by the matrix's "
                                       "suite (tests/beleidsinfo holds its reach per cluster)")
for _pad, _ms in ((f"{Z}/zaakinformatieobjecten", "GET POST"), (f"{Z}/zaakinformatieobjecten/{{uuid}}",
                                                                   "GET PUT PATCH DELETE"),
                  (f"{B}/besluitinformatieobjecten", "GET POST"), (f"{B}/besluitinformatieobjecten/{{uuid}}",
                                                                  "GET DELETE")):
    for _m in _ms.split():
        VRIJGESTELD[(_m, _pad)] = _DOCUMENTEN


def meet(suite: Suite, archetype: str, profile: Profile, data: Gegevens) -> Matrix:
    besluittypen: dict[str, set[str]] = {k: set() for k in profile.kolommen}
    for url, kolommen in gegevens.kolom_van_zaaktype(suite, profile).items():
        if len(kolommen) == 1:
            besluittypen[next(iter(kolommen))].update(suite.get(url)["besluittypen"])
    apps = applicaties(profile, suite.zaaktypen[ZAAKTYPE], besluittypen)
    for app in apps:
        if app.kolommen is not None:
            suite.applicatie(app.client_id, app.secret, **app.registratie)
    matrix = Matrix(archetype, apps)
    c = Controle(suite, profile, data, matrix)
    client = suite.client
    _leesrijen(c, client, data)
    _schrijfrijen(c, client, profile, data)
    return matrix


def _rij(naam: str, component: str) -> Rij:
    resource, operatie = naam.split(" ", 1)
    return Rij(resource, operatie, component)


def _leesrijen(c: Controle, client: Any, data: Gegevens) -> None:
    def lijst(naam: str, component: str, resource: str, pad: str, **kw: Any) -> None:
        c.lijst(_rij(naam, component), resource, lambda h: client.get(pad, headers=h), **kw)

    lijst("aanvragen lijst", "intake", "aanvragen", f"{IN}/aanvragen?pageSize=100")
    for kolom in c.profile.kolommen:
        c.lijst(_rij("aanvragen zoeken per kolom", "intake"), "aanvragen",
                lambda h, k=kolom: client.get(f"{IN}/aanvragen?kolom={k}&pageSize=100", headers=h),
                verwacht=lambda app, o, k=kolom: k in o.kolommen and _mag_kolom(c, app, o, k))
    c.details(_rij("aanvragen detail", "intake"), "aanvragen")
    c.details(_rij("aanvragen historie", "intake"), "aanvragen", lambda u: f"{u}/historie")
    lijst("signalen lijst", "intake", "signalen", f"{IN}/signalen?pageSize=100")
    c.details(_rij("signalen detail", "intake"), "signalen")
    lijst("zaken lijst", "zrc", "zaken", f"{Z}/zaken?pageSize=100")
    c.lijst(_rij("zaken _zoek", "zrc"), "zaken", lambda h: client.post(f"{Z}/zaken/_zoek", json={}, headers=h))
    for zaaktype in {o.zaaktype for o in data.van("zaken").values()}:
        c.lijst(_rij("zaken _zoek per zaaktype", "zrc"), "zaken",
                lambda h, t=zaaktype: client.post(f"{Z}/zaken/_zoek", json={"zaaktype": t}, headers=h),
                verwacht=lambda app, o, t=zaaktype: o.zaaktype == t)
    c.details(_rij("zaken detail", "zrc"), "zaken")
    for resource in ("statussen", "rollen", "resultaten", "zaakobjecten"):
        lijst(f"{resource} lijst", "zrc", resource, f"{Z}/{resource}?pageSize=100")
        c.details(_rij(f"{resource} detail", "zrc"), resource)
    c.details(_rij("zaakeigenschappen per zaak", "zrc"), "zaken", lambda u: f"{u}/zaakeigenschappen")
    c.details(_rij("zaakeigenschappen detail", "zrc"), "zaakeigenschappen")
    c.details(_rij("zaakbesluiten per zaak", "zrc"), "zaken", lambda u: f"{u}/besluiten")
    c.details(_rij("audittrail per zaak", "zrc"), "zaken", lambda u: f"{u}/audittrail")
    lijst("besluiten lijst", "brc", "besluiten", f"{B}/besluiten?pageSize=100")
    c.details(_rij("besluiten detail", "brc"), "besluiten")
    c.details(_rij("personen detail", "klantgegevens"), "personen")
    c.details(_rij("huishoudens detail", "klantgegevens"), "huishoudens")
    for persoon in data.personen:
        for resource in ("contactmomenten", "toestemmingen"):
            c.lijst(_rij(f"{resource} per persoon", "klantgegevens"), resource,
                    lambda h, r=resource, p=persoon: client.get(f"{K}/{r}", params={"persoon": p}, headers=h),
                    verwacht=lambda app, o, p=persoon: o.persoon == p)
    c.details(_rij("contactmomenten detail", "klantgegevens"), "contactmomenten")
    for naam, pad in (("verwerkingenlog lijst", f"{K}/verwerkingen"), ("eigen-dossier lezen", f"{K}/eigen-dossier")):
        rij = _rij(naam, "verwerkingenlog" if "verwerking" in naam else "inwoner")
        for app in c.matrix.apps:
            r = client.get(pad, headers=c.headers(app))
            if app.kolommen is None and naam.startswith("verwerkingenlog"):
                if r.status_code != 200:
                    c.fout(app, rij, f"answered {r.status_code}")
                c.matrix.cellen[(rij, app.naam)] = "200"
            elif naam == "eigen-dossier lezen" and not c.profile.capabilities.eigen_dossier:
                # Switched off in this municipality: there is no dossier, to anyone.
                c.matrix.cellen[(rij, app.naam)] = "404"
                if r.status_code != 404:
                    c.fout(app, rij, f"answered {r.status_code}, the oracle says 404 (eigen_dossier is off)")
            else:
                # Only a privacy officer's scope reads the log, only a resident their own dossier.
                c.matrix.cellen[(rij, app.naam)] = "403"
                if r.status_code != 403:
                    c.fout(app, rij, f"answered {r.status_code}, the oracle says 403")


def _mag_kolom(c: Controle, app: App, obj: Any, kolom: str) -> bool:
    from tests.access.matrix.definitie import zichtbare_kolommen

    zicht = zichtbare_kolommen(app, obj, c.profile)
    return zicht is None or kolom in zicht


def _schrijfrijen(c: Controle, client: Any, profile: Profile, data: Gegevens) -> None:
    def tel(pad: str) -> Any:
        return lambda: int(client.get(pad, headers=c.suite.bearer()).json()["count"])

    c.aanmaken(_rij("aanvragen aanmaken buiten", "intake"), tel(f"{IN}/aanvragen"),
               lambda app: vraag_buiten(app, profile) if app.kolommen else _een_vraag(), f"{IN}/aanvragen")
    c.schrijven(_rij("aanvragen intrekking", "intake"), "aanvragen",
                lambda u, h: client.post(f"{u}/intrekking", headers=h))
    c.schrijven(_rij("zaken bijwerken", "zrc"), "zaken",
                lambda u, h: client.patch(u, json={"omschrijving": "gewijzigd"}, headers=h))
    c.schrijven(_rij("zaken vervangen", "zrc"), "zaken",
                lambda u, h: client.put(u, json={**c.suite.get(u), "omschrijving": "vervangen"}, headers=h))
    c.schrijven(_rij("zaken verwijderen", "zrc"), "zaken", lambda u, h: client.delete(u, headers=h))
    c.schrijven(_rij("statussen toevoegen", "zrc"), "zaken", lambda u, h: client.post(f"{Z}/statussen", headers=h,
                json={"zaak": u, "statustype": c.suite.get(c.suite.get(u)["zaaktype"])["statustypen"][-1],
                      "datumStatusGezet": "2026-12-01T10:00:00Z"}),
                lees=lambda u: c.suite.get(f"{Z}/statussen?zaak={u}"))
    for resource in ("rollen", "resultaten", "zaakobjecten", "zaakeigenschappen", "besluiten"):
        if resource not in ("rollen",):
            c.schrijven(_rij(f"{resource} bijwerken", "brc" if resource == "besluiten" else "zrc"), resource,
                        lambda u, h: client.patch(u, json={"toelichting": "gewijzigd"}, headers=h))
        c.schrijven(_rij(f"{resource} verwijderen", "brc" if resource == "besluiten" else "zrc"), resource,
                    lambda u, h: client.delete(u, headers=h))
    first = next(iter(data.personen))
    c.aanmaken(_rij("contactmomenten aanmaken buiten", "klantgegevens"),
               lambda: len(client.get(f"{K}/contactmomenten", params={"persoon": first},
                                      headers=c.suite.bearer()).json()["results"]),
               lambda app: _contact_buiten(app, profile, first), f"{K}/contactmomenten")
    c.aanmaken(_rij("toestemmingen aanmaken buiten", "klantgegevens"),
               lambda: len(client.get(f"{K}/toestemmingen", params={"persoon": first},
                                      headers=c.suite.bearer()).json()["results"]),
               lambda app: _toestemming_buiten(app, profile, first), f"{K}/toestemmingen")
    c.schrijven(_rij("toestemmingen intrekking", "klantgegevens"), "toestemmingen",
                lambda u, h: client.post(f"{u}/intrekking", headers=h),
                lees=lambda u: [t for p in data.personen for t in client.get(
                    f"{K}/toestemmingen", params={"persoon": p}, headers=c.suite.bearer()).json()["results"]
                    if t["url"] == u])


def _een_vraag() -> dict[str, Any]:
    from tests.e2e.harness import bsn

    return {"ingediendDoor": "medewerker", "vragen": [{"leefgebied": "opvoeden"}],
            "aanvrager": {"burgerservicenummer": bsn(), "naam": {"geslachtsnaam": "Buiten"}}}


def _contact_buiten(app: App, profile: Profile, persoon: str) -> dict[str, Any] | None:
    cluster = next((n for n, cl in profile.clusters.items() if app.kolommen is not None
                    and not set(cl.kolommen) & app.kolommen), None)
    if cluster is None:
        return None
    return {"persoon": persoon, "cluster": cluster, "kanaal": "telefoon", "medewerker": "mx",
            "onderwerp": "buiten", "tijdstip": "2026-12-01T10:00:00Z"}


def _toestemming_buiten(app: App, profile: Profile, persoon: str) -> dict[str, Any] | None:
    kolom = next((k for k in profile.kolommen if app.kolommen is not None and k not in app.kolommen), None)
    if kolom is None:
        return None
    return {"persoon": persoon, "doel": "buiten", "kolom": kolom, "startdatum": "2026-01-01"}
