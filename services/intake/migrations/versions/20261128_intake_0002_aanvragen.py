"""Aanvragen with their questions, history, termijnen, delegations and statusberichten, and what intake knows
of the zaken opened for them.

Revision ID: intake_0002
Revises: intake_0001
Create Date: 2026-11-28 23:35:48.417010
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "intake_0002"
down_revision = "intake_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "aanvragen",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("huishouden", sa.String(length=1000), nullable=True),
        sa.Column("ingediend_door", sa.String(length=12), nullable=False),
        sa.Column("indiener", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column(
            "kolommen", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column(
            "clusters", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("registratiedatum", sa.Date(), nullable=False),
        sa.Column("ingediend_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("toelichting", sa.Text(), nullable=True),
        sa.Column(
            "aanvrager", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=True
        ),
        sa.Column(
            "triage", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=True
        ),
        sa.Column("uitkomst", sa.String(length=30), nullable=True),
        sa.Column("einddatum", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_aanvragen")),
        sa.UniqueConstraint("uuid", name=op.f("uq_aanvragen_uuid")),
    )
    with op.batch_alter_table("aanvragen", schema=None) as batch_op:
        batch_op.create_index("ix_aanvragen_huishouden", ["huishouden"], unique=False)
        batch_op.create_index("ix_aanvragen_status_id", ["status", "id"], unique=False)

    op.create_table(
        "aanvraag_historie",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("aanvraag_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("tijdstip", sa.DateTime(timezone=True), nullable=False),
        sa.Column("toelichting", sa.String(length=500), nullable=False),
        sa.Column("door", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["aanvraag_id"],
            ["aanvragen.id"],
            name=op.f("fk_aanvraag_historie_aanvraag_id_aanvragen"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_aanvraag_historie")),
    )
    with op.batch_alter_table("aanvraag_historie", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_aanvraag_historie_aanvraag_id"), ["aanvraag_id"], unique=False)

    op.create_table(
        "aanvraag_vragen",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("aanvraag_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("volgnummer", sa.Integer(), nullable=False),
        sa.Column("leefgebied", sa.String(length=30), nullable=False),
        sa.Column("kolom", sa.String(length=20), nullable=False),
        sa.Column("toelichting", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["aanvraag_id"], ["aanvragen.id"], name=op.f("fk_aanvraag_vragen_aanvraag_id_aanvragen"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_aanvraag_vragen")),
    )
    with op.batch_alter_table("aanvraag_vragen", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_aanvraag_vragen_aanvraag_id"), ["aanvraag_id"], unique=False)
        batch_op.create_index("ix_aanvraag_vragen_kolom_aanvraag", ["kolom", "aanvraag_id"], unique=False)

    op.create_table(
        "delegaties",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("aanvraag_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("cluster", sa.String(length=63), nullable=False),
        sa.Column("partij", sa.String(length=63), nullable=False),
        sa.Column(
            "kolommen", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("status", sa.String(length=63), nullable=False),
        sa.Column("externe_referentie", sa.String(length=64), nullable=True),
        sa.Column("uitkomst", sa.String(length=30), nullable=True),
        sa.Column("bijgewerkt", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["aanvraag_id"], ["aanvragen.id"], name=op.f("fk_delegaties_aanvraag_id_aanvragen"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delegaties")),
        sa.UniqueConstraint("aanvraag_id", "cluster", name=op.f("uq_delegaties_aanvraag_id")),
    )
    with op.batch_alter_table("delegaties", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_delegaties_aanvraag_id"), ["aanvraag_id"], unique=False)

    op.create_table(
        "termijnen",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("aanvraag_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("kolom", sa.String(length=20), nullable=False),
        sa.Column("soort", sa.String(length=12), nullable=False),
        sa.Column("dagen", sa.Integer(), nullable=False),
        sa.Column("startdatum", sa.Date(), nullable=False),
        sa.Column("uiterlijke_einddatum", sa.Date(), nullable=False),
        sa.Column("gehaald_op", sa.Date(), nullable=True),
        sa.Column("overschreden_gemeld", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["aanvraag_id"], ["aanvragen.id"], name=op.f("fk_termijnen_aanvraag_id_aanvragen"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_termijnen")),
        sa.UniqueConstraint("aanvraag_id", "kolom", "soort", name=op.f("uq_termijnen_aanvraag_id")),
    )
    with op.batch_alter_table("termijnen", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_termijnen_aanvraag_id"), ["aanvraag_id"], unique=False)
        batch_op.create_index("ix_termijnen_open", ["gehaald_op", "uiterlijke_einddatum"], unique=False)

    op.create_table(
        "zaken",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("zaak", sa.String(length=1000), nullable=False),
        sa.Column("aanvraag_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("huishouden", sa.String(length=1000), nullable=True),
        sa.Column(
            "kolommen", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("open", sa.Boolean(), nullable=False),
        sa.Column("status_gezet", sa.Boolean(), nullable=False),
        sa.Column("resultaat", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["aanvraag_id"], ["aanvragen.id"], name=op.f("fk_zaken_aanvraag_id_aanvragen"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_zaken")),
        sa.UniqueConstraint("zaak", name=op.f("uq_zaken_zaak")),
    )
    with op.batch_alter_table("zaken", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_zaken_aanvraag_id"), ["aanvraag_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_zaken_huishouden"), ["huishouden"], unique=False)

    op.create_table(
        "statusberichten",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("delegatie_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("partij", sa.String(length=63), nullable=False),
        sa.Column("externe_referentie", sa.String(length=64), nullable=False),
        sa.Column("soort", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=63), nullable=False),
        sa.Column("uitkomst", sa.String(length=30), nullable=True),
        sa.Column("ontvangen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sleutel", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["delegatie_id"],
            ["delegaties.id"],
            name=op.f("fk_statusberichten_delegatie_id_delegaties"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statusberichten")),
        sa.UniqueConstraint("delegatie_id", "sleutel", name="uq_statusberichten_eenmaal"),
        sa.UniqueConstraint("uuid", name=op.f("uq_statusberichten_uuid")),
    )
    with op.batch_alter_table("statusberichten", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_statusberichten_delegatie_id"), ["delegatie_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("statusberichten", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_statusberichten_delegatie_id"))

    op.drop_table("statusberichten")
    with op.batch_alter_table("zaken", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_zaken_huishouden"))
        batch_op.drop_index(batch_op.f("ix_zaken_aanvraag_id"))

    op.drop_table("zaken")
    with op.batch_alter_table("termijnen", schema=None) as batch_op:
        batch_op.drop_index("ix_termijnen_open")
        batch_op.drop_index(batch_op.f("ix_termijnen_aanvraag_id"))

    op.drop_table("termijnen")
    with op.batch_alter_table("delegaties", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_delegaties_aanvraag_id"))

    op.drop_table("delegaties")
    with op.batch_alter_table("aanvraag_vragen", schema=None) as batch_op:
        batch_op.drop_index("ix_aanvraag_vragen_kolom_aanvraag")
        batch_op.drop_index(batch_op.f("ix_aanvraag_vragen_aanvraag_id"))

    op.drop_table("aanvraag_vragen")
    with op.batch_alter_table("aanvraag_historie", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_aanvraag_historie_aanvraag_id"))

    op.drop_table("aanvraag_historie")
    with op.batch_alter_table("aanvragen", schema=None) as batch_op:
        batch_op.drop_index("ix_aanvragen_status_id")
        batch_op.drop_index("ix_aanvragen_huishouden")

    op.drop_table("aanvragen")
