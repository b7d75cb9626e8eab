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

# Besluittypen and informatieobjecttypen belong to a catalogus and have their own concept and versions (by
# omschrijving and geldigheid); zaakobjecttypen hang under a zaaktype like the types above.
besluittypen = Table(
    "besluittypen",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("catalogus_id", Id, ForeignKey("catalogussen.id"), nullable=False, index=True),
    Column("omschrijving", String(80), nullable=False),
    Column("begin_geldigheid", Date, nullable=False),
    Column("einde_geldigheid", Date, nullable=True),
    Column("concept", Boolean, nullable=False),
    Column("gegevens", Json, nullable=False),
)

informatieobjecttypen = Table(
    "informatieobjecttypen",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("catalogus_id", Id, ForeignKey("catalogussen.id"), nullable=False, index=True),
    Column("omschrijving", String(80), nullable=False),
    Column("begin_geldigheid", Date, nullable=False),
    Column("einde_geldigheid", Date, nullable=True),
    Column("concept", Boolean, nullable=False),
    Column("gegevens", Json, nullable=False),
)

zaakobjecttypen = Table(
    "zaakobjecttypen",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("zaaktype_id", Id, ForeignKey("zaaktypen.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("objecttype", String(200), nullable=False),
    Column("relatie_omschrijving", String(80), nullable=False),
    Column("ander_objecttype", Boolean, nullable=False),
    Column("begin_geldigheid", Date, nullable=False),
    Column("einde_geldigheid", Date, nullable=True),
    Column("gegevens", Json, nullable=False),
)

# The relations both sides of which the API shows: a zaaktype's besluittypen (and a besluittype's zaaktypen),
# a besluittype's informatieobjecttypen (and back), a resultaattype's besluittypen (and back).
zaaktype_besluittypen = Table(
    "zaaktype_besluittypen",
    metadata,
    Column("zaaktype_id", Id, ForeignKey("zaaktypen.id", ondelete="CASCADE"), primary_key=True),
    Column("besluittype_id", Id, ForeignKey("besluittypen.id", ondelete="CASCADE"), primary_key=True, index=True),
)

# Short names: PostgreSQL cuts identifiers (and so the constraint names) at 63 characters.
besluittype_iotypen = Table(
    "besluittype_iotypen",
    metadata,
    Column("besluittype_id", Id, ForeignKey("besluittypen.id", ondelete="CASCADE"), primary_key=True),
    Column("iotype_id", Id, ForeignKey("informatieobjecttypen.id", ondelete="CASCADE"), primary_key=True, index=True),
)

resultaattype_besluittypen = Table(
    "resultaattype_besluittypen",
    metadata,
    Column("resultaattype_id", Id, ForeignKey("resultaattypen.id", ondelete="CASCADE"), primary_key=True),
    Column("besluittype_id", Id, ForeignKey("besluittypen.id", ondelete="CASCADE"), primary_key=True, index=True),
)

# Catalogi 1.3.1 ``zaaktype-informatieobjecttypen``: which informatieobjecttypen a zaaktype's zaken have, in which
# order (``volgnummer``, unique per zaaktype) and direction, optionally from one statustype on. It hangs under its
# zaaktype like a statustype (changed only while the zaaktype is a concept) and names an informatieobjecttype of
# the same catalogus.
zaaktype_informatieobjecttypen = Table(
    "zaaktype_iotypen",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("zaaktype_id", Id, ForeignKey("zaaktypen.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("iotype_id", Id, ForeignKey("informatieobjecttypen.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("volgnummer", Integer, nullable=False),
    Column("richting", String(20), nullable=False),
    Column("gegevens", Json, nullable=False),
    UniqueConstraint("zaaktype_id", "volgnummer", name="uq_zaaktype_iotypen_zaaktype_volgnummer"),
)
