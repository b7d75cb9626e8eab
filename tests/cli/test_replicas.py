"""`sds up --replicas 2`: two processes of every service on its one socket, and the suite's main job done right
with two outbox relays, two consumers and two identificatie counters per service. Two dozen aanvragen and two dozen
zaken sent at once through the gateway: every aanvraag has exactly its zaken (no event lost, none handled twice),
every zaak its own identificatie, and both processes of intake and of zaken answered requests."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import psutil

from sds.cli.suite import SERVICES, replica_name
from sds.runtime.jwt_zgw import encode_jwt_zgw
from sds.runtime.settings import DEV_BOOTSTRAP_CLIENT_ID, DEV_BOOTSTRAP_SECRET
from tests.cli.conftest import running, sds
from tests.support.bsns import synthetic_bsns

AANVRAGEN = ZAKEN = 24
_bsns = synthetic_bsns("9995")


def _served_http(log: Path, route: str) -> int:
    count = 0
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        count += entry.get("logger") == "sds.http" and entry.get("route") == route
    return count


def _all(client: httpx.Client, path: str) -> list[dict[str, Any]]:
    found, page = [], 1
    while True:
        response = client.get(path, params={"pageSize": 100, "page": page})
        assert response.status_code == 200, response.text
        found += response.json()["results"]
        if not response.json()["next"]:
            return found
        page += 1


def test_two_processes_of_every_service_do_the_main_job_without_loss_or_double(tmp_path: Path) -> None:
    with running(tmp_path, "transitie-proof", "--replicas", "2") as (run, env, where):
        state = run.state()
        assert state is not None
        processes = {part["name"]: part for part in state["parts"]}
        for service in SERVICES:
            first, second = processes[service], processes[replica_name(service, 1)]
            assert first["port"] == second["port"] and first["pid"] != second["pid"]
        # Notificaties' second process leaves the deliveries to the first (its delivery worker hands each out once).
        duty = [psutil.Process(processes[replica_name("notificaties", i)]["pid"]).environ().get("SDS_DELIVERY_WORKER")
                for i in (0, 1)]
        assert duty == [None, "false"]
        token = encode_jwt_zgw(env.get("SDS_BOOTSTRAP_CLIENT_ID", DEV_BOOTSTRAP_CLIENT_ID),
                               env.get("SDS_BOOTSTRAP_SECRET", DEV_BOOTSTRAP_SECRET), user_id="dev")
        with httpx.Client(base_url=f"http://127.0.0.1:{run.port}", timeout=30, trust_env=False,
                          headers={"authorization": f"Bearer {token}"}) as client:
            seeded = sds("seed", "catalogus", *where, "--public-base-url", f"http://127.0.0.1:{run.port}", env=env)
            assert seeded.returncode == 0, seeded.stdout + seeded.stderr
            zaaktype = client.get("/catalogi/api/v1/zaaktypen", params={"status": "definitief"}).json()["results"][0]
            # The municipality's own RSIN, the bronorganisatie of the zaken intake opens: one identificatie range.
            rsin = client.get(zaaktype["catalogus"]).json()["rsin"]

            # Drawn before the threads start: a generator cannot be advanced from two threads at once.
            bsns = [next(_bsns) for _ in range(AANVRAGEN)]

            def aanvraag(i: int) -> httpx.Response:
                return client.post("/intake/api/v1/aanvragen", json={
                    "ingediendDoor": "medewerker", "vragen": [{"leefgebied": "huishouden"}, {"leefgebied": "opvoeden"}],
                    "aanvrager": {"burgerservicenummer": bsns[i], "naam": {"geslachtsnaam": "Jansen"}}})

            def zaak(_: int) -> httpx.Response:
                return client.post("/zaken/api/v1/zaken", json={
                    "bronorganisatie": rsin, "verantwoordelijkeOrganisatie": rsin,
                    "zaaktype": zaaktype["url"], "startdatum": "2026-12-07", "omschrijving": "twee processen"})

            with ThreadPoolExecutor(16) as pool:
                aanvragen = list(pool.map(aanvraag, range(AANVRAGEN)))
                gemaakt = list(pool.map(zaak, range(ZAKEN)))
            assert [r.status_code for r in aanvragen + gemaakt] == [201] * (AANVRAGEN + ZAKEN), \
                [r.text for r in aanvragen + gemaakt if r.status_code != 201][:3]
            ingediend = {r.json()["url"] for r in aanvragen}

            # Each aanvraag of two kolommen becomes one zaak per kolom (transitie-proof): all of them, once.
            # (An aanvraag whose household klantgegevens could not give at once gets it from intake's worker.)
            deadline = time.monotonic() + 60
            while True:
                huishoudens = {a["huishouden"] for a in _all(client, "/intake/api/v1/aanvragen")
                               if a["url"] in ingediend}
                zaken = _all(client, "/zaken/api/v1/zaken")
                per_huishouden = [z["huishouden"] for z in zaken if z.get("huishouden") in huishoudens]
                if len(per_huishouden) >= 2 * AANVRAGEN or time.monotonic() > deadline:
                    break
                time.sleep(0.3)
            assert None not in huishoudens and len(huishoudens) == AANVRAGEN
            assert sorted(per_huishouden.count(h) for h in huishoudens) == [2] * AANVRAGEN
            time.sleep(1)  # a doubled event would have made its second zaak by now
            zaken = _all(client, "/zaken/api/v1/zaken")
            assert len([z for z in zaken if z.get("huishouden") in huishoudens]) == 2 * AANVRAGEN
            assert {z["bronorganisatie"] for z in zaken} == {rsin}
            identificaties = [z["identificatie"] for z in zaken]
            assert len(identificaties) == len(set(identificaties)) == 2 * AANVRAGEN + ZAKEN

        logs = run.data_dir / "logs"
        for service, route in (("intake", "/intake/api/v1/aanvragen"), ("zaken", "/zaken/api/v1/zaken")):
            served = [_served_http(logs / f"{replica_name(service, i)}.log", route) for i in (0, 1)]
            assert all(served), f"{service}: requests per process {served}"
