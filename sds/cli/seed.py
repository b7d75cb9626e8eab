"""The social domain's reference catalogue, loaded into zaken: by `sds seed catalogus`, and by `sds up` on the
first start of the embedded default.

The zaken service's own seed module does the work in a process of its own: the CLI imports no service.
"""

from __future__ import annotations

import sys


def seed_catalogus_argv(zaken_database_url: str, public_base_url: str | None = None, rsin: str | None = None,
                        if_empty: bool = False) -> list[str]:
    argv = [sys.executable, "-m", "services.zaken.seed_catalogus", "--database-url", zaken_database_url]
    if public_base_url:
        argv += ["--public-base-url", public_base_url]
    if rsin:
        argv += ["--rsin", rsin]
    if if_empty:
        argv.append("--if-empty")
    return argv
