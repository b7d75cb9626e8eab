"""Intake end to end on PostgreSQL, through the gateway: aanvraag submission throughput, and the time from an
aanvraag's POST to its zaak being opened (zaak-geopend on the bus) at a steady 50 aanvragen/s.

    python -m bench.intake [--seconds 20] [--rates 50,25,10] [--clients 16] [--archetype transitie-proof]
                           [--nats single,cluster] [--write]

It starts the whole suite with ``sds up`` (PostgreSQL databases ``sds_bench_intake_<service>``, recreated, and a
nats-server of its own, or with ``--nats cluster`` a three-node JetStream cluster of its own with the stream at three
replicas; ``--nats single,cluster`` measures both in one run, one after the other), seeds the catalogue, and
drives the gateway with JWT-ZGW tokens of the bootstrap client.
Each aanvraag is for a new person (a synthetic BSN), so each POST also looks up and registers person and household
in klantgegevens — the full path of a first aanvraag. Targets: aanvraag -> zaak p99 <= 300 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import secrets
import signal
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
import nats
import psutil

from bench.report import write_section
from sds.cli.state import read_state
from sds.cli.suite import SERVICES
from sds.runtime.bsn import is_valid_bsn
from sds.runtime.jwt_zgw import encode_jwt_zgw
from tests.support.natsserver import NatsCluster

ROOT = Path(__file__).resolve().parents[1]
SERVER = "postgresql://postgres@127.0.0.1:5432"
PREFIX = "sds_bench_intake"
CLIENT_ID = "bench-intake"
TARGET_P99_MS = 300.0
# Seconds after the last zaak-geopend that the steady phase's CPU sample still waits for the events' other effects.
CPU_SETTLE_S = 2.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _bsns() -> Any:
    n = 0
    while True:
        candidate = f"9997{n:05d}"
        n += 1
        if is_valid_bsn(candidate):
            yield candidate


async def _recreate_databases() -> None:
    conn = await asyncpg.connect(f"{SERVER}/postgres")
    try:
        for service in SERVICES:
            await conn.execute(f'DROP DATABASE IF EXISTS "{PREFIX}_{service}" WITH (FORCE)')
    finally:
        await conn.close()


def _cpu_seconds(suite: Suite) -> dict[str, float]:
    """CPU seconds (user + system) so far of each part of the suite: the processes ``sds up`` recorded in its state
    file, the nats-server, and PostgreSQL's backends per database of the suite (``pg:<service>``). A backend that
    ends between two samples takes its CPU with it; the pools keep theirs open, so that is rare."""
    state = read_state(suite.data_dir)
    assert state is not None, "sds up wrote no state file"
    pids = {part["name"]: part["pid"] for part in state["parts"]}
    if state["nats"]["pid"]:
        pids["nats"] = state["nats"]["pid"]
    seconds: dict[str, float] = {}
    for name, pid in pids.items():
        try:
            times = psutil.Process(pid).cpu_times()
        except psutil.NoSuchProcess:
            continue
        seconds[name] = times.user + times.system
    for proc in psutil.process_iter(["cmdline"]):
        cmdline = " ".join(proc.info["cmdline"] or ())
        if not cmdline.startswith("postgres: ") or f" {PREFIX}_" not in cmdline:
            continue
        database = cmdline.split(f" {PREFIX}_", 1)[1].split(" ", 1)[0]
        try:
            times = proc.cpu_times()
        except psutil.NoSuchProcess:
            continue
        key = f"pg:{database}"
        seconds[key] = seconds.get(key, 0.0) + times.user + times.system
    return seconds


def _cpu_per(before: dict[str, float], after: dict[str, float], count: int) -> dict[str, float]:
    """Milliseconds of CPU per aanvraag of each part between two samples."""
    return {name: (after[name] - before.get(name, 0.0)) * 1000 / count for name in after}


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


class Suite:
    def __init__(self, archetype: str, nats_kind: str = "single") -> None:
        self.port = _free_port()
        self.nats_port = _free_port()
        self.nats_kind = nats_kind
        self.cluster: NatsCluster | None = None
        self.data_dir = Path(tempfile.mkdtemp(prefix="sds-bench-intake-"))
        self.secret = secrets.token_urlsafe(32)
        self.env = {**os.environ, "SDS_INTERNAL_SECRET": secrets.token_urlsafe(32),
                    "SDS_BOOTSTRAP_CLIENT_ID": CLIENT_ID, "SDS_BOOTSTRAP_SECRET": self.secret,
                    "SDS_PSEUDONIEM_SLEUTEL": secrets.token_urlsafe(32),
                    "SDS_BELEIDSINFO_SLEUTEL": secrets.token_urlsafe(32), "SDS_LOG_LEVEL": "WARNING",
                    # One client drives the gateway as hard as it can; its per-client limit is not under test.
                    "SDS_RATE_LIMIT_PER_SECOND": "0"}
        self.archetype = archetype
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def nats_url(self) -> str:
        return self.cluster.url if self.cluster is not None else f"nats://127.0.0.1:{self.nats_port}"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        argv = [sys.executable, "-m", "sds.cli.main", "up", "--archetype", self.archetype, "--port", str(self.port),
                "--data-dir", str(self.data_dir), "--database-url", f"{SERVER}/{PREFIX}",
                "--nats-port", str(self.nats_port)]
        env = self.env
        if self.nats_kind == "cluster":
            self.cluster = NatsCluster(self.data_dir / "nats-cluster").start()
            argv = [*argv[:-2], "--nats-url", self.cluster.url]
            env = {**env, "SDS_STREAM_REPLICAS": "3"}
        self.process = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT)
        assert self.process.stdout is not None
        deadline = time.monotonic() + 120
        lines = []
        while time.monotonic() < deadline:
            line = self.process.stdout.readline().decode(errors="replace")
            lines.append(line)
            if "is up" in line:
                return
            if not line and self.process.poll() is not None:
                break
        raise SystemExit("sds up did not come up:\n" + "".join(lines[-40:]))

    def seed(self) -> None:
        subprocess.run([sys.executable, "-m", "sds.cli.main", "seed", "catalogus", "--database-url",
                        f"{SERVER}/{PREFIX}", "--public-base-url", self.base], env=self.env, cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
        if self.cluster is not None:
            self.cluster.stop()

    def headers(self) -> dict[str, str]:
        return {"authorization": f"Bearer {encode_jwt_zgw(CLIENT_ID, self.secret)}"}


def _body(bsn: str) -> dict[str, Any]:
    return {"ingediendDoor": "medewerker", "vragen": [{"leefgebied": "huishouden"}],
            "aanvrager": {"burgerservicenummer": bsn, "naam": {"geslachtsnaam": "Bench"}}}


async def _wait_triage_ready(client: httpx.AsyncClient, suite: Suite, bsns: Any) -> None:
    """Intake learns the catalogue in the background; the first aanvraag triaged at once marks the start."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        r = await client.post(f"{suite.base}/intake/api/v1/aanvragen", json=_body(next(bsns)),
                              headers=suite.headers())
        if r.status_code == 201 and r.json()["status"] != "ingediend":
            return
        await asyncio.sleep(0.5)
    raise SystemExit("intake never triaged at once: is the catalogue seeded?")


async def throughput(suite: Suite, seconds: float, clients: int, bsns: Any,
                     known: list[str]) -> dict[str, float]:
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    latencies: list[float] = []
    errors = 0
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        headers = suite.headers()
        stop = time.perf_counter() + seconds

        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < stop:
                t0 = time.perf_counter()
                bsn = next(bsns)
                r = await client.post(f"{suite.base}/intake/api/v1/aanvragen", json=_body(bsn), headers=headers)
                if r.status_code == 201:
                    latencies.append((time.perf_counter() - t0) * 1000)
                    known.append(bsn)
                else:
                    errors += 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        elapsed = time.perf_counter() - started
    return {"per_s": len(latencies) / elapsed, "p50": statistics.median(latencies),
            "p95": _percentile(latencies, 0.95), "n": len(latencies), "errors": errors}


async def steady(suite: Suite, seconds: float, rate: float, known: list[str]) -> dict[str, Any]:
    """POST at a steady ``rate`` for persons klantgegevens knows (one look-up, no registration); the time from
    each POST's start to its zaak-geopend on the bus."""
    sent: dict[str, float] = {}
    opened: dict[str, float] = {}
    nc = await nats.connect(suite.nats_url.split(","))

    async def on_event(msg: Any) -> None:
        data = json.loads(msg.data)["data"]
        if data.get("aanvraag"):
            opened.setdefault(data["aanvraag"], time.perf_counter())

    await nc.subscribe("sds.zaken.zaak.geopend", cb=on_event)
    errors = 0
    statuses: dict[int, int] = {}
    async with httpx.AsyncClient(timeout=30) as client:
        headers = suite.headers()

        async def one(bsn: str) -> None:
            nonlocal errors
            t0 = time.perf_counter()
            r = await client.post(f"{suite.base}/intake/api/v1/aanvragen", json=_body(bsn), headers=headers)
            if r.status_code == 201:
                sent[r.json()["url"]] = t0
            else:
                errors += 1
                statuses[r.status_code] = statuses.get(r.status_code, 0) + 1

        tasks = []
        cpu_before = _cpu_seconds(suite)
        start = time.perf_counter()
        total = int(seconds * rate)
        for i in range(total):
            delay = start + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(known[i % len(known)])))
        await asyncio.gather(*tasks)
        deadline = time.monotonic() + 30
        # The events arrive on the subscription's own task; poll for the last of them.
        while time.monotonic() < deadline and not set(sent) <= set(opened):  # noqa: ASYNC110
            await asyncio.sleep(0.1)
        # What the events set off after zaak-geopend (projections, notifications) belongs to the aanvraag too.
        await asyncio.sleep(CPU_SETTLE_S)
        cpu = _cpu_per(cpu_before, _cpu_seconds(suite), len(sent) or 1)
    await nc.close()
    if statuses:
        print(f"  failed submissions by status: {statuses}", flush=True)
    lat = [(opened[u] - t0) * 1000 for u, t0 in sent.items() if u in opened]
    return {"n": len(sent), "opened": len(lat), "errors": errors, "p50": statistics.median(lat),
            "p99": _percentile(lat, 0.99), "max": max(lat), "cpu": cpu}


def _cpu_rows(cpu: dict[str, float]) -> list[tuple[str, float]]:
    """The parts by CPU per aanvraag, most first, and their sum."""
    rows = sorted(cpu.items(), key=lambda item: -item[1])
    return [*rows, ("total", sum(cpu.values()))]


def _machine() -> str:
    load = os.getloadavg()
    return (f"{platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}, load average "
            f"{load[0]:.2f}/{load[1]:.2f}/{load[2]:.2f}")


BUSES = {"single": "one nats-server", "cluster": "3-node cluster, stream at 3 replicas"}


async def measure(args: argparse.Namespace, nats_kind: str) -> list[tuple[dict[str, float], dict[float, Any]]]:
    """Start the suite on a bus of ``nats_kind`` (fresh databases), then the rounds: submissions, steady rates."""
    await _recreate_databases()
    suite = Suite(args.archetype, nats_kind)
    bsns = _bsns()
    runs = []
    try:
        suite.start()
        suite.seed()
        async with httpx.AsyncClient(timeout=30) as client:
            await _wait_triage_ready(client, suite, bsns)
        for _ in range(args.rounds):
            known: list[str] = []
            put = await throughput(suite, args.seconds, args.clients, bsns, known)
            print(f"{nats_kind}: submit {put['per_s']:.1f}/s (p50 {put['p50']:.1f} ms, p95 {put['p95']:.1f} ms, "
                  f"errors {put['errors']})", flush=True)
            per_rate = {}
            for rate in args.rates:
                lat = await steady(suite, args.seconds, rate, known)
                per_rate[rate] = lat
                print(f"  steady {rate:g}/s: aanvraag->zaak p50 {lat['p50']:.1f} ms p99 {lat['p99']:.1f} ms "
                      f"max {lat['max']:.1f} ms ({lat['opened']}/{lat['n']} opened, errors {lat['errors']})",
                      flush=True)
                print("  CPU per aanvraag (ms): " + ", ".join(f"{name} {ms:.1f}" for name, ms in
                                                           _cpu_rows(lat["cpu"])), flush=True)
            runs.append((put, per_rate))
    finally:
        suite.stop()
    return runs


async def main_async(args: argparse.Namespace) -> None:
    measured = {kind: await measure(args, kind) for kind in args.nats}
    machine = _machine()
    med = statistics.median
    rates = ",".join(f"{r:g}" for r in args.rates)
    lines = [
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine}; load average at the end "
        f"{os.getloadavg()[0]:.2f}; archetype {args.archetype}; the whole suite "
        f"under `sds up` on PostgreSQL (one process per service, uvloop), requests through the gateway with a "
        f"JWT-ZGW token. Submissions: each aanvraag for a new person, so every POST also looks up and registers "
        f"person and household in klantgegevens (three calls from intake). Steady rates: aanvragen for persons "
        f"klantgegevens knows (one look-up); the time runs from the POST leaving the client to zaak-geopend on "
        f"the bus. Bus: " + "; ".join(f"{kind}: {BUSES[kind]}" for kind in args.nats) + ", measured one after "
        f"the other in this run. `python -m bench.intake --rounds {args.rounds} --seconds {args.seconds:g} "
        f"--clients {args.clients} --rates {rates} --nats {','.join(args.nats)}`.",
        "",
        f"| bus | round | new persons: submissions/s ({args.clients} clients) | submit p50 / p95 (ms) | "
        "steady rate (/s) | aanvraag→zaak p50 (ms) | p99 (ms) | max (ms) | opened |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for kind, runs in measured.items():
        for i, (put, per_rate) in enumerate(runs, 1):
            for j, (rate, lat) in enumerate(per_rate.items()):
                head = (f"| {kind} | {i} | {put['per_s']:.1f} | {put['p50']:.1f} / {put['p95']:.1f} |" if j == 0
                        else "| | | | |")
                lines.append(f"{head} {rate:g} | {lat['p50']:.1f} | {lat['p99']:.1f} | {lat['max']:.1f} | "
                             f"{lat['opened']}/{lat['n']} |")
    lines.append("")
    for kind, runs in measured.items():
        lines.append(f"Medians of the rounds, {BUSES[kind]}: {med([r[0]['per_s'] for r in runs]):.1f} "
                     "submissions/s.")
        for rate in args.rates:
            p50 = med([r[1][rate]["p50"] for r in runs])
            p99 = med([r[1][rate]["p99"] for r in runs])
            verdict = "" if rate < 50 else (" (target p99 ≤ 300 ms: met)" if p99 <= TARGET_P99_MS
                                            else " (target p99 ≤ 300 ms: not met)")
            lines.append(f"At a steady {rate:g} aanvragen/s: aanvraag→zaak p50 {p50:.1f} ms, p99 {p99:.1f} ms"
                         f"{verdict}.")
        lines.append("")
    for kind, runs in measured.items():
        lines += [f"CPU per aanvraag at the steady rates ({BUSES[kind]}; median of the rounds; ms of user + system "
                  f"time from the start of the steady phase to {CPU_SETTLE_S:g} s after the last zaak-geopend; "
                  "`pg:` a database's PostgreSQL backends):", "",
                  "| part | " + " | ".join(f"{rate:g}/s (ms)" for rate in args.rates) + " |",
                  "|---|" + "---|" * len(args.rates)]
        names = [name for name, _ in _cpu_rows(runs[0][1][args.rates[0]]["cpu"])]
        for name in names:
            cells = []
            for rate in args.rates:
                per_round = [dict(_cpu_rows(r[1][rate]["cpu"])).get(name, 0.0) for r in runs]
                cells.append(f"{med(per_round):.1f}")
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
        lines.append("")
    text = "\n".join(lines).rstrip()
    print(text)
    if args.write:
        write_section("## Intake: aanvragen", text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--rates", type=lambda v: [float(x) for x in v.split(",")], default=[50.0, 25.0, 10.0],
                        help="steady rates (aanvragen/s) to measure aanvraag -> zaak at, comma-separated")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--archetype", default="transitie-proof")
    parser.add_argument("--nats", type=lambda v: v.split(","), default=["single"],
                        help="the bus or buses to measure on, comma-separated: single, cluster")
    parser.add_argument("--write", action="store_true", help="write the result to docs/benchmarks.md")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
