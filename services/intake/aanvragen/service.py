"""The use cases of aanvragen: file, triage, follow the zaken and the external party, withdraw, list.

An aanvraag accepted with 201 is in the database with its ``aanvraag-ingediend`` event in the same transaction.
Triage runs at once when the household and the catalogue are known; otherwise the aanvraag waits as
``ingediend`` for the worker (``services.intake.worker``), so a klantgegevens or zaken that is down delays an
aanvraag but never loses it. The triage decision and its event are one transaction as well.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, false, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.events import make_event
from sds.profiles import KOLOMMEN
from sds.runtime.auth import AuthContext
from sds.runtime.bsn import inwoner_bsn
from sds.runtime.doelbinding import Zicht
from sds.runtime.errors import Conflict, NotFound, PermissionDenied, ValidatieFout
from sds.runtime.outbox import record_event, record_events
from sds.runtime.tracing import current_traceparent
from sds.runtime.verwerkingenlog import Handeling
from services.intake import verwerking
from services.intake.aanvragen import triage
from services.intake.aanvragen.schemas import AANVRAAG, AFGESLOTEN, HISTORIEREGEL, NieuweAanvraag, Statusbericht
from services.intake.context import SOURCE, Intake
from services.intake.models import aanvragen, delegaties, historie, statusberichten, termijnen, vragen, zaken

COMPONENT = "intake"
SCOPE_AANMAKEN = "intake.aanvragen.aanmaken"
SCOPE_LEZEN = "intake.aanvragen.lezen"
SCOPE_BIJWERKEN = "intake.aanvragen.bijwerken"
SCOPE_INWONER = "intake.inwoner"
SCOPE_STATUSBERICHTEN = "intake.statusberichten"

# Response times when no archetype profile sets them (calendar days): Wmo 2015 art. 2.3.2 (research within six
# weeks of the melding) and art. 4.1.3 Awb-style decision within two weeks of the aanvraag; Jeugdwet and
# Participatiewet decisions within eight weeks; Wgs: a first conversation within four weeks, a decision after.
STANDAARD_TERMIJNEN: dict[str, tuple[int | None, int]] = {
    "wmo": (42, 14), "jeugd": (None, 56), "participatie": (None, 56), "schuldhulp": (28, 56)}

_UUID = re.compile(r"/aanvragen/([0-9a-fA-F-]{36})/?$")


def _now() -> datetime:
    return datetime.now(UTC)


async def _record(session: AsyncSession, type_: str, data: dict[str, Any], subject: str,
                  dataref: str) -> None:
    await record_event(session, make_event(type_, data, source=SOURCE, subject=subject, dataref=dataref,
                                           traceparent=current_traceparent()))


async def schrijf_historie(session: AsyncSession, aanvraag_id: int, status: str, toelichting: str,
                           door: str, kolommen: list[str]) -> None:
    """One line of the aanvraag's history; ``kolommen``: the kolommen its words speak of (a team limited to
    kolommen reads only lines within its own)."""
    await session.execute(insert(historie).values(aanvraag_id=aanvraag_id, status=status, tijdstip=_now(),
                                                  toelichting=toelichting[:500], door=door[:200],
                                                  kolommen=kolommen))


def _door(auth: AuthContext) -> str:
    return f"{auth.client_id}/{auth.user_id}" if auth.user_id else auth.client_id


# --- who may do what ----------------------------------------------------------------------------------------

def zicht(intake: Intake, auth: AuthContext, scope: str) -> Zicht:
    """What ``auth`` sees of aanvragen for ``scope``: a resident the whole of their own, a team its kolommen."""
    if _eigen_inwoner(auth) is not None:
        return Zicht.alles()
    return Zicht.voor(auth, COMPONENT, scope, intake.profile)


def _in_bereik(kolommen: frozenset[str] | None):  # type: ignore[no-untyped-def]
    if kolommen is None:
        return None
    return exists().where(and_(vragen.c.aanvraag_id == aanvragen.c.id, vragen.c.kolom.in_(sorted(kolommen))))


# --- filing -------------------------------------------------------------------------------------------------

def termijnen_voor(intake: Intake, kolom: str) -> list[tuple[str, int]]:
    """(soort, days from the registration) of a kolom: onderzoek, and the decision after it."""
    if intake.profile is not None and kolom in intake.profile.termijnen:
        t = intake.profile.termijnen[kolom]  # type: ignore[index]
        onderzoek, beslissing = t.onderzoek_dagen, t.beslissing_dagen
    else:
        onderzoek, beslissing = STANDAARD_TERMIJNEN[kolom]
    out = []
    if onderzoek:
        out.append(("onderzoek", onderzoek))
    out.append(("beslissing", (onderzoek or 0) + beslissing))
    return out


def _check_profiel(intake: Intake, body: NieuweAanvraag) -> None:
    if intake.profile is None:
        return
    fouten = [{"name": f"vragen.{i}.kolom", "code": "kolom-niet-in-gebruik",
               "reason": f"De kolom {v.eigen_kolom} is in deze gemeente niet in gebruik."}
              for i, v in enumerate(body.vragen) if v.eigen_kolom not in intake.profile.kolommen]
    if fouten:
        raise ValidatieFout(fouten)


def check_indiener(intake: Intake, auth: AuthContext, body: NieuweAanvraag) -> None:
    """A worker or partner application files for anyone, with questions in its own kolommen; a resident (DigiD via
    the gateway) for themselves."""
    if auth.has_scope(COMPONENT, SCOPE_AANMAKEN):
        Zicht.voor(auth, COMPONENT, SCOPE_AANMAKEN, intake.profile).vereis_schrijven(
            [v.eigen_kolom for v in body.vragen], "Deze aanvraag")
        return
    if auth.has_scope(COMPONENT, SCOPE_INWONER):
        bsn = inwoner_bsn(auth)
        if bsn is None:
            raise PermissionDenied("Een inwoner-applicatie handelt namens een ingelogde inwoner.")
        if body.ingediend_door != "inwoner" or body.aanvrager is None or body.aanvrager.burgerservicenummer != bsn:
            raise PermissionDenied("Een inwoner dient alleen een aanvraag in voor zichzelf en het eigen huishouden.")
        return
    raise PermissionDenied(f"Deze applicatie heeft de scope '{SCOPE_AANMAKEN}' niet.", code="permission_denied")


async def dien_in(intake: Intake, session: AsyncSession, auth: AuthContext, body: NieuweAanvraag,
                  huishouden: str | None) -> str:
    """Store the aanvraag (and triage it when everything it needs is known). Returns its uuid."""
    _check_profiel(intake, body)
    aanvrager = body.aanvrager.model_dump(mode="json", exclude_none=True) if body.aanvrager and not huishouden \
        else None
    [(aanvraag_id, aanvraag_uuid)] = await _bewaar(intake, session, [Nieuw(
        ingediend_door=body.ingediend_door, indiener=_door(auth), huishouden=huishouden or body.huishouden,
        aanvrager=aanvrager, toelichting=body.toelichting,
        vragen=[(v.leefgebied, v.eigen_kolom, v.toelichting) for v in body.vragen])])
    await trieer(intake, session, aanvraag_id)
    return aanvraag_uuid


@dataclass(frozen=True)
class Nieuw:
    """One aanvraag to store: who filed it, for whom, and its questions as (leefgebied, kolom, toelichting)."""

    ingediend_door: str
    indiener: str
    huishouden: str | None
    aanvrager: dict[str, Any] | None
    toelichting: str | None
    vragen: list[tuple[str, str, str | None]]


async def _bewaar(intake: Intake, session: AsyncSession, nieuw: list[Nieuw]) -> list[tuple[int, str]]:
    """Store aanvragen with their questions, termijnen, first history line and ``aanvraag-ingediend`` events, in
    one statement per table whatever their number (vroegsignalering opens hundreds in one batch)."""
    if not nieuw:
        return []
    now = _now()
    vandaag = now.date()
    profile = intake.profile
    rijen: list[dict[str, Any]] = []
    for n in nieuw:
        kolommen = [k for k in KOLOMMEN if k in {v[1] for v in n.vragen}]
        clusters = sorted({profile.cluster_of(k) for k in kolommen}) if profile else list(kolommen)
        rijen.append({"uuid": str(uuid.uuid4()), "huishouden": n.huishouden, "ingediend_door": n.ingediend_door,
                      "indiener": n.indiener[:200], "status": "ingediend", "kolommen": kolommen,
                      "clusters": clusters, "registratiedatum": vandaag, "ingediend_op": now,
                      "toelichting": n.toelichting, "aanvrager": n.aanvrager, "triage": None, "uitkomst": None,
                      "einddatum": None})
    ids = [row.id for row in (await session.execute(
        insert(aanvragen).returning(aanvragen.c.id, sort_by_parameter_order=True), rijen)).all()]
    await session.execute(insert(vragen), [
        {"aanvraag_id": i, "volgnummer": volgnummer + 1, "leefgebied": leefgebied, "kolom": kolom,
         "toelichting": tekst}
        for i, n in zip(ids, nieuw, strict=True) for volgnummer, (leefgebied, kolom, tekst) in enumerate(n.vragen)])
    await session.execute(insert(termijnen), [
        {"aanvraag_id": i, "kolom": kolom, "soort": soort, "dagen": dagen, "startdatum": vandaag,
         "uiterlijke_einddatum": vandaag + timedelta(days=dagen), "gehaald_op": None, "overschreden_gemeld": False}
        for i, rij in zip(ids, rijen, strict=True) for kolom in rij["kolommen"]
        for soort, dagen in termijnen_voor(intake, kolom)])
    await session.execute(insert(historie), [
        {"aanvraag_id": i, "status": "ingediend", "tijdstip": now, "door": n.indiener[:200], "kolommen": [kolom],
         "toelichting": f"Aanvraag ingediend ({n.ingediend_door}) met een vraag over {kolom}."}
        for i, n, rij in zip(ids, nieuw, rijen, strict=True) for kolom in rij["kolommen"]])
    events = []
    for n, rij in zip(nieuw, rijen, strict=True):
        url = intake.url("aanvragen", rij["uuid"])
        events.append(make_event("nl.sociaal-domein.intake.aanvraag-ingediend", {
            "aanvraag": url, "huishouden": n.huishouden, "kolommen": rij["kolommen"],
            "ingediendDoor": "partner" if n.ingediend_door == "signalering" else n.ingediend_door,
            "registratiedatum": vandaag.isoformat()}, source=SOURCE, subject=rij["uuid"], dataref=url,
            traceparent=current_traceparent()))
    await record_events(session, events)
    return [(i, rij["uuid"]) for i, rij in zip(ids, rijen, strict=True)]


_PROACTIEF_LEEFGEBIED = {"schuldhulp": "schulden", "wmo": "begeleiding", "jeugd": "opgroeien",
                         "participatie": "inkomen"}


async def open_proactieve_aanvragen(intake: Intake, session: AsyncSession,
                                    items: list[tuple[str, str, str]]) -> list[str]:
    """Open an aanvraag per (bsn, kolom, toelichting) for the household of that person because signals asked for
    it.

    Runs inside the caller's transaction (nothing is called outside it): the aanvragen and their
    ``aanvraag-ingediend`` events are written; finding each household in klantgegevens and the triage follow in
    the background. Returns the aanvragen's uuids, in the order of ``items``.
    """
    stored = await _bewaar(intake, session, [
        Nieuw(ingediend_door="signalering", indiener="vroegsignalering", huishouden=None,
              aanvrager={"burgerservicenummer": bsn}, toelichting=toelichting,
              vragen=[(_PROACTIEF_LEEFGEBIED[kolom], kolom, "Proactief na signalen van partners (vroegsignalering).")])
        for bsn, kolom, toelichting in items])
    return [u for _, u in stored]


# --- triage -------------------------------------------------------------------------------------------------

async def trieer(intake: Intake, session: AsyncSession, aanvraag_id: int) -> bool:
    """Triage the aanvraag when its household and the zaaktypen it needs are known; False leaves it waiting."""
    row = (await session.execute(select(aanvragen).where(aanvragen.c.id == aanvraag_id))).one()
    if row.status != "ingediend" or row.huishouden is None:
        return False
    leefgebieden: dict[str, list[str]] = {}
    for v in (await session.execute(select(vragen.c.kolom, vragen.c.leefgebied).where(
            vragen.c.aanvraag_id == aanvraag_id).order_by(vragen.c.volgnummer))).all():
        leefgebieden.setdefault(v.kolom, []).append(v.leefgebied)
    open_kolommen: set[str] = set()
    for kolommen_ in (await session.execute(select(zaken.c.kolommen).where(
            zaken.c.huishouden == row.huishouden, zaken.c.open.is_(True)))).scalars():
        open_kolommen.update(kolommen_)
    besluit = triage.beslis(intake.profile, leefgebieden, open_kolommen, intake.settings.zaaktypen)
    try:
        te_openen = [{"kolommen": list(z.kolommen), "cluster": z.cluster,
                      "zaaktype": intake.zaaktype_urls[z.zaaktype], "integraal": z.integraal,
                      "regisseur": z.regisseur} for z in besluit.zaken]
    except KeyError:
        return False  # the catalogue is not known (yet): the worker tries again
    status = "getrieerd" if besluit.zaken else "doorgezet"
    # Claim the aanvraag: of two instances (or the request and the worker) one decides.
    claimed = (await session.execute(update(aanvragen).where(
        aanvragen.c.id == aanvraag_id, aanvragen.c.status == "ingediend").values(
        status=status, triage={"integraal": besluit.integraal, "regie": besluit.regie,
                               "zaken": [{**z, "zaaktypeIdentificatie": b.zaaktype}
                                         for z, b in zip(te_openen, besluit.zaken, strict=True)],
                               "delegaties": [{"cluster": d.cluster, "kolommen": list(d.kolommen),
                                               "partij": d.partij} for d in besluit.delegaties],
                               "redenen": [r.as_json() for r in besluit.redenen],
                               "archetype": intake.profile.archetype if intake.profile else None,
                               "getrieerdOp": _now().isoformat()}))).rowcount  # type: ignore[attr-defined]
    if claimed != 1:
        return False
    now = _now()
    for d in besluit.delegaties:
        await session.execute(insert(delegaties).values(
            aanvraag_id=aanvraag_id, cluster=d.cluster, partij=d.partij, kolommen=list(d.kolommen),
            status="doorgezet", externe_referentie=None, uitkomst=None, bijgewerkt=now))
    # A line per reason and per delegation, each with the kolommen it speaks of.
    for r in besluit.redenen:
        await schrijf_historie(session, aanvraag_id, "getrieerd", r.tekst, "triage",
                               [r.kolom] if r.kolom else list(row.kolommen))
    for d in besluit.delegaties:
        await schrijf_historie(session, aanvraag_id, "doorgezet", f"Doorgezet naar {d.partij}.", "triage",
                               list(d.kolommen))
    url = intake.url("aanvragen", row.uuid)
    await _record(session, "nl.sociaal-domein.intake.aanvraag-getrieerd", {
        "aanvraag": url, "huishouden": row.huishouden, "integraal": besluit.integraal, "regie": besluit.regie,
        "zaken": te_openen,
        "delegaties": [{"cluster": d.cluster, "kolommen": list(d.kolommen), "partij": d.partij}
                       for d in besluit.delegaties],
        "redenen": [{"code": r.code, "kolom": r.kolom} for r in besluit.redenen]}, row.uuid, url)
    return True


async def wachtende(session: AsyncSession, limit: int = 100) -> list[Any]:
    """Aanvragen still waiting for their household or their triage, oldest first."""
    return list((await session.execute(select(aanvragen.c.id, aanvragen.c.huishouden, aanvragen.c.aanvrager,
                                              aanvragen.c.indiener).where(aanvragen.c.status == "ingediend")
                                       .order_by(aanvragen.c.id).limit(limit))).all())


async def zet_huishouden(session: AsyncSession, aanvraag_id: int, huishouden: str) -> None:
    """The household is found: keep it, and forget the personal data that was only there to find it."""
    await session.execute(update(aanvragen).where(aanvragen.c.id == aanvraag_id, aanvragen.c.huishouden.is_(None))
                          .values(huishouden=huishouden, aanvrager=None))


# --- reading ------------------------------------------------------------------------------------------------

def aanvraag_uuid_uit(intake: Intake, url: str, field: str) -> str:
    base = intake.url("aanvragen", "")
    match = _UUID.search(url) if url.startswith(base) else None
    if match is None:
        raise ValidatieFout.single(field, "bad-url", "Geef de URL van een aanvraag van deze suite.")
    return match.group(1).lower()


async def _rij(intake: Intake, session: AsyncSession, auth: AuthContext, aanvraag_uuid: str, scope: str) -> Any:
    row = (await session.execute(select(aanvragen).where(aanvragen.c.uuid == aanvraag_uuid))).first()
    if row is None:
        raise NotFound()
    if _eigen_inwoner(auth) is not None:
        if row.indiener != _door(auth):
            raise PermissionDenied("Een inwoner ziet alleen de eigen aanvragen.")
        return row
    if not zicht(intake, auth, scope).ziet(row.kolommen):
        raise PermissionDenied("Deze aanvraag valt buiten de kolommen van deze applicatie.")
    return row


def _eigen_inwoner(auth: AuthContext) -> str | None:
    if auth.heeft_alle_autorisaties or auth.has_scope(COMPONENT, SCOPE_LEZEN):
        return None
    return inwoner_bsn(auth) if auth.has_scope(COMPONENT, SCOPE_INWONER) else None


async def weergave(intake: Intake, session: AsyncSession, rows: list[Any], auth: AuthContext,
                   scope: str = SCOPE_LEZEN, *, activiteit: str = "aanvraag-raadplegen",
                   handeling: Handeling = "lezen") -> list[dict[str, Any]]:
    """The API's shape of aanvragen rows, with their questions, termijnen and delegations (3 queries in all), each
    cut to what ``auth`` sees of it (doelbinding: only its own kolommen' parts). Every aanvraag shown is written in
    the verwerkingenlog, in the caller's transaction, as ``activiteit``."""
    await verwerking.aanvragen(intake, session, auth, rows, activiteit=activiteit, handeling=handeling)
    ids = [r.id for r in rows]
    per: dict[int, dict[str, list[Any]]] = {i: {"vragen": [], "termijnen": [], "delegaties": []} for i in ids}
    if ids:
        for v in (await session.execute(select(vragen).where(vragen.c.aanvraag_id.in_(ids))
                                        .order_by(vragen.c.aanvraag_id, vragen.c.volgnummer))).all():
            per[v.aanvraag_id]["vragen"].append({"leefgebied": v.leefgebied, "kolom": v.kolom,
                                                 "toelichting": v.toelichting})
        vandaag = _now().date()
        for t in (await session.execute(select(termijnen).where(termijnen.c.aanvraag_id.in_(ids))
                                        .order_by(termijnen.c.aanvraag_id, termijnen.c.id))).all():
            per[t.aanvraag_id]["termijnen"].append({
                "kolom": t.kolom, "soort": t.soort, "dagen": t.dagen, "startdatum": t.startdatum,
                "uiterlijkeEinddatum": t.uiterlijke_einddatum, "gehaaldOp": t.gehaald_op,
                "overschreden": (t.gehaald_op or vandaag) > t.uiterlijke_einddatum})
        for d in (await session.execute(select(delegaties).where(delegaties.c.aanvraag_id.in_(ids))
                                        .order_by(delegaties.c.id))).all():
            per[d.aanvraag_id]["delegaties"].append({
                "cluster": d.cluster, "partij": d.partij, "kolommen": d.kolommen, "status": d.status,
                "externeReferentie": d.externe_referentie, "uitkomst": d.uitkomst})
    return zicht(intake, auth, scope).toon(AANVRAAG, [{
        "url": intake.url("aanvragen", r.uuid), "uuid": r.uuid, "huishouden": r.huishouden,
        "ingediendDoor": "partner" if r.ingediend_door == "signalering" else r.ingediend_door,
        "status": r.status, "kolommen": r.kolommen, "clusters": r.clusters, "registratiedatum": r.registratiedatum,
        "ingediendOp": r.ingediend_op, "toelichting": r.toelichting, "triage": r.triage, "uitkomst": r.uitkomst,
        "einddatum": r.einddatum, "andereKolommen": None, **per[r.id]} for r in rows])


async def weergave_van(intake: Intake, session: AsyncSession, aanvraag_uuid: str, auth: AuthContext,
                       scope: str, activiteit: str) -> dict[str, Any]:
    """The aanvraag as the API shows it to the caller that just filed or changed it with ``scope`` (rights already
    checked: it is answered as stored, cut to that caller's kolommen)."""
    row = (await session.execute(select(aanvragen).where(aanvragen.c.uuid == aanvraag_uuid))).one()
    return (await weergave(intake, session, [row], auth, scope, activiteit=activiteit, handeling="schrijven"))[0]


async def lees(intake: Intake, session: AsyncSession, auth: AuthContext, aanvraag_uuid: str) -> dict[str, Any]:
    row = await _rij(intake, session, auth, aanvraag_uuid, SCOPE_LEZEN)
    return (await weergave(intake, session, [row], auth))[0]


def lijst_query(intake: Intake, auth: AuthContext, *, status: str | None, kolom: str | None,
                huishouden: str | None) -> Any:
    stmt = select(aanvragen)
    bsn = _eigen_inwoner(auth)
    if bsn is not None:
        stmt = stmt.where(aanvragen.c.indiener == _door(auth))
    else:
        z = zicht(intake, auth, SCOPE_LEZEN)
        condition = _in_bereik(z.kolommen)
        if condition is not None:
            stmt = stmt.where(condition)
        if kolom and not z.mag_weten(kolom):
            # Filtering on another kolom would tell which households have a question there.
            stmt = stmt.where(false())
    if status:
        stmt = stmt.where(aanvragen.c.status == status)
    if kolom:
        stmt = stmt.where(exists().where(and_(vragen.c.aanvraag_id == aanvragen.c.id, vragen.c.kolom == kolom)))
    if huishouden:
        stmt = stmt.where(aanvragen.c.huishouden == huishouden)
    return stmt.order_by(aanvragen.c.id.desc())


async def lees_historie(intake: Intake, session: AsyncSession, auth: AuthContext,
                        aanvraag_uuid: str) -> list[dict[str, Any]]:
    row = await _rij(intake, session, auth, aanvraag_uuid, SCOPE_LEZEN)
    await verwerking.aanvragen(intake, session, auth, [row], activiteit="aanvraag-historie-raadplegen",
                               handeling="lezen")
    z = zicht(intake, auth, SCOPE_LEZEN).binnen(AANVRAAG, {"kolommen": row.kolommen, "triage": row.triage})
    return z.toon(HISTORIEREGEL, [
        {"status": h.status, "tijdstip": h.tijdstip, "toelichting": h.toelichting, "door": h.door,
         "kolommen": row.kolommen if h.kolommen is None else h.kolommen}
        for h in (await session.execute(select(historie).where(historie.c.aanvraag_id == row.id)
                                        .order_by(historie.c.id))).all()])


# --- withdrawing and finishing ------------------------------------------------------------------------------

async def trek_in(intake: Intake, session: AsyncSession, auth: AuthContext, aanvraag_uuid: str) -> dict[str, Any]:
    row = await _rij(intake, session, auth, aanvraag_uuid, SCOPE_BIJWERKEN)
    if _eigen_inwoner(auth) is None and not auth.has_scope(COMPONENT, SCOPE_BIJWERKEN):
        raise PermissionDenied(f"Deze applicatie heeft de scope '{SCOPE_BIJWERKEN}' niet.")
    # Withdrawing ends every part of the aanvraag: only who may change all its kolommen does that.
    zicht(intake, auth, SCOPE_BIJWERKEN).vereis_schrijven(row.kolommen, "Het intrekken van deze aanvraag")
    if row.status in AFGESLOTEN:
        raise Conflict(f"De aanvraag is al {row.status}.", code="aanvraag-afgesloten")
    await _sluit(intake, session, row, "ingetrokken", "ingetrokken", "Ingetrokken.", _door(auth))
    return await weergave_van(intake, session, aanvraag_uuid, auth, SCOPE_BIJWERKEN, "aanvraag-intrekken")


async def _sluit(intake: Intake, session: AsyncSession, row: Any, status: str, uitkomst: str, toelichting: str,
                 door: str) -> None:
    vandaag = _now().date()
    done = (await session.execute(update(aanvragen).where(
        aanvragen.c.id == row.id, aanvragen.c.status.notin_(AFGESLOTEN)).values(
        status=status, uitkomst=uitkomst, einddatum=vandaag, aanvrager=None))).rowcount  # type: ignore[attr-defined]
    if done != 1:
        return
    if status == "ingetrokken":
        # A withdrawn aanvraag has no deadline left to miss.
        await session.execute(update(termijnen).where(termijnen.c.aanvraag_id == row.id,
                                                      termijnen.c.gehaald_op.is_(None)).values(gehaald_op=vandaag))
    await schrijf_historie(session, row.id, status, toelichting, door, [])
    url = intake.url("aanvragen", row.uuid)
    await _record(session, "nl.sociaal-domein.intake.aanvraag-afgerond", {
        "aanvraag": url, "huishouden": row.huishouden, "kolommen": row.kolommen, "uitkomst": uitkomst,
        "registratiedatum": row.registratiedatum.isoformat(), "einddatum": vandaag.isoformat()}, row.uuid, url)


async def misschien_afgerond(intake: Intake, session: AsyncSession, aanvraag_id: int) -> None:
    """Finished at intake when every zaak triage opened is closed and every external party gave its outcome."""
    row = (await session.execute(select(aanvragen).where(aanvragen.c.id == aanvraag_id))).one()
    if row.status in AFGESLOTEN or row.triage is None:
        return
    gepland = len(row.triage["zaken"])
    bekend = (await session.execute(select(func.count(), func.count().filter(zaken.c.open.is_(True))).where(
        zaken.c.aanvraag_id == aanvraag_id))).one()
    open_delegaties = (await session.execute(select(func.count()).where(
        delegaties.c.aanvraag_id == aanvraag_id, delegaties.c.uitkomst.is_(None)))).scalar_one()
    if bekend[0] < gepland or bekend[1] or open_delegaties:
        return
    uitkomst = "zaken-geopend" if gepland else "gedelegeerd"
    await _sluit(intake, session, row, "afgerond", uitkomst, "Afgerond: " + (
        "alle zaken van deze aanvraag zijn afgesloten." if gepland else "de externe partij gaf haar uitkomst."),
        "intake")


# --- external parties report back ---------------------------------------------------------------------------

async def ontvang_statusbericht(intake: Intake, session: AsyncSession, auth: AuthContext,
                                body: Statusbericht) -> tuple[dict[str, Any], bool]:
    """Record a report of the external party a part of the aanvraag was delegated to; (report, new)."""
    auth.require_scope(COMPONENT, SCOPE_STATUSBERICHTEN)
    aanvraag_uuid = aanvraag_uuid_uit(intake, body.aanvraag, "aanvraag")
    row = (await session.execute(select(aanvragen).where(aanvragen.c.uuid == aanvraag_uuid))).first()
    stmt = select(delegaties).where(delegaties.c.aanvraag_id == (row.id if row else -1))
    if not auth.heeft_alle_autorisaties:
        # Only the party the part was delegated to, through an applicatie limited to that cluster.
        stmt = stmt.where(delegaties.c.cluster.in_(auth.clusters or ["-"]))
    delegatie = (await session.execute(stmt.order_by(delegaties.c.id).limit(1))).first()
    if row is None or delegatie is None:
        raise NotFound("Geen aanvraag die aan deze partij is doorgezet.")
    now = _now()
    bericht_uuid = str(uuid.uuid4())
    sleutel = "|".join((body.externe_referentie, body.soort, body.status, body.uitkomst or ""))
    try:
        async with session.begin_nested():
            await session.execute(insert(statusberichten).values(
                uuid=bericht_uuid, delegatie_id=delegatie.id, partij=delegatie.partij,
                externe_referentie=body.externe_referentie, soort=body.soort, status=body.status,
                uitkomst=body.uitkomst, ontvangen=now, sleutel=sleutel))
    except IntegrityError:
        existing = (await session.execute(select(statusberichten).where(
            statusberichten.c.delegatie_id == delegatie.id, statusberichten.c.sleutel == sleutel))).first()
        if existing is None:
            raise
        return _bericht(intake, existing, body.aanvraag), False
    await session.execute(update(delegaties).where(delegaties.c.id == delegatie.id).values(
        status=body.status, externe_referentie=body.externe_referentie,
        uitkomst=body.uitkomst or delegatie.uitkomst, bijgewerkt=now))
    omschrijving = f"{delegatie.partij} meldt: {body.status}" + (f", uitkomst {body.uitkomst}" if body.uitkomst
                                                                   else "") + "."
    await schrijf_historie(session, row.id, row.status, omschrijving, delegatie.partij, list(delegatie.kolommen))
    if body.uitkomst:
        await session.execute(update(termijnen).where(
            termijnen.c.aanvraag_id == row.id, termijnen.c.kolom.in_(delegatie.kolommen),
            termijnen.c.gehaald_op.is_(None)).values(gehaald_op=now.date()))
    url = intake.url("statusberichten", bericht_uuid)
    await _record(session, "nl.sociaal-domein.gateway.extern-statusbericht-ontvangen", {
        "partij": delegatie.partij, "aanvraag": body.aanvraag, "externeReferentie": body.externe_referentie,
        "soort": body.soort, "status": body.status, "uitkomst": body.uitkomst, "ontvangen": now.isoformat()},
        bericht_uuid, url)
    if body.uitkomst:
        await misschien_afgerond(intake, session, row.id)
    report = (await session.execute(select(statusberichten).where(statusberichten.c.uuid == bericht_uuid))).one()
    return _bericht(intake, report, body.aanvraag), True


def _bericht(intake: Intake, row: Any, aanvraag: str) -> dict[str, Any]:
    return {"url": intake.url("statusberichten", row.uuid), "aanvraag": aanvraag, "partij": row.partij,
            "externeReferentie": row.externe_referentie, "soort": row.soort, "status": row.status,
            "uitkomst": row.uitkomst, "ontvangen": row.ontvangen}


# --- termijnen ----------------------------------------------------------------------------------------------

def overschreden_query(intake: Intake, auth: AuthContext, kolom: str | None, vandaag: date) -> Any:
    reach = zicht(intake, auth, SCOPE_LEZEN).kolommen
    stmt = (select(termijnen, aanvragen.c.uuid.label("aanvraag_uuid"), aanvragen.c.status.label("aanvraag_status"))
            .join(aanvragen, aanvragen.c.id == termijnen.c.aanvraag_id)
            .where(termijnen.c.gehaald_op.is_(None), termijnen.c.uiterlijke_einddatum < vandaag,
                   aanvragen.c.status.notin_(AFGESLOTEN)))
    if reach is not None:
        stmt = stmt.where(termijnen.c.kolom.in_(sorted(reach)))
    if kolom:
        stmt = stmt.where(termijnen.c.kolom == kolom)
    return stmt.order_by(termijnen.c.uiterlijke_einddatum, termijnen.c.id)


async def telling_overschreden(intake: Intake, session: AsyncSession, auth: AuthContext,
                               vandaag: date) -> dict[str, Any]:
    """Overdue termijnen and the aanvragen they belong to, counted per kolom within the client's reach."""
    sub = overschreden_query(intake, auth, None, vandaag).order_by(None).subquery()
    rows = (await session.execute(select(sub.c.kolom, func.count(), func.count(sub.c.aanvraag_id.distinct()))
                                  .group_by(sub.c.kolom).order_by(sub.c.kolom))).all()
    per = {r[0]: {"termijnen": r[1], "aanvragen": r[2]} for r in rows}
    return {"peildatum": vandaag, "perKolom": per, "termijnen": sum(v["termijnen"] for v in per.values()),
            "aanvragen": sum(v["aanvragen"] for v in per.values())}


async def meld_overschreden(intake: Intake, session: AsyncSession, vandaag: date, limit: int = 500) -> int:
    """Publish ``termijn-overschreden`` once for each termijn that passed without being met."""
    rows = (await session.execute(
        select(termijnen, aanvragen.c.uuid.label("aanvraag_uuid")).join(
            aanvragen, aanvragen.c.id == termijnen.c.aanvraag_id).where(
            termijnen.c.gehaald_op.is_(None), termijnen.c.overschreden_gemeld.is_(False),
            termijnen.c.uiterlijke_einddatum < vandaag, aanvragen.c.status.notin_(AFGESLOTEN))
        .order_by(termijnen.c.id).limit(limit))).all()
    for t in rows:
        claimed = (await session.execute(update(termijnen).where(
            termijnen.c.id == t.id, termijnen.c.overschreden_gemeld.is_(False)).values(
            overschreden_gemeld=True))).rowcount  # type: ignore[attr-defined]
        if claimed != 1:
            continue
        url = intake.url("aanvragen", t.aanvraag_uuid)
        await _record(session, "nl.sociaal-domein.intake.termijn-overschreden", {
            "aanvraag": url, "kolom": t.kolom, "termijnsoort": t.soort, "termijn": f"P{t.dagen}D",
            "startdatum": t.startdatum.isoformat(), "uiterlijkeEinddatum": t.uiterlijke_einddatum.isoformat()},
            t.aanvraag_uuid, url)
    return len(rows)
