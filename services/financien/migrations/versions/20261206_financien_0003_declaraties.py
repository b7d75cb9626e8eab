"""Declaraties with their lines, the cluster of a toewijzing (of its contract) for budgets per cluster, and the
budget threshold last reported.

Revision ID: financien_0003
Revises: financien_0002
Create Date: 2026-12-06 13:25:58.804006
"""

import sqlalchemy as sa
from alembic import op

revision = "financien_0003"
down_revision = "financien_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "declaraties",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("aanbieder_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("identificatie", sa.String(length=20), nullable=False),
        sa.Column("begindatum", sa.Date(), nullable=False),
        sa.Column("einddatum", sa.Date(), nullable=False),
        sa.Column("aantal_regels", sa.Integer(), nullable=False),
        sa.Column("ingediend_bedrag", sa.BigInteger(), nullable=False),
        sa.Column("goedgekeurd_bedrag", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["aanbieder_id"], ["aanbieders.id"], name=op.f("fk_declaraties_aanbieder_id_aanbieders")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_declaraties")),
        sa.UniqueConstraint("aanbieder_id", "identificatie", name=op.f("uq_declaraties_aanbieder_id")),
        sa.UniqueConstraint("uuid", name=op.f("uq_declaraties_uuid")),
    )
    op.create_table(
        "declaratie_regels",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("declaratie_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("toewijzing_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("referentie", sa.String(length=20), nullable=False),
        sa.Column("betaald_sleutel", sa.String(length=60), nullable=True),
        sa.Column("begindatum", sa.Date(), nullable=False),
        sa.Column("einddatum", sa.Date(), nullable=False),
        sa.Column("volume", sa.Integer(), nullable=False),
        sa.Column("tarief", sa.BigInteger(), nullable=False),
        sa.Column("bedrag", sa.BigInteger(), nullable=False),
        sa.Column("kolom", sa.String(length=20), nullable=True),
        sa.Column("cluster", sa.String(length=63), nullable=True),
        sa.Column("retourcode", sa.String(length=4), nullable=False),
        sa.ForeignKeyConstraint(
            ["declaratie_id"],
            ["declaraties.id"],
            name=op.f("fk_declaratie_regels_declaratie_id_declaraties"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["toewijzing_id"], ["toewijzingen.id"], name=op.f("fk_declaratie_regels_toewijzing_id_toewijzingen")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_declaratie_regels")),
        sa.UniqueConstraint("betaald_sleutel", name=op.f("uq_declaratie_regels_betaald_sleutel")),
    )
    with op.batch_alter_table("declaratie_regels", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_declaratie_regels_declaratie_id"), ["declaratie_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_declaratie_regels_toewijzing_id"), ["toewijzing_id"], unique=False)

    with op.batch_alter_table("toewijzingen", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cluster", sa.String(length=63), nullable=True))
    with op.batch_alter_table("budgetten", schema=None) as batch_op:
        batch_op.add_column(sa.Column("gemelde_drempel", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("budgetten", schema=None) as batch_op:
        batch_op.drop_column("gemelde_drempel")
    with op.batch_alter_table("toewijzingen", schema=None) as batch_op:
        batch_op.drop_column("cluster")

    with op.batch_alter_table("declaratie_regels", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_declaratie_regels_toewijzing_id"))
        batch_op.drop_index(batch_op.f("ix_declaratie_regels_declaratie_id"))

    op.drop_table("declaratie_regels")
    op.drop_table("declaraties")
