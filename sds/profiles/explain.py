"""A profile in plain words: how each kind of request will be routed, who holds regie, what goes outside.

English sentences with the Dutch domain words of the glossary, so an operator can check a profile against
what the municipality decided before the suite runs with it.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from itertools import combinations

from sds.profiles.model import SERVICES, Profile

_FIRST_ACCESS = {
    "integraal": "one toegang for the whole social domain; it looks at the household as a whole from the first "
                 "contact",
    "per-cluster": "a toegang per cluster; each cluster handles the questions within it integrally",
    "per-kolom": "a toegang per kolom; each kolom handles its own questions",
}

_CAPABILITY_WORDS = {
    "signaalfunctie": "signaalfunctie (acting on early signals from partners)",
    "huishoudperspectief": "huishoudperspectief (the household, not only the client)",
    "eigen_dossier": "eigen digitaal klantdossier for the household",
    "zelfredzaamheid": "zelfredzaamheid applications (eigen kracht, 0e lijn)",
    "contractbeheer": "inkoop- en contractbeheer",
    "beleidsinformatie": "beleidsinformatie",
    "clusterinformatie": "clusterinformatie (is the clustering still right?)",
}


def _join(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _bullet(text: str) -> str:
    # Names and URLs hold hyphens; breaking there would print a cluster or a host that does not exist.
    return textwrap.fill(text, width=100, initial_indent="  - ", subsequent_indent="    ",
                         break_on_hyphens=False, break_long_words=False)


def _destination(p: Profile, cluster: str) -> str:
    """Where the questions of ``cluster`` are handled."""
    partij = p.partij_of(cluster)
    if partij is not None:
        return f"delegated to partij {p.clusters[cluster].partij} ({partij.omschrijving})"
    where = p.upstream("zaken", cluster)
    return f"inside the municipality (zaken at {where})" if where else "inside the municipality"


def _part(p: Profile, cluster: str, kolommen: Sequence[str]) -> str:
    """What happens to the questions of one aanvraag that fall in ``cluster``."""
    if p.clusters[cluster].toegang == "extern":
        return (f"the {_join(kolommen)} part is delegated to partij {p.clusters[cluster].partij} (cluster "
                f"{cluster}), which runs its own toegang")
    where = p.upstream("zaken", cluster)
    at = f" (zaken at {where})" if where else ""
    if p.eerste_toegang == "per-kolom":
        return f"intake opens a zaak in kolom {kolommen[0]}{at}"
    if p.eerste_toegang == "integraal":
        return f"intake opens one integral zaak for the household covering {_join(kolommen)}{at}"
    if len(kolommen) > 1:
        return f"intake opens one zaak in cluster {cluster} covering {_join(kolommen)}, handled there as a whole{at}"
    return f"intake opens a zaak in cluster {cluster} for {kolommen[0]}{at}"


def _regie_clause(p: Profile, clusters: list[str]) -> str:
    internal = [c for c in clusters if p.clusters[c].toegang == "intern"]
    if not internal:
        return ""
    if p.regie.model == "een-plan-een-regisseur":
        return " Every zaak of the household joins its one plan under its one regisseur."
    if p.regie.model == "per-cluster":
        return f" The household gets a plan and a regisseur in {_join(['cluster ' + c for c in internal])}."
    return ""


def _escalates_by_count(p: Profile, kolommen: Sequence[str]) -> bool:
    if p.escalatie is None or p.escalatie.bij.kolommen_minimaal is None:
        return False
    units = {p.cluster_of(k) for k in kolommen} if p.eerste_toegang == "per-cluster" else set(kolommen)
    return len(kolommen) >= p.escalatie.bij.kolommen_minimaal and len(units) > 1


def _route(p: Profile, kolommen: Sequence[str]) -> str:
    """The sentence for an aanvraag with questions in ``kolommen``."""
    clusters = list(dict.fromkeys(p.cluster_of(k) for k in kolommen))
    if p.eerste_toegang == "per-kolom":
        parts = [_part(p, p.cluster_of(k), [k]) for k in kolommen]
    else:
        parts = [_part(p, c, [k for k in kolommen if p.cluster_of(k) == c]) for c in clusters]
    text = parts[0] if len(parts) == 1 else "the aanvraag is split; " + "; ".join(parts)
    if p.eerste_toegang == "integraal":
        text = "the one toegang looks at the whole household and " + text.removeprefix("intake ")
    text += "." + _regie_clause(p, clusters)
    if _escalates_by_count(p, kolommen):
        minimum = p.escalatie.bij.kolommen_minimaal  # type: ignore[union-attr]
        text += (f" Because the questions touch at least {minimum} kolommen, the household also goes to the "
                 f"integraal team: the zaken come under one integral hoofdzaak for the household.")
    elif len(parts) > 1 and p.regie.model == "geen":
        text += " Nobody looks at the household's questions together."
    return text


def _routing(p: Profile) -> list[str]:
    lines = []
    for kolom in p.kolommen:
        lines.append(_bullet(f"An aanvraag with questions in kolom {kolom} only: " + _route(p, [kolom])))
    if p.escalatie is not None and p.escalatie.bij.open_zaak_andere_kolom:
        lines.append(_bullet("An aanvraag in one kolom for a household that already has an open zaak in another "
                             "kolom goes to the integraal team as well: both zaken come under one integral "
                             "hoofdzaak for the household."))
    if p.escalatie is not None and p.escalatie.bij.doorverwijzing_vanuit_kolom:
        lines.append(_bullet("When the professional in a kolom finds that much more is going on, they refer the "
                             "household to the integraal team, which works on one integral hoofdzaak."))

    same = next(((c, cl.kolommen[:2]) for c, cl in p.clusters.items() if len(cl.kolommen) > 1), None)
    if same is None:
        lines.append(_bullet("An aanvraag with questions in two kolommen of the same cluster does not occur: every "
                             "cluster holds one kolom."))
    else:
        cluster, pair = same
        lines.append(_bullet(f"An aanvraag with questions in two kolommen of the same cluster (e.g. {_join(pair)} "
                             f"in {cluster}): " + _route(p, list(pair))))
    pairs = list(combinations(p.clusters, 2))
    # An example that crosses from an extern to an intern cluster shows both ways a request can go.
    pairs.sort(key=lambda ab: p.clusters[ab[0]].toegang == p.clusters[ab[1]].toegang)
    if not pairs:
        lines.append(_bullet("An aanvraag with questions in two clusters does not occur: one cluster holds every "
                             "kolom."))
    else:
        a, b = pairs[0]
        kolommen = [p.clusters[a].kolommen[0], p.clusters[b].kolommen[0]]
        lines.append(_bullet(f"An aanvraag with questions in two clusters (e.g. {kolommen[0]} in {a} and "
                             f"{kolommen[1]} in {b}): " + _route(p, kolommen)))
    lines.append(_bullet(_signal(p)))
    return lines


def _signal(p: Profile) -> str:
    s = p.signalering
    if s is None:
        return "A signal from a partner: the signaalfunctie is off, so intake does not act on signals."
    per_kolom: dict[str, list[str]] = {}
    for soort, kolom in s.kolom_per_soort.items():
        per_kolom.setdefault(kolom, []).append(soort)
    mapping = "; ".join(f"{_join(soorten)} → {kolom}" for kolom, soorten in per_kolom.items())
    if s.min_partners == 1:
        rule = "Every signal makes intake file a proactive aanvraag"
    else:
        rule = (f"When signals from at least {s.min_partners} different partners arrive within {s.venster_dagen} "
                f"days, intake files a proactive aanvraag")
    crisis = " A crisis signal does so at once." if s.crisissignaal_direct and s.min_partners > 1 else ""
    return (f"A signal from a partner is registered with the household. {rule} in the kolommen of those signals "
            f"({mapping}), routed like any aanvraag above.{crisis} Signals of other kinds are registered for "
            f"beleidsinformatie but make no aanvraag on their own.")


def _regie(p: Profile) -> str:
    if p.regie.model == "geen":
        return "Nobody holds regie: there is no household plan and no regisseur."
    if p.regie.model == "per-cluster":
        return ("Regie per cluster: in each internal cluster the household gets one plan and one regisseur for "
                "its questions in that cluster; an extern cluster's partij directs its own part.")
    return ("Eén gezin, één plan, één regisseur: the household has one plan across every kolom, directed by one "
            "regisseur.")


_ANDERE_KOLOMMEN = {
    "niets": "nothing of them, not even that there are any: its kolommen and clusters are cut to its own",
    "dat": "that another kolom is involved (andereKolommen: true), not which one nor what it holds",
    "welke": "which kolommen and clusters are involved, never what they hold",
}


def _zicht(p: Profile) -> list[str]:
    lines = [_bullet("A team limited to kolommen or clusters sees of an aanvraag, a signaal or a household only "
                     "its own part: its own vragen, termijnen, triage parts, zaken and delegaties; what it may not "
                     "see is left out, and a change outside its kolommen is refused."),
             _bullet(f"Of the household's other kolommen it learns {_ANDERE_KOLOMMEN[p.zicht.andere_kolommen]}.")]
    if p.zicht.integraal == "geheel":
        wie = ("the integral team (one toegang for the whole social domain)" if p.eerste_toegang == "integraal"
               else "the integral team once a household is escalated to it")
        lines.append(_bullet(f"An aanvraag triage made integral is seen whole by every team with a part in it: "
                             f"{wie} works on the household as one."))
    else:
        lines.append(_bullet("An integral aanvraag is cut like any other: only an applicatie that serves every "
                             "kolom sees the whole household."))
    return lines


def _delegation(p: Profile) -> list[str]:
    extern = [(name, c) for name, c in p.clusters.items() if c.toegang == "extern"]
    if not extern:
        return [_bullet("Nothing: every cluster is handled inside the municipality.")]
    lines = []
    for name, cluster in extern:
        partij = p.externe_partijen[cluster.partij]  # type: ignore[index]
        lines.append(_bullet(
            f"Cluster {name} ({_join(cluster.kolommen)}) → partij {cluster.partij}, {partij.omschrijving}: the "
            f"gateway sends its requests to {partij.api} with the credentials in {partij.credentials}; the partij "
            f"reports status and outcome back through the gateway."))
    return lines


def _termijnen(p: Profile) -> list[str]:
    lines = []
    for kolom in p.kolommen:
        t = p.termijnen[kolom]
        onderzoek = f"onderzoek within {t.onderzoek_dagen} days of the melding, " if t.onderzoek_dagen else ""
        lines.append(_bullet(f"{kolom}: {onderzoek}beslissing within {t.beslissing_dagen} days of the aanvraag."))
    return lines


def _upstreams(p: Profile) -> list[str]:
    lines = []
    for service in SERVICES:
        entry = p.upstreams.get(service)  # type: ignore[call-overload]
        if entry is None:
            continue
        default = entry.url or "the internal service"
        per_cluster = "".join(f"; cluster {c}: {url}" for c, url in entry.clusters.items())
        lines.append(_bullet(f"{service}: {default}{per_cluster}."))
    return lines or [_bullet("Every service is the internal one, shared by all clusters.")]


def _gateway(p: Profile) -> list[str]:
    """How the gateway picks the upstream of one request (gateway.clusters), for this profile."""
    per_cluster = sorted({service for service in SERVICES for cluster in p.clusters
                          if (url := p.upstream(service, cluster)) and url != p.upstream(service)})
    extern = [name for name, c in p.clusters.items() if c.toegang == "extern"]
    if not per_cluster and not extern:
        return [_bullet("Every request goes to its service by the first part of its path (/zaken, /catalogi and "
                        "/besluiten to zaken); no service runs per cluster, so the gateway does no cluster work.")]
    lines = [_bullet("The cluster of a request: for /zaken and /catalogi a zaaktype it names (query parameter "
                     "zaaktype, or zaaktype in a JSON body) → the kolom of its catalogus → that kolom's cluster "
                     "(the gateway asks the catalogue once per published zaaktype); otherwise the one cluster of a "
                     "client whose applicatie serves exactly one; otherwise none, and the service's default "
                     "upstream answers. A zaaktype of a cluster the client may not see counts as none, so a "
                     "client never reaches another cluster's instance or party.")]
    if per_cluster:
        lines.append(_bullet(f"{_join(per_cluster)} {'runs' if len(per_cluster) == 1 else 'run'} per cluster "
                             "(see Upstreams below): a request of such a cluster goes to its instance."))
    if "intake" in per_cluster:
        lines.append(_bullet("A new aanvraag (POST /intake/api/v1/aanvragen) goes to intake's instance of a cluster "
                             "only when every question states a kolom of that one cluster; otherwise to intake's "
                             "default."))
    for name in extern:
        partij = p.externe_partijen[p.clusters[name].partij]  # type: ignore[index]
        lines.append(_bullet(
            f"/zaken requests of cluster {name} go to partij {p.clusters[name].partij} at {partij.api} (the same "
            f"path appended), with a JWT-ZGW token signed with the secret in {partij.credentials}; /catalogi stays "
            f"with the municipality's catalogue, and the partij's own applicatie is never sent back to itself."))
    if extern:
        lines.append(_bullet("New aanvragen always go to intake, which triages them; for each delegated part the "
                             "gateway reads the aanvraag from intake and POSTs the part's questions to the partij's "
                             "{api}/aanvragen (once per part, by Idempotency-Key), and the partij reports back with "
                             "POST /intake/api/v1/statusberichten through the gateway with its own applicatie."))
    return lines


def explain(profile: Profile) -> str:
    p = profile
    out = [f"Archetype profile {p.archetype}", textwrap.fill(p.beschrijving, width=100, break_on_hyphens=False), ""]
    out.append(f"Kolommen in use: {_join(list(p.kolommen))}.")
    out.append("Clusters:")
    for name, cluster in p.clusters.items():
        out.append(_bullet(f"{name} ({_join(cluster.kolommen)}): {_destination(p, name)}."))
    out.append(textwrap.fill(f"First access: {_FIRST_ACCESS[p.eerste_toegang]}.", width=100, break_on_hyphens=False))
    if p.escalatie is None:
        out.append("Escalation: none; no integraal team takes over households.")
    else:
        out.append("Escalation: to the integraal team, as described below.")
    out += ["", "How requests are routed:", *_routing(p)]
    out += ["", "Regie:", _bullet(_regie(p))]
    out += ["", "What a team sees:", *_zicht(p)]
    out += ["", "Delegated to external parties:", *_delegation(p)]
    caps = p.capabilities.model_dump()
    on = [_CAPABILITY_WORDS[name] for name, value in caps.items() if value]
    off = [_CAPABILITY_WORDS[name] for name, value in caps.items() if not value]
    out += ["", "Capabilities:", _bullet("on: " + (_join(on) if on else "none") + "."),
            _bullet("off: " + (_join(off) if off else "none") + ".")]
    out += ["", "Priorities, in order:", *[f"  {i}. {f}" for i, f in enumerate(p.prioriteiten, 1)]]
    out += ["", "Termijnen (calendar days):", *_termijnen(p)]
    out += ["", "Upstreams:", *_upstreams(p)]
    out += ["", "How the gateway picks the upstream of a request:", *_gateway(p)]
    return "\n".join(out) + "\n"
