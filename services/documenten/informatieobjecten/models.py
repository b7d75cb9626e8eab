"""Tables of an enkelvoudiginformatieobject: the document (its identity, type and lock), its versions, its
bestandsdelen and its audittrail.

Every change of a document is a new version (the standard's ``versie`` and ``beginRegistratie``); the older
ones stay readable with ``?versie=`` and ``?registratieOp=``. What the lists filter on and authorisation
narrows by (bronorganisatie, identificatie, informatieobjecttype, vertrouwelijkheid) is kept on the document
itself, as it is in its latest version, so a list is one indexed query.
"""

from sqlalchemy import BigInteger, Column, DateTime, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint

from sds.runtime.db import Id, Json
from services.documenten.models import metadata

informatieobjecten = Table(
    "documenten",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("bronorganisatie", String(9), nullable=False),
    Column("identificatie", String(40), nullable=False),
    Column("informatieobjecttype", String(200), nullable=False, index=True),
    # The catalogus of the informatieobjecttype, for a grant narrowed to a catalogus.
    Column("catalogus", String(200), nullable=False),
    # The kolom of that catalogus ("" when it has none, NULL until it is known: a document from before the kolom
    # was kept, until services.documenten.kolommen fills it in), for an applicatie limited to kolommen.
    Column("kolom", String(20), nullable=True, index=True),
    Column("vertrouwelijkheid_rank", Integer, nullable=False),
    Column("versie", Integer, nullable=False),
    # Empty when the document is not locked; the lock a client holds to change it.
    Column("lock", String(64), nullable=False),
    # The trefwoorden of the latest version as ",a,b,", so a filter on them is a LIKE on one column.
    Column("trefwoorden", Text, nullable=False),
    UniqueConstraint("bronorganisatie", "identificatie", name="uq_documenten_bronorganisatie_identificatie"),
)

versies = Table(
    "informatieobject_versies",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("informatieobject_id", Id, ForeignKey("documenten.id", ondelete="CASCADE"), nullable=False),
    Column("versie", Integer, nullable=False),
    Column("begin_registratie", DateTime(timezone=True), nullable=False),
    # The version as the API shows it, without what is derived (url, versie, beginRegistratie, inhoud, locked).
    Column("gegevens", Json, nullable=False),
    # The address of the content in the store; none while its bestandsdelen are being uploaded.
    Column("inhoud", String(64), nullable=True, index=True),
    Column("bestandsomvang", BigInteger, nullable=True),
    UniqueConstraint("informatieobject_id", "versie"),
    Index("ix_informatieobject_versies_registratie", "informatieobject_id",
          "begin_registratie"),
)

bestandsdelen = Table(
    "bestandsdelen",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("informatieobject_id", Id, ForeignKey("documenten.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("volgnummer", Integer, nullable=False),
    Column("omvang", BigInteger, nullable=False),
    # The content received, in the store; none until the part is uploaded (``voltooid``).
    Column("inhoud", String(64), nullable=True, index=True),
    UniqueConstraint("informatieobject_id", "volgnummer"),
)

# The number of documents per informatieobjecttype, changed in the transaction that creates or deletes one: the
# exact count of the unfiltered list without a COUNT over a table of a million rows.
tellingen = Table(
    "documenten_tellingen",
    metadata,
    Column("informatieobjecttype", String(200), primary_key=True),
    Column("aantal", BigInteger, nullable=False),
)

audittrail = Table(
    "informatieobject_audittrail",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("informatieobject_id", Id, ForeignKey("documenten.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("aanmaakdatum", DateTime(timezone=True), nullable=False),
    Column("gegevens", Json, nullable=False),
)
