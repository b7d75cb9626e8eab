"""Live and replayed: the service's durable consumer projects events from a real JetStream (an event that is
on the stream twice counts once), and `sds beleidsinfo rebuild` replays the stream from the start to exactly
the figures of the live projection."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy.engine import make_url

from contracts.envelope import CloudEvent, subject_for
from sds.runtime.bus import Bus
from sds.runtime.db import create_engine
from services.beleidsinfo.app import create_app
from services.beleidsinfo.indicatoren import INDICATOREN
from services.beleidsinfo.settings import BeleidsinfoSettings
from tests.beleidsinfo.conftest import (
    aanvraag_ingediend,
    headers,
    resultaat,
    signaal,
    status_gezet,
    zaak_afgesloten,
    zaak_geopend,
)
from tests.support.databases import BACKEND, POSTGRES_URL, create_postgres_database, drop_postgres_database
from tests.support.natsserver import NatsServer

RANGE = {"van": "2026-01-01", "tot": "2026-12-31", "periode": "kwartaal"}


@asynccontextmanager
async def suite_database(tmp_path: Path) -> AsyncIterator[tuple[str, list[str]]]:
    """The beleidsinfo database as `sds up` derives it, and the arguments that let `sds beleidsinfo rebuild`
    derive the same: the data directory's file on SQLite, ``--database-url`` of the suite on PostgreSQL."""
    if BACKEND == "postgres":
        base = f"sds_test_bi_{uuid.uuid4().hex[:10]}"
        url = await create_postgres_database(f"{base}_beleidsinfo")
        try:
            suite = make_url(POSTGRES_URL).set(database=base).render_as_string(hide_password=False)
            yield url, ["--database-url", suite]
        finally:
            await drop_postgres_database(f"{base}_beleidsinfo")
    else:
        yield f"sqlite+aiosqlite:///{tmp_path / 'beleidsinfo.db'}", ["--data-dir", str(tmp_path)]


def _events() -> list[CloudEvent]:
    start = date(2026, 2, 2)
    events: list[CloudEvent] = []
    for n in range(40):
        kolommen = [["wmo"], ["jeugd"], ["wmo", "schuldhulp"], ["participatie"]][n % 4]
        dag = start + timedelta(days=n * 3)
        events.append(aanvraag_ingediend(n, n, kolommen, dag))
        for i, kolom in enumerate(kolommen):
            zaak = 100 * i + n
            events.append(zaak_geopend(zaak, n, [kolom], dag + timedelta(days=n % 5), aanvraag=n, cluster=kolom))
            events.append(status_gezet(zaak, "onderzoek"))
            if n % 3:
                events.append(resultaat(zaak, n, kolom, dag + timedelta(days=20 + n)))
                events.append(zaak_afgesloten(zaak, n, [kolom], dag + timedelta(days=21 + n)))
        if n % 2:
            events.append(signaal(n, n, "huurachterstand", dag - timedelta(days=7)))
    return events


async def _figures(client: httpx.AsyncClient) -> dict[str, Any]:
    out = {}
    for naam in INDICATOREN:
        response = await client.get(f"/beleidsinfo/api/v1/indicatoren/{naam}", params=RANGE, headers=headers())
        assert response.status_code == 200, response.text
        out[naam] = response.json()["results"]
    response = await client.get("/beleidsinfo/api/v1/clusterindeling", params={**RANGE, "profiel": "totaal-integraal"},
                                headers=headers())
    out["clusterindeling"] = response.json()["results"]
    return out


async def test_replay_reaches_exactly_the_live_figures(tmp_path: Path) -> None:
    nats = NatsServer(tmp_path / "nats").start()
    try:
        async with suite_database(tmp_path) as (url, where):
            settings = BeleidsinfoSettings(env="dev", database_url=url, nats_url=nats.url, archetype="transitie-proof")
            app = create_app(settings)
            engine = create_engine(url)
            async with engine.begin() as conn:
                await conn.run_sync(app.state.metadata.create_all)
            await engine.dispose()
            events = _events()
            bus = await Bus.connect(nats.url, name="test-producer")
            await bus.ensure_stream(settings.stream, ["sds.>"])
            # Every event once, and the first ten a second time (as a producer's retry after a lost ack would).
            for event in [*events, *events[:10]]:
                await bus.js.publish(subject_for(event.type), event.to_json())
            await bus.close()

            async with app.router.lifespan_context(app):
                transport = httpx.ASGITransport(app=app)
                async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
                    live = await _wait_for_stable(client, expected_aanvragen=40)
                    instroom_total = sum(c["aantal"] for c in live["instroom"]
                                         if c["kolom"] == "alle" and c["cluster"] == "alle")
                    assert instroom_total == 40  # the ten repeats counted once

                    env = {**os.environ, "SDS_ENV": "dev", "SDS_ARCHETYPE": "transitie-proof"}
                    done = await asyncio.to_thread(subprocess.run, [
                        str(Path(sys.executable).parent / "sds"), "beleidsinfo", "rebuild", *where,
                        "--nats-url", nats.url], env=env, capture_output=True, text=True, timeout=120)
                    assert done.returncode == 0, done.stderr
                    assert f"rebuilt from {len(events) + 10} events" in done.stdout
                    assert "replayed" in done.stderr  # the progress, as lines when not on a terminal
                    assert await _figures(client) == live
    finally:
        nats.kill()


async def _wait_for_stable(client: httpx.AsyncClient, expected_aanvragen: int) -> dict[str, Any]:
    deadline = time.monotonic() + 30
    previous = None
    while time.monotonic() < deadline:
        figures = await _figures(client)
        total = sum(c["aantal"] or 0 for c in figures["instroom"] if c["kolom"] == "alle" and c["cluster"] == "alle")
        if total >= expected_aanvragen and figures == previous:
            return figures
        previous = figures
        await asyncio.sleep(0.5)
    raise AssertionError(f"the live projection did not settle: {previous}")
