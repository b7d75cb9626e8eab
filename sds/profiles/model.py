"""The shape of an archetype profile: how a municipality organises access, integral work and regie.

The seed (``shared/seed/archetypen-sociaal-domein.txt``) describes five archetypes; a profile is one of
them written down as configuration, or a municipality's own variant. Every part of the suite loads the
same profile, so this module holds only data and the rules of one field at a time. Rules that span
fields (a kolom in two clusters, escalation under integral access, ...) live in ``checks.py``: load a
profile with ``load_profile``/``parse_profile``, which run both, rather than ``Profile.model_validate``.

The JSON Schema in ``contracts/archetype-profile.schema.json`` is generated from these models.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal, get_args
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from contracts.events.fields import Code, Kolom
from contracts.events.intake import SignaalOntvangen

KOLOMMEN: tuple[str, ...] = get_args(Kolom)

# Kept equal to sds.cli.suite.SERVICES by a test: services import this package and may not import the CLI.
SERVICES = ("intake", "zaken", "klantgegevens", "financien", "beleidsinfo", "notificaties", "documenten")
Service = Literal["intake", "zaken", "klantgegevens", "financien", "beleidsinfo", "notificaties", "documenten"]

# The signal kinds intake accepts are the event contract's, so a profile can map every kind a partner sends.
Signaalsoort = SignaalOntvangen.model_fields["signaalsoort"].annotation
SIGNAALSOORTEN: tuple[str, ...] = get_args(Signaalsoort)

Toegang = Literal["intern", "extern"]
EersteToegang = Literal["integraal", "per-cluster", "per-kolom"]
RegieModel = Literal["geen", "per-cluster", "een-plan-een-regisseur"]
PlanPer = Literal["huishouden", "cluster"]
AndereKolommen = Literal["niets", "dat", "welke"]
IntegraalZicht = Literal["per-kolom", "geheel"]

# The functions of the PvE the seed names in its "Prioriteiten" sections, so a profile can keep the
# archetype's order of what to set up first.
Functie = Literal[
    "toegang",  # toegang incl. signalering, melding en registratie
    "signaalfunctie",
    "klantgegevens",
    "financiele-informatie",  # financiële-, verantwoordings- en stuurinformatie
    "contractbeheer",  # inkoop- en contractbeheer
    "beleidsinformatie",
    "clusterinformatie",  # is the chosen clustering still the right one?
    "zaakgericht-werken",
    "regie",
    "escalatie",
    "huishoudperspectief",
    "eigen-dossier",
    "zelfredzaamheid",
]
FUNCTIES: tuple[str, ...] = get_args(Functie)

CREDENTIALS_PATTERN = r"^(env:[A-Z_][A-Z0-9_]*|file:/[^\s]+)$"
_CREDENTIALS = re.compile(CREDENTIALS_PATTERN)


def _base_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("must be an http(s) URL with a host, e.g. https://jeugd.regio.example/api/v1")
    if parts.username is not None or parts.password is not None:
        # Never echo the value: the user part of a URL is where a literal secret hides.
        raise ValueError("must not carry a user name or password; put the secret behind a credentials reference")
    if parts.query or parts.fragment:
        raise ValueError("is a base URL and takes no query or fragment")
    # The gateway appends paths to it; one spelling, without the trailing slash, avoids a double slash.
    return value.rstrip("/")


BaseUrl = Annotated[
    str,
    Field(max_length=1000, pattern=r"^https?://[^\s/?#@]+(/[^\s?#]*)?$", json_schema_extra={"format": "uri"}),
    AfterValidator(_base_url),
]


def _credentials_reference(value: str) -> str:
    if not _CREDENTIALS.match(value):
        raise ValueError("must be a reference to where the secret is kept (env:VARIABLE or file:/path), "
                         "never the secret itself")
    return value


CredentialsRef = Annotated[
    str,
    Field(pattern=CREDENTIALS_PATTERN,
          description="where the secret is kept: env:VARIABLE (e.g. env:REGIO_JEUGD_SECRET) or file:/path "
                      "(e.g. a Kubernetes secret mount); never the secret itself"),
    AfterValidator(_credentials_reference),
]

Days = Annotated[int, Field(ge=1, le=3650)]


def _unique(description: str) -> dict[str, Any]:
    return {"uniqueItems": True, "description": description}


class _Config(BaseModel):
    # strict: the JSON Schema says integer and boolean, and YAML's "ja" or "2" must not slip past the model
    # where a schema-driven editor would refuse them.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Cluster(_Config):
    """A group of kolommen whose questions are handled together, inside the municipality or by a partij."""

    kolommen: list[Kolom] = Field(min_length=1, json_schema_extra=_unique("the kolommen this cluster handles"))
    toegang: Toegang = Field(description="intern: the municipality's own services; extern: delegated to a partij")
    partij: Code | None = Field(None, description="for toegang extern: the name of the party in externe_partijen")


class ExternePartij(_Config):
    """A party outside the municipality that runs a cluster's access (a regional youth-care organisation, ...)."""

    omschrijving: str = Field(min_length=1, max_length=200, description="who this is, in plain words")
    api: BaseUrl = Field(description="base URL of the party's API; a deployment sets the real one")
    credentials: CredentialsRef


class EscalatieBij(_Config):
    """When a household leaves the kolom (or cluster) for the integral team; any one trigger suffices."""

    kolommen_minimaal: int | None = Field(
        None, ge=2, le=len(KOLOMMEN),
        description="an aanvraag with questions in at least this many kolommen, spread over more than one "
                    "toegang; null: the number of kolommen alone never escalates")
    open_zaak_andere_kolom: bool = Field(
        False, description="an aanvraag for a household that already has an open zaak in another kolom")
    doorverwijzing_vanuit_kolom: bool = Field(
        False, description="a kolom professional may refer the household when much more turns out to be going on")


class Escalatie(_Config):
    naar: Literal["integraal-team"]
    bij: EscalatieBij


class Regie(_Config):
    model: RegieModel = Field(description="geen; per-cluster: a plan and regisseur per cluster; "
                                          "een-plan-een-regisseur: één gezin, één plan, één regisseur")
    plan_per: PlanPer | None = Field(None, description="what one plan covers: the whole huishouden or its part "
                                                       "in one cluster; null when regie is geen")


class Zicht(_Config):
    """What a team limited to kolommen or clusters sees of a resource that spans several (an aanvraag of a
    household with questions in two clusters): always only its own part; these say what it learns beyond that."""

    andere_kolommen: AndereKolommen = Field(
        "niets", description="of the parts outside its kolommen: niets (nothing, not even that there are any); "
                             "dat (that another kolom is involved, not which nor what); welke (which kolommen and "
                             "clusters are involved, never what they hold)")
    integraal: IntegraalZicht = Field(
        "per-kolom", description="an aanvraag that triage made integral (the one integral zaak, an escalation to "
                                 "the integral team): per-kolom (each team its own part, like any other) or geheel "
                                 "(every team with a part in it sees the whole household, because one team and "
                                 "one regisseur work on it as one)")


class Capabilities(_Config):
    """What the suite switches on; every one is stated, because the archetypes differ in exactly these."""

    signaalfunctie: bool = Field(description="act on early signals from partners (vroegsignalering)")
    huishoudperspectief: bool = Field(description="look at the household, not only at the individual client")
    eigen_dossier: bool = Field(description="the household's own digital client dossier")
    zelfredzaamheid: bool = Field(description="applications for self-reliance (eigen kracht, 0e lijn)")
    contractbeheer: bool = Field(description="inkoop- en contractbeheer with the financial accounts")
    beleidsinformatie: bool = Field(description="indicators to steer and to choose well in the future")
    clusterinformatie: bool = Field(description="information to judge whether the chosen clustering still fits")


class Signalering(_Config):
    """The rule that turns early signals from partners into a proactive aanvraag."""

    min_partners: int = Field(ge=1, le=10, description="signals from at least this many different partners ...")
    venster_dagen: Days = Field(description="... within this many days make a proactive aanvraag")
    crisissignaal_direct: bool = Field(description="a crisis signal (e.g. imminent eviction) makes one at once")
    kolom_per_soort: dict[Signaalsoort, Kolom] = Field(  # type: ignore[valid-type]
        min_length=1,
        description="the kolom a proactive aanvraag goes to, per kind of signal; a kind not listed is "
                    "registered but leads to no aanvraag")


class Termijn(_Config):
    """Response times of a kolom in calendar days, as its law (or the municipality, shorter) sets them."""

    onderzoek_dagen: Days | None = Field(None, description="from the melding to the end of the research")
    beslissing_dagen: Days = Field(description="from the aanvraag to the decision")


class ServiceUpstream(_Config):
    """Where one service runs for this deployment; without an entry the gateway uses the internal service."""

    url: BaseUrl | None = Field(None, description="the instance for every cluster not listed below")
    clusters: dict[Code, BaseUrl] = Field(default_factory=dict, description="cluster name -> its own instance")


class Profile(_Config):
    """An archetype profile. Load it with ``load_profile`` so the cross-field checks run too."""

    model_config = ConfigDict(title="Archetype profile")

    archetype: Code = Field(description="the profile's name, e.g. transitie-proof")
    beschrijving: str = Field(min_length=1, max_length=2000)
    kolommen: list[Kolom] = Field(min_length=1, json_schema_extra=_unique("the kolommen in use"))
    clusters: dict[Code, Cluster] = Field(min_length=1, description="every kolom in use in exactly one cluster")
    externe_partijen: dict[Code, ExternePartij] = Field(default_factory=dict)
    eerste_toegang: EersteToegang = Field(description="where a question is first handled: one toegang for the "
                                                      "whole social domain, one per cluster, or one per kolom")
    escalatie: Escalatie | None = Field(description="null, or when a household goes to the integral team")
    regie: Regie
    zicht: Zicht = Field(default_factory=Zicht,
                         description="what a team sees of the household's other kolommen; left out: nothing")
    capabilities: Capabilities
    signalering: Signalering | None = Field(description="required when the signaalfunctie is on, else null")
    termijnen: dict[Kolom, Termijn] = Field(description="per kolom in use")
    upstreams: dict[Service, ServiceUpstream] = Field(default_factory=dict)
    prioriteiten: list[Functie] = Field(
        min_length=1,
        json_schema_extra=_unique("what to set up first, in the seed's order; only functions that are on"))

    def cluster_of(self, kolom: str) -> str:
        for name, cluster in self.clusters.items():
            if kolom in cluster.kolommen:
                return name
        raise KeyError(f"kolom {kolom} is in no cluster of profile {self.archetype}")

    def partij_of(self, cluster: str) -> ExternePartij | None:
        partij = self.clusters[cluster].partij
        return self.externe_partijen[partij] if self.clusters[cluster].toegang == "extern" and partij else None

    def upstream(self, service: str, cluster: str | None = None) -> str | None:
        """The base URL of ``service`` for ``cluster``; None means the gateway's internal service."""
        entry = self.upstreams.get(service)  # type: ignore[call-overload]
        if entry is None:
            return None
        if cluster is not None and cluster in entry.clusters:
            return entry.clusters[cluster]
        return entry.url
