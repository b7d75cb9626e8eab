"""The use cases of signalen: receive one signal or a batch, read them back.

A batch is one transaction. Its household keys are locked first (in key order), then it is decided, set-wise,
which signals are new: a partner's signal id seen before names the signal stored then; a signal for a household
key and partner inside that pair's window is a duplicate of the signal that opened the window. Only new signals
are stored and published, and only they can make the profile's rule hold and open a proactive aanvraag.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Literal
from uuid import uuid4

from fastapi import Request
from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.envelope import CloudEvent
from contracts.events import make_event
from sds.profiles.model import SIGNAALSOORTEN
from sds.runtime.app import UnitOfWork
from sds.runtime.auth import AuthContext
from sds.runtime.doelbinding import Zicht
from sds.runtime.errors import Conflict, NotFound, PermissionDenied
from sds.runtime.pagination import PageParams, paginate
from sds.runtime.tracing import current_traceparent
from services.intake import verwerking
from services.intake.aanvragen.service import open_proactieve_aanvragen
from services.intake.context import SOURCE, Intake
from services.intake.signalen import domain, store
from services.intake.signalen.models import signalen
from services.intake.signalen.schemas import SIGNAAL, NieuwSignaal

SIGNAAL_ONTVANGEN = "nl.sociaal-domein.intake.signaal-ontvangen"
COMPONENT = "intake"
SCOPE_AANMAKEN = "intake.signalen.aanmaken"  # signal partners
SCOPE_LEZEN = "intake.signalen.lezen"  # the municipality's vroegsignalering
Status = Literal["aangemaakt", "duplicaat"]


@dataclass(frozen=True)
class Uitkomst:
    status: Status
    uuid: str


def zicht(intake: Intake, auth: AuthContext, scope: str) -> Zicht:
    return Zicht.voor(auth, COMPONENT, scope, intake.profile)


def check_melder(intake: Intake, auth: AuthContext, items: list[NieuwSignaal]) -> None:
    """A partner applicatie limited to kolommen reports only signals of its own kolommen (a batch: all or none)."""
    auth.require_scope(COMPONENT, SCOPE_AANMAKEN)
    kolommen = {k for item in items if (k := domain.kolom_van(intake.profile, item.signaalsoort))}
    zicht(intake, auth, SCOPE_AANMAKEN).vereis_schrijven(kolommen, "Dit signaal" if len(items) == 1 else
                                                        "Deze batch")


async def ontvang(intake: Intake, uow: UnitOfWork, auth: AuthContext, items: list[NieuwSignaal],
                  batch_id: str | None) -> list[Uitkomst]:
    """Receive validated signals (one, or a batch) in the caller's transaction; one outcome per item, in order."""
    session = uow.session
    now = datetime.now(UTC)
    venster = domain.venster_dagen(intake.profile)
    sleutels = [item.adres.sleutel for item in items]
    aanvraag_dagen = await store.lock_adressen(session, list(set(sleutels)))

    refs = [(item.partnersoort, item.partner, item.partner_referentie) for item in items]
    bekend = await store.bekende_referenties(session, list(set(refs)))
    uitkomst: list[Uitkomst | None] = [None] * len(items)
    eerste: dict[store.Sleutel, int] = {}  # a partner's signal id twice in one batch: the later is the earlier
    nieuw_uuid: dict[int, str] = {}
    per_venster: dict[store.Sleutel, list[int]] = defaultdict(list)
    for i, item in enumerate(items):
        if refs[i] in bekend:
            uitkomst[i] = Uitkomst("duplicaat", bekend[refs[i]])
        elif refs[i] not in eerste:
            eerste[refs[i]] = i
            nieuw_uuid[i] = str(uuid4())
            per_venster[(sleutels[i], item.partnersoort, item.partner)].append(i)

    # One statement per round; a round offers each window at most one signal, in the batch's order.
    rondes = max((len(v) for v in per_venster.values()), default=0)
    for ronde in range(rondes):
        deze = [v[ronde] for v in per_venster.values() if len(v) > ronde]
        houders = await store.claim_vensters(session, [
            {"adressleutel": sleutels[i], "partnersoort": items[i].partnersoort, "partner": items[i].partner,
             "dag": domain.dag(items[i].signaaldatum), "signaal": nieuw_uuid[i]} for i in deze], venster)
        for i in deze:
            houder = houders[(sleutels[i], items[i].partnersoort, items[i].partner)]
            uitkomst[i] = Uitkomst("aangemaakt" if houder == nieuw_uuid[i] else "duplicaat", houder)
    for i in range(len(items)):
        if uitkomst[i] is None:
            first = uitkomst[eerste[refs[i]]]
            assert first is not None
            uitkomst[i] = Uitkomst("duplicaat", first.uuid)
    resultaat = [u for u in uitkomst if u is not None]

    nieuw = [i for i, u in enumerate(resultaat) if u.status == "aangemaakt"]
    if nieuw:
        try:
            await store.insert_signalen(session, [_row(items[i], nieuw_uuid[i], sleutels[i], batch_id, now)
                                                  for i in nieuw])
        except IntegrityError as exc:
            # The same partner id for another address, in a batch being stored right now (the key locks do not
            # cover it): nothing of this request is kept, and sent again it is answered from what was stored.
            raise Conflict("Een signaal met dezelfde partnerReferentie wordt op dit moment verwerkt; stuur het "
                           "opnieuw.") from exc
        await verwerking.signalen(intake, session, auth, [(items[i].signaalsoort, sleutels[i]) for i in nieuw],
                                  activiteit="signaal-ontvangen", handeling="schrijven")
        await uow.record_all(_events(intake, [(items[i], nieuw_uuid[i]) for i in nieuw], now.date()))
        await _regel(intake, session, items, nieuw, nieuw_uuid, sleutels, aanvraag_dagen, venster)
    return resultaat


def _row(item: NieuwSignaal, uuid: str, sleutel: str, batch_id: str | None, now: datetime) -> dict[str, Any]:
    return {"uuid": uuid, "partnersoort": item.partnersoort, "partner": item.partner,
            "partner_referentie": item.partner_referentie, "signaalsoort": item.signaalsoort, "bedrag": item.bedrag,
            "ontstaansdatum": item.ontstaansdatum, "signaaldatum": item.signaaldatum, "crisis": item.crisissignaal,
            "postcode": item.adres.postcode_genormaliseerd, "huisnummer": item.adres.huisnummer,
            "huisnummertoevoeging": (item.adres.huisnummertoevoeging or "").upper() or None,
            "adressleutel": sleutel, "batch": batch_id, "registratiedatum": now.date(), "ontvangen": now,
            "aanvraag": None}


def _events(intake: Intake, signals: list[tuple[NieuwSignaal, str]], vandaag: date) -> list[CloudEvent]:
    # No amount, address or BSN on the bus: what a signal is about stays at intake.
    traceparent = current_traceparent()
    out = []
    for item, uuid in signals:
        url = intake.url("signalen", uuid)
        out.append(make_event(SIGNAAL_ONTVANGEN, {
            "signaal": url, "partnersoort": item.partnersoort, "signaalsoort": item.signaalsoort,
            "crisis": item.crisissignaal, "registratiedatum": vandaag.isoformat()},
            source=SOURCE, subject=uuid, dataref=url, traceparent=traceparent))
    return out


async def _regel(intake: Intake, session: AsyncSession, items: list[NieuwSignaal], nieuw: list[int],
                 nieuw_uuid: dict[int, str], sleutels: list[str], aanvraag_dagen: dict[str, int | None],
                 venster: int) -> None:
    """Open a proactive aanvraag for each household key whose new signals make the profile's rule hold."""
    regel = domain.regel(intake.profile)
    if regel is None:
        return
    per_sleutel: dict[str, list[domain.Nieuw]] = defaultdict(list)
    for i in nieuw:
        item = items[i]
        if item.signaalsoort in regel.kolom_per_soort:
            per_sleutel[sleutels[i]].append(domain.Nieuw(i, nieuw_uuid[i], domain.Gezien(
                (item.partnersoort, item.partner), domain.dag(item.signaaldatum), item.signaalsoort,
                item.crisissignaal), item.burgerservicenummer))
    # A key whose current aanvraag's window covers even its newest signal cannot get another one.
    open_ = sorted(k for k, v in per_sleutel.items()
                   if domain.mag_openen(aanvraag_dagen.get(k), max(n.gezien.dag for n in v), regel.venster_dagen))
    if not open_:
        return
    vanaf = date.fromordinal(min(n.gezien.dag for k in open_ for n in per_sleutel[k]) - regel.venster_dagen + 1)
    alle: dict[str, list[domain.Gezien]] = defaultdict(list)
    for row in await store.signalen_van(session, open_, vanaf):
        alle[row.adressleutel].append(domain.Gezien((row.partnersoort, row.partner), domain.dag(row.signaaldatum),
                                                    row.signaalsoort, row.crisis))
    aanleidingen = []
    for sleutel in open_:
        aanleiding = domain.beoordeel(regel, per_sleutel[sleutel], alle[sleutel])
        if aanleiding is None or not domain.mag_openen(aanvraag_dagen.get(sleutel), aanleiding.signaal.gezien.dag,
                                                       regel.venster_dagen):
            continue
        aanleidingen.append((sleutel, aanleiding))
    # All of the batch's aanvragen in one go: a few statements, not a few per household.
    aanvragen = await open_proactieve_aanvragen(intake, session, [
        (a.signaal.bsn, a.kolom, a.toelichting) for _, a in aanleidingen])
    await store.zet_aanvragen(session, [
        {"adressleutel": sleutel, "aanvraag": aanvraag, "dag": a.signaal.gezien.dag, "signaal": a.signaal.uuid}
        for (sleutel, a), aanvraag in zip(aanleidingen, aanvragen, strict=True)])


# --- reading ------------------------------------------------------------------------------------------------------

def _signaal(intake: Intake, row: Any, *, met_aanvraag: bool) -> dict[str, Any]:
    return {
        "url": intake.url("signalen", row.uuid), "uuid": row.uuid, "partnersoort": row.partnersoort,
        "partner": row.partner, "partnerReferentie": row.partner_referentie, "signaalsoort": row.signaalsoort,
        "bedrag": row.bedrag, "ontstaansdatum": row.ontstaansdatum, "signaaldatum": row.signaaldatum,
        "crisissignaal": row.crisis,
        "adres": {"postcode": row.postcode, "huisnummer": row.huisnummer,
                  "huisnummertoevoeging": row.huisnummertoevoeging},
        "batchId": row.batch, "registratiedatum": row.registratiedatum, "ontvangen": row.ontvangen,
        "aanvraag": intake.url("aanvragen", row.aanvraag) if row.aanvraag and met_aanvraag else None,
        "kolom": domain.kolom_van(intake.profile, row.signaalsoort),
    }


async def lees(intake: Intake, session: AsyncSession, auth: AuthContext, uuid: str, scope: str, *,
               met_aanvraag: bool) -> dict[str, Any]:
    """One signal as ``auth`` may see it with ``scope``; one of another kolom is refused."""
    row = (await session.execute(select(signalen).where(signalen.c.uuid == uuid))).first()
    if row is None:
        raise NotFound()
    z = zicht(intake, auth, scope)
    signaal = _signaal(intake, row, met_aanvraag=met_aanvraag)
    if not z.ziet_bron(SIGNAAL, signaal):
        raise PermissionDenied("Dit signaal valt buiten de kolommen van deze applicatie.")
    await verwerking.signalen(intake, session, auth, [(row.signaalsoort, row.adressleutel)],
                              activiteit="signaal-raadplegen", handeling="lezen")
    return z.snijd(SIGNAAL, signaal)


async def lijst(intake: Intake, session: AsyncSession, auth: AuthContext, request: Request, params: PageParams, *,
                partnersoort: str | None, signaalsoort: str | None, crisissignaal: bool | None) -> dict[str, Any]:
    z = zicht(intake, auth, SCOPE_LEZEN)
    stmt: Select[Any] = select(signalen).order_by(signalen.c.id.desc())
    if z.kolommen is not None:
        # In the query, so counts and pages hold only what the client sees: the kinds of its kolommen.
        stmt = stmt.where(signalen.c.signaalsoort.in_(sorted(
            soort for soort in SIGNAALSOORTEN if domain.kolom_van(intake.profile, soort) in z.kolommen)))
    if partnersoort is not None:
        stmt = stmt.where(signalen.c.partnersoort == partnersoort)
    if signaalsoort is not None:
        stmt = stmt.where(signalen.c.signaalsoort == signaalsoort)
    if crisissignaal is not None:
        stmt = stmt.where(signalen.c.crisis == crisissignaal)
    page = await paginate(session, stmt, params, request, lambda row: row)
    await verwerking.signalen(intake, session, auth, [(r.signaalsoort, r.adressleutel) for r in page["results"]],
                              activiteit="signaal-raadplegen", handeling="lezen")
    page["results"] = [z.snijd(SIGNAAL, _signaal(intake, row, met_aanvraag=True)) for row in page["results"]]
    return page
