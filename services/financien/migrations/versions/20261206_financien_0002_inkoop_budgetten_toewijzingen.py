"""Inkoop (aanbieders with their applicaties, contracten, producten, tarieven), budgetten and toewijzingen.

Revision ID: financien_0002
Revises: financien_0001
Create Date: 2026-12-06 13:10:20.230966
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "financien_0002"
down_revision = "financien_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "aanbieders",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("naam", sa.String(length=200), nullable=False),
        sa.Column("agb_code", sa.String(length=8), nullable=False),
        sa.Column("kvk_nummer", sa.String(length=8), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_aanbieders")),
        sa.UniqueConstraint("agb_code", name=op.f("uq_aanbieders_agb_code")),
        sa.UniqueConstraint("uuid", name=op.f("uq_aanbieders_uuid")),
    )
    op.create_table(
        "aanbieder_applicaties",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("client_id", sa.String(length=255), nullable=False),
        sa.Column("aanbieder_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(
            ["aanbieder_id"],
            ["aanbieders.id"],
            name=op.f("fk_aanbieder_applicaties_aanbieder_id_aanbieders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_aanbieder_applicaties")),
        sa.UniqueConstraint("client_id", name=op.f("uq_aanbieder_applicaties_client_id")),
    )
    with op.batch_alter_table("aanbieder_applicaties", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_aanbieder_applicaties_aanbieder_id"), ["aanbieder_id"], unique=False)

    op.create_table(
        "budgetten",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("jaar", sa.Integer(), nullable=False),
        sa.Column("kolom", sa.String(length=20), nullable=True),
        sa.Column("cluster", sa.String(length=63), nullable=True),
        sa.Column("aanbieder_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("sleutel", sa.String(length=200), nullable=False),
        sa.Column("bedrag", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["aanbieder_id"], ["aanbieders.id"], name=op.f("fk_budgetten_aanbieder_id_aanbieders")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budgetten")),
        sa.UniqueConstraint("sleutel", name=op.f("uq_budgetten_sleutel")),
        sa.UniqueConstraint("uuid", name=op.f("uq_budgetten_uuid")),
    )
    op.create_table(
        "contracten",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("aanbieder_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "kolommen", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("cluster", sa.String(length=63), nullable=True),
        sa.Column("begindatum", sa.Date(), nullable=False),
        sa.Column("einddatum", sa.Date(), nullable=True),
        sa.Column("uitvoeringsvariant", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["aanbieder_id"], ["aanbieders.id"], name=op.f("fk_contracten_aanbieder_id_aanbieders")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contracten")),
        sa.UniqueConstraint("uuid", name=op.f("uq_contracten_uuid")),
    )
    with op.batch_alter_table("contracten", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contracten_aanbieder_id"), ["aanbieder_id"], unique=False)

    op.create_table(
        "producten",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("contract_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("productcategorie", sa.String(length=2), nullable=False),
        sa.Column("productcode", sa.String(length=5), nullable=False),
        sa.Column("eenheid", sa.String(length=10), nullable=False),
        sa.Column("frequentie", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["contract_id"], ["contracten.id"], name=op.f("fk_producten_contract_id_contracten")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_producten")),
        sa.UniqueConstraint("contract_id", "productcategorie", "productcode", name=op.f("uq_producten_contract_id")),
        sa.UniqueConstraint("uuid", name=op.f("uq_producten_uuid")),
    )
    op.create_table(
        "tarieven",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("product_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("begindatum", sa.Date(), nullable=False),
        sa.Column("einddatum", sa.Date(), nullable=True),
        sa.Column("bedrag", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["product_id"], ["producten.id"], name=op.f("fk_tarieven_product_id_producten")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tarieven")),
        sa.UniqueConstraint("uuid", name=op.f("uq_tarieven_uuid")),
    )
    with op.batch_alter_table("tarieven", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tarieven_product_id"), ["product_id"], unique=False)

    op.create_table(
        "toewijzingen",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("bron", sa.String(length=1010), nullable=False),
        sa.Column("zaak", sa.String(length=1000), nullable=False),
        sa.Column("huishouden", sa.String(length=1000), nullable=False),
        sa.Column("kolom", sa.String(length=20), nullable=False),
        sa.Column("aanbieder_url", sa.String(length=1000), nullable=True),
        sa.Column("aanbieder_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("contract_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("product_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("productcategorie", sa.String(length=2), nullable=False),
        sa.Column("productcode", sa.String(length=5), nullable=True),
        sa.Column("volume", sa.Integer(), nullable=False),
        sa.Column("eenheid", sa.String(length=10), nullable=False),
        sa.Column("frequentie", sa.String(length=32), nullable=False),
        sa.Column("begindatum", sa.Date(), nullable=False),
        sa.Column("einddatum", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column(
            "redenen", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("verplichting", sa.BigInteger(), nullable=False),
        sa.Column("start_zorg", sa.Date(), nullable=True),
        sa.Column("stop_zorg", sa.Date(), nullable=True),
        sa.Column("reden_beeindiging", sa.String(length=2), nullable=True),
        sa.ForeignKeyConstraint(
            ["aanbieder_id"], ["aanbieders.id"], name=op.f("fk_toewijzingen_aanbieder_id_aanbieders")
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contracten.id"], name=op.f("fk_toewijzingen_contract_id_contracten")
        ),
        sa.ForeignKeyConstraint(["product_id"], ["producten.id"], name=op.f("fk_toewijzingen_product_id_producten")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_toewijzingen")),
        sa.UniqueConstraint("bron", name=op.f("uq_toewijzingen_bron")),
        sa.UniqueConstraint("uuid", name=op.f("uq_toewijzingen_uuid")),
    )
    with op.batch_alter_table("toewijzingen", schema=None) as batch_op:
        batch_op.create_index("ix_toewijzingen_aanbieder_id", ["aanbieder_id", "id"], unique=False)
        batch_op.create_index("ix_toewijzingen_zaak", ["zaak"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("toewijzingen", schema=None) as batch_op:
        batch_op.drop_index("ix_toewijzingen_zaak")
        batch_op.drop_index("ix_toewijzingen_aanbieder_id")

    op.drop_table("toewijzingen")
    with op.batch_alter_table("tarieven", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tarieven_product_id"))

    op.drop_table("tarieven")
    op.drop_table("producten")
    with op.batch_alter_table("contracten", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contracten_aanbieder_id"))

    op.drop_table("contracten")
    op.drop_table("budgetten")
    with op.batch_alter_table("aanbieder_applicaties", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_aanbieder_applicaties_aanbieder_id"))

    op.drop_table("aanbieder_applicaties")
    op.drop_table("aanbieders")
