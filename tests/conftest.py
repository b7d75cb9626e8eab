"""What the whole test run shares: the database backend this run is for, and a nats-server fixture."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.databases import BACKEND
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
    # Tests that only make sense on PostgreSQL belong to the PostgreSQL pass of `make test`: in the
    # SQLite pass they are left out of the run (deselected), not reported as skipped.
    if BACKEND == "postgres":
        return
    keep, leave = [], []
    for item in items:
        needs_postgres = item.get_closest_marker("postgres") is not None or "postgres_url" in getattr(
            item, "fixturenames", ())
        (leave if needs_postgres else keep).append(item)
    if leave:
        config.hook.pytest_deselected(items=leave)
        items[:] = keep
