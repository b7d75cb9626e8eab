"""The notificaties service's tables: kanalen, abonnementen, the notificaties received and their deliveries.

A notificatie is stored once; ``leveringen`` holds one row per (abonnement, notificatie) that passed the
abonnement's filters and its applicatie's limits, written in the same transaction as the notificatie (and, for
one from the bus, as the consumer's inbox row). The delivery worker works from that table alone.
"""

from sqlalchemy import Column, DateTime, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint

from sds.runtime.db import Id, Json, new_metadata

metadata = new_metadata()

kanalen = Table(
    "kanalen",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("naam", String(50), nullable=False, unique=True),
    Column("documentatie_link", String(200), nullable=False),
    Column("filters", Json, nullable=False),  # the kenmerken an abonnement may filter on
)

abonnementen = Table(
    "abonnementen",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("callback_url", String(200), nullable=False),
    Column("auth", String(1000), nullable=False),  # the Authorization header value sent to the callback
    # [{"naam": kanaal, "filters": {kenmerk: waarde}}] as the client gave them
    Column("kanalen", Json, nullable=False),
    Column("client_id", String(255), nullable=False, index=True),  # the applicatie that owns it
    # The applicatie's limits (sds.runtime.auth.AuthContext) as the gateway resolved them at the last write:
    # what the subscriber may receive is decided from them, at fan-out, without a call to the gateway.
    Column("autorisatie", Json, nullable=False),
    Column("aangemaakt", DateTime(timezone=True), nullable=False),
)

notificaties = Table(
    "notificaties",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("kanaal", String(50), nullable=False),
    # The notificatie exactly as it is sent (the standard's Message).
    Column("bericht", Json, nullable=False),
    # What authorisation decides on and the standard's body does not carry: kolommen and cluster of the zaak.
    Column("bereik", Json, nullable=False),
    Column("bron", String(64), nullable=True, unique=True),  # the event id it was made from (bridge)
    Column("ontvangen", DateTime(timezone=True), nullable=False),
)

leveringen = Table(
    "leveringen",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("abonnement_id", Id, ForeignKey("abonnementen.id", ondelete="CASCADE"), nullable=False),
    Column("notificatie_id", Id, ForeignKey("notificaties.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("hoofd_object", String(1000), nullable=False),
    Column("status", String(12), nullable=False),  # wachtend | afgeleverd | mislukt
    Column("pogingen", Integer, nullable=False),
    Column("volgende_poging", DateTime(timezone=True), nullable=False),
    Column("laatste_fout", Text, nullable=True),
    Column("afgeleverd", DateTime(timezone=True), nullable=True),
    UniqueConstraint("abonnement_id", "notificatie_id", name="uq_leveringen_eenmaal"),
    # The worker's query: the oldest waiting delivery per abonnement and hoofdObject.
    Index("ix_leveringen_wachtend", "status", "abonnement_id", "hoofd_object", "id"),
    Index("ix_leveringen_status_id", "status", "id"),
)
