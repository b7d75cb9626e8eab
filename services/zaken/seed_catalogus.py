"""The social domain's catalogue: a catalogus per kolom plus one for integral work, with published zaaktypen.

    python -m services.zaken.seed_catalogus [--database-url URL] [--public-base-url URL] [--if-empty]

Loading twice changes nothing: a catalogus that is already there (same domein and RSIN) is left alone.
With --if-empty (what `sds up` uses on a first start) nothing is loaded when zaken has any catalogus at all,
so a catalogue that was seeded before or built by hand stays exactly as it is.
Lead times follow the law: Wmo 2015 art. 2.3.2 (six weeks onderzoek) + art. 4.1.3 (two weeks beslissing),
Jeugdwet via Awb 4:13 (eight weeks), Participatiewet art. 44 (eight weeks), Wgs art. 4 (eight weeks to a
beschikking); a vroegsignaal is followed up within four weeks.

Each catalogus also has the documents its zaken produce (informatieobjecttypen aanvraagformulier and
beschikking) and the besluittype of the beschikking (Awb: six weeks for bezwaar), which its zaaktypen and
their resultaattypen toegekend and afgewezen refer to; each zaaktype has a zaakobjecttype for the household
it is about.
"""

from __future__ import annotations

import argparse
import asyncio
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from sds.runtime.db import Database
from sds.runtime.settings import ServiceSettings
from services.zaken.catalogi import schemas
from services.zaken.catalogi.models import (
    besluittype_iotypen,
    besluittypen,
    catalogussen,
    eigenschappen,
    informatieobjecttypen,
    resultaattype_besluittypen,
    resultaattypen,
    roltypen,
    statustypen,
    zaakobjecttypen,
    zaaktype_besluittypen,
    zaaktypen,
)
from services.zaken.common import CATALOGI_PREFIX

# The RSIN of the municipality that owns the catalogue (passes the 11-proef); set your own with --rsin.
DEFAULT_RSIN = "002220647"
BEGIN = date(2026, 1, 1)

# Selectielijst 2020 entries of the VNG Selectielijst API, as Open Zaak installations reference them.
SELECTIELIJST = {
    "Toegekend": ("fb65d251-1518-4185-865f-b8bdcfad07b1", "afa30940-855b-4a7e-aa21-9e15a8078814"),
    "Afgewezen": ("1f750958-431c-4916-bc01-af5d3a753b41", "2431e1ee-cacd-44af-bd12-ea7280a8928b"),
    "Ingetrokken": ("ce8cf476-0b59-496f-8eee-957a7c6e2506", "0d978967-6bf2-452f-951a-c16bff338f42"),
}
SELECTIELIJST_API = "https://selectielijst.openzaak.nl/api/v1"

T = TypeVar("T")


@dataclass(frozen=True)
class Zaaktype:
    identificatie: str
    omschrijving: str
    doel: str
    doorlooptijd: str
    statussen: tuple[str, ...]
    vertrouwelijkheid: str = "vertrouwelijk"
    trefwoorden: tuple[str, ...] = ()


@dataclass(frozen=True)
class Catalogus:
    domein: str
    naam: str
    kolom: str
    zaaktypen: tuple[Zaaktype, ...]


_AANVRAAG = ("Aanvraag ontvangen", "Onderzoek gestart", "Besluit genomen", "Afgehandeld")

CATALOGUE = (
    Catalogus("WMO", "Wmo 2015", "wmo", (
        Zaaktype("WMO-HBH", "Wmo maatwerkvoorziening hulp bij het huishouden",
                 "Beslissen over een maatwerkvoorziening hulp bij het huishouden (Wmo 2015 art. 2.3.5).",
                 "P8W", _AANVRAAG, trefwoorden=("wmo", "huishouden", "maatwerkvoorziening")),
        Zaaktype("WMO-BEG", "Wmo maatwerkvoorziening begeleiding",
                 "Beslissen over begeleiding (individueel of groep) als maatwerkvoorziening.",
                 "P8W", _AANVRAAG, trefwoorden=("wmo", "begeleiding", "maatwerkvoorziening")),
    )),
    Catalogus("JEUGD", "Jeugdwet", "jeugd", (
        Zaaktype("JW-AMB", "Jeugdhulp ambulant", "Beslissen over ambulante jeugdhulp (Jeugdwet art. 2.3).",
                 "P8W", _AANVRAAG, vertrouwelijkheid="confidentieel", trefwoorden=("jeugd", "ambulant")),
        Zaaktype("JW-VERBLIJF", "Jeugdhulp met verblijf",
                 "Beslissen over jeugdhulp met verblijf (pleegzorg, gezinshuis, residentieel).",
                 "P8W", _AANVRAAG, vertrouwelijkheid="confidentieel", trefwoorden=("jeugd", "verblijf")),
    )),
    Catalogus("PART", "Participatiewet", "participatie", (
        Zaaktype("PW-BIJSTAND", "Bijstandsuitkering levensonderhoud",
                 "Beslissen over het recht op algemene bijstand (Participatiewet art. 11).",
                 "P8W", _AANVRAAG, trefwoorden=("bijstand", "inkomen")),
        Zaaktype("PW-REINTEGRATIE", "Re-integratietraject",
                 "Beslissen over een voorziening gericht op arbeidsinschakeling (Participatiewet art. 10).",
                 "P13W", ("Aanmelding ontvangen", "Intake", "Traject loopt", "Afgerond"),
                 trefwoorden=("werk", "re-integratie")),
    )),
    Catalogus("SHV", "Schuldhulpverlening", "schuldhulp", (
        Zaaktype("SHV-SCHULDHULP", "Schuldhulpverlening",
                 "Beslissen over toelating tot schuldhulpverlening (Wet gemeentelijke schuldhulpverlening art. 4a).",
                 "P8W", ("Hulpvraag ontvangen", "Eerste gesprek", "Plan van aanpak", "Afgehandeld"),
                 trefwoorden=("schulden",)),
        Zaaktype("SHV-VROEGSIGNAAL", "Opvolging vroegsignaal",
                 "Een signaal van betalingsachterstand (huur, energie, water, zorgverzekering) opvolgen "
                 "met een aanbod van hulp (Wgs art. 3 lid 3).",
                 "P4W", ("Signaal ontvangen", "Contact gezocht", "Afgehandeld"),
                 vertrouwelijkheid="zaakvertrouwelijk", trefwoorden=("vroegsignalering", "schulden")),
    )),
    Catalogus("INTEG", "Integrale toegang", "integraal", (
        Zaaktype("INT-PLAN", "Integraal plan huishouden",
                 "Eén gezin, één plan, één regisseur: de ondersteuning van een huishouden over de kolommen heen.",
                 "P13W", ("Aangemeld", "Plan in voorbereiding", "Plan vastgesteld", "Plan geëvalueerd", "Afgesloten"),
                 vertrouwelijkheid="confidentieel", trefwoorden=("integraal", "regie")),
    )),
)

ROLTYPEN = (("Aanvrager", "initiator"), ("Behandelaar", "behandelaar"), ("Regisseur", "zaakcoordinator"),
            ("Belanghebbende", "belanghebbende"))
RESULTAATTYPEN = (("Toegekend", "vernietigen", "P10Y"), ("Afgewezen", "vernietigen", "P5Y"),
                  ("Ingetrokken", "vernietigen", "P1Y"))
# The resultaattypen that end in a beschikking (a withdrawn aanvraag needs none).
MET_BESLUIT = ("Toegekend", "Afgewezen")
INFORMATIEOBJECTTYPEN = (("Aanvraagformulier", "Aanvraag"), ("Beschikking", "Besluit"))
# Where the household a zaak is about is registered (the klantgegevens service), as a zaakobjecttype names it.
HUISHOUDENS = "/klantgegevens/api/v1/huishoudens"


def _url(base: str, collection: str, resource_uuid: str) -> str:
    return f"{base.rstrip('/')}{CATALOGI_PREFIX}/{collection}/{resource_uuid}"


async def seed(session: AsyncSession, public_base_url: str, rsin: str = DEFAULT_RSIN) -> dict[str, str]:
    """Load the catalogue; returns the URL of every zaaktype by identificatie (existing ones too)."""
    out: dict[str, str] = {}
    for cat in CATALOGUE:
        existing = (await session.execute(select(catalogussen.c.id).where(
            catalogussen.c.domein == cat.domein, catalogussen.c.rsin == rsin))).first()
        if existing is None:
            await _seed_catalogus(session, public_base_url, rsin, cat)
        rows = (await session.execute(select(zaaktypen.c.identificatie, zaaktypen.c.uuid)
                                      .join(catalogussen, catalogussen.c.id == zaaktypen.c.catalogus_id)
                                      .where(catalogussen.c.domein == cat.domein, catalogussen.c.rsin == rsin))).all()
        out.update({r.identificatie: _url(public_base_url, "zaaktypen", r.uuid) for r in rows})
    return out


async def _seed_catalogus(session: AsyncSession, base: str, rsin: str, cat: Catalogus) -> None:
    cat_uuid = str(uuid.uuid4())
    body = schemas.CatalogusIn(domein=cat.domein, rsin=rsin, contactpersoon_beheer_naam="Functioneel beheer",
                               naam=cat.naam, versie="2026", begindatum_versie=BEGIN, kolom=cat.kolom)  # type: ignore[arg-type]
    cat_id = (await session.execute(insert(catalogussen).values(
        uuid=cat_uuid, domein=cat.domein, rsin=rsin, naam=cat.naam, kolom=cat.kolom, gegevens=_dump(body))
        .returning(catalogussen.c.id))).scalar_one()
    besluittype_id = await _seed_documenten(session, base, cat_id, cat_uuid)
    for zt in cat.zaaktypen:
        zt_uuid = str(uuid.uuid4())
        zt_body = schemas.ZaakTypeIn.model_validate({
            "identificatie": zt.identificatie, "omschrijving": zt.omschrijving,
            "vertrouwelijkheidaanduiding": zt.vertrouwelijkheid, "doel": zt.doel,
            "aanleiding": "Een aanvraag, melding of signaal over een inwoner of huishouden.",
            "indicatieInternOfExtern": "extern", "handelingInitiator": "aanvragen", "onderwerp": zt.omschrijving[:80],
            "handelingBehandelaar": "behandelen", "doorlooptijd": zt.doorlooptijd,
            "opschortingEnAanhoudingMogelijk": True, "verlengingMogelijk": True, "verlengingstermijn": "P6W",
            "trefwoorden": list(zt.trefwoorden), "publicatieIndicatie": False,
            "referentieproces": {"naam": zt.omschrijving[:80]}, "verantwoordelijke": "Sociaal domein",
            "catalogus": _url(base, "catalogussen", cat_uuid), "beginGeldigheid": BEGIN.isoformat(),
            "versiedatum": BEGIN.isoformat(),
        })
        zt_id = (await session.execute(insert(zaaktypen).values(
            uuid=zt_uuid, catalogus_id=cat_id, identificatie=zt.identificatie, omschrijving=zt.omschrijving,
            vertrouwelijkheidaanduiding=zt.vertrouwelijkheid, doorlooptijd=zt.doorlooptijd,
            trefwoorden=list(zt.trefwoorden), begin_geldigheid=BEGIN, einde_geldigheid=None, concept=False,
            gegevens=_dump(zt_body)).returning(zaaktypen.c.id))).scalar_one()
        await session.execute(insert(zaaktype_besluittypen).values(zaaktype_id=zt_id, besluittype_id=besluittype_id))
        zt_url = _url(base, "zaaktypen", zt_uuid)
        zot = schemas.ZaakObjectTypeIn.model_validate({
            "anderObjecttype": True, "objecttype": f"{base.rstrip('/')}{HUISHOUDENS}",
            "relatieOmschrijving": "Het huishouden waar de zaak over gaat", "zaaktype": zt_url,
            "catalogus": _url(base, "catalogussen", cat_uuid), "beginGeldigheid": BEGIN.isoformat()})
        await session.execute(insert(zaakobjecttypen).values(
            uuid=str(uuid.uuid4()), zaaktype_id=zt_id, objecttype=zot.objecttype,
            relatie_omschrijving=zot.relatie_omschrijving, ander_objecttype=True, begin_geldigheid=BEGIN,
            einde_geldigheid=None, gegevens=_dump(zot)))
        for volgnummer, omschrijving in enumerate(zt.statussen, start=1):
            st = schemas.StatusTypeIn.model_validate({"omschrijving": omschrijving, "zaaktype": zt_url,
                                                      "volgnummer": volgnummer,
                                                      "informeren": volgnummer in (1, len(zt.statussen))})
            await session.execute(insert(statustypen).values(uuid=str(uuid.uuid4()), zaaktype_id=zt_id,
                                                             omschrijving=omschrijving, volgnummer=volgnummer,
                                                             gegevens=_dump(st)))
        for omschrijving, generiek in ROLTYPEN:
            rt = schemas.RolTypeIn.model_validate({"zaaktype": zt_url, "omschrijving": omschrijving,
                                                   "omschrijvingGeneriek": generiek})
            await session.execute(insert(roltypen).values(uuid=str(uuid.uuid4()), zaaktype_id=zt_id,
                                                          omschrijving=omschrijving, omschrijving_generiek=generiek,
                                                          gegevens=_dump(rt)))
        for omschrijving, nominatie, termijn in RESULTAATTYPEN:
            omschrijving_uuid, klasse_uuid = SELECTIELIJST[omschrijving]
            res = schemas.ResultaatTypeIn.model_validate({
                "zaaktype": zt_url, "omschrijving": omschrijving,
                "resultaattypeomschrijving": f"{SELECTIELIJST_API}/resultaattypeomschrijvingen/{omschrijving_uuid}",
                "selectielijstklasse": f"{SELECTIELIJST_API}/resultaten/{klasse_uuid}",
                "archiefnominatie": nominatie, "archiefactietermijn": termijn,
                "brondatumArchiefprocedure": {"afleidingswijze": "afgehandeld"}})
            res_id = (await session.execute(insert(resultaattypen).values(
                uuid=str(uuid.uuid4()), zaaktype_id=zt_id, omschrijving=omschrijving, archiefnominatie=nominatie,
                # The omschrijving of the resultaattypeomschrijving it names, as the catalogue derives it.
                gegevens={**_dump(res), "omschrijvingGeneriek": omschrijving})
                .returning(resultaattypen.c.id))).scalar_one()
            if omschrijving in MET_BESLUIT:
                await session.execute(insert(resultaattype_besluittypen).values(resultaattype_id=res_id,
                                                                               besluittype_id=besluittype_id))
        eig = schemas.EigenschapIn.model_validate({
            "naam": "aanvraagdatum", "definitie": "De datum waarop de aanvraag of melding binnenkwam.",
            "specificatie": {"formaat": "datum", "lengte": "8", "kardinaliteit": "1"}, "zaaktype": zt_url})
        await session.execute(insert(eigenschappen).values(uuid=str(uuid.uuid4()), zaaktype_id=zt_id,
                                                           naam="aanvraagdatum", gegevens=_dump(eig)))


async def _seed_documenten(session: AsyncSession, base: str, cat_id: int, cat_uuid: str) -> int:
    """The catalogus's published informatieobjecttypen and its besluittype beschikking; returns the latter's id."""
    iot_ids = {}
    for omschrijving, categorie in INFORMATIEOBJECTTYPEN:
        iot = schemas.InformatieObjectTypeIn.model_validate({
            "catalogus": _url(base, "catalogussen", cat_uuid), "omschrijving": omschrijving,
            "vertrouwelijkheidaanduiding": "vertrouwelijk", "informatieobjectcategorie": categorie,
            "beginGeldigheid": BEGIN.isoformat()})
        iot_ids[omschrijving] = (await session.execute(insert(informatieobjecttypen).values(
            uuid=str(uuid.uuid4()), catalogus_id=cat_id, omschrijving=omschrijving, begin_geldigheid=BEGIN,
            einde_geldigheid=None, concept=False, gegevens=_dump(iot)).returning(informatieobjecttypen.c.id))
        ).scalar_one()
    bt = schemas.BesluitTypeIn.model_validate({
        "catalogus": _url(base, "catalogussen", cat_uuid), "omschrijving": "Beschikking",
        "omschrijvingGeneriek": "Beschikking", "besluitcategorie": "beschikking", "reactietermijn": "P6W",
        "publicatieIndicatie": False, "informatieobjecttypen": ["Beschikking"], "beginGeldigheid": BEGIN.isoformat()})
    bt_id = (await session.execute(insert(besluittypen).values(
        uuid=str(uuid.uuid4()), catalogus_id=cat_id, omschrijving="Beschikking", begin_geldigheid=BEGIN,
        einde_geldigheid=None, concept=False, gegevens=_dump(bt)).returning(besluittypen.c.id))).scalar_one()
    await session.execute(insert(besluittype_iotypen).values(besluittype_id=bt_id, iotype_id=iot_ids["Beschikking"]))
    return int(bt_id)


def _dump(body: Any) -> dict[str, Any]:
    return body.model_dump(mode="json", by_alias=True)


async def seed_if_empty(session: AsyncSession, public_base_url: str, rsin: str = DEFAULT_RSIN) -> dict[str, str] | None:
    """Load the catalogue unless zaken already has a catalogus (seeded before or built by hand): then None."""
    if (await session.execute(select(func.count()).select_from(catalogussen))).scalar_one():
        return None
    return await seed(session, public_base_url, rsin)


async def _in_transaction(database_url: str, load: Callable[[AsyncSession], Awaitable[T]]) -> T:
    db = Database(database_url)
    try:
        async with db.transaction() as session:
            return await load(session)
    finally:
        await db.dispose()


async def run(database_url: str, public_base_url: str, rsin: str) -> dict[str, str]:
    return await _in_transaction(database_url, lambda session: seed(session, public_base_url, rsin))


async def run_if_empty(database_url: str, public_base_url: str, rsin: str) -> dict[str, str] | None:
    return await _in_transaction(database_url, lambda session: seed_if_empty(session, public_base_url, rsin))


def main(argv: list[str] | None = None) -> int:
    settings = ServiceSettings(service="zaken", env="dev")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=settings.database_url)
    parser.add_argument("--public-base-url", default=settings.public_base_url)
    parser.add_argument("--rsin", default=DEFAULT_RSIN)
    parser.add_argument("--if-empty", action="store_true",
                        help="load nothing when zaken already has a catalogus (seeded before or built by hand)")
    args = parser.parse_args(argv)
    load = run_if_empty if args.if_empty else run
    urls = asyncio.run(load(args.database_url, args.public_base_url, args.rsin))
    if urls is None:
        print("zaken already has a catalogue, left as it is")
        return 0
    for identificatie, url in sorted(urls.items()):
        print(f"{identificatie:18} {url}")
    print(f"loaded {len(urls)} published zaaktypen in {len(CATALOGUE)} catalogussen")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
