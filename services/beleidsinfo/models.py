"""The beleidsinfo service's tables: projections of the suite's events, beside the runtime's own.

Nothing here names a person: households, aanvragen, zaken, signalen, toewijzingen and declaraties appear
under a keyed pseudonym (``services.beleidsinfo.domain.pseudoniem``), so the tables can be read without learning
who anyone is, and only aggregates leave the service (``services.beleidsinfo.indicatoren``).
"""

from sqlalchemy import BigInteger, Boolean, Column, Date, Index, Integer, String, Table, UniqueConstraint

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
    # The household's first aanvraag on or after the signaal's day, as far as the projection knows (NULL: none
    # yet, or no household): whether a signaal led to an aanvraag within a window is then a comparison per row.
    Column("eerste_aanvraag", Date, nullable=True),
    Index("ix_bi_signalen_registratiedatum", "registratiedatum"),
    Index("ix_bi_signalen_huishouden", "huishouden", "registratiedatum"),
)

zaken = Table(
    "bi_zaken",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("zaak", Pseudoniem, nullable=False, unique=True),
    Column("aanvraag", Pseudoniem, nullable=True),
    Column("huishouden", Pseudoniem, nullable=False),
    Column("kolommen", Json, nullable=False),
    # The kolommen as bits (``services.beleidsinfo.tellingen.masker``): open zaken are counted per masker.
    Column("masker", Integer, nullable=False),
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
    # Open on a peildatum: not ended (NULL) or ended after it; most zaken of a year ended long before.
    Index("ix_bi_zaken_einddatum", "einddatum"),
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

# --- financien: toewijzingen, afwijzingen, declaraties and budgets (amounts in eurocent) ----------------------

# One row per toewijzing, as it stands now: toewijzing-gewijzigd replaces its figures, toewijzing-beeindigd sets
# what remains committed and its einddatum, zorg-gestart/-gestopt the care's dates. The aanbieder is an
# organisation and kept as financien's URL; ``cluster`` is the contract's (the indicators cluster by kolom, per
# the profile, as every other table).
toewijzingen = Table(
    "bi_toewijzingen",
    metadata,
    Column("toewijzing", Pseudoniem, primary_key=True),
    Column("zaak", Pseudoniem, nullable=False),
    Column("huishouden", Pseudoniem, nullable=False),
    Column("kolom", String(20), nullable=False),
    Column("cluster", String(63), nullable=True),
    Column("aanbieder", String(1000), nullable=False),
    Column("begindatum", Date, nullable=False),
    Column("einddatum", Date, nullable=True),
    Column("verplichting", BigInteger, nullable=False),
    Column("status", String(12), nullable=False),  # afgegeven, gewijzigd or beeindigd
    Column("zorg_begin", Date, nullable=True),
    Column("zorg_einde", Date, nullable=True),
    Index("ix_bi_toewijzingen_begindatum", "begindatum"),
    Index("ix_bi_toewijzingen_aanbieder", "aanbieder", "kolom"),
)

# One row per reason of a toewijzing-afgewezen (an afwijzing is the event: a toewijzing may be refused again).
afwijzingen = Table(
    "bi_afwijzingen",
    metadata,
    Column("afwijzing", Pseudoniem, primary_key=True),
    Column("reden", String(40), primary_key=True),
    Column("toewijzing", Pseudoniem, nullable=False),
    Column("huishouden", Pseudoniem, nullable=False),
    Column("kolom", String(20), nullable=False),
    Column("datum", Date, nullable=False),
    Index("ix_bi_afwijzingen_datum", "datum"),
)

# One row per part (kolom, cluster) of a declaratie-verwerkt; a declaratie seen again replaces its rows.
declaratie_kolommen = Table(
    "bi_declaratie_kolommen",
    metadata,
    Column("declaratie", Pseudoniem, primary_key=True),
    Column("volgnummer", Integer, primary_key=True),
    Column("aanbieder", String(1000), nullable=False),
    Column("begindatum", Date, nullable=False),
    Column("einddatum", Date, nullable=False),
    Column("kolom", String(20), nullable=False),
    Column("cluster", String(63), nullable=True),
    Column("aantal_goedgekeurd", Integer, nullable=False),
    Column("aantal_afgekeurd", Integer, nullable=False),
    Column("goedgekeurd_bedrag", BigInteger, nullable=False),
    Column("afgekeurd_bedrag", BigInteger, nullable=False),
    Index("ix_bi_declaratie_kolommen_begindatum", "begindatum"),
)

# A budget as its last budget-drempel-bereikt reported it (financien publishes no event when a budget is made).
budgetten = Table(
    "bi_budgetten",
    metadata,
    Column("budget", String(1000), primary_key=True),
    Column("jaar", Integer, nullable=False),
    Column("kolom", String(20), nullable=True),
    Column("cluster", String(63), nullable=True),
    Column("budget_bedrag", BigInteger, nullable=False),
    Column("drempel_percentage", Integer, nullable=False),
)

# --- figures kept ahead of the query: households per (indicator, period key, kolom) -----------------------------

# Per household, for each indicator that counts households per period, kolom, cluster and domain (instroom,
# zaken, escalaties and the voorzieningen) and each period key it counts in (``domain.periode_sleutel``: month,
# quarter and year), how many of its items count there per kolom: ``{"indicator|periode|kolom": aantal}``. One row
# per household, read and written whole when a batch touches it. The projection keeps it in the same transaction
# as the rows it comes from.
huishouden_perioden = Table(
    "bi_huishouden_perioden",
    metadata,
    Column("huishouden", Pseudoniem, primary_key=True),
    Column("tellers", Json, nullable=False),
)

# Per indicator and period key: how many households have items in exactly the kolommen of ``masker`` (a bit per
# kolom), and how many items have exactly those kolommen
# (``aantal``). A cell's households are the sum over the maskers that
# touch its kolom or cluster, whatever the clustering: a plain sum instead of a count(DISTINCT).
tellingen = Table(
    "bi_tellingen",
    metadata,
    Column("indicator", String(30), primary_key=True),
    Column("periode", Integer, primary_key=True),
    Column("masker", Integer, primary_key=True),
    Column("huishoudens", Integer, nullable=False),
    Column("aantal", Integer, nullable=False),
)

# Per period key (of the zaak's registratiedatum) and masker of the zaak's kolommen: how many zaken took ``dagen``
# days from aanvraag to zaak (soort ``a``) or from zaak to resultaat (soort ``z``): the lead times' distribution, so
# a cell's median and p90 come from a few rows (its households and zaken: indicator ``zaken`` in ``bi_tellingen``).
doorlooptijden = Table(
    "bi_doorlooptijden",
    metadata,
    Column("periode", Integer, primary_key=True),
    Column("masker", Integer, primary_key=True),
    Column("soort", String(1), primary_key=True),
    Column("dagen", Integer, primary_key=True),
    Column("aantal", Integer, nullable=False),
)

# The zaken projected before their aanvraag: when it comes, their days from aanvraag to zaak are counted and the
# row goes (so the table holds only the few that wait, and a new aanvraag looks up nothing in ``bi_zaken``).
wachtende_zaken = Table(
    "bi_wachtende_zaken",
    metadata,
    Column("aanvraag", Pseudoniem, primary_key=True),
    Column("zaak", Pseudoniem, primary_key=True),
)
