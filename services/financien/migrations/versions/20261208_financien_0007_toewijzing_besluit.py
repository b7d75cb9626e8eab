"""A toewijzing keeps the beschikking that granted its toekenning: the besluit's URL (Besluiten API), carried in
resultaat-vastgesteld; none for a toewijzing that an aanbieder's verzoek made.

Revision ID: financien_0007
Revises: financien_0006
Create Date: 2026-12-08 01:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "financien_0007"
down_revision = "financien_0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("toewijzingen") as batch:
        batch.add_column(sa.Column("besluit", sa.String(length=1000), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("toewijzingen") as batch:
        batch.drop_column("besluit")
