"""Tables of the Besluiten API: besluiten, their informatieobjecten and the audittrail of a besluit.

The besluittype and the zaak live in the same database (Catalogi and Zaken are hosted beside it, as Open Zaak
does), so a besluit names them by key: authorisation per besluittype is a WHERE clause on one indexed column,
and the zaak's side of the relation (``zaakbesluiten``) is kept in step in the same transaction.
"""

from sqlalchemy import Column, Date, DateTime, ForeignKey, Index, String, Table, UniqueConstraint

from services.zaken.common import Id, Json
from services.zaken.models import metadata

besluiten = Table(
    "besluiten",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("identificatie", String(50), nullable=False),
    Column("verantwoordelijke_organisatie", String(9), nullable=False),
    # No cascade: a besluittype with besluiten is not deleted (catalogi refuses it, ``pending-relations``).
    Column("besluittype_id", Id, ForeignKey("besluittypen.id"), nullable=False),
    # Deleting a zaak removes its relation to the besluit (service.zaak_deleted, with audittrail and event; SET NULL
    # holds it for a delete that bypasses the API); the besluit itself stays (it has its own life).
    Column("zaak_id", Id, ForeignKey("zaken.id", ondelete="SET NULL"), nullable=True, index=True),
    Column("datum", Date, nullable=False),
    Column("ingangsdatum", Date, nullable=False),
    Column("vervaldatum", Date, nullable=True),
    # What only the API carries: toelichting, bestuursorgaan, vervalreden and the other dates.
    Column("gegevens", Json, nullable=False),
    UniqueConstraint("verantwoordelijke_organisatie", "identificatie",
                     name="uq_besluiten_verantwoordelijke_organisatie_identificatie"),
    # The list a client with a grant per besluittype opens: the besluiten of one besluittype, oldest first.
    Index("ix_besluiten_besluittype_id_id", "besluittype_id", "id"),
)

# A besluit's relation to an informatieobject in a Documenten API; unique per pair, as in ZGW.
besluitinformatieobjecten = Table(
    "besluitinformatieobjecten",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("besluit_id", Id, ForeignKey("besluiten.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("informatieobject", String(1000), nullable=False, index=True),
    Column("registratiedatum", DateTime(timezone=True), nullable=False),
    UniqueConstraint("besluit_id", "informatieobject"),
)

# The Besluiten API deletes a besluit "samen met alle gerelateerde resources", its audittrail included.
besluit_audittrail = Table(
    "besluit_audittrail",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("besluit_id", Id, ForeignKey("besluiten.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("aanmaakdatum", DateTime(timezone=True), nullable=False),
    Column("gegevens", Json, nullable=False),
)
