"""The intake service's tables: aanvragen with their questions, history, termijnen and delegations, what intake
knows of the zaken opened for them, and the signalen of vroegsignalering (``services.intake.signalen.models``)."""

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
    Text,
    UniqueConstraint,
)

from sds.runtime.db import Id, Json, new_metadata
from sds.runtime.verwerkingenlog import verwerkingen_tabel

metadata = new_metadata()

# Every read and write of an aanvraag or a signaal, per household or person it is about (sds.runtime.verwerkingenlog).
verwerkingen = verwerkingen_tabel(metadata)


aanvragen = Table(
    "aanvragen",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("huishouden", String(1000), nullable=True),
    Column("ingediend_door", String(12), nullable=False),  # inwoner | medewerker | partner | signalering
    Column("indiener", String(200), nullable=False),  # client id (and user id) that filed it
    Column("status", String(24), nullable=False),
    Column("kolommen", Json, nullable=False),
    Column("clusters", Json, nullable=False),
    Column("registratiedatum", Date, nullable=False),
    Column("ingediend_op", DateTime(timezone=True), nullable=False),
    Column("toelichting", Text, nullable=True),
    # Who the aanvraag is about while the household is not yet known (BSN and name for the look-up in
    # klantgegevens); emptied once the household is found, so intake keeps no personal data it no longer needs.
    Column("aanvrager", Json, nullable=True),
    # The triage decision in full: what to open, delegate, and the reasons in words a worker can read.
    Column("triage", Json, nullable=True),
    Column("uitkomst", String(30), nullable=True),
    Column("einddatum", Date, nullable=True),
    Index("ix_aanvragen_status_id", "status", "id"),
    Index("ix_aanvragen_huishouden", "huishouden"),
)

vragen = Table(
    "aanvraag_vragen",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("aanvraag_id", Id, ForeignKey("aanvragen.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("volgnummer", Integer, nullable=False),
    Column("leefgebied", String(30), nullable=False),
    Column("kolom", String(20), nullable=False),
    Column("toelichting", Text, nullable=True),
    Index("ix_aanvraag_vragen_kolom_aanvraag", "kolom", "aanvraag_id"),
)

historie = Table(
    "aanvraag_historie",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("aanvraag_id", Id, ForeignKey("aanvragen.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("status", String(24), nullable=False),
    Column("tijdstip", DateTime(timezone=True), nullable=False),
    Column("toelichting", String(500), nullable=False),
    Column("door", String(200), nullable=False),
    # The kolommen the line speaks of ([]: none, e.g. a withdrawal); null (lines written before): the whole aanvraag.
    Column("kolommen", Json, nullable=True),
)

termijnen = Table(
    "termijnen",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("aanvraag_id", Id, ForeignKey("aanvragen.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("kolom", String(20), nullable=False),
    Column("soort", String(12), nullable=False),  # onderzoek | beslissing
    Column("dagen", Integer, nullable=False),
    Column("startdatum", Date, nullable=False),
    Column("uiterlijke_einddatum", Date, nullable=False),
    Column("gehaald_op", Date, nullable=True),
    Column("overschreden_gemeld", Boolean, nullable=False),
    UniqueConstraint("aanvraag_id", "kolom", "soort"),
    Index("ix_termijnen_open", "gehaald_op", "uiterlijke_einddatum"),
)

delegaties = Table(
    "delegaties",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("aanvraag_id", Id, ForeignKey("aanvragen.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("cluster", String(63), nullable=False),
    Column("partij", String(63), nullable=False),
    Column("kolommen", Json, nullable=False),
    Column("status", String(63), nullable=False),
    Column("externe_referentie", String(64), nullable=True),
    Column("uitkomst", String(30), nullable=True),
    Column("bijgewerkt", DateTime(timezone=True), nullable=False),
    UniqueConstraint("aanvraag_id", "cluster"),
)

statusberichten = Table(
    "statusberichten",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("delegatie_id", Id, ForeignKey("delegaties.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("partij", String(63), nullable=False),
    Column("externe_referentie", String(64), nullable=False),
    Column("soort", String(10), nullable=False),
    Column("status", String(63), nullable=False),
    Column("uitkomst", String(30), nullable=True),
    Column("ontvangen", DateTime(timezone=True), nullable=False),
    # A report sent twice (a retry after a lost answer) is one report: the key is what the report says
    # (reference, kind, status, outcome), so an empty outcome counts too (NULLs would never collide).
    Column("sleutel", String(200), nullable=False),
    UniqueConstraint("delegatie_id", "sleutel", name="uq_statusberichten_eenmaal"),
)

# What intake knows of the zaken opened for its aanvragen, from zaken' events: which aanvraag is in
# behandeling, which household has an open zaak in which kolom (the escalation rule), which termijn is met.
zaken = Table(
    "zaken",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("zaak", String(1000), nullable=False, unique=True),
    Column("aanvraag_id", Id, ForeignKey("aanvragen.id", ondelete="SET NULL"), nullable=True, index=True),
    Column("huishouden", String(1000), nullable=True, index=True),
    Column("kolommen", Json, nullable=False),
    Column("open", Boolean, nullable=False),
    Column("status_gezet", Boolean, nullable=False),
    Column("resultaat", String(80), nullable=True),
)

# The signalen tables live with their use cases; imported here so this metadata (the app's, the migrations') has them.
from services.intake.signalen import models as _signalen  # noqa: E402, F401
