"""Zaken and what hangs under a zaak, identificatie counters, the audittrail and the household plan tables.

Revision ID: zaken_0003
Revises: zaken_0002
Create Date: 2026-11-28 13:49:30.838506
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "zaken_0003"
down_revision = "zaken_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audittrail",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("zaak_uuid", sa.String(length=36), nullable=False),
        sa.Column("aanmaakdatum", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "gegevens", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audittrail")),
        sa.UniqueConstraint("uuid", name=op.f("uq_audittrail_uuid")),
    )
    with op.batch_alter_table("audittrail", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audittrail_zaak_uuid"), ["zaak_uuid"], unique=False)

    op.create_table(
        "plannen",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("huishouden", sa.String(length=1000), nullable=False),
        sa.Column("cluster", sa.String(length=63), nullable=False),
        sa.Column("startdatum", sa.Date(), nullable=False),
        sa.Column("einddatum", sa.Date(), nullable=True),
        sa.Column(
            "gegevens", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plannen")),
        sa.UniqueConstraint("uuid", name=op.f("uq_plannen_uuid")),
    )
    with op.batch_alter_table("plannen", schema=None) as batch_op:
        batch_op.create_index(
            "uq_plannen_open_per_huishouden",
            ["huishouden", "cluster"],
            unique=True,
            sqlite_where=sa.text("einddatum IS NULL"),
            postgresql_where=sa.text("einddatum IS NULL"),
        )

    op.create_table(
        "zaak_identificatie_tellers",
        sa.Column("bronorganisatie", sa.String(length=9), nullable=False),
        sa.Column("jaar", sa.Integer(), nullable=False),
        sa.Column("laatste", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("bronorganisatie", "jaar", name=op.f("pk_zaak_identificatie_tellers")),
    )
    op.create_table(
        "plan_regisseurs",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("plan_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("zaak_uuid", sa.String(length=36), nullable=False),
        sa.Column("rol_uuid", sa.String(length=36), nullable=False),
        sa.Column("medewerker_identificatie", sa.String(length=24), nullable=False),
        sa.Column("van", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tot", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "gegevens", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plannen.id"], name=op.f("fk_plan_regisseurs_plan_id_plannen"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_regisseurs")),
        sa.UniqueConstraint("uuid", name=op.f("uq_plan_regisseurs_uuid")),
    )
    with op.batch_alter_table("plan_regisseurs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_regisseurs_plan_id"), ["plan_id"], unique=False)
        batch_op.create_index(
            "uq_plan_regisseurs_huidig",
            ["plan_id"],
            unique=True,
            sqlite_where=sa.text("tot IS NULL"),
            postgresql_where=sa.text("tot IS NULL"),
        )

    op.create_table(
        "zaken",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("identificatie", sa.String(length=40), nullable=False),
        sa.Column("bronorganisatie", sa.String(length=9), nullable=False),
        sa.Column("zaaktype_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("catalogus_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("kolom", sa.String(length=20), nullable=True),
        sa.Column("vertrouwelijkheidaanduiding", sa.String(length=20), nullable=False),
        sa.Column("vertrouwelijkheid_rank", sa.SmallInteger(), nullable=False),
        sa.Column("registratiedatum", sa.Date(), nullable=False),
        sa.Column("startdatum", sa.Date(), nullable=False),
        sa.Column("einddatum", sa.Date(), nullable=True),
        sa.Column("einddatum_gepland", sa.Date(), nullable=True),
        sa.Column("uiterlijke_einddatum_afdoening", sa.Date(), nullable=True),
        sa.Column("publicatiedatum", sa.Date(), nullable=True),
        sa.Column("archiefnominatie", sa.String(length=20), nullable=True),
        sa.Column("archiefstatus", sa.String(length=40), nullable=False),
        sa.Column("archiefactiedatum", sa.Date(), nullable=True),
        sa.Column("hoofdzaak_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("status_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("huishouden", sa.String(length=1000), nullable=True),
        sa.Column("aanvraag", sa.String(length=1000), nullable=True),
        sa.Column("cluster", sa.String(length=63), nullable=True),
        sa.Column("kolommen", sa.String(length=100), nullable=True),
        sa.Column("bron_sleutel", sa.String(length=100), nullable=True),
        sa.Column(
            "gegevens", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.ForeignKeyConstraint(["catalogus_id"], ["catalogussen.id"], name=op.f("fk_zaken_catalogus_id_catalogussen")),
        sa.ForeignKeyConstraint(["hoofdzaak_id"], ["zaken.id"], name=op.f("fk_zaken_hoofdzaak_id_zaken")),
        sa.ForeignKeyConstraint(["zaaktype_id"], ["zaaktypen.id"], name=op.f("fk_zaken_zaaktype_id_zaaktypen")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_zaken")),
        sa.UniqueConstraint("bron_sleutel", name=op.f("uq_zaken_bron_sleutel")),
        sa.UniqueConstraint("bronorganisatie", "identificatie", name="uq_zaken_bronorganisatie_identificatie"),
        sa.UniqueConstraint("uuid", name=op.f("uq_zaken_uuid")),
    )
    with op.batch_alter_table("zaken", schema=None) as batch_op:
        batch_op.create_index("ix_zaken_catalogus_id_id", ["catalogus_id", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_zaken_hoofdzaak_id"), ["hoofdzaak_id"], unique=False)
        batch_op.create_index("ix_zaken_huishouden", ["huishouden"], unique=False)
        batch_op.create_index("ix_zaken_kolom_id", ["kolom", "id"], unique=False)
        batch_op.create_index("ix_zaken_zaaktype_id_id", ["zaaktype_id", "id"], unique=False)

    op.create_table(
        "klantcontacten",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("zaak_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("identificatie", sa.String(length=14), nullable=False),
        sa.Column("datumtijd", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "gegevens", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["zaak_id"], ["zaken.id"], name=op.f("fk_klantcontacten_zaak_id_zaken"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_klantcontacten")),
        sa.UniqueConstraint("uuid", name=op.f("uq_klantcontacten_uuid")),
    )
    with op.batch_alter_table("klantcontacten", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_klantcontacten_zaak_id"), ["zaak_id"], unique=False)

    op.create_table(
        "plan_zaken",
        sa.Column("plan_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("zaak_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plannen.id"], name=op.f("fk_plan_zaken_plan_id_plannen"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["zaak_id"], ["zaken.id"], name=op.f("fk_plan_zaken_zaak_id_zaken"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("plan_id", "zaak_id", name=op.f("pk_plan_zaken")),
    )
    with op.batch_alter_table("plan_zaken", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_zaken_zaak_id"), ["zaak_id"], unique=False)

    op.create_table(
        "resultaten",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("zaak_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("resultaattype_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "gegevens", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["resultaattype_id"], ["resultaattypen.id"], name=op.f("fk_resultaten_resultaattype_id_resultaattypen")
        ),
        sa.ForeignKeyConstraint(
            ["zaak_id"], ["zaken.id"], name=op.f("fk_resultaten_zaak_id_zaken"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resultaten")),
        sa.UniqueConstraint("uuid", name=op.f("uq_resultaten_uuid")),
        sa.UniqueConstraint("zaak_id", name=op.f("uq_resultaten_zaak_id")),
    )
    op.create_table(
        "rollen",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("zaak_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("roltype_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("betrokkene", sa.String(length=1000), nullable=True),
        sa.Column("betrokkene_type", sa.String(length=30), nullable=False),
        sa.Column("omschrijving", sa.String(length=100), nullable=False),
        sa.Column("omschrijving_generiek", sa.String(length=20), nullable=False),
        sa.Column("medewerker_identificatie", sa.String(length=24), nullable=True),
        sa.Column("bsn", sa.String(length=9), nullable=True),
        sa.Column("registratiedatum", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "gegevens", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.ForeignKeyConstraint(["roltype_id"], ["roltypen.id"], name=op.f("fk_rollen_roltype_id_roltypen")),
        sa.ForeignKeyConstraint(["zaak_id"], ["zaken.id"], name=op.f("fk_rollen_zaak_id_zaken"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rollen")),
        sa.UniqueConstraint("uuid", name=op.f("uq_rollen_uuid")),
    )
    with op.batch_alter_table("rollen", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rollen_bsn"), ["bsn"], unique=False)
        batch_op.create_index(batch_op.f("ix_rollen_zaak_id"), ["zaak_id"], unique=False)

    op.create_table(
        "statussen",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("zaak_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("statustype_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("datum_status_gezet", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "gegevens", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["statustype_id"], ["statustypen.id"], name=op.f("fk_statussen_statustype_id_statustypen")
        ),
        sa.ForeignKeyConstraint(["zaak_id"], ["zaken.id"], name=op.f("fk_statussen_zaak_id_zaken"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statussen")),
        sa.UniqueConstraint("uuid", name=op.f("uq_statussen_uuid")),
    )
    with op.batch_alter_table("statussen", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_statussen_zaak_id"), ["zaak_id"], unique=False)

    op.create_table(
        "zaakeigenschappen",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("zaak_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("eigenschap_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("waarde", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["eigenschap_id"], ["eigenschappen.id"], name=op.f("fk_zaakeigenschappen_eigenschap_id_eigenschappen")
        ),
        sa.ForeignKeyConstraint(
            ["zaak_id"], ["zaken.id"], name=op.f("fk_zaakeigenschappen_zaak_id_zaken"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_zaakeigenschappen")),
        sa.UniqueConstraint("uuid", name=op.f("uq_zaakeigenschappen_uuid")),
    )
    with op.batch_alter_table("zaakeigenschappen", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_zaakeigenschappen_zaak_id"), ["zaak_id"], unique=False)

    op.create_table(
        "zaakobjecten",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("zaak_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("object", sa.String(length=1000), nullable=True),
        sa.Column("object_type", sa.String(length=40), nullable=False),
        sa.Column(
            "gegevens", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["zaak_id"], ["zaken.id"], name=op.f("fk_zaakobjecten_zaak_id_zaken"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_zaakobjecten")),
        sa.UniqueConstraint("uuid", name=op.f("uq_zaakobjecten_uuid")),
    )
    with op.batch_alter_table("zaakobjecten", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_zaakobjecten_zaak_id"), ["zaak_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("zaakobjecten", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_zaakobjecten_zaak_id"))

    op.drop_table("zaakobjecten")
    with op.batch_alter_table("zaakeigenschappen", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_zaakeigenschappen_zaak_id"))

    op.drop_table("zaakeigenschappen")
    with op.batch_alter_table("statussen", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_statussen_zaak_id"))

    op.drop_table("statussen")
    with op.batch_alter_table("rollen", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rollen_zaak_id"))
        batch_op.drop_index(batch_op.f("ix_rollen_bsn"))

    op.drop_table("rollen")
    op.drop_table("resultaten")
    with op.batch_alter_table("plan_zaken", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_zaken_zaak_id"))

    op.drop_table("plan_zaken")
    with op.batch_alter_table("klantcontacten", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_klantcontacten_zaak_id"))

    op.drop_table("klantcontacten")
    with op.batch_alter_table("zaken", schema=None) as batch_op:
        batch_op.drop_index("ix_zaken_zaaktype_id_id")
        batch_op.drop_index("ix_zaken_kolom_id")
        batch_op.drop_index("ix_zaken_huishouden")
        batch_op.drop_index(batch_op.f("ix_zaken_hoofdzaak_id"))
        batch_op.drop_index("ix_zaken_catalogus_id_id")

    op.drop_table("zaken")
    with op.batch_alter_table("plan_regisseurs", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_plan_regisseurs_huidig", sqlite_where=sa.text("tot IS NULL"), postgresql_where=sa.text("tot IS NULL")
        )
        batch_op.drop_index(batch_op.f("ix_plan_regisseurs_plan_id"))

    op.drop_table("plan_regisseurs")
    op.drop_table("zaak_identificatie_tellers")
    with op.batch_alter_table("plannen", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_plannen_open_per_huishouden",
            sqlite_where=sa.text("einddatum IS NULL"),
            postgresql_where=sa.text("einddatum IS NULL"),
        )

    op.drop_table("plannen")
    with op.batch_alter_table("audittrail", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audittrail_zaak_uuid"))

    op.drop_table("audittrail")
