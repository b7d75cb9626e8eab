"""The Documenten API's side of the relation between a zaak or a besluit and an informatieobject."""

from sqlalchemy import Column, ForeignKey, String, Table, UniqueConstraint

from sds.runtime.db import Id
from services.documenten.models import metadata

objectinformatieobjecten = Table(
    "objectinformatieobjecten",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("informatieobject_id", Id, ForeignKey("documenten.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("object", String(1000), nullable=False, index=True),
    Column("object_type", String(20), nullable=False),
    UniqueConstraint("informatieobject_id", "object"),
)
