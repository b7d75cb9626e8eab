"""`sds seed catalogus` loads the social domain's catalogue into the zaken database, once."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.cli.conftest import sds


def _count(db: Path, table: str) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def test_seed_catalogus_loads_published_zaaktypen_per_kolom_and_is_idempotent(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert sds("migrate", "--data-dir", str(data)).returncode == 0
    first = sds("seed", "catalogus", "--data-dir", str(data))
    assert first.returncode == 0, first.stderr
    assert "WMO-HBH" in first.stdout and "/catalogi/api/v1/zaaktypen/" in first.stdout
    zaaktypen, catalogussen = _count(data / "zaken.db", "zaaktypen"), _count(data / "zaken.db", "catalogussen")
    assert catalogussen == 5 and zaaktypen >= 9
    again = sds("seed", "catalogus", "--data-dir", str(data))
    assert again.returncode == 0, again.stderr
    assert _count(data / "zaken.db", "zaaktypen") == zaaktypen
