"""Beleidsinfo: replaying the stream into the projection, and every indicator query on the result.

    .venv/bin/python -m bench.beleidsinfo --db sqlite|postgres [--events 1000000] [--write]

A year of a municipality's intake and zaken events (per household: an aanvraag, one or two zaken with a
status, a resultaat with a toekenning and a close, now and then a signaal and an overdue termijn) is
published to a nats-server of its own; then ``services.beleidsinfo.rebuild.rebuild`` replays the stream from
the start into a fresh database (events/s), and each indicator is asked over the whole year, per month,
five times (median ms, through the same code the API route runs).
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bench.report import write_section
from contracts.envelope import CloudEvent, subject_for
from contracts.events import make_event
from sds.runtime.bus import Bus
from sds.runtime.db import Database, create_engine
from services.beleidsinfo.context import Beleidsinfo
from services.beleidsinfo.indicatoren import INDICATOREN, Vraag, bereken
from services.beleidsinfo.models import metadata
from services.beleidsinfo.rebuild import rebuild
from services.beleidsinfo.settings import BeleidsinfoSettings

BASE = "http://gemeente.bench"
KOLOMMEN = [["wmo"], ["jeugd"], ["participatie"], ["schuldhulp"], ["wmo", "jeugd"], ["schuldhulp", "participatie"]]


def _event(type_: str, data: dict[str, object], when: datetime) -> CloudEvent:
    ref = str(data.get("zaak") or data.get("aanvraag") or data.get("signaal"))
    event = make_event(type_, data, source="urn:nld:sociaal-domein:bench", subject="x", dataref=ref)
    return event.model_copy(update={"time": when})


def household_events(n: int) -> list[CloudEvent]:
    day = date(2026, 1, 1) + timedelta(days=n % 365)
    when = datetime(day.year, day.month, day.day, 9, tzinfo=UTC)
    hh = f"{BASE}/klantgegevens/api/v1/huishoudens/00000000-0000-4000-8000-{n:012d}"
    aanvraag = f"{BASE}/intake/api/v1/aanvragen/{n}"
    kolommen = KOLOMMEN[n % len(KOLOMMEN)]
    events = [_event("nl.sociaal-domein.intake.aanvraag-ingediend", {
        "aanvraag": aanvraag, "huishouden": hh, "kolommen": kolommen, "ingediendDoor": "inwoner",
        "registratiedatum": day.isoformat()}, when)]
    for i, kolom in enumerate(kolommen):
        zaak = f"{BASE}/zaken/api/v1/zaken/{n}-{i}"
        opened = day + timedelta(days=n % 7)
        events += [
            _event("nl.overheid.zaken.zaak-geopend", {
                "aanvraag": aanvraag, "zaak": zaak, "zaaktype": f"{BASE}/catalogi/api/v1/zaaktypen/{kolom}",
                "catalogus": f"{BASE}/catalogi/api/v1/catalogussen/{kolom}", "kolommen": [kolom], "cluster": kolom,
                "integraal": False, "huishouden": hh, "vertrouwelijkheidaanduiding": "vertrouwelijk",
                "registratiedatum": opened.isoformat(), "startdatum": opened.isoformat()}, when),
            _event("nl.overheid.zaken.status-gezet", {
                "zaak": zaak, "zaaktype": f"{BASE}/catalogi/api/v1/zaaktypen/{kolom}", "status": f"{zaak}/s",
                "statustype": f"{BASE}/catalogi/api/v1/statustypen/{kolom}-{n % 3}",
                "datumStatusGezet": when.isoformat(), "isEindstatus": False}, when),
        ]
        if n % 4:
            decided = opened + timedelta(days=10 + n % 40)
            at = datetime(decided.year, decided.month, decided.day, 12, tzinfo=UTC)
            events += [
                _event("nl.overheid.zaken.resultaat-vastgesteld", {
                    "zaak": zaak, "zaaktype": f"{BASE}/catalogi/api/v1/zaaktypen/{kolom}", "huishouden": hh,
                    "kolom": kolom, "resultaat": f"{zaak}/r", "resultaattype": f"{BASE}/catalogi/api/v1/rt/1",
                    "uitkomst": "toegekend", "toekenningen": [{
                        "product": {"productcategorie": "02"},
                        "omvang": {"volume": 3, "eenheid": "uur", "frequentie": "per-week"},
                        "begindatum": decided.isoformat(),
                        "einddatum": (decided + timedelta(days=180)).isoformat()}]}, at),
                _event("nl.overheid.zaken.zaak-afgesloten", {
                    "zaak": zaak, "zaaktype": f"{BASE}/catalogi/api/v1/zaaktypen/{kolom}", "huishouden": hh,
                    "kolommen": [kolom], "resultaattype": f"{BASE}/catalogi/api/v1/rt/1",
                    "einddatum": decided.isoformat()}, at),
            ]
    if n % 5 == 0:
        events.append(_event("nl.sociaal-domein.intake.signaal-ontvangen", {
            "signaal": f"{BASE}/intake/api/v1/signalen/{n}", "huishouden": hh, "partnersoort": "energiebedrijf",
            "signaalsoort": "energieachterstand", "crisis": False,
            "registratiedatum": (day - timedelta(days=5)).isoformat()}, when))
    return events


async def publish(nats_url: str, stream: str, total: int) -> int:
    bus = await Bus.connect(nats_url, name="bench-beleidsinfo")
    await bus.ensure_stream(stream, ["sds.>"])
    sent = n = 0
    pending = []
    while sent < total:
        for event in household_events(n):
            pending.append(await bus.js.publish_async(subject_for(event.type), event.to_json()))
            sent += 1
        n += 1
        if len(pending) >= 5000:
            await asyncio.gather(*pending)
            pending.clear()
    await asyncio.gather(*pending)
    await bus.close()
    return sent


async def run(kind: str, total: int, tmp: Path) -> dict[str, object]:
    from tests.support.databases import create_postgres_database, drop_postgres_database
    from tests.support.natsserver import NatsServer

    nats = NatsServer(tmp / "nats").start()
    name = f"sds_bench_bi_{int(time.time())}"
    url = (await create_postgres_database(name) if kind == "postgres"
           else f"sqlite+aiosqlite:///{tmp / 'beleidsinfo.db'}")
    try:
        settings = BeleidsinfoSettings(env="dev", database_url=url, nats_url=nats.url, archetype="geclusterd-integraal")
        engine = create_engine(url)
        async with engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
        await engine.dispose()
        started = time.perf_counter()
        published = await publish(nats.url, settings.stream, total)
        publish_s = time.perf_counter() - started
        started = time.perf_counter()
        read = await rebuild(settings, lambda _d, _t: None, batch=1000)
        replay_s = time.perf_counter() - started
        context = Beleidsinfo.from_settings(settings)
        db = Database(url)
        queries: dict[str, float] = {}
        vraag = Vraag(van=date(2026, 1, 1), tot=date(2026, 12, 31), periode="maand", indeling=context.indeling,
                      minimum=settings.minimum_cel)
        for naam, indicator in INDICATOREN.items():
            times = []
            for _ in range(5):
                t0 = time.perf_counter()
                async with db.transaction() as session:
                    await bereken(session, indicator, vraag)
                times.append((time.perf_counter() - t0) * 1000)
            queries[naam] = statistics.median(times)
        await db.dispose()
        return {"published": published, "publish_s": publish_s, "read": read, "replay_s": replay_s,
                "queries": queries}
    finally:
        nats.kill()
        if kind == "postgres":
            await drop_postgres_database(name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--write", action="store_true", help="write the result into docs/benchmarks.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        result = asyncio.run(run(args.db, args.events, Path(tmp)))
    replay_rate = result["read"] / result["replay_s"]  # type: ignore[operator]
    queries: dict[str, float] = result["queries"]  # type: ignore[assignment]
    lines = [
        f"Machine: {platform.machine()}, {__import__('os').cpu_count()} cores, shared; "
        f"Python {platform.python_version()}; database {args.db}; {time.strftime('%Y-%m-%d')}.",
        "",
        f"{result['published']:,} events of a year of intake and zaken ({result['published'] // 7:,} households "
        "or so), replayed by `sds beleidsinfo rebuild`'s code into an empty projection; then each indicator for "
        "the whole year per month, median of 5.",
        "",
        "| measure | result | target |",
        "|---|---|---|",
        f"| replay | {replay_rate:,.0f} events/s ({result['replay_s']:.1f} s) | ≥ 5,000 events/s |",
        *(f"| query `{naam}` | {ms:,.0f} ms | ≤ 100 ms |" for naam, ms in queries.items()),
    ]
    text = "\n".join(lines)
    print(text)
    if args.write:
        write_section("## Beleidsinfo: replay and indicator queries", text)


if __name__ == "__main__":
    main()
