"""The data set of the matrix, built once per archetype by the all-rights applicatie through the gateway: an
aanvraag per kolom and one across two clusters (jeugd and schuldhulp), a signaal per kolom that signals, the zaken
triage opened plus one above the zaaktype applicatie's vertrouwelijkheid, each zaak with a status, resultaat,
zaakobject, zaakeigenschap and besluit (and its audittrail), the households with a contactmoment per cluster and a
toestemming per kolom. Every free text it writes carries a marker of its kolom (``MX-<kolom>``), so a body that
shows a property of a kolom the reader may not see is found by the marker."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sds.profiles.model import Profile
from services.zaken.seed_catalogus import DEFAULT_RSIN
from tests.access.matrix.definitie import LEEFGEBIED, ZAAKTYPE, Object
from tests.e2e.harness import Suite, bsn

SIGNAALSOORT = {"schuldhulp": ("huurachterstand", "woningcorporatie"), "jeugd": ("schoolverzuim", "school"),
                "wmo": ("gezondheid", "huisarts")}
VERDEELD = ("jeugd", "schuldhulp")  # the aanvraag of issue 18: one household, two clusters


def marker(kolom: str) -> str:
    return f"MX-{kolom}"


@dataclass
class Gegevens:
    """What the data set holds, per resource (as the matrix names them): url -> Object."""

    objecten: dict[str, dict[str, Object]] = field(default_factory=dict)
    # A person of each household, for the klantgegevens lists that take ``persoon``.
    personen: dict[str, frozenset[str]] = field(default_factory=dict)

    def voeg(self, resource: str, obj: Object) -> Object:
        self.objecten.setdefault(resource, {})[obj.url] = obj
        return obj

    def van(self, resource: str) -> dict[str, Object]:
        return self.objecten.get(resource, {})

    def alle_urls(self) -> dict[str, Object]:
        return {u: o for per in self.objecten.values() for u, o in per.items()}


def _post(suite: Suite, path: str, body: dict[str, Any]) -> dict[str, Any]:
    r = suite.client.post(path, headers=suite.bearer(), json=body)
    assert r.status_code in (200, 201), (path, r.text)
    return r.json()  # type: ignore[no-any-return]


def _aanvraag(suite: Suite, kolommen: tuple[str, ...]) -> dict[str, Any]:
    return _post(suite, "/intake/api/v1/aanvragen", {
        "ingediendDoor": "medewerker", "toelichting": " ".join(marker(k) for k in kolommen),
        "vragen": [{"leefgebied": LEEFGEBIED[k], "toelichting": f"{marker(k)} vraag"} for k in kolommen],
        "aanvrager": {"burgerservicenummer": bsn(), "naam": {"geslachtsnaam": "Matrix"}}})


def _signaal(kolom: str, n: int) -> dict[str, Any]:
    soort, partner = SIGNAALSOORT[kolom]
    dag = datetime.now(UTC).date() - timedelta(days=1)
    return {"partnersoort": partner, "partner": "KVK12345678", "partnerReferentie": f"mx-{n}",
            "signaalsoort": soort, "bedrag": 0 if soort in ("schoolverzuim", "gezondheid") else 125_000,
            "ontstaansdatum": (dag - timedelta(days=30)).isoformat(), "signaaldatum": dag.isoformat(),
            "burgerservicenummer": bsn(), "adres": {"postcode": "1234AB", "huisnummer": 40 + n}}


def kolom_van_zaaktype(suite: Suite, profile: Profile) -> dict[str, frozenset[str]]:
    prefix = {"WMO": "wmo", "JW": "jeugd", "PW": "participatie", "SHV": "schuldhulp"}
    out = {}
    for code, url in suite.zaaktypen.items():
        kolom = prefix.get(code.split("-")[0])
        out[url] = frozenset([kolom]) if kolom else frozenset(profile.kolommen)
    return out


def bouw(suite: Suite, profile: Profile) -> Gegevens:
    g = Gegevens()
    for k in profile.kolommen:
        _aanvraag(suite, (k,))
    _aanvraag(suite, VERDEELD)
    for n, kolom in enumerate(SIGNAALSOORT):
        s = _post(suite, "/intake/api/v1/signalen", _signaal(kolom, n))
        g.voeg("signalen", Object(s["url"], frozenset([kolom])))
    # Triage opens the zaken (or delegates a cluster to its party); wait until each aanvraag (a signal may have
    # made one too) has settled.
    deadline = time.monotonic() + 30
    while True:
        lezen = suite.get("/intake/api/v1/aanvragen?pageSize=100")["results"]
        zaken = suite.get("/zaken/api/v1/zaken?pageSize=100")["results"]
        per_huishouden: dict[str, int] = {}
        for z in zaken:
            per_huishouden[z.get("huishouden")] = per_huishouden.get(z.get("huishouden"), 0) + 1
        # The data set's own aanvragen are triaged; one a signal made may wait for more signals as it is.
        eigen = [a for a in lezen if (a.get("toelichting") or "").startswith("MX-")]
        if all(a["status"] not in ("ingediend", "getrieerd") and
               per_huishouden.get(a["huishouden"], 0) >= len((a.get("triage") or {}).get("zaken", [])) for a in eigen):
            break
        assert time.monotonic() < deadline, f"triage did not settle: {[a['status'] for a in lezen]}"
        time.sleep(0.1)
    kolom_van = kolom_van_zaaktype(suite, profile)
    huishouden_kolommen: dict[str, set[str]] = {}
    for a in lezen:
        kolommen = frozenset(a["kolommen"])
        g.voeg("aanvragen", Object(a["url"], kolommen, integraal=bool((a.get("triage") or {}).get("integraal"))))
        if a["huishouden"]:
            huishouden_kolommen.setdefault(a["huishouden"], set()).update(kolommen)
    # One zaak above the zaaktype applicatie's vertrouwelijkheid, of its own zaaktype (where its cluster's zaken
    # are the municipality's, not an outside party's).
    if profile.partij_of(profile.cluster_of("jeugd")) is None:
        _post(suite, "/zaken/api/v1/zaken", {
            "bronorganisatie": DEFAULT_RSIN, "verantwoordelijkeOrganisatie": DEFAULT_RSIN,
            "zaaktype": suite.zaaktypen[ZAAKTYPE], "startdatum": date.today().isoformat(),
            "vertrouwelijkheidaanduiding": "zeer_geheim", "omschrijving": f"{marker('jeugd')} zeer geheim"})
    for z in suite.get("/zaken/api/v1/zaken?pageSize=100")["results"]:
        kolommen = kolom_van[z["zaaktype"]]
        integraal = len(kolommen) > 1
        if integraal and z.get("huishouden") in huishouden_kolommen:
            # The integral zaak of a household is of the kolommen its aanvragen ask in.
            kolommen = frozenset(huishouden_kolommen[z["huishouden"]])
        obj = g.voeg("zaken", Object(z["url"], kolommen, integraal=integraal, zaaktype=z["zaaktype"],
                                     vertrouwelijkheid=z["vertrouwelijkheidaanduiding"]))
        _onderdelen(suite, g, z, obj)
    # The rollen triage gave the zaken, each seen as its zaak is.
    for rol in suite.get("/zaken/api/v1/rollen?pageSize=100")["results"]:
        zaak = g.van("zaken")[rol["zaak"]]
        g.voeg("rollen", Object(rol["url"], zaak.kolommen, zaak.integraal, zaak.zaaktype, zaak.vertrouwelijkheid))
    for huishouden, kolommen in huishouden_kolommen.items():
        h = suite.get(huishouden)
        g.voeg("huishoudens", Object(huishouden, frozenset(kolommen)))
        persoon = h["leden"][0]["persoon"]
        g.personen[persoon] = frozenset(kolommen)
        g.voeg("personen", Object(persoon, frozenset(kolommen)))
        for naam, cluster in profile.clusters.items():
            if not set(cluster.kolommen) & kolommen:
                continue  # a contact in a cluster is itself a lawful reason there: only where the household is
            # Seen where the client serves the cluster and may see the person (a lawful reason in its kolom).
            c = _post(suite, "/klantgegevens/api/v1/contactmomenten", {
                "persoon": persoon, "cluster": naam, "kanaal": "telefoon", "medewerker": "mx",
                "onderwerp": f"contactmoment {naam}", "tijdstip": datetime.now(UTC).isoformat()})
            g.voeg("contactmomenten", Object(c["url"], frozenset(cluster.kolommen) & frozenset(kolommen),
                                             persoon=persoon, cluster=naam))
        # A toestemming is itself a lawful reason, so only in the kolommen the household already asks in.
        for kolom in sorted(kolommen):
            t = _post(suite, "/klantgegevens/api/v1/toestemmingen", {
                "persoon": persoon, "doel": f"mx-{kolom}", "kolom": kolom, "startdatum": "2026-01-01"})
            g.voeg("toestemmingen", Object(t["url"], frozenset([kolom]), persoon=persoon))
    return g


def _onderdelen(suite: Suite, g: Gegevens, zaak: dict[str, Any], obj: Object) -> None:
    """A zaak's parts: each belongs to the zaak's kolommen and is seen as the zaak is."""
    def deel(resource: str, url: str) -> None:
        g.voeg(resource, Object(url, obj.kolommen, obj.integraal, obj.zaaktype, obj.vertrouwelijkheid))

    zaaktype = suite.get(zaak["zaaktype"])
    kolom = sorted(obj.kolommen)[0]
    if not zaak.get("status"):
        s = _post(suite, "/zaken/api/v1/statussen", {
            "zaak": zaak["url"], "statustype": zaaktype["statustypen"][0],
            "datumStatusGezet": datetime.now(UTC).isoformat(), "statustoelichting": marker(kolom)})
        deel("statussen", s["url"])
    zo = _post(suite, "/zaken/api/v1/zaakobjecten", {
        "zaak": zaak["url"], "objectType": "overige", "objectTypeOverige": "matrix",
        "object": f"{suite.url}/mx/{zaak['uuid']}", "relatieomschrijving": marker(kolom)})
    deel("zaakobjecten", zo["url"])
    if zaaktype["eigenschappen"]:
        e = _post(suite, f"{zaak['url']}/zaakeigenschappen", {"zaak": zaak["url"],
                                                              "eigenschap": zaaktype["eigenschappen"][0],
                                                              "waarde": "20261101"})
        deel("zaakeigenschappen", e["url"])
    r = _post(suite, "/zaken/api/v1/resultaten", {"zaak": zaak["url"], "resultaattype": zaaktype["resultaattypen"][0],
                                                  "toelichting": marker(kolom)})
    deel("resultaten", r["url"])
    if zaaktype["besluittypen"]:
        b = _post(suite, "/besluiten/api/v1/besluiten", {
            "verantwoordelijkeOrganisatie": DEFAULT_RSIN, "besluittype": zaaktype["besluittypen"][0],
            "zaak": zaak["url"], "datum": date.today().isoformat(), "ingangsdatum": date.today().isoformat(),
            "toelichting": marker(kolom)})
        deel("besluiten", b["url"])
