"""`sds demo`: the suite's main job walked once through the gateway, checked against the active archetype.

Against a running `sds up` (found through its state file, like `sds status`): a household and its
aanvraag with two questions, the triage and its reasons, the zaken (or the integral zaak and plan, the
escalation to the integral team, the part delegated to an external party) that the archetype says
follow, then a status, a resultaat that grants care and the eindstatus of one zaak; financien's side (an
aanbieder bought in with its contract, product, tarief and budget; the toewijzing made of the toekenning, with
its verplichting to the cent; start zorg and a declaratie by the aanbieder's own applicatie; the budgetmonitor)
and the aanvraag counted in beleidsinfo. Every step prints its request and
the URL of what it made, so it can be repeated with curl. What the archetype says comes from the
profile itself (never from intake's triage code), so a suite that routes otherwise fails the demo.

Exit 0 when every step did what the archetype says; 1 with a message (no traceback) when the suite is
not running, a part does not answer, the catalogue is empty or a step went otherwise.
"""

from __future__ import annotations

import json
import os
import random
import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import httpx
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.text import Text

from sds.cli.state import read_state, state_path, supervisor_running
from sds.profiles import KOLOMMEN, Profile, ProfileError, load_profile
from sds.runtime.bsn import is_valid_bsn
from sds.runtime.jwt_zgw import encode_jwt_zgw
from sds.runtime.settings import DEV_BOOTSTRAP_CLIENT_ID, DEV_BOOTSTRAP_SECRET

T = TypeVar("T")

# One leefgebied per kolom for the demo's questions (intake maps each leefgebied to its kolom).
LEEFGEBIED = {"wmo": "huishouden", "jeugd": "opvoeden", "participatie": "werk", "schuldhulp": "schulden"}
# The kolom the seeded catalogue gives its integral zaaktypen.
INTEGRAAL = "integraal"
# What the demo needs to answer.
NEEDED = ("intake", "zaken", "klantgegevens", "financien", "beleidsinfo")
_BODY_CHARS = 400
FINANCIEN = "/financien/api/v1"
# What the demo buys in and grants: begeleiding (iStandaard productcategorie 02) by the hour, 4 hours a week for
# 12 weeks, at a tarief of its own. The verplichting follows: 4 * 12 * 33.17 = 1592.16.
PRODUCT = {"productcategorie": "02", "productcode": "02A01", "eenheid": "uur", "frequentie": "per-week"}
VOLUME, WEKEN, TARIEF = 4, 12, "33.17"
BUDGET = "250000.00"


def _centen(bedrag: str) -> int:
    euro, _, cent = bedrag.partition(".")
    return int(euro) * 100 + int((cent + "00")[:2])


def _euro(centen: int) -> str:
    return f"{centen // 100}.{centen % 100:02d}"


class DemoFailure(Exception):
    """A step did not do what the archetype says, or the suite cannot be asked; the message says which."""


# -- what the archetype says ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Expectation:
    """What the profile says an aanvraag with questions in ``kolommen`` (for a new household) leads to."""

    kolommen: tuple[str, ...]
    # The kolommen of each zaak triage opens inside the municipality.
    zaken: tuple[tuple[str, ...], ...]
    # partij -> the kolommen of the part delegated to it.
    delegaties: dict[str, tuple[str, ...]]
    # Escalation: zaken hangs the kolom zaken under one integral hoofdzaak of the integral team.
    hoofdzaak: bool
    plannen: int
    woorden: tuple[str, ...] = field(default=())
    # One toegang for the whole social domain: its zaak is integral whatever the questions.
    integraal: bool = False

    def zaak_kolom(self, kolommen: tuple[str, ...]) -> str:
        """The kolom of the catalogue a zaak for ``kolommen`` is typed in: its own, or the integral one."""
        return kolommen[0] if len(kolommen) == 1 and not self.integraal else INTEGRAAL

    def zaak_kolommen(self) -> list[str]:
        """The catalogue kolom of every zaak of the household, sorted, the hoofdzaak included."""
        return sorted([self.zaak_kolom(z) for z in self.zaken] + ([INTEGRAAL] if self.hoofdzaak else []))


def demo_kolommen(profile: Profile) -> tuple[str, ...]:
    """Two kolommen that show what the archetype does: wmo and jeugd, unless the profile delegates one of them
    and keeps another inside, when a delegated and an internal kolom show both ways a question can go."""
    extern = [k for k in profile.kolommen if profile.partij_of(profile.cluster_of(k)) is not None]
    intern = [k for k in profile.kolommen if k not in extern]
    if extern and intern:
        chosen = [next(k for k in ("jeugd", "wmo", *KOLOMMEN) if k in extern),
                  next(k for k in ("wmo", "schuldhulp", *KOLOMMEN) if k in intern)]
    else:
        chosen = list(dict.fromkeys(k for k in ("wmo", "jeugd", *KOLOMMEN) if k in profile.kolommen))[:2]
    return tuple(k for k in KOLOMMEN if k in chosen)


def expectation(profile: Profile, kolommen: tuple[str, ...]) -> Expectation:
    """The archetype's answer for an aanvraag of a household that has no open zaak yet."""
    p = profile
    clusters = {k: p.cluster_of(k) for k in kolommen}
    if p.eerste_toegang == "integraal":
        plannen = 0 if p.regie.model == "geen" else 1
        return Expectation(kolommen, (kolommen,), {}, False, plannen, (
            f"one toegang for the whole social domain: one integral zaak covering {', '.join(kolommen)}",
            "one plan and one regisseur for the household" if plannen else "no plan"), integraal=True)
    esc = p.escalatie
    if (esc is not None and esc.bij.kolommen_minimaal is not None and len(kolommen) >= esc.bij.kolommen_minimaal
            and len(set(clusters.values())) > 1):
        return Expectation(kolommen, tuple((k,) for k in kolommen), {}, True, 0, (
            f"questions in {len(kolommen)} kolommen: escalation to the integral team",
            f"a zaak per kolom ({', '.join(kolommen)}) under one integral hoofdzaak"))
    groepen: dict[str, list[str]] = {}
    for k in kolommen:
        groepen.setdefault(clusters[k] if p.eerste_toegang == "per-cluster" else k, []).append(k)
    zaken: list[tuple[str, ...]] = []
    delegaties: dict[str, tuple[str, ...]] = {}
    woorden: list[str] = []
    for groep in groepen.values():
        cluster = p.clusters[clusters[groep[0]]]
        if cluster.toegang == "extern" and cluster.partij:
            delegaties[cluster.partij] = (*delegaties.get(cluster.partij, ()), *groep)
            woorden.append(f"the {', '.join(groep)} part is delegated to partij {cluster.partij}")
        else:
            zaken.append(tuple(groep))
            where = f"cluster {clusters[groep[0]]}" if p.eerste_toegang == "per-cluster" else f"kolom {groep[0]}"
            woorden.append(f"one zaak in {where} covering {', '.join(groep)}")
    if p.regie.model == "geen" or not zaken:
        plannen = 0
    elif p.regie.model == "per-cluster":
        plannen = len({clusters[z[0]] for z in zaken})
    else:
        plannen = 1
    woorden.append(f"{plannen} plan(s) for the regie of the household's zaken" if plannen
                   else "no plan (no regie in this archetype)")
    return Expectation(kolommen, tuple(zaken), delegaties, False, plannen, tuple(woorden))


# -- talking to the suite -------------------------------------------------------------------------------


def _short(body: Any) -> str:
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return text if len(text) <= _BODY_CHARS else text[:_BODY_CHARS - 1] + "…"


def _problem(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:300]
    if not isinstance(body, dict):
        return response.text[:300]
    text = str(body.get("detail") or body.get("title") or "")
    params = body.get("invalidParams") or []
    if params:
        text += " (" + "; ".join(f"{p.get('name')}: {p.get('reason')}" for p in params) + ")"
    return text or response.text[:300]


@dataclass(frozen=True)
class Target:
    """The running suite: the gateway, the development client and the archetype it was started with."""

    gateway: str
    client_id: str
    secret: str
    archetype: str
    data_dir: Path


def find_suite(data_dir: Path, environ: dict[str, str]) -> Target:
    state = read_state(data_dir)
    if state is None:
        raise DemoFailure(f"no suite recorded in {state_path(data_dir)}: start one with `sds up` "
                          "(or give its --data-dir)")
    if not supervisor_running(state):
        raise DemoFailure(f"the suite recorded in {state_path(data_dir)} is not running (sds up, pid "
                          f"{state.get('supervisor_pid')}, is gone): start it with `sds up`")
    if state.get("status") != "running":
        raise DemoFailure(f"the suite is still {state.get('status', 'starting')}: wait until `sds up` says it is "
                          "up, then run the demo again")
    gateway = next((p["url"] for p in state.get("parts", []) if p.get("name") == "gateway"), None)
    if not gateway:
        raise DemoFailure(f"{state_path(data_dir)} names no gateway")
    archetype = state.get("archetype")
    if not archetype:
        raise DemoFailure("the suite runs without an archetype profile, so there is nothing to check the demo "
                          "against: start it with `sds up --archetype NAME` (see `sds profile explain NAME`)")
    if state.get("embedded"):
        client_id = environ.get("SDS_BOOTSTRAP_CLIENT_ID") or DEV_BOOTSTRAP_CLIENT_ID
        secret = environ.get("SDS_BOOTSTRAP_SECRET") or DEV_BOOTSTRAP_SECRET
    else:
        client_id, secret = environ.get("SDS_BOOTSTRAP_CLIENT_ID", ""), environ.get("SDS_BOOTSTRAP_SECRET", "")
        if not client_id or not secret:
            raise DemoFailure("this suite does not use the development client: set SDS_BOOTSTRAP_CLIENT_ID and "
                              "SDS_BOOTSTRAP_SECRET to the values `sds up` was started with")
    return Target(gateway=gateway.rstrip("/"), client_id=client_id, secret=secret, archetype=archetype,
                  data_dir=data_dir)


class Walk:
    """One run of the demo: prints each request and what it made, and fails on the first step that differs."""

    def __init__(self, target: Target, profile: Profile, console: Console, timeout: float) -> None:
        self.target = target
        self.profile = profile
        self.console = console
        self.timeout = timeout
        token = encode_jwt_zgw(target.client_id, target.secret, user_id="sds-demo", user_representation="sds demo")
        self.http = httpx.Client(base_url=target.gateway, timeout=10.0, trust_env=False,
                                 headers={"authorization": f"Bearer {token}"})
        self.progress: Progress | None = None

    def close(self) -> None:
        self.http.close()

    # -- output

    def say(self, text: str, style: str | None = None) -> None:
        # No markup (bodies hold brackets) and no wrapping (a wrapped URL cannot be pasted).
        self.console.print(Text(text, style=style or ""), soft_wrap=True)

    def ok(self, text: str) -> None:
        self.say(f"  ✓ {text}", "green")

    # -- requests

    def call(self, method: str, path: str, body: Any = None, expect: tuple[int, ...] = (200,),
             show: bool = True, headers: dict[str, str] | None = None) -> Any:
        url = path if path.startswith("http") else self.target.gateway + path
        if show:
            self.say(f"  {method} {url}" + (f"  {_short(body)}" if body is not None else ""), "cyan")
        try:
            response = self.http.request(method, url, json=body, headers=headers)
        except httpx.TimeoutException:
            raise DemoFailure(f"{method} {url}: no answer within 10s (is {_service_of(url)} stopped? see "
                              f"`sds status --data-dir {self.target.data_dir}`)") from None
        except httpx.HTTPError as exc:
            raise DemoFailure(f"{method} {url}: the gateway does not answer ({type(exc).__name__}); is the suite "
                              "still running?") from None
        if response.status_code not in expect:
            what = {502: "the gateway could not reach the service behind it",
                    503: "the service behind the gateway is unavailable",
                    504: "the service behind the gateway did not answer in time"}.get(response.status_code, "")
            behind = f" ({_service_of(url)})" if what else ""
            raise DemoFailure(f"{method} {url} answered HTTP {response.status_code}"
                              f"{': ' + what + behind if what else ''}: {_problem(response)}")
        try:
            return response.json()
        except ValueError:
            raise DemoFailure(f"{method} {url} answered HTTP {response.status_code} without JSON") from None

    def made(self, thing: str, url: str) -> None:
        self.say(f"  → {thing}: {url}")

    def wait(self, what: str, probe: Callable[[], T | None]) -> T:
        """Polls ``probe`` until it gives a value; the progress display shows what is awaited."""
        deadline = time.monotonic() + self.timeout
        task = self.progress.add_task(f"waiting: {what}", total=None) if self.progress else None
        try:
            while True:
                value = probe()
                if value is not None:
                    return value
                if time.monotonic() > deadline:
                    down = self.parts_down()
                    why = (f": {', '.join(down)} does not answer, see `sds status --data-dir {self.target.data_dir}`"
                           if down else "")
                    raise DemoFailure(f"waited {self.timeout:g}s for {what}, in vain{why}")
                time.sleep(0.25)
        finally:
            if self.progress is not None and task is not None:
                self.progress.remove_task(task)

    # -- the steps

    def health(self, show: bool = False) -> dict[str, Any]:
        """The parts of the suite as the gateway's /health sees them, by name."""
        health = self.call("GET", "/health", expect=(200, 503), show=show)
        parts = health.get("parts") if isinstance(health, dict) else None
        return parts if isinstance(parts, dict) else {}

    def parts_down(self, parts: dict[str, Any] | None = None) -> list[str]:
        """The parts the demo needs that are not ok, each with the reason."""
        parts = self.health() if parts is None else parts
        return [f"{name} ({parts[name].get('error') or parts[name].get('status')})" for name in NEEDED
                if name in parts and parts[name].get("status") != "ok"]

    def preflight(self) -> None:
        parts = self.health(show=True)
        down = self.parts_down(parts)
        missing = [name for name in NEEDED if name not in parts]
        if down or missing:
            raise DemoFailure("the suite is not whole: " + ", ".join(
                [f"{d} does not answer" for d in down] + [f"the gateway knows no {m}" for m in missing])
                + f"; see `sds status --data-dir {self.target.data_dir}`")
        self.ok("gateway, " + ", ".join(NEEDED) + " answer")
        page = self.call("GET", "/catalogi/api/v1/zaaktypen?status=definitief")
        if not page.get("count"):
            raise DemoFailure("the catalogue is empty, so triage can open no zaak: load it with `sds seed catalogus "
                              f"--data-dir {self.target.data_dir} --public-base-url {self.target.gateway}`")
        self.ok(f"the catalogue has {page['count']} published zaaktypen")

    def aanvraag(self, kolommen: tuple[str, ...]) -> dict[str, Any]:
        body = {"ingediendDoor": "medewerker", "vragen": [{"leefgebied": LEEFGEBIED[k]} for k in kolommen],
                "aanvrager": {"burgerservicenummer": synthetic_bsn(), "naam": {"geslachtsnaam": "Demo"}},
                "toelichting": "sds demo"}
        aanvraag: dict[str, Any] = self.call("POST", "/intake/api/v1/aanvragen", body, expect=(201,))
        self.made("aanvraag", aanvraag["url"])
        if not aanvraag.get("huishouden"):
            raise DemoFailure("the aanvraag names no household: klantgegevens registered none")
        self.made("household (found or registered in klantgegevens)", aanvraag["huishouden"])
        self.call("GET", aanvraag["huishouden"])
        self.ok("the household is in klantgegevens")
        if sorted(aanvraag.get("kolommen", [])) != sorted(kolommen):
            raise DemoFailure(f"the aanvraag has kolommen {aanvraag.get('kolommen')}, not {list(kolommen)}")
        return aanvraag

    def beleidsinfo(self, aanvraag: dict[str, Any]) -> None:
        """The aanvraag counted in the instroom of its day, per kolom: only aggregates come back, and a cell of
        fewer households than the minimum is shown suppressed, so what the demo can see is that the cells of its
        kolommen are there, not their count."""
        dag = aanvraag["registratiedatum"]
        path = f"/beleidsinfo/api/v1/indicatoren/instroom?van={dag}&tot={dag}&periode=geheel"
        wanted = set(aanvraag["kolommen"])
        self.say(f"  GET {self.target.gateway}{path}", "cyan")

        def counted() -> list[dict[str, Any]] | None:
            body = self.call("GET", path, show=False)
            cells = [c for c in body.get("results", []) if c.get("kolom") in wanted]
            return cells if {c["kolom"] for c in cells} == wanted else None

        for cell in self.wait("beleidsinfo to count the aanvraag", counted):
            shown = "fewer than the minimum, suppressed" if cell["onderdrukt"] else f"{cell['aantal']} aanvragen"
            self.say(f"  instroom {dag}, kolom {cell['kolom']} (cluster {cell['cluster']}): {shown}")
        self.ok("the aanvraag is counted in the beleidsinformatie of each of its kolommen")
        self.made("dashboard", f"{self.target.gateway}/beleidsinfo/")

    def triage(self, aanvraag: dict[str, Any], expected: Expectation) -> dict[str, Any]:
        def triaged() -> dict[str, Any] | None:
            current: dict[str, Any] = self.call("GET", aanvraag["url"], show=False)
            return current if current.get("triage") else None

        current = aanvraag if aanvraag.get("triage") else self.wait("the triage of the aanvraag", triaged)
        self.say(f"  GET {aanvraag['url']}", "cyan")
        triage = current["triage"]
        self.say(f"  status {current['status']}; triage under {triage.get('archetype')}:")
        for reden in triage.get("redenen", []):
            self.say(f"    • {reden.get('tekst')}")
        if triage.get("archetype") != self.profile.archetype:
            raise DemoFailure(f"intake triaged under archetype {triage.get('archetype')!r}, but the suite was started "
                              f"with {self.profile.archetype!r}")
        got_zaken = sorted(tuple(z.get("kolommen", [])) for z in triage.get("zaken", []))
        if got_zaken != sorted(expected.zaken):
            raise DemoFailure(f"triage opens zaken for {_groups(got_zaken)}, but {self.profile.archetype} says "
                              f"{_groups(sorted(expected.zaken))}")
        got_delegaties = {d["partij"]: tuple(d.get("kolommen", [])) for d in triage.get("delegaties", [])}
        if got_delegaties != expected.delegaties:
            raise DemoFailure(f"triage delegates {got_delegaties or 'nothing'}, but {self.profile.archetype} says "
                              f"{expected.delegaties or 'nothing'}")
        if expected.hoofdzaak and not triage.get("integraal"):
            raise DemoFailure("triage does not send the household to the integral team, but the archetype escalates")
        self.ok(f"triage is what {self.profile.archetype} says")
        return current

    def delegaties(self, aanvraag: dict[str, Any], expected: Expectation) -> None:
        current = self.call("GET", aanvraag["url"])
        recorded = {d["partij"]: tuple(d["kolommen"]) for d in current.get("delegaties", [])}
        if recorded != expected.delegaties:
            raise DemoFailure(f"intake recorded delegations {recorded or 'none'}, expected {expected.delegaties}")
        for d in current["delegaties"]:
            partij = self.profile.externe_partijen[d["partij"]]
            self.ok(f"the {', '.join(d['kolommen'])} part is {d['status']} to partij {d['partij']} "
                    f"({partij.omschrijving})")
            self.say(f"    the gateway delivers it to {partij.api}/aanvragen with the secret in {partij.credentials}; "
                     "the partij reports back with POST /intake/api/v1/statusberichten (the demo does not play "
                     "the partij)")

    def zaken(self, aanvraag: dict[str, Any], expected: Expectation) -> list[dict[str, Any]]:
        huishouden = aanvraag["huishouden"]
        total = len(expected.zaak_kolommen())
        path = "/zaken/api/v1/zaken?pageSize=100&ordering=-identificatie"

        def opened() -> list[dict[str, Any]] | None:
            page = self.call("GET", path, show=False)
            mine = [z for z in page["results"] if z.get("huishouden") == huishouden]
            return mine if len(mine) >= total else None

        if total == 0:
            self.ok("no zaak inside the municipality, as the archetype says")
            return []
        zaken = self.wait(f"{total} zaak/zaken of the household", opened)
        self.say(f"  GET {self.target.gateway}{path}  (the zaken of household {huishouden})", "cyan")
        kolommen = []
        for zaak in sorted(zaken, key=lambda z: z["identificatie"]):
            zaaktype = self.call("GET", zaak["zaaktype"], show=False)
            catalogus = self.call("GET", zaaktype["catalogus"], show=False)
            zaak["_zaaktype"], zaak["_kolom"] = zaaktype, catalogus.get("kolom")
            kolommen.append(catalogus.get("kolom"))
            self.made(f"zaak {zaak['identificatie']} ({zaaktype['identificatie']}, {zaaktype['omschrijving']})",
                      zaak["url"])
        if len(zaken) != total or sorted(kolommen) != expected.zaak_kolommen():
            raise DemoFailure(f"the household has zaken in {sorted(kolommen)}, but {self.profile.archetype} says "
                              f"{expected.zaak_kolommen()}")
        if expected.hoofdzaak:
            hoofd = [z for z in zaken if z["hoofdzaak"] is None and z["_kolom"] == INTEGRAAL]
            deel = [z for z in zaken if z not in hoofd]
            if len(hoofd) != 1 or any(z["hoofdzaak"] != hoofd[0]["url"] for z in deel):
                raise DemoFailure("the kolom zaken do not hang under one integral hoofdzaak of the integral team")
            self.ok(f"the kolom zaken hang under hoofdzaak {hoofd[0]['identificatie']} of the integral team")
        self.ok(f"the zaken are what {self.profile.archetype} says")
        return zaken

    def plannen(self, aanvraag: dict[str, Any], expected: Expectation, zaken: list[dict[str, Any]]) -> None:
        path = f"/zaken/api/v1/plannen?huishouden={aanvraag['huishouden']}"
        page = self.call("GET", path)
        for plan in page["results"]:
            regisseur = "with a regisseur" if plan.get("regisseur") else "no regisseur yet"
            self.made(f"plan ({'cluster ' + plan['cluster'] if plan.get('cluster') else 'the household'}, "
                      f"{len(plan.get('zaken', []))} zaak/zaken, {regisseur})", plan["url"])
        if page["count"] != expected.plannen:
            raise DemoFailure(f"the household has {page['count']} plan(s), but {self.profile.archetype} says "
                              f"{expected.plannen}")
        if expected.plannen:
            planned = {url for plan in page["results"] for url in plan.get("zaken", [])}
            loose = [z["identificatie"] for z in zaken if z["url"] not in planned]
            if loose:
                raise DemoFailure(f"zaak {', '.join(loose)} is in no plan, but {self.profile.archetype} puts every "
                                  "zaak of the household under regie")
        self.ok(f"{expected.plannen} plan(s), as the archetype says")

    def afhandelen(self, zaak: dict[str, Any], toekenning: dict[str, Any] | None = None) -> None:
        zaaktype = zaak["_zaaktype"]
        self.say(f"  zaak {zaak['identificatie']} ({zaaktype['identificatie']}): {zaak['url']}")
        statustypen = sorted((self.call("GET", u, show=False) for u in zaaktype["statustypen"]),
                             key=lambda s: s["volgnummer"])
        resultaattypen = [self.call("GET", u, show=False) for u in zaaktype["resultaattypen"]]
        if len(statustypen) < 2 or not resultaattypen:
            raise DemoFailure(f"zaaktype {zaaktype['identificatie']} has no statustypen or resultaattypen to use")
        tussen = statustypen[1] if len(statustypen) > 2 else statustypen[0]
        now = datetime.now(UTC).replace(microsecond=0)
        status = self.call("POST", "/zaken/api/v1/statussen", {
            "zaak": zaak["url"], "statustype": tussen["url"], "datumStatusGezet": now.isoformat(),
            "statustoelichting": "sds demo"}, expect=(201,))
        self.made(f"status {tussen['omschrijving']}", status["url"])
        if self.call("GET", zaak["url"]).get("status") != status["url"]:
            raise DemoFailure("the zaak does not show the status just set")
        self.ok(f"the zaak's status is {tussen['omschrijving']}")
        toegekend = next((r for r in resultaattypen if r.get("omschrijvingGeneriek", "").lower() == "toegekend"),
                         resultaattypen[0])
        resultaat = self.call("POST", "/zaken/api/v1/resultaten", {
            "zaak": zaak["url"], "resultaattype": toegekend["url"], "toelichting": "sds demo",
            **({"toekenningen": [toekenning]} if toekenning else {})}, expect=(201,))
        self.made(f"resultaat {toegekend['omschrijving']}", resultaat["url"])
        eind = statustypen[-1]
        status = self.call("POST", "/zaken/api/v1/statussen", {
            "zaak": zaak["url"], "statustype": eind["url"],
            "datumStatusGezet": (now + timedelta(seconds=1)).isoformat()}, expect=(201,))
        self.made(f"eindstatus {eind['omschrijving']}", status["url"])
        after = self.call("GET", zaak["url"])
        if after.get("resultaat") != resultaat["url"] or not after.get("einddatum"):
            raise DemoFailure("after its eindstatus the zaak shows no resultaat or no einddatum")
        self.ok(f"the zaak is closed on {after['einddatum']} with resultaat {toegekend['omschrijving']}")


    # -- financien: inkoop, the toewijzing that follows the toekenning, start zorg and a declaratie

    def inkoop(self, kolommen: tuple[str, ...]) -> Inkoop:
        """As the municipality: an aanbieder with its own applicatie, a contract for the demo's kolommen with the
        product and its tarief, and a budget per kolom for this year where there is none."""
        today = datetime.now(UTC).date()
        tag = secrets.token_hex(3)
        client_id, secret = f"sds-demo-aanbieder-{tag}", secrets.token_urlsafe(32)
        aanbieder = self.call("POST", f"{FINANCIEN}/aanbieders", {
            "naam": f"Demo Zorg {tag}", "agbCode": f"{random.randrange(10 ** 8):08d}",
            "kvkNummer": f"{random.randrange(10 ** 8):08d}", "applicaties": [client_id]}, expect=(201,))
        self.made("aanbieder", aanbieder["url"])
        applicatie = self.call("POST", "/autorisaties/api/v1/applicaties", {
            "clientIds": [client_id], "label": f"Demo Zorg {tag} (aanbieder)", "secret": secret,
            "autorisaties": [{"component": "financien", "scopes": ["financien.lezen", "financien.schrijven"]}]},
            expect=(201,))
        self.made(f"applicatie of the aanbieder (client id {client_id})", applicatie["url"])
        contract = self.call("POST", f"{FINANCIEN}/contracten", {
            "aanbieder": aanbieder["url"], "kolommen": list(kolommen), "begindatum": date(today.year, 1, 1).isoformat(),
            "einddatum": date(today.year + 1, 12, 31).isoformat(), "uitvoeringsvariant": "inspanningsgericht"},
            expect=(201,))
        self.made(f"contract ({', '.join(kolommen)}, inspanningsgericht)", contract["url"])
        product = self.call("POST", f"{FINANCIEN}/producten", {"contract": contract["url"], **PRODUCT}, expect=(201,))
        self.made(f"product {PRODUCT['productcategorie']}/{PRODUCT['productcode']} per {PRODUCT['eenheid']}, "
                  f"{PRODUCT['frequentie']}", product["url"])
        tarief = self.call("POST", f"{FINANCIEN}/tarieven", {
            "product": product["url"], "begindatum": date(today.year, 1, 1).isoformat(), "bedrag": TARIEF},
            expect=(201,))
        self.made(f"tarief € {TARIEF} per {PRODUCT['eenheid']}", tarief["url"])
        bestaand = self.call("GET", f"{FINANCIEN}/budgetten?jaar={today.year}&pageSize=100")
        heeft = {b.get("kolom") for b in bestaand.get("results", []) if not b.get("aanbieder")}
        for kolom in kolommen:
            if kolom in heeft:
                self.ok(f"kolom {kolom} already has a budget for {today.year}")
                continue
            budget = self.call("POST", f"{FINANCIEN}/budgetten", {"jaar": today.year, "kolom": kolom,
                                                                  "bedrag": BUDGET}, expect=(201,))
            self.made(f"budget {today.year} for kolom {kolom}: € {BUDGET}", budget["url"])
        token = encode_jwt_zgw(client_id, secret, user_id="sds-demo-aanbieder", user_representation="Demo Zorg")
        return Inkoop(aanbieder=aanbieder["url"], client_id=client_id, token=token)

    def toewijzing(self, inkoop: Inkoop, zaak: dict[str, Any], toekenning: dict[str, Any]) -> None:
        """As the aanbieder's own applicatie: the toewijzing financien made of the toekenning (its verplichting to
        the cent), start zorg, and a declaratie of the first week; then the budgetmonitor as the municipality."""
        als_aanbieder = {"authorization": f"Bearer {inkoop.token}"}
        path = f"{FINANCIEN}/toewijzingen"

        def made() -> dict[str, Any] | None:
            page = self.call("GET", path, show=False, headers=als_aanbieder)
            return next((t for t in page.get("results", []) if t.get("zaak") == zaak["url"]), None)

        t = self.wait("financien to make the toewijzing of the toekenning", made)
        self.say(f"  GET {self.target.gateway}{path}  (as the aanbieder, client id {inkoop.client_id})", "cyan")
        self.made(f"toewijzing ({t['status']}, verplichting € {t.get('verplichting')})", t["url"])
        verwacht = _euro(VOLUME * WEKEN * _centen(TARIEF))
        if t["status"] != "toegewezen":
            raise DemoFailure(f"financien did not allocate the toekenning: toewijzing {t['status']} "
                              f"({'; '.join(t.get('redenen') or []) or 'no reason given'})")
        if t.get("verplichting") != verwacht:
            raise DemoFailure(f"the toewijzing's verplichting is € {t.get('verplichting')}, but {VOLUME} "
                              f"{PRODUCT['eenheid']} a week for {WEKEN} weeks at € {TARIEF} is € {verwacht}")
        self.ok(f"toegewezen to the aanbieder: {VOLUME} {PRODUCT['eenheid']} a week for {WEKEN} weeks, "
                f"verplichting € {verwacht}")
        begin = toekenning["begindatum"]
        started = self.call("POST", f"{t['url']}/start-zorg", {"begindatum": begin}, headers=als_aanbieder)
        if started.get("status") != "gestart":
            raise DemoFailure(f"after start zorg the toewijzing is {started.get('status')}, not gestart")
        self.ok(f"the aanbieder reported start zorg (305) on {begin}")
        eerste_week_eind = (date.fromisoformat(begin) + timedelta(days=6)).isoformat()
        declaratie = self.call("POST", f"{FINANCIEN}/declaraties", {
            "identificatie": f"DEMO{secrets.token_hex(4).upper()}", "begindatum": begin, "einddatum": eerste_week_eind,
            "regels": [{"referentie": f"DEMO-{secrets.token_hex(4)}", "toewijzing": t["url"], "begindatum": begin,
                        "einddatum": eerste_week_eind, "volume": VOLUME, "eenheid": PRODUCT["eenheid"],
                        "productTarief": TARIEF}]}, expect=(201,), headers=als_aanbieder)
        self.made(f"declaratie (323), € {declaratie.get('goedgekeurdBedrag')} accepted", declaratie["url"])
        codes = [r.get("retourcode") for r in declaratie.get("regels", [])]
        if codes != ["0200"]:
            raise DemoFailure(f"the declaratie of the first week was answered {codes}, not accepted (0200)")
        gedeclareerd = _euro(VOLUME * _centen(TARIEF))
        self.ok(f"its line is accepted (325, retourcode 0200): € {gedeclareerd}")
        jaar = date.fromisoformat(begin).year
        monitor = self.call("GET", f"{FINANCIEN}/budgetmonitor?jaar={jaar}")
        regel = next((r for r in monitor.get("perAanbieder", []) if r.get("aanbieder") == inkoop.aanbieder), None)
        if regel is None or (regel.get("verplicht"), regel.get("gerealiseerd")) != (verwacht, gedeclareerd):
            raise DemoFailure(f"the budgetmonitor of {jaar} shows the aanbieder as {regel}, not with verplicht "
                              f"€ {verwacht} and gerealiseerd € {gedeclareerd}")
        kolom: dict[str, Any] = next((r for r in monitor.get("perKolom", []) if r.get("kolom") == t.get("kolom")), {})
        self.say(f"  budgetmonitor {jaar}, kolom {t.get('kolom')}: budget € {kolom.get('budget')}, verplicht "
                 f"€ {kolom.get('verplicht')}, gerealiseerd € {kolom.get('gerealiseerd')}")
        self.ok("the budgetmonitor counts the verplichting and the realisatie")


@dataclass(frozen=True)
class Inkoop:
    """What the demo bought in: the aanbieder and the token of its own applicatie."""

    aanbieder: str
    client_id: str
    token: str


def _service_of(url: str) -> str:
    """The service behind a gateway path: its first segment, the Catalogi API being part of zaken."""
    segment = httpx.URL(url).path.strip("/").split("/")[0]
    return "zaken" if segment == "catalogi" else segment or "the gateway"


def _groups(groups: list[tuple[str, ...]]) -> str:
    return ", ".join("+".join(g) for g in groups) or "nothing"


def synthetic_bsn() -> str:
    """A synthetic BSN (999xxxxxx, the range set apart for test persons) for a new household on every run."""
    while True:
        candidate = f"999{random.randrange(10 ** 6):06d}"
        if is_valid_bsn(candidate):
            return candidate


def _zaak_to_close(zaken: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The zaak that gets the status and resultaat: the first one a worker decides on (not a hoofdzaak)."""
    urls = {z["hoofdzaak"] for z in zaken if z.get("hoofdzaak")}
    candidates = [z for z in sorted(zaken, key=lambda z: z["identificatie"]) if z["url"] not in urls]
    return candidates[0] if candidates else None


@contextmanager
def _steps(console: Console, total: int) -> Iterator[Progress]:
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/"
               "{task.total}"), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        yield progress


def run_demo(data_dir: Path, timeout: float = 30.0, console: Console | None = None,
             err: Console | None = None) -> int:
    console = console or Console(highlight=False)
    err = err or Console(stderr=True, highlight=False)
    try:
        target = find_suite(data_dir.resolve(), dict(os.environ))
        try:
            profile = load_profile(target.archetype)
        except ProfileError as exc:
            raise DemoFailure(f"the suite's archetype profile cannot be read here:\n{exc}") from None
        return _walk(target, profile, console, timeout)
    except DemoFailure as failure:
        err.print(Text(f"sds demo: {failure}", style="bold red"), soft_wrap=True)
        return 1
    except KeyboardInterrupt:
        err.print(Text("sds demo: interrupted; what it made so far stays in the suite", style="bold red"))
        return 130


def _walk(target: Target, profile: Profile, console: Console, timeout: float) -> int:
    kolommen = demo_kolommen(profile)
    expected = expectation(profile, kolommen)
    walk = Walk(target, profile, console, timeout)
    steps: list[tuple[str, Callable[[], None]]] = []
    state: dict[str, Any] = {}

    def zaken_step() -> None:
        state["zaken"] = walk.zaken(state["aanvraag"], expected)

    def afhandelen_step() -> None:
        zaak = _zaak_to_close(state["zaken"])
        if zaak is None:
            walk.say("  no zaak inside the municipality to give a status and resultaat: the archetype delegates "
                     "every part of this aanvraag")
            return
        begin = datetime.now(UTC).date()
        state["toekenning"] = {
            "product": {k: PRODUCT[k] for k in ("productcategorie", "productcode")},
            "omvang": {"volume": VOLUME, "eenheid": PRODUCT["eenheid"], "frequentie": PRODUCT["frequentie"]},
            "begindatum": begin.isoformat(), "einddatum": (begin + timedelta(weeks=WEKEN, days=-1)).isoformat(),
            "aanbieder": state["inkoop"].aanbieder}
        state["gesloten"] = zaak
        walk.afhandelen(zaak, state["toekenning"])

    def toewijzing_step() -> None:
        if "gesloten" not in state:
            walk.say("  no toekenning inside the municipality, so nothing for financien to allocate")
            return
        walk.toewijzing(state["inkoop"], state["gesloten"], state["toekenning"])

    steps.append(("The suite answers and the catalogue is loaded", walk.preflight))
    steps.append(("A household and its aanvraag with questions in " + " and ".join(kolommen),
                  lambda: state.__setitem__("aanvraag", walk.aanvraag(kolommen))))
    steps.append(("Triage and its reasons",
                  lambda: state.__setitem__("aanvraag", walk.triage(state["aanvraag"], expected))))
    if expected.delegaties:
        steps.append(("The part delegated to an external party", lambda: walk.delegaties(state["aanvraag"], expected)))
    steps.append(("The zaken that result", zaken_step))
    steps.append(("Plan and regie", lambda: walk.plannen(state["aanvraag"], expected, state["zaken"])))
    steps.append(("Inkoop: an aanbieder, its contract and tarief, the budget",
                  lambda: state.__setitem__("inkoop", walk.inkoop(kolommen))))
    steps.append(("A status change and a resultaat that grants care", afhandelen_step))
    steps.append(("The toewijzing, start zorg and a declaratie", toewijzing_step))
    steps.append(("The aanvraag in the beleidsinformatie", lambda: walk.beleidsinfo(state["aanvraag"])))

    walk.say(f"sds demo against {target.gateway} (archetype {profile.archetype})", "bold")
    walk.say(f"What {profile.archetype} says for questions in {' and '.join(kolommen)}:")
    for woord in expected.woorden:
        walk.say(f"  - {woord}")
    try:
        with _steps(console, len(steps)) as progress:
            walk.progress = progress
            overall = progress.add_task("demo", total=len(steps))
            for number, (title, step) in enumerate(steps, start=1):
                walk.say("")
                walk.say(f"[{number}/{len(steps)}] {title}", "bold")
                progress.update(overall, description=title)
                try:
                    step()
                except (KeyError, TypeError, IndexError, AttributeError) as exc:
                    raise DemoFailure(f"step {number} ({title}): an answer of the suite lacks what the demo reads "
                                      f"({type(exc).__name__}: {exc})") from None
                progress.advance(overall)
    finally:
        walk.close()
    walk.say("")
    walk.say(f"Every step did what {profile.archetype} says.", "bold green")
    return 0
