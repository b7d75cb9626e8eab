"""A crash between reading a zaak with a BSN rol and its verwerkingenlog record loses neither: a real zaken uvicorn
is SIGKILLed (``SDS_CRASH_AT``, ``sds.runtime.faults``) once where the record is in the read's transaction and not yet
committed, and once where the transaction is committed and the answer not yet sent.

Killed before the commit: the caller got no answer and no record was kept. Killed after the commit: no answer
either, and the record is there (the safe side: a record of data that did not leave, never data that left without
one). After the restart the same read is answered, and every answered read has its record."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from sds.runtime.app import CRASH_NA_COMMIT
from sds.runtime.auth import AUTH_HEADER, AuthContext, sign_auth_context
from sds.runtime.db import Database, create_engine
from sds.runtime.settings import DEV_INTERNAL_SECRET
from sds.runtime.verwerkingenlog import CRASH_VOOR_COMMIT, DEV_PSEUDONIEM_SLEUTEL, pseudoniem
from services.zaken.models import metadata
from services.zaken.seed_catalogus import DEFAULT_RSIN, run
from services.zaken.zaken.models import verwerkingen
from tests.support.databases import fresh_database_url
from tests.support.natsserver import free_port

ROOT = Path(__file__).resolve().parents[2]
BASE = "http://127.0.0.1:8000"
BSN = "111222333"
pytestmark = pytest.mark.chaos


def _start(db_url: str, port: int, log: Path, crash_at: str | None) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SDS_ENV": "dev", "SDS_SERVICE": "zaken", "SDS_DATABASE_URL": db_url,
           "SDS_NATS_URL": "nats://127.0.0.1:1", "SDS_PUBLIC_BASE_URL": BASE}
    env.pop("SDS_CRASH_AT", None)
    if crash_at:
        env["SDS_CRASH_AT"] = crash_at
    with open(log, "ab") as out:
        return subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory", "services.zaken.app:create_app",
                                 "--host", "127.0.0.1", "--port", str(port)], cwd=ROOT, env=env, stdout=out, stderr=out)


def _tail(log: Path) -> str:
    return log.read_text()[-2000:]


async def _ready(client: httpx.AsyncClient, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while True:
        assert proc.poll() is None, _tail(log)
        try:
            if (await client.get("/health/live")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, _tail(log)
        await asyncio.sleep(0.1)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        proc.wait(timeout=10)


async def _reads(db: Database) -> list[str]:
    async with db.transaction() as session:
        rows = (await session.execute(select(verwerkingen).where(
            verwerkingen.c.verwerkingsactiviteit == "zaak-raadplegen").order_by(verwerkingen.c.id))).all()
    assert all(r.betrokkene == pseudoniem(BSN, DEV_PSEUDONIEM_SLEUTEL.encode()) for r in rows)
    return [r.trace_id for r in rows]


async def test_kill_tussen_zaak_lezen_en_vastleggen_verliest_niets(tmp_path: Path) -> None:
    headers = {AUTH_HEADER: sign_auth_context(AuthContext(client_id="test-alles", heeft_alle_autorisaties=True),
                                              DEV_INTERNAL_SECRET)}
    async with fresh_database_url(tmp_path, "zaken_crash") as db_url:
        engine = create_engine(db_url)
        async with engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
        await engine.dispose()
        zaaktypen = await run(db_url, BASE, DEFAULT_RSIN)
        db = Database(db_url)
        port, log = free_port(), tmp_path / "zaken.log"
        proc = _start(db_url, port, log, None)
        try:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", headers=headers, timeout=10) as client:
                await _ready(client, proc, log)
                r = await client.post("/zaken/api/v1/zaken", json={
                    "bronorganisatie": DEFAULT_RSIN, "verantwoordelijkeOrganisatie": DEFAULT_RSIN,
                    "zaaktype": zaaktypen["WMO-HBH"], "startdatum": "2026-11-01"})
                assert r.status_code == 201, r.text
                zaak = r.json()["url"].replace(BASE, "")
                zaaktype = (await client.get(zaaktypen["WMO-HBH"].replace(BASE, ""))).json()
                roltypen = {(await client.get(u.replace(BASE, ""))).json()["omschrijving"]: u
                            for u in zaaktype["roltypen"]}
                r = await client.post("/zaken/api/v1/rollen", json={
                    "zaak": f"{BASE}{zaak}", "roltype": roltypen["Aanvrager"], "betrokkeneType": "natuurlijk_persoon",
                    "roltoelichting": "aanvrager", "betrokkeneIdentificatie": {"inpBsn": BSN}})
                assert r.status_code == 201, r.text
                _stop(proc)

                answered: list[str] = []

                async def read(trace: str) -> httpx.Response:
                    return await client.get(zaak, headers={"traceparent": f"00-{trace}-00f067aa0ba902b7-01"})

                # Killed with the record in the transaction, before the commit: no answer, no record.
                proc = _start(db_url, port, log, f"{CRASH_VOOR_COMMIT}:1")
                await _ready(client, proc, log)
                with pytest.raises(httpx.TransportError):
                    await read("1" * 32)
                assert proc.wait(timeout=10) == -9
                assert await _reads(db) == []

                # Killed after the commit, before the answer: no answer, and the record is kept.
                proc = _start(db_url, port, log, f"{CRASH_NA_COMMIT}:1")
                await _ready(client, proc, log)
                with pytest.raises(httpx.TransportError):
                    await read("2" * 32)
                assert proc.wait(timeout=10) == -9
                assert await _reads(db) == ["2" * 32]

                # After the restart: answered, and every answered read has its record.
                proc = _start(db_url, port, log, None)
                await _ready(client, proc, log)
                for trace in ("3" * 32, "4" * 32):
                    r = await read(trace)
                    assert r.status_code == 200 and len(r.json()["rollen"]) == 1, r.text
                    answered.append(trace)
                assert set(answered) <= set(await _reads(db))
                assert await _reads(db) == ["2" * 32, *answered]
        finally:
            _stop(proc)
            await db.dispose()
