"""The kolommen each history line of an aanvraag speaks of, so a team limited to kolommen reads only its own lines
(a line without them, written before, speaks of the whole aanvraag and is shown only to who sees all of it).

Revision ID: intake_0004
Revises: intake_0003
Create Date: 2026-12-06 13:00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "intake_0004"
down_revision = "intake_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("aanvraag_historie", schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            "kolommen", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("aanvraag_historie", schema=None) as batch_op:
        batch_op.drop_column("kolommen")
