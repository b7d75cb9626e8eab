"""Documenten API: the number of documents per informatieobjecttype, kept with every create and delete, filled
from the documents already there.

Revision ID: documenten_0004
Revises: documenten_0003
Create Date: 2026-12-07 16:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "documenten_0004"
down_revision = "documenten_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documenten_tellingen",
        sa.Column("informatieobjecttype", sa.String(length=200), nullable=False),
        sa.Column("aantal", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("informatieobjecttype", name=op.f("pk_documenten_tellingen")),
    )
    op.execute("INSERT INTO documenten_tellingen (informatieobjecttype, aantal) "
               "SELECT informatieobjecttype, count(*) FROM documenten GROUP BY informatieobjecttype")


def downgrade() -> None:
    op.drop_table("documenten_tellingen")
