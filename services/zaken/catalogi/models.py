"""Tables of the catalogue: catalogussen, zaaktypen (versioned) and the types that hang under a zaaktype.

Fields the API only carries (no rule reads them) live in one ``gegevens`` JSON column per table, so the
columns are the ones a filter, an index or a rule needs.
"""

from sqlalchemy import Boolean, Column, Date, ForeignKey, Index, Integer, String, Table, UniqueConstraint

from services.zaken.common import Id, Json
from services.zaken.models import metadata

catalogussen = Table(
    "catalogussen",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("domein", String(5), nullable=False),
    Column("rsin", String(9), nullable=False),
    Column("naam", String(200), nullable=True),
    # The kolom this catalogus serves (wmo, jeugd, participatie, schuldhulp) or "integraal"; authorisation
    # per kolom matches on it.
    Column("kolom", String(20), nullable=True),
    Column("gegevens", Json, nullable=False),
    UniqueConstraint("domein", "rsin", name="uq_catalogussen_domein_rsin"),
)

zaaktypen = Table(
    "zaaktypen",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("catalogus_id", Id, ForeignKey("catalogussen.id"), nullable=False),
    Column("identificatie", String(50), nullable=False),
    Column("omschrijving", String(80), nullable=False),
    Column("vertrouwelijkheidaanduiding", String(20), nullable=False),
    Column("doorlooptijd", String(40), nullable=False),
    Column("trefwoorden", Json, nullable=False),
    Column("begin_geldigheid", Date, nullable=False),
    Column("einde_geldigheid", Date, nullable=True),
    Column("concept", Boolean, nullable=False),
    Column("gegevens", Json, nullable=False),
    Index("ix_zaaktypen_catalogus_identificatie", "catalogus_id", "identificatie"),
)

statustypen = Table(
    "statustypen",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("zaaktype_id", Id, ForeignKey("zaaktypen.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("omschrijving", String(80), nullable=False),
    Column("volgnummer", Integer, nullable=False),
    Column("gegevens", Json, nullable=False),
    UniqueConstraint("zaaktype_id", "volgnummer", name="uq_statustypen_zaaktype_volgnummer"),
)

roltypen = Table(
    "roltypen",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("zaaktype_id", Id, ForeignKey("zaaktypen.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("omschrijving", String(100), nullable=False),
    Column("omschrijving_generiek", String(20), nullable=False),
    Column("gegevens", Json, nullable=False),
)

resultaattypen = Table(
    "resultaattypen",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("zaaktype_id", Id, ForeignKey("zaaktypen.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("omschrijving", String(30), nullable=False),
    Column("archiefnominatie", String(20), nullable=True),
    Column("gegevens", Json, nullable=False),
)

eigenschappen = Table(
    "eigenschappen",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("zaaktype_id", Id, ForeignKey("zaaktypen.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("naam", String(20), nullable=False),
    Column("gegevens", Json, nullable=False),
    UniqueConstraint("zaaktype_id", "naam", name="uq_eigenschappen_zaaktype_naam"),
)
