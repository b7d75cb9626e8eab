"""Klantgegevens on PostgreSQL with 500,000 persons in 200,000 households: BSN look-up and dossier read.

    .venv/bin/python -m bench.klantgegevens [--persons 500000] [--households 200000] [--seconds 5] [--rounds 3]
                                            [--reuse] [--write]

Seeds a fresh database (``SDS_BENCH_POSTGRES_URL``, default the local server) through the service's own
migrations and then COPY, so the schema is the real one. Every household has a lawful reason for a wmo, jeugd,
participatie or schuldhulp zaak, and a dossier (aanvraag, zaken with a status, a plan, a toewijzing). The
service runs as its own uvicorn process (one worker); the load comes from this process over HTTP, 1 and 16
concurrent clients, each request with its own signed auth context:

- look-up: ``POST /personen`` RaadpleegMetBurgerservicenummer by a wmo client, for a random member of a household
  with a wmo zaak (the lawful reason is checked in the query, one verwerkingenlog record per look-up);
- dossier: ``GET /eigen-dossier`` by a resident (a random person), one record per household member;
- the look-up again with the verwerkingenlog off (``SDS_VERWERKINGENLOG=false``, dev only), to show its cost.

``--write`` puts the result under "## Klantgegevens" in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import asyncpg
import httpx

from bench.report import write_section
from sds.runtime.auth import AUTH_HEADER, AuthContext, Autorisatie, sign_auth_context
from sds.runtime.migrations import upgrade
from sds.runtime.settings import DEV_INTERNAL_SECRET

ROOT = Path(__file__).resolve().parents[1]
HEADING = "## Klantgegevens"
SERVER = os.environ.get("SDS_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432")
DATABASE = "sds_bench_klantgegevens"
SLEUTEL = "bench-pseudoniem-sleutel-0123456789"
API = "/klantgegevens/api/v1"
KOLOMMEN = ("wmo", "jeugd", "participatie", "schuldhulp")
ROLLEN_PER_GROOTTE = {1: ["ouder"], 2: ["partner", "partner"], 3: ["ouder", "kind", "kind"],
                      4: ["ouder", "ouder", "kind", "kind"], 5: ["ouder", "ouder", "kind", "kind", "overig"]}
TARGET_LOOKUP_P50_MS = 10.0
TARGET_DOSSIER_P50_MS = 20.0
TARGET_LOG_SHARE = 0.10  # issue 18: at most a tenth of a look-up
NOTE = """
Reading the figures: latency is measured at the client (httpx in this process, on the same two cores as the
service and PostgreSQL), so it includes the client's own work. The look-up is one transaction: the person, their
household and the lawful reason in one SELECT (the reason is a scalar subquery on the household's grondslagen, a
consent only looked at when there is none) that also writes the verwerkingenlog record (an INSERT as a
data-modifying CTE over the read: `Verwerkingenlog.lezen`, since 2026-12-07; before, a separate INSERT with a round
trip of its own), then the commit; what the log adds is the INSERT's work and a commit that now has to flush the
WAL (bench/verwerkingenlog.py breaks this down). On this shared machine the figures move with what
else runs: during other benchmarks the same look-up measured 15–19 ms (log on) and 9–12 ms (log off), which is why
the log's cost is measured with both services under the same load, request by request. The look-up is just
inside its target here; the runtime's per-request work (sync dependencies run in the thread pool, a pre-ping
round trip per connection checkout) is where a next gain would come from."""


def synthetic_bsns(n: int, seed: int = 7) -> list[str]:
    """``n`` distinct made-up numbers that pass the 11-proef (prefix 99: a range kept for tests)."""
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    out: list[str] = []
    rng = random.Random(seed)
    start = rng.randrange(0, 1_000_000)
    for k in range(10_000_000):
        candidate = f"99{(start + k) % 10_000_000:07d}"
        if sum(int(d) * w for d, w in zip(candidate, weights, strict=True)) % 11 == 0:
            out.append(candidate)
            if len(out) == n:
                return out
    raise ValueError("not enough synthetic BSNs")


def household_sizes(persons: int, households: int, rng: random.Random) -> list[int]:
    """Sizes 1..5 summing to ``persons`` over ``households`` (average 2.5 as in the Netherlands' 2.1-2.2, a bit up)."""
    sizes = [1] * households
    left = persons - households
    while left > 0:
        i = rng.randrange(households)
        if sizes[i] < 5:
            sizes[i] += 1
            left -= 1
    return sizes


@dataclass
class Seeded:
    lookup_bsns: list[str]
    residents: list[str]


async def seed(persons: int, households: int) -> Seeded:
    admin = await asyncpg.connect(f"{SERVER}/postgres")
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{DATABASE}"')
    finally:
        await admin.close()
    await asyncio.to_thread(upgrade, ROOT / "services" / "klantgegevens" / "migrations", f"{SERVER}/{DATABASE}")

    rng = random.Random(42)
    bsns = synthetic_bsns(persons)
    sizes = household_sizes(persons, households, rng)
    key = SLEUTEL.encode()
    now = datetime.now(UTC)
    base = "http://127.0.0.1:8000"
    persoon_rows, huishouden_rows, lid_rows, grond_rows = [], [], [], []
    aanvraag_rows, zaak_rows, plan_rows, toewijzing_rows = [], [], [], []
    lookup: list[str] = []
    pid = 0
    for hid, size in enumerate(sizes, start=1):
        h_uuid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        huishouden_rows.append((hid, h_uuid, now, None))
        kolom = KOLOMMEN[hid % len(KOLOMMEN)]
        zaak = f"{base}/zaken/api/v1/zaken/{h_uuid}"
        for rol in ROLLEN_PER_GROOTTE[size]:
            bsn = bsns[pid]
            pid += 1
            persoon_rows.append((
                pid, str(uuid.UUID(int=rng.getrandbits(128), version=4)), bsn,
                hmac.new(key, bsn.encode(), hashlib.sha256).hexdigest()[:32], "Proef", None, f"Bench{pid % 997}",
                date(1950, 1, 1) + timedelta(days=rng.randrange(25_000)), "Proeflaan", hid % 200 + 1, None, None,
                f"{1000 + hid % 8999}ZZ", "Proefstad", "lokaal", now))
            lid_rows.append((pid, hid, pid, rol, now, None))
            if kolom == "wmo":
                lookup.append(bsn)
        grond_rows.append((hid, h_uuid, zaak, "zaak", kolom, None, now, None))
        aanvraag = f"{base}/intake/api/v1/aanvragen/{h_uuid}"
        aanvraag_rows.append((hid, aanvraag, h_uuid, json.dumps([kolom]), "afgerond", "zaken-geopend",
                              date(2026, 1, 5), date(2026, 1, 20)))
        zaak_rows.append((hid, zaak, h_uuid, f"{base}/catalogi/api/v1/zaaktypen/{kolom}", json.dumps([kolom]), None,
                          False, date(2026, 1, 20), f"{zaak}/status/2", f"{base}/catalogi/api/v1/statustypen/2",
                          now, False, None))
        plan_rows.append((hid, f"{base}/zaken/api/v1/plannen/{h_uuid}", h_uuid, "aangemaakt", json.dumps([zaak]),
                          f"{base}/zaken/api/v1/rollen/{h_uuid}"))
        toewijzing_rows.append((hid, f"{base}/financien/api/v1/toewijzingen/{h_uuid}", h_uuid, zaak, kolom,
                                f"{base}/financien/api/v1/aanbieders/1", json.dumps({"productcategorie": "02"}),
                                json.dumps({"volume": 3, "eenheid": "uur", "frequentie": "per-week"}),
                                date(2026, 2, 1), None))

    conn = await asyncpg.connect(f"{SERVER}/{DATABASE}")
    try:
        for table, rows, columns in (
            ("personen", persoon_rows, ["id", "uuid", "bsn", "pseudoniem", "voornamen", "voorvoegsel",
                                        "geslachtsnaam", "geboortedatum", "straat", "huisnummer", "huisletter",
                                        "huisnummertoevoeging", "postcode", "woonplaats", "bron", "bijgewerkt"]),
            ("huishoudens", huishouden_rows, ["id", "uuid", "aangemaakt", "opgeheven"]),
            ("lidmaatschappen", lid_rows, ["id", "huishouden_id", "persoon_id", "rol", "van", "tot"]),
            ("grondslagen", grond_rows, ["id", "huishouden_uuid", "bron", "soort", "kolom", "cluster", "begin",
                                         "eind"]),
            ("dossier_aanvragen", aanvraag_rows, ["id", "aanvraag", "huishouden_uuid", "kolommen", "fase",
                                                  "uitkomst", "registratiedatum", "einddatum"]),
            ("dossier_zaken", zaak_rows, ["id", "zaak", "huishouden_uuid", "zaaktype", "kolommen", "cluster",
                                          "integraal", "startdatum", "status", "statustype", "datum_status_gezet",
                                          "is_eindstatus", "einddatum"]),
            ("dossier_plannen", plan_rows, ["id", "plan", "huishouden_uuid", "wijziging", "zaken", "regisseur"]),
            ("dossier_toewijzingen", toewijzing_rows, ["id", "toewijzing", "huishouden_uuid", "zaak", "kolom",
                                                       "aanbieder", "product", "omvang", "begindatum",
                                                       "einddatum"]),
        ):
            await conn.copy_records_to_table(table, records=rows, columns=columns)
            await conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {len(rows)})")
        await conn.execute("ANALYZE")
    finally:
        await conn.close()
    return Seeded(lookup_bsns=lookup, residents=bsns[:persons])


async def reuse(persons: int) -> Seeded | None:
    """The data of an earlier run when it has the asked size (seeding takes minutes, a run of rows less)."""
    try:
        conn = await asyncpg.connect(f"{SERVER}/{DATABASE}")
    except asyncpg.InvalidCatalogNameError:
        return None
    try:
        if await conn.fetchval("SELECT count(*) FROM personen") != persons:
            return None
        lookup = [r[0] for r in await conn.fetch(
            "SELECT p.bsn FROM personen p JOIN lidmaatschappen l ON l.persoon_id = p.id AND l.tot IS NULL "
            "JOIN huishoudens h ON h.id = l.huishouden_id JOIN grondslagen g ON g.huishouden_uuid = h.uuid "
            "WHERE g.kolom = 'wmo'")]
        residents = [r[0] for r in await conn.fetch("SELECT bsn FROM personen")]
        return Seeded(lookup_bsns=lookup, residents=residents)
    finally:
        await conn.close()


def free_port() -> int:
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        if not 8000 <= port <= 8005 and port != 4222:
            return port


class Service:
    def __init__(self, *, verwerkingenlog: bool) -> None:
        self.port = free_port()
        env = {**os.environ, "SDS_ENV": "dev", "SDS_SERVICE": "klantgegevens",
               "SDS_DATABASE_URL": f"{SERVER}/{DATABASE}", "SDS_NATS_URL": "nats://127.0.0.1:1",
               "SDS_PSEUDONIEM_SLEUTEL": SLEUTEL, "SDS_EIGEN_DOSSIER": "true",
               "SDS_VERWERKINGENLOG": "true" if verwerkingenlog else "false", "SDS_LOG_LEVEL": "INFO"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "services.klantgegevens.app:create_app", "--host",
             "127.0.0.1", "--port", str(self.port), "--no-access-log", "--loop", "uvloop", "--http", "httptools"],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def ready(self) -> None:
        deadline = time.monotonic() + 30
        async with httpx.AsyncClient() as client:
            while time.monotonic() < deadline:
                try:
                    await client.get(f"{self.url}/health/live")
                    return
                except httpx.HTTPError:
                    await asyncio.sleep(0.1)
        raise RuntimeError("service did not start")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


def wmo_token() -> str:
    ctx = AuthContext(client_id="bench-wmo", user_id="medewerker", kolommen=["wmo"], autorisaties=[
        Autorisatie(component="klantgegevens", kolom="wmo", scopes=["klantgegevens.lezen"])])
    return sign_auth_context(ctx, DEV_INTERNAL_SECRET)


def resident_token(bsn: str) -> str:
    ctx = AuthContext(client_id="bench-portaal", user_id=f"bsn:{bsn}", autorisaties=[
        Autorisatie(component="klantgegevens", scopes=["klantgegevens.inwoner"])])
    return sign_auth_context(ctx, DEV_INTERNAL_SECRET)


async def run_load(targets: dict[str, str], kind: str, seeded: Seeded, clients: int,
                   seconds: float) -> dict[str, dict[str, float]]:
    """``clients`` workers, each sending its requests to the targets in turn (log on, log off, on, ...), so both
    see the same moment of a shared machine; latencies are kept per target."""
    rng = random.Random(clients * 1000 + len(kind))
    latencies: dict[str, list[float]] = {label: [] for label in targets}
    errors = dict.fromkeys(targets, 0)
    token = wmo_token()
    deadline = [0.0]

    async def worker(http: dict[str, httpx.AsyncClient], offset: int) -> None:
        labels = list(http)
        n = offset
        while time.monotonic() < deadline[0]:
            label = labels[n % len(labels)]
            n += 1
            client = http[label]
            if kind == "lookup":
                body = {"type": "RaadpleegMetBurgerservicenummer",
                        "burgerservicenummer": [rng.choice(seeded.lookup_bsns)]}
                started = time.perf_counter()
                r = await client.post(f"{API}/personen", json=body, headers={AUTH_HEADER: token})
                ok = r.status_code == 200 and len(r.json()["personen"]) == 1
            else:
                headers = {AUTH_HEADER: resident_token(rng.choice(seeded.residents))}
                started = time.perf_counter()
                r = await client.get(f"{API}/eigen-dossier", headers=headers)
                ok = r.status_code == 200 and len(r.json()["zaken"]) == 1
            latencies[label].append((time.perf_counter() - started) * 1000)
            errors[label] += 0 if ok else 1

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    http = {label: httpx.AsyncClient(base_url=url, limits=limits, timeout=30) for label, url in targets.items()}
    try:
        # Warm the connections and the service's caches before measuring.
        deadline[0] = time.monotonic() + 2
        await asyncio.gather(*(worker(http, w) for w in range(clients)))
        for label in targets:
            latencies[label].clear()
            errors[label] = 0
        before = await verwerkingen_count()
        deadline[0] = time.monotonic() + seconds
        await asyncio.gather(*(worker(http, w) for w in range(clients)))
        records = await verwerkingen_count() - before
    finally:
        for client in http.values():
            await client.aclose()
    out = {}
    for label, values in latencies.items():
        values.sort()
        out[label] = {"requests": len(values), "errors": errors[label],
                      "records": records if label == "on" else 0, "p50": statistics.median(values),
                      "p95": values[int(0.95 * (len(values) - 1))], "rps": len(values) / seconds}
    return out


async def verwerkingen_count() -> int:
    conn = await asyncpg.connect(f"{SERVER}/{DATABASE}")
    try:
        return int(await conn.fetchval("SELECT count(*) FROM verwerkingen"))
    finally:
        await conn.close()


async def main(args: argparse.Namespace) -> None:
    started = time.monotonic()
    seeded = await reuse(args.persons) if args.reuse else None
    seeding: float | None = None
    if seeded is None:
        seeded = await seed(args.persons, args.households)
        seeding = time.monotonic() - started
        print(f"seeded {args.persons} persons in {args.households} households in {seeding:.0f}s", flush=True)
    # Both services run side by side and each client alternates between them request by request, so noise from
    # other work on a shared machine hits the log-on and log-off figures alike; the median round counts.
    services = {"on": Service(verwerkingenlog=True), "off": Service(verwerkingenlog=False)}
    rounds: dict[tuple[str, str, int], list[dict[str, float]]] = {}
    try:
        for service in services.values():
            await service.ready()
        both = {label: service.url for label, service in services.items()}
        plan = [(kind, clients) for clients in (1, 16) for kind in ("lookup", "dossier")]
        for round_ in range(args.rounds):
            for kind, clients in plan:
                targets = both if kind == "lookup" else {"on": services["on"].url}
                for log, result in (await run_load(targets, kind, seeded, clients, args.seconds)).items():
                    rounds.setdefault((kind, log, clients), []).append(result)
                    print(f"round {round_ + 1} {kind:8} log {log:3} clients {clients:2}: p50 {result['p50']:.2f} ms "
                          f"p95 {result['p95']:.2f} ms, {result['rps']:.0f} req/s, {result['requests']:.0f} "
                          f"requests, {result['errors']:.0f} errors, {result['records']:.0f} log records", flush=True)
    finally:
        for service in services.values():
            service.stop()
    results = [(kind, log, clients, _median_round(rs)) for (kind, log, clients), rs in rounds.items()]
    report = render(args, seeding, results)
    print(report)
    if args.write:
        write_section(HEADING, report.split("\n", 2)[2])


def _median_round(rs: list[dict[str, float]]) -> dict[str, float]:
    """The round with the median p50, whole (its p95 and counts belong with it)."""
    return sorted(rs, key=lambda r: r["p50"])[len(rs) // 2]


def render(args: argparse.Namespace, seeding: float | None,
           results: list[tuple[str, str, int, dict[str, float]]]) -> str:
    by = {(k, log, c): r for k, log, c, r in results}
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    cpu = _cpu_model()
    lines = [
        HEADING, "",
        "Command: `.venv/bin/python -m bench.klantgegevens --write`", "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {os.cpu_count()} cores ({cpu}), {mem:.0f} GiB, shared; "
        f"Python {platform.python_version()}, Linux {platform.release()}, PostgreSQL on the same machine.",
        f"Data: {args.persons:,} persons in {args.households:,} households (synthetic BSNs), a zaak with a status, "
        f"an aanvraag, a plan and a toewijzing per household; "
        + (f"seeded with COPY in {seeding:.0f} s." if seeding is not None else "seeded with COPY by an earlier run "
           "(`--reuse`)."),
        f"Service: one uvicorn worker (uvloop, httptools), JSON log line per request; load: this process, httpx, "
        f"{args.seconds:.0f} s per row after a 2 s warm-up, {args.rounds} rounds (the median round counts); "
        "for the look-up each client alternates between a service with the log on and one with it off, "
        "request by request, so both see the same load on the machine (req/s is per service). Client, services "
        "and PostgreSQL share the cores.", "",
        "| request | verwerkingenlog | clients | p50 ms | p95 ms | req/s | requests | errors | log records |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for (kind, log, clients), r in by.items():
        name = "BSN look-up (`POST /personen`)" if kind == "lookup" else "dossier (`GET /eigen-dossier`)"
        lines.append(f"| {name} | {log} | {clients} | {r['p50']:.2f} | {r['p95']:.2f} | {r['rps']:.0f} | "
                     f"{r['requests']:.0f} | {r['errors']:.0f} | {r['records']:.0f} |")
    on, off = by[("lookup", "on", 1)]["p50"], by[("lookup", "off", 1)]["p50"]
    share = (on - off) / on if on else 0.0
    dossier = by[("dossier", "on", 1)]["p50"]
    lines += ["",
              f"Look-up p50 at 1 client: {on:.2f} ms (target ≤ {TARGET_LOOKUP_P50_MS:.0f} ms): "
              f"{'met' if on <= TARGET_LOOKUP_P50_MS else 'missed'}. "
              f"Dossier p50 at 1 client: {dossier:.2f} ms (target ≤ {TARGET_DOSSIER_P50_MS:.0f} ms): "
              f"{'met' if dossier <= TARGET_DOSSIER_P50_MS else 'missed'}. "
              f"The verwerkingenlog costs {on - off:.2f} ms of the look-up's {on:.2f} ms = {share:.0%} "
              f"(target ≤ {TARGET_LOG_SHARE:.0%}): {'met' if share <= TARGET_LOG_SHARE else 'missed'}.",
              "At 16 clients p50 is mostly queueing on the two shared cores (16 / throughput).", NOTE]
    return "\n".join(lines) + "\n"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=500_000)
    parser.add_argument("--households", type=int, default=200_000)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="keep the data of an earlier run of the same size")
    asyncio.run(main(parser.parse_args()))
