"""The gateway's applicaties and their client ids, as the Autorisaties API first stored them.

A database the gateway created before it had migrations (its tables made at start-up) already holds
these tables: then this revision only marks them as present.

Revision ID: gateway_0001
Revises:
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "gateway_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    if "applicaties" not in existing:
        op.create_table(
            "applicaties",
            sa.Column("uuid", sa.String(length=36), nullable=False),
            sa.Column("label", sa.String(length=100), nullable=False),
            sa.Column("secret", sa.Text(), nullable=False),
            sa.Column("heeft_alle_autorisaties", sa.Boolean(), nullable=False),
            sa.Column("autorisaties", sa.JSON(), nullable=False),
            sa.Column("kolommen", sa.JSON(), nullable=False),
            sa.Column("clusters", sa.JSON(), nullable=False),
            sa.PrimaryKeyConstraint("uuid", name=op.f("pk_applicaties")),
        )
    if "applicatie_client_ids" not in existing:
        op.create_table(
            "applicatie_client_ids",
            sa.Column("client_id", sa.String(length=255), nullable=False),
            sa.Column("applicatie_uuid", sa.String(length=36), nullable=False),
            sa.ForeignKeyConstraint(["applicatie_uuid"], ["applicaties.uuid"],
                                    name=op.f("fk_applicatie_client_ids_applicatie_uuid_applicaties"),
                                    ondelete="CASCADE"),
            sa.PrimaryKeyConstraint("client_id", name=op.f("pk_applicatie_client_ids")),
        )
        op.create_index(op.f("ix_applicatie_client_ids_applicatie_uuid"), "applicatie_client_ids",
                        ["applicatie_uuid"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_applicatie_client_ids_applicatie_uuid"), table_name="applicatie_client_ids")
    op.drop_table("applicatie_client_ids")
    op.drop_table("applicaties")
