"""Documenten API: verzendingen of a document.

Revision ID: documenten_0003
Revises: documenten_0002
Create Date: 2026-12-07 10:10:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "documenten_0003"
down_revision = "documenten_0002"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "verzendingen",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("informatieobject_id", _ID, nullable=False),
        sa.Column("aard_relatie", sa.String(length=20), nullable=False),
        sa.Column("betrokkene", sa.String(length=200), nullable=False),
        sa.Column("gegevens", _JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["informatieobject_id"],
            ["documenten.id"],
            name=op.f("fk_verzendingen_informatieobject_id_documenten"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verzendingen")),
        sa.UniqueConstraint("uuid", name=op.f("uq_verzendingen_uuid")),
    )
    with op.batch_alter_table("verzendingen", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_verzendingen_betrokkene"), ["betrokkene"], unique=False)
        batch_op.create_index(batch_op.f("ix_verzendingen_informatieobject_id"), ["informatieobject_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("verzendingen", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_verzendingen_informatieobject_id"))
        batch_op.drop_index(batch_op.f("ix_verzendingen_betrokkene"))

    op.drop_table("verzendingen")
