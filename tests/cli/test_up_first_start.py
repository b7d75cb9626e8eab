"""A fresh data directory, `sds up` and nothing else, then an aanvraag: its zaken exist within seconds, under each
shipped archetype. Nothing is seeded or configured by the test; the suite is started once per archetype."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from sds.cli.suite import DEFAULT_ARCHETYPE
from sds.runtime.jwt_zgw import encode_jwt_zgw
from sds.runtime.settings import DEV_BOOTSTRAP_CLIENT_ID, DEV_BOOTSTRAP_SECRET
from tests.cli.conftest import start_up
from tests.support.bsns import synthetic_bsns

# The embedded default whatever the backend: the PostgreSQL pass leaves these out (tests/conftest.py).
pytestmark = pytest.mark.embedded

ARCHETYPEN = ("transitie-proof", "totaal-integraal", "geclusterd-integraal", "integraal-in-tweede-instantie",
              "geclusterd-integraal-elders")
# Where the wmo and jeugd clusters are at external parties, the questions stay with the municipality's own cluster.
VRAGEN = {"geclusterd-integraal-elders": ("schulden", "inkomen")}
# How many zaken those questions open (README, "Intake: from aanvraag to zaken"): a zaak per kolom; one
# integral zaak; one for the shared cluster; the two kolom zaken under one integral hoofdzaak; one for the
# municipality's own cluster.
ZAKEN = {"transitie-proof": 2, "totaal-integraal": 1, "geclusterd-integraal": 1,
         "integraal-in-tweede-instantie": 3, "geclusterd-integraal-elders": 1}
WITHIN = 10.0

_bsns = synthetic_bsns("9997")


def _zaken_van(client: httpx.Client, huishouden: str) -> list[dict[str, Any]]:
    response = client.get("/zaken/api/v1/zaken", params={"pageSize": 100})
    assert response.status_code == 200, response.text
    return [zaak for zaak in response.json()["results"] if zaak.get("huishouden") == huishouden]


@pytest.mark.parametrize("archetype", ARCHETYPEN)
def test_a_fresh_sds_up_turns_an_aanvraag_into_its_zaken(tmp_path: Path, archetype: str) -> None:
    # The default archetype is started as a new user does: with no option at all.
    run = start_up(tmp_path / "data", *([] if archetype == DEFAULT_ARCHETYPE else ["--archetype", archetype]))
    try:
        state = run.wait_running()
        assert state["archetype"] == archetype
        assert f"Sociaal Domein Suite is up (archetype: {archetype}" in run.output()
        assert "loaded 9 published zaaktypen in 5 catalogussen" in run.output()
        token = encode_jwt_zgw(DEV_BOOTSTRAP_CLIENT_ID, DEV_BOOTSTRAP_SECRET, user_id="dev")
        with httpx.Client(base_url=f"http://127.0.0.1:{run.port}", timeout=10, trust_env=False,
                          headers={"authorization": f"Bearer {token}"}) as client:
            vragen = VRAGEN.get(archetype, ("huishouden", "opvoeden"))
            posted = client.post("/intake/api/v1/aanvragen", json={
                "ingediendDoor": "medewerker", "vragen": [{"leefgebied": v} for v in vragen],
                "aanvrager": {"burgerservicenummer": next(_bsns), "naam": {"geslachtsnaam": "Jansen"}}})
            sent = time.monotonic()
            assert posted.status_code == 201, posted.text
            aanvraag = posted.json()
            # Triaged at once: the catalogue is there, nothing makes the aanvraag wait as ingediend.
            assert aanvraag["status"] == "getrieerd", aanvraag
            triaged = [z["zaaktype"] for z in aanvraag["triage"]["zaken"]]
            zaken = _zaken_van(client, aanvraag["huishouden"])
            while len(zaken) < ZAKEN[archetype] and time.monotonic() - sent < WITHIN:
                time.sleep(0.1)
                zaken = _zaken_van(client, aanvraag["huishouden"])
            print(f"{archetype}: {len(zaken)} zaken {time.monotonic() - sent:.2f}s after the aanvraag")
            assert len(zaken) == ZAKEN[archetype], (zaken, run.output())
            opened = [z["zaaktype"] for z in zaken]
            assert all(opened.count(zaaktype) >= triaged.count(zaaktype) for zaaktype in triaged), (triaged, opened)
    finally:
        run.kill_everything()
