"""Notificaties: from an event on the bus to the subscriber's callback, 100 subscribers with filters.

    python -m bench.notificaties [--seconds 20] [--rates 1000,250] [--subscribers 100] [--db postgres|sqlite] [--write]

It starts a nats-server, the notificaties service (uvicorn, its migrations applied to a fresh database,
``sds_bench_notificaties`` on PostgreSQL) and one process of subscribers: ``--subscribers`` webhooks on one
uvicorn server, each answering 204 and noting when each notificatie came. Each subscriber has an abonnement on
kanaal ``zaken`` filtered on its own zaaktype (``kenmerken.zaaktype``), so every event matches one abonnement:
a rate of events/s offered makes as many deliveries/s. Events (``status-gezet``) are published to JetStream at
the rate, in 10 ms slices, for ``--seconds``; each rate of ``--rates`` is a run of its own (a fresh service,
database and stream). Measured: the deliveries/s sustained (from the first event
published to the last notificatie received) and the delay from the event's ``time`` to its arrival at the
callback, median, p95 and p99. Targets: >= 1,000 deliveries/s, p99 <= 500 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import psutil

from bench.report import write_section
from contracts.envelope import CloudEvent, subject_for
from sds.cli.nats import nats_server_argv, nats_server_binary
from sds.runtime.auth import AUTH_HEADER, AuthContext, sign_auth_context
from sds.runtime.bus import Bus
from sds.runtime.migrations import upgrade
from sds.runtime.settings import DEV_INTERNAL_SECRET

ROOT = Path(__file__).resolve().parents[1]
SERVER = "postgresql://postgres@127.0.0.1:5432"
DATABASE = "sds_bench_notificaties"
TYPE = "nl.overheid.zaken.status-gezet"
ZAAKTYPEN = "http://127.0.0.1/catalogi/api/v1/zaaktypen/"
TARGET_RATE, TARGET_P99_MS = 1000.0, 500.0

SUBSCRIBERS = '''
import sys, time, uvicorn
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from datetime import datetime
app = FastAPI()
arrived = []
@app.post("/cb/{n}")
async def cb(n: int, request: Request) -> Response:
    body = await request.json()
    if body.get("kanaal") != "test":
        made = datetime.fromisoformat(body["aanmaakdatum"].replace("Z", "+00:00")).timestamp()
        arrived.append((time.time() - made, time.time()))
    return Response(status_code=204)
@app.get("/stats")
async def stats() -> Response:
    return JSONResponse(arrived)
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning", access_log=False)
'''


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _wait_http(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    async with httpx.AsyncClient() as client:
        while True:
            try:
                if (await client.get(url, timeout=1)).status_code < 500:
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not answer")
            await asyncio.sleep(0.1)


async def _database(db: str, workdir: Path) -> str:
    if db == "sqlite":
        return f"sqlite:///{workdir / 'notificaties.db'}"
    admin = await asyncpg.connect(f"{SERVER}/postgres")
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{DATABASE}"')
    finally:
        await admin.close()
    return f"{SERVER}/{DATABASE}"


def _event(n: int, subscribers: int) -> CloudEvent:
    status = f"http://127.0.0.1/zaken/api/v1/statussen/{n:08d}-0000-4000-8000-000000000000"
    return CloudEvent(source="urn:nld:sociaal-domein:zaken", type=TYPE, subject=str(n), dataref=status, data={
        "zaak": f"http://127.0.0.1/zaken/api/v1/zaken/{n % 5000:08d}-0000-4000-8000-000000000000",
        "zaaktype": f"{ZAAKTYPEN}{n % subscribers}", "status": status,
        "statustype": "http://127.0.0.1/catalogi/api/v1/statustypen/1", "datumStatusGezet": "2026-12-07T09:00:00Z",
        "isEindstatus": False, "bronorganisatie": "002220647", "vertrouwelijkheidaanduiding": "openbaar",
        "kolommen": ["wmo"]})


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


def run(seconds: float, rate: int, subscribers: int, db: str) -> dict[str, Any]:
    """Start nats-server, the service and the subscribers, measure, and stop them all again."""
    with tempfile.TemporaryDirectory(prefix="sds-bench-nrc-") as tmp:
        workdir = Path(tmp)
        nats_port, nrc_port, sub_port = _free_port(), _free_port(), _free_port()
        procs = [subprocess.Popen(nats_server_argv(nats_server_binary(), workdir / "nats", nats_port),
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
        try:
            url = asyncio.run(_database(db, workdir))
            upgrade(ROOT / "services" / "notificaties" / "migrations", url)
            env = {**os.environ, "SDS_ENV": "dev", "SDS_DATABASE_URL": url, "SDS_LOG_LEVEL": "WARNING",
                   "SDS_NATS_URL": f"nats://127.0.0.1:{nats_port}",
                   "SDS_PUBLIC_BASE_URL": f"http://127.0.0.1:{nrc_port}"}
            procs.append(subprocess.Popen(
                [sys.executable, "-m", "uvicorn", "--factory", "services.notificaties.app:create_app",
                 "--port", str(nrc_port), "--log-level", "warning", "--no-access-log"], cwd=ROOT, env=env))
            procs.append(subprocess.Popen([sys.executable, "-c", SUBSCRIBERS, str(sub_port)], cwd=ROOT))
            return asyncio.run(_measure(seconds, rate, subscribers, nats_port, nrc_port, sub_port,
                                        [psutil.Process(procs[1].pid), psutil.Process(procs[2].pid)]))
        finally:
            for proc in reversed(procs):  # nats-server last: the service shuts down with its bus still there
                proc.terminate()
                proc.wait(timeout=20)


def _cpu(process: psutil.Process) -> float:
    times = process.cpu_times()
    return float(times.user + times.system)


async def _measure(seconds: float, rate: int, subscribers: int, nats_port: int, nrc_port: int,
                   sub_port: int, watched: list[psutil.Process]) -> dict[str, Any]:
    api = f"http://127.0.0.1:{nrc_port}/notificaties/api/v1"
    await _wait_http(f"http://127.0.0.1:{nrc_port}/health/ready")
    await _wait_http(f"http://127.0.0.1:{sub_port}/stats")
    headers = {AUTH_HEADER: sign_auth_context(AuthContext(client_id="bench", heeft_alle_autorisaties=True),
                                              DEV_INTERNAL_SECRET)}
    async with httpx.AsyncClient(headers=headers, timeout=30) as client:
        for _ in range(100):  # the kanalen are seeded by the service's start
            if (await client.get(f"{api}/kanaal", params={"naam": "zaken"})).json():
                break
            await asyncio.sleep(0.1)
        for n in range(subscribers):
            r = await client.post(f"{api}/abonnement", json={
                "callbackUrl": f"http://127.0.0.1:{sub_port}/cb/{n}", "auth": "Bearer bench",
                "kanalen": [{"naam": "zaken", "filters": {"zaaktype": f"{ZAAKTYPEN}{n}"}}]})
            assert r.status_code == 201, r.text

    bus = await Bus.connect(f"nats://127.0.0.1:{nats_port}", name="bench-publisher")
    await bus.ensure_stream()
    total = int(seconds * rate)
    cpu_before = [_cpu(p) for p in watched]
    per_slice = max(1, rate // 100)
    started = time.time()
    n = 0
    while n < total:
        if (delay := started + n / rate - time.time()) > 0:
            await asyncio.sleep(delay)
        acks = [await bus.js.publish_async(subject_for(TYPE), ev.to_json(), headers={"Nats-Msg-Id": ev.id})
                for ev in (_event(i, subscribers) for i in range(n, min(total, n + per_slice)))]
        await asyncio.gather(*acks)
        n += len(acks)
    offered = total / (time.time() - started)
    await bus.close()
    arrived: list[list[float]] = []
    deadline = time.time() + 120
    async with httpx.AsyncClient(timeout=30) as client:
        while time.time() < deadline:
            arrived = (await client.get(f"http://127.0.0.1:{sub_port}/stats")).json()
            if len(arrived) >= total:
                break
            await asyncio.sleep(0.5)
    service_cpu, subscribers_cpu = (_cpu(p) - before for p, before in zip(watched, cpu_before, strict=True))
    delays = [d * 1000 for d, _ in arrived]
    last = max(t for _, t in arrived)
    return {"events": total, "subscribers": subscribers, "offered_per_s": round(offered, 1),
            "delivered": len(arrived), "delivered_per_s": round(len(arrived) / (last - started), 1),
            "delay_ms_p50": round(statistics.median(delays), 1), "delay_ms_p95": round(_pct(delays, 0.95), 1),
            "delay_ms_p99": round(_pct(delays, 0.99), 1), "delay_ms_max": round(max(delays), 1),
            "load_1min": round(os.getloadavg()[0], 2),
            # CPU seconds per 1,000 deliveries: what a delivery costs, whatever else shares the machine
            "service_cpu_ms_per_delivery": round(service_cpu * 1000 / max(1, len(arrived)), 3),
            "subscribers_cpu_ms_per_delivery": round(subscribers_cpu * 1000 / max(1, len(arrived)), 3)}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.notificaties", description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--rates", default="1000,250", help="comma-separated events/s, a run each")
    parser.add_argument("--subscribers", type=int, default=100)
    parser.add_argument("--db", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument("--write", action="store_true", help="rewrite the section in docs/benchmarks.md")
    args = parser.parse_args()
    results = []
    for rate in (int(r) for r in args.rates.split(",")):
        results.append(run(args.seconds, rate, args.subscribers, args.db))
        print(json.dumps(results[-1], indent=2), flush=True)
    if args.write:
        write_section("## Notificaties: event to subscriber", _section(results, args))


def _section(results: list[dict[str, Any]], args: argparse.Namespace) -> str:
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    rows = "\n".join(
        f"| {r['offered_per_s']} | {r['delivered']} of {r['events']} | {r['delivered_per_s']} | {r['delay_ms_p50']} | "
        f"{r['delay_ms_p95']} | {r['delay_ms_p99']} | {r['delay_ms_max']} | {r['service_cpu_ms_per_delivery']} | "
        f"{r['load_1min']} |" for r in results)
    top = max(r["delivered_per_s"] for r in results)
    verdict = "meeting" if top >= TARGET_RATE else "below"
    within = ", ".join(f"{r['offered_per_s']:g}" for r in results if r["delay_ms_p99"] <= TARGET_P99_MS)
    beyond = ", ".join(f"{r['offered_per_s']:g}" for r in results if r["delay_ms_p99"] > TARGET_P99_MS)
    return f"""`python -m bench.notificaties --seconds {args.seconds:g} --rates {args.rates} --subscribers \
{args.subscribers} --db {args.db} --write` ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {machine}, a machine shared
with other work). Per run: `status-gezet` events published to JetStream at the rate offered for {args.seconds:g} s;
the notificaties service (one uvicorn process: bridge consumer, fan-out and delivery worker) on {args.db};
{args.subscribers} subscribers (one uvicorn process), each with an abonnement on `zaken` filtered on its own
zaaktype, so one delivery per event. Targets: >= {TARGET_RATE:g} deliveries/s, p99 <= {TARGET_P99_MS:g} ms.

| events/s offered | delivered | deliveries/s sustained | median (ms) | p95 | p99 | max | CPU ms | load |
|---:|---:|---:|---:|---:|---:|---:|---:|---:|
{rows}

CPU ms: the service's CPU time per delivery (user + system, from the first event published to the last
received), what a delivery costs whatever else shares the machine. Load: the 1-minute load average as the run
ended.
The delay (median, p95, p99, max) runs from the event's `time` (set by the publisher) to the subscriber
receiving the POST: JetStream,
the bridge's batch (inbox + notificatie + levering in one transaction), the dispatcher (woken by the bridge's
commit), the POST. Above the rate one process sustains, the delay is the queue's length.

What the numbers say: one notificaties process sustains about {top:g} deliveries/s here, {verdict} the target of
{TARGET_RATE:g}/s. The p99 is within {TARGET_P99_MS:g} ms at {within or "none"} events/s offered and not at
{beyond or "none"}; runs of 10 s on a machine shared with other work vary, so a rate the process sustains can
still miss it when other work takes the cores for a while. The process is busy on the CPU, not waiting. A
py-spy profile of a 1,000/s run showed httpx/httpcore at 57% of its CPU, the POSTs now go out with aiohttp
(18% of the CPU in a run like it); after that, fan-out checked every abonnement's filters for every
notificatie (13%): the abonnementen are now filed per kanaal and filter pair and that index is made again only
when their rows change. What is left is spread over SQL (the bridge's batch, the dispatcher's query for the due
leveringen, the outcomes written; about a third), aiohttp per POST (about a fifth) and the bus consumer. The
worker runs in one process (`SDS_DELIVERY_WORKER`): more than one would need the leveringen claimed
per process (a lease per abonnement), which is not built."""


if __name__ == "__main__":
    main()
