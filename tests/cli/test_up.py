"""One `sds up` shared by the tests of this module, on the backend the run selects; the last test stops it.

SQLite (default): the embedded default, with its development secrets. PostgreSQL
(SDS_TEST_DATABASE=postgres): ``--database-url`` with a unique name prefix, secrets from the environment.
"""

from __future__ import annotations

import asyncio
import signal
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import psutil
import pytest
from sqlalchemy.engine import make_url

from sds.runtime.settings import DEV_BOOTSTRAP_SECRET
from tests.cli.conftest import SERVICES, UpRun, production_env, sds, start_up, still_there
from tests.support.databases import BACKEND, POSTGRES_URL


def _server_dsn() -> str:
    return make_url(POSTGRES_URL).set(drivername="postgresql", database="postgres").render_as_string(
        hide_password=False)


async def _databases_like(prefix: str) -> set[str]:
    conn = await asyncpg.connect(_server_dsn())
    try:
        rows = await conn.fetch("SELECT datname FROM pg_database WHERE datname LIKE $1", prefix + "\\_%")
        return {row["datname"] for row in rows}
    finally:
        await conn.close()


async def _drop_databases(names: set[str]) -> None:
    conn = await asyncpg.connect(_server_dsn())
    try:
        for name in names:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


class Suite:
    def __init__(self, run: UpRun, state: dict[str, Any], prefix: str | None) -> None:
        self.run = run
        self.state = state
        self.prefix = prefix  # PostgreSQL database name prefix, None on SQLite

    def part(self, name: str) -> dict[str, Any]:
        return next(p for p in self.state["parts"] if p["name"] == name)

    def pids(self) -> set[int]:
        return {p["pid"] for p in self.state["parts"]} | {self.state["nats"]["pid"]}


@pytest.fixture(scope="module")
def suite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Suite]:
    data_dir = tmp_path_factory.mktemp("up") / "data"
    prefix = None
    if BACKEND == "postgres":
        prefix = f"sdscli_{uuid.uuid4().hex[:10]}"
        url = make_url(POSTGRES_URL).set(database=prefix).render_as_string(hide_password=False)
        run = start_up(data_dir, "--database-url", url, "--archetype", "geclusterd-integraal", env=production_env())
    else:
        run = start_up(data_dir, "--archetype", "geclusterd-integraal")
    try:
        state = run.wait_running()
        yield Suite(run, state, prefix)
    finally:
        run.kill_everything()
        if prefix:
            asyncio.run(_drop_databases(asyncio.run(_databases_like(prefix))))


def test_every_service_is_ready_and_the_gateway_lives(suite: Suite) -> None:
    with httpx.Client(timeout=5, trust_env=False) as client:
        gateway = client.get(suite.part("gateway")["url"] + "/health/live")
        assert gateway.status_code == 200, gateway.text
        for service in SERVICES:
            ready = client.get(suite.part(service)["url"] + "/health/ready")
            assert ready.status_code == 200, (service, ready.text)
            assert ready.json()["checks"] == {"database": "ok", "nats": "ok"}
            assert ready.json()["service"] == service


def test_each_part_runs_as_its_own_process_on_its_own_port(suite: Suite) -> None:
    parts = suite.state["parts"]
    assert sorted(p["name"] for p in parts) == sorted([*SERVICES, "gateway"])
    assert suite.part("gateway")["port"] == suite.run.port
    assert len({p["port"] for p in parts}) == len(parts)
    assert len(suite.pids()) == len(parts) + 1
    # Every recorded pid is a live child of `sds up`, so stopping `sds up` can account for all of them.
    children = {c.pid for c in psutil.Process(suite.run.proc.pid).children(recursive=True)}
    assert suite.pids() <= children


def test_each_service_has_its_own_database(suite: Suite) -> None:
    databases = {p["name"]: p["database"] for p in suite.state["parts"] if p["kind"] == "service"}
    if suite.prefix is None:
        assert databases == {s: str(suite.run.data_dir.resolve() / f"{s}.db") for s in SERVICES}
        assert all(Path(path).is_file() for path in databases.values())
    else:
        assert asyncio.run(_databases_like(suite.prefix)) == {f"{suite.prefix}_{s}" for s in SERVICES}
        assert all(databases[s].endswith(f"/{suite.prefix}_{s}") for s in SERVICES)


def test_the_table_tells_where_everything_is(suite: Suite) -> None:
    output = suite.run.output()
    for part in suite.state["parts"]:
        assert any(part["name"] in line and part["url"] in line and str(part["pid"]) in line
                   for line in output.splitlines()), (part, output)
    assert suite.state["nats"]["url"] in output
    assert "archetype: geclusterd-integraal" in output
    if suite.prefix is None:
        assert DEV_BOOTSTRAP_SECRET in output and "jwt.encode" in output
    else:
        # Outside the embedded default the secrets come from the environment and are never printed.
        assert "cli-test-bootstrap-secret" not in output and "sds-dev" not in output


def test_the_processes_get_the_archetype_and_the_right_environment(suite: Suite) -> None:
    for part in suite.state["parts"]:
        env = psutil.Process(part["pid"]).environ()
        assert env["SDS_ARCHETYPE"] == "geclusterd-integraal"
        assert env["SDS_PUBLIC_BASE_URL"] == suite.part("gateway")["url"]
        assert env["SDS_NATS_URL"] == suite.state["nats"]["url"]
        assert env.get("SDS_ENV") == ("dev" if suite.prefix is None else None)
        if part["kind"] == "service":
            assert "SDS_BOOTSTRAP_SECRET" not in env
    gateway_env = psutil.Process(suite.part("gateway")["pid"]).environ()
    for service in SERVICES:
        assert gateway_env[f"SDS_UPSTREAM_{service.upper()}"] == suite.part(service)["url"]


def test_status_reports_every_part_up(suite: Suite) -> None:
    result = sds("status", "--data-dir", str(suite.run.data_dir))
    assert result.returncode == 0, result.stdout + result.stderr
    for part in suite.state["parts"]:
        assert any(line.split()[:1] == [part["name"]] and line.rstrip().endswith("up")
                   for line in result.stdout.splitlines()), result.stdout
    assert "all parts are up" in result.stdout


def test_a_second_up_on_the_same_data_dir_is_refused(suite: Suite) -> None:
    env = production_env() if suite.prefix else None
    result = sds("up", "--data-dir", str(suite.run.data_dir), "--port", "0", env=env, timeout=30)
    assert result.returncode == 2
    assert "already runs" in result.stderr


def test_sigterm_stops_every_process(suite: Suite) -> None:
    """Runs last in this module: it ends the shared suite."""
    run = suite.run
    run.note_children()
    children = set(run.seen_children)
    assert suite.pids() <= children
    # Ctrl-C (SIGINT) on PostgreSQL, SIGTERM on SQLite: both ask for the same orderly stop.
    sig = signal.SIGINT if suite.prefix else signal.SIGTERM
    started = time.monotonic()
    run.proc.send_signal(sig)
    assert run.wait_exit(timeout=40) == 0, run.output()
    # Checked at once, without waiting: `sds up` must have stopped and reaped them itself.
    assert still_there(children) == [], run.output()
    assert time.monotonic() - started < 30
    assert not (run.data_dir / "sds-state.json").exists()
    assert f"{sig.name} received: stopping" in run.output()
    status = sds("status", "--data-dir", str(run.data_dir))
    assert status.returncode == 1
