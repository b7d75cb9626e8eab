"""What the verwerkingenlog costs a read of personal data, on SQLite and on PostgreSQL: a klantgegevens BSN look-up
and a zaken zaak read (a zaak with a natuurlijk persoon rol), each with the log on and off.

    .venv/bin/python -m bench.verwerkingenlog [--databases sqlite,postgres] [--persons 50000] [--zaken 2000]
                                              [--seconds 5] [--rounds 5] [--write]

Per database: fresh klantgegevens and zaken databases through the services' own migrations (PostgreSQL:
``SDS_BENCH_POSTGRES_URL``, default the local server; SQLite: files in a temporary folder), ``--persons`` persons in
households that each have a wmo zaak as lawful reason, and ``--zaken`` zaken with a BSN rol (made through the
zaken API). Each service runs twice as its own uvicorn process (one worker, uvloop, httptools), once with
``SDS_VERWERKINGENLOG=false`` (dev only); one client (httpx, in this process) alternates between the two request by
request, so both see the same moment of a shared machine. Per round and request the medians of both are taken;
the cost is (on − off) / on of the round's medians, and the median round counts.

``--write`` puts the result under "## Verwerkingenlog" in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import insert

from bench.klantgegevens import household_sizes, synthetic_bsns
from bench.report import write_section
from sds.runtime.auth import AUTH_HEADER, AuthContext, Autorisatie, sign_auth_context
from sds.runtime.db import Database
from sds.runtime.migrations import upgrade
from sds.runtime.settings import DEV_INTERNAL_SECRET
from sds.runtime.verwerkingenlog import Verwerkingenlog

ROOT = Path(__file__).resolve().parents[1]
HEADING = "## Verwerkingenlog"
SERVER = os.environ.get("SDS_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432")
SLEUTEL = "bench-pseudoniem-sleutel-0123456789"
BASE = "http://127.0.0.1:8000"
RSIN = "002220647"
TARGET_SHARE = 0.10  # issue 18: at most a tenth of a read
NOTE = """
Reading the figures: both reads are one transaction, and a record is written in it and committed before the
answer leaves (a crash loses no record of an answered read, `tests/chaos`). What the log adds is therefore the
record's INSERT and a commit that must flush the WAL (PostgreSQL; a read-only commit flushes nothing) or append to
it (SQLite, WAL, synchronous=NORMAL). A klantgegevens look-up writes its record in its own statement on PostgreSQL
(`Verwerkingenlog.lezen`: the INSERT as a data-modifying CTE over the read, no round trip of its own); a zaak read
finds the persons of its rollen in the query that already fetches its rollen and writes one INSERT for them (the
pseudonym is an HMAC made in the service, so it cannot ride in the read). The breakdown below shows the rest:
the flush, the INSERT's own work in PostgreSQL, and the service's Python per record (building the record's values,
binding the larger statement). On this shared machine a round trip and a flush cost several times what they cost
idle when other sessions' tests run, and the figures move with them; the rounds are printed for that reason."""
ZRC_WMO = AuthContext(client_id="bench-wmo", user_id="medewerker", autorisaties=[
    Autorisatie(component="zrc", kolom="wmo", scopes=["zaken.lezen"], max_vertrouwelijkheidaanduiding="zeer_geheim")])
KG_WMO = AuthContext(client_id="bench-wmo", user_id="medewerker", kolommen=["wmo"], autorisaties=[
    Autorisatie(component="klantgegevens", kolom="wmo", scopes=["klantgegevens.lezen"])])
ALLES = AuthContext(client_id="bench-alles", heeft_alle_autorisaties=True)


def free_port() -> int:
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        if not 8000 <= port <= 8005 and port != 4222:
            return port


class Service:
    """One uvicorn process of ``service`` on ``url``, with the verwerkingenlog on or off."""

    def __init__(self, service: str, url: str, *, log: bool) -> None:
        self.port = free_port()
        env = {**os.environ, "SDS_ENV": "dev", "SDS_SERVICE": service, "SDS_DATABASE_URL": url,
               "SDS_NATS_URL": "nats://127.0.0.1:1", "SDS_PUBLIC_BASE_URL": BASE, "SDS_PSEUDONIEM_SLEUTEL": SLEUTEL,
               "SDS_VERWERKINGENLOG": "true" if log else "false", "SDS_LOG_LEVEL": "INFO"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", f"services.{service}.app:create_app", "--host",
             "127.0.0.1", "--port", str(self.port), "--no-access-log", "--loop", "uvloop", "--http", "httptools"],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.url = f"http://127.0.0.1:{self.port}"

    async def ready(self) -> None:
        deadline = time.monotonic() + 60
        async with httpx.AsyncClient() as client:
            while time.monotonic() < deadline:
                try:
                    await client.get(f"{self.url}/health/live")
                    return
                except httpx.HTTPError:
                    await asyncio.sleep(0.1)
        raise RuntimeError(f"{self.url} did not start")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


@dataclass
class Databases:
    kind: str
    klantgegevens: str
    zaken: str
    folder: tempfile.TemporaryDirectory[str] | None = None
    bsns: list[str] = field(default_factory=list)
    zaak_uuids: list[str] = field(default_factory=list)


async def create(kind: str) -> Databases:
    if kind == "sqlite":
        folder = tempfile.TemporaryDirectory(prefix="sds-bench-vwl-")
        return Databases(kind, f"sqlite:///{folder.name}/klantgegevens.db", f"sqlite:///{folder.name}/zaken.db",
                         folder)
    import asyncpg

    admin = await asyncpg.connect(f"{SERVER}/postgres")
    try:
        for name in ("sds_bench_vwl_klantgegevens", "sds_bench_vwl_zaken"):
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    return Databases(kind, f"{SERVER}/sds_bench_vwl_klantgegevens", f"{SERVER}/sds_bench_vwl_zaken")


async def seed_klantgegevens(dbs: Databases, persons: int) -> None:
    """Persons in households, each household with a wmo zaak as lawful reason (the look-up's grondslag)."""
    from services.klantgegevens.models import grondslagen, huishoudens, lidmaatschappen, personen

    await asyncio.to_thread(upgrade, ROOT / "services" / "klantgegevens" / "migrations", dbs.klantgegevens)
    rng = random.Random(42)
    bsns = synthetic_bsns(persons)
    sizes = household_sizes(persons, max(1, persons * 2 // 5), rng)
    now, key = datetime.now(UTC), SLEUTEL.encode()
    rows: dict[Any, list[dict[str, Any]]] = {personen: [], huishoudens: [], lidmaatschappen: [], grondslagen: []}
    pid = 0
    for hid, size in enumerate(sizes, start=1):
        h_uuid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        rows[huishoudens].append({"id": hid, "uuid": h_uuid, "aangemaakt": now, "opgeheven": None})
        rows[grondslagen].append({"id": hid, "huishouden_uuid": h_uuid, "bron": f"{BASE}/zaken/api/v1/zaken/{h_uuid}",
                                  "soort": "zaak", "kolom": "wmo", "cluster": None, "begin": now, "eind": None})
        for _ in range(size):
            bsn = bsns[pid]
            pid += 1
            rows[personen].append({
                "id": pid, "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "bsn": bsn,
                "pseudoniem": hmac.new(key, bsn.encode(), hashlib.sha256).hexdigest()[:32], "voornamen": "Proef",
                "voorvoegsel": None, "geslachtsnaam": f"Bench{pid % 997}", "geboortedatum": date(1980, 1, 1),
                "straat": "Proeflaan", "huisnummer": hid % 200 + 1, "huisletter": None, "huisnummertoevoeging": None,
                "postcode": "1000ZZ", "woonplaats": "Proefstad", "bron": "lokaal", "bijgewerkt": now})
            rows[lidmaatschappen].append({"id": pid, "huishouden_id": hid, "persoon_id": pid, "rol": "ouder",
                                          "van": now, "tot": None})
    db = Database(dbs.klantgegevens)
    try:
        async with db.transaction() as session:
            for table, values in rows.items():
                for start in range(0, len(values), 5000):
                    await session.execute(insert(table), values[start:start + 5000])
    finally:
        await db.dispose()
    dbs.bsns = bsns


async def seed_zaken(dbs: Databases, count: int) -> None:
    """The catalogue, then ``count`` wmo zaken with an aanvrager rol naming a person by BSN, through the API."""
    from services.zaken.seed_catalogus import run

    await asyncio.to_thread(upgrade, ROOT / "services" / "zaken" / "migrations", dbs.zaken)
    zaaktypen = await run(dbs.zaken, BASE, RSIN)
    service = Service("zaken", dbs.zaken, log=True)
    try:
        await service.ready()
        headers = {AUTH_HEADER: sign_auth_context(ALLES, DEV_INTERNAL_SECRET)}
        async with httpx.AsyncClient(base_url=service.url, headers=headers, timeout=30) as client:
            zaaktype = (await client.get(zaaktypen["WMO-HBH"].replace(BASE, service.url))).json()
            omschrijvingen = {(await client.get(u.replace(BASE, service.url))).json()["omschrijving"]: u
                              for u in zaaktype["roltypen"]}
            aanvrager = omschrijvingen["Aanvrager"]
            for i in range(count):
                r = await client.post("/zaken/api/v1/zaken", json={
                    "bronorganisatie": RSIN, "verantwoordelijkeOrganisatie": RSIN, "zaaktype": zaaktypen["WMO-HBH"],
                    "startdatum": "2026-11-01"})
                r.raise_for_status()
                zaak = r.json()
                r = await client.post("/zaken/api/v1/rollen", json={
                    "zaak": zaak["url"], "roltype": aanvrager, "betrokkeneType": "natuurlijk_persoon",
                    "roltoelichting": "aanvrager", "betrokkeneIdentificatie": {"inpBsn": dbs.bsns[i % len(dbs.bsns)]}})
                r.raise_for_status()
                dbs.zaak_uuids.append(zaak["uuid"])
    finally:
        service.stop()


async def measure(dbs: Databases, seconds: float, rounds: int) -> dict[str, list[dict[str, float]]]:
    """Per request kind, per round: the p50 (ms) with the log on and off, and the requests of each."""
    services = {(name, log): Service(name, url, log=log) for name, url in (("klantgegevens", dbs.klantgegevens),
                                                                          ("zaken", dbs.zaken))
                for log in (True, False)}
    out: dict[str, list[dict[str, float]]] = {"lookup": [], "zaak": []}
    rng = random.Random(7)
    kg_token = sign_auth_context(KG_WMO, DEV_INTERNAL_SECRET)
    zrc_token = sign_auth_context(ZRC_WMO, DEV_INTERNAL_SECRET)
    try:
        for service in services.values():
            await service.ready()
        clients = {key: httpx.AsyncClient(base_url=s.url, timeout=30) for key, s in services.items()}
        try:
            async def one(kind: str, log: bool) -> float:
                if kind == "lookup":
                    client = clients[("klantgegevens", log)]
                    body = {"type": "RaadpleegMetBurgerservicenummer", "burgerservicenummer": [rng.choice(dbs.bsns)]}
                    started = time.perf_counter()
                    r = await client.post("/klantgegevens/api/v1/personen", json=body, headers={AUTH_HEADER: kg_token})
                    elapsed = time.perf_counter() - started
                    assert r.status_code == 200 and len(r.json()["personen"]) == 1, r.text
                else:
                    client = clients[("zaken", log)]
                    started = time.perf_counter()
                    r = await client.get(f"/zaken/api/v1/zaken/{rng.choice(dbs.zaak_uuids)}",
                                         headers={AUTH_HEADER: zrc_token})
                    elapsed = time.perf_counter() - started
                    assert r.status_code == 200 and len(r.json()["rollen"]) == 1, r.text
                return elapsed * 1000

            for kind in out:  # warm-up: connections, caches, prepared statements
                deadline = time.monotonic() + 2
                while time.monotonic() < deadline:
                    await one(kind, True)
                    await one(kind, False)
            for round_ in range(rounds):
                for kind in out:
                    times: dict[bool, list[float]] = {True: [], False: []}
                    deadline = time.monotonic() + seconds
                    while time.monotonic() < deadline:
                        for log in (True, False):
                            times[log].append(await one(kind, log))
                    on, off = statistics.median(times[True]), statistics.median(times[False])
                    result = {"on": on, "off": off, "requests": len(times[True]), "share": (on - off) / on}
                    out[kind].append(result)
                    print(f"{dbs.kind} round {round_ + 1} {kind:6}: on {on:.2f} ms, off {off:.2f} ms, "
                          f"{result['share']:.1%} ({len(times[True])} requests each)", flush=True)
        finally:
            for client in clients.values():
                await client.aclose()
    finally:
        for service in services.values():
            service.stop()
    return out


async def breakdown(dbs: Databases, count: int) -> dict[str, float]:
    """Where a look-up's record goes, in this process without HTTP: the median of ``count`` transactions per way
    (taken in turn): the read alone; the read and a separate INSERT of its record (as before ``lezen``); the read
    recording itself (``Verwerkingenlog.lezen``); and those two again with ``synchronous_commit = off``, whose
    difference to the durable ones is the commit's WAL flush (they pay one round trip more, for the SET, as the
    read alone with it shows)."""
    from sqlalchemy import text

    from services.klantgegevens import store
    from services.klantgegevens.domain import Bereik
    from services.klantgegevens.models import verwerkingen

    log = Verwerkingenlog(verwerkingen, sleutel=SLEUTEL.encode())
    reach = Bereik(False, frozenset({"wmo"}), frozenset())
    stmt, params = store.persoon_query(reach, "bsn", date.today())
    db = Database(dbs.klantgegevens)
    rng = random.Random(3)

    async def read(session: Any, bsn: str) -> None:
        (await session.execute(stmt, {**params, "bsns": [bsn]})).all()

    async def separate(session: Any, bsn: str) -> None:
        rows = (await session.execute(stmt, {**params, "bsns": [bsn]})).all()
        await log.vastleggen(session, KG_WMO, activiteit="persoon-raadplegen", handeling="lezen",
                             grondslag=rows[0].grondslag, betrokkenen=[rows[0].pseudoniem])

    async def itself(session: Any, bsn: str) -> None:
        await log.lezen(session, KG_WMO, stmt, {**params, "bsns": [bsn]}, activiteit="persoon-raadplegen",
                        betrokkene="pseudoniem", grondslag="grondslag")

    ways = {"read alone": (read, False), "read + separate INSERT": (separate, False),
            "read recording itself": (itself, False), "read alone, SET synchronous_commit=off": (read, True),
            "read + separate INSERT, no flush": (separate, True), "read recording itself, no flush": (itself, True)}
    times: dict[str, list[float]] = {name: [] for name in ways}
    try:
        for n in range(count + 50):
            for name, (way, no_flush) in ways.items():
                started = time.perf_counter()
                async with db.transaction() as session:
                    if no_flush:
                        await session.execute(text("SET LOCAL synchronous_commit = off"))
                    await way(session, rng.choice(dbs.bsns))
                if n >= 50:  # the first ones warm the pool and the statement caches
                    times[name].append((time.perf_counter() - started) * 1000)
    finally:
        await db.dispose()
    out = {name: statistics.median(values) for name, values in times.items()}
    for name, value in out.items():
        print(f"breakdown {name:40}: {value:.3f} ms", flush=True)
    return out


def render(args: argparse.Namespace, results: dict[str, dict[str, list[dict[str, float]]]],
           parts: dict[str, float] | None = None) -> str:
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    lines = [
        HEADING, "",
        f"Command: `.venv/bin/python -m bench.verwerkingenlog --persons {args.persons} --zaken {args.zaken} "
        f"--seconds {args.seconds:g} --rounds {args.rounds} --breakdown {args.breakdown} --write`", "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {os.cpu_count()} cores ({_cpu_model()}), {mem:.0f} GiB, "
        f"shared with other sessions; Python {platform.python_version()}, Linux {platform.release()}; PostgreSQL "
        f"on the same machine, SQLite files (WAL, synchronous=NORMAL) in a temporary folder. `uptime` at the end: "
        f"load average {os.getloadavg()[0]:.2f}.",
        f"Data: {args.persons:,} persons in households with a wmo zaak as lawful reason; {args.zaken:,} wmo zaken "
        "with an aanvrager rol naming a person by BSN. One client alternates between the service with the log on "
        f"and the same service with it off, request by request, {args.seconds:g} s per round and request after a "
        f"2 s warm-up, {args.rounds} rounds; the cost is (on − off) / on of a round's medians, the median round "
        "counts.", "",
        "| database | read | p50 log on ms | p50 log off ms | cost | per round | requests per round | target ≤ 10% |",
        "|---|---|---:|---:|---:|---|---:|---|",
    ]
    names = {"lookup": "BSN look-up (`POST /klantgegevens/api/v1/personen`)",
             "zaak": "zaak with a BSN rol (`GET /zaken/api/v1/zaken/{uuid}`)"}
    for kind, per_kind in results.items():
        for read, rs in per_kind.items():
            median = sorted(rs, key=lambda r: r["share"])[len(rs) // 2]
            per_round = ", ".join(f"{r['share']:.0%}" for r in rs)
            lines.append(
                f"| {kind} | {names[read]} | {median['on']:.2f} | {median['off']:.2f} | {median['share']:.1%} | "
                f"{per_round} | {median['requests']:.0f} | "
                f"{'met' if median['share'] <= TARGET_SHARE else 'missed'} |")
    if parts:
        lines += ["", f"Where a PostgreSQL look-up's record goes (in this process, no HTTP; the median of "
                  f"{args.breakdown} transactions per way, taken in turn):", "",
                  "| transaction | median ms |", "|---|---:|"]
        lines += [f"| {name} | {value:.3f} |" for name, value in parts.items()]
    lines.append(NOTE)
    return "\n".join(lines) + "\n"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


async def main(args: argparse.Namespace) -> None:
    results: dict[str, dict[str, list[dict[str, float]]]] = {}
    parts: dict[str, float] | None = None
    for kind in args.databases.split(","):
        dbs = await create(kind)
        try:
            started = time.monotonic()
            await seed_klantgegevens(dbs, args.persons)
            await seed_zaken(dbs, args.zaken)
            print(f"{kind}: seeded in {time.monotonic() - started:.0f} s", flush=True)
            results[kind] = await measure(dbs, args.seconds, args.rounds)
            if kind == "postgres" and args.breakdown:
                parts = await breakdown(dbs, args.breakdown)
        finally:
            if dbs.folder is not None:
                dbs.folder.cleanup()
    report = render(args, results, parts)
    print(report)
    if args.write:
        write_section(HEADING, report.split("\n", 2)[2])


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--persons", type=int, default=50_000)
    parser.add_argument("--zaken", type=int, default=2_000)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--breakdown", type=int, default=500,
                        help="transactions per way in the in-process breakdown on PostgreSQL (0: none)")
    parser.add_argument("--write", action="store_true")
    asyncio.run(main(parser.parse_args()))
