"""Triage: which zaken an aanvraag opens, what goes to an external party, and why — decided by the profile.

A pure function of the profile, the aanvraag's kolommen and the household's open zaken, so each archetype's
behaviour can be read (and tested) here without a database. Every decision carries its reasons twice: as codes
for the event (no free text on the bus) and in words a worker can read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sds.profiles import KOLOMMEN, Profile

INTEGRAAL_CLUSTER = "integraal"


@dataclass(frozen=True)
class Reden:
    code: str
    tekst: str
    kolom: str | None = None

    def as_json(self) -> dict[str, str | None]:
        return {"code": self.code, "kolom": self.kolom, "tekst": self.tekst}


@dataclass(frozen=True)
class TeOpenen:
    kolommen: tuple[str, ...]
    cluster: str
    zaaktype: str  # identificatie in the catalogue; the service resolves it to the URL
    integraal: bool
    regisseur: bool


@dataclass(frozen=True)
class Delegatie:
    cluster: str
    kolommen: tuple[str, ...]
    partij: str


@dataclass
class Besluit:
    integraal: bool
    regie: str  # geen | per-cluster | huishouden
    zaken: list[TeOpenen] = field(default_factory=list)
    delegaties: list[Delegatie] = field(default_factory=list)
    redenen: list[Reden] = field(default_factory=list)


def _ordered(kolommen: set[str] | list[str] | tuple[str, ...]) -> tuple[str, ...]:
    return tuple(k for k in KOLOMMEN if k in set(kolommen))


def zaaktype_voor(zaaktypen: dict[str, str], kolommen: tuple[str, ...], leefgebieden: dict[str, list[str]]) -> str:
    """The zaaktype of a zaak for ``kolommen``: integral across kolommen; for one kolom the leefgebied's own
    zaaktype when the questions in that kolom have one leefgebied, else the kolom's."""
    if len(kolommen) > 1:
        return zaaktypen["integraal"]
    kolom = kolommen[0]
    gebieden = sorted(set(leefgebieden.get(kolom, [])))
    if len(gebieden) == 1 and gebieden[0] in zaaktypen:
        return zaaktypen[gebieden[0]]
    return zaaktypen[kolom]


def _cluster_naam(kolom: str, profile: Profile | None) -> str:
    return profile.cluster_of(kolom) if profile else kolom


def beslis(profile: Profile | None, leefgebieden: dict[str, list[str]], open_kolommen: set[str],
           zaaktypen: dict[str, str]) -> Besluit:
    """The triage of an aanvraag whose questions fall in the kolommen of ``leefgebieden`` (kolom -> its
    questions' leefgebieden), for a household with open zaken in ``open_kolommen``."""
    kolommen = _ordered(list(leefgebieden))
    eerste = profile.eerste_toegang if profile else "per-kolom"
    regie_model = profile.regie.model if profile else "geen"

    if eerste == "integraal":
        regisseur = regie_model != "geen"
        cluster = profile.cluster_of(kolommen[0]) if profile else INTEGRAAL_CLUSTER
        if profile and len({profile.cluster_of(k) for k in kolommen}) > 1:
            cluster = INTEGRAAL_CLUSTER
        besluit = Besluit(integraal=True, regie="huishouden" if regisseur else "geen", redenen=[Reden(
            "integrale-toegang",
            "Eén toegang voor het hele sociaal domein: het huishouden krijgt één integrale zaak"
            + (" met één plan en één regisseur." if regisseur else "."))])
        besluit.zaken.append(TeOpenen(kolommen, cluster, zaaktypen["integraal"], True, regisseur))
        return besluit

    # Per cluster or per kolom: group the kolommen by their toegang.
    groepen: dict[str, list[str]] = {}
    for kolom in kolommen:
        sleutel = _cluster_naam(kolom, profile) if eerste == "per-cluster" else kolom
        groepen.setdefault(sleutel, []).append(kolom)

    escalatie = profile.escalatie if profile else None
    if escalatie is not None:
        redenen = []
        minimaal = escalatie.bij.kolommen_minimaal
        toegangen = {_cluster_naam(k, profile) for k in kolommen}
        if minimaal is not None and len(kolommen) >= minimaal and len(toegangen) > 1:
            redenen.append(Reden("vragen-in-meerdere-kolommen",
                                 f"Vragen in {len(kolommen)} kolommen ({', '.join(kolommen)}): het huishouden gaat "
                                 "naar het integrale team."))
        andere = sorted(open_kolommen - set(kolommen))
        if escalatie.bij.open_zaak_andere_kolom and andere:
            for kolom in andere:
                redenen.append(Reden("open-zaak-andere-kolom",
                                     f"Het huishouden heeft al een lopende zaak in de kolom {kolom}: samen met de "
                                     "nieuwe vraag gaat het naar het integrale team.", kolom))
        if redenen:
            # The kolom zaken open as usual; zaken hangs them (and the household's other open kolom zaken)
            # under one integral hoofdzaak of the integral team, which has the regie.
            besluit = Besluit(integraal=True, regie="huishouden", redenen=redenen)
            for kolom in kolommen:
                besluit.zaken.append(TeOpenen((kolom,), _cluster_naam(kolom, profile),
                                              zaaktype_voor(zaaktypen, (kolom,), leefgebieden), False, False))
            return besluit

    regie = "per-cluster" if regie_model == "per-cluster" else ("huishouden" if regie_model != "geen" else "geen")
    besluit = Besluit(integraal=False, regie=regie)
    for groep in groepen.values():
        groep_kolommen = _ordered(groep)
        cluster = _cluster_naam(groep_kolommen[0], profile)
        partij = profile.clusters[cluster].partij if profile and profile.clusters[cluster].toegang == "extern" \
            else None
        if partij:
            besluit.delegaties.append(Delegatie(cluster, groep_kolommen, partij))
            omschrijving = profile.externe_partijen[partij].omschrijving if profile else partij
            besluit.redenen.append(Reden("toegang-extern",
                                         f"De toegang voor {', '.join(groep_kolommen)} ligt bij {omschrijving}: "
                                         "dat deel van de aanvraag gaat daarheen.", groep_kolommen[0]))
            continue
        if eerste == "per-cluster":
            besluit.redenen.append(Reden("toegang-per-cluster",
                                         f"Het cluster {cluster} behandelt {', '.join(groep_kolommen)} samen in "
                                         "één zaak" + (" met een regisseur." if regie != "geen" else "."),
                                         groep_kolommen[0]))
        else:
            besluit.redenen.append(Reden("toegang-per-kolom",
                                         f"De kolom {groep_kolommen[0]} behandelt deze vraag in een eigen zaak.",
                                         groep_kolommen[0]))
        besluit.zaken.append(TeOpenen(groep_kolommen, cluster,
                                      zaaktype_voor(zaaktypen, groep_kolommen, leefgebieden),
                                      len(groep_kolommen) > 1, regie != "geen"))
    return besluit
