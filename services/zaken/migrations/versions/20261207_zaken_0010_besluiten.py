"""Besluiten API: besluiten, besluitinformatieobjecten and the audittrail of a besluit.

Revision ID: zaken_0010_brc
Revises: zaken_0009_zbs
Create Date: 2026-12-07 06:00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "zaken_0010_brc"
down_revision = "zaken_0009_zbs"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "besluiten",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("identificatie", sa.String(length=50), nullable=False),
        sa.Column("verantwoordelijke_organisatie", sa.String(length=9), nullable=False),
        sa.Column("besluittype_id", _ID, nullable=False),
        sa.Column("zaak_id", _ID, nullable=True),
        sa.Column("datum", sa.Date(), nullable=False),
        sa.Column("ingangsdatum", sa.Date(), nullable=False),
        sa.Column("vervaldatum", sa.Date(), nullable=True),
        sa.Column("gegevens", _JSON, nullable=False),
        sa.ForeignKeyConstraint(["besluittype_id"], ["besluittypen.id"],
                                name=op.f("fk_besluiten_besluittype_id_besluittypen")),
        sa.ForeignKeyConstraint(["zaak_id"], ["zaken.id"], name=op.f("fk_besluiten_zaak_id_zaken"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_besluiten")),
        sa.UniqueConstraint("uuid", name=op.f("uq_besluiten_uuid")),
        sa.UniqueConstraint("verantwoordelijke_organisatie", "identificatie",
                            name="uq_besluiten_verantwoordelijke_organisatie_identificatie"),
    )
    op.create_index(op.f("ix_besluiten_zaak_id"), "besluiten", ["zaak_id"], unique=False)
    op.create_index("ix_besluiten_besluittype_id_id", "besluiten", ["besluittype_id", "id"], unique=False)
    op.create_table(
        "besluitinformatieobjecten",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("besluit_id", _ID, nullable=False),
        sa.Column("informatieobject", sa.String(length=1000), nullable=False),
        sa.Column("registratiedatum", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["besluit_id"], ["besluiten.id"],
                                name=op.f("fk_besluitinformatieobjecten_besluit_id_besluiten"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_besluitinformatieobjecten")),
        sa.UniqueConstraint("uuid", name=op.f("uq_besluitinformatieobjecten_uuid")),
        sa.UniqueConstraint("besluit_id", "informatieobject", name=op.f("uq_besluitinformatieobjecten_besluit_id")),
    )
    op.create_index(op.f("ix_besluitinformatieobjecten_besluit_id"), "besluitinformatieobjecten", ["besluit_id"],
                    unique=False)
    op.create_index(op.f("ix_besluitinformatieobjecten_informatieobject"), "besluitinformatieobjecten",
                    ["informatieobject"], unique=False)
    op.create_table(
        "besluit_audittrail",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("besluit_id", _ID, nullable=False),
        sa.Column("aanmaakdatum", sa.DateTime(timezone=True), nullable=False),
        sa.Column("gegevens", _JSON, nullable=False),
        sa.ForeignKeyConstraint(["besluit_id"], ["besluiten.id"],
                                name=op.f("fk_besluit_audittrail_besluit_id_besluiten"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_besluit_audittrail")),
        sa.UniqueConstraint("uuid", name=op.f("uq_besluit_audittrail_uuid")),
    )
    op.create_index(op.f("ix_besluit_audittrail_besluit_id"), "besluit_audittrail", ["besluit_id"], unique=False)


def downgrade() -> None:
    op.drop_table("besluit_audittrail")
    op.drop_table("besluitinformatieobjecten")
    op.drop_table("besluiten")
