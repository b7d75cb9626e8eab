"""Catalogi: besluittypen and informatieobjecttypen per catalogus, zaakobjecttypen per zaaktype, and the
relations the API shows from both sides (zaaktype-besluittype, besluittype-informatieobjecttype,
resultaattype-besluittype).

Revision ID: zaken_0006
Revises: zaken_0004
Create Date: 2026-11-28 23:36:43.330165
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "zaken_0006"
down_revision = "zaken_0004"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def _catalogus_type(name: str) -> None:
    op.create_table(
        name,
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("catalogus_id", ID, nullable=False),
        sa.Column("omschrijving", sa.String(length=80), nullable=False),
        sa.Column("begin_geldigheid", sa.Date(), nullable=False),
        sa.Column("einde_geldigheid", sa.Date(), nullable=True),
        sa.Column("concept", sa.Boolean(), nullable=False),
        sa.Column("gegevens", JSON, nullable=False),
        sa.ForeignKeyConstraint(["catalogus_id"], ["catalogussen.id"],
                                name=op.f(f"fk_{name}_catalogus_id_catalogussen")),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
        sa.UniqueConstraint("uuid", name=op.f(f"uq_{name}_uuid")),
    )
    op.create_index(op.f(f"ix_{name}_catalogus_id"), name, ["catalogus_id"], unique=False)


def _link(name: str, own: str, own_table: str, other: str, other_table: str) -> None:
    op.create_table(
        name,
        sa.Column(own, ID, nullable=False),
        sa.Column(other, ID, nullable=False),
        sa.ForeignKeyConstraint([own], [f"{own_table}.id"], name=op.f(f"fk_{name}_{own}_{own_table}"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint([other], [f"{other_table}.id"], name=op.f(f"fk_{name}_{other}_{other_table}"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint(own, other, name=op.f(f"pk_{name}")),
    )
    op.create_index(op.f(f"ix_{name}_{other}"), name, [other], unique=False)


def upgrade() -> None:
    _catalogus_type("besluittypen")
    _catalogus_type("informatieobjecttypen")
    op.create_table(
        "zaakobjecttypen",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("zaaktype_id", ID, nullable=False),
        sa.Column("objecttype", sa.String(length=200), nullable=False),
        sa.Column("relatie_omschrijving", sa.String(length=80), nullable=False),
        sa.Column("ander_objecttype", sa.Boolean(), nullable=False),
        sa.Column("begin_geldigheid", sa.Date(), nullable=False),
        sa.Column("einde_geldigheid", sa.Date(), nullable=True),
        sa.Column("gegevens", JSON, nullable=False),
        sa.ForeignKeyConstraint(["zaaktype_id"], ["zaaktypen.id"],
                                name=op.f("fk_zaakobjecttypen_zaaktype_id_zaaktypen"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_zaakobjecttypen")),
        sa.UniqueConstraint("uuid", name=op.f("uq_zaakobjecttypen_uuid")),
    )
    op.create_index(op.f("ix_zaakobjecttypen_zaaktype_id"), "zaakobjecttypen", ["zaaktype_id"], unique=False)
    _link("zaaktype_besluittypen", "zaaktype_id", "zaaktypen", "besluittype_id", "besluittypen")
    _link("besluittype_iotypen", "besluittype_id", "besluittypen", "iotype_id", "informatieobjecttypen")
    _link("resultaattype_besluittypen", "resultaattype_id", "resultaattypen", "besluittype_id", "besluittypen")


def downgrade() -> None:
    for name in ("resultaattype_besluittypen", "besluittype_iotypen", "zaaktype_besluittypen", "zaakobjecttypen",
                 "informatieobjecttypen", "besluittypen"):
        op.drop_table(name)
