"""The verwerkingenlog of financien: every read and write of a toewijzing, declaratie or verzoek that names a
household or person, per pseudonymised betrokkene (the shape of sds.runtime.verwerkingenlog, as klantgegevens and
intake keep it); toewijzingen found by household, for what one household's support costs; and the digest of a
declaratie's content, so the same batch sent again is answered as the first time.

Revision ID: financien_0006
Revises: financien_0005
Create Date: 2026-12-07 06:05:00
"""

import sqlalchemy as sa
from alembic import op

revision = "financien_0006"
down_revision = "financien_0005"
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
    op.create_index("ix_toewijzingen_huishouden", "toewijzingen", ["huishouden"], unique=False)
    with op.batch_alter_table("declaraties") as batch:
        batch.add_column(sa.Column("inhoud", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("declaraties") as batch:
        batch.drop_column("inhoud")
    op.drop_index("ix_toewijzingen_huishouden", table_name="toewijzingen")
    op.drop_index("ix_verwerkingen_trace_id", table_name="verwerkingen")
    op.drop_index("ix_verwerkingen_client_tijdstip", table_name="verwerkingen")
    op.drop_index("ix_verwerkingen_betrokkene_tijdstip", table_name="verwerkingen")
    op.drop_table("verwerkingen")
