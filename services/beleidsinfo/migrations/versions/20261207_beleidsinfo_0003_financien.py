"""The projections of financien's events: toewijzingen, afwijzingen, declaraties per kolom and budgets.

Revision ID: beleidsinfo_0003
Revises: beleidsinfo_0002
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "beleidsinfo_0003"
down_revision = "beleidsinfo_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bi_toewijzingen",
        sa.Column("toewijzing", sa.String(length=32), nullable=False),
        sa.Column("zaak", sa.String(length=32), nullable=False),
        sa.Column("huishouden", sa.String(length=32), nullable=False),
        sa.Column("kolom", sa.String(length=20), nullable=False),
        sa.Column("cluster", sa.String(length=63), nullable=True),
        sa.Column("aanbieder", sa.String(length=1000), nullable=False),
        sa.Column("begindatum", sa.Date(), nullable=False),
        sa.Column("einddatum", sa.Date(), nullable=True),
        sa.Column("verplichting", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("zorg_begin", sa.Date(), nullable=True),
        sa.Column("zorg_einde", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("toewijzing", name=op.f("pk_bi_toewijzingen")),
    )
    op.create_index("ix_bi_toewijzingen_begindatum", "bi_toewijzingen", ["begindatum"], unique=False)
    op.create_index("ix_bi_toewijzingen_aanbieder", "bi_toewijzingen", ["aanbieder", "kolom"], unique=False)
    op.create_table(
        "bi_afwijzingen",
        sa.Column("afwijzing", sa.String(length=32), nullable=False),
        sa.Column("reden", sa.String(length=40), nullable=False),
        sa.Column("toewijzing", sa.String(length=32), nullable=False),
        sa.Column("huishouden", sa.String(length=32), nullable=False),
        sa.Column("kolom", sa.String(length=20), nullable=False),
        sa.Column("datum", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("afwijzing", "reden", name=op.f("pk_bi_afwijzingen")),
    )
    op.create_index("ix_bi_afwijzingen_datum", "bi_afwijzingen", ["datum"], unique=False)
    op.create_table(
        "bi_declaratie_kolommen",
        sa.Column("declaratie", sa.String(length=32), nullable=False),
        sa.Column("volgnummer", sa.Integer(), nullable=False),
        sa.Column("aanbieder", sa.String(length=1000), nullable=False),
        sa.Column("begindatum", sa.Date(), nullable=False),
        sa.Column("einddatum", sa.Date(), nullable=False),
        sa.Column("kolom", sa.String(length=20), nullable=False),
        sa.Column("cluster", sa.String(length=63), nullable=True),
        sa.Column("aantal_goedgekeurd", sa.Integer(), nullable=False),
        sa.Column("aantal_afgekeurd", sa.Integer(), nullable=False),
        sa.Column("goedgekeurd_bedrag", sa.BigInteger(), nullable=False),
        sa.Column("afgekeurd_bedrag", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("declaratie", "volgnummer", name=op.f("pk_bi_declaratie_kolommen")),
    )
    op.create_index("ix_bi_declaratie_kolommen_begindatum", "bi_declaratie_kolommen", ["begindatum"], unique=False)
    op.create_table(
        "bi_budgetten",
        sa.Column("budget", sa.String(length=1000), nullable=False),
        sa.Column("jaar", sa.Integer(), nullable=False),
        sa.Column("kolom", sa.String(length=20), nullable=True),
        sa.Column("cluster", sa.String(length=63), nullable=True),
        sa.Column("budget_bedrag", sa.BigInteger(), nullable=False),
        sa.Column("drempel_percentage", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("budget", name=op.f("pk_bi_budgetten")),
    )


def downgrade() -> None:
    op.drop_table("bi_budgetten")
    op.drop_index("ix_bi_declaratie_kolommen_begindatum", table_name="bi_declaratie_kolommen")
    op.drop_table("bi_declaratie_kolommen")
    op.drop_index("ix_bi_afwijzingen_datum", table_name="bi_afwijzingen")
    op.drop_table("bi_afwijzingen")
    op.drop_index("ix_bi_toewijzingen_aanbieder", table_name="bi_toewijzingen")
    op.drop_index("ix_bi_toewijzingen_begindatum", table_name="bi_toewijzingen")
    op.drop_table("bi_toewijzingen")
