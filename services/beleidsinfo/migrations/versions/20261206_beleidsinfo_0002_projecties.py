"""The projections of intake and zaken events: aanvragen, signalen, zaken and overdue termijnen, pseudonymised.

Revision ID: beleidsinfo_0002
Revises: beleidsinfo_0001
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "beleidsinfo_0002"
down_revision = "beleidsinfo_0001"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "bi_aanvragen",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("aanvraag", sa.String(length=32), nullable=False),
        sa.Column("huishouden", sa.String(length=32), nullable=True),
        sa.Column("kolommen", _JSON, nullable=False),
        sa.Column("ingediend_door", sa.String(length=12), nullable=False),
        sa.Column("registratiedatum", sa.Date(), nullable=False),
        sa.Column("uitkomst", sa.String(length=30), nullable=True),
        sa.Column("einddatum", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bi_aanvragen")),
        sa.UniqueConstraint("aanvraag", name=op.f("uq_bi_aanvragen_aanvraag")),
    )
    op.create_index("ix_bi_aanvragen_registratiedatum", "bi_aanvragen", ["registratiedatum"], unique=False)
    op.create_index("ix_bi_aanvragen_huishouden", "bi_aanvragen", ["huishouden", "registratiedatum"], unique=False)
    op.create_table(
        "bi_aanvraag_kolommen",
        sa.Column("aanvraag", sa.String(length=32), nullable=False),
        sa.Column("kolom", sa.String(length=20), nullable=False),
        sa.Column("huishouden", sa.String(length=32), nullable=False),
        sa.Column("registratiedatum", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("aanvraag", "kolom", name=op.f("pk_bi_aanvraag_kolommen")),
    )
    op.create_index("ix_bi_aanvraag_kolommen_registratiedatum", "bi_aanvraag_kolommen", ["registratiedatum"],
                    unique=False)
    op.create_table(
        "bi_signalen",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("signaal", sa.String(length=32), nullable=False),
        sa.Column("huishouden", sa.String(length=32), nullable=True),
        sa.Column("signaalsoort", sa.String(length=40), nullable=False),
        sa.Column("partnersoort", sa.String(length=40), nullable=False),
        sa.Column("crisis", sa.Boolean(), nullable=False),
        sa.Column("registratiedatum", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bi_signalen")),
        sa.UniqueConstraint("signaal", name=op.f("uq_bi_signalen_signaal")),
    )
    op.create_index("ix_bi_signalen_registratiedatum", "bi_signalen", ["registratiedatum"], unique=False)
    op.create_table(
        "bi_zaken",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("zaak", sa.String(length=32), nullable=False),
        sa.Column("aanvraag", sa.String(length=32), nullable=True),
        sa.Column("huishouden", sa.String(length=32), nullable=False),
        sa.Column("kolommen", _JSON, nullable=False),
        sa.Column("cluster", sa.String(length=63), nullable=True),
        sa.Column("integraal", sa.Boolean(), nullable=False),
        sa.Column("registratiedatum", sa.Date(), nullable=False),
        sa.Column("startdatum", sa.Date(), nullable=False),
        sa.Column("statustype", sa.String(length=1000), nullable=True),
        sa.Column("eindstatus", sa.Boolean(), nullable=False),
        sa.Column("uitkomst", sa.String(length=30), nullable=True),
        sa.Column("resultaatdatum", sa.Date(), nullable=True),
        sa.Column("voorziening_van", sa.Date(), nullable=True),
        sa.Column("voorziening_tot", sa.Date(), nullable=True),
        sa.Column("einddatum", sa.Date(), nullable=True),
        sa.Column("geescaleerd", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bi_zaken")),
        sa.UniqueConstraint("zaak", name=op.f("uq_bi_zaken_zaak")),
    )
    op.create_index("ix_bi_zaken_huishouden", "bi_zaken", ["huishouden"], unique=False)
    op.create_table(
        "bi_zaak_kolommen",
        sa.Column("zaak", sa.String(length=32), nullable=False),
        sa.Column("kolom", sa.String(length=20), nullable=False),
        sa.Column("huishouden", sa.String(length=32), nullable=False),
        sa.Column("registratiedatum", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("zaak", "kolom", name=op.f("pk_bi_zaak_kolommen")),
    )
    op.create_index("ix_bi_zaak_kolommen_registratiedatum", "bi_zaak_kolommen", ["registratiedatum"], unique=False)
    op.create_index("ix_bi_zaak_kolommen_huishouden", "bi_zaak_kolommen", ["huishouden", "kolom"], unique=False)
    op.create_table(
        "bi_termijnen",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("aanvraag", sa.String(length=32), nullable=False),
        sa.Column("kolom", sa.String(length=20), nullable=False),
        sa.Column("termijnsoort", sa.String(length=12), nullable=False),
        sa.Column("uiterlijke_einddatum", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bi_termijnen")),
        sa.UniqueConstraint("aanvraag", "kolom", "termijnsoort", name=op.f("uq_bi_termijnen_aanvraag")),
    )
    op.create_index("ix_bi_termijnen_uiterlijke_einddatum", "bi_termijnen", ["uiterlijke_einddatum"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_bi_termijnen_uiterlijke_einddatum", table_name="bi_termijnen")
    op.drop_table("bi_termijnen")
    op.drop_index("ix_bi_zaak_kolommen_huishouden", table_name="bi_zaak_kolommen")
    op.drop_index("ix_bi_zaak_kolommen_registratiedatum", table_name="bi_zaak_kolommen")
    op.drop_table("bi_zaak_kolommen")
    op.drop_index("ix_bi_zaken_huishouden", table_name="bi_zaken")
    op.drop_table("bi_zaken")
    op.drop_index("ix_bi_signalen_registratiedatum", table_name="bi_signalen")
    op.drop_table("bi_signalen")
    op.drop_index("ix_bi_aanvraag_kolommen_registratiedatum", table_name="bi_aanvraag_kolommen")
    op.drop_table("bi_aanvraag_kolommen")
    op.drop_index("ix_bi_aanvragen_huishouden", table_name="bi_aanvragen")
    op.drop_index("ix_bi_aanvragen_registratiedatum", table_name="bi_aanvragen")
    op.drop_table("bi_aanvragen")
