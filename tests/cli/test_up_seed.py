"""Whether `sds up` loads the reference catalogue into zaken: on the embedded default once (the first start),
never with --no-seed, and with --database-url only when --seed asks.

The seeding step runs here as `sds up` runs it (after the migrations, the zaken seed module in a process of
its own) without starting nats-server and the services: what it leaves in the zaken database is the point.
The last test starts the whole suite twice; the full first start is in test_up_first_start.py.
"""

from __future__ import annotations

import asyncio
import signal
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from sds.cli.main import build_parser
from sds.cli.suite import GATEWAY
from sds.cli.up import Up, UpOptions
from sds.runtime.settings import sqlite_path
from tests.cli.conftest import embedded_env, production_env, start_up
from tests.cli.test_up import _databases_like, _drop_databases
from tests.support.databases import BACKEND, POSTGRES_URL


def _zaaktypen(up: Up) -> int:
    path = sqlite_path(up.databases["zaken"])
    if path is not None:
        with sqlite3.connect(path) as conn:
            return int(conn.execute("SELECT count(*) FROM zaaktypen").fetchone()[0])
    return asyncio.run(_count_postgres(up.databases["zaken"]))


async def _count_postgres(database_url: str) -> int:
    conn = await asyncpg.connect(make_url(database_url).set(drivername="postgresql").render_as_string(
        hide_password=False))
    try:
        return int(await conn.fetchval("SELECT count(*) FROM zaaktypen"))
    finally:
        await conn.close()


def _prepared(options: UpOptions, environ: dict[str, str]) -> Up:
    """An `sds up` up to its seeding step: directories made, gateway port known, every database migrated."""
    up = Up(options, environ)
    up.log_dir.mkdir(parents=True, exist_ok=True)
    up.ports = {GATEWAY: 8000}
    up.migrate_all()
    return up


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """A suite database URL outside the embedded default: PostgreSQL on a PostgreSQL run, else SQLite files."""
    if BACKEND != "postgres":
        yield f"sqlite:///{tmp_path / 'elders' / 'sds.db'}"
        return
    prefix = f"sdsseed_{uuid.uuid4().hex[:10]}"
    try:
        yield make_url(POSTGRES_URL).set(database=prefix).render_as_string(hide_password=False)
    finally:
        asyncio.run(_drop_databases(asyncio.run(_databases_like(prefix))))


@pytest.mark.embedded
def test_the_embedded_default_seeds_on_its_first_start_and_adds_nothing_after(tmp_path: Path) -> None:
    up = _prepared(UpOptions(data_dir=tmp_path / "data"), embedded_env())
    assert up.seed_catalogue() == "loaded 9 published zaaktypen in 5 catalogussen"
    assert _zaaktypen(up) == 9
    again = _prepared(UpOptions(data_dir=tmp_path / "data"), embedded_env())
    assert again.seed_catalogue() == "zaken already has a catalogue, left as it is"
    assert _zaaktypen(again) == 9
    assert "left as it is" in (tmp_path / "data" / "logs" / "seed.log").read_text()


@pytest.mark.embedded
def test_no_seed_leaves_the_catalogue_out(tmp_path: Path) -> None:
    up = _prepared(UpOptions(data_dir=tmp_path / "data", seed=False), embedded_env())
    assert up.seed_catalogue().startswith("not loaded (--no-seed)")
    assert _zaaktypen(up) == 0


def test_with_a_database_url_nothing_is_seeded_unless_seed_asks(tmp_path: Path, database_url: str) -> None:
    env = production_env()
    up = _prepared(UpOptions(data_dir=tmp_path / "data", database_url=database_url), env)
    assert up.seed_catalogue() == "not loaded: not the embedded default (--seed loads it)"
    assert _zaaktypen(up) == 0
    asked = _prepared(UpOptions(data_dir=tmp_path / "data", database_url=database_url, seed=True), env)
    assert asked.seed_catalogue() == "loaded 9 published zaaktypen in 5 catalogussen"
    assert _zaaktypen(asked) == 9


@pytest.mark.embedded
def test_a_failing_seed_stops_start_up_and_shows_its_log(tmp_path: Path) -> None:
    from sds.cli.errors import StartupFailure

    up = Up(UpOptions(data_dir=tmp_path / "data"), embedded_env())
    up.log_dir.mkdir(parents=True)
    up.ports = {GATEWAY: 8000}
    # Not migrated: zaken has no tables, so the seed module fails, and start-up must not go on without it.
    with pytest.raises(StartupFailure) as failure:
        up.seed_catalogue()
    assert "loading the reference catalogue into zaken" in str(failure.value)
    assert failure.value.logs == [tmp_path / "data" / "logs" / "seed.log"]
    assert "catalogussen" in failure.value.logs[0].read_text()


@pytest.mark.parametrize(("argv", "seed"), [([], None), (["--seed"], True), (["--no-seed"], False)])
def test_the_seed_flags(argv: list[str], seed: bool | None) -> None:
    assert build_parser().parse_args(["up", *argv]).seed is seed


@pytest.mark.embedded
def test_a_second_sds_up_on_the_same_data_adds_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    for start, said in enumerate(("loaded 9 published zaaktypen in 5 catalogussen",
                                  "zaken already has a catalogue, left as it is")):
        run = start_up(data)
        try:
            state = run.wait_running()
            assert said in run.output(), run.output()
            assert state["catalogue"] == said
            run.proc.send_signal(signal.SIGTERM)
            assert run.wait_exit() == 0
        finally:
            run.kill_everything()
        with sqlite3.connect(data / "zaken.db") as conn:
            assert conn.execute("SELECT count(*) FROM zaaktypen").fetchone()[0] == 9, start
            assert conn.execute("SELECT count(*) FROM catalogussen").fetchone()[0] == 5, start
