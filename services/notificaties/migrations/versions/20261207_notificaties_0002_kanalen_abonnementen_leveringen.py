"""Kanalen, abonnementen, the notificaties received and their leveringen (one per abonnement, the delivery queue).

Revision ID: notificaties_0002
Revises: notificaties_0001
Create Date: 2026-12-07 09:17:56.087780
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "notificaties_0002"
down_revision = "notificaties_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "abonnementen",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("callback_url", sa.String(length=200), nullable=False),
        sa.Column("auth", sa.String(length=1000), nullable=False),
        sa.Column(
            "kanalen", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("client_id", sa.String(length=255), nullable=False),
        sa.Column(
            "autorisatie", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("aangemaakt", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_abonnementen")),
        sa.UniqueConstraint("uuid", name=op.f("uq_abonnementen_uuid")),
    )
    with op.batch_alter_table("abonnementen", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_abonnementen_client_id"), ["client_id"], unique=False)

    op.create_table(
        "kanalen",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("naam", sa.String(length=50), nullable=False),
        sa.Column("documentatie_link", sa.String(length=200), nullable=False),
        sa.Column(
            "filters", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kanalen")),
        sa.UniqueConstraint("naam", name=op.f("uq_kanalen_naam")),
        sa.UniqueConstraint("uuid", name=op.f("uq_kanalen_uuid")),
    )
    op.create_table(
        "notificaties",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("kanaal", sa.String(length=50), nullable=False),
        sa.Column(
            "bericht", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column(
            "bereik", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("bron", sa.String(length=64), nullable=True),
        sa.Column("ontvangen", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notificaties")),
        sa.UniqueConstraint("bron", name=op.f("uq_notificaties_bron")),
        sa.UniqueConstraint("uuid", name=op.f("uq_notificaties_uuid")),
    )
    op.create_table(
        "leveringen",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("abonnement_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("notificatie_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("hoofd_object", sa.String(length=1000), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("pogingen", sa.Integer(), nullable=False),
        sa.Column("volgende_poging", sa.DateTime(timezone=True), nullable=False),
        sa.Column("laatste_fout", sa.Text(), nullable=True),
        sa.Column("afgeleverd", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["abonnement_id"],
            ["abonnementen.id"],
            name=op.f("fk_leveringen_abonnement_id_abonnementen"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["notificatie_id"],
            ["notificaties.id"],
            name=op.f("fk_leveringen_notificatie_id_notificaties"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leveringen")),
        sa.UniqueConstraint("abonnement_id", "notificatie_id", name="uq_leveringen_eenmaal"),
        sa.UniqueConstraint("uuid", name=op.f("uq_leveringen_uuid")),
    )
    with op.batch_alter_table("leveringen", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_leveringen_notificatie_id"), ["notificatie_id"], unique=False)
        batch_op.create_index("ix_leveringen_status_id", ["status", "id"], unique=False)
        batch_op.create_index("ix_leveringen_wachtend", ["status", "abonnement_id", "hoofd_object", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("leveringen", schema=None) as batch_op:
        batch_op.drop_index("ix_leveringen_wachtend")
        batch_op.drop_index("ix_leveringen_status_id")
        batch_op.drop_index(batch_op.f("ix_leveringen_notificatie_id"))

    op.drop_table("leveringen")
    op.drop_table("notificaties")
    op.drop_table("kanalen")
    with op.batch_alter_table("abonnementen", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_abonnementen_client_id"))

    op.drop_table("abonnementen")
