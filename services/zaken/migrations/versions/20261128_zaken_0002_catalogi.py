"""The catalogue: catalogussen, zaaktypen (versioned, concept or published) and the types under a zaaktype.

Revision ID: zaken_0002
Revises: zaken_0001
Create Date: 2026-11-28 13:45:44.675247
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "zaken_0002"
down_revision = "zaken_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "catalogussen",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("domein", sa.String(length=5), nullable=False),
        sa.Column("rsin", sa.String(length=9), nullable=False),
        sa.Column("naam", sa.String(length=200), nullable=True),
        sa.Column("kolom", sa.String(length=20), nullable=True),
        sa.Column(
            "gegevens", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalogussen")),
        sa.UniqueConstraint("domein", "rsin", name="uq_catalogussen_domein_rsin"),
        sa.UniqueConstraint("uuid", name=op.f("uq_catalogussen_uuid")),
    )
    op.create_table(
        "zaaktypen",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("catalogus_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("identificatie", sa.String(length=50), nullable=False),
        sa.Column("omschrijving", sa.String(length=80), nullable=False),
        sa.Column("vertrouwelijkheidaanduiding", sa.String(length=20), nullable=False),
        sa.Column("doorlooptijd", sa.String(length=40), nullable=False),
        sa.Column(
            "trefwoorden", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("begin_geldigheid", sa.Date(), nullable=False),
        sa.Column("einde_geldigheid", sa.Date(), nullable=True),
        sa.Column("concept", sa.Boolean(), nullable=False),
        sa.Column(
            "gegevens", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["catalogus_id"], ["catalogussen.id"], name=op.f("fk_zaaktypen_catalogus_id_catalogussen")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_zaaktypen")),
        sa.UniqueConstraint("uuid", name=op.f("uq_zaaktypen_uuid")),
    )
    with op.batch_alter_table("zaaktypen", schema=None) as batch_op:
        batch_op.create_index("ix_zaaktypen_catalogus_identificatie", ["catalogus_id", "identificatie"], unique=False)

    op.create_table(
        "eigenschappen",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("zaaktype_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("naam", sa.String(length=20), nullable=False),
        sa.Column(
            "gegevens", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["zaaktype_id"], ["zaaktypen.id"], name=op.f("fk_eigenschappen_zaaktype_id_zaaktypen"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_eigenschappen")),
        sa.UniqueConstraint("uuid", name=op.f("uq_eigenschappen_uuid")),
        sa.UniqueConstraint("zaaktype_id", "naam", name="uq_eigenschappen_zaaktype_naam"),
    )
    with op.batch_alter_table("eigenschappen", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_eigenschappen_zaaktype_id"), ["zaaktype_id"], unique=False)

    op.create_table(
        "resultaattypen",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("zaaktype_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("omschrijving", sa.String(length=30), nullable=False),
        sa.Column("archiefnominatie", sa.String(length=20), nullable=True),
        sa.Column(
            "gegevens", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["zaaktype_id"], ["zaaktypen.id"], name=op.f("fk_resultaattypen_zaaktype_id_zaaktypen"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resultaattypen")),
        sa.UniqueConstraint("uuid", name=op.f("uq_resultaattypen_uuid")),
    )
    with op.batch_alter_table("resultaattypen", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_resultaattypen_zaaktype_id"), ["zaaktype_id"], unique=False)

    op.create_table(
        "roltypen",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("zaaktype_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("omschrijving", sa.String(length=100), nullable=False),
        sa.Column("omschrijving_generiek", sa.String(length=20), nullable=False),
        sa.Column(
            "gegevens", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["zaaktype_id"], ["zaaktypen.id"], name=op.f("fk_roltypen_zaaktype_id_zaaktypen"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roltypen")),
        sa.UniqueConstraint("uuid", name=op.f("uq_roltypen_uuid")),
    )
    with op.batch_alter_table("roltypen", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_roltypen_zaaktype_id"), ["zaaktype_id"], unique=False)

    op.create_table(
        "statustypen",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("zaaktype_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("omschrijving", sa.String(length=80), nullable=False),
        sa.Column("volgnummer", sa.Integer(), nullable=False),
        sa.Column(
            "gegevens", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["zaaktype_id"], ["zaaktypen.id"], name=op.f("fk_statustypen_zaaktype_id_zaaktypen"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statustypen")),
        sa.UniqueConstraint("uuid", name=op.f("uq_statustypen_uuid")),
        sa.UniqueConstraint("zaaktype_id", "volgnummer", name="uq_statustypen_zaaktype_volgnummer"),
    )
    with op.batch_alter_table("statustypen", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_statustypen_zaaktype_id"), ["zaaktype_id"], unique=False)



def downgrade() -> None:
    with op.batch_alter_table("statustypen", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_statustypen_zaaktype_id"))

    op.drop_table("statustypen")
    with op.batch_alter_table("roltypen", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_roltypen_zaaktype_id"))

    op.drop_table("roltypen")
    with op.batch_alter_table("resultaattypen", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_resultaattypen_zaaktype_id"))

    op.drop_table("resultaattypen")
    with op.batch_alter_table("eigenschappen", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_eigenschappen_zaaktype_id"))

    op.drop_table("eigenschappen")
    with op.batch_alter_table("zaaktypen", schema=None) as batch_op:
        batch_op.drop_index("ix_zaaktypen_catalogus_identificatie")

    op.drop_table("zaaktypen")
    op.drop_table("catalogussen")
