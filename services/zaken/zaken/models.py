"""Tables of the Zaken API: zaken and what hangs under a zaak, the identificatie counters, the audittrail.

A zaak row carries copies of what authorisation filters on (catalogus, kolom, the rank of its
vertrouwelijkheidaanduiding), so the rights of a client become a WHERE clause on one indexed table.
"""

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from sds.runtime.verwerkingenlog import verwerkingen_tabel
from services.zaken.common import Id, Json
from services.zaken.models import metadata

zaken = Table(
    "zaken",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("identificatie", String(40), nullable=False),
    Column("bronorganisatie", String(9), nullable=False),
    Column("zaaktype_id", Id, ForeignKey("zaaktypen.id"), nullable=False),
    Column("catalogus_id", Id, ForeignKey("catalogussen.id"), nullable=False),
    Column("kolom", String(20), nullable=True),
    Column("vertrouwelijkheidaanduiding", String(20), nullable=False),
    Column("vertrouwelijkheid_rank", SmallInteger, nullable=False),
    Column("registratiedatum", Date, nullable=False),
    Column("startdatum", Date, nullable=False),
    Column("einddatum", Date, nullable=True),
    Column("einddatum_gepland", Date, nullable=True),
    Column("uiterlijke_einddatum_afdoening", Date, nullable=True),
    Column("publicatiedatum", Date, nullable=True),
    Column("archiefnominatie", String(20), nullable=True),
    Column("archiefstatus", String(40), nullable=False),
    Column("archiefactiedatum", Date, nullable=True),
    Column("hoofdzaak_id", Id, ForeignKey("zaken.id"), nullable=True, index=True),
    Column("status_id", Id, nullable=True),
    Column("huishouden", String(1000), nullable=True),
    Column("aanvraag", String(1000), nullable=True),
    Column("cluster", String(63), nullable=True),
    Column("kolommen", String(100), nullable=True),
    # The triage decision (event id and position) this zaak was opened for: opening it twice is refused here.
    Column("bron_sleutel", String(100), nullable=True, unique=True),
    Column("gegevens", Json, nullable=False),
    # The bounding box of the zaakgeometrie (WGS84), so a geo search narrows in SQL first (zaken.geometrie).
    Column("geo_xmin", Float, nullable=True),
    Column("geo_ymin", Float, nullable=True),
    Column("geo_xmax", Float, nullable=True),
    Column("geo_ymax", Float, nullable=True),
    UniqueConstraint("bronorganisatie", "identificatie", name="uq_zaken_bronorganisatie_identificatie"),
    # The list a worker opens most: the zaken of one zaaktype, newest first.
    Index("ix_zaken_zaaktype_id_id", "zaaktype_id", "id"),
    Index("ix_zaken_catalogus_id_id", "catalogus_id", "id"),
    Index("ix_zaken_kolom_id", "kolom", "id"),
    Index("ix_zaken_huishouden", "huishouden"),
    Index("ix_zaken_geo_kader", "geo_xmin", "geo_ymin"),
)

zaak_identificatie_tellers = Table(
    "zaak_identificatie_tellers",
    metadata,
    Column("bronorganisatie", String(9), primary_key=True),
    Column("jaar", Integer, primary_key=True),
    Column("laatste", Integer, nullable=False),
)

# The number of zaken per zaaktype, kept in the transaction that adds or deletes one: the busiest list
# (the zaken of one zaaktype, for a client that sees them all) then needs no count over the index.
zaak_tellingen = Table(
    "zaak_tellingen",
    metadata,
    Column("zaaktype_id", Id, ForeignKey("zaaktypen.id"), primary_key=True, autoincrement=False),
    Column("aantal", Integer, nullable=False),
)

statussen = Table(
    "statussen",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("zaak_id", Id, ForeignKey("zaken.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("statustype_id", Id, ForeignKey("statustypen.id"), nullable=False),
    Column("datum_status_gezet", DateTime(timezone=True), nullable=False),
    Column("gegevens", Json, nullable=False),
)

rollen = Table(
    "rollen",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("zaak_id", Id, ForeignKey("zaken.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("roltype_id", Id, ForeignKey("roltypen.id"), nullable=False),
    Column("betrokkene", String(1000), nullable=True),
    Column("betrokkene_type", String(30), nullable=False),
    Column("omschrijving", String(100), nullable=False),
    Column("omschrijving_generiek", String(20), nullable=False),
    Column("medewerker_identificatie", String(24), nullable=True),
    Column("bsn", String(9), nullable=True, index=True),
    Column("registratiedatum", DateTime(timezone=True), nullable=False),
    Column("gegevens", Json, nullable=False),
)

resultaten = Table(
    "resultaten",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("zaak_id", Id, ForeignKey("zaken.id", ondelete="CASCADE"), nullable=False, unique=True),
    Column("resultaattype_id", Id, ForeignKey("resultaattypen.id"), nullable=False),
    Column("gegevens", Json, nullable=False),
)

zaakobjecten = Table(
    "zaakobjecten",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("zaak_id", Id, ForeignKey("zaken.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("object", String(1000), nullable=True),
    Column("object_type", String(40), nullable=False),
    Column("gegevens", Json, nullable=False),
)

klantcontacten = Table(
    "klantcontacten",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("zaak_id", Id, ForeignKey("zaken.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("identificatie", String(14), nullable=False),
    Column("datumtijd", DateTime(timezone=True), nullable=False),
    Column("gegevens", Json, nullable=False),
)

# The relation of a zaak to an informatieobject in a Documenten API (ZGW: the Zaken API keeps it, the document
# lives there); unique per pair, as in ZGW.
zaakinformatieobjecten = Table(
    "zaakinformatieobjecten",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("zaak_id", Id, ForeignKey("zaken.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("informatieobject", String(1000), nullable=False, index=True),
    Column("registratiedatum", DateTime(timezone=True), nullable=False),
    Column("gegevens", Json, nullable=False),
    UniqueConstraint("zaak_id", "informatieobject"),
)

# A zaak's besluiten, as the Besluiten API registers them (zaken.besluiten).
zaakbesluiten = Table(
    "zaakbesluiten",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("zaak_id", Id, ForeignKey("zaken.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("besluit", String(1000), nullable=False),
    UniqueConstraint("zaak_id", "besluit"),
)

zaakeigenschappen = Table(
    "zaakeigenschappen",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("zaak_id", Id, ForeignKey("zaken.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("eigenschap_id", Id, ForeignKey("eigenschappen.id"), nullable=False),
    Column("waarde", Text, nullable=False),
)

audittrail = Table(
    "audittrail",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    # No foreign key: the trail of a deleted zaak is kept (ZGW keeps it for accountability).
    Column("zaak_uuid", String(36), nullable=False, index=True),
    Column("aanmaakdatum", DateTime(timezone=True), nullable=False),
    Column("gegevens", Json, nullable=False),
)

# After Logboek Dataverwerkingen (sds.runtime.verwerkingenlog): one row per natuurlijk persoon per read or write of
# a zaak or rol that names them (zaken.verwerking). Append only.
verwerkingen = verwerkingen_tabel(metadata)


# The zaak a deelzaak belongs to, in queries that read a zaak together with its hoofdzaak.
hoofd = zaken.alias("hoofd")
