"""Use cases on personen: look up (by BSN, in a body), register locally, read by id."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Row
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from sds.runtime.auth import AuthContext
from sds.runtime.errors import Conflict, PermissionDenied, refused_or_absent
from sds.runtime.verwerkingenlog import pseudoniem
from services.klantgegevens import store
from services.klantgegevens.brp import PersoonGegevens
from services.klantgegevens.context import Klantgegevens
from services.klantgegevens.domain import SCOPE_REGISTREREN, Bereik
from services.klantgegevens.schemas import (
    Inschrijving,
    RaadpleegMetBurgerservicenummer,
    ZoekMetGeslachtsnaamEnGeboortedatum,
)

MAX_ZOEKRESULTATEN = 20


def toegang(reach: Bereik, row: Row[Any]) -> str | None:
    """The lawful reason for this client to see this row, as the verwerkingenlog names it; None: not visible."""
    if reach.alles:
        return "alle-autorisaties"
    grond = getattr(row, "grondslag", None)
    if grond:
        return str(grond)
    if reach.zonder_grondslag:
        return "registratie"
    return None


def persoon_out(kg: Klantgegevens, row: Row[Any]) -> dict[str, Any]:
    adres = {k: getattr(row, k) for k in ("straat", "huisnummer", "huisletter", "huisnummertoevoeging",
                                          "postcode", "woonplaats")}
    return {
        "url": kg.url("personen", row.uuid),
        "uuid": row.uuid,
        "burgerservicenummer": row.bsn,
        "naam": {"voornamen": row.voornamen, "voorvoegsel": row.voorvoegsel, "geslachtsnaam": row.geslachtsnaam},
        "geboortedatum": row.geboortedatum,
        "verblijfplaats": adres if any(v is not None for v in adres.values()) else None,
        "huishouden": kg.url("huishoudens", row.huishouden_uuid) if row.huishouden_uuid else None,
        "bron": row.bron,
    }


async def raadpleeg(kg: Klantgegevens, session: AsyncSession, ctx: AuthContext,
                    query: RaadpleegMetBurgerservicenummer | ZoekMetGeslachtsnaamEnGeboortedatum) -> dict[str, Any]:
    reach = kg.lees_bereik(ctx)
    today = date.today()
    if isinstance(query, RaadpleegMetBurgerservicenummer):
        bsns = list(dict.fromkeys(query.burgerservicenummer))
        if kg.bron is not None:
            await _from_brp(kg, session, reach, bsns, await store.personen_by_bsn(session, reach, bsns, today))
        rows = await _lees_gelogd(kg, session, ctx, reach, "bsn", {"bsns": bsns}, today)
        order = {bsn: i for i, bsn in enumerate(bsns)}
        rows.sort(key=lambda r: order[r.bsn])
    else:
        rows = await store.personen_by_naam(session, reach, query.geslachtsnaam, query.geboortedatum,
                                            query.voornamen, today, MAX_ZOEKRESULTATEN)
        await kg.log.vastleggen_elk(session, ctx, activiteit="persoon-raadplegen", handeling="lezen", per_betrokkene=[
            (grond, row.pseudoniem) for row in rows if (grond := toegang(reach, row)) is not None])
    # As the BRP does: a person you may not see is a person not found.
    found = [persoon_out(kg, row) for row in rows if toegang(reach, row) is not None]
    return {"type": query.type, "personen": found}


def _gelezen(reach: Bereik) -> dict[str, str | None]:
    """How ``Verwerkingenlog.lezen`` finds a row's lawful reason, as :func:`toegang` does."""
    if reach.alles:
        return {"grondslag": None, "anders": "alle-autorisaties"}
    return {"grondslag": "grondslag", "anders": "registratie" if reach.zonder_grondslag else None}


async def _lees_gelogd(kg: Klantgegevens, session: AsyncSession, ctx: AuthContext, reach: Bereik, by: str,
                       waarde: dict[str, Any], today: date) -> list[Row[Any]]:
    """Persons by BSN or uuid, recorded as read by the same statement (one round trip for both)."""
    stmt, params = store.persoon_query(reach, by, today)
    return list(await kg.log.lezen(session, ctx, stmt, {**params, **waarde}, activiteit="persoon-raadplegen",
                                   betrokkene="pseudoniem", **_gelezen(reach)))


async def _from_brp(kg: Klantgegevens, session: AsyncSession, reach: Bereik, bsns: list[str],
                    rows: list[Row[Any]]) -> None:
    """The BRP is leading: refresh the persons this client may see, and fetch new ones for a registrar."""
    assert kg.bron is not None
    known = {row.bsn: row for row in rows}
    wanted = [b for b in bsns if (b in known and toegang(reach, known[b]) is not None)
              or (b not in known and (reach.alles or reach.zonder_grondslag))]
    if not wanted:
        return
    for gegevens in await kg.bron.raadpleeg(wanted):
        if gegevens.bsn not in wanted:
            continue  # never store what was not asked for
        if gegevens.bsn in known:
            await store.update_persoon(session, gegevens, bron="brp")
        else:
            await _insert(kg, session, gegevens, bron="brp", on_conflict="skip")


async def _insert(kg: Klantgegevens, session: AsyncSession, gegevens: PersoonGegevens, *, bron: str,
                  on_conflict: str) -> None:
    try:
        async with session.begin_nested():
            await store.insert_persoon(session, gegevens, pseudoniem=pseudoniem(gegevens.bsn, kg.sleutel), bron=bron)
    except IntegrityError:
        # A concurrent request registered the same BSN first; the database error holds the BSN, so it goes nowhere.
        if on_conflict != "skip":
            raise Conflict("Deze persoon is al ingeschreven.", code="bestaat_al") from None


async def schrijf_in(kg: Klantgegevens, session: AsyncSession, ctx: AuthContext, body: Inschrijving) -> dict[str, Any]:
    if not (ctx.heeft_alle_autorisaties or ctx.grants("klantgegevens", SCOPE_REGISTREREN)):
        raise PermissionDenied("Deze applicatie mag geen personen inschrijven.")
    if kg.bron is not None:
        raise Conflict("Persoonsgegevens komen uit de BRP: raadpleeg de persoon met POST /personen.",
                       code="brp_is_bron")
    if await store.bsn_exists(session, body.burgerservicenummer):
        raise Conflict("Deze persoon is al ingeschreven.", code="bestaat_al")
    adres = body.verblijfplaats
    gegevens = PersoonGegevens(
        bsn=body.burgerservicenummer, geslachtsnaam=body.naam.geslachtsnaam, voornamen=body.naam.voornamen,
        voorvoegsel=body.naam.voorvoegsel, geboortedatum=body.geboortedatum,
        **(adres.model_dump() if adres else {}))
    await _insert(kg, session, gegevens, bron="lokaal", on_conflict="raise")
    grond = "alle-autorisaties" if ctx.heeft_alle_autorisaties else "registratie"
    await kg.log.vastleggen(session, ctx, activiteit="persoon-inschrijven", handeling="schrijven", grondslag=grond,
                            betrokkenen=[pseudoniem(body.burgerservicenummer, kg.sleutel)])
    rows = await store.personen_by_bsn(session, Bereik(alles=True, kolommen=frozenset(), clusters=frozenset()),
                                       [body.burgerservicenummer], date.today())
    return persoon_out(kg, rows[0])


async def lees(kg: Klantgegevens, session: AsyncSession, ctx: AuthContext, uuid: str) -> dict[str, Any]:
    reach = kg.lees_bereik(ctx)
    rows = await _lees_gelogd(kg, session, ctx, reach, "uuid", {"uuid": uuid}, date.today())
    if not rows or toegang(reach, rows[0]) is None:
        raise refused_or_absent(bool(rows))
    return persoon_out(kg, rows[0])
