"""Use cases of the Zaken API: open, change, close and reopen zaken, and what hangs under a zaak.

ZGW rules applied here (Zaken API 1.5.1, as Open Zaak applies them):
- ``identificatie`` is generated when absent and unique per ``bronorganisatie`` (``identificatie-niet-uniek``);
  ``bronorganisatie`` and ``verantwoordelijkeOrganisatie`` pass the 11-proef;
- the zaaktype must be published (``zaaktype-concept``); status-, rol-, resultaat- and eigenschap types
  must belong to the zaak's zaaktype (``zaaktype-mismatch``);
- the end status needs a resultaat (``resultaat-does-not-exist``), sets ``einddatum`` and closes the zaak;
- a closed zaak changes only with ``zaken.geforceerd-bijwerken``; a non-end status on it reopens it and
  needs ``zaken.heropenen``.
"""

from __future__ import annotations

import asyncio
import uuid
import weakref
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cached_property
from types import SimpleNamespace
from typing import Any

from fastapi import Request
from sqlalchemy import (
    ColumnElement,
    Select,
    bindparam,
    delete,
    exists,
    func,
    insert,
    literal,
    select,
    union_all,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from sds.runtime.app import UnitOfWork
from sds.runtime.auth import AuthContext, vertrouwelijkheid_rank
from sds.runtime.errors import ApiError, Conflict, NotFound, PermissionDenied, ValidatieFout
from services.zaken import events
from services.zaken.catalogi.models import (
    catalogussen,
    eigenschappen,
    resultaattypen,
    roltypen,
    statustypen,
    zaaktypen,
)
from services.zaken.catalogi.service import uitkomst_of
from services.zaken.common import (
    CATALOGI_PREFIX,
    ZAKEN_PREFIX,
    base_url,
    check_rsin,
    uuid_from_url,
    without_blank,
)
from services.zaken.zaken import audit, authz, domain, schemas
from services.zaken.zaken.models import (
    klantcontacten,
    resultaten,
    rollen,
    statussen,
    zaak_identificatie_tellers,
    zaak_tellingen,
    zaakeigenschappen,
    zaakobjecten,
    zaken,
)

hoofd = zaken.alias("hoofd")


@dataclass(frozen=True)
class Ctx:
    """Who acts, through which request: URLs are built from it and the audittrail names the client."""

    request: Request
    auth: AuthContext
    uow: UnitOfWork

    @property
    def session(self) -> AsyncSession:
        return self.uow.session

    @cached_property
    def zaken_base(self) -> str:
        """``{public base}/zaken/api/v1/``, built once per request: a page of 100 zaken has about a
        thousand URLs."""
        return f"{base_url(self.request)}{ZAKEN_PREFIX}/"

    @cached_property
    def catalogi_base(self) -> str:
        return f"{base_url(self.request)}{CATALOGI_PREFIX}/"

    def url(self, collection: str, resource_uuid: str) -> str:
        return f"{self.zaken_base}{collection}/{resource_uuid}"

    def type_url(self, collection: str, resource_uuid: str) -> str:
        return f"{self.catalogi_base}{collection}/{resource_uuid}"


# --- reading zaken ----------------------------------------------------------------------------------------


def zaak_select() -> Select[Any]:
    """The zaken table alone: lists filter, count and page on it, so the count is an index-only scan."""
    return select(zaken)


_REFS = ("zaaktype", "hoofdzaak", "status", "resultaat")
_CHILDREN_QUERY: dict[str, Select[Any]] = {}


def _children_query(dialect: str) -> Select[Any]:
    """The query of ``zaak_children``, built once per dialect: the page's zaak ids are its one parameter
    ``ids`` (``= ANY(array)`` on PostgreSQL, an expanding ``IN`` elsewhere)."""
    if dialect not in _CHILDREN_QUERY:
        if dialect == "postgresql":
            from sqlalchemy import BigInteger, any_
            from sqlalchemy.dialects.postgresql import ARRAY

            param = bindparam("ids", type_=ARRAY(BigInteger))

            def match(column: Any) -> ColumnElement[bool]:
                return column == any_(param)  # type: ignore[no-any-return]
        else:
            expanding: Any = bindparam("ids", expanding=True)

            def match(column: Any) -> ColumnElement[bool]:
                return column.in_(expanding)  # type: ignore[no-any-return]

        def branch(kind: str, parent: Any, order: Any, ref: Any, *joins: tuple[Any, Any]) -> Select[Any]:
            stmt = select(parent.label("parent"), literal(kind).label("kind"), order.label("rang"), ref.label("ref"))
            for table, on in joins:
                stmt = stmt.join(table, on)
            return stmt.where(match(parent))

        union = union_all(
            branch("zaaktype", zaken.c.id, zaken.c.id, zaaktypen.c.uuid,
                   (zaaktypen, zaaktypen.c.id == zaken.c.zaaktype_id)),
            branch("hoofdzaak", zaken.c.id, zaken.c.id, hoofd.c.uuid, (hoofd, hoofd.c.id == zaken.c.hoofdzaak_id)),
            branch("status", zaken.c.id, zaken.c.id, statussen.c.uuid,
                   (statussen, statussen.c.id == zaken.c.status_id)),
            branch("resultaat", resultaten.c.zaak_id, resultaten.c.id, resultaten.c.uuid),
            branch("rollen", rollen.c.zaak_id, rollen.c.id, rollen.c.uuid),
            branch("eigenschappen", zaakeigenschappen.c.zaak_id, zaakeigenschappen.c.id, zaakeigenschappen.c.uuid),
            branch("zaakobjecten", zaakobjecten.c.zaak_id, zaakobjecten.c.id, zaakobjecten.c.uuid),
            branch("deelzaken", zaken.c.hoofdzaak_id, zaken.c.id, zaken.c.uuid),
        ).subquery()
        _CHILDREN_QUERY[dialect] = select(union).order_by(union.c.kind, union.c.rang)
    return _CHILDREN_QUERY[dialect]


async def zaak_children(session: AsyncSession, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """What a page of zaken refers to, in one query for any page size: the single references (zaaktype,
    hoofdzaak, status, resultaat) and the rollen, eigenschappen, zaakobjecten and deelzaken, as one
    ``UNION ALL`` of (zaak id, kind, order, uuid) rows."""
    out: dict[int, dict[str, Any]] = {}
    refs: dict[int, dict[str, Any]] = {}
    for i in ids:
        out[i] = {"rollen": [], "eigenschappen": [], "zaakobjecten": [], "deelzaken": []}
        refs[i] = dict.fromkeys(_REFS)
    if not ids:
        return out
    rows = (await session.execute(_children_query(session.get_bind().dialect.name), {"ids": list(ids)})).all()
    for parent, kind, _rang, ref in rows:
        found = refs[parent]
        if kind in found:
            found[kind] = ref
        else:
            out[parent][kind].append(ref)
    for i in ids:
        found = refs[i]
        out[i]["refs"] = SimpleNamespace(zaaktype_uuid=found["zaaktype"], hoofdzaak_uuid=found["hoofdzaak"],
                                         status_uuid=found["status"], resultaat_uuid=found["resultaat"])
    return out


def _ids_matcher(session: AsyncSession, ids: Sequence[int]) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy import BigInteger, any_
        from sqlalchemy.dialects.postgresql import ARRAY

        param = bindparam("ids", list(ids), type_=ARRAY(BigInteger))
        return lambda column: column == any_(param)
    return lambda column: column.in_(list(ids))


def ids_match(session: AsyncSession, column: Any, ids: Sequence[int]) -> ColumnElement[bool]:
    """``column IN ids``; on PostgreSQL as ``= ANY(array)``, one bind instead of a hundred to render per query."""
    return _ids_matcher(session, ids)(column)  # type: ignore[no-any-return]


async def known_count(session: AsyncSession, request: Request, auth: AuthContext,
                      filters: dict[str, Any]) -> int | None:
    """The exact count from the per-zaaktype counters, when the list is all zaken (of one zaaktype) the
    client may see without restriction; None when the count needs a query."""
    if not auth.heeft_alle_autorisaties or any(v is not None for k, v in filters.items() if k != "zaaktype"):
        return None
    if filters.get("zaaktype") is None:
        return int((await session.execute(_COUNT_ALL)).scalar_one())
    found = uuid_from_url(request, filters["zaaktype"], CATALOGI_PREFIX, "zaaktypen")
    if found is None:
        return 0
    return int((await session.execute(_COUNT_OF_TYPE, {"zaaktype_uuid": found})).scalar_one())


_COUNT_ALL = select(func.coalesce(func.sum(zaak_tellingen.c.aantal), 0))
_COUNT_OF_TYPE = _COUNT_ALL.where(zaak_tellingen.c.zaaktype_id == select(zaaktypen.c.id).where(
    zaaktypen.c.uuid == bindparam("zaaktype_uuid")).scalar_subquery())


# Built once: executed with parameters, a statement costs no construction and no cache-key walk per request.
_TEL = (update(zaak_tellingen).where(zaak_tellingen.c.zaaktype_id == bindparam("tel_zaaktype_id"))
        .values(aantal=zaak_tellingen.c.aantal + bindparam("tel_delta")).returning(zaak_tellingen.c.aantal))


async def _tel(session: AsyncSession, zaaktype_id: int, delta: int) -> None:
    table = zaak_tellingen
    done = (await session.execute(_TEL, {"tel_zaaktype_id": zaaktype_id, "tel_delta": delta})).first()
    if done is None:
        await session.execute(_insert_ignore(session, table).values(zaaktype_id=zaaktype_id, aantal=0))
        await session.execute(update(table).where(table.c.zaaktype_id == zaaktype_id)
                              .values(aantal=table.c.aantal + delta))


def serialize_zaak(ctx: Ctx, row: Any, children: dict[str, Any]) -> dict[str, Any]:
    # Run for every zaak of a page: the URL bases are read once, and no helper is called per field.
    base = ctx.zaken_base
    refs = children["refs"]
    gegevens = row.gegevens
    out = dict(gegevens)
    zaak_uuid = row.uuid
    einddatum, archiefactiedatum = row.einddatum, row.archiefactiedatum
    out.update({
        "url": f"{base}zaken/{zaak_uuid}", "uuid": zaak_uuid, "identificatie": row.identificatie,
        "zaaktype": f"{ctx.catalogi_base}zaaktypen/{refs.zaaktype_uuid}",
        "registratiedatum": row.registratiedatum.isoformat(), "startdatum": row.startdatum.isoformat(),
        "einddatum": einddatum.isoformat() if einddatum is not None else None,
        "vertrouwelijkheidaanduiding": row.vertrouwelijkheidaanduiding,
        "archiefnominatie": row.archiefnominatie, "archiefstatus": row.archiefstatus,
        "archiefactiedatum": archiefactiedatum.isoformat() if archiefactiedatum is not None else None,
        "hoofdzaak": f"{base}zaken/{refs.hoofdzaak_uuid}" if refs.hoofdzaak_uuid else None,
        "status": f"{base}statussen/{refs.status_uuid}" if refs.status_uuid else None,
        "resultaat": f"{base}resultaten/{refs.resultaat_uuid}" if refs.resultaat_uuid else None,
        "deelzaken": [f"{base}zaken/{u}" for u in children["deelzaken"]],
        "rollen": [f"{base}rollen/{u}" for u in children["rollen"]],
        "zaakobjecten": [f"{base}zaakobjecten/{u}" for u in children["zaakobjecten"]],
        "eigenschappen": [f"{base}zaken/{zaak_uuid}/zaakeigenschappen/{u}" for u in children["eigenschappen"]],
        "zaakinformatieobjecten": [],
        "betalingsindicatieWeergave": _BETALING.get(gegevens.get("betalingsindicatie") or "", ""),
        "huishouden": row.huishouden, "aanvraag": row.aanvraag,
    })
    return without_blank(out, "communicatiekanaal", "selectielijstklasse")


_BETALING = {"nvt": "Er is geen sprake van te betalen, met de zaak gemoeide, kosten.",
             "nog_niet": "De met de zaak gemoeide kosten zijn (nog) niet betaald.",
             "gedeeltelijk": "De met de zaak gemoeide kosten zijn gedeeltelijk betaald.",
             "geheel": "De met de zaak gemoeide kosten zijn geheel betaald."}


async def read_zaak(ctx: Ctx, zaak_uuid: str, scope: str | None = "zaken.lezen") -> dict[str, Any]:
    """A zaak the client may see; one it may not see is as absent as one that does not exist (404).

    ``scope=None`` reads without that check: the answer to a write the client was allowed to make.
    """
    stmt = zaak_select().where(zaken.c.uuid == zaak_uuid)
    if scope is not None:
        stmt = stmt.where(authz.visible_clause(ctx.request, ctx.auth, scope))
    row = (await ctx.session.execute(stmt)).first()
    if row is None:
        raise NotFound()
    children = await zaak_children(ctx.session, [row.id])
    return serialize_zaak(ctx, row, children[row.id])


async def _zaak_by_url(ctx: Ctx, url: str, field: str = "zaak", *, lock: bool = False) -> Any:
    found = uuid_from_url(ctx.request, url, ZAKEN_PREFIX, "zaken")
    row = None
    if found:
        stmt = select(zaken).where(zaken.c.uuid == found)
        row = (await ctx.session.execute(stmt.with_for_update() if lock else stmt)).first()
    if row is None:
        raise ValidatieFout.single(field, "bad-url", "De zaak bestaat niet.")
    return row


async def _zaak_by_uuid(ctx: Ctx, zaak_uuid: str, *, lock: bool = False) -> Any:
    stmt = select(zaken).where(zaken.c.uuid == zaak_uuid)
    row = (await ctx.session.execute(stmt.with_for_update() if lock else stmt)).first()
    if row is None:
        raise NotFound()
    return row


async def _granted(ctx: Ctx, zaak_id: int, scope: str) -> bool:
    if ctx.auth.heeft_alle_autorisaties:
        return True
    clause = authz.visible_clause(ctx.request, ctx.auth, scope)
    return (await ctx.session.execute(select(zaken.c.id).where(zaken.c.id == zaak_id, clause))).first() is not None


async def authorise_write(ctx: Ctx, zaak: Any, scopes: Sequence[str], *, closed_ok: bool = False) -> None:
    """403 unless one of ``scopes`` covers this zaak; a closed zaak also needs ``zaken.geforceerd-bijwerken``."""
    for scope in scopes:
        if await _granted(ctx, zaak.id, scope):
            break
    else:
        raise PermissionDenied("Deze applicatie heeft geen rechten op deze zaak voor deze actie.")
    if zaak.einddatum is not None and not closed_ok and not await _granted(ctx, zaak.id,
                                                                           "zaken.geforceerd-bijwerken"):
        raise PermissionDenied("De zaak is afgesloten; wijzigen vraagt de scope zaken.geforceerd-bijwerken.")


# --- opening and changing zaken -----------------------------------------------------------------------------


# Published zaaktypen per database (engine), by uuid. What a create reads of one (id, catalogus, kolom,
# vertrouwelijkheidaanduiding, productenOfDiensten) cannot change once it is published: only a concept may be
# changed or deleted, a published one only gets an eindeGeldigheid, and a catalogus keeps its kolom.
_PUBLISHED: weakref.WeakKeyDictionary[Any, dict[str, Any]] = weakref.WeakKeyDictionary()
_PUBLISHED_MAX = 10_000


async def _zaaktype_for_zaak(ctx: Ctx, url: str) -> Any:
    found = uuid_from_url(ctx.request, url, CATALOGI_PREFIX, "zaaktypen")
    cache = _PUBLISHED.setdefault(ctx.session.get_bind(), {})
    if found and found in cache:
        return cache[found]
    row = None
    if found:
        row = (await ctx.session.execute(
            select(zaaktypen, catalogussen.c.uuid.label("catalogus_uuid"), catalogussen.c.kolom.label("kolom"))
            .join(catalogussen, catalogussen.c.id == zaaktypen.c.catalogus_id)
            .where(zaaktypen.c.uuid == found))).first()
    if found is None or row is None:
        raise ValidatieFout.single("zaaktype", "bad-url", "Het zaaktype bestaat niet.")
    if row.concept:
        raise ValidatieFout.single("zaaktype", "zaaktype-concept",
                                   "Het zaaktype is nog een concept; alleen een gepubliceerd zaaktype kan.")
    if len(cache) >= _PUBLISHED_MAX:
        cache.clear()
    cache[found] = row
    return row


async def _check_zaak_body(ctx: Ctx, body: schemas.ZaakIn, zaaktype: Any, own_id: int | None = None) -> Any:
    """Rules that read the database; returns the hoofdzaak row, if any."""
    check_rsin(body.bronorganisatie, "bronorganisatie")
    check_rsin(body.verantwoordelijke_organisatie, "verantwoordelijkeOrganisatie")
    if body.opdrachtgevende_organisatie:
        check_rsin(body.opdrachtgevende_organisatie, "opdrachtgevendeOrganisatie")
    allowed = set(zaaktype.gegevens.get("productenOfDiensten") or [])
    if not set(body.producten_of_diensten) <= allowed:
        raise ValidatieFout.single("productenOfDiensten", "invalid-products-services",
                                   "Niet alle producten/diensten komen voor in de producten/diensten op het zaaktype.")
    if body.archiefstatus != "nog_te_archiveren":
        if not body.archiefnominatie:
            raise ValidatieFout.single("archiefnominatie", "archiefnominatie-not-set",
                                       "Archiefnominatie moet gezet zijn om de zaak te archiveren.")
        if body.archiefactiedatum is None:
            raise ValidatieFout.single("archiefactiedatum", "archiefactiedatum-not-set",
                                       "Archiefactiedatum moet gezet zijn om de zaak te archiveren.")
    for i, relevant in enumerate(body.relevante_andere_zaken):
        await _zaak_by_url(ctx, relevant.url, f"relevanteAndereZaken.{i}.url")
    if body.hoofdzaak is None:
        return None
    parent = await _zaak_by_url(ctx, body.hoofdzaak, "hoofdzaak")
    if own_id is not None and parent.id == own_id:
        raise ValidatieFout.single("hoofdzaak", "self-forbidden", "Een zaak kan niet zijn eigen hoofdzaak zijn.")
    if parent.hoofdzaak_id is not None:
        raise ValidatieFout.single("hoofdzaak", "deelzaak-als-hoofdzaak",
                                   "Een deelzaak kan niet de hoofdzaak zijn van een andere zaak.")
    if own_id is not None and (await ctx.session.execute(
            select(zaken.c.id).where(zaken.c.hoofdzaak_id == own_id).limit(1))).first():
        raise ValidatieFout.single("hoofdzaak", "deelzaak-als-hoofdzaak",
                                   "Een hoofdzaak met deelzaken kan zelf geen deelzaak worden.")
    return parent


@dataclass
class _Reserved:
    """Numbers this process reserved on a database's counter rows and has not handed out yet."""

    lock: asyncio.Lock
    free: dict[tuple[str, int], deque[int]]


_RESERVED: weakref.WeakKeyDictionary[Any, _Reserved] = weakref.WeakKeyDictionary()
RESERVE_BLOCK = 20


def _holds_connection(session: AsyncSession) -> bool:
    """Whether the session's transaction has a connection already (it has run a statement)."""
    transaction = session.sync_session.get_transaction()
    return transaction is None or bool(getattr(transaction, "_connections", True))


async def take_reserved_number(session: AsyncSession, bronorganisatie: str, jaar: int) -> int | None:
    """A number for a new identificatie from a block this process reserved, on PostgreSQL, before the
    caller's transaction has a connection; None where that does not apply (``_next_number`` then
    moves the counter row in the caller's transaction).

    A block is reserved by ``UPDATE ... RETURNING`` in a transaction of its own, committed at once: the counter
    row is locked for that short transaction only, instead of from the zaak's first write to its commit
    (which made every create of a bronorganisatie wait for the one before it). One request at a time reserves,
    so within a process numbers are handed out in order; they stay unique across processes and transactions.
    The request holds no other connection while it waits, so it cannot starve the pool. A rolled-back create
    or a stopped process leaves a gap, as a sequence does.
    """
    if session.get_bind().dialect.name != "postgresql" or _holds_connection(session):
        return None
    state = _RESERVED.get(session.get_bind())
    if state is None:
        state = _RESERVED.setdefault(session.get_bind(), _Reserved(asyncio.Lock(), {}))
    free = state.free.setdefault((bronorganisatie, jaar), deque())
    if not free:
        async with state.lock:
            if not free:
                free.extend(await _reserve_block(session, bronorganisatie, jaar))
    return free.popleft()


def _pop_reserved(session: AsyncSession, bronorganisatie: str, jaar: int) -> int | None:
    """A reserved number if one is left, without reserving (the caller holds a connection already)."""
    state = _RESERVED.get(session.get_bind())
    free = state.free.get((bronorganisatie, jaar)) if state is not None else None
    return free.popleft() if free else None


def _give_back(session: AsyncSession, bronorganisatie: str, jaar: int, number: int) -> None:
    """A number taken for a create that failed before it wrote anything: the next create gets it."""
    state = _RESERVED.get(session.get_bind())
    if state is not None:
        state.free.setdefault((bronorganisatie, jaar), deque()).appendleft(number)


async def _reserve_block(session: AsyncSession, bronorganisatie: str, jaar: int) -> range:
    table = zaak_identificatie_tellers
    key = (table.c.bronorganisatie == bronorganisatie) & (table.c.jaar == jaar)
    engine = session.bind
    assert isinstance(engine, AsyncEngine)
    async with engine.begin() as conn:
        last = (await conn.execute(update(table).where(key).values(laatste=table.c.laatste + RESERVE_BLOCK)
                                   .returning(table.c.laatste))).scalar_one_or_none()
        if last is None:
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            await conn.execute(pg_insert(table).on_conflict_do_nothing().values(
                bronorganisatie=bronorganisatie, jaar=jaar, laatste=0))
            last = (await conn.execute(update(table).where(key).values(laatste=table.c.laatste + RESERVE_BLOCK)
                                       .returning(table.c.laatste))).scalar_one()
    return range(last - RESERVE_BLOCK + 1, last + 1)


async def _next_number(session: AsyncSession, bronorganisatie: str, jaar: int) -> int:
    """The counter row moved in the caller's transaction and locked until its commit (so concurrent creates
    queue on it): on SQLite, which serialises write transactions anyway (BEGIN IMMEDIATE) and where a second
    transaction would wait for the caller's, and for a create inside a transaction that already runs."""
    table = zaak_identificatie_tellers
    key = (table.c.bronorganisatie == bronorganisatie) & (table.c.jaar == jaar)
    while True:
        number = (await session.execute(update(table).where(key).values(laatste=table.c.laatste + 1)
                                        .returning(table.c.laatste))).scalar_one_or_none()
        if number is not None:
            return int(number)
        await session.execute(_insert_ignore(session, table).values(bronorganisatie=bronorganisatie, jaar=jaar,
                                                                    laatste=0))


_INSERT_UNLESS_TAKEN: dict[str, Any] = {}


def _insert_unless_taken(session: AsyncSession) -> Any:
    """``INSERT INTO zaken ... ON CONFLICT (bronorganisatie, identificatie) DO NOTHING RETURNING id``, built
    once per dialect and executed with the row as parameters: a generated identificatie a client already
    chose itself is found by the insert, not by a SELECT before it (any other conflict, such as a second
    zaak for one triage decision, still raises)."""
    dialect = session.get_bind().dialect.name
    if dialect not in _INSERT_UNLESS_TAKEN:
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as dialect_insert
        else:
            from sqlalchemy.dialects.sqlite import insert as dialect_insert  # type: ignore[assignment]
        _INSERT_UNLESS_TAKEN[dialect] = dialect_insert(zaken).on_conflict_do_nothing(
            index_elements=[zaken.c.bronorganisatie, zaken.c.identificatie]).returning(zaken.c.id)
    return _INSERT_UNLESS_TAKEN[dialect]


def _insert_ignore(session: AsyncSession, table: Any) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table).on_conflict_do_nothing()
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table).on_conflict_do_nothing()


@dataclass(frozen=True)
class Herkomst:
    """Sociaal domein: where a zaak comes from when triage opened it."""

    bron_sleutel: str | None = None
    cluster: str | None = None
    kolommen: list[str] | None = None


async def create_zaak(ctx: Ctx, body: schemas.ZaakIn, herkomst: Herkomst = Herkomst()) -> str:
    registratiedatum = body.registratiedatum or datetime.now(UTC).date()
    reserved = None
    if not body.identificatie:
        # Taken first, while this request holds no connection (see take_reserved_number).
        reserved = await take_reserved_number(ctx.session, body.bronorganisatie, registratiedatum.year)
    try:
        return await _create_zaak(ctx, body, herkomst, registratiedatum, reserved)
    except ApiError:
        # Refused before anything was written (the rules are checked first): the number is still free.
        if reserved is not None:
            _give_back(ctx.session, body.bronorganisatie, registratiedatum.year, reserved)
        raise


async def _create_zaak(ctx: Ctx, body: schemas.ZaakIn, herkomst: Herkomst, registratiedatum: date,
                       reserved: int | None) -> str:
    zaaktype = await _zaaktype_for_zaak(ctx, body.zaaktype)
    parent = await _check_zaak_body(ctx, body, zaaktype)
    vertrouwelijkheid = body.vertrouwelijkheidaanduiding or zaaktype.vertrouwelijkheidaanduiding
    authz.require_create(ctx.request, ctx.auth, zaaktype_uuid=zaaktype.uuid, catalogus_uuid=zaaktype.catalogus_uuid,
                         kolom=zaaktype.kolom, vertrouwelijkheidaanduiding=vertrouwelijkheid)
    if body.identificatie:
        taken = (await ctx.session.execute(select(zaken.c.id).where(
            zaken.c.bronorganisatie == body.bronorganisatie, zaken.c.identificatie == body.identificatie))).first()
        if taken:
            raise ValidatieFout.single("identificatie", "identificatie-niet-uniek",
                                       "Deze identificatie bestaat al voor deze bronorganisatie.")
        identificatie = body.identificatie
    else:
        number = reserved if reserved is not None else await _next_number(ctx.session, body.bronorganisatie,
                                                                           registratiedatum.year)
        identificatie = domain.identificatie(registratiedatum.year, number)
    gegevens = body.model_dump(mode="json", by_alias=True)
    gegevens.update(identificatie=identificatie, registratiedatum=registratiedatum.isoformat(),
                    vertrouwelijkheidaanduiding=vertrouwelijkheid)
    new_uuid = str(uuid.uuid4())
    values = dict(
        uuid=new_uuid, identificatie=identificatie, bronorganisatie=body.bronorganisatie,
        zaaktype_id=zaaktype.id, catalogus_id=zaaktype.catalogus_id, kolom=zaaktype.kolom,
        vertrouwelijkheidaanduiding=vertrouwelijkheid, vertrouwelijkheid_rank=vertrouwelijkheid_rank(vertrouwelijkheid),
        registratiedatum=registratiedatum, startdatum=body.startdatum, einddatum=None,
        einddatum_gepland=body.einddatum_gepland, uiterlijke_einddatum_afdoening=body.uiterlijke_einddatum_afdoening,
        publicatiedatum=body.publicatiedatum, archiefnominatie=body.archiefnominatie or None,
        archiefstatus=body.archiefstatus, archiefactiedatum=body.archiefactiedatum,
        hoofdzaak_id=parent.id if parent is not None else None,
        huishouden=body.huishouden, aanvraag=body.aanvraag, cluster=herkomst.cluster,
        kolommen=",".join(herkomst.kolommen) if herkomst.kolommen else None, bron_sleutel=herkomst.bron_sleutel,
        gegevens=gegevens)
    if body.identificatie:
        await ctx.session.execute(insert(zaken), values)
    else:
        while (await ctx.session.execute(_insert_unless_taken(ctx.session), values)).first() is None:
            # A client chose this identificatie itself: the next reserved number, or the counter moves on.
            again = (_pop_reserved(ctx.session, body.bronorganisatie, registratiedatum.year)
                     if reserved is not None else None)
            if again is None:
                again = await _next_number(ctx.session, body.bronorganisatie, registratiedatum.year)
            identificatie = domain.identificatie(registratiedatum.year, again)
            values["identificatie"] = gegevens["identificatie"] = identificatie
    url = ctx.url("zaken", new_uuid)
    await audit.record(ctx, zaak_uuid=new_uuid, actie="create", resource="zaak", resource_url=url,
                       weergave=identificatie, oud=None, nieuw=gegevens)
    if body.huishouden:
        await announce_opened(ctx, SimpleNamespace(**values), zaaktype_uuid=zaaktype.uuid,
                              catalogus_uuid=zaaktype.catalogus_uuid,
                              hoofdzaak_uuid=parent.uuid if parent is not None else None)
    # Last: the zaaktype's counter row stays locked until the commit, and every create of this zaaktype
    # waits for it, so it is taken as late as possible.
    await _tel(ctx.session, zaaktype.id, +1)
    return new_uuid


async def announce_opened(ctx: Ctx, zaak: Any, *, zaaktype_uuid: str, catalogus_uuid: str,
                          hoofdzaak_uuid: str | None) -> None:
    kolommen = events.kolommen_of(zaak)
    if not kolommen:
        return  # an integral zaak opened by hand names no kolom yet; escalation announces it with its deelzaken
    url = ctx.url("zaken", zaak.uuid)
    await events.record(ctx.uow, "nl.overheid.zaken.zaak-geopend", {
        "aanvraag": zaak.aanvraag, "zaak": url, "zaaktype": ctx.type_url("zaaktypen", zaaktype_uuid),
        "catalogus": ctx.type_url("catalogussen", catalogus_uuid), "kolommen": kolommen,
        "cluster": zaak.cluster, "integraal": zaak.kolom == "integraal", "huishouden": zaak.huishouden,
        "hoofdzaak": ctx.url("zaken", hoofdzaak_uuid) if hoofdzaak_uuid else None,
        "vertrouwelijkheidaanduiding": zaak.vertrouwelijkheidaanduiding,
        "registratiedatum": zaak.registratiedatum.isoformat(), "startdatum": zaak.startdatum.isoformat(),
    }, subject=zaak.uuid, dataref=url)


async def announce_stored(ctx: Ctx, zaak: Any) -> None:
    """``announce_opened`` for a zaak already in the database (it became a household's zaak later)."""
    refs = (await ctx.session.execute(
        select(zaaktypen.c.uuid, catalogussen.c.uuid.label("catalogus_uuid"), hoofd.c.uuid.label("hoofdzaak_uuid"))
        .select_from(zaken).join(zaaktypen, zaaktypen.c.id == zaken.c.zaaktype_id)
        .join(catalogussen, catalogussen.c.id == zaaktypen.c.catalogus_id)
        .outerjoin(hoofd, hoofd.c.id == zaken.c.hoofdzaak_id).where(zaken.c.id == zaak.id))).one()
    await announce_opened(ctx, zaak, zaaktype_uuid=refs.uuid, catalogus_uuid=refs.catalogus_uuid,
                          hoofdzaak_uuid=refs.hoofdzaak_uuid)


# Fields a ZGW client may not change after creation.
_IMMUTABLE = ("identificatie", "zaaktype", "bronorganisatie")


async def update_zaak(ctx: Ctx, zaak_uuid: str, patch: dict[str, Any], *, partial: bool) -> None:
    zaak = await _zaak_by_uuid(ctx, zaak_uuid, lock=True)
    await authorise_write(ctx, zaak, ("zaken.bijwerken",))
    old = dict(zaak.gegevens)
    merged = {**old, **patch} if partial else {**patch}
    if not partial:
        merged.setdefault("identificatie", old["identificatie"])
    body = schemas.ZaakIn.model_validate(merged)
    for field in _IMMUTABLE:
        if merged.get(field) != old.get(field):
            raise ValidatieFout.single(field, "wijzigen-niet-toegelaten", f"{field} kan niet gewijzigd worden.")
    zaaktype = await _zaaktype_for_zaak_row(ctx, zaak)
    parent = await _check_zaak_body(ctx, body, zaaktype, own_id=zaak.id)
    hoofdzaak_id = parent.id if parent is not None else None
    vertrouwelijkheid = body.vertrouwelijkheidaanduiding or zaak.vertrouwelijkheidaanduiding
    if vertrouwelijkheid != zaak.vertrouwelijkheidaanduiding and not authz.may_create(
            ctx.request, ctx.auth, zaaktype_uuid=zaaktype.uuid, catalogus_uuid=zaaktype.catalogus_uuid,
            kolom=zaak.kolom, vertrouwelijkheidaanduiding=vertrouwelijkheid, scope="zaken.bijwerken"):
        raise PermissionDenied("Deze vertrouwelijkheidaanduiding gaat boven wat deze applicatie mag.")
    gegevens = body.model_dump(mode="json", by_alias=True)
    gegevens.update(registratiedatum=(body.registratiedatum or zaak.registratiedatum).isoformat(),
                    vertrouwelijkheidaanduiding=vertrouwelijkheid)
    await ctx.session.execute(update(zaken).where(zaken.c.id == zaak.id).values(
        vertrouwelijkheidaanduiding=vertrouwelijkheid, vertrouwelijkheid_rank=vertrouwelijkheid_rank(vertrouwelijkheid),
        registratiedatum=body.registratiedatum or zaak.registratiedatum, startdatum=body.startdatum,
        einddatum_gepland=body.einddatum_gepland, uiterlijke_einddatum_afdoening=body.uiterlijke_einddatum_afdoening,
        publicatiedatum=body.publicatiedatum, archiefnominatie=body.archiefnominatie or None,
        archiefstatus=body.archiefstatus, archiefactiedatum=body.archiefactiedatum, hoofdzaak_id=hoofdzaak_id,
        huishouden=body.huishouden, aanvraag=body.aanvraag, gegevens=gegevens))
    url = ctx.url("zaken", zaak.uuid)
    await audit.record(ctx, zaak_uuid=zaak.uuid, actie="partial_update" if partial else "update", resource="zaak",
                       resource_url=url, weergave=zaak.identificatie, oud=old, nieuw=gegevens)
    await events.record(ctx.uow, "nl.overheid.zaken.zaak-gemuteerd", {
        "zaak": url, "zaaktype": ctx.type_url("zaaktypen", zaaktype.uuid), "actie": "bijgewerkt",
        "velden": domain.changed_fields(old, gegevens), "huishouden": body.huishouden,
    }, subject=zaak.uuid, dataref=url)


async def _zaaktype_for_zaak_row(ctx: Ctx, zaak: Any) -> Any:
    return (await ctx.session.execute(
        select(zaaktypen, catalogussen.c.uuid.label("catalogus_uuid"))
        .join(catalogussen, catalogussen.c.id == zaaktypen.c.catalogus_id)
        .where(zaaktypen.c.id == zaak.zaaktype_id))).one()


async def delete_zaak(ctx: Ctx, zaak_uuid: str) -> None:
    zaak = await _zaak_by_uuid(ctx, zaak_uuid, lock=True)
    await authorise_write(ctx, zaak, ("zaken.verwijderen",))
    if (await ctx.session.execute(select(zaken.c.id).where(zaken.c.hoofdzaak_id == zaak.id).limit(1))).first():
        raise ValidatieFout.single("nonFieldErrors", "pending-relations",
                                   "Een zaak met deelzaken kan niet verwijderd worden.")
    from services.zaken.plannen.models import plan_regisseurs

    if (await ctx.session.execute(select(plan_regisseurs.c.id).where(
            plan_regisseurs.c.zaak_uuid == zaak.uuid, plan_regisseurs.c.tot.is_(None)))).first():
        raise Conflict("De regisseur van een plan is een rol op deze zaak; draag de regie eerst over.",
                       code="regisseur-in-plan")
    zaaktype = await _zaaktype_for_zaak_row(ctx, zaak)
    await ctx.session.execute(update(zaken).where(zaken.c.id == zaak.id).values(status_id=None))
    for table in (statussen, rollen, resultaten, zaakobjecten, klantcontacten, zaakeigenschappen):
        await ctx.session.execute(delete(table).where(table.c.zaak_id == zaak.id))
    from services.zaken.plannen.models import plan_zaken

    await ctx.session.execute(delete(plan_zaken).where(plan_zaken.c.zaak_id == zaak.id))
    await ctx.session.execute(delete(zaken).where(zaken.c.id == zaak.id))
    await _tel(ctx.session, zaak.zaaktype_id, -1)
    url = ctx.url("zaken", zaak.uuid)
    await audit.record(ctx, zaak_uuid=zaak.uuid, actie="destroy", resource="zaak", resource_url=url,
                       weergave=zaak.identificatie, oud=dict(zaak.gegevens), nieuw=None)
    await events.record(ctx.uow, "nl.overheid.zaken.zaak-gemuteerd", {
        "zaak": url, "zaaktype": ctx.type_url("zaaktypen", zaaktype.uuid), "actie": "verwijderd", "velden": [],
        "huishouden": zaak.huishouden}, subject=zaak.uuid, dataref=url)


# --- statussen ---------------------------------------------------------------------------------------------


async def _type_of(ctx: Ctx, table: Any, url: str, collection: str, field: str, zaak: Any) -> Any:
    found = uuid_from_url(ctx.request, url, CATALOGI_PREFIX, collection)
    row = None
    if found:
        row = (await ctx.session.execute(select(table).where(table.c.uuid == found))).first()
    if row is None:
        raise ValidatieFout.single(field, "bad-url", f"Het {field} bestaat niet.")
    if row.zaaktype_id != zaak.zaaktype_id:
        raise ValidatieFout.single(field, "zaaktype-mismatch",
                                   f"Het {field} hoort niet bij het zaaktype van de zaak.")
    return row


async def create_status(ctx: Ctx, body: schemas.StatusIn) -> str:
    zaak = await _zaak_by_url(ctx, body.zaak, lock=True)
    statustype = await _type_of(ctx, statustypen, body.statustype, "statustypen", "statustype", zaak)
    hoogste = (await ctx.session.execute(select(func.max(statustypen.c.volgnummer)).where(
        statustypen.c.zaaktype_id == zaak.zaaktype_id))).scalar_one()
    is_eind = statustype.volgnummer == hoogste
    first = zaak.status_id is None
    scopes = ("zaken.statussen.toevoegen", "zaken.bijwerken", *(("zaken.aanmaken",) if first else ()))
    if zaak.einddatum is not None and not is_eind:
        # Reopening is its own right in ZGW: a client that may close a zaak may not necessarily reopen it.
        await authorise_write(ctx, zaak, scopes, closed_ok=True)
        if not await _granted(ctx, zaak.id, "zaken.heropenen"):
            raise PermissionDenied("Het heropenen van een afgesloten zaak vraagt de scope zaken.heropenen.")
    else:
        await authorise_write(ctx, zaak, scopes)
    # Stored in UTC: SQLite keeps a datetime's wall-clock time and drops its offset.
    gezet = _aware(body.datum_status_gezet).astimezone(UTC)
    resultaat = None
    if is_eind:
        resultaat = (await ctx.session.execute(
            select(resultaten, resultaattypen.c.uuid.label("resultaattype_uuid"),
                   resultaattypen.c.archiefnominatie.label("type_archiefnominatie"),
                   resultaattypen.c.gegevens.label("type_gegevens"))
            .join(resultaattypen, resultaattypen.c.id == resultaten.c.resultaattype_id)
            .where(resultaten.c.zaak_id == zaak.id))).first()
        if resultaat is None:
            raise ValidatieFout.single("statustype", "resultaat-does-not-exist",
                                       "De zaak heeft nog geen resultaat; zet dat eerst voor de eindstatus.")
    current = None
    if zaak.status_id is not None:
        current = (await ctx.session.execute(select(statussen.c.datum_status_gezet).where(
            statussen.c.id == zaak.status_id))).scalar_one()
        if current.tzinfo is None:
            current = current.replace(tzinfo=UTC)
    new_uuid = str(uuid.uuid4())
    gegevens = body.model_dump(mode="json", by_alias=True)
    gegevens["datumStatusGezet"] = gezet.isoformat()
    inserted = await ctx.session.execute(insert(statussen).values(
        uuid=new_uuid, zaak_id=zaak.id, statustype_id=statustype.id, datum_status_gezet=gezet, gegevens=gegevens)
        .returning(statussen.c.id))
    status_id = inserted.scalar_one()
    becomes_current = current is None or gezet >= current
    changes: dict[str, Any] = {}
    if becomes_current:
        changes["status_id"] = status_id
        if is_eind:
            # The date as the client stated it, not the UTC date (a status at 00:30 CET is that day).
            einddatum = _aware(body.datum_status_gezet).date()
            assert resultaat is not None  # an end status without a resultaat was refused above
            changes["einddatum"] = einddatum
            type_gegevens = resultaat.type_gegevens
            if zaak.archiefnominatie is None and resultaat.type_archiefnominatie:
                changes["archiefnominatie"] = resultaat.type_archiefnominatie
            afleiding = (type_gegevens.get("brondatumArchiefprocedure") or {}).get("afleidingswijze", "afgehandeld")
            if zaak.archiefactiedatum is None and afleiding == "afgehandeld":
                changes["archiefactiedatum"] = domain.add_duration(einddatum, type_gegevens.get("archiefactietermijn"))
        elif zaak.einddatum is not None:
            changes.update(einddatum=None, archiefnominatie=None, archiefactiedatum=None)
        await ctx.session.execute(update(zaken).where(zaken.c.id == zaak.id).values(**changes))
    url = ctx.url("statussen", new_uuid)
    zaak_url = ctx.url("zaken", zaak.uuid)
    zaaktype_url = ctx.type_url("zaaktypen", (await _zaaktype_for_zaak_row(ctx, zaak)).uuid)
    await audit.record(ctx, zaak_uuid=zaak.uuid, actie="create", resource="status", resource_url=url,
                       weergave=statustype.omschrijving, oud=None, nieuw=gegevens)
    await events.record(ctx.uow, "nl.overheid.zaken.status-gezet", {
        "zaak": zaak_url, "zaaktype": zaaktype_url, "status": url,
        "statustype": ctx.type_url("statustypen", statustype.uuid), "datumStatusGezet": gezet.isoformat(),
        "isEindstatus": is_eind}, subject=zaak.uuid, dataref=url)
    kolommen = events.kolommen_of(zaak)
    if becomes_current and is_eind and zaak.huishouden and kolommen and resultaat is not None:
        await events.record(ctx.uow, "nl.overheid.zaken.zaak-afgesloten", {
            "zaak": zaak_url, "zaaktype": zaaktype_url, "huishouden": zaak.huishouden, "kolommen": kolommen,
            "resultaattype": ctx.type_url("resultaattypen", resultaat.resultaattype_uuid),
            "einddatum": changes["einddatum"].isoformat()}, subject=zaak.uuid, dataref=zaak_url)
    return new_uuid


def status_select() -> Select[Any]:
    return (select(statussen, zaken.c.uuid.label("zaak_uuid"), zaken.c.status_id.label("huidige_status_id"),
                   statustypen.c.uuid.label("statustype_uuid"))
            .join(zaken, zaken.c.id == statussen.c.zaak_id)
            .join(statustypen, statustypen.c.id == statussen.c.statustype_id))


def serialize_status(ctx: Ctx, row: Any) -> dict[str, Any]:
    return {**without_blank(dict(row.gegevens), "gezetdoor"), "url": ctx.url("statussen", row.uuid), "uuid": row.uuid,
            "zaak": ctx.url("zaken", row.zaak_uuid), "statustype": ctx.type_url("statustypen", row.statustype_uuid),
            "datumStatusGezet": _aware(row.datum_status_gezet).isoformat(),
            "indicatieLaatstGezetteStatus": row.id == row.huidige_status_id, "zaakinformatieobjecten": []}


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


# --- rollen -------------------------------------------------------------------------------------------------


async def create_rol(ctx: Ctx, body: schemas.RolIn) -> str:
    zaak = await _zaak_by_url(ctx, body.zaak, lock=True)
    roltype = await _type_of(ctx, roltypen, body.roltype, "roltypen", "roltype", zaak)
    await authorise_write(ctx, zaak, ("zaken.bijwerken", "zaken.aanmaken"))
    if domain.is_regisseur(roltype.omschrijving):
        await _refuse_second_regisseur(ctx, zaak)
    return await insert_rol(ctx, zaak, roltype, body)


async def _refuse_second_regisseur(ctx: Ctx, zaak: Any) -> None:
    """Eén gezin, één plan, één regisseur: a zaak, and the plan it is part of, have at most one."""
    from services.zaken.plannen.models import plan_regisseurs, plan_zaken

    on_zaak = (await ctx.session.execute(select(rollen.c.id).join(roltypen, roltypen.c.id == rollen.c.roltype_id)
                                         .where(rollen.c.zaak_id == zaak.id,
                                                func.lower(roltypen.c.omschrijving) == "regisseur"))).first()
    in_plan = (await ctx.session.execute(select(plan_regisseurs.c.id).join(
        plan_zaken, plan_zaken.c.plan_id == plan_regisseurs.c.plan_id).where(
        plan_zaken.c.zaak_id == zaak.id, plan_regisseurs.c.tot.is_(None)))).first()
    if on_zaak or in_plan:
        raise Conflict("Er is al een regisseur; draag de regie over in plaats van een tweede toe te voegen.",
                       code="regisseur-bestaat-al")


async def insert_rol(ctx: Ctx, zaak: Any, roltype: Any, body: schemas.RolIn) -> str:
    new_uuid = str(uuid.uuid4())
    gegevens = body.model_dump(mode="json", by_alias=True, exclude_none=False)
    ident = body.betrokkene_identificatie
    registratiedatum = datetime.now(UTC)
    await ctx.session.execute(insert(rollen).values(
        uuid=new_uuid, zaak_id=zaak.id, roltype_id=roltype.id, betrokkene=body.betrokkene or None,
        betrokkene_type=body.betrokkene_type, omschrijving=roltype.omschrijving,
        omschrijving_generiek=roltype.omschrijving_generiek,
        medewerker_identificatie=ident.identificatie if ident and body.betrokkene_type == "medewerker" else None,
        bsn=ident.inp_bsn if ident and body.betrokkene_type == "natuurlijk_persoon" else None,
        registratiedatum=registratiedatum, gegevens=gegevens))
    url = ctx.url("rollen", new_uuid)
    # The trail names the roltype, not the person: a BSN or a name does not belong in a weergave.
    await audit.record(ctx, zaak_uuid=zaak.uuid, actie="create", resource="rol", resource_url=url,
                       weergave=roltype.omschrijving, oud=None, nieuw={"roltype": body.roltype,
                                                                       "betrokkeneType": body.betrokkene_type})
    zaaktype_uuid = (await _zaaktype_for_zaak_row(ctx, zaak)).uuid
    await events.record(ctx.uow, "nl.overheid.zaken.rol-toegevoegd", {
        "zaak": ctx.url("zaken", zaak.uuid), "zaaktype": ctx.type_url("zaaktypen", zaaktype_uuid), "rol": url,
        "roltype": ctx.type_url("roltypen", roltype.uuid), "omschrijving": roltype.omschrijving,
        "omschrijvingGeneriek": roltype.omschrijving_generiek, "betrokkeneType": body.betrokkene_type,
        "huishouden": zaak.huishouden}, subject=zaak.uuid, dataref=url)
    return new_uuid


def rol_select() -> Select[Any]:
    return (select(rollen, zaken.c.uuid.label("zaak_uuid"), roltypen.c.uuid.label("roltype_uuid"))
            .join(zaken, zaken.c.id == rollen.c.zaak_id).join(roltypen, roltypen.c.id == rollen.c.roltype_id))


def serialize_rol(ctx: Ctx, row: Any) -> dict[str, Any]:
    out = {k: v for k, v in row.gegevens.items() if v is not None or k == "contactpersoonRol"}
    if out.get("betrokkeneIdentificatie"):
        out["betrokkeneIdentificatie"] = {k: v for k, v in out["betrokkeneIdentificatie"].items() if v is not None}
    out.update({"url": ctx.url("rollen", row.uuid), "uuid": row.uuid, "zaak": ctx.url("zaken", row.zaak_uuid),
                "roltype": ctx.type_url("roltypen", row.roltype_uuid), "omschrijving": row.omschrijving,
                "omschrijvingGeneriek": row.omschrijving_generiek,
                "registratiedatum": _aware(row.registratiedatum).isoformat(), "statussen": []})
    return without_blank(out, "betrokkene")


async def delete_rol(ctx: Ctx, rol_uuid: str) -> None:
    from services.zaken.plannen.models import plan_regisseurs

    row = (await ctx.session.execute(rol_select().where(rollen.c.uuid == rol_uuid))).first()
    if row is None or not await _granted(ctx, row.zaak_id, "zaken.lezen"):
        raise NotFound()
    zaak = await _zaak_by_uuid(ctx, row.zaak_uuid, lock=True)
    await authorise_write(ctx, zaak, ("zaken.bijwerken",))
    if (await ctx.session.execute(select(plan_regisseurs.c.id).where(
            plan_regisseurs.c.rol_uuid == rol_uuid, plan_regisseurs.c.tot.is_(None)))).first():
        raise Conflict("Deze rol is de regisseur van een plan; draag de regie over.", code="regisseur-in-plan")
    await ctx.session.execute(delete(rollen).where(rollen.c.id == row.id))
    await audit.record(ctx, zaak_uuid=zaak.uuid, actie="destroy", resource="rol",
                       resource_url=ctx.url("rollen", rol_uuid), weergave=row.omschrijving, oud={}, nieuw=None)


# --- resultaten ----------------------------------------------------------------------------------------------


async def create_resultaat(ctx: Ctx, body: schemas.ResultaatIn) -> str:
    zaak = await _zaak_by_url(ctx, body.zaak, lock=True)
    resultaattype = await _type_of(ctx, resultaattypen, body.resultaattype, "resultaattypen", "resultaattype", zaak)
    await authorise_write(ctx, zaak, ("zaken.bijwerken",))
    if (await ctx.session.execute(select(resultaten.c.id).where(resultaten.c.zaak_id == zaak.id))).first():
        raise ValidatieFout.single("zaak", "unique", "Deze zaak heeft al een resultaat.")
    uitkomst = uitkomst_of(resultaattype.gegevens)
    if body.toekenningen and uitkomst not in ("toegekend", "gedeeltelijk-toegekend"):
        raise ValidatieFout.single("toekenningen", "invalid",
                                   "Alleen een toekenning (resultaat toegekend) kent toekenningen.")
    new_uuid = str(uuid.uuid4())
    gegevens = body.model_dump(mode="json", by_alias=True)
    await ctx.session.execute(insert(resultaten).values(uuid=new_uuid, zaak_id=zaak.id,
                                                        resultaattype_id=resultaattype.id, gegevens=gegevens))
    url = ctx.url("resultaten", new_uuid)
    await audit.record(ctx, zaak_uuid=zaak.uuid, actie="create", resource="resultaat", resource_url=url,
                       weergave=resultaattype.omschrijving, oud=None, nieuw=gegevens)
    kolommen = events.kolommen_of(zaak)
    if zaak.huishouden and uitkomst and kolommen:
        zaaktype_uuid = (await _zaaktype_for_zaak_row(ctx, zaak)).uuid
        await events.record(ctx.uow, "nl.overheid.zaken.resultaat-vastgesteld", {
            "zaak": ctx.url("zaken", zaak.uuid), "zaaktype": ctx.type_url("zaaktypen", zaaktype_uuid),
            "huishouden": zaak.huishouden, "kolom": kolommen[0], "resultaat": url,
            "resultaattype": ctx.type_url("resultaattypen", resultaattype.uuid), "uitkomst": uitkomst,
            "toekenningen": gegevens["toekenningen"]}, subject=zaak.uuid, dataref=url)
    return new_uuid


def resultaat_select() -> Select[Any]:
    return (select(resultaten, zaken.c.uuid.label("zaak_uuid"), resultaattypen.c.uuid.label("resultaattype_uuid"))
            .join(zaken, zaken.c.id == resultaten.c.zaak_id)
            .join(resultaattypen, resultaattypen.c.id == resultaten.c.resultaattype_id))


def serialize_resultaat(ctx: Ctx, row: Any) -> dict[str, Any]:
    return {**row.gegevens, "url": ctx.url("resultaten", row.uuid), "uuid": row.uuid,
            "zaak": ctx.url("zaken", row.zaak_uuid), "resultaattype": ctx.type_url("resultaattypen",
                                                                                   row.resultaattype_uuid)}


async def delete_resultaat(ctx: Ctx, resultaat_uuid: str) -> None:
    row = (await ctx.session.execute(resultaat_select().where(resultaten.c.uuid == resultaat_uuid))).first()
    if row is None or not await _granted(ctx, row.zaak_id, "zaken.lezen"):
        raise NotFound()
    zaak = await _zaak_by_uuid(ctx, row.zaak_uuid, lock=True)
    await authorise_write(ctx, zaak, ("zaken.bijwerken",))
    await ctx.session.execute(delete(resultaten).where(resultaten.c.id == row.id))
    await audit.record(ctx, zaak_uuid=zaak.uuid, actie="destroy", resource="resultaat",
                       resource_url=ctx.url("resultaten", resultaat_uuid), weergave="resultaat", oud=row.gegevens,
                       nieuw=None)


# --- zaakobjecten, klantcontacten, zaakeigenschappen -------------------------------------------------------------


async def create_zaakobject(ctx: Ctx, body: schemas.ZaakObjectIn) -> str:
    zaak = await _zaak_by_url(ctx, body.zaak, lock=True)
    await authorise_write(ctx, zaak, ("zaken.bijwerken", "zaken.aanmaken"))
    if body.zaakobjecttype:
        from services.zaken.zaken.updates import check_zaakobjecttype  # updates builds on this module

        await check_zaakobjecttype(ctx, body.zaakobjecttype, zaak)
    new_uuid = str(uuid.uuid4())
    gegevens = body.model_dump(mode="json", by_alias=True)
    await ctx.session.execute(insert(zaakobjecten).values(uuid=new_uuid, zaak_id=zaak.id, object=body.object or None,
                                                          object_type=body.object_type, gegevens=gegevens))
    url = ctx.url("zaakobjecten", new_uuid)
    await audit.record(ctx, zaak_uuid=zaak.uuid, actie="create", resource="zaakobject", resource_url=url,
                       weergave=body.object_type, oud=None, nieuw={"objectType": body.object_type})
    if body.object_type == "huishouden" and body.object and zaak.huishouden is None:
        # The zaak becomes a household's zaak now; that is when the social domain hears it was opened.
        await ctx.session.execute(update(zaken).where(zaken.c.id == zaak.id).values(huishouden=body.object))
        await announce_stored(ctx, (await ctx.session.execute(select(zaken).where(zaken.c.id == zaak.id))).one())
    return new_uuid


def zaakobject_select() -> Select[Any]:
    return select(zaakobjecten, zaken.c.uuid.label("zaak_uuid")).join(zaken, zaken.c.id == zaakobjecten.c.zaak_id)


def serialize_zaakobject(ctx: Ctx, row: Any) -> dict[str, Any]:
    out = dict(row.gegevens)
    if out.get("objectIdentificatie"):
        out["objectIdentificatie"] = {k: v for k, v in out["objectIdentificatie"].items() if v is not None}
    out.update({"url": ctx.url("zaakobjecten", row.uuid), "uuid": row.uuid, "zaak": ctx.url("zaken", row.zaak_uuid)})
    return without_blank(out, "object", "zaakobjecttype", "objectTypeOverige")


async def delete_zaakobject(ctx: Ctx, zaakobject_uuid: str) -> None:
    row = (await ctx.session.execute(zaakobject_select().where(zaakobjecten.c.uuid == zaakobject_uuid))).first()
    if row is None or not await _granted(ctx, row.zaak_id, "zaken.lezen"):
        raise NotFound()
    zaak = await _zaak_by_uuid(ctx, row.zaak_uuid, lock=True)
    await authorise_write(ctx, zaak, ("zaken.bijwerken",))
    await ctx.session.execute(delete(zaakobjecten).where(zaakobjecten.c.id == row.id))
    await audit.record(ctx, zaak_uuid=zaak.uuid, actie="destroy", resource="zaakobject",
                       resource_url=ctx.url("zaakobjecten", zaakobject_uuid), weergave=row.object_type, oud={},
                       nieuw=None)


async def create_klantcontact(ctx: Ctx, body: schemas.KlantContactIn) -> str:
    zaak = await _zaak_by_url(ctx, body.zaak, lock=True)
    await authorise_write(ctx, zaak, ("zaken.bijwerken", "zaken.aanmaken"))
    new_uuid = str(uuid.uuid4())
    datumtijd = _aware(body.datumtijd).astimezone(UTC)
    identificatie = body.identificatie or f"KC-{new_uuid.replace('-', '')[:11].upper()}"
    gegevens = body.model_dump(mode="json", by_alias=True)
    gegevens.update(identificatie=identificatie, datumtijd=datumtijd.isoformat())
    await ctx.session.execute(insert(klantcontacten).values(uuid=new_uuid, zaak_id=zaak.id, identificatie=identificatie,
                                                            datumtijd=datumtijd, gegevens=gegevens))
    url = ctx.url("klantcontacten", new_uuid)
    await audit.record(ctx, zaak_uuid=zaak.uuid, actie="create", resource="klantcontact", resource_url=url,
                       weergave=identificatie, oud=None, nieuw={"kanaal": body.kanaal})
    return new_uuid


def klantcontact_select() -> Select[Any]:
    return select(klantcontacten, zaken.c.uuid.label("zaak_uuid")).join(zaken, zaken.c.id == klantcontacten.c.zaak_id)


def serialize_klantcontact(ctx: Ctx, row: Any) -> dict[str, Any]:
    return {**row.gegevens, "url": ctx.url("klantcontacten", row.uuid), "uuid": row.uuid,
            "zaak": ctx.url("zaken", row.zaak_uuid), "datumtijd": _aware(row.datumtijd).isoformat()}


async def create_zaakeigenschap(ctx: Ctx, zaak_uuid: str, body: schemas.ZaakEigenschapIn) -> str:
    zaak = await _zaak_by_url(ctx, body.zaak, lock=True)
    if zaak.uuid != zaak_uuid:
        raise ValidatieFout.single("zaak", "invalid", "De zaak in de body is niet de zaak in het pad.")
    eigenschap = await _type_of(ctx, eigenschappen, body.eigenschap, "eigenschappen", "eigenschap", zaak)
    await authorise_write(ctx, zaak, ("zaken.bijwerken",))
    new_uuid = str(uuid.uuid4())
    await ctx.session.execute(insert(zaakeigenschappen).values(uuid=new_uuid, zaak_id=zaak.id,
                                                               eigenschap_id=eigenschap.id, waarde=body.waarde))
    url = ctx.url(f"zaken/{zaak.uuid}/zaakeigenschappen", new_uuid)
    await audit.record(ctx, zaak_uuid=zaak.uuid, actie="create", resource="zaakeigenschap", resource_url=url,
                       weergave=eigenschap.naam, oud=None, nieuw={"eigenschap": body.eigenschap})
    return new_uuid


def zaakeigenschap_select() -> Select[Any]:
    return (select(zaakeigenschappen, zaken.c.uuid.label("zaak_uuid"), eigenschappen.c.uuid.label("eigenschap_uuid"),
                   eigenschappen.c.naam.label("naam"))
            .join(zaken, zaken.c.id == zaakeigenschappen.c.zaak_id)
            .join(eigenschappen, eigenschappen.c.id == zaakeigenschappen.c.eigenschap_id))


def serialize_zaakeigenschap(ctx: Ctx, row: Any) -> dict[str, Any]:
    return {"url": ctx.url(f"zaken/{row.zaak_uuid}/zaakeigenschappen", row.uuid), "uuid": row.uuid,
            "zaak": ctx.url("zaken", row.zaak_uuid), "eigenschap": ctx.type_url("eigenschappen", row.eigenschap_uuid),
            "naam": row.naam, "waarde": row.waarde}


def visible_zaak(ctx: Ctx, scope: str = "zaken.lezen") -> ColumnElement[bool]:
    """For lists of things under a zaak: only those of zaken the client may see (joined on ``zaken``)."""
    return authz.visible_clause(ctx.request, ctx.auth, scope)


def zaak_exists_clause(zaak_id_col: Any) -> ColumnElement[bool]:
    return exists().where(zaken.c.id == zaak_id_col)


def today() -> date:
    return datetime.now(UTC).date()


__all__ = ["Ctx", "Herkomst", "IntegrityError"]
