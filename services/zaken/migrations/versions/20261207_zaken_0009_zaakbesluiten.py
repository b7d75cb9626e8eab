"""Zaakbesluiten: a zaak's relations to besluiten, kept in step by the Besluiten API.

Revision ID: zaken_0009_zbs
Revises: zaken_0008_geo
Create Date: 2026-12-07 02:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "zaken_0009_zbs"
down_revision = "zaken_0008_geo"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "zaakbesluiten",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("zaak_id", _ID, nullable=False),
        sa.Column("besluit", sa.String(length=1000), nullable=False),
        sa.ForeignKeyConstraint(["zaak_id"], ["zaken.id"], name=op.f("fk_zaakbesluiten_zaak_id_zaken"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_zaakbesluiten")),
        sa.UniqueConstraint("uuid", name=op.f("uq_zaakbesluiten_uuid")),
        sa.UniqueConstraint("zaak_id", "besluit", name=op.f("uq_zaakbesluiten_zaak_id")),
    )
    op.create_index(op.f("ix_zaakbesluiten_zaak_id"), "zaakbesluiten", ["zaak_id"], unique=False)


def downgrade() -> None:
    op.drop_table("zaakbesluiten")
