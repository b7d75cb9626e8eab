"""The financien service's tables: inkoop (aanbieders, contracten, producten, tarieven), budgetten,
toewijzingen and declaraties, besides the runtime's outbox, inbox and idempotency keys. Amounts are whole eurocent."""

from sqlalchemy import BigInteger, Column, Date, ForeignKey, Index, Integer, String, Table, UniqueConstraint

from sds.runtime.db import Id, Json, new_metadata
from sds.runtime.verwerkingenlog import verwerkingen_tabel

metadata = new_metadata()

aanbieders = Table(
    "aanbieders",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("naam", String(200), nullable=False),
    Column("agb_code", String(8), nullable=False, unique=True),
    Column("kvk_nummer", String(8), nullable=False),
)

# The applicaties (client ids) that act for an aanbieder: they see only its contracten and toewijzingen.
aanbieder_applicaties = Table(
    "aanbieder_applicaties",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("client_id", String(255), nullable=False, unique=True),
    Column("aanbieder_id", Id, ForeignKey("aanbieders.id", ondelete="CASCADE"), nullable=False, index=True),
)

contracten = Table(
    "contracten",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("aanbieder_id", Id, ForeignKey("aanbieders.id"), nullable=False, index=True),
    Column("kolommen", Json, nullable=False),
    Column("cluster", String(63), nullable=True),
    Column("begindatum", Date, nullable=False),
    Column("einddatum", Date, nullable=True),
    Column("uitvoeringsvariant", String(20), nullable=False),
)

producten = Table(
    "producten",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("contract_id", Id, ForeignKey("contracten.id"), nullable=False),
    Column("productcategorie", String(2), nullable=False),
    Column("productcode", String(5), nullable=False),
    Column("eenheid", String(10), nullable=False),
    Column("frequentie", String(32), nullable=False),
    UniqueConstraint("contract_id", "productcategorie", "productcode"),
)

tarieven = Table(
    "tarieven",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("product_id", Id, ForeignKey("producten.id"), nullable=False, index=True),
    Column("begindatum", Date, nullable=False),
    Column("einddatum", Date, nullable=True),
    Column("bedrag", BigInteger, nullable=False),  # eurocent per eenheid
)

budgetten = Table(
    "budgetten",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("jaar", Integer, nullable=False),
    Column("kolom", String(20), nullable=True),
    Column("cluster", String(63), nullable=True),
    Column("aanbieder_id", Id, ForeignKey("aanbieders.id"), nullable=True),
    # jaar|kolom|cluster|aanbieder: one budget per scope and year (a NULL would not make columns unique).
    Column("sleutel", String(200), nullable=False, unique=True),
    Column("bedrag", BigInteger, nullable=False),
    # The highest threshold (percent of the budget) reported in budget-drempel-bereikt, so each is reported once.
    Column("gemelde_drempel", Integer, nullable=False, server_default="0"),
)

toewijzingen = Table(
    "toewijzingen",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    # The toekenning it comes from: the resultaat URL and the toekenning's index, so an event seen twice makes one.
    Column("bron", String(1010), nullable=False, unique=True),
    Column("zaak", String(1000), nullable=False),
    Column("huishouden", String(1000), nullable=False),
    Column("kolom", String(20), nullable=False),
    Column("cluster", String(63), nullable=True),  # the contract's, for budgets per cluster
    Column("aanbieder_url", String(1000), nullable=True),
    Column("aanbieder_id", Id, ForeignKey("aanbieders.id"), nullable=True),
    Column("contract_id", Id, ForeignKey("contracten.id"), nullable=True),
    Column("product_id", Id, ForeignKey("producten.id"), nullable=True),
    Column("productcategorie", String(2), nullable=False),
    Column("productcode", String(5), nullable=True),
    Column("volume", Integer, nullable=False),
    Column("eenheid", String(10), nullable=False),
    Column("frequentie", String(32), nullable=False),
    Column("begindatum", Date, nullable=False),
    Column("einddatum", Date, nullable=True),
    Column("status", String(12), nullable=False),  # toegewezen | afgewezen | gestart | gestopt | beeindigd
    Column("redenen", Json, nullable=False),
    Column("verplichting", BigInteger, nullable=False),
    Column("start_zorg", Date, nullable=True),
    Column("stop_zorg", Date, nullable=True),
    Column("reden_beeindiging", String(2), nullable=True),
    Index("ix_toewijzingen_aanbieder_id", "aanbieder_id", "id"),
    Index("ix_toewijzingen_zaak", "zaak"),
    Index("ix_toewijzingen_huishouden", "huishouden"),
)

declaraties = Table(
    "declaraties",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("aanbieder_id", Id, ForeignKey("aanbieders.id"), nullable=False),
    Column("identificatie", String(20), nullable=False),  # the aanbieder's DeclaratieNummer
    Column("begindatum", Date, nullable=False),
    Column("einddatum", Date, nullable=False),
    Column("aantal_regels", Integer, nullable=False),
    Column("ingediend_bedrag", BigInteger, nullable=False),
    Column("goedgekeurd_bedrag", BigInteger, nullable=False),
    # sha256 of the batch as sent (periode and lines): the same batch again is answered as the first time.
    Column("inhoud", String(64), nullable=True),
    UniqueConstraint("aanbieder_id", "identificatie"),
)

declaratie_regels = Table(
    "declaratie_regels",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("declaratie_id", Id, ForeignKey("declaraties.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("toewijzing_id", Id, ForeignKey("toewijzingen.id"), nullable=True, index=True),
    Column("referentie", String(20), nullable=False),  # the aanbieder's ProductReferentie
    # aanbieder|referentie on an accepted line only: a line is paid once (a NULL does not collide).
    Column("betaald_sleutel", String(60), nullable=True, unique=True),
    Column("begindatum", Date, nullable=False),
    Column("einddatum", Date, nullable=False),
    Column("volume", Integer, nullable=False),
    Column("tarief", BigInteger, nullable=False),
    Column("bedrag", BigInteger, nullable=False),
    Column("kolom", String(20), nullable=True),
    Column("cluster", String(63), nullable=True),
    Column("retourcode", String(4), nullable=False),
)

# An aanbieder's verzoek om toewijzing (iJw/iWmo 315): care for a client it has seen, answered by the municipality.
verzoeken_om_toewijzing = Table(
    "verzoeken_om_toewijzing",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("aanbieder_id", Id, ForeignKey("aanbieders.id"), nullable=False),
    Column("klant", String(1000), nullable=False),  # a klantgegevens huishouden or persoon URL, never a BSN
    Column("kolom", String(20), nullable=False),
    Column("productcategorie", String(2), nullable=False),
    Column("productcode", String(5), nullable=True),
    Column("volume", Integer, nullable=False),
    Column("eenheid", String(10), nullable=False),
    Column("frequentie", String(32), nullable=False),
    Column("begindatum", Date, nullable=False),
    Column("einddatum", Date, nullable=True),
    Column("verwijzer_type", String(2), nullable=True),
    Column("verwijzer_naam", String(200), nullable=True),
    Column("verwijzer_zorgverlenercode", String(8), nullable=True),
    Column("status", String(12), nullable=False),  # ingediend | toegekend | afgewezen
    Column("reden_afwijzing", String(500), nullable=True),
    Column("toewijzing_id", Id, ForeignKey("toewijzingen.id"), nullable=True),
    Index("ix_verzoeken_om_toewijzing_aanbieder_id", "aanbieder_id", "id"),
)

# An aanbieder's verzoek om wijziging (iJw/iWmo 317) of one of its toewijzingen: a new omvang and/or einddatum.
verzoeken_om_wijziging = Table(
    "verzoeken_om_wijziging",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("toewijzing_id", Id, ForeignKey("toewijzingen.id"), nullable=False, index=True),
    Column("aanbieder_id", Id, ForeignKey("aanbieders.id"), nullable=False),
    Column("volume", Integer, nullable=True),  # the new omvang, all three or none
    Column("eenheid", String(10), nullable=True),
    Column("frequentie", String(32), nullable=True),
    Column("einddatum", Date, nullable=True),
    Column("reden", String(500), nullable=False),
    Column("status", String(12), nullable=False),  # ingediend | toegekend | afgewezen
    Column("reden_afwijzing", String(500), nullable=True),
    Index("ix_verzoeken_om_wijziging_aanbieder_id", "aanbieder_id", "id"),
)


def _per_jaar(name: str) -> Table:
    """An amount summed per year, kolom, cluster and aanbieder, kept up to date as financien writes: one row per
    ``sleutel`` (jaar|kolom|cluster|aanbieder_id), so the budgetmonitor reads a few rows a year."""
    return Table(
        name,
        metadata,
        Column("id", Id, primary_key=True, autoincrement=True),
        Column("sleutel", String(120), nullable=False, unique=True),
        Column("jaar", Integer, nullable=False, index=True),
        Column("kolom", String(20), nullable=False),
        Column("cluster", String(63), nullable=True),
        Column("aanbieder_id", Id, ForeignKey("aanbieders.id"), nullable=False),
        Column("bedrag", BigInteger, nullable=False),
    )


# The verplichtingen of toewijzingen (the year a toewijzing begins), booked with every write of a toewijzing.
verplichtingen_per_jaar = _per_jaar("verplichtingen_per_jaar")
# What was declared and accepted (the year a line's ProductPeriode begins), booked with each declaratie.
realisatie_per_jaar = _per_jaar("realisatie_per_jaar")

# After Logboek Dataverwerkingen (sds.runtime.verwerkingenlog): one row per household or person per processing of
# the toewijzingen, declaraties and verzoeken that name them. Append only.
verwerkingen = verwerkingen_tabel(metadata)
