"""Ask every (applicatie, resource, operation) of the matrix through the gateway and compare with the oracle.

Each check records the cell of the outcome table (what the applicatie got: ``n/N`` of a list, ``n✓ m✗`` of the
details, ``m✗`` of the writes refused) and every difference from the oracle as a ``fout``; the test asserts there
are none, and the table is what docs/security.md shows."""

from __future__ import annotations

import json
import uuid as uuidlib
from collections.abc import Callable, Collection, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import httpx

from sds.profiles.model import Profile
from tests.access.matrix.definitie import LEEFGEBIED, App, Object, zichtbare_kolommen, ziet
from tests.access.matrix.gegevens import Gegevens, marker
from tests.e2e.harness import Suite, bsn

# The fields that list the kolommen or clusters an object is involved in (sporen): under zicht.andere_kolommen
# ``welke`` they may name the other kolommen, never what they hold.
SPOREN = ("kolommen", "clusters")


@dataclass(frozen=True)
class Rij:
    """One row of the matrix: a resource and an operation on it, with the component whose grant it needs."""

    resource: str
    operatie: str
    component: str


@dataclass
class Matrix:
    archetype: str
    apps: list[App]
    cellen: dict[tuple[Rij, str], str] = field(default_factory=dict)
    fouten: list[str] = field(default_factory=list)

    def rijen(self) -> list[Rij]:
        return list(dict.fromkeys(r for r, _ in self.cellen))


@dataclass
class Controle:
    suite: Suite
    profile: Profile
    data: Gegevens
    matrix: Matrix

    def headers(self, app: App) -> dict[str, str]:
        return self.suite.bearer() if app.kolommen is None else self.suite.bearer(app.client_id, app.secret)

    def fout(self, app: App, rij: Rij, wat: str) -> None:
        self.matrix.fouten.append(f"{self.matrix.archetype} · {app.naam} · {rij.resource} {rij.operatie}: {wat}")

    # --- what a body may hold -----------------------------------------------------------------------------

    def lekken(self, app: App, obj: Object | None, body: Any) -> list[str]:
        """What ``body`` (app's view of ``obj``; None: a list or a view of several) shows that it may not."""
        if app.kolommen is None:
            return []
        toegestaan = zichtbare_kolommen(app, obj, self.profile) if obj is not None else app.kolommen
        assert toegestaan is not None
        text = json.dumps(body, ensure_ascii=False)
        out = [f"marker {marker(k)}" for k in self.profile.kolommen if k not in toegestaan and marker(k) in text]
        for url, other in self.data.alle_urls().items():
            if url in text and not other.kolommen & set(toegestaan):
                out.append(f"url of an object of another kolom: {url}")
        out.extend(self._kolomvelden(body, toegestaan))
        return out

    def _kolomvelden(self, body: Any, toegestaan: Collection[str], sleutel: str = "") -> Iterator[str]:
        clusters = {c for c, cl in self.profile.clusters.items() if set(cl.kolommen) & set(toegestaan)}
        if isinstance(body, dict):
            for key, value in body.items():
                if key in SPOREN and self.profile.zicht.andere_kolommen == "welke":
                    continue
                if key in ("kolom", "kolommen"):
                    values = value if isinstance(value, list) else [value]
                    yield from (f"{key} {v}" for v in values if v is not None and v not in toegestaan)
                elif key in ("cluster", "clusters"):
                    values = value if isinstance(value, list) else [value]
                    yield from (f"{key} {v}" for v in values if v is not None and v not in clusters)
                else:
                    yield from self._kolomvelden(value, toegestaan, key)
        elif isinstance(body, list):
            for item in body:
                yield from self._kolomvelden(item, toegestaan, sleutel)

    # --- reads ---------------------------------------------------------------------------------------------

    def lijst(self, rij: Rij, resource: str, get: Callable[[dict[str, str]], httpx.Response],
              verwacht: Callable[[App, Object], bool] = lambda a, o: True) -> None:
        """A list (or search): the applicatie gets exactly the objects the oracle lets it see, each cut to its
        part; without a grant on the component the list is refused."""
        alles = self.data.van(resource)
        for app in self.matrix.apps:
            r = get(self.headers(app))
            if not app.heeft(rij.component):
                self._geweigerd(app, rij, r)
                continue
            if r.status_code != 200:
                self.fout(app, rij, f"answered {r.status_code}: {r.text[:200]}")
                continue
            body = r.json()
            items = body["results"] if isinstance(body, dict) and "results" in body else body
            gekregen = {i["url"] for i in items}
            mag = {u for u, o in alles.items() if verwacht(app, o) and ziet(app, o, self.profile, rij.component)}
            if gekregen != mag:
                self.fout(app, rij, f"got {sorted(gekregen - mag)} it may not see, missed {sorted(mag - gekregen)}")
            for item in items:
                for lek in self.lekken(app, alles.get(item["url"]), item):
                    self.fout(app, rij, lek)
            totaal = sum(1 for o in alles.values() if verwacht(self.matrix.apps[0], o))
            # A row asked several times (a search per kolom, a list per persoon) shows the sums.
            eerder = self.matrix.cellen.get((rij, app.naam), "0/0").split("/")
            self.matrix.cellen[(rij, app.naam)] = f"{len(gekregen) + int(eerder[0])}/{totaal + int(eerder[1])}"

    def details(self, rij: Rij, resource: str, pad: Callable[[str], str] = lambda u: u) -> None:
        """Each object's detail: 200 and cut to its part where the oracle lets the applicatie see it, 403
        ``permission_denied`` where not; a uuid that does not exist is 404 to everyone."""
        objecten = self.data.van(resource)
        for app in self.matrix.apps:
            ja = nee = 0
            headers = self.headers(app)
            # A few at a time: the suite's processes wait on each other, the two cores need not.
            antwoorden = list(_POOL.map(lambda u, h=headers: self.suite.client.get(pad(u), headers=h), objecten))
            for (url, obj), r in zip(objecten.items(), antwoorden, strict=True):
                if not app.heeft(rij.component) or not ziet(app, obj, self.profile, rij.component):
                    nee += 1
                    self._geweigerd(app, rij, r, cel=False)
                    continue
                ja += 1
                if r.status_code != 200:
                    self.fout(app, rij, f"{url} answered {r.status_code}, the oracle says 200")
                    continue
                for lek in self.lekken(app, obj, r.json()):
                    self.fout(app, rij, f"{url}: {lek}")
            if objecten and app.heeft(rij.component):
                absent = pad(_ander_uuid(next(iter(objecten))))
                r = self.suite.client.get(absent, headers=self.headers(app))
                if r.status_code != 404:
                    self.fout(app, rij, f"an object that does not exist answered {r.status_code}, not 404")
            self.matrix.cellen[(rij, app.naam)] = f"{ja}✓ {nee}✗"

    def _geweigerd(self, app: App, rij: Rij, r: httpx.Response, *, cel: bool = True) -> None:
        if r.status_code != 403 or not r.headers.get("content-type", "").startswith("application/problem+json"):
            self.fout(app, rij, f"answered {r.status_code}, the oracle says 403 problem+json: {r.text[:200]}")
        elif r.json().get("code") not in ("permission_denied", "buiten-kolommen"):
            self.fout(app, rij, f"refused with code {r.json().get('code')}, not permission_denied")
        if cel:
            self.matrix.cellen[(rij, app.naam)] = "403"

    # --- writes --------------------------------------------------------------------------------------------

    def schrijven(self, rij: Rij, resource: str, doe: Callable[[str, dict[str, str]], httpx.Response | None],
                  lees: Callable[[str], Any] | None = None) -> None:
        """A write on each object outside the applicatie's rights is refused (403) and changes nothing: the
        all-rights applicatie reads the object back as it was. ``doe`` returns None where the write does not
        apply to an object."""
        for app in self.matrix.apps:
            if app.kolommen is None:
                self.matrix.cellen[(rij, app.naam)] = "—"
                continue
            geweigerd = 0
            # One object outside its rights per applicatie: the refusal is one rule per route, and each write
            # costs three calls.
            for url, obj in self.data.van(resource).items():
                if geweigerd or (app.heeft(rij.component) and ziet(app, obj, self.profile, rij.component)):
                    continue
                voor = (lees or self.suite.get)(url)
                r = doe(url, self.headers(app))
                if r is None:
                    continue
                geweigerd += 1
                self._geweigerd(app, rij, r, cel=False)
                if (lees or self.suite.get)(url) != voor:
                    self.fout(app, rij, f"{url} changed by a refused write")
            self.matrix.cellen[(rij, app.naam)] = f"{geweigerd}✗"

    def aanmaken(self, rij: Rij, tel: Callable[[], int], body: Callable[[App], dict[str, Any] | None],
                 pad: str) -> None:
        """Creating something in a kolom outside the applicatie's rights is refused and creates nothing."""
        for app in self.matrix.apps:
            if app.kolommen is None:
                self.matrix.cellen[(rij, app.naam)] = "—"
                continue
            b = body(app)
            if b is None:
                self.matrix.cellen[(rij, app.naam)] = "—"
                continue
            voor = tel()
            r = self.suite.client.post(pad, json=b, headers=self.headers(app))
            self._geweigerd(app, rij, r, cel=False)
            if tel() != voor:
                self.fout(app, rij, "a refused create stored something")
            self.matrix.cellen[(rij, app.naam)] = "1✗"


_POOL = ThreadPoolExecutor(max_workers=4)


def _ander_uuid(url: str) -> str:
    return f"{url.rsplit('/', 1)[0]}/{uuidlib.uuid4()}"


def _component(url: str) -> str:
    api = url.split("/api/v1/")[0].rsplit("/", 1)[-1]
    return {"zaken": "zrc", "besluiten": "brc", "catalogi": "ztc"}.get(api, api)


def buiten(app: App, profile: Profile) -> str | None:
    """A kolom of the profile outside the applicatie's kolommen, if it has one."""
    assert app.kolommen is not None
    return next((k for k in profile.kolommen if k not in app.kolommen), None)


def vraag_buiten(app: App, profile: Profile) -> dict[str, Any] | None:
    kolom = buiten(app, profile)
    if kolom is None:
        return None
    return {"ingediendDoor": "medewerker", "vragen": [{"leefgebied": LEEFGEBIED[kolom]}],
            "aanvrager": {"burgerservicenummer": bsn(), "naam": {"geslachtsnaam": "Buiten"}}}
