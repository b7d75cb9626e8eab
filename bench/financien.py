"""Financien on PostgreSQL with 1,000,000 toewijzingen: a declaratie batch of 10,000 lines and the budgetmonitor.

    .venv/bin/python -m bench.financien [--toewijzingen 1000000] [--regels 10000] [--rounds 5] [--write]

Seeds a fresh database (``SDS_BENCH_POSTGRES_URL``, default the local server) through the service's own
migrations and then COPY, in the shape the service writes: 50 aanbieders, each with its own applicatie, one
contract (kolommen and a cluster), four products with a 2026 tarief; 1,000,000 toewijzingen over them, begun
through 2026 for 13 weeks, with the verplichting the domain computes; budgets per kolom and cluster. The app runs
in this process behind httpx's ASGI transport (the route, validation, rules and SQL as served, no socket):

- ``POST /declaraties`` by one aanbieder's applicatie, 10,000 lines on 10,000 of its toewijzingen (every line
  accepted), a new DeclaratieNummer and new ProductReferenties each round;
- ``GET /budgetmonitor?jaar=2026`` by the municipality, over all toewijzingen and the declared lines.

Medians of ``--rounds`` (after one warm-up). ``--write`` puts the result under "## Financien" in
docs/benchmarks.md. The database is dropped afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import statistics
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from bench.report import write_section
from sds.runtime.auth import AUTH_HEADER, AuthContext, Autorisatie, sign_auth_context
from sds.runtime.migrations import upgrade
from sds.runtime.settings import DEV_INTERNAL_SECRET
from services.financien.domain import Periode, Tarief, verplichting

ROOT = Path(__file__).resolve().parents[1]
HEADING = "## Financien"
SERVER = os.environ.get("SDS_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432")
BASE = "http://gemeente.bench"
API = f"{BASE}/financien/api/v1"
AANBIEDERS = 50
KOLOMMEN = (("wmo", "zorg"), ("jeugd", "zorg"), ("participatie", "inkomen"), ("schuldhulp", "inkomen"))
PRODUCTEN = (("02", "02A01", "uur", "per-week", 5240), ("03", "03B02", "dagdeel", "per-week", 4115),
             ("07", "07C03", "uur", "per-week", 6890), ("10", "10D04", "etmaal", "per-week", 11250))
VOLUME = 3
WEKEN = 13
TARGET_BATCH_S = 2.0
TARGET_MONITOR_MS = 100.0


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


async def seed(dsn: str, total: int, regels: int) -> dict[int, list[tuple[str, date, date, str, int]]]:
    """Everything the two requests read, COPYed into the migrated schema; returns what the load needs."""
    rng = random.Random(42)
    conn = await asyncpg.connect(dsn)
    try:
        aanbieders, applicaties, contracten, producten, tarieven = [], [], [], [], []
        for a in range(1, AANBIEDERS + 1):
            aanbieders.append((a, _uuid(rng), f"Zorgaanbieder {a}", f"{10000000 + a}", f"{60000000 + a}"))
            applicaties.append((a, f"bench-aanbieder-{a}", a))
            kolom, cluster = KOLOMMEN[a % len(KOLOMMEN)]
            contracten.append((a, _uuid(rng), a, json.dumps([kolom]), cluster, date(2026, 1, 1), date(2027, 12, 31),
                               "inspanningsgericht"))
            for p, (cat, code, eenheid, freq, bedrag) in enumerate(PRODUCTEN):
                pid = (a - 1) * len(PRODUCTEN) + p + 1
                producten.append((pid, _uuid(rng), a, cat, code, eenheid, freq))
                tarieven.append((pid, _uuid(rng), pid, date(2026, 1, 1), date(2027, 12, 31), bedrag))
        await conn.copy_records_to_table("aanbieders", records=aanbieders,
                                         columns=["id", "uuid", "naam", "agb_code", "kvk_nummer"])
        await conn.copy_records_to_table("aanbieder_applicaties", records=applicaties,
                                         columns=["id", "client_id", "aanbieder_id"])
        await conn.copy_records_to_table("contracten", records=contracten, columns=[
            "id", "uuid", "aanbieder_id", "kolommen", "cluster", "begindatum", "einddatum", "uitvoeringsvariant"])
        await conn.copy_records_to_table("producten", records=producten, columns=[
            "id", "uuid", "contract_id", "productcategorie", "productcode", "eenheid", "frequentie"])
        await conn.copy_records_to_table("tarieven", records=tarieven, columns=[
            "id", "uuid", "product_id", "begindatum", "einddatum", "bedrag"])

        columns = ["id", "uuid", "bron", "zaak", "huishouden", "kolom", "cluster", "aanbieder_url", "aanbieder_id",
                   "contract_id", "product_id", "productcategorie", "productcode", "volume", "eenheid", "frequentie",
                   "begindatum", "einddatum", "status", "redenen", "verplichting", "start_zorg"]
        # The first toewijzingen of each aanbieder, for its declaratie.
        eerste: dict[int, list[tuple[str, date, date, str, int]]] = {a: [] for a in range(1, AANBIEDERS + 1)}
        cache: dict[tuple[int, date], int] = {}
        batch: list[tuple[Any, ...]] = []
        for n in range(1, total + 1):
            a = (n - 1) % AANBIEDERS + 1
            p = (n // AANBIEDERS) % len(PRODUCTEN)
            cat, code, eenheid, freq, bedrag = PRODUCTEN[p]
            begin = date(2026, 1, 1) + timedelta(days=n % 270)
            eind = begin + timedelta(weeks=WEKEN, days=-1)
            if (p, begin) not in cache:
                cache[(p, begin)] = verplichting(VOLUME, freq, Periode(begin, eind),
                                                 [Tarief(Periode(date(2026, 1, 1), date(2027, 12, 31)), bedrag)])
            kolom, cluster = KOLOMMEN[a % len(KOLOMMEN)]
            t_uuid = _uuid(rng)
            gestart = n % 3 != 0
            batch.append((n, t_uuid, f"{BASE}/zaken/api/v1/resultaten/{n}#0", f"{BASE}/zaken/api/v1/zaken/{n}",
                          f"{BASE}/klantgegevens/api/v1/huishoudens/{n}", kolom, cluster,
                          f"{API}/aanbieders/{aanbieders[a - 1][1]}", a, a, (a - 1) * len(PRODUCTEN) + p + 1, cat,
                          code, VOLUME, eenheid, freq, begin, eind, "gestart" if gestart else "toegewezen", "[]",
                          cache[(p, begin)], begin if gestart else None))
            if len(eerste[a]) < regels:
                eerste[a].append((t_uuid, begin, eind, eenheid, bedrag))
            if len(batch) == 50_000:
                await conn.copy_records_to_table("toewijzingen", records=batch, columns=columns)
                batch.clear()
        if batch:
            await conn.copy_records_to_table("toewijzingen", records=batch, columns=columns)
        budgetten: list[tuple[Any, ...]] = [
            (i + 1, _uuid(rng), 2026, kolom, None, None, f"2026|{kolom}||", 50_000_000_000, 100)
            for i, (kolom, _) in enumerate(KOLOMMEN)]
        budgetten += [(10 + i, _uuid(rng), 2026, None, cluster, None, f"2026||{cluster}|", 90_000_000_000, 100)
                      for i, cluster in enumerate(("zorg", "inkomen"))]
        await conn.copy_records_to_table("budgetten", records=budgetten, columns=[
            "id", "uuid", "jaar", "kolom", "cluster", "aanbieder_id", "sleutel", "bedrag", "gemelde_drempel"])
        # The verplichtingen per year as the service books them with each toewijzing it writes.
        await conn.execute(
            "INSERT INTO verplichtingen_per_jaar (sleutel, jaar, kolom, cluster, aanbieder_id, bedrag) "
            "SELECT extract(year FROM begindatum)::int || '|' || kolom || '|' || coalesce(cluster, '') || '|' "
            "|| aanbieder_id, extract(year FROM begindatum)::int, kolom, cluster, aanbieder_id, sum(verplichting) "
            "FROM toewijzingen WHERE status IN ('toegewezen', 'gestart', 'gestopt', 'beeindigd') "
            "GROUP BY extract(year FROM begindatum)::int, kolom, cluster, aanbieder_id")
        for table in ("aanbieders", "aanbieder_applicaties", "contracten", "producten", "tarieven", "toewijzingen",
                      "budgetten"):
            await conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()
    return eerste


def _headers(ctx: AuthContext) -> dict[str, str]:
    return {AUTH_HEADER: sign_auth_context(ctx, DEV_INTERNAL_SECRET)}


def declaratie(ronde: int, toewijzingen: list[tuple[str, date, date, str, int]]) -> dict[str, Any]:
    """A batch of one aanbieder: a line per toewijzing, one week of the volume at the contract's tarief."""
    lines = []
    for i, (t_uuid, begin, _eind, eenheid, bedrag) in enumerate(toewijzingen):
        lines.append({"referentie": f"R{ronde}-{i}", "toewijzing": f"{API}/toewijzingen/{t_uuid}",
                      "begindatum": begin.isoformat(), "einddatum": (begin + timedelta(days=6)).isoformat(),
                      "volume": VOLUME, "eenheid": eenheid, "productTarief": f"{bedrag // 100}.{bedrag % 100:02d}"})
    return {"identificatie": f"D2026-{ronde}", "begindatum": "2026-01-01", "einddatum": "2026-12-31",
            "regels": lines}


async def measure(url: str, seeded: dict[int, list[tuple[str, date, date, str, int]]], regels: int,
                  rounds: int) -> dict[str, Any]:
    from services.financien.app import create_app
    from services.financien.settings import FinancienSettings

    app = create_app(FinancienSettings(env="dev", database_url=url, nats_url="nats://127.0.0.1:1",
                                       public_base_url=BASE))
    from sds.runtime.db import Database

    app.state.db = Database(url)
    gemeente = AuthContext(client_id="team-financien", autorisaties=[
        Autorisatie(component="financien", scopes=["financien.lezen", "financien.schrijven"])])
    assert rounds + 1 <= AANBIEDERS and all(len(seeded[a]) == regels for a in range(1, rounds + 2)), \
        "too few toewijzingen per aanbieder for a batch"
    batch_s: list[float] = []
    monitor_ms: list[float] = []
    accepted = 0
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE, timeout=120) as client:
        for ronde in range(rounds + 1):
            # Each round another aanbieder (its own applicatie) declares on its own toewijzingen.
            aanbieder = AuthContext(client_id=f"bench-aanbieder-{ronde + 1}", autorisaties=[
                Autorisatie(component="financien", scopes=["financien.lezen", "financien.schrijven"])])
            body = json.dumps(declaratie(ronde, seeded[ronde + 1]))
            t0 = time.perf_counter()
            r = await client.post(f"{API}/declaraties", content=body,
                                  headers={**_headers(aanbieder), "content-type": "application/json"})
            elapsed = time.perf_counter() - t0
            assert r.status_code == 201, r.text[:500]
            accepted = sum(1 for x in r.json()["regels"] if x["retourcode"] == "0200")
            if ronde:
                batch_s.append(elapsed)
        for ronde in range(rounds + 1):
            t0 = time.perf_counter()
            r = await client.get(f"{API}/budgetmonitor", params={"jaar": 2026}, headers=_headers(gemeente))
            elapsed = time.perf_counter() - t0
            assert r.status_code == 200, r.text[:500]
            if ronde:
                monitor_ms.append(elapsed * 1000)
    await app.state.db.dispose()
    return {"batch_s": statistics.median(batch_s), "batch_all": batch_s, "accepted": accepted,
            "monitor_ms": statistics.median(monitor_ms), "monitor_all": monitor_ms}


async def explain(dsn: str) -> str:
    """The plan of summing the verplichtingen over the toewijzingen themselves, what the budgetmonitor did before
    verplichtingen_per_jaar (financien_0005)."""
    conn = await asyncpg.connect(dsn)
    try:
        rows = await conn.fetch(
            "EXPLAIN (ANALYZE, BUFFERS) SELECT t.kolom, t.cluster, a.uuid, sum(t.verplichting) FROM toewijzingen t "
            "JOIN aanbieders a ON a.id = t.aanbieder_id "
            "WHERE t.status IN ('toegewezen', 'gestart', 'gestopt', 'beeindigd') "
            "AND t.begindatum BETWEEN '2026-01-01' AND '2026-12-31' GROUP BY t.kolom, t.cluster, a.uuid")
        return "\n".join(r[0] for r in rows)
    finally:
        await conn.close()


async def run(args: argparse.Namespace) -> dict[str, Any]:
    name = f"sds_bench_financien_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(f"{SERVER}/postgres")
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    dsn = f"{SERVER}/{name}"
    try:
        await asyncio.to_thread(upgrade, ROOT / "services" / "financien" / "migrations", dsn)
        t0 = time.perf_counter()
        seeded = await seed(dsn, args.toewijzingen, args.regels)
        seeding = time.perf_counter() - t0
        url = dsn.replace("postgresql://", "postgresql+asyncpg://", 1)
        result = await measure(url, seeded, args.regels, args.rounds)
        result["seeding_s"] = seeding
        if args.explain:
            print(await explain(dsn))
        return result
    finally:
        admin = await asyncpg.connect(f"{SERVER}/postgres")
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


def render(args: argparse.Namespace, r: dict[str, Any], note: str) -> str:
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    batch_ok = "met" if r["batch_s"] <= TARGET_BATCH_S else "missed"
    monitor_ok = "met" if r["monitor_ms"] <= TARGET_MONITOR_MS else "missed"
    lines = [
        "Command: `.venv/bin/python -m bench.financien --write`", "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {os.cpu_count()} cores, {mem:.0f} GiB, shared; "
        f"Python {platform.python_version()}, Linux {platform.release()}, PostgreSQL on the same machine.",
        f"Data: {args.toewijzingen:,} toewijzingen over {AANBIEDERS} aanbieders (one contract, four products with "
        f"a tarief each), seeded through the migrations and COPY in {r['seeding_s']:.0f} s. The app in this "
        f"process behind httpx's ASGI transport; median of {args.rounds} rounds after a warm-up.", "",
        "| request | median | rounds | target | |",
        "|---|---:|---|---:|---|",
        f"| `POST /declaraties`, {args.regels:,} lines ({r['accepted']:,} accepted) | {r['batch_s']:.2f} s | "
        f"{', '.join(f'{x:.2f}' for x in r['batch_all'])} | ≤ {TARGET_BATCH_S:.0f} s | {batch_ok} |",
        f"| `GET /budgetmonitor?jaar=2026` | {r['monitor_ms']:.0f} ms | "
        f"{', '.join(f'{x:.0f}' for x in r['monitor_all'])} | ≤ {TARGET_MONITOR_MS:.0f} ms | {monitor_ok} |",
    ]
    if note:
        lines += ["", note]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--toewijzingen", type=int, default=1_000_000)
    parser.add_argument("--regels", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--explain", action="store_true", help="print the budgetmonitor's plan")
    parser.add_argument("--note", default="", help="a paragraph written under the table")
    parser.add_argument("--write", action="store_true", help="write the result into docs/benchmarks.md")
    args = parser.parse_args()
    result = asyncio.run(run(args))
    text = render(args, result, args.note)
    print(text)
    if args.write:
        write_section(HEADING, text)


if __name__ == "__main__":
    main()
