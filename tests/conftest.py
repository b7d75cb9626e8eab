"""What the whole test run shares: the database backend this run is for, and a nats-server fixture."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.databases import BACKEND, wait_for_drops
from tests.support.natsserver import NatsServer


@pytest.fixture
def nats_server(tmp_path: Path) -> Iterator[NatsServer]:
    """A nats-server of the test's own on a free port, which the test may kill and restart."""
    server = NatsServer(tmp_path / "nats").start()
    try:
        yield server
    finally:
        server.stop()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Each pass of `make test` runs what its backend can tell apart, and leaves the rest out (deselected, not
    # reported as skipped): tests that only make sense on PostgreSQL are not run in the SQLite pass, and tests of the
    # embedded default (SQLite files and the suite's own nats-server, whatever the backend) only in the SQLite pass
    # — in the PostgreSQL pass they would run the very same thing a second time.
    keep, leave = [], []
    for item in items:
        if BACKEND == "postgres":
            out = item.get_closest_marker("embedded") is not None
        else:
            out = item.get_closest_marker("postgres") is not None or "postgres_url" in getattr(
                item, "fixturenames", ())
        (leave if out else keep).append(item)
    if leave:
        config.hook.pytest_deselected(items=leave)
        items[:] = keep


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    wait_for_drops()
