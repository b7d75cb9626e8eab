"""The tables of vroegsignalering: the signals, and two small tables that make deduplication and the rule hold
under concurrent batches.

A household is known here only by its address (``adressleutel``: postcode, huisnummer, toevoeging, normalised),
because partners report per aansluiting or rental address; the BSN a signal carries is used to open an aanvraag
and is not stored.
"""

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    UniqueConstraint,
)

from services.intake.models import Id, metadata

signalen = Table(
    "signalen",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("partnersoort", String(20), nullable=False),
    Column("partner", String(64), nullable=False),
    Column("partner_referentie", String(64), nullable=False),
    Column("signaalsoort", String(30), nullable=False),
    Column("bedrag", BigInteger, nullable=False),  # eurocent
    Column("ontstaansdatum", Date, nullable=False),
    Column("signaaldatum", Date, nullable=False),
    Column("crisis", Boolean, nullable=False),
    Column("postcode", String(6), nullable=False),
    Column("huisnummer", Integer, nullable=False),
    Column("huisnummertoevoeging", String(6), nullable=True),
    Column("adressleutel", String(20), nullable=False),
    Column("batch", String(64), nullable=True),  # the client's batchId, when it sent one
    Column("registratiedatum", Date, nullable=False),
    Column("ontvangen", DateTime(timezone=True), nullable=False),
    # The aanvraag this signal opened (it completed the profile's rule), as its uuid in this service.
    Column("aanvraag", String(36), nullable=True),
    # A partner's own id of a signal names one signal: the same signal sent again is the same signal.
    UniqueConstraint("partnersoort", "partner", "partner_referentie", name="uq_signalen_partner_referentie"),
    Index("ix_signalen_adressleutel_signaaldatum", "adressleutel", "signaaldatum"),
)

# Per household key and partner: the signal that opened the current deduplication window. A signal inside the
# window is a duplicate; one past it opens the next window. One row per (key, partner), changed by a
# conditional upsert, so two batches cannot both accept a signal for the same window.
vensters = Table(
    "signaal_vensters",
    metadata,
    Column("adressleutel", String(20), nullable=False),
    Column("partnersoort", String(20), nullable=False),
    Column("partner", String(64), nullable=False),
    Column("dag", Integer, nullable=False),  # the window's first day, as date.toordinal(): portable arithmetic
    Column("signaal", String(36), nullable=False),  # uuid of the signal that opened the window
    PrimaryKeyConstraint("adressleutel", "partnersoort", "partner", name="pk_signaal_vensters"),
)

# Per household key: the row a batch locks (in key order) before it looks at the key's signals, so the rule is
# judged on everything committed before it; and the proactive aanvraag of the current window.
adressen = Table(
    "signaal_adressen",
    metadata,
    Column("adressleutel", String(20), primary_key=True),
    Column("aanvraag", String(36), nullable=True),
    Column("aanvraag_dag", Integer, nullable=True),  # date.toordinal() of the signal that opened it
)
