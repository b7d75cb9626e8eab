"""An aanbieder's verzoeken: om toewijzing (iJw/iWmo 315) and om wijziging (317) of a toewijzing, each answered
once by the municipality.

Revision ID: financien_0004
Revises: financien_0003
Create Date: 2026-12-07 10:12:31.114209
"""

import sqlalchemy as sa
from alembic import op

revision = "financien_0004"
down_revision = "financien_0003"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "verzoeken_om_toewijzing",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("aanbieder_id", _ID, nullable=False),
        sa.Column("klant", sa.String(length=1000), nullable=False),
        sa.Column("kolom", sa.String(length=20), nullable=False),
        sa.Column("productcategorie", sa.String(length=2), nullable=False),
        sa.Column("productcode", sa.String(length=5), nullable=True),
        sa.Column("volume", sa.Integer(), nullable=False),
        sa.Column("eenheid", sa.String(length=10), nullable=False),
        sa.Column("frequentie", sa.String(length=32), nullable=False),
        sa.Column("begindatum", sa.Date(), nullable=False),
        sa.Column("einddatum", sa.Date(), nullable=True),
        sa.Column("verwijzer_type", sa.String(length=2), nullable=True),
        sa.Column("verwijzer_naam", sa.String(length=200), nullable=True),
        sa.Column("verwijzer_zorgverlenercode", sa.String(length=8), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("reden_afwijzing", sa.String(length=500), nullable=True),
        sa.Column("toewijzing_id", _ID, nullable=True),
        sa.ForeignKeyConstraint(["aanbieder_id"], ["aanbieders.id"],
                                name=op.f("fk_verzoeken_om_toewijzing_aanbieder_id_aanbieders")),
        sa.ForeignKeyConstraint(["toewijzing_id"], ["toewijzingen.id"],
                                name=op.f("fk_verzoeken_om_toewijzing_toewijzing_id_toewijzingen")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verzoeken_om_toewijzing")),
        sa.UniqueConstraint("uuid", name=op.f("uq_verzoeken_om_toewijzing_uuid")),
    )
    with op.batch_alter_table("verzoeken_om_toewijzing", schema=None) as batch_op:
        batch_op.create_index("ix_verzoeken_om_toewijzing_aanbieder_id", ["aanbieder_id", "id"], unique=False)

    op.create_table(
        "verzoeken_om_wijziging",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("toewijzing_id", _ID, nullable=False),
        sa.Column("aanbieder_id", _ID, nullable=False),
        sa.Column("volume", sa.Integer(), nullable=True),
        sa.Column("eenheid", sa.String(length=10), nullable=True),
        sa.Column("frequentie", sa.String(length=32), nullable=True),
        sa.Column("einddatum", sa.Date(), nullable=True),
        sa.Column("reden", sa.String(length=500), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("reden_afwijzing", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(["aanbieder_id"], ["aanbieders.id"],
                                name=op.f("fk_verzoeken_om_wijziging_aanbieder_id_aanbieders")),
        sa.ForeignKeyConstraint(["toewijzing_id"], ["toewijzingen.id"],
                                name=op.f("fk_verzoeken_om_wijziging_toewijzing_id_toewijzingen")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verzoeken_om_wijziging")),
        sa.UniqueConstraint("uuid", name=op.f("uq_verzoeken_om_wijziging_uuid")),
    )
    with op.batch_alter_table("verzoeken_om_wijziging", schema=None) as batch_op:
        batch_op.create_index("ix_verzoeken_om_wijziging_aanbieder_id", ["aanbieder_id", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_verzoeken_om_wijziging_toewijzing_id"), ["toewijzing_id"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("verzoeken_om_wijziging", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_verzoeken_om_wijziging_toewijzing_id"))
        batch_op.drop_index("ix_verzoeken_om_wijziging_aanbieder_id")
    op.drop_table("verzoeken_om_wijziging")
    with op.batch_alter_table("verzoeken_om_toewijzing", schema=None) as batch_op:
        batch_op.drop_index("ix_verzoeken_om_toewijzing_aanbieder_id")
    op.drop_table("verzoeken_om_toewijzing")
