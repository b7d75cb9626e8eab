"""Figures kept ahead of the query: per household its items per (indicator, period key, kolom), the counts per
masker, and the lead times' distribution per period key and masker; the zaken that wait for
their aanvraag.

The tables start empty: after this upgrade, ``sds beleidsinfo rebuild`` fills them from the stream (the
projection keeps them from then on).

Revision ID: beleidsinfo_0004
Revises: beleidsinfo_0003
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "beleidsinfo_0004"
down_revision = "beleidsinfo_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bi_wachtende_zaken",
        sa.Column("aanvraag", sa.String(length=32), nullable=False),
        sa.Column("zaak", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("aanvraag", "zaak", name=op.f("pk_bi_wachtende_zaken")),
    )
    op.create_table(
        "bi_huishouden_perioden",
        sa.Column("huishouden", sa.String(length=32), nullable=False),
        sa.Column("tellers", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                  nullable=False),
        sa.PrimaryKeyConstraint("huishouden", name=op.f("pk_bi_huishouden_perioden")),
    )
    op.create_table(
        "bi_tellingen",
        sa.Column("indicator", sa.String(length=30), nullable=False),
        sa.Column("periode", sa.Integer(), nullable=False),
        sa.Column("masker", sa.Integer(), nullable=False),
        sa.Column("huishoudens", sa.Integer(), nullable=False),
        sa.Column("aantal", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("indicator", "periode", "masker", name=op.f("pk_bi_tellingen")),
    )
    op.create_table(
        "bi_doorlooptijden",
        sa.Column("periode", sa.Integer(), nullable=False),
        sa.Column("masker", sa.Integer(), nullable=False),
        sa.Column("soort", sa.String(length=1), nullable=False),
        sa.Column("dagen", sa.Integer(), nullable=False),
        sa.Column("aantal", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("periode", "masker", "soort", "dagen", name=op.f("pk_bi_doorlooptijden")),
    )


def downgrade() -> None:
    op.drop_table("bi_doorlooptijden")
    op.drop_table("bi_tellingen")
    op.drop_table("bi_huishouden_perioden")
    op.drop_table("bi_wachtende_zaken")
