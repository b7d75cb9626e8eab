"""Signalen of vroegsignalering, with the windows per household key and partner (deduplication) and the row per
household key that batches lock and that holds its proactive aanvraag.

Revision ID: intake_0003
Revises: intake_0002
Create Date: 2026-11-28 23:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = "intake_0003"
down_revision = "intake_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "signalen",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("partnersoort", sa.String(length=20), nullable=False),
        sa.Column("partner", sa.String(length=64), nullable=False),
        sa.Column("partner_referentie", sa.String(length=64), nullable=False),
        sa.Column("signaalsoort", sa.String(length=30), nullable=False),
        sa.Column("bedrag", sa.BigInteger(), nullable=False),
        sa.Column("ontstaansdatum", sa.Date(), nullable=False),
        sa.Column("signaaldatum", sa.Date(), nullable=False),
        sa.Column("crisis", sa.Boolean(), nullable=False),
        sa.Column("postcode", sa.String(length=6), nullable=False),
        sa.Column("huisnummer", sa.Integer(), nullable=False),
        sa.Column("huisnummertoevoeging", sa.String(length=6), nullable=True),
        sa.Column("adressleutel", sa.String(length=20), nullable=False),
        sa.Column("batch", sa.String(length=64), nullable=True),
        sa.Column("registratiedatum", sa.Date(), nullable=False),
        sa.Column("ontvangen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("aanvraag", sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signalen")),
        sa.UniqueConstraint("partnersoort", "partner", "partner_referentie", name="uq_signalen_partner_referentie"),
        sa.UniqueConstraint("uuid", name=op.f("uq_signalen_uuid")),
    )
    op.create_index("ix_signalen_adressleutel_signaaldatum", "signalen", ["adressleutel", "signaaldatum"],
                    unique=False)
    op.create_table(
        "signaal_vensters",
        sa.Column("adressleutel", sa.String(length=20), nullable=False),
        sa.Column("partnersoort", sa.String(length=20), nullable=False),
        sa.Column("partner", sa.String(length=64), nullable=False),
        sa.Column("dag", sa.Integer(), nullable=False),
        sa.Column("signaal", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("adressleutel", "partnersoort", "partner", name="pk_signaal_vensters"),
    )
    op.create_table(
        "signaal_adressen",
        sa.Column("adressleutel", sa.String(length=20), nullable=False),
        sa.Column("aanvraag", sa.String(length=36), nullable=True),
        sa.Column("aanvraag_dag", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("adressleutel", name=op.f("pk_signaal_adressen")),
    )


def downgrade() -> None:
    op.drop_table("signaal_adressen")
    op.drop_table("signaal_vensters")
    op.drop_index("ix_signalen_adressleutel_signaaldatum", table_name="signalen")
    op.drop_table("signalen")
