"""Open zaken and signalen without scanning the year: a zaak's kolommen as bits (``bi_zaken.masker``) and an index
on its einddatum; per signaal the household's first aanvraag on or after it (``bi_signalen.eerste_aanvraag``).

Both are filled here from the rows already projected (the same figures a rebuild reaches).

Revision ID: beleidsinfo_0005
Revises: beleidsinfo_0004
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "beleidsinfo_0005"
down_revision = "beleidsinfo_0004"
branch_labels = None
depends_on = None

# The bit of each kolom as the projection numbers them at this revision (contracts.events.fields.Kolom's order).
_BITS = {"wmo": 1, "jeugd": 2, "participatie": 4, "schuldhulp": 8}


def upgrade() -> None:
    op.add_column("bi_zaken", sa.Column("masker", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("bi_signalen", sa.Column("eerste_aanvraag", sa.Date(), nullable=True))
    bit = " ".join(f"WHEN '{kolom}' THEN {b}" for kolom, b in _BITS.items())
    op.execute(f"UPDATE bi_zaken SET masker = (SELECT coalesce(sum(CASE k.kolom {bit} ELSE 0 END), 0) "
               "FROM bi_zaak_kolommen k WHERE k.zaak = bi_zaken.zaak)")
    op.execute("UPDATE bi_signalen SET eerste_aanvraag = (SELECT min(a.registratiedatum) FROM bi_aanvragen a "
               "WHERE a.huishouden = bi_signalen.huishouden AND a.registratiedatum >= bi_signalen.registratiedatum) "
               "WHERE huishouden IS NOT NULL")
    op.create_index("ix_bi_zaken_einddatum", "bi_zaken", ["einddatum"])
    op.create_index("ix_bi_signalen_huishouden", "bi_signalen", ["huishouden", "registratiedatum"])


def downgrade() -> None:
    op.drop_index("ix_bi_signalen_huishouden", table_name="bi_signalen")
    op.drop_index("ix_bi_zaken_einddatum", table_name="bi_zaken")
    with op.batch_alter_table("bi_signalen") as batch:
        batch.drop_column("eerste_aanvraag")
    with op.batch_alter_table("bi_zaken") as batch:
        batch.drop_column("masker")
