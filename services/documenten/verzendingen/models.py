"""Verzendingen of an informatieobject: who sent or received it, when, and at which address."""

from sqlalchemy import Column, ForeignKey, String, Table

from sds.runtime.db import Id, Json
from services.documenten.models import metadata

verzendingen = Table(
    "verzendingen",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("informatieobject_id", Id, ForeignKey("documenten.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("aard_relatie", String(20), nullable=False),
    Column("betrokkene", String(200), nullable=False, index=True),
    # The verzending as the API shows it, without the references kept as columns.
    Column("gegevens", Json, nullable=False),
)
