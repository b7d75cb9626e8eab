"""Tables of the household plan: één gezin, één plan, één regisseur.

The database itself holds the "one": a partial unique index allows one open plan per household (per
cluster when the archetype plans per cluster) and one current regisseur per plan, so two concurrent
requests cannot both win.
"""

from sqlalchemy import Column, Date, DateTime, ForeignKey, Index, String, Table, text

from services.zaken.common import Id, Json
from services.zaken.models import metadata

plannen = Table(
    "plannen",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("huishouden", String(1000), nullable=False),
    # "" for one plan for the whole household; a cluster name when the profile plans per cluster.
    Column("cluster", String(63), nullable=False),
    Column("startdatum", Date, nullable=False),
    Column("einddatum", Date, nullable=True),
    Column("gegevens", Json, nullable=False),
    Index("uq_plannen_open_per_huishouden", "huishouden", "cluster", unique=True,
          sqlite_where=text("einddatum IS NULL"), postgresql_where=text("einddatum IS NULL")),
)

plan_zaken = Table(
    "plan_zaken",
    metadata,
    Column("plan_id", Id, ForeignKey("plannen.id", ondelete="CASCADE"), primary_key=True),
    Column("zaak_id", Id, ForeignKey("zaken.id", ondelete="CASCADE"), primary_key=True, index=True),
)

plan_regisseurs = Table(
    "plan_regisseurs",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("plan_id", Id, ForeignKey("plannen.id", ondelete="CASCADE"), nullable=False, index=True),
    # The regisseur is a rol on one of the plan's zaken (a ZGW client sees it as a rol); ended rollen are
    # removed from the zaak, their history stays here.
    Column("zaak_uuid", String(36), nullable=False),
    Column("rol_uuid", String(36), nullable=False),
    Column("medewerker_identificatie", String(24), nullable=False),
    Column("van", DateTime(timezone=True), nullable=False),
    Column("tot", DateTime(timezone=True), nullable=True),
    Column("gegevens", Json, nullable=False),
    Index("uq_plan_regisseurs_huidig", "plan_id", unique=True,
          sqlite_where=text("tot IS NULL"), postgresql_where=text("tot IS NULL")),
)
