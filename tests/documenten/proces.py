"""The documenten service as a real uvicorn process (for what only a process shows: its memory, a SIGKILL), with
the zaken service under uvicorn in a thread beside it (the Catalogi API it fetches informatieobjecttypen from)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from sds.runtime.db import create_engine
from sds.runtime.migrations import upgrade
from sds.runtime.settings import ServiceSettings
from services.zaken.app import create_app as create_zaken
from services.zaken.seed_catalogus import DEFAULT_RSIN, run
from tests.support.databases import fresh_database_url
from tests.support.natsserver import free_port
from tests.support.servers import listening_socket, serve
from tests.zaken.conftest import headers

ROOT = Path(__file__).resolve().parents[2]
MIGRATIONS = ROOT / "services" / "documenten" / "migrations"


@dataclass
class Proces:
    base: str  # the suite's public base: the zaken service's address, and the documenten service's URLs under it
    db_url: str
    store: Path
    log: Path
    iotype: str
    proc: subprocess.Popen[bytes] | None = None
    port: int = 0

    @property
    def api(self) -> str:
        return f"http://127.0.0.1:{self.port}/documenten/api/v1"

    def public(self, url: str) -> str:
        """A URL the service answers with (under the public base) as this process's own address."""
        return url.replace(f"{self.base}/documenten/api/v1", self.api)

    def _spawn(self, crash_at: str | None) -> subprocess.Popen[bytes]:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "SDS_ENV": "dev", "SDS_DATABASE_URL": self.db_url,
               "SDS_NATS_URL": "nats://127.0.0.1:1", "SDS_PUBLIC_BASE_URL": self.base, "SDS_ZAKEN_URL": self.base,
               "SDS_STORAGE_DIR": str(self.store), "SDS_LOG_LEVEL": "WARNING"}
        env.pop("SDS_CRASH_AT", None)
        if crash_at:
            env["SDS_CRASH_AT"] = crash_at
        with open(self.log, "ab") as out:
            return subprocess.Popen(
                [sys.executable, "-m", "uvicorn", "--factory", "services.documenten.app:create_app", "--host",
                 "127.0.0.1", "--port", str(self.port), "--no-access-log"], cwd=ROOT, env=env, stdout=out, stderr=out)

    async def start(self, crash_at: str | None = None) -> None:
        """Start the process (killed at ``crash_at``, when given) and wait until it answers."""
        self.port = free_port()
        self.proc = self._spawn(crash_at)
        deadline = time.monotonic() + 30
        async with httpx.AsyncClient() as client:
            while True:
                assert self.proc.poll() is None, self.tail()
                try:
                    if (await client.get(f"{self.api}/openapi.json")).status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, self.tail()
                await asyncio.sleep(0.1)

    def kill(self) -> None:
        assert self.proc is not None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def died(self) -> bool:
        assert self.proc is not None
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            return False
        return self.proc.returncode == -signal.SIGKILL

    def tail(self) -> str:
        return self.log.read_text()[-3000:] if self.log.exists() else ""

    def client(self, **kwargs: Any) -> httpx.AsyncClient:
        return httpx.AsyncClient(headers=headers(), timeout=120, **kwargs)


@asynccontextmanager
async def documenten_proces(tmp_path: Path) -> AsyncIterator[Proces]:
    sock = listening_socket()
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    async with fresh_database_url(tmp_path, "zaken") as zaken_url, \
            fresh_database_url(tmp_path, "documenten") as db_url:
        zaken = create_zaken(ServiceSettings(service="zaken", env="dev", database_url=zaken_url,
                                             nats_url="nats://127.0.0.1:1", public_base_url=base))
        engine = create_engine(zaken_url)
        async with engine.begin() as conn:
            await conn.run_sync(zaken.state.metadata.create_all)
        await engine.dispose()
        await run(zaken_url, base, DEFAULT_RSIN)
        await asyncio.to_thread(upgrade, MIGRATIONS, db_url)
        with serve(zaken, sock):
            async with httpx.AsyncClient(headers=headers()) as client:
                page = (await client.get(f"{base}/catalogi/api/v1/informatieobjecttypen?status=definitief")).json()
            proces = Proces(base=base, db_url=db_url, store=tmp_path / "store", log=tmp_path / "documenten.log",
                            iotype=page["results"][0]["url"])
            try:
                yield proces
            finally:
                if proces.proc is not None:
                    proces.kill()
