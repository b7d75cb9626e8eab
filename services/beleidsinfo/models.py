"""The beleidsinfo service's tables: projections of the suite's events, beside the runtime's own.

Nothing here names a person: households, aanvragen, zaken and signalen appear under a keyed
pseudonym (``services.beleidsinfo.domain.pseudoniem``), so the tables can be read without learning
who anyone is, and only aggregates leave the service (``services.beleidsinfo.indicatoren``).
"""

from sqlalchemy import Boolean, Column, Date, Index, String, Table, UniqueConstraint

from sds.runtime.db import Id, Json, new_metadata

metadata = new_metadata()

Pseudoniem = String(32)

aanvragen = Table(
    "bi_aanvragen",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("aanvraag", Pseudoniem, nullable=False, unique=True),
    Column("huishouden", Pseudoniem, nullable=True),
    Column("kolommen", Json, nullable=False),
    Column("ingediend_door", String(12), nullable=False),
    Column("registratiedatum", Date, nullable=False),
    Column("uitkomst", String(30), nullable=True),
    Column("einddatum", Date, nullable=True),
    Index("ix_bi_aanvragen_registratiedatum", "registratiedatum"),
    Index("ix_bi_aanvragen_huishouden", "huishouden", "registratiedatum"),
)

# One row per (aanvraag, kolom) and per (zaak, kolom), written beside the aanvraag or zaak: the indicators count
# per kolom in the database (GROUP BY kolom) instead of unfolding each row's ``kolommen`` in Python. ``huishouden``
# is what a cell's households are counted by (for an aanvraag without a household: the aanvraag itself).
aanvraag_kolommen = Table(
    "bi_aanvraag_kolommen",
    metadata,
    Column("aanvraag", Pseudoniem, primary_key=True),
    Column("kolom", String(20), primary_key=True),
    Column("huishouden", Pseudoniem, nullable=False),
    Column("registratiedatum", Date, nullable=False),
    Index("ix_bi_aanvraag_kolommen_registratiedatum", "registratiedatum"),
)

signalen = Table(
    "bi_signalen",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("signaal", Pseudoniem, nullable=False, unique=True),
    Column("huishouden", Pseudoniem, nullable=True),
    Column("signaalsoort", String(40), nullable=False),
    Column("partnersoort", String(40), nullable=False),
    Column("crisis", Boolean, nullable=False),
    Column("registratiedatum", Date, nullable=False),
    Index("ix_bi_signalen_registratiedatum", "registratiedatum"),
)

zaken = Table(
    "bi_zaken",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("zaak", Pseudoniem, nullable=False, unique=True),
    Column("aanvraag", Pseudoniem, nullable=True),
    Column("huishouden", Pseudoniem, nullable=False),
    Column("kolommen", Json, nullable=False),
    Column("cluster", String(63), nullable=True),
    Column("integraal", Boolean, nullable=False),
    Column("registratiedatum", Date, nullable=False),
    Column("startdatum", Date, nullable=False),
    # The zaak's current status: its statustype (a catalogue URL, no personal data) and whether it is the last.
    Column("statustype", String(1000), nullable=True),
    Column("eindstatus", Boolean, nullable=False),
    Column("uitkomst", String(30), nullable=True),
    Column("resultaatdatum", Date, nullable=True),
    # The voorziening a toekenning grants: from its first begindatum to its last einddatum (NULL: open-ended).
    Column("voorziening_van", Date, nullable=True),
    Column("voorziening_tot", Date, nullable=True),
    Column("einddatum", Date, nullable=True),
    Column("geescaleerd", Date, nullable=True),
    Index("ix_bi_zaken_huishouden", "huishouden"),
)

zaak_kolommen = Table(
    "bi_zaak_kolommen",
    metadata,
    Column("zaak", Pseudoniem, primary_key=True),
    Column("kolom", String(20), primary_key=True),
    Column("huishouden", Pseudoniem, nullable=False),
    Column("registratiedatum", Date, nullable=False),
    Index("ix_bi_zaak_kolommen_registratiedatum", "registratiedatum"),
    Index("ix_bi_zaak_kolommen_huishouden", "huishouden", "kolom"),
)

termijnen = Table(
    "bi_termijnen",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("aanvraag", Pseudoniem, nullable=False),
    Column("kolom", String(20), nullable=False),
    Column("termijnsoort", String(12), nullable=False),
    Column("uiterlijke_einddatum", Date, nullable=False),
    UniqueConstraint("aanvraag", "kolom", "termijnsoort"),
    Index("ix_bi_termijnen_uiterlijke_einddatum", "uiterlijke_einddatum"),
)
