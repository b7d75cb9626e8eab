"""Documenten API: the kolom of each document (that of its informatieobjecttype's catalogus), for the limit of an
applicatie that serves some kolommen or clusters only.

The documenten database does not know the catalogi; the kolom of the documents already there is filled in by
the service itself once it runs (``services.documenten.kolommen``: one look-up per catalogus in the Catalogi
API). Until then such a document is NULL, and an applicatie limited to kolommen does not see it.

Revision ID: documenten_0005
Revises: documenten_0004
Create Date: 2026-12-08 00:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "documenten_0005"
down_revision = "documenten_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("documenten", sa.Column("kolom", sa.String(length=20), nullable=True))
    op.create_index(op.f("ix_documenten_kolom"), "documenten", ["kolom"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_documenten_kolom"), table_name="documenten")
    with op.batch_alter_table("documenten") as batch:
        batch.drop_column("kolom")
