"""The verplichtingen per year, kolom, cluster and aanbieder, kept with every write of a toewijzing, and the
realisatie the same way, kept with every declaratie, so the budgetmonitor reads a few rows instead of summing
every toewijzing and declared line (683 ms at 1,000,000 toewijzingen); filled from what there is.

Revision ID: financien_0005
Revises: financien_0004
Create Date: 2026-12-07 10:41:07.530118
"""

import sqlalchemy as sa
from alembic import op

revision = "financien_0005"
down_revision = "financien_0004"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
LOPEND = ("toegewezen", "gestart", "gestopt", "beeindigd")


def _per_jaar(name: str) -> sa.Table:
    table = op.create_table(
        name,
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("sleutel", sa.String(length=120), nullable=False),
        sa.Column("jaar", sa.Integer(), nullable=False),
        sa.Column("kolom", sa.String(length=20), nullable=False),
        sa.Column("cluster", sa.String(length=63), nullable=True),
        sa.Column("aanbieder_id", _ID, nullable=False),
        sa.Column("bedrag", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["aanbieder_id"], ["aanbieders.id"], name=op.f(f"fk_{name}_aanbieder_id_aanbieders")),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
        sa.UniqueConstraint("sleutel", name=op.f(f"uq_{name}_sleutel")),
    )
    with op.batch_alter_table(name, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f"ix_{name}_jaar"), ["jaar"], unique=False)
    return table


def _fill(table: sa.Table, stmt: sa.Select) -> None:  # type: ignore[type-arg]
    """Rows summed per day in SQL (a year is not extracted alike on both databases), per year here."""
    sums: dict[tuple[int, str, str | None, int], int] = {}
    for row in op.get_bind().execute(stmt):
        key = (row.begindatum.year, row.kolom, row.cluster, int(row.aanbieder_id))
        sums[key] = sums.get(key, 0) + int(row.bedrag)
    rows = [{"sleutel": f"{j}|{k}|{c or ''}|{a}", "jaar": j, "kolom": k, "cluster": c, "aanbieder_id": a,
             "bedrag": bedrag} for (j, k, c, a), bedrag in sorted(sums.items(), key=lambda i: str(i[0]))]
    if rows:
        op.bulk_insert(table, rows)


def upgrade() -> None:
    verplichtingen = _per_jaar("verplichtingen_per_jaar")
    realisatie = _per_jaar("realisatie_per_jaar")

    t = sa.table("toewijzingen", sa.column("begindatum", sa.Date()), sa.column("kolom", sa.String()),
                 sa.column("cluster", sa.String()), sa.column("aanbieder_id", _ID), sa.column("status", sa.String()),
                 sa.column("verplichting", sa.BigInteger()))
    _fill(verplichtingen, sa.select(t.c.begindatum, t.c.kolom, t.c.cluster, t.c.aanbieder_id,
                                    sa.func.sum(t.c.verplichting).label("bedrag"))
          .where(t.c.status.in_(LOPEND), t.c.aanbieder_id.is_not(None))
          .group_by(t.c.begindatum, t.c.kolom, t.c.cluster, t.c.aanbieder_id))
    r = sa.table("declaratie_regels", sa.column("declaratie_id", _ID), sa.column("begindatum", sa.Date()),
                 sa.column("kolom", sa.String()), sa.column("cluster", sa.String()),
                 sa.column("retourcode", sa.String()), sa.column("bedrag", sa.BigInteger()))
    d = sa.table("declaraties", sa.column("id", _ID), sa.column("aanbieder_id", _ID))
    _fill(realisatie, sa.select(r.c.begindatum, r.c.kolom, r.c.cluster, d.c.aanbieder_id,
                                sa.func.sum(r.c.bedrag).label("bedrag"))
          .join(d, d.c.id == r.c.declaratie_id).where(r.c.retourcode == "0200", r.c.kolom.is_not(None))
          .group_by(r.c.begindatum, r.c.kolom, r.c.cluster, d.c.aanbieder_id))


def downgrade() -> None:
    for name in ("realisatie_per_jaar", "verplichtingen_per_jaar"):
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{name}_jaar"))
        op.drop_table(name)
