"""The klantgegevens service's tables, beside the runtime's outbox, inbox and idempotency keys.

Personal data lives in ``personen`` (the BSN, names, birth date, address) and, as free text, in
``contactmomenten.onderwerp``. Every other table refers to a person by row id, and the
verwerkingenlog by a keyed pseudonym only, so the log can be handed to an auditor without a BSN in it.
"""

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    text,
)

from sds.runtime.db import Id, Json, new_metadata
from sds.runtime.verwerkingenlog import verwerkingen_tabel

metadata = new_metadata()


personen = Table(
    "personen",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("bsn", String(9), nullable=False, unique=True),
    # HMAC of the BSN with the service's key: what the verwerkingenlog and log lines carry instead.
    Column("pseudoniem", String(32), nullable=False, unique=True),
    Column("voornamen", String(200), nullable=True),
    Column("voorvoegsel", String(10), nullable=True),
    Column("geslachtsnaam", String(200), nullable=False),
    Column("geboortedatum", Date, nullable=True),
    Column("straat", String(80), nullable=True),
    Column("huisnummer", Integer, nullable=True),
    Column("huisletter", String(1), nullable=True),
    Column("huisnummertoevoeging", String(4), nullable=True),
    Column("postcode", String(6), nullable=True),
    Column("woonplaats", String(80), nullable=True),
    Column("bron", String(10), nullable=False),  # "lokaal" | "brp"
    Column("bijgewerkt", DateTime(timezone=True), nullable=False),
)

huishoudens = Table(
    "huishoudens",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("aangemaakt", DateTime(timezone=True), nullable=False),
    Column("opgeheven", DateTime(timezone=True), nullable=True),
)

# Who belonged to which household when; a row with ``tot`` NULL is a current membership.
lidmaatschappen = Table(
    "lidmaatschappen",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("huishouden_id", Id, ForeignKey("huishoudens.id"), nullable=False),
    Column("persoon_id", Id, ForeignKey("personen.id"), nullable=False),
    Column("rol", String(10), nullable=False),
    Column("van", DateTime(timezone=True), nullable=False),
    Column("tot", DateTime(timezone=True), nullable=True),
    Index("ix_lidmaatschappen_huishouden_id", "huishouden_id"),
    Index("ix_lidmaatschappen_persoon_id", "persoon_id"),
    # One household at a time, enforced by the database rather than by a check that can race.
    Index("uq_lidmaatschappen_actueel", "persoon_id", unique=True,
          sqlite_where=text("tot IS NULL"), postgresql_where=text("tot IS NULL")),
)

# Lawful reasons to see a household, kept from intake and zaken events: an aanvraag, signaal or zaak
# in a kolom (and cluster). ``eind`` is set when the aanvraag or zaak is finished.
grondslagen = Table(
    "grondslagen",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("huishouden_uuid", String(36), nullable=False),
    Column("bron", String(1000), nullable=False),
    Column("soort", String(12), nullable=False),  # "aanvraag" | "signaal" | "zaak"
    Column("kolom", String(20), nullable=False),
    Column("cluster", String(63), nullable=True),
    Column("begin", DateTime(timezone=True), nullable=False),
    Column("eind", DateTime(timezone=True), nullable=True),
    Index("ix_grondslagen_huishouden_uuid", "huishouden_uuid"),
    Index("uq_grondslagen_bron_kolom", "bron", "kolom", unique=True),
)

toestemmingen = Table(
    "toestemmingen",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("persoon_id", Id, ForeignKey("personen.id"), nullable=False),
    Column("doel", String(63), nullable=False),
    Column("kolom", String(20), nullable=True),
    Column("cluster", String(63), nullable=True),
    Column("startdatum", Date, nullable=False),
    Column("einddatum", Date, nullable=True),
    Column("ingetrokken", DateTime(timezone=True), nullable=True),
    Column("geregistreerd", DateTime(timezone=True), nullable=False),
    Column("client_id", String(255), nullable=False),
    Index("ix_toestemmingen_persoon_id", "persoon_id"),
)

contactmomenten = Table(
    "contactmomenten",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("persoon_id", Id, ForeignKey("personen.id"), nullable=False),
    Column("cluster", String(63), nullable=False),
    Column("kanaal", String(20), nullable=False),
    Column("onderwerp", String(1000), nullable=False),
    Column("medewerker", String(200), nullable=False),
    Column("tijdstip", DateTime(timezone=True), nullable=False),
    Column("client_id", String(255), nullable=False),
    Index("ix_contactmomenten_persoon_cluster", "persoon_id", "cluster"),
)

# After Logboek Dataverwerkingen: one row per data subject per processing. Append only.
verwerkingen = verwerkingen_tabel(metadata)

# The eigen digitaal klantdossier: a read model of other services' events, per household.
dossier_aanvragen = Table(
    "dossier_aanvragen",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("aanvraag", String(1000), nullable=False, unique=True),
    Column("huishouden_uuid", String(36), nullable=False),
    Column("kolommen", Json, nullable=False),
    Column("fase", String(12), nullable=False),  # "ingediend" | "getrieerd" | "afgerond"
    Column("uitkomst", String(30), nullable=True),
    Column("registratiedatum", Date, nullable=False),
    Column("einddatum", Date, nullable=True),
    Index("ix_dossier_aanvragen_huishouden_uuid", "huishouden_uuid"),
)

dossier_zaken = Table(
    "dossier_zaken",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("zaak", String(1000), nullable=False, unique=True),
    Column("huishouden_uuid", String(36), nullable=False),
    Column("zaaktype", String(1000), nullable=False),
    Column("kolommen", Json, nullable=False),
    Column("cluster", String(63), nullable=True),
    Column("integraal", Boolean, nullable=False),
    Column("startdatum", Date, nullable=False),
    Column("status", String(1000), nullable=True),
    Column("statustype", String(1000), nullable=True),
    Column("datum_status_gezet", DateTime(timezone=True), nullable=True),
    Column("is_eindstatus", Boolean, nullable=False),
    Column("einddatum", Date, nullable=True),
    Index("ix_dossier_zaken_huishouden_uuid", "huishouden_uuid"),
)

dossier_plannen = Table(
    "dossier_plannen",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("plan", String(1000), nullable=False, unique=True),
    Column("huishouden_uuid", String(36), nullable=False),
    Column("wijziging", String(12), nullable=False),
    Column("zaken", Json, nullable=False),
    Column("regisseur", String(1000), nullable=True),
    Index("ix_dossier_plannen_huishouden_uuid", "huishouden_uuid"),
)

dossier_toewijzingen = Table(
    "dossier_toewijzingen",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("toewijzing", String(1000), nullable=False, unique=True),
    Column("huishouden_uuid", String(36), nullable=False),
    Column("zaak", String(1000), nullable=False),
    Column("kolom", String(20), nullable=False),
    Column("aanbieder", String(1000), nullable=False),
    Column("product", Json, nullable=False),
    Column("omvang", Json, nullable=False),
    Column("begindatum", Date, nullable=False),
    Column("einddatum", Date, nullable=True),
    Index("ix_dossier_toewijzingen_huishouden_uuid", "huishouden_uuid"),
)
