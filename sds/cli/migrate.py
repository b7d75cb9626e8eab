"""`sds migrate`: bring every service's database (or one's) to the latest revision."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from sds.cli.database import migrate
from sds.cli.suite import SERVICES, default_database_url, display_database, service_database_url


def database_url_for(service: str, *, data_dir: Path, database_url: str | None, single: bool,
                     environ: Mapping[str, str]) -> str:
    """``--database-url`` is the suite's URL (each service derives its own database from it, as in `sds up`);
    ``SDS_DATABASE_URL`` is one service's own URL, exactly as that service process reads it, so it only
    applies with ``--service`` (a container that migrates its own database before it starts)."""
    if database_url:
        return service_database_url(database_url, service)
    if single and environ.get("SDS_DATABASE_URL"):
        return environ["SDS_DATABASE_URL"]
    return default_database_url(data_dir.resolve(), service)


def run_migrate(service: str | None, data_dir: Path, database_url: str | None,
                environ: Mapping[str, str] | None = None) -> int:
    environ = os.environ if environ is None else environ
    for name in [service] if service else SERVICES:
        url = database_url_for(name, data_dir=data_dir, database_url=database_url, single=service is not None,
                               environ=environ)
        try:
            result = migrate(name, url)
        except Exception as exc:  # report which service failed and why; the others are left as they are
            print(f"sds migrate: migrating {name} ({display_database(url)}) failed: {type(exc).__name__}: {exc}",
                  flush=True)
            return 1
        created = " (database created)" if result.created else ""
        print(f"{name:<14} {display_database(url)} at {result.revision}{created}", flush=True)
    return 0
