"""Catalogi: zaaktype-informatieobjecttypen (which informatieobjecttypen the zaken of a zaaktype have).

Revision ID: zaken_0007_ztiot
Revises: zaken_0006
Create Date: 2026-12-06 13:00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "zaken_0007_ztiot"
down_revision = "zaken_0006"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "zaaktype_iotypen",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("zaaktype_id", ID, nullable=False),
        sa.Column("iotype_id", ID, nullable=False),
        sa.Column("volgnummer", sa.Integer(), nullable=False),
        sa.Column("richting", sa.String(length=20), nullable=False),
        sa.Column("gegevens", JSON, nullable=False),
        sa.ForeignKeyConstraint(["zaaktype_id"], ["zaaktypen.id"],
                                name=op.f("fk_zaaktype_iotypen_zaaktype_id_zaaktypen"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["iotype_id"], ["informatieobjecttypen.id"],
                                name=op.f("fk_zaaktype_iotypen_iotype_id_informatieobjecttypen"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_zaaktype_iotypen")),
        sa.UniqueConstraint("uuid", name=op.f("uq_zaaktype_iotypen_uuid")),
        sa.UniqueConstraint("zaaktype_id", "volgnummer", name="uq_zaaktype_iotypen_zaaktype_volgnummer"),
    )
    op.create_index(op.f("ix_zaaktype_iotypen_zaaktype_id"), "zaaktype_iotypen", ["zaaktype_id"], unique=False)
    op.create_index(op.f("ix_zaaktype_iotypen_iotype_id"), "zaaktype_iotypen", ["iotype_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_zaaktype_iotypen_iotype_id"), table_name="zaaktype_iotypen")
    op.drop_index(op.f("ix_zaaktype_iotypen_zaaktype_id"), table_name="zaaktype_iotypen")
    op.drop_table("zaaktype_iotypen")
