"""What was changed in the applicaties, for the other gateway processes: a row per client id per change, by
wall-clock time, read by each process every ``revocation_poll_seconds`` (gateway.applicaties).

Revision ID: gateway_0003
Revises: gateway_0002
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "gateway_0003"
down_revision = "gateway_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "applicatie_wijzigingen",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("client_id", sa.String(255), nullable=False),
        sa.Column("gewijzigd_op", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_applicatie_wijzigingen")),
    )
    op.create_index(op.f("ix_applicatie_wijzigingen_gewijzigd_op"), "applicatie_wijzigingen", ["gewijzigd_op"])


def downgrade() -> None:
    op.drop_index(op.f("ix_applicatie_wijzigingen_gewijzigd_op"), table_name="applicatie_wijzigingen")
    op.drop_table("applicatie_wijzigingen")
