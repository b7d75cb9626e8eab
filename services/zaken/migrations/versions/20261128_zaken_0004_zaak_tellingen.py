"""Per-zaaktype counts of zaken, kept with every create and delete, filled from the zaken already there.

Revision ID: zaken_0004
Revises: zaken_0003
Create Date: 2026-11-28 14:13:21.335616
"""

import sqlalchemy as sa
from alembic import op

revision = "zaken_0004"
down_revision = "zaken_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "zaak_tellingen",
        sa.Column(
            "zaaktype_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=False, nullable=False
        ),
        sa.Column("aantal", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["zaaktype_id"], ["zaaktypen.id"], name=op.f("fk_zaak_tellingen_zaaktype_id_zaaktypen")
        ),
        sa.PrimaryKeyConstraint("zaaktype_id", name=op.f("pk_zaak_tellingen")),
    )
    op.execute("INSERT INTO zaak_tellingen (zaaktype_id, aantal) SELECT zaaktype_id, count(*) FROM zaken "
               "GROUP BY zaaktype_id")


def downgrade() -> None:
    op.drop_table("zaak_tellingen")
