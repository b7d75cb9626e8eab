"""The projection: every intake and zaken event that policy information needs, kept as pseudonymised rows.

Runs inside the runtime's consumer transaction with its inbox in front, so an event that arrives twice has
its effect once. An event about a zaak this projection has not seen yet (a status before its zaak-geopend)
raises ``NogNietBekend`` and the runtime redelivers it after a delay. ``sds beleidsinfo rebuild`` empties
these tables and replays the stream through this same handler.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, bindparam, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.envelope import CloudEvent, subject_for
from contracts.events import intake as ink
from contracts.events import parse_data
from contracts.events import zaken as zk
from services.beleidsinfo.domain import Pseudonimiseerder, voorziening
from services.beleidsinfo.models import aanvraag_kolommen, aanvragen, signalen, termijnen, zaak_kolommen, zaken

PURPOSE = "projecties"
TYPES = (
    "nl.sociaal-domein.intake.aanvraag-ingediend",
    "nl.sociaal-domein.intake.aanvraag-afgerond",
    "nl.sociaal-domein.intake.signaal-ontvangen",
    "nl.sociaal-domein.intake.termijn-overschreden",
    "nl.overheid.zaken.zaak-geopend",
    "nl.overheid.zaken.status-gezet",
    "nl.overheid.zaken.resultaat-vastgesteld",
    "nl.overheid.zaken.zaak-afgesloten",
    "nl.overheid.zaken.zaak-gemuteerd",
    "nl.sociaal-domein.zaken.zaak-geescaleerd",
)
SUBJECTS = [subject_for(t) for t in TYPES]
TABLES: tuple[Table, ...] = (aanvragen, aanvraag_kolommen, signalen, zaken, zaak_kolommen, termijnen)


class NogNietBekend(LookupError):
    """The event refers to a zaak an earlier event creates; redelivery will find it."""


# Per kind of change to a zaak: the columns it sets. Kinds touch different columns, so within a batch their
# order between kinds does not matter; within one kind the statements run in stream order (the last status wins).
_ZAAK_WIJZIGINGEN: dict[str, tuple[str, ...]] = {
    "status": ("statustype", "eindstatus"),
    "resultaat": ("uitkomst", "resultaatdatum", "voorziening_van", "voorziening_tot"),
    "afgesloten": ("einddatum",),
    "escalatie": ("geescaleerd",),
}
_ZAAK_UPDATES = {kind: update(zaken).where(zaken.c.zaak == bindparam("k_zaak"))
                 .values({c: bindparam(f"v_{c}") for c in columns}) for kind, columns in _ZAAK_WIJZIGINGEN.items()}
_AANVRAAG_AFGEROND = (update(aanvragen).where(aanvragen.c.aanvraag == bindparam("k_aanvraag"))
                      .values(uitkomst=bindparam("v_uitkomst"), einddatum=bindparam("v_einddatum")))


@dataclass
class _Plan:
    """What a batch of events does to the projection, gathered first and then written in a few statements."""

    inserts: dict[Table, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    afgerond: list[dict[str, Any]] = field(default_factory=list)
    zaak_updates: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    verwijderd: list[str] = field(default_factory=list)


class Projectie:
    """The handler of the projection's consumer: one event (``__call__``) or a whole batch (``handle_batch``),
    both through the same plan."""

    def __init__(self, pseudoniem: Pseudonimiseerder) -> None:
        self.p = pseudoniem

    async def __call__(self, session: AsyncSession, event: CloudEvent) -> None:
        await self.handle_batch(session, [event])

    async def handle_batch(self, session: AsyncSession, events: Sequence[CloudEvent]) -> None:
        plan = _Plan()
        for event in events:
            self._plan(plan, event)
        for table_, rows in plan.inserts.items():
            await session.execute(insert(table_), rows)
        if plan.afgerond:
            await session.execute(_AANVRAAG_AFGEROND, plan.afgerond)
        targets = {row["k_zaak"] for rows in plan.zaak_updates.values() for row in rows}
        if targets:
            known = set((await session.execute(select(zaken.c.zaak).where(zaken.c.zaak.in_(targets)))).scalars())
            if missing := targets - known:
                raise NogNietBekend(f"{len(missing)} zaken are not projected yet, e.g. {next(iter(missing))}")
        for kind, rows in plan.zaak_updates.items():
            await session.execute(_ZAAK_UPDATES[kind], rows)
        if plan.verwijderd:
            # A deleted zaak was registered in error: it is no part of any figure.
            await session.execute(delete(zaken).where(zaken.c.zaak.in_(plan.verwijderd)))
            await session.execute(delete(zaak_kolommen).where(zaak_kolommen.c.zaak.in_(plan.verwijderd)))

    def _zaak(self, plan: _Plan, kind: str, zaak: str, **values: Any) -> None:
        plan.zaak_updates[kind].append({"k_zaak": self.p(zaak), **{f"v_{k}": v for k, v in values.items()}})

    def _plan(self, plan: _Plan, event: CloudEvent) -> None:
        data = parse_data(event)
        p = self.p
        if isinstance(data, ink.AanvraagIngediend):
            aanvraag, huishouden = p(data.aanvraag), p.optional(data.huishouden)
            plan.inserts[aanvragen].append(dict(
                aanvraag=aanvraag, huishouden=huishouden, kolommen=list(data.kolommen),
                ingediend_door=data.ingediend_door, registratiedatum=data.registratiedatum, uitkomst=None,
                einddatum=None))
            plan.inserts[aanvraag_kolommen] += [dict(
                aanvraag=aanvraag, kolom=kolom, huishouden=huishouden or aanvraag,
                registratiedatum=data.registratiedatum) for kolom in dict.fromkeys(data.kolommen)]
        elif isinstance(data, ink.AanvraagAfgerond):
            plan.afgerond.append({"k_aanvraag": p(data.aanvraag), "v_uitkomst": data.uitkomst,
                                  "v_einddatum": data.einddatum})
        elif isinstance(data, ink.SignaalOntvangen):
            plan.inserts[signalen].append(dict(
                signaal=p(data.signaal), huishouden=p.optional(data.huishouden), signaalsoort=data.signaalsoort,
                partnersoort=data.partnersoort, crisis=data.crisis, registratiedatum=data.registratiedatum))
        elif isinstance(data, ink.TermijnOverschreden):
            plan.inserts[termijnen].append(dict(
                aanvraag=p(data.aanvraag), kolom=data.kolom, termijnsoort=data.termijnsoort,
                uiterlijke_einddatum=data.uiterlijke_einddatum))
        elif isinstance(data, zk.ZaakGeopend):
            zaak, huishouden = p(data.zaak), p(data.huishouden)
            plan.inserts[zaak_kolommen] += [dict(zaak=zaak, kolom=kolom, huishouden=huishouden,
                                                 registratiedatum=data.registratiedatum)
                                            for kolom in dict.fromkeys(data.kolommen)]
            plan.inserts[zaken].append(dict(
                zaak=zaak, aanvraag=p.optional(data.aanvraag), huishouden=huishouden,
                kolommen=list(data.kolommen), cluster=data.cluster, integraal=data.integraal,
                registratiedatum=data.registratiedatum, startdatum=data.startdatum, statustype=None,
                eindstatus=False, uitkomst=None, resultaatdatum=None, voorziening_van=None, voorziening_tot=None,
                einddatum=None, geescaleerd=None))
        elif isinstance(data, zk.StatusGezet):
            self._zaak(plan, "status", data.zaak, statustype=data.statustype, eindstatus=data.is_eindstatus)
        elif isinstance(data, zk.ResultaatVastgesteld):
            van, tot = voorziening(data.toekenningen)
            self._zaak(plan, "resultaat", data.zaak, uitkomst=data.uitkomst, resultaatdatum=event.time.date(),
                       voorziening_van=van, voorziening_tot=tot)
        elif isinstance(data, zk.ZaakAfgesloten):
            self._zaak(plan, "afgesloten", data.zaak, einddatum=data.einddatum)
        elif isinstance(data, zk.ZaakGeescaleerd):
            self._zaak(plan, "escalatie", data.zaak, geescaleerd=event.time.date())
        elif isinstance(data, zk.ZaakGemuteerd) and data.actie == "verwijderd":
            plan.verwijderd.append(p(data.zaak))
