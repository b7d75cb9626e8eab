"""Batch signal ingest on PostgreSQL: batches of 10,000 signals through the Intake API, first send and replay.

    .venv/bin/python -m bench.signalen [--rounds 5] [--batch 10000] [--archetype transitie-proof] [--write]

Creates a fresh database (``SDS_BENCH_POSTGRES_URL``, default the local server), migrates it with the intake
service's own migrations and starts the service as its own uvicorn process (one worker, uvloop, httptools) with
the transitie-proof profile (an aanvraag when two partners signal an address within 90 days, or on a crisis);
then the same again without a profile, where signals are only registered, so the signal path shows apart from
the aanvragen it opens.
No NATS: the events stay in the outbox, written as they would be.

Each round posts a new batch to ``POST /intake/api/v1/signalen/batches``: 8,000 new signals over a pool of
100,000 addresses and five partners (so as the rounds go on more addresses get their second partner and an
aanvraag is opened), and 2,000 duplicates (half a partner's id sent again, half another signal of the same
partner and address inside the window); then the same batch again (everything a duplicate). The body is
serialised before the clock starts; the time is the HTTP request as the client sees it (validation,
deduplication, inserts, outbox rows, the rule and its aanvragen, the answer of 10,000 results). Medians of the
rounds are reported with the load average beside each round. ``--write`` puts the result under "## Signalen"
in docs/benchmarks.md. Target: ≥ 5,000 signals/s in batches.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import re
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from bench.report import write_section
from sds.runtime.auth import AUTH_HEADER, AuthContext, Autorisatie, sign_auth_context
from sds.runtime.bsn import is_valid_bsn
from sds.runtime.migrations import upgrade
from sds.runtime.settings import DEV_INTERNAL_SECRET

ROOT = Path(__file__).resolve().parents[1]
HEADING = "## Signalen"
SERVER = os.environ.get("SDS_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432")
DATABASE = "sds_bench_signalen"
PATH = "/intake/api/v1/signalen/batches"
TARGET = 5000.0
ADRESSEN = 100_000
PARTNERS = [("woningcorporatie", "KVK11111111", "huurachterstand"), ("energiebedrijf", "KVK22222222",
                                                                     "energieachterstand"),
            ("waterbedrijf", "KVK33333333", "waterachterstand"),
            ("zorgverzekeraar", "KVK44444444", "zorgverzekeringsachterstand"), ("school", "BRIN01AB", "schoolverzuim")]
BSNS = [b for b in (f"9999{n:05d}" for n in range(100_000)) if is_valid_bsn(b)]


def _url(database: str, driver: str = "postgresql+asyncpg") -> str:
    return f"{SERVER.replace('postgresql://', f'{driver}://', 1)}/{database}"


def _token() -> str:
    return sign_auth_context(AuthContext(client_id="bench-partner", autorisaties=[
        Autorisatie(component="intake", scopes=["intake.signalen.aanmaken"])]), DEV_INTERNAL_SECRET)


class Batches:
    """New batches that keep to the mix described above, reproducibly."""

    def __init__(self, size: int, seed: int = 20261128) -> None:
        self.size = size
        self.rng = random.Random(seed)
        self.used: set[tuple[int, int]] = set()
        self.number = 0

    def next(self) -> list[dict[str, Any]]:
        rng = self.rng
        today = datetime.now(UTC).date()
        new: list[dict[str, Any]] = []
        while len(new) < self.size * 8 // 10:
            huis, p = rng.randrange(ADRESSEN), rng.randrange(len(PARTNERS))
            if (huis, p) in self.used:
                continue
            self.used.add((huis, p))
            self.number += 1
            soort, partner, kind = PARTNERS[p]
            signaaldatum = today - timedelta(days=rng.randrange(1, 40))
            new.append({"partnersoort": soort, "partner": partner, "partnerReferentie": f"{partner}-{self.number}",
                        "signaalsoort": kind, "bedrag": rng.randrange(5_000, 500_000),
                        "ontstaansdatum": (signaaldatum - timedelta(days=rng.randrange(30, 120))).isoformat(),
                        "signaaldatum": signaaldatum.isoformat(), "crisissignaal": rng.random() < 0.01,
                        "burgerservicenummer": BSNS[huis % len(BSNS)],
                        "adres": {"postcode": f"{1000 + huis // 100:04d}{chr(65 + huis // 10 % 10)}A",
                                  "huisnummer": huis % 10 + 1}})
        duplicates = []
        for n in range(self.size - len(new)):
            s = dict(new[rng.randrange(len(new))])
            if n % 2:
                later = min(date.fromisoformat(s["signaaldatum"]) + timedelta(days=3), today)
                s = {**s, "partnerReferentie": s["partnerReferentie"] + "-b", "signaaldatum": later.isoformat()}
            duplicates.append(s)
        batch = new + duplicates
        rng.shuffle(batch)
        return batch


@dataclass
class Round:
    number: int
    seconds: float
    replay_seconds: float
    created: int
    aanvragen: int
    load: float

    def rate(self, size: int) -> float:
        return size / self.seconds

    def replay_rate(self, size: int) -> float:
        return size / self.replay_seconds


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _fresh_database() -> None:
    admin = await asyncpg.connect(f"{SERVER}/postgres")
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{DATABASE}"')
    finally:
        await admin.close()
    await asyncio.to_thread(upgrade, ROOT / "services" / "intake" / "migrations", _url(DATABASE))


async def _count_aanvragen() -> int:
    conn = await asyncpg.connect(f"{SERVER}/{DATABASE}")
    try:
        return int(await conn.fetchval("SELECT count(*) FROM aanvragen WHERE ingediend_door = 'signalering'"))
    finally:
        await conn.close()


def _post(client: httpx.Client, body: bytes) -> tuple[float, dict[str, Any]]:
    started = time.perf_counter()
    r = client.post(PATH, content=body, headers={"content-type": "application/json", AUTH_HEADER: _token()})
    elapsed = time.perf_counter() - started
    if r.status_code != 200:
        raise SystemExit(f"batch answered {r.status_code}: {r.text[:500]}")
    return elapsed, r.json()


def phase(rounds: int, size: int, archetype: str) -> tuple[list[Round], int]:
    """Rounds against a fresh database and service; returns them and the size of a batch's body in bytes."""
    asyncio.run(_fresh_database())
    port = _free_port()
    env = {**os.environ, "SDS_ENV": "dev", "SDS_DATABASE_URL": _url(DATABASE), "SDS_PUBLIC_BASE_URL":
           "http://127.0.0.1:8000", "SDS_NATS_URL": "nats://127.0.0.1:1", "SDS_LOG_LEVEL": "ERROR",
           "SDS_SERVICE": "intake",
           # No zaken or klantgegevens here: the background worker would only poll them in vain.
           "SDS_TRIAGE_INTERVAL": "3600", "SDS_TERMIJN_INTERVAL": "3600"}
    env.pop("SDS_ARCHETYPE", None)
    if archetype != "none":
        env["SDS_ARCHETYPE"] = archetype
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory", "services.intake.app:create_app",
                               "--host", "127.0.0.1", "--port", str(port), "--workers", "1", "--loop", "uvloop",
                               "--http", "httptools", "--no-access-log", "--log-level", "warning"], cwd=ROOT, env=env)
    results: list[Round] = []
    body = b""
    try:
        origin = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                if httpx.get(f"{origin}/health/live", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        batches = Batches(size)
        with httpx.Client(base_url=origin, timeout=120) as client:
            _post(client, json.dumps({"signalen": Batches(1000, seed=1).next()}).encode())  # warm-up
            for number in range(1, rounds + 1):
                body = json.dumps({"batchId": f"bench-{number}", "signalen": batches.next()}).encode()
                before = asyncio.run(_count_aanvragen())
                seconds, answer = _post(client, body)
                aanvragen = asyncio.run(_count_aanvragen()) - before
                replay, again = _post(client, body)
                same = [r["signaal"] for r in again["resultaten"]] == [r["signaal"] for r in answer["resultaten"]]
                if again["duplicaat"] != size or not same:
                    raise SystemExit("the replay had an effect: a signal stored twice, or another answer")
                results.append(Round(number, seconds, replay, answer["aangemaakt"], aanvragen, os.getloadavg()[0]))
                print(f"{archetype} round {number}: {size / seconds:,.0f} signals/s ({seconds:.2f} s, "
                      f"{answer['aangemaakt']} new, {aanvragen} aanvragen), replay {size / replay:,.0f}/s, "
                      f"load {os.getloadavg()[0]:.1f}", file=sys.stderr)
    finally:
        server.terminate()
        server.wait(30)
    return results, len(body)


def run(rounds: int, size: int, archetype: str, write: bool) -> int:
    with_profile, body_bytes = phase(rounds, size, archetype)
    without, _ = phase(rounds, size, "none")
    report = _report(with_profile, without, size, body_bytes, archetype)
    print(report)
    if write:
        write_section(HEADING, report)
    return 0


def _machine() -> str:
    cpu = "unknown CPU"
    try:
        model = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
        cpu = model.group(1).strip() if model else cpu
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB; Python {platform.python_version()}, " \
           f"{platform.system()} {platform.release()}"


def _table(results: list[Round], size: int) -> list[str]:
    lines = ["| round | signals/s | seconds | new signals | aanvragen opened | replay signals/s | replay seconds | "
             "load avg (1 min) |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        lines.append(f"| {r.number} | {r.rate(size):,.0f} | {r.seconds:.2f} | {r.created:,} | {r.aanvragen:,} | "
                     f"{r.replay_rate(size):,.0f} | {r.replay_seconds:.2f} | {r.load:.1f} |")
    return lines


def _report(with_profile: list[Round], without: list[Round], size: int, body_bytes: int, archetype: str) -> str:
    pg = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-Atc", "SHOW server_version"],
                        capture_output=True, text=True).stdout.strip() or "?"
    uptime = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    median = statistics.median(r.rate(size) for r in with_profile)
    median_without = statistics.median(r.rate(size) for r in without)
    replay = statistics.median(r.replay_rate(size) for r in with_profile + without)
    # The time a batch takes against the aanvragen it opened: the slope is what one proactive aanvraag costs.
    per_aanvraag = statistics.linear_regression([r.aanvragen for r in with_profile],
                                                [r.seconds for r in with_profile]).slope \
        if len({r.aanvragen for r in with_profile}) > 1 else float("nan")
    lines = [
        f"Command: `.venv/bin/python -m bench.signalen --rounds {len(with_profile)} --batch {size} --archetype "
        f"{archetype} --write`.", "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {_machine()}; PostgreSQL {pg} on the same machine, "
        "shared with other engineers' test runs.",
        f"`uptime` at the end: `{uptime}`.",
        "Service: intake, one uvicorn worker (uvloop, httptools), no NATS (events stay in the outbox). Load: one "
        f"client on the same machine posting batches of {size:,} signals (~{body_bytes / 2**20:.1f} MB of JSON), "
        f"80% new and 20% duplicates, over {ADRESSEN:,} addresses and five partners; then the same batch again "
        "(all duplicates, checked to give the same answer). Each phase starts on a fresh database.", "",
        f"With the profile {archetype} (two partners within 90 days, or a crisis, open an aanvraag):", "",
        *_table(with_profile, size), "",
        "Without a profile (signals registered, no aanvragen): the signal path alone.", "",
        *_table(without, size), "",
        f"Medians: {median:,.0f} signals/s with the profile's aanvragen, {median_without:,.0f} signals/s for the "
        f"signals alone, {replay:,.0f} signals/s for a batch sent again. Target ≥ {TARGET:,.0f} signals/s: "
        f"{'met' if median >= TARGET else 'missed'} with the aanvragen, "
        f"{'met' if median_without >= TARGET else 'missed'} for the signals alone. Each proactive aanvraag adds "
        f"about {per_aanvraag * 1000:.1f} ms to its batch (least-squares slope of seconds over aanvragen opened).",
        "", NOTE]
    return "\n".join(lines) + "\n"


NOTE = """How a batch is handled (services/intake/signalen/): the body is validated once by pydantic (all or
nothing, errors named `signalen.3.bedrag`); then, in one transaction, one statement per step whatever the
batch size (on PostgreSQL the rows travel as one `unnest` of an array per column): lock (upsert) a row per
address in key order; look up the partners' ids already stored; offer each (address, partner) window one
signal by a conditional `INSERT ... ON CONFLICT DO UPDATE ... RETURNING` (a round per repeat of a window
inside the batch); insert the new signals; write their events to the outbox (multi-row); read the signals of
the addresses that may meet the rule. A batch sent again writes no signal, event or aanvraag: its signals are
found by the partners' ids (or, for a duplicate never stored, by its window), hence its speed.
What grows with the aanvragen: the proactive aanvragen of a batch are opened in one call of aanvragen' own use
case (`open_proactieve_aanvragen`: the aanvragen, their questions, termijnen, history and events, one
statement per table for the whole batch). With this data the share of addresses that meet the rule grows
round by round (the same 100,000 addresses fill up with partners), so later rounds open more aanvragen."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--archetype", default="transitie-proof", help="a shipped profile, or none")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args(argv)
    return run(args.rounds, args.batch, args.archetype, args.write)


if __name__ == "__main__":
    raise SystemExit(main())
