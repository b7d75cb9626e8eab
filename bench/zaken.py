"""Zaken on PostgreSQL with a million zaken: list latency at 1 and 16 clients, create throughput at 16.

    python -m bench.zaken seed  [--zaken 1000000] [--database sds_bench_zaken]   # COPY, with a progress bar
    python -m bench.zaken run   [--seconds 15] [--workers 1,2] [--rounds 3] [--write]   # needs the seeded database

``seed`` (re)creates the database, migrates it, loads the catalogue and COPYs the zaken in batches.
``run`` starts the zaken service under uvicorn (uvloop, httptools) on a free port, once per round and worker
count, and drives it with a raw asyncio HTTP/1.1 client (cheap on the cores it shares with the service):
``GET /zaken?zaaktype=...&pageSize=100`` with 1 and 16 connections (p50/p95), then ``POST /zaken`` with 16
connections (creates per second). ``--write`` puts the medians under "## Zaken" in docs/benchmarks.md.
Targets: list p50 ≤ 30 ms at 1 client and ≤ 150 ms at 16; ≥ 300 creates/s.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import re
import shutil
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from bench.report import write_section
from sds.runtime.auth import AUTH_HEADER, AuthContext, sign_auth_context
from sds.runtime.migrations import upgrade
from sds.runtime.settings import DEV_INTERNAL_SECRET

ROOT = Path(__file__).resolve().parents[1]
SERVER = "postgresql://postgres@127.0.0.1:5432"
BASE = "http://127.0.0.1:8000"  # the gateway's address, as the suite's resource URLs carry it
RSIN = "002220647"
BATCH = 20_000
TARGETS = {"list_p50_1": 30.0, "list_p50_16": 150.0, "creates_per_s": 300.0}


def _url(database: str) -> str:
    return f"postgresql+asyncpg://postgres@127.0.0.1:5432/{database}"


def _progress(done: int, total: int, started: float) -> None:
    width = 40
    filled = int(width * done / total)
    rate = done / max(time.perf_counter() - started, 1e-9)
    eta = (total - done) / rate if rate else 0
    sys.stderr.write(f"\r  zaken [{'#' * filled}{'.' * (width - filled)}] {done:>9,}/{total:,} "
                     f"{rate:>8,.0f}/s  eta {eta:5.0f}s")
    sys.stderr.flush()


async def seed(zaken: int, database: str) -> None:
    admin = await asyncpg.connect(f"{SERVER}/postgres")
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{database}"')
    finally:
        await admin.close()
    print(f"database {database}: migrating", file=sys.stderr)
    await asyncio.to_thread(upgrade, ROOT / "services" / "zaken" / "migrations", _url(database))
    from services.zaken.seed_catalogus import run as seed_catalogus
    from services.zaken.zaken.schemas import ZaakIn

    await seed_catalogus(_url(database), BASE, RSIN)
    conn = await asyncpg.connect(f"{SERVER}/{database}")
    try:
        types = await conn.fetch(
            "SELECT z.id, z.uuid, z.catalogus_id, c.kolom, z.vertrouwelijkheidaanduiding FROM zaaktypen z "
            "JOIN catalogussen c ON c.id = z.catalogus_id ORDER BY z.id")
        ranks = {"openbaar": 0, "beperkt_openbaar": 1, "intern": 2, "zaakvertrouwelijk": 3, "vertrouwelijk": 4,
                 "confidentieel": 5, "geheim": 6, "zeer_geheim": 7}
        columns = ["uuid", "identificatie", "bronorganisatie", "zaaktype_id", "catalogus_id", "kolom",
                   "vertrouwelijkheidaanduiding", "vertrouwelijkheid_rank", "registratiedatum", "startdatum",
                   "einddatum", "archiefstatus", "huishouden", "gegevens"]
        # Stored as POST /zaken stores them (every field of the request body), so a listed page costs what a
        # page of API-created zaken costs, and the zaken the create measurement adds look the same.
        template = ZaakIn.model_validate({
            "bronorganisatie": RSIN, "verantwoordelijkeOrganisatie": RSIN, "startdatum": "2024-01-01",
            "zaaktype": f"{BASE}/catalogi/api/v1/zaaktypen/{types[0]['uuid']}"}).model_dump(mode="json", by_alias=True)
        rng = random.Random(20261128)
        first_day = date(2024, 1, 1)
        started = time.perf_counter()
        number = 0
        while number < zaken:
            records = []
            for _ in range(min(BATCH, zaken - number)):
                number += 1
                zt = types[number % len(types)]
                start = first_day + timedelta(days=rng.randrange(0, 1060))
                # Older zaken are mostly closed, as in a municipality's real caseload.
                einde = start + timedelta(days=rng.randrange(20, 90)) if start < date(2026, 6, 1) else None
                identificatie = f"ZAAK-{start.year}-{number:010d}"
                huishouden = f"{BASE}/klantgegevens/api/v1/huishoudens/{uuid.UUID(int=rng.randrange(1, 350_000))}"
                gegevens = {**template, "identificatie": identificatie,
                            "zaaktype": f"{BASE}/catalogi/api/v1/zaaktypen/{zt['uuid']}",
                            "registratiedatum": start.isoformat(), "startdatum": start.isoformat(),
                            "vertrouwelijkheidaanduiding": zt["vertrouwelijkheidaanduiding"],
                            "huishouden": huishouden}
                records.append((str(uuid.UUID(int=rng.getrandbits(128), version=4)), identificatie, RSIN, zt["id"],
                                zt["catalogus_id"], zt["kolom"], zt["vertrouwelijkheidaanduiding"],
                                ranks[zt["vertrouwelijkheidaanduiding"]], start, start, einde, "nog_te_archiveren",
                                huishouden, json.dumps(gegevens)))
            await conn.copy_records_to_table("zaken", records=records, columns=columns)
            _progress(number, zaken, started)
        sys.stderr.write("\n")
        # The counter continues after the seeded numbers, so new zaken do not collide with them.
        for year in (2024, 2025, 2026, 2027):
            await conn.execute("INSERT INTO zaak_identificatie_tellers (bronorganisatie, jaar, laatste) "
                               "VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", RSIN, year, zaken)
        await conn.execute("INSERT INTO zaak_tellingen (zaaktype_id, aantal) SELECT zaaktype_id, count(*) FROM zaken "
                           "GROUP BY zaaktype_id ON CONFLICT (zaaktype_id) DO UPDATE SET aantal = excluded.aantal")
        print("VACUUM ANALYZE", file=sys.stderr)
        await conn.execute("VACUUM ANALYZE")
        size = await conn.fetchval("SELECT pg_size_pretty(pg_total_relation_size('zaken'))")
        print(f"seeded {zaken:,} zaken in {time.perf_counter() - started:.0f}s; table with indexes: {size}",
              file=sys.stderr)
    finally:
        await conn.close()


# --- run --------------------------------------------------------------------------------------------------------


@dataclass
class Load:
    label: str
    connections: int
    requests: int
    seconds: float
    p50: float
    p95: float
    p99: float
    errors: int
    load_avg: float = 0.0
    service_cpu_ms: float = 0.0  # CPU of the service process(es) per request
    postgres_cpu_ms: float = 0.0  # CPU of all PostgreSQL processes per request (others' work included)
    client_cpu_ms: float = 0.0  # CPU of this load generator per request

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


def _token() -> str:
    return sign_auth_context(AuthContext(client_id="bench", heeft_alle_autorisaties=True), DEV_INTERNAL_SECRET)


class _Http(asyncio.Protocol):
    """One keep-alive HTTP/1.1 connection that sends a prepared request and reads a Content-Length answer.

    Raw asyncio instead of an HTTP client library: the load generator shares the machine's cores with the
    service and PostgreSQL, so it must cost as little CPU per request as possible.
    """

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.waiter: asyncio.Future[int] | None = None
        self.need = -1
        self.status = 0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]  # uvloop's transports are not asyncio.Transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if self.need < 0:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = bytes(self.buffer[:end]).lower()
            self.status = int(head[9:12])
            match = re.search(rb"\r\ncontent-length: *(\d+)", head)
            if match is None:
                self._done(RuntimeError(f"no content-length in {head[:200]!r}"))
                return
            self.need = end + 4 + int(match.group(1))
        if len(self.buffer) >= self.need:
            del self.buffer[:self.need]
            self.need = -1
            self._done(None)

    def _done(self, error: Exception | None) -> None:
        if self.waiter is not None and not self.waiter.done():
            if error is None:
                self.waiter.set_result(self.status)
            else:
                self.waiter.set_exception(error)

    def connection_lost(self, exc: Exception | None) -> None:
        self._done(exc or ConnectionError("connection closed"))

    async def request(self, raw: bytes) -> int:
        assert self.transport is not None
        self.waiter = asyncio.get_running_loop().create_future()
        self.transport.write(raw)
        return await self.waiter


def _raw_request(url: str, body: dict[str, Any] | None) -> tuple[str, int, bytes]:
    parsed = httpx.URL(url)
    target = parsed.raw_path.decode()
    lines = [f"{'POST' if body is not None else 'GET'} {target} HTTP/1.1", f"Host: {parsed.host}:{parsed.port}",
             f"{AUTH_HEADER}: {_token()}", "Accept: application/json"]
    payload = b""
    if body is not None:
        payload = json.dumps(body).encode()
        lines += ["Content-Type: application/json", f"Content-Length: {len(payload)}"]
    return parsed.host, parsed.port or 80, ("\r\n".join(lines) + "\r\n\r\n").encode() + payload


async def _drive(url: str, connections: int, seconds: float, body: dict[str, Any] | None,
                 ) -> tuple[list[float], int, float]:
    host, port, raw = _raw_request(url, body)
    loop = asyncio.get_running_loop()
    latencies: list[float] = []
    errors = 0
    conns = [(await loop.create_connection(_Http, host, port))[1] for _ in range(connections)]
    started = time.perf_counter()
    deadline = started + seconds

    async def client(conn: _Http) -> None:
        nonlocal errors
        while (now := time.perf_counter()) < deadline:
            status = await conn.request(raw)
            latencies.append((time.perf_counter() - now) * 1000)
            if status >= 300:
                errors += 1

    await asyncio.gather(*(client(c) for c in conns))
    elapsed = time.perf_counter() - started
    for c in conns:
        assert c.transport is not None
        c.transport.close()
    return latencies, errors, elapsed


def _cpu_seconds(pids: list[int]) -> float:
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def _service_pids(root: int) -> list[int]:
    """The uvicorn process and its workers."""
    pids = [root]
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1]) == root:
                    pids.append(int(proc.name))
            except (OSError, ValueError, IndexError):
                pass
    return pids


async def _backend_pids(database: str) -> list[int]:
    conn = await asyncpg.connect(f"{SERVER}/{database}")
    try:
        rows = await conn.fetch("SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
                                database)
        return [r["pid"] for r in rows]
    finally:
        await conn.close()


def _loop_factory() -> Any:
    try:
        import uvloop
    except ImportError:  # pragma: no cover - uvloop is a dependency of the service's uvicorn
        return None
    return uvloop.new_event_loop


def load(label: str, url: str, connections: int, seconds: float, server_pid: int, database: str,
         body: dict[str, Any] | None = None) -> Load:
    """``connections`` clients, each sending its next request when the answer to the last is in, for ``seconds``.

    Besides latency: the CPU seconds per request of the service's processes, of the PostgreSQL backends
    serving the benchmark database, and of this load generator.
    """
    service = _service_pids(server_pid)
    backends = asyncio.run(_backend_pids(database))
    backends_before = {pid: _cpu_seconds([pid]) for pid in backends}
    before = (_cpu_seconds(service), 0.0, time.process_time())
    with asyncio.Runner(loop_factory=_loop_factory()) as runner:
        latencies, errors, elapsed = runner.run(_drive(url, connections, seconds, body))
    # A backend that exits during the measurement (a pool's overflow connection) takes its CPU count with
    # it: only those alive at the end count, from the first snapshot or from their start.
    alive = asyncio.run(_backend_pids(database))
    backend_cpu = sum(_cpu_seconds([pid]) - backends_before.get(pid, 0.0) for pid in alive)
    after = (_cpu_seconds(service), before[1] + backend_cpu, time.process_time())
    latencies.sort()
    n = len(latencies)

    def pct(p: float) -> float:
        return latencies[min(n - 1, int(p / 100 * n))] if n else float("nan")

    per = 1000 / max(n, 1)
    return Load(label, connections, n, elapsed, pct(50), pct(95), pct(99), errors, os.getloadavg()[0],
                (after[0] - before[0]) * per, (after[1] - before[1]) * per, (after[2] - before[2]) * per)


async def _zaaktype_uuid(database: str, identificatie: str) -> str:
    conn = await asyncpg.connect(f"{SERVER}/{database}")
    try:
        return str(await conn.fetchval("SELECT uuid FROM zaaktypen WHERE identificatie = $1 AND NOT concept "
                                       "ORDER BY begin_geldigheid DESC LIMIT 1", identificatie))
    finally:
        await conn.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Round:
    code: str
    workers: int
    load_before: float
    loads: list[Load]


def _serve(database: str, workers: int, code: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = {**os.environ, "SDS_ENV": "dev", "SDS_DATABASE_URL": _url(database), "SDS_PUBLIC_BASE_URL": BASE,
           "SDS_NATS_URL": "nats://127.0.0.1:1", "SDS_LOG_LEVEL": "ERROR", "SDS_SERVICE": "zaken"}
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory", "services.zaken.app:create_app",
                               "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
                               "--loop", "uvloop", "--http", "httptools", "--no-access-log", "--log-level",
                               "warning"], cwd=code, env={**env, "PYTHONPATH": str(code)},
                              stderr=subprocess.DEVNULL)
    origin = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(f"{origin}/health/live", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    return server, origin


def _round(database: str, code: str, workers: int, seconds: int, zaaktype: str) -> tuple[Round, int, int]:
    server, origin = _serve(database, workers, ROOT if code == "this tree" else Path(code))
    try:
        headers = {AUTH_HEADER: _token()}
        total = httpx.get(f"{origin}/zaken/api/v1/zaken?pageSize=1", headers=headers).json()["count"]
        list_url = f"{origin}/zaken/api/v1/zaken?zaaktype={zaaktype}&pageSize=100"
        page = httpx.get(list_url, headers=headers).json()
        assert len(page["results"]) == 100, page
        print(f"{code}, {workers} worker(s): {total:,} zaken; {page['count']:,} of zaaktype WMO-HBH",
              file=sys.stderr)
        body = {"bronorganisatie": RSIN, "verantwoordelijkeOrganisatie": RSIN, "zaaktype": zaaktype,
                "startdatum": "2026-11-28", "huishouden": f"{BASE}/klantgegevens/api/v1/huishoudens/1"}
        create_url = f"{origin}/zaken/api/v1/zaken"
        # Warm every worker: connections in the pool, statements prepared, published zaaktype cached.
        load("warm-up", list_url, 4, 2, server.pid, database)
        load("warm-up", create_url, 4, 1, server.pid, database, body)
        load_before = os.getloadavg()[0]
        loads = [load(LIST, list_url, 1, seconds, server.pid, database),
                 load(LIST, list_url, 16, seconds, server.pid, database),
                 load(CREATE, create_url, 16, seconds, server.pid, database, body)]
    finally:
        server.terminate()
        server.wait(30)
    for r in loads:
        print(f"  {r.label} x{r.connections}: {r.rate:.0f}/s p50 {r.p50:.1f} ms p95 {r.p95:.1f} ms, "
              f"{r.errors} errors, load {r.load_avg:.2f}", file=sys.stderr)
    return Round(code, workers, load_before, loads), total, page["count"]


LIST = "GET /zaken?zaaktype=…&pageSize=100"
CREATE = "POST /zaken"


def run(database: str, seconds: int, workers: list[int], rounds: int, write: bool, baseline: str | None) -> int:
    """``baseline``: a checkout of another commit (e.g. ``git worktree add /tmp/base <commit>``), measured in
    the same rounds with 1 worker, so a before/after comparison shares the machine's conditions."""
    zaaktype = f"{BASE}/catalogi/api/v1/zaaktypen/{asyncio.run(_zaaktype_uuid(database, 'WMO-HBH'))}"
    configs = [("this tree", w) for w in workers] + ([(baseline, 1)] if baseline else [])
    done: list[Round] = []
    total = of_type = 0
    # Rounds alternate the configurations, so a change in the machine's load falls on all alike.
    for _ in range(rounds):
        for code, count in configs:
            result, total, of_type = _round(database, code, count, seconds, zaaktype)
            done.append(result)
    report = _report(done, total, of_type, seconds, configs, rounds)
    print(report)
    if write:
        write_section("## Zaken", report)
    return 0


def _commit(checkout: str) -> str:
    found = subprocess.run(["git", "-C", checkout, "log", "-1", "--format=%h"], capture_output=True, text=True)
    return found.stdout.strip() or "?"


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def _machine() -> str:
    cpu = "unknown CPU"
    try:
        model = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
        cpu = model.group(1).strip() if model else cpu
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB; "
            f"Python {platform.python_version()}, {platform.system()} {platform.release()}")


def _report(rounds: list[Round], total: int, of_type: int, seconds: int, configs: list[tuple[str, int]],
            count: int) -> str:
    pg = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-Atc", "SHOW server_version"],
                        capture_output=True, text=True).stdout.strip() if shutil.which("psql") else "?"
    worker_list = ",".join(str(w) for c, w in configs if c == "this tree")
    baseline = next((c for c, _ in configs if c != "this tree"), None)
    lines = [
        "Command: `.venv/bin/python -m bench.zaken seed` (once, 1,000,000 zaken by COPY) then "
        f"`.venv/bin/python -m bench.zaken run --seconds {seconds} --workers {worker_list} --rounds {count} "
        + (f"--baseline {baseline} " if baseline else "") + "--write`.", "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {_machine()}; PostgreSQL {pg} on the same machine, "
        "which other people's work shares (the load average of each measurement is given).",
        f"Data: {total:,} zaken over the 9 zaaktypen of the seeded catalogue ({of_type:,} of the one listed). "
        "Service: uvicorn with uvloop + httptools, as `sds up` runs it, 1 or 2 worker processes; the full request "
        "pipeline (auth context, metrics, ZGW authorisation clause in the query). Load: a raw asyncio "
        "HTTP/1.1 keep-alive client in one process (uvloop), each client sending its next request when the "
        f"answer to the last is in, {seconds} s per measurement; the service is restarted for every round.", "",
        *([f"`{baseline}` is a checkout of commit {_commit(baseline)} (before this work), measured in the same "
           "rounds with the same client and data.", ""] if baseline else []),
        f"Medians over {count} round(s) (min–max in brackets); CPU is per request, measured from /proc: the "
        "service's processes, the PostgreSQL backends of the benchmark database, and the load generator.", "",
        "| code | workers | request | clients | req/s | p50 ms | p95 ms | errors | CPU ms/req: service "
        "| PostgreSQL | client |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    medians: dict[tuple[str, int, int], dict[str, float]] = {}
    for code, w in configs:
        mine = [r for r in rounds if r.workers == w and r.code == code]
        for i in range(3):
            loads = [r.loads[i] for r in mine]
            rate = [x.rate for x in loads]
            p50 = [x.p50 for x in loads]
            m = {"rate": _median(rate), "p50": _median(p50)}
            medians[(code, w, i)] = m
            first = loads[0]
            lines.append(
                f"| {code} | {w} | {first.label} | {first.connections} "
                f"| {m['rate']:.0f} ({min(rate):.0f}–{max(rate):.0f}) "
                f"| {m['p50']:.1f} ({min(p50):.1f}–{max(p50):.1f}) | {_median([x.p95 for x in loads]):.1f} "
                f"| {sum(x.errors for x in loads)} | {_median([x.service_cpu_ms for x in loads]):.2f} "
                f"| {_median([x.postgres_cpu_ms for x in loads]):.2f} "
                f"| {_median([x.client_cpu_ms for x in loads]):.2f} |")
    lines += ["", "Every round (load average: 1-minute, before the round's first measurement → after each):", "",
              "| # | code | workers | load avg | list p50 1 client | list p50 16 clients | creates/s 16 clients |",
              "|---:|---|---:|---|---:|---:|---:|"]
    for n, r in enumerate(rounds, 1):
        one, sixteen, creates = r.loads
        lines.append(f"| {n} | {r.code} | {r.workers} | {r.load_before:.2f} → {one.load_avg:.2f} / "
                     f"{sixteen.load_avg:.2f} / {creates.load_avg:.2f} | {one.p50:.1f} ms | {sixteen.p50:.1f} ms "
                     f"| {creates.rate:.0f} |")
    lines.append("")
    for code, w in configs:
        verdict = [("list p50 at 1 client", medians[(code, w, 0)]["p50"], TARGETS["list_p50_1"], "≤", "ms"),
                   ("list p50 at 16 clients", medians[(code, w, 1)]["p50"], TARGETS["list_p50_16"], "≤", "ms"),
                   ("creates at 16 clients", medians[(code, w, 2)]["rate"], TARGETS["creates_per_s"], "≥", "/s")]
        lines.append(f"Result of {code} with {w} worker(s), medians: " + "; ".join(
            f"{name} {value:.1f} {unit} (target {op} {target:.0f} {unit}): "
            f"{'met' if (value <= target if op == '≤' else value >= target) else 'missed'}"
            for name, value, target, op, unit in verdict) + ".")
        lines.append("")
    lines.append(ANALYSIS)
    return "\n".join(lines) + "\n"


ANALYSIS = """What the figures say, and what was done (issue 3):
- The machine has 2 cores for the service, PostgreSQL and the load generator together, and for whatever
  else runs there (other people's test runs: see the load averages). At 16 clients every configuration
  is CPU-bound: the p50 is mostly queueing, about 16 / throughput, so it follows the CPU per request in
  the table and the machine's load. A second worker process helps the list as far as a core is free.
- Per request: `unit_of_work` and `page_params` are `async def` (FastAPI ran them in its thread pool);
  `current_auth` (sds/runtime/auth.py) still is a plain `def`, one thread hop per request. No pool
  pre-ping (a round trip per checkout); a pool of 20 + 10 connections per process. JSON columns are
  parsed with `pydantic_core.from_json` (twice as fast as `json.loads`): a page decodes 100 documents of
  about 1 KB, since the zaken are stored, as POST /zaken stores them, with every field of the body.
- List: `zaaktype = X` is written as a one-value range ordered by zaaktype_id first, so PostgreSQL reads
  `ix_zaken_zaaktype_id_id` backwards and stops after the page (0.4 ms); with `=` it scanned `pk_zaken`
  backwards filtering on the zaaktype: 25 ms once 40k newer zaken of another zaaktype were on top, and
  12 s (cold) for a zaaktype without zaken. A page's references and children (zaaktype, hoofdzaak,
  status, resultaat, rollen, eigenschappen, zaakobjecten, deelzaken) are one `UNION ALL` query built once,
  where there were five built per request. The count of a client that sees everything comes from
  `zaak_tellingen` (kept in the creating and deleting transaction); a restricted client's count is a
  query over `zaken`. A grant per zaaktype, catalogus or kolom without a lower maxVertrouwelijkheid-
  aanduiding than zeer_geheim is put on zaaktype_id, an index-only count: a kolom-limited client's page
  of one zaaktype (135k zaken) took 16-24 ms, single requests, where it took 400 ms (3.4 s cold). With a
  lower maximum the table is read for `vertrouwelijkheid_rank`: 195-408 ms, unchanged; an index holding
  that column (a migration) would serve it.
- Create: 6 statements where there were 13 (and 2 pre-pings), counted with a cursor listener: 4 in the
  creating transaction (zaak, audittrail, outbox, count) and 2 for the answer read back. The published
  zaaktype is cached per process (what a create reads of it cannot change once published); the
  identificatie is one of a block of 20 numbers reserved in a short transaction of its own before the
  request holds a connection, instead of locking the counter row from the first write to the commit; the
  client-chosen-identificatie check is the insert itself (`ON CONFLICT (bronorganisatie, identificatie)
  DO NOTHING RETURNING id`); the per-zaaktype count row, locked until the commit, is updated last; the
  insert and the count update are built once and run with parameters. The answer is read back after the
  commit in a second transaction (routes.py), 4 round trips that the created values could answer.
  Sampled during 16 concurrent creates, 1.5 backends on average wait for the count row's lock: the next
  limit after CPU.
- Two worker processes are safe for this service: the outbox relay claims rows with `SKIP LOCKED` (and
  JetStream de-duplicates by event id), the triage consumer is one durable consumer shared by the
  processes with the inbox as guard, the identificatie blocks are reserved per process under the row
  lock (numbers stay unique; across processes they are not handed out in creation order, and a stopped
  process leaves a gap, as a sequence does), and the zaaktype cache holds only what cannot change.
  `/metrics` then shows the worker that answers the scrape, not the sum. `sds up` still starts one.
- Not measured here: the gateway in front (see "Gateway overhead") and the outbox relay (no NATS in this
  run, so the events stayed in the outbox)."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("seed")
    s.add_argument("--zaken", type=int, default=1_000_000)
    s.add_argument("--database", default="sds_bench_zaken")
    r = sub.add_parser("run")
    r.add_argument("--database", default="sds_bench_zaken")
    r.add_argument("--seconds", type=int, default=15)
    r.add_argument("--workers", default="1,2", help="worker counts to measure, comma-separated")
    r.add_argument("--rounds", type=int, default=3)
    r.add_argument("--baseline", help="a checkout of another commit to measure alongside, with 1 worker")
    r.add_argument("--write", action="store_true")
    args = parser.parse_args(argv)
    if args.command == "seed":
        asyncio.run(seed(args.zaken, args.database))
        return 0
    return run(args.database, args.seconds, [int(w) for w in args.workers.split(",")], args.rounds, args.write,
               args.baseline)


if __name__ == "__main__":
    raise SystemExit(main())
