"""The rules of vroegsignalering, without I/O: the household key's deduplication window and the profile's rule
that turns signals into a proactive aanvraag."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sds.profiles import Profile

# Without a signalering section in the profile (or without a profile) signals are still deduplicated, over the
# window the shipped profiles use.
STANDAARD_VENSTER_DAGEN = 90

Partner = tuple[str, str]  # (partnersoort, partner): who sent a signal


@dataclass(frozen=True)
class Regel:
    """The profile's signalering, for a deployment whose signaalfunctie is on."""

    min_partners: int
    venster_dagen: int
    crisissignaal_direct: bool
    kolom_per_soort: dict[str, str]


def regel(profile: Profile | None) -> Regel | None:
    """The rule to apply, or None when signals are only registered (no profile, or the signaalfunctie off)."""
    if profile is None or not profile.capabilities.signaalfunctie or profile.signalering is None:
        return None
    s = profile.signalering
    return Regel(s.min_partners, s.venster_dagen, s.crisissignaal_direct, dict(s.kolom_per_soort))


def kolom_van(profile: Profile | None, signaalsoort: str) -> str | None:
    """The kolom a signal of this kind belongs to (the profile's mapping); None: no kolom's (registered only)."""
    if profile is None or profile.signalering is None:
        return None
    return profile.signalering.kolom_per_soort.get(signaalsoort)  # type: ignore[call-overload, no-any-return]


def venster_dagen(profile: Profile | None) -> int:
    if profile is not None and profile.signalering is not None:
        return profile.signalering.venster_dagen
    return STANDAARD_VENSTER_DAGEN


def dag(value: date) -> int:
    """A date as a day number, so windows are integer arithmetic on every database."""
    return value.toordinal()


def buiten_venster(begin: int, nieuw: int, venster: int) -> bool:
    """A signal on day ``nieuw`` is past the window that opened on day ``begin``: it counts anew. One dated
    before the window's end (also one older than its begin, sent late) is inside it."""
    return nieuw >= begin + venster


@dataclass(frozen=True)
class Gezien:
    """A signal of the household key as the rule sees it: stored before, or accepted in this request."""

    partner: Partner
    dag: int
    signaalsoort: str
    crisis: bool


@dataclass(frozen=True)
class Nieuw:
    """A signal accepted in this request: the one that may make the rule hold, and whose BSN opens the aanvraag."""

    index: int
    uuid: str
    gezien: Gezien
    bsn: str


@dataclass(frozen=True)
class Aanleiding:
    """Why a proactive aanvraag is opened, for which signal, in which kolom; the reason in a worker's words."""

    signaal: Nieuw
    kolom: str
    toelichting: str


def beoordeel(r: Regel, nieuw: list[Nieuw], alle: list[Gezien]) -> Aanleiding | None:
    """The rule for one household key: ``nieuw`` are its signals accepted now, ``alle`` every signal of the key
    (these included). A kind of signal the profile maps to no kolom is registered but counts for nothing."""
    telt = [n for n in nieuw if n.gezien.signaalsoort in r.kolom_per_soort]
    if not telt:
        return None
    if r.crisissignaal_direct:
        crisis = [n for n in telt if n.gezien.crisis]
        if crisis:
            n = crisis[0]
            return Aanleiding(n, r.kolom_per_soort[n.gezien.signaalsoort], (
                f"Crisissignaal ({n.gezien.signaalsoort}) van een {n.gezien.partner[0]}: het huishouden krijgt "
                "direct een aanbod van ondersteuning."))
    # The window ends at the newest signal accepted now; the aanvraag goes to that signal's kolom.
    laatste = max(telt, key=lambda n: (n.gezien.dag, n.index))
    eind = laatste.gezien.dag
    binnen = [g for g in alle if g.signaalsoort in r.kolom_per_soort and eind - r.venster_dagen < g.dag <= eind]
    partners = {g.partner for g in binnen}
    if len(partners) < r.min_partners:
        return None
    soorten = sorted({p[0] for p in partners})
    wie = f"{len(partners)} partners ({', '.join(soorten)})" if len(partners) > 1 else f"een {soorten[0]}"
    return Aanleiding(laatste, r.kolom_per_soort[laatste.gezien.signaalsoort], (
        f"Signalen van {wie} binnen {r.venster_dagen} dagen "
        f"({', '.join(sorted({g.signaalsoort for g in binnen}))}): het huishouden krijgt een aanbod van "
        "ondersteuning."))


def mag_openen(aanvraag_dag: int | None, signaal_dag: int, venster: int) -> bool:
    """At most one proactive aanvraag per household key and window."""
    return aanvraag_dag is None or buiten_venster(aanvraag_dag, signaal_dag, venster)
