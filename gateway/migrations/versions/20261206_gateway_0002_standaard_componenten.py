"""The Autorisaties API's own component names: a grant on ``zaken`` is one on ``zrc``, ``catalogi`` on
``ztc``, ``autorisaties`` on ``ac``; the suite's own components keep their names. The scopes were already
the standard's. An applicatie may be registered without a secret (the standard's API has none), so the
column takes NULL.

Revision ID: gateway_0002
Revises: gateway_0001
Create Date: 2026-12-06
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "gateway_0002"
down_revision = "gateway_0001"
branch_labels = None
depends_on = None

# Frozen here: what the names were and became at this revision, whatever later code calls them.
_RENAMED = {"zaken": "zrc", "catalogi": "ztc", "autorisaties": "ac"}
_OLD_COMPONENTS = {"zaken", "catalogi", "intake", "klantgegevens", "financien", "beleidsinfo", "autorisaties"}

_applicaties = sa.table("applicaties", sa.column("uuid", sa.String), sa.column("secret", sa.Text),
                        sa.column("autorisaties", sa.JSON))
_client_ids = sa.table("applicatie_client_ids", sa.column("client_id", sa.String),
                       sa.column("applicatie_uuid", sa.String))


def _rename(mapping: dict[str, str]) -> None:
    bind = op.get_bind()
    for uuid, autorisaties in bind.execute(sa.select(_applicaties.c.uuid, _applicaties.c.autorisaties)).all():
        renamed: list[dict[str, Any]] = [
            {**a, "component": mapping.get(a.get("component"), a.get("component"))} for a in autorisaties or []]
        if renamed != autorisaties:
            bind.execute(_applicaties.update().where(_applicaties.c.uuid == uuid).values(autorisaties=renamed))


def _secret_nullable(nullable: bool) -> None:
    # SQLite changes a column by copying the table, dropping the old one and renaming the copy; with foreign
    # keys on, the drop cascades to the client ids. They are put back as they were, in the same transaction.
    bind = op.get_bind()
    client_ids = [tuple(row) for row in bind.execute(sa.select(_client_ids.c.client_id, _client_ids.c.applicatie_uuid))]
    with op.batch_alter_table("applicaties") as batch_op:
        batch_op.alter_column("secret", existing_type=sa.Text(), nullable=nullable)
    kept = {row[0] for row in bind.execute(sa.select(_client_ids.c.client_id))}
    lost = [{"client_id": c, "applicatie_uuid": a} for c, a in client_ids if c not in kept]
    if lost:
        bind.execute(_client_ids.insert(), lost)


def upgrade() -> None:
    _rename(_RENAMED)
    _secret_nullable(True)


def downgrade() -> None:
    bind = op.get_bind()
    without = bind.execute(sa.select(_applicaties.c.uuid).where(_applicaties.c.secret.is_(None))).scalars().all()
    if without:
        raise RuntimeError(f"applicaties without a secret cannot go back to gateway_0001: {', '.join(without)}")
    back = {new: old for old, new in _RENAMED.items()}
    for uuid, autorisaties in bind.execute(sa.select(_applicaties.c.uuid, _applicaties.c.autorisaties)).all():
        unknown = sorted({back.get(a.get("component"), a.get("component")) for a in autorisaties} - _OLD_COMPONENTS)
        if unknown:
            raise RuntimeError(f"applicatie {uuid} has grants on {', '.join(unknown)}, unknown at gateway_0001")
    _rename(back)
    _secret_nullable(False)
