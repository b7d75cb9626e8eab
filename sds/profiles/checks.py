"""Rules across fields of a profile, which a JSON Schema cannot say.

Each rule keeps a profile from routing a request nowhere, twice, or somewhere the archetype does not
mean it to go. Every finding carries the place (a path into the document) and the problem in plain words.
"""

from __future__ import annotations

from ipaddress import ip_address
from urllib.parse import urlsplit

from sds.profiles.model import Profile

Loc = tuple[str | int, ...]
Finding = tuple[Loc, str]

_LOOPBACK_NAMES = {"localhost"}


def _is_loopback(host: str) -> bool:
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


def _duplicates(values: list[str], loc: Loc, what: str) -> list[Finding]:
    seen: set[str] = set()
    findings: list[Finding] = []
    for index, value in enumerate(values):
        if value in seen:
            findings.append(((*loc, index), f"{what} {value} is listed twice"))
        seen.add(value)
    return findings


def _kolommen_and_clusters(p: Profile) -> list[Finding]:
    findings = _duplicates(list(p.kolommen), ("kolommen",), "kolom")
    in_use = set(p.kolommen)
    home: dict[str, str] = {}
    for name, cluster in p.clusters.items():
        loc: Loc = ("clusters", name, "kolommen")
        findings += _duplicates(list(cluster.kolommen), loc, "kolom")
        for index, kolom in enumerate(cluster.kolommen):
            if kolom not in in_use:
                findings.append(((*loc, index), f"kolom {kolom} is not in use: it is missing from kolommen "
                                                f"({', '.join(p.kolommen)})"))
            elif kolom in home and home[kolom] != name:
                findings.append(((*loc, index), f"kolom {kolom} is already in cluster {home[kolom]}; a kolom "
                                                f"belongs to one cluster, or its requests would go two ways"))
            else:
                home.setdefault(kolom, name)
    for index, kolom in enumerate(p.kolommen):
        if kolom not in home:
            findings.append((("kolommen", index), f"kolom {kolom} is in use but in no cluster, so its "
                                                  f"requests would have nowhere to go"))
    return findings


def _externe_partijen(p: Profile) -> list[Finding]:
    findings: list[Finding] = []
    used: set[str] = set()
    for name, cluster in p.clusters.items():
        loc: Loc = ("clusters", name)
        if cluster.toegang == "extern":
            if cluster.partij is None:
                findings.append(((*loc, "toegang"), f"cluster {name} has toegang extern but names no partij: "
                                                    f"say which of externe_partijen runs its access"))
            elif cluster.partij not in p.externe_partijen:
                findings.append(((*loc, "partij"), f"partij {cluster.partij} is not in externe_partijen, so "
                                                   f"there is no api to send this cluster's requests to"))
            else:
                used.add(cluster.partij)
        elif cluster.partij is not None:
            findings.append(((*loc, "partij"), f"cluster {name} has toegang intern, so it delegates to no partij; "
                                               f"set toegang: extern to delegate it to {cluster.partij}"))
    for name, partij in p.externe_partijen.items():
        if name not in used:
            findings.append((("externe_partijen", name), f"partij {name} runs the access of no cluster; remove "
                                                         f"it or name it in an extern cluster"))
        host = urlsplit(partij.api).hostname or ""
        if urlsplit(partij.api).scheme != "https" and not _is_loopback(host):
            findings.append((("externe_partijen", name, "api"),
                             "the party is called with its credentials, so its api must use https "
                             "(plain http only for a test server on localhost)"))
    return findings


def _toegang_and_escalatie(p: Profile) -> list[Finding]:
    findings: list[Finding] = []
    if p.eerste_toegang == "per-kolom":
        for name, cluster in p.clusters.items():
            if len(cluster.kolommen) > 1:
                findings.append((("clusters", name, "kolommen"),
                                 f"eerste_toegang is per-kolom, but cluster {name} holds {len(cluster.kolommen)} "
                                 f"kolommen, which would never be handled together; use per-cluster access or a "
                                 f"cluster per kolom"))
    if p.escalatie is None:
        return findings
    if p.eerste_toegang == "integraal":
        findings.append((("escalatie",), "eerste_toegang is integraal, so every aanvraag is already seen as a "
                                         "whole and there is nothing to escalate to an integral team; set "
                                         "escalatie to null or use per-kolom or per-cluster access"))
    bij = p.escalatie.bij
    if bij.kolommen_minimaal is None and not bij.open_zaak_andere_kolom and not bij.doorverwijzing_vanuit_kolom:
        findings.append((("escalatie", "bij"), "names no trigger, so no household would ever reach the integral "
                                               "team; set kolommen_minimaal, open_zaak_andere_kolom or "
                                               "doorverwijzing_vanuit_kolom"))
    if bij.kolommen_minimaal is not None and bij.kolommen_minimaal > len(set(p.kolommen)):
        findings.append((("escalatie", "bij", "kolommen_minimaal"),
                         f"is {bij.kolommen_minimaal} but only {len(set(p.kolommen))} kolommen are in use, so it "
                         f"could never trigger"))
    if bij.open_zaak_andere_kolom and not p.capabilities.huishoudperspectief:
        findings.append((("escalatie", "bij", "open_zaak_andere_kolom"),
                         "needs capabilities.huishoudperspectief: without it the suite does not know the "
                         "household's zaken in other kolommen"))
    return findings


def _zicht(p: Profile) -> list[Finding]:
    if p.zicht.integraal == "geheel" and p.eerste_toegang != "integraal" and p.escalatie is None:
        return [(("zicht", "integraal"), "is geheel, but no aanvraag is ever integral here (eerste_toegang is not "
                                         "integraal and there is no escalatie), so it would never apply; set it to "
                                         "per-kolom")]
    return []


def _regie_and_capabilities(p: Profile) -> list[Finding]:
    findings: list[Finding] = []
    regie, caps = p.regie, p.capabilities
    expected = {"geen": None, "per-cluster": "cluster", "een-plan-een-regisseur": "huishouden"}[regie.model]
    if regie.plan_per != expected:
        wanted = "null (no plan)" if expected is None else expected
        findings.append((("regie", "plan_per"), f"regie {regie.model} means a plan per {wanted}, "
                                                f"not {regie.plan_per or 'null'}"))
    if regie.model != "geen" and not caps.huishoudperspectief:
        findings.append((("regie", "model"), f"regie {regie.model} makes a plan for the household, which needs "
                                             f"capabilities.huishoudperspectief"))
    if caps.eigen_dossier and not caps.huishoudperspectief:
        findings.append((("capabilities", "eigen_dossier"), "the household's own dossier needs "
                                                            "capabilities.huishoudperspectief"))
    if caps.clusterinformatie and not caps.beleidsinformatie:
        findings.append((("capabilities", "clusterinformatie"), "is policy information about the clustering "
                                                                "and needs capabilities.beleidsinformatie"))
    if caps.clusterinformatie and len(p.clusters) < 2:
        findings.append((("capabilities", "clusterinformatie"), "compares clusters, and this profile has one"))
    if caps.signaalfunctie and p.signalering is None:
        findings.append((("signalering",), "the signaalfunctie is on, so say when signals make a proactive "
                                           "aanvraag (min_partners, venster_dagen, crisissignaal_direct, "
                                           "kolom_per_soort)"))
    if not caps.signaalfunctie and p.signalering is not None:
        findings.append((("signalering",), "is set while capabilities.signaalfunctie is off; set it to null or "
                                           "switch the signaalfunctie on"))
    if p.signalering is not None:
        for soort, kolom in p.signalering.kolom_per_soort.items():
            if kolom not in p.kolommen:
                findings.append((("signalering", "kolom_per_soort", soort),
                                 f"kolom {kolom} is not in use, so a {soort} signal would have nowhere to go"))
    return findings


def _termijnen(p: Profile) -> list[Finding]:
    findings: list[Finding] = []
    for kolom in p.termijnen:
        if kolom not in p.kolommen:
            findings.append((("termijnen", kolom), f"kolom {kolom} is not in use"))
    for index, kolom in enumerate(p.kolommen):
        if kolom not in p.termijnen:
            findings.append((("kolommen", index), f"kolom {kolom} is in use but has no termijnen, so intake cannot "
                                                  f"tell when an aanvraag is overdue"))
    return findings


def _upstreams(p: Profile) -> list[Finding]:
    findings: list[Finding] = []
    for service, upstream in p.upstreams.items():
        for cluster in upstream.clusters:
            loc: Loc = ("upstreams", service, "clusters", cluster)
            if cluster not in p.clusters:
                findings.append((loc, f"there is no cluster {cluster} (clusters: {', '.join(p.clusters)})"))
            elif p.clusters[cluster].toegang == "extern":
                findings.append((loc, f"cluster {cluster} is extern: its requests go to partij "
                                      f"{p.clusters[cluster].partij}, not to an instance of {service}"))
    return findings


_NEEDS = {
    "signaalfunctie": lambda p: p.capabilities.signaalfunctie,
    "contractbeheer": lambda p: p.capabilities.contractbeheer,
    "beleidsinformatie": lambda p: p.capabilities.beleidsinformatie,
    "clusterinformatie": lambda p: p.capabilities.clusterinformatie,
    "huishoudperspectief": lambda p: p.capabilities.huishoudperspectief,
    "eigen-dossier": lambda p: p.capabilities.eigen_dossier,
    "zelfredzaamheid": lambda p: p.capabilities.zelfredzaamheid,
    "regie": lambda p: p.regie.model != "geen",
    "escalatie": lambda p: p.escalatie is not None,
}


def _prioriteiten(p: Profile) -> list[Finding]:
    findings = _duplicates(list(p.prioriteiten), ("prioriteiten",), "function")
    for index, functie in enumerate(p.prioriteiten):
        enabled = _NEEDS.get(functie)
        if enabled is not None and not enabled(p):
            findings.append((("prioriteiten", index), f"{functie} is a priority but this profile switches it off"))
    return findings


def check(profile: Profile) -> list[Finding]:
    """Every cross-field problem of ``profile``; empty when it can be used."""
    findings: list[Finding] = []
    for rule in (_kolommen_and_clusters, _externe_partijen, _toegang_and_escalatie, _zicht, _regie_and_capabilities,
                 _termijnen, _upstreams, _prioriteiten):
        findings += rule(profile)
    return findings
