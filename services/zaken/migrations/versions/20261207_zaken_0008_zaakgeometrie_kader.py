"""The bounding box of a zaak's zaakgeometrie, for POST /zaken/_zoek with zaakgeometrie.within; existing zaken
get theirs from the geometry they hold.

Revision ID: zaken_0008_geo
Revises: zaken_zrc_0001
Create Date: 2026-12-07 02:10:00
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "zaken_0008_geo"
down_revision = "zaken_zrc_0001"
branch_labels = None
depends_on = None

_KADER = ("geo_xmin", "geo_ymin", "geo_xmax", "geo_ymax")


def _bounds(coordinates: object) -> tuple[float, float, float, float] | None:
    """min x, min y, max x, max y of any GeoJSON coordinates (nested lists of [x, y, ...])."""
    points: list[tuple[float, float]] = []

    def walk(value: object) -> None:
        if isinstance(value, list) and value and all(isinstance(v, (int, float)) for v in value):
            if len(value) >= 2:
                points.append((float(value[0]), float(value[1])))
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(coordinates)
    if not points:
        return None
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def upgrade() -> None:
    with op.batch_alter_table("zaken") as batch:
        for column in _KADER:
            batch.add_column(sa.Column(column, sa.Float(), nullable=True))
    op.create_index("ix_zaken_geo_kader", "zaken", ["geo_xmin", "geo_ymin"], unique=False)
    conn = op.get_bind()
    zaken = sa.table("zaken", sa.column("id", sa.BigInteger()), sa.column("gegevens", sa.JSON()),
                     *(sa.column(c, sa.Float()) for c in _KADER))
    last = 0
    while True:  # in batches by id, so a large table is never read whole
        rows = conn.execute(sa.select(zaken.c.id, zaken.c.gegevens).where(zaken.c.id > last)
                            .order_by(zaken.c.id).limit(5000)).all()
        if not rows:
            break
        last = rows[-1][0]
        for zaak_id, gegevens in rows:
            if isinstance(gegevens, str):
                gegevens = json.loads(gegevens)
            geometrie = (gegevens or {}).get("zaakgeometrie")
            box = _bounds(geometrie.get("coordinates")) if isinstance(geometrie, dict) else None
            if box is not None:
                conn.execute(sa.update(zaken).where(zaken.c.id == zaak_id).values(dict(zip(_KADER, box,
                                                                                       strict=True))))


def downgrade() -> None:
    op.drop_index("ix_zaken_geo_kader", table_name="zaken")
    with op.batch_alter_table("zaken") as batch:
        for column in reversed(_KADER):
            batch.drop_column(column)
