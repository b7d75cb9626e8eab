"""Documenten API: documents with their versions, bestandsdelen and audittrail; gebruiksrechten;
objectinformatieobjecten.

Revision ID: documenten_0002
Revises: documenten_0001
Create Date: 2026-12-07 09:30:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "documenten_0002"
down_revision = "documenten_0001"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "documenten",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("bronorganisatie", sa.String(length=9), nullable=False),
        sa.Column("identificatie", sa.String(length=40), nullable=False),
        sa.Column("informatieobjecttype", sa.String(length=200), nullable=False),
        sa.Column("catalogus", sa.String(length=200), nullable=False),
        sa.Column("vertrouwelijkheid_rank", sa.Integer(), nullable=False),
        sa.Column("versie", sa.Integer(), nullable=False),
        sa.Column("lock", sa.String(length=64), nullable=False),
        sa.Column("trefwoorden", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documenten")),
        sa.UniqueConstraint("bronorganisatie", "identificatie", name="uq_documenten_bronorganisatie_identificatie"),
        sa.UniqueConstraint("uuid", name=op.f("uq_documenten_uuid")),
    )
    with op.batch_alter_table("documenten", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_documenten_informatieobjecttype"), ["informatieobjecttype"], unique=False)

    op.create_table(
        "bestandsdelen",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("informatieobject_id", _ID, nullable=False),
        sa.Column("volgnummer", sa.Integer(), nullable=False),
        sa.Column("omvang", sa.BigInteger(), nullable=False),
        sa.Column("inhoud", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["informatieobject_id"],
            ["documenten.id"],
            name=op.f("fk_bestandsdelen_informatieobject_id_documenten"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bestandsdelen")),
        sa.UniqueConstraint("informatieobject_id", "volgnummer", name=op.f("uq_bestandsdelen_informatieobject_id")),
        sa.UniqueConstraint("uuid", name=op.f("uq_bestandsdelen_uuid")),
    )
    with op.batch_alter_table("bestandsdelen", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bestandsdelen_informatieobject_id"), ["informatieobject_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_bestandsdelen_inhoud"), ["inhoud"], unique=False)

    op.create_table(
        "gebruiksrechten",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("informatieobject_id", _ID, nullable=False),
        sa.Column("startdatum", sa.DateTime(timezone=True), nullable=False),
        sa.Column("einddatum", sa.DateTime(timezone=True), nullable=True),
        sa.Column("omschrijving_voorwaarden", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["informatieobject_id"],
            ["documenten.id"],
            name=op.f("fk_gebruiksrechten_informatieobject_id_documenten"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gebruiksrechten")),
        sa.UniqueConstraint("uuid", name=op.f("uq_gebruiksrechten_uuid")),
    )
    with op.batch_alter_table("gebruiksrechten", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_gebruiksrechten_informatieobject_id"), ["informatieobject_id"], unique=False
        )

    op.create_table(
        "informatieobject_audittrail",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("informatieobject_id", _ID, nullable=False),
        sa.Column("aanmaakdatum", sa.DateTime(timezone=True), nullable=False),
        sa.Column("gegevens", _JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["informatieobject_id"],
            ["documenten.id"],
            name=op.f("fk_informatieobject_audittrail_informatieobject_id_documenten"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_informatieobject_audittrail")),
        sa.UniqueConstraint("uuid", name=op.f("uq_informatieobject_audittrail_uuid")),
    )
    with op.batch_alter_table("informatieobject_audittrail", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_informatieobject_audittrail_informatieobject_id"), ["informatieobject_id"], unique=False
        )

    op.create_table(
        "informatieobject_versies",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("informatieobject_id", _ID, nullable=False),
        sa.Column("versie", sa.Integer(), nullable=False),
        sa.Column("begin_registratie", sa.DateTime(timezone=True), nullable=False),
        sa.Column("gegevens", _JSON, nullable=False),
        sa.Column("inhoud", sa.String(length=64), nullable=True),
        sa.Column("bestandsomvang", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["informatieobject_id"],
            ["documenten.id"],
            name=op.f("fk_informatieobject_versies_informatieobject_id_documenten"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_informatieobject_versies")),
        sa.UniqueConstraint(
            "informatieobject_id", "versie", name=op.f("uq_informatieobject_versies_informatieobject_id")
        ),
    )
    with op.batch_alter_table("informatieobject_versies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_informatieobject_versies_inhoud"), ["inhoud"], unique=False)
        batch_op.create_index(
            "ix_informatieobject_versies_registratie", ["informatieobject_id", "begin_registratie"], unique=False
        )

    op.create_table(
        "objectinformatieobjecten",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("informatieobject_id", _ID, nullable=False),
        sa.Column("object", sa.String(length=1000), nullable=False),
        sa.Column("object_type", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["informatieobject_id"],
            ["documenten.id"],
            name=op.f("fk_objectinformatieobjecten_informatieobject_id_documenten"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_objectinformatieobjecten")),
        sa.UniqueConstraint(
            "informatieobject_id", "object", name=op.f("uq_objectinformatieobjecten_informatieobject_id")
        ),
        sa.UniqueConstraint("uuid", name=op.f("uq_objectinformatieobjecten_uuid")),
    )
    with op.batch_alter_table("objectinformatieobjecten", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_objectinformatieobjecten_informatieobject_id"), ["informatieobject_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_objectinformatieobjecten_object"), ["object"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("objectinformatieobjecten", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_objectinformatieobjecten_object"))
        batch_op.drop_index(batch_op.f("ix_objectinformatieobjecten_informatieobject_id"))

    op.drop_table("objectinformatieobjecten")
    with op.batch_alter_table("informatieobject_versies", schema=None) as batch_op:
        batch_op.drop_index("ix_informatieobject_versies_registratie")
        batch_op.drop_index(batch_op.f("ix_informatieobject_versies_inhoud"))

    op.drop_table("informatieobject_versies")
    with op.batch_alter_table("informatieobject_audittrail", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_informatieobject_audittrail_informatieobject_id"))

    op.drop_table("informatieobject_audittrail")
    with op.batch_alter_table("gebruiksrechten", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_gebruiksrechten_informatieobject_id"))

    op.drop_table("gebruiksrechten")
    with op.batch_alter_table("bestandsdelen", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bestandsdelen_inhoud"))
        batch_op.drop_index(batch_op.f("ix_bestandsdelen_informatieobject_id"))

    op.drop_table("bestandsdelen")
    with op.batch_alter_table("documenten", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_documenten_informatieobjecttype"))

    op.drop_table("documenten")
