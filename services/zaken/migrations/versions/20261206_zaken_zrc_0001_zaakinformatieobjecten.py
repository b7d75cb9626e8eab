"""Zaakinformatieobjecten: a zaak's relations to informatieobjecten in a (configured, external) Documenten API.

Revision ID: zaken_zrc_0001
Revises: zaken_0007_ztiot
Create Date: 2026-12-06 13:15:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "zaken_zrc_0001"
down_revision = "zaken_0007_ztiot"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "zaakinformatieobjecten",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("zaak_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("informatieobject", sa.String(length=1000), nullable=False),
        sa.Column("registratiedatum", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "gegevens", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["zaak_id"], ["zaken.id"], name=op.f("fk_zaakinformatieobjecten_zaak_id_zaken"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_zaakinformatieobjecten")),
        sa.UniqueConstraint("uuid", name=op.f("uq_zaakinformatieobjecten_uuid")),
        sa.UniqueConstraint("zaak_id", "informatieobject", name=op.f("uq_zaakinformatieobjecten_zaak_id")),
    )
    with op.batch_alter_table("zaakinformatieobjecten", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_zaakinformatieobjecten_zaak_id"), ["zaak_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_zaakinformatieobjecten_informatieobject"), ["informatieobject"],
                              unique=False)


def downgrade() -> None:
    op.drop_table("zaakinformatieobjecten")
