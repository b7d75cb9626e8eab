"""Issue 18, point 2: the access matrix as a test. Per shipped archetype one suite through the gateway, one data
set that touches every kolom, and every kind of applicatie the profile makes against every row of the matrix;
the outcome table is docs/security.md's, and a route of a service that the matrix neither covers nor exempts
fails the completeness test."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from services.beleidsinfo.app import create_app as create_beleidsinfo
from services.beleidsinfo.settings import BeleidsinfoSettings
from services.financien.app import create_app as create_financien
from services.financien.settings import FinancienSettings
from services.intake.app import create_app as create_intake
from services.intake.settings import IntakeSettings
from services.klantgegevens.app import create_app as create_klantgegevens
from services.klantgegevens.settings import KlantgegevensSettings
from services.zaken.app import create_app as create_zaken
from services.zaken.settings import ZakenSettings
from tests.access.matrix import bevindingen, gegevens, verslag
from tests.access.matrix.definitie import ARCHETYPEN, profiel
from tests.access.matrix.meting import CATALOGI, DEKKING, VRIJGESTELD, meet
from tests.e2e.harness import running_suite
from tests.support.natsserver import NatsServer


@pytest.mark.parametrize("archetype", ARCHETYPEN)
def test_de_toegangsmatrix(archetype: str, tmp_path: Path, nats_server: NatsServer) -> None:
    profile = profiel(archetype)
    begin = time.monotonic()
    with running_suite(tmp_path, nats_server.url, archetype) as suite:
        data = gegevens.bouw(suite, profile)
        matrix = meet(suite, archetype, profile, data)
    print(f"{archetype}: {len(matrix.cellen)} cellen in {time.monotonic() - begin:.1f} s")
    onverklaard, telling = bevindingen.verdeel(archetype, matrix.fouten)
    assert onverklaard == [], "\n".join(onverklaard)
    assert [b.waarom for b, n in telling.items() if n == 0] == [], "a finding no longer occurs: remove it"
    assert [b.waarom for b in telling if b.waarom not in verslag.DOC.read_text(encoding="utf-8")] == []
    # docs/security.md shows this very table (SDS_MATRIX_SCHRIJF=1 rewrites it from a run).
    assert verslag.in_document(matrix) == verslag.tabel(matrix), (
        f"docs/security.md does not hold the matrix of {archetype}; run this test with {verslag.SCHRIJF}=1")


def _routes() -> set[tuple[str, str]]:
    """Every GET/POST/PUT/PATCH/DELETE route of each service's OpenAPI document, as the apps publish it."""
    common: dict[str, Any] = {"env": "test", "database_url": "sqlite+aiosqlite:///:memory:",
                              "internal_secret": "matrix-internal-secret-0123456789abcdef",
                              "pseudoniem_sleutel": "matrix-pseudoniem-sleutel-0123456789"}
    apps = [create_intake(IntakeSettings(**common)), create_zaken(ZakenSettings(**common)),
            create_klantgegevens(KlantgegevensSettings(**common)), create_financien(FinancienSettings(**common)),
            create_beleidsinfo(BeleidsinfoSettings(**common, beleidsinfo_sleutel="matrix-beleidsinfo-sleutel-0123"))]
    return {(method.upper(), path) for app in apps for path, ops in app.openapi()["paths"].items()
            for method in ops if method in ("get", "post", "put", "patch", "delete")}


def test_elke_route_staat_in_de_matrix_of_is_vrijgesteld_met_een_reden() -> None:
    routes = _routes()
    ongeklasseerd = sorted(r for r in routes if r not in DEKKING and r not in VRIJGESTELD
                           and not r[1].startswith(CATALOGI))
    assert ongeklasseerd == [], f"routes neither in the access matrix nor exempt: {ongeklasseerd}"
    assert not set(DEKKING) & set(VRIJGESTELD)
    # Nothing stale: every classified route exists, and every covered one names rows the matrix runs.
    assert sorted(set(DEKKING) - routes) == [] and sorted(set(VRIJGESTELD) - routes) == []
    assert all(reden.strip() for reden in VRIJGESTELD.values())


def test_een_nieuwe_route_zonder_plaats_in_de_matrix_valt_op(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.access.matrix import meting

    monkeypatch.delitem(meting.DEKKING, ("GET", "/intake/api/v1/signalen/{uuid}"))
    routes = _routes()
    assert [r for r in routes if r not in meting.DEKKING and r not in meting.VRIJGESTELD
            and not r[1].startswith(CATALOGI)] == [("GET", "/intake/api/v1/signalen/{uuid}")]


def test_de_matrix_ziet_het_als_een_filter_wegvalt(tmp_path: Path, nats_server: NatsServer,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Drop one filter (intake's doelbinding of signalen, in-process behind the gateway) and the matrix reports
    the leak: lists and details of another kolom's signalen, and their properties."""
    from sds.runtime.doelbinding import Zicht
    from services.intake.signalen import service as signalen

    profile = profiel("transitie-proof")
    with running_suite(tmp_path, nats_server.url, "transitie-proof") as suite:
        data = gegevens.bouw(suite, profile)
        monkeypatch.setattr(signalen, "zicht", lambda *args: Zicht.alles())
        matrix = meet(suite, "transitie-proof", profile, data)
    lekken = [f for f in matrix.fouten if "signalen" in f]
    assert lekken and all("signalen" in f for f in matrix.fouten), matrix.fouten
    assert any("signalen lijst: got" in f for f in lekken) and any("signalen detail" in f for f in lekken)
