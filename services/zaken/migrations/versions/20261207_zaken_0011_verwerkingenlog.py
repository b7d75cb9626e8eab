"""The verwerkingenlog of zaken: every read and write of a zaak or rol that names a natuurlijk persoon, one record
per pseudonymised betrokkene (the shape of sds.runtime.verwerkingenlog, as klantgegevens, intake and financien
keep it).

Revision ID: zaken_0011_vwl
Revises: zaken_0010_brc
Create Date: 2026-12-07 09:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "zaken_0011_vwl"
down_revision = "zaken_0010_brc"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "verwerkingen",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("tijdstip", sa.DateTime(timezone=True), nullable=False),
        sa.Column("client_id", sa.String(length=255), nullable=False),
        sa.Column("gebruiker", sa.String(length=255), nullable=False),
        sa.Column("verwerkingsactiviteit", sa.String(length=63), nullable=False),
        sa.Column("handeling", sa.String(length=10), nullable=False),
        sa.Column("grondslag", sa.String(length=100), nullable=False),
        sa.Column("betrokkene", sa.String(length=32), nullable=False),
        sa.Column("trace_id", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verwerkingen")),
    )
    op.create_index("ix_verwerkingen_betrokkene_tijdstip", "verwerkingen", ["betrokkene", "tijdstip"], unique=False)
    op.create_index("ix_verwerkingen_client_tijdstip", "verwerkingen", ["client_id", "tijdstip"], unique=False)
    op.create_index("ix_verwerkingen_trace_id", "verwerkingen", ["trace_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_verwerkingen_trace_id", table_name="verwerkingen")
    op.drop_index("ix_verwerkingen_client_tijdstip", table_name="verwerkingen")
    op.drop_index("ix_verwerkingen_betrokkene_tijdstip", table_name="verwerkingen")
    op.drop_table("verwerkingen")
