"""The gebruiksrechten of an informatieobject: the conditions under which it may be used, over a period."""

from sqlalchemy import Column, DateTime, ForeignKey, String, Table, Text

from sds.runtime.db import Id
from services.documenten.models import metadata

gebruiksrechten = Table(
    "gebruiksrechten",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("informatieobject_id", Id, ForeignKey("documenten.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("startdatum", DateTime(timezone=True), nullable=False),
    Column("einddatum", DateTime(timezone=True), nullable=True),
    Column("omschrijving_voorwaarden", Text, nullable=False),
)
