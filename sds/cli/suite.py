"""What the suite is made of, as the CLI sees it: names, module paths, migration folders, databases.

The CLI starts services and the gateway by module path and finds their migrations by file path, so
it never imports their code (and stays a thin supervisor whatever they grow into).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from sqlalchemy.engine import make_url

from sds.cli.errors import UsageError
from sds.runtime.settings import sqlite_path

# Start order; the gateway comes after them all.
SERVICES = ("intake", "zaken", "klantgegevens", "financien", "beleidsinfo", "notificaties", "documenten")
GATEWAY = "gateway"
# What only one process of a service may do, and the environment that tells its other processes (under
# `sds up --replicas N`) to leave it: notificaties' delivery worker hands each levering out once, per process.
ONE_PROCESS_DUTIES: dict[str, dict[str, str]] = {"notificaties": {"SDS_DELIVERY_WORKER": "false"}}
GATEWAY_FACTORY = "gateway.app:create_app"
# The profile `sds up` runs with when none is named: totaal-integraal shows the suite's idea most fully (one
# access to the whole social domain, and for a household with questions in several kolommen one integral
# zaak with one plan and one regisseur: "één gezin, één plan, één regisseur").
DEFAULT_ARCHETYPE = "totaal-integraal"


def replica_name(service: str, index: int) -> str:
    """The name of a service's ``index``-th process (0: the first, which keeps the service's own name)."""
    return service if index == 0 else f"{service}-{index + 1}"


def service_factory(service: str) -> str:
    return f"services.{service}.app:create_app"


def migrations_dir(service: str) -> Path:
    # find_spec on the top-level package locates it without running services/__init__.py.
    spec = importlib.util.find_spec("services")
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        candidate = Path(location) / service / "migrations"
        if (candidate / "env.py").is_file():
            return candidate
    raise UsageError(f"no migrations found for service {service!r} (looked in {locations or 'nowhere'})")


def is_postgres(url: str) -> bool:
    return make_url(url).get_backend_name() == "postgresql"


def default_database_url(data_dir: Path, service: str) -> str:
    return f"sqlite:///{(data_dir / f'{service}.db').resolve()}"


def service_database_url(base_url: str, service: str) -> str:
    """The database of one service derived from the suite's URL: every service owns its own database.

    ``postgresql://h/sds`` gives ``postgresql://h/sds_zaken``; ``sqlite:///d/sds.db`` gives
    ``sqlite:///d/sds_zaken.db``.
    """
    try:
        url = make_url(base_url)
    except Exception as exc:  # sqlalchemy raises ArgumentError or ValueError depending on the flaw
        raise UsageError(f"not a database URL: {base_url!r} ({exc})") from exc
    backend = url.get_backend_name()
    if backend == "postgresql":
        if not url.database:
            raise UsageError(f"the PostgreSQL URL needs a database name to derive from, e.g. {base_url}/sds")
        return url.set(database=f"{url.database}_{service}").render_as_string(hide_password=False)
    if backend == "sqlite":
        path = sqlite_path(base_url)
        if path is None:
            raise UsageError("an in-memory SQLite database cannot be shared by separate processes")
        suffix = path.suffix or ".db"
        return f"sqlite:///{path.with_name(f'{path.stem}_{service}{suffix}').resolve()}"
    raise UsageError(f"unsupported database {backend!r}: use a postgresql:// or sqlite:/// URL")


def display_database(url: str) -> str:
    """How a database is shown to people: a SQLite file path, or the URL without its password."""
    path = sqlite_path(url)
    if path is not None:
        return str(path)
    return make_url(url).render_as_string(hide_password=True)
