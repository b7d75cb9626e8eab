"""Personen, huishoudens with their history, grondslagen, toestemmingen, contactmomenten, the verwerkingenlog
and the eigen-dossier read model.

Revision ID: klantgegevens_0002
Revises: klantgegevens_0001
Create Date: 2026-11-28 13:50:13.048315
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "klantgegevens_0002"
down_revision = "klantgegevens_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dossier_aanvragen",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("aanvraag", sa.String(length=1000), nullable=False),
        sa.Column("huishouden_uuid", sa.String(length=36), nullable=False),
        sa.Column(
            "kolommen", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("fase", sa.String(length=12), nullable=False),
        sa.Column("uitkomst", sa.String(length=30), nullable=True),
        sa.Column("registratiedatum", sa.Date(), nullable=False),
        sa.Column("einddatum", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dossier_aanvragen")),
        sa.UniqueConstraint("aanvraag", name=op.f("uq_dossier_aanvragen_aanvraag")),
    )
    op.create_index("ix_dossier_aanvragen_huishouden_uuid", "dossier_aanvragen", ["huishouden_uuid"], unique=False)
    op.create_table(
        "dossier_plannen",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("plan", sa.String(length=1000), nullable=False),
        sa.Column("huishouden_uuid", sa.String(length=36), nullable=False),
        sa.Column("wijziging", sa.String(length=12), nullable=False),
        sa.Column(
            "zaken", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("regisseur", sa.String(length=1000), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dossier_plannen")),
        sa.UniqueConstraint("plan", name=op.f("uq_dossier_plannen_plan")),
    )
    op.create_index("ix_dossier_plannen_huishouden_uuid", "dossier_plannen", ["huishouden_uuid"], unique=False)
    op.create_table(
        "dossier_toewijzingen",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("toewijzing", sa.String(length=1000), nullable=False),
        sa.Column("huishouden_uuid", sa.String(length=36), nullable=False),
        sa.Column("zaak", sa.String(length=1000), nullable=False),
        sa.Column("kolom", sa.String(length=20), nullable=False),
        sa.Column("aanbieder", sa.String(length=1000), nullable=False),
        sa.Column(
            "product", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column(
            "omvang", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("begindatum", sa.Date(), nullable=False),
        sa.Column("einddatum", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dossier_toewijzingen")),
        sa.UniqueConstraint("toewijzing", name=op.f("uq_dossier_toewijzingen_toewijzing")),
    )
    op.create_index(
        "ix_dossier_toewijzingen_huishouden_uuid", "dossier_toewijzingen", ["huishouden_uuid"], unique=False
    )
    op.create_table(
        "dossier_zaken",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("zaak", sa.String(length=1000), nullable=False),
        sa.Column("huishouden_uuid", sa.String(length=36), nullable=False),
        sa.Column("zaaktype", sa.String(length=1000), nullable=False),
        sa.Column(
            "kolommen", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("cluster", sa.String(length=63), nullable=True),
        sa.Column("integraal", sa.Boolean(), nullable=False),
        sa.Column("startdatum", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=1000), nullable=True),
        sa.Column("statustype", sa.String(length=1000), nullable=True),
        sa.Column("datum_status_gezet", sa.DateTime(timezone=True), nullable=True),
        sa.Column("is_eindstatus", sa.Boolean(), nullable=False),
        sa.Column("einddatum", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dossier_zaken")),
        sa.UniqueConstraint("zaak", name=op.f("uq_dossier_zaken_zaak")),
    )
    op.create_index("ix_dossier_zaken_huishouden_uuid", "dossier_zaken", ["huishouden_uuid"], unique=False)
    op.create_table(
        "grondslagen",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("huishouden_uuid", sa.String(length=36), nullable=False),
        sa.Column("bron", sa.String(length=1000), nullable=False),
        sa.Column("soort", sa.String(length=12), nullable=False),
        sa.Column("kolom", sa.String(length=20), nullable=False),
        sa.Column("cluster", sa.String(length=63), nullable=True),
        sa.Column("begin", sa.DateTime(timezone=True), nullable=False),
        sa.Column("eind", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grondslagen")),
    )
    op.create_index("ix_grondslagen_huishouden_uuid", "grondslagen", ["huishouden_uuid"], unique=False)
    op.create_index("uq_grondslagen_bron_kolom", "grondslagen", ["bron", "kolom"], unique=True)
    op.create_table(
        "huishoudens",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("aangemaakt", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opgeheven", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_huishoudens")),
        sa.UniqueConstraint("uuid", name=op.f("uq_huishoudens_uuid")),
    )
    op.create_table(
        "personen",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("bsn", sa.String(length=9), nullable=False),
        sa.Column("pseudoniem", sa.String(length=32), nullable=False),
        sa.Column("voornamen", sa.String(length=200), nullable=True),
        sa.Column("voorvoegsel", sa.String(length=10), nullable=True),
        sa.Column("geslachtsnaam", sa.String(length=200), nullable=False),
        sa.Column("geboortedatum", sa.Date(), nullable=True),
        sa.Column("straat", sa.String(length=80), nullable=True),
        sa.Column("huisnummer", sa.Integer(), nullable=True),
        sa.Column("huisletter", sa.String(length=1), nullable=True),
        sa.Column("huisnummertoevoeging", sa.String(length=4), nullable=True),
        sa.Column("postcode", sa.String(length=6), nullable=True),
        sa.Column("woonplaats", sa.String(length=80), nullable=True),
        sa.Column("bron", sa.String(length=10), nullable=False),
        sa.Column("bijgewerkt", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_personen")),
        sa.UniqueConstraint("bsn", name=op.f("uq_personen_bsn")),
        sa.UniqueConstraint("pseudoniem", name=op.f("uq_personen_pseudoniem")),
        sa.UniqueConstraint("uuid", name=op.f("uq_personen_uuid")),
    )
    op.create_table(
        "verwerkingen",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("tijdstip", sa.DateTime(timezone=True), nullable=False),
        sa.Column("client_id", sa.String(length=255), nullable=False),
        sa.Column("gebruiker", sa.String(length=255), nullable=False),
        sa.Column("verwerkingsactiviteit", sa.String(length=63), nullable=False),
        sa.Column("handeling", sa.String(length=10), nullable=False),
        sa.Column("grondslag", sa.String(length=100), nullable=False),
        sa.Column("betrokkene", sa.String(length=32), nullable=False),
        sa.Column("trace_id", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verwerkingen")),
    )
    op.create_index("ix_verwerkingen_betrokkene_tijdstip", "verwerkingen", ["betrokkene", "tijdstip"], unique=False)
    op.create_index("ix_verwerkingen_client_tijdstip", "verwerkingen", ["client_id", "tijdstip"], unique=False)
    op.create_index("ix_verwerkingen_trace_id", "verwerkingen", ["trace_id"], unique=False)
    op.create_table(
        "contactmomenten",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("persoon_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("cluster", sa.String(length=63), nullable=False),
        sa.Column("kanaal", sa.String(length=20), nullable=False),
        sa.Column("onderwerp", sa.String(length=1000), nullable=False),
        sa.Column("medewerker", sa.String(length=200), nullable=False),
        sa.Column("tijdstip", sa.DateTime(timezone=True), nullable=False),
        sa.Column("client_id", sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(["persoon_id"], ["personen.id"], name=op.f("fk_contactmomenten_persoon_id_personen")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contactmomenten")),
        sa.UniqueConstraint("uuid", name=op.f("uq_contactmomenten_uuid")),
    )
    op.create_index("ix_contactmomenten_persoon_cluster", "contactmomenten", ["persoon_id", "cluster"], unique=False)
    op.create_table(
        "lidmaatschappen",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("huishouden_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("persoon_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("rol", sa.String(length=10), nullable=False),
        sa.Column("van", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tot", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["huishouden_id"], ["huishoudens.id"], name=op.f("fk_lidmaatschappen_huishouden_id_huishoudens")
        ),
        sa.ForeignKeyConstraint(["persoon_id"], ["personen.id"], name=op.f("fk_lidmaatschappen_persoon_id_personen")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lidmaatschappen")),
    )
    op.create_index("ix_lidmaatschappen_huishouden_id", "lidmaatschappen", ["huishouden_id"], unique=False)
    op.create_index("ix_lidmaatschappen_persoon_id", "lidmaatschappen", ["persoon_id"], unique=False)
    op.create_index(
        "uq_lidmaatschappen_actueel",
        "lidmaatschappen",
        ["persoon_id"],
        unique=True,
        sqlite_where=sa.text("tot IS NULL"),
        postgresql_where=sa.text("tot IS NULL"),
    )
    op.create_table(
        "toestemmingen",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("persoon_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("doel", sa.String(length=63), nullable=False),
        sa.Column("kolom", sa.String(length=20), nullable=True),
        sa.Column("cluster", sa.String(length=63), nullable=True),
        sa.Column("startdatum", sa.Date(), nullable=False),
        sa.Column("einddatum", sa.Date(), nullable=True),
        sa.Column("ingetrokken", sa.DateTime(timezone=True), nullable=True),
        sa.Column("geregistreerd", sa.DateTime(timezone=True), nullable=False),
        sa.Column("client_id", sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(["persoon_id"], ["personen.id"], name=op.f("fk_toestemmingen_persoon_id_personen")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_toestemmingen")),
        sa.UniqueConstraint("uuid", name=op.f("uq_toestemmingen_uuid")),
    )
    op.create_index("ix_toestemmingen_persoon_id", "toestemmingen", ["persoon_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_toestemmingen_persoon_id", table_name="toestemmingen")
    op.drop_table("toestemmingen")
    op.drop_index(
        "uq_lidmaatschappen_actueel",
        table_name="lidmaatschappen",
        sqlite_where=sa.text("tot IS NULL"),
        postgresql_where=sa.text("tot IS NULL"),
    )
    op.drop_index("ix_lidmaatschappen_persoon_id", table_name="lidmaatschappen")
    op.drop_index("ix_lidmaatschappen_huishouden_id", table_name="lidmaatschappen")
    op.drop_table("lidmaatschappen")
    op.drop_index("ix_contactmomenten_persoon_cluster", table_name="contactmomenten")
    op.drop_table("contactmomenten")
    op.drop_index("ix_verwerkingen_trace_id", table_name="verwerkingen")
    op.drop_index("ix_verwerkingen_client_tijdstip", table_name="verwerkingen")
    op.drop_index("ix_verwerkingen_betrokkene_tijdstip", table_name="verwerkingen")
    op.drop_table("verwerkingen")
    op.drop_table("personen")
    op.drop_table("huishoudens")
    op.drop_index("uq_grondslagen_bron_kolom", table_name="grondslagen")
    op.drop_index("ix_grondslagen_huishouden_uuid", table_name="grondslagen")
    op.drop_table("grondslagen")
    op.drop_index("ix_dossier_zaken_huishouden_uuid", table_name="dossier_zaken")
    op.drop_table("dossier_zaken")
    op.drop_index("ix_dossier_toewijzingen_huishouden_uuid", table_name="dossier_toewijzingen")
    op.drop_table("dossier_toewijzingen")
    op.drop_index("ix_dossier_plannen_huishouden_uuid", table_name="dossier_plannen")
    op.drop_table("dossier_plannen")
    op.drop_index("ix_dossier_aanvragen_huishouden_uuid", table_name="dossier_aanvragen")
    op.drop_table("dossier_aanvragen")
