"""The runtime's tables in the documenten database: outbox, inbox, idempotency keys.

Revision ID: documenten_0001
Revises:
Create Date: 2026-12-07
"""

from alembic import op

from sds.runtime.migrations import create_runtime_tables, drop_runtime_tables

revision = "documenten_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_runtime_tables(op.get_bind())


def downgrade() -> None:
    drop_runtime_tables(op.get_bind())
