"""The projection: every intake, zaken and financien event that policy information needs, kept as
pseudonymised rows.

Runs inside the runtime's consumer transaction with its inbox in front, so an event that arrives twice has
its effect once. An event about a zaak this projection has not seen yet (a status before its zaak-geopend)
(or a change to a toewijzing before its toewijzing-afgegeven) raises ``NogNietBekend`` and the runtime
redelivers it after a delay. ``sds beleidsinfo rebuild`` empties
these tables and replays the stream through this same handler.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, TextClause, bindparam, delete, func, insert, or_, select, text, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.envelope import CloudEvent, subject_for
from contracts.events import financien as fin
from contracts.events import intake as ink
from contracts.events import parse_data
from contracts.events import zaken as zk
from services.beleidsinfo.domain import Pseudonimiseerder, voorziening
from services.beleidsinfo.models import (
    aanvraag_kolommen,
    aanvragen,
    afwijzingen,
    budgetten,
    declaratie_kolommen,
    doorlooptijden,
    huishouden_perioden,
    signalen,
    tellingen,
    termijnen,
    toewijzingen,
    wachtende_zaken,
    zaak_kolommen,
    zaken,
)
from services.beleidsinfo.tellingen import Wijzigingen, masker, schrijf, sleutels_van

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
    "nl.sociaal-domein.financien.toewijzing-afgegeven",
    "nl.sociaal-domein.financien.toewijzing-gewijzigd",
    "nl.sociaal-domein.financien.toewijzing-beeindigd",
    "nl.sociaal-domein.financien.toewijzing-afgewezen",
    "nl.sociaal-domein.financien.zorg-gestart",
    "nl.sociaal-domein.financien.zorg-gestopt",
    "nl.sociaal-domein.financien.declaratie-verwerkt",
    "nl.sociaal-domein.financien.budget-drempel-bereikt",
)
SUBJECTS = [subject_for(t) for t in TYPES]
TABLES: tuple[Table, ...] = (aanvragen, aanvraag_kolommen, signalen, zaken, zaak_kolommen, termijnen, toewijzingen,
                             afwijzingen, declaratie_kolommen, budgetten, huishouden_perioden, tellingen,
                             doorlooptijden, wachtende_zaken)


class NogNietBekend(LookupError):
    """The event refers to a zaak or toewijzing an earlier event creates; redelivery will find it."""


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
# The columns of a zaak its figures in ``bi_tellingen`` depend on (``Wijzigingen.zaak``).
_ZAAK_STAAT = (zaken.c.zaak, zaken.c.huishouden, zaken.c.kolommen, zaken.c.registratiedatum, zaken.c.startdatum,
               zaken.c.resultaatdatum, zaken.c.geescaleerd, zaken.c.uitkomst, zaken.c.voorziening_van,
               zaken.c.voorziening_tot)
_TELT = ("resultaat", "escalatie")


def _zaak_update_pg(kind: str) -> TextClause:
    """The same update for PostgreSQL as one statement: the batch's zaken and values as arrays."""
    columns = _ZAAK_WIJZIGINGEN[kind]
    pg = postgresql.dialect()
    arrays = ", ".join(f"CAST(:v_{c} AS {zaken.c[c].type.compile(dialect=pg)}[])" for c in columns)
    return text(f"UPDATE bi_zaken SET {', '.join(f'{c} = u.{c}' for c in columns)} "
                f"FROM unnest(CAST(:k_zaak AS varchar[]), {arrays}) AS u(zaak, {', '.join(columns)}) "
                "WHERE bi_zaken.zaak = u.zaak")


_ZAAK_UPDATES_PG = {kind: _zaak_update_pg(kind) for kind in _ZAAK_WIJZIGINGEN}
# A household's aanvraag is the first on or after the day of each of its signalen that had none so early.
_EERSTE_AANVRAAG = (update(signalen).where(signalen.c.huishouden == bindparam("k_huishouden"),
                                           signalen.c.registratiedatum <= bindparam("k_dag"),
                                           or_(signalen.c.eerste_aanvraag.is_(None),
                                               signalen.c.eerste_aanvraag > bindparam("k_dag")))
                    .values(eerste_aanvraag=bindparam("k_dag")))
_later = aanvragen.alias("later")
# A new signaal's first aanvraag among those already projected (the batch's own included).
_EERSTE_AANVRAAG_VAN_SIGNAAL = (select(func.min(_later.c.registratiedatum))
                                .where(_later.c.huishouden == signalen.c.huishouden,
                                       _later.c.registratiedatum >= signalen.c.registratiedatum)
                                .scalar_subquery())
_AANVRAAG_AFGEROND = (update(aanvragen).where(aanvragen.c.aanvraag == bindparam("k_aanvraag"))
                      .values(uitkomst=bindparam("v_uitkomst"), einddatum=bindparam("v_einddatum")))


@dataclass
class _Plan:
    """What a batch of events does to the projection, gathered first and then written in a few statements."""

    inserts: dict[Table, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    afgerond: list[dict[str, Any]] = field(default_factory=list)
    zaak_updates: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    # The batch's new zaken, whose later changes in the batch go into the row before it is inserted (one row
    # version instead of one per change: every update writes the row and its indexes anew, and the dead versions
    # grow the table for the rest of a replay); not a zaak whose change came before its zaak-geopend.
    nieuwe_zaken: dict[str, dict[str, Any]] = field(default_factory=dict)
    bijgewerkt: set[str] = field(default_factory=set)
    verwijderd: list[str] = field(default_factory=list)
    # Per toewijzing: the columns its events set, merged in stream order (a later event's value wins), and
    # whether one of them was a toewijzing-afgegeven/-gewijzigd (which carries the whole row).
    toewijzingen: dict[str, dict[str, Any]] = field(default_factory=dict)
    volledig: set[str] = field(default_factory=set)
    # Rows that replace all earlier ones of their declaratie or budget (the last event of a batch wins).
    declaraties: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    budgetten: dict[str, dict[str, Any]] = field(default_factory=dict)
    tellingen: Wijzigingen = field(default_factory=Wijzigingen)


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
        await self._eerste_aanvragen(session, plan)
        if plan.afgerond:
            await session.execute(_AANVRAAG_AFGEROND, plan.afgerond)
        targets = {row["k_zaak"] for rows in plan.zaak_updates.values() for row in rows}
        if targets:
            known = set((await session.execute(select(zaken.c.zaak).where(zaken.c.zaak.in_(targets)))).scalars())
            if missing := targets - known:
                raise NogNietBekend(f"{len(missing)} zaken are not projected yet, e.g. {next(iter(missing))}")
        await self._zaak_tellingen(session, plan)
        postgres = session.bind is not None and session.bind.dialect.name == "postgresql"
        for kind, rows in plan.zaak_updates.items():
            if postgres:
                # Per zaak the last of the batch (it sets every column of its kind): what the statements one by
                # one in stream order leave.
                laatste = list({row["k_zaak"]: row for row in rows}.values())
                await session.execute(_ZAAK_UPDATES_PG[kind], {k: [r[k] for r in laatste] for k in laatste[0]})
            else:
                await session.execute(_ZAAK_UPDATES[kind], rows)
        await self._toewijzingen(session, plan)
        if plan.declaraties:
            await session.execute(delete(declaratie_kolommen)
                                  .where(declaratie_kolommen.c.declaratie.in_(plan.declaraties)))
            if delen := [r for rows in plan.declaraties.values() for r in rows]:
                await session.execute(insert(declaratie_kolommen), delen)
        if plan.budgetten:
            await session.execute(delete(budgetten).where(budgetten.c.budget.in_(plan.budgetten)))
            await session.execute(insert(budgetten), list(plan.budgetten.values()))
        if plan.verwijderd:
            # A deleted zaak was registered in error: it is no part of any figure.
            await session.execute(delete(zaken).where(zaken.c.zaak.in_(plan.verwijderd)))
            await session.execute(delete(zaak_kolommen).where(zaak_kolommen.c.zaak.in_(plan.verwijderd)))
            await session.execute(delete(wachtende_zaken).where(wachtende_zaken.c.zaak.in_(plan.verwijderd)))
        await schrijf(session, plan.tellingen)

    async def _eerste_aanvragen(self, session: AsyncSession, plan: _Plan) -> None:
        """Each signaal's first aanvraag of its household on or after its day, whichever of the two the stream
        brings first: the batch's new signalen look among the aanvragen projected so far, the batch's new aanvragen
        move it earlier for the signalen they follow (after the inserts, so a batch holding both sees both)."""
        if nieuwe := [r["signaal"] for r in plan.inserts.get(signalen, ()) if r["huishouden"] is not None]:
            await session.execute(update(signalen).where(signalen.c.signaal.in_(nieuwe))
                                  .values(eerste_aanvraag=_EERSTE_AANVRAAG_VAN_SIGNAAL))
        if aanvraag_dagen := {(r["huishouden"], r["registratiedatum"]) for r in plan.inserts.get(aanvragen, ())
                              if r["huishouden"] is not None}:
            await session.execute(_EERSTE_AANVRAAG, [{"k_huishouden": h, "k_dag": dag} for h, dag in aanvraag_dagen])

    async def _aanvraag_tot_zaak(self, session: AsyncSession, plan: _Plan) -> None:
        """The days from aanvraag to zaak, once both are projected (in either order): for the batch's new zaken
        with their aanvragen as they stand now, and for the batch's new aanvragen with the zaken of earlier
        batches."""
        nieuwe_zaken = {r["zaak"]: r for r in plan.inserts.get(zaken, ()) if r["aanvraag"] is not None}
        if nieuwe_zaken:
            a = aanvragen.c
            datum = dict((await session.execute(select(a.aanvraag, a.registratiedatum).where(
                a.aanvraag.in_({r["aanvraag"] for r in nieuwe_zaken.values()})))).all())
            wachten = []
            for r in nieuwe_zaken.values():
                if (dag := datum.get(r["aanvraag"])) is not None:
                    plan.tellingen.aanvraag_tot_zaak(r, dag)
                else:
                    wachten.append({"aanvraag": r["aanvraag"], "zaak": r["zaak"]})
            if wachten:
                await session.execute(insert(wachtende_zaken), wachten)
        if nieuwe_aanvragen := {r["aanvraag"]: r["registratiedatum"] for r in plan.inserts.get(aanvragen, ())}:
            z, w = zaken.c, wachtende_zaken.c
            if wachtend := set((await session.execute(select(w.zaak).where(w.aanvraag.in_(nieuwe_aanvragen))))
                               .scalars()):
                for eerder in (await session.execute(select(z.zaak, z.aanvraag, z.kolommen, z.registratiedatum)
                                                     .where(z.zaak.in_(wachtend)))).mappings():
                    plan.tellingen.aanvraag_tot_zaak(dict(eerder), nieuwe_aanvragen[eerder["aanvraag"]])
                await session.execute(delete(wachtende_zaken).where(w.aanvraag.in_(nieuwe_aanvragen)))

    async def _zaak_tellingen(self, session: AsyncSession, plan: _Plan) -> None:
        """What the batch's resultaten, escalaties and deletions change in the figures: each zaak they touch
        counts no more as it stood (read before the updates) and counts as it stands after them."""
        await self._aanvraag_tot_zaak(session, plan)
        geraakt = {row["k_zaak"] for kind in _TELT for row in plan.zaak_updates.get(kind, ())}
        geraakt.update(plan.verwijderd)
        if not geraakt:
            return
        # Two lookups by unique key, not a join: mid-replay the tables have no statistics yet, and a planner
        # that takes them for small hashes the whole of bi_aanvragen for every batch.
        staten = {r["zaak"]: dict(r) for r in (await session.execute(
            select(*_ZAAK_STAAT, zaken.c.aanvraag).where(zaken.c.zaak.in_(geraakt)))).mappings()}
        if verwezen := {s["aanvraag"] for s in staten.values() if s["aanvraag"] is not None}:
            a = aanvragen.c
            datum = dict((await session.execute(select(a.aanvraag, a.registratiedatum)
                                                .where(a.aanvraag.in_(verwezen)))).all())
            for staat in staten.values():
                staat["aanvraag_datum"] = datum.get(staat["aanvraag"])
        weg = set(plan.verwijderd)
        for zaak, staat in staten.items():
            # A zaak's registratie and aanvraag do not change: only a deleted one leaves those figures.
            plan.tellingen.zaak(staat, -1, alles=zaak in weg)
        for kind in _TELT:
            for row in plan.zaak_updates.get(kind, ()):
                if (huidig := staten.get(row["k_zaak"])) is not None:
                    huidig.update({c: row[f"v_{c}"] for c in _ZAAK_WIJZIGINGEN[kind]})
        for zaak in plan.verwijderd:
            staten.pop(zaak, None)
        for staat in staten.values():
            plan.tellingen.zaak(staat, +1, alles=False)

    async def _toewijzingen(self, session: AsyncSession, plan: _Plan) -> None:
        """A toewijzing not projected yet is inserted (it must come with its afgegeven or gewijzigd); one that is
        gets the columns its events set. A gewijzigd thus replaces the figures, never adds a row."""
        if not plan.toewijzingen:
            return
        t = toewijzingen.c
        known = set((await session.execute(select(t.toewijzing).where(t.toewijzing.in_(plan.toewijzingen))))
                    .scalars())
        nieuw = [plan.toewijzingen[k] for k in plan.toewijzingen if k not in known]
        if missing := {k for k in plan.toewijzingen if k not in known} - plan.volledig:
            raise NogNietBekend(f"{len(missing)} toewijzingen are not projected yet, e.g. {next(iter(missing))}")
        if nieuw:
            await session.execute(insert(toewijzingen), [{"zorg_begin": None, "zorg_einde": None, **row}
                                                         for row in nieuw])
        per_kolommen: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
        for key in known:
            values = {c: v for c, v in plan.toewijzingen[key].items() if c != "toewijzing"}
            per_kolommen[tuple(sorted(values))].append({"k_toewijzing": key,
                                                        **{f"v_{c}": v for c, v in values.items()}})
        for columns, rows in per_kolommen.items():
            await session.execute(update(toewijzingen).where(t.toewijzing == bindparam("k_toewijzing"))
                                  .values({c: bindparam(f"v_{c}") for c in columns}), rows)

    def _toewijzing(self, plan: _Plan, toewijzing: str, volledig: bool = False, **values: Any) -> None:
        key = self.p(toewijzing)
        plan.toewijzingen.setdefault(key, {"toewijzing": key}).update(values)
        if volledig:
            plan.volledig.add(key)

    def _plan_financien(self, plan: _Plan, event: CloudEvent, data: Any) -> None:
        p = self.p
        if isinstance(data, fin.ToewijzingAfgegeven):  # and ToewijzingGewijzigd, its subclass
            status = "gewijzigd" if isinstance(data, fin.ToewijzingGewijzigd) else "afgegeven"
            self._toewijzing(plan, data.toewijzing, volledig=True, zaak=p(data.zaak), huishouden=p(data.huishouden),
                             kolom=data.kolom, cluster=data.cluster, aanbieder=data.aanbieder,
                             begindatum=data.begindatum, einddatum=data.einddatum, verplichting=data.verplichting,
                             status=status)
        elif isinstance(data, fin.ToewijzingBeeindigd):
            self._toewijzing(plan, data.toewijzing, einddatum=data.einddatum, verplichting=data.verplichting,
                             status="beeindigd")
        elif isinstance(data, fin.ToewijzingAfgewezen):
            plan.inserts[afwijzingen] += [dict(
                afwijzing=p(event.id), reden=reden, toewijzing=p(data.toewijzing), huishouden=p(data.huishouden),
                kolom=data.kolom, datum=event.time.date()) for reden in dict.fromkeys(data.redenen)]
        elif isinstance(data, fin.ZorgGestart):
            self._toewijzing(plan, data.toewijzing, zorg_begin=data.begindatum)
        elif isinstance(data, fin.ZorgGestopt):
            self._toewijzing(plan, data.toewijzing, zorg_einde=data.einddatum)
        elif isinstance(data, fin.DeclaratieVerwerkt):
            declaratie = p(data.declaratie)
            plan.declaraties[declaratie] = [dict(
                declaratie=declaratie, volgnummer=i, aanbieder=data.aanbieder, begindatum=data.begindatum,
                einddatum=data.einddatum, kolom=k.kolom, cluster=k.cluster, aantal_goedgekeurd=k.aantal_goedgekeurd,
                aantal_afgekeurd=k.aantal_afgekeurd, goedgekeurd_bedrag=k.goedgekeurd_bedrag,
                afgekeurd_bedrag=k.afgekeurd_bedrag) for i, k in enumerate(data.per_kolom)]
        elif isinstance(data, fin.BudgetDrempelBereikt):
            plan.budgetten[data.budget] = dict(budget=data.budget, jaar=data.jaar, kolom=data.kolom,
                                               cluster=data.cluster, budget_bedrag=data.budget_bedrag,
                                               drempel_percentage=data.drempel_percentage)

    def _zaak(self, plan: _Plan, kind: str, zaak: str, **values: Any) -> None:
        key = self.p(zaak)
        if (rij := plan.nieuwe_zaken.get(key)) is not None:
            # What the update would do after the insert, with the figures it changes (as ``_zaak_tellingen``).
            telt = kind in _TELT
            if telt:
                plan.tellingen.zaak(rij, -1, alles=False)
            rij.update(values)
            if telt:
                plan.tellingen.zaak(rij, +1, alles=False)
            return
        plan.bijgewerkt.add(key)
        plan.zaak_updates[kind].append({"k_zaak": key, **{f"v_{k}": v for k, v in values.items()}})

    def _plan(self, plan: _Plan, event: CloudEvent) -> None:
        data = parse_data(event)
        p = self.p
        if isinstance(data, ink.AanvraagIngediend):
            aanvraag, huishouden = p(data.aanvraag), p.optional(data.huishouden)
            plan.inserts[aanvragen].append(dict(
                aanvraag=aanvraag, huishouden=huishouden, kolommen=list(data.kolommen),
                ingediend_door=data.ingediend_door, registratiedatum=data.registratiedatum, uitkomst=None,
                einddatum=None))
            kolommen = list(dict.fromkeys(data.kolommen))
            plan.inserts[aanvraag_kolommen] += [dict(
                aanvraag=aanvraag, kolom=kolom, huishouden=huishouden or aanvraag,
                registratiedatum=data.registratiedatum) for kolom in kolommen]
            plan.tellingen.item("instroom", sleutels_van(data.registratiedatum),
                                huishouden or aanvraag, kolommen)
        elif isinstance(data, ink.AanvraagAfgerond):
            plan.afgerond.append({"k_aanvraag": p(data.aanvraag), "v_uitkomst": data.uitkomst,
                                  "v_einddatum": data.einddatum})
        elif isinstance(data, ink.SignaalOntvangen):
            plan.inserts[signalen].append(dict(
                signaal=p(data.signaal), huishouden=p.optional(data.huishouden), signaalsoort=data.signaalsoort,
                partnersoort=data.partnersoort, crisis=data.crisis, registratiedatum=data.registratiedatum,
                eerste_aanvraag=None))
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
                kolommen=list(data.kolommen), masker=masker(data.kolommen), cluster=data.cluster,
                integraal=data.integraal,
                registratiedatum=data.registratiedatum, startdatum=data.startdatum, statustype=None,
                eindstatus=False, uitkomst=None, resultaatdatum=None, voorziening_van=None, voorziening_tot=None,
                einddatum=None, geescaleerd=None))
            plan.tellingen.zaak(plan.inserts[zaken][-1])
            if zaak not in plan.bijgewerkt:
                plan.nieuwe_zaken[zaak] = plan.inserts[zaken][-1]
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
        else:
            self._plan_financien(plan, event, data)
