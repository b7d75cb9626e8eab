"""The eigen digitaal klantdossier: a resident's view of their household, from the read model kept from events.

Nothing here calls another service: members come from this service's own tables, aanvragen, zaken, the plan
and toewijzingen from the read model the dossier handler keeps.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from sds.runtime.app import UnitOfWork
from sds.runtime.auth import AuthContext
from sds.runtime.bsn import inwoner_bsn
from sds.runtime.errors import NotFound, PermissionDenied
from services.klantgegevens import store
from services.klantgegevens.context import Klantgegevens
from services.klantgegevens.domain import COMPONENT, SCOPE_INWONER, Bereik
from services.klantgegevens.models import (
    dossier_aanvragen,
    dossier_plannen,
    dossier_toewijzingen,
    dossier_zaken,
    lidmaatschappen,
    personen,
)


async def eigen_dossier(kg: Klantgegevens, uow: UnitOfWork, ctx: AuthContext) -> dict[str, Any]:
    if not kg.eigen_dossier:
        # Off in this archetype: the endpoint is not there, as far as any client can tell.
        raise NotFound("Het eigen digitaal klantdossier staat in deze gemeente niet aan.")
    bsn = inwoner_bsn(ctx)
    if not ctx.grants(COMPONENT, SCOPE_INWONER) or bsn is None:
        raise PermissionDenied("Alleen een inwoner ziet zijn eigen dossier.")
    session = uow.session
    rows = await store.personen_by_bsn(session, Bereik(True, frozenset(), frozenset()), [bsn], date.today())
    if not rows or rows[0].huishouden_uuid is None:
        raise NotFound("Er is geen huishouden bij deze inwoner bekend.")
    ik = rows[0]
    h = ik.huishouden_uuid
    lid = lidmaatschappen
    leden = (await session.execute(
        select(personen.c.uuid, personen.c.pseudoniem, personen.c.voornamen, personen.c.voorvoegsel,
               personen.c.geslachtsnaam, personen.c.geboortedatum, lid.c.rol, lid.c.van)
        .join(lid, lid.c.persoon_id == personen.c.id)
        .where(lid.c.huishouden_id == ik.huishouden_id, lid.c.tot.is_(None)).order_by(lid.c.van, lid.c.id)
    )).all()
    a, z, p, t = dossier_aanvragen, dossier_zaken, dossier_plannen, dossier_toewijzingen
    aanvragen = (await session.execute(
        select(a).where(a.c.huishouden_uuid == h, a.c.fase != "afgerond").order_by(a.c.registratiedatum))).all()
    zaken = (await session.execute(select(z).where(z.c.huishouden_uuid == h).order_by(z.c.startdatum, z.c.id))).all()
    plannen = (await session.execute(
        select(p).where(p.c.huishouden_uuid == h, p.c.wijziging != "afgesloten").order_by(p.c.id))).all()
    toewijzingen = (await session.execute(
        select(t).where(t.c.huishouden_uuid == h).order_by(t.c.begindatum, t.c.id))).all()
    await kg.log.vastleggen(session, ctx, activiteit="eigen-dossier-raadplegen", handeling="lezen",
                            grondslag="eigen-gegevens", betrokkenen=[m.pseudoniem for m in leden])
    return {
        "huishouden": kg.url("huishoudens", h),
        "leden": [{"persoon": kg.url("personen", m.uuid), "rol": m.rol, "lidSinds": m.van,
                   "naam": {"voornamen": m.voornamen, "voorvoegsel": m.voorvoegsel,
                            "geslachtsnaam": m.geslachtsnaam},
                   "geboortedatum": m.geboortedatum} for m in leden],
        "openAanvragen": [{"aanvraag": r.aanvraag, "kolommen": r.kolommen, "fase": r.fase,
                           "registratiedatum": r.registratiedatum} for r in aanvragen],
        "zaken": [{"zaak": r.zaak, "zaaktype": r.zaaktype, "kolommen": r.kolommen, "startdatum": r.startdatum,
                   "status": r.status, "statustype": r.statustype, "datumStatusGezet": r.datum_status_gezet,
                   "isEindstatus": r.is_eindstatus, "einddatum": r.einddatum, "open": r.einddatum is None}
                  for r in zaken],
        "plannen": [{"plan": r.plan, "zaken": r.zaken, "regisseur": r.regisseur, "wijziging": r.wijziging}
                    for r in plannen],
        "toewijzingen": [{"toewijzing": r.toewijzing, "zaak": r.zaak, "kolom": r.kolom, "aanbieder": r.aanbieder,
                          "product": r.product, "omvang": r.omvang, "begindatum": r.begindatum,
                          "einddatum": r.einddatum} for r in toewijzingen],
    }
