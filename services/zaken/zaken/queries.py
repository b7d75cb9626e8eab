"""The zaken list filters of the spec, shared by ``GET /zaken`` and ``POST /zaken/_zoek``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import Request
from sqlalchemy import Select, exists, false, select

from sds.runtime.auth import vertrouwelijkheid_rank
from sds.runtime.errors import ValidatieFout
from services.zaken.catalogi.models import zaaktypen
from services.zaken.common import CATALOGI_PREFIX, ZAKEN_PREFIX, uuid_from_url
from services.zaken.zaken.models import rollen, zaken
from services.zaken.zaken.schemas import SEARCH_ORDERING

_ORDER_COLUMNS = {"startdatum": zaken.c.startdatum, "einddatum": zaken.c.einddatum,
                  "publicatiedatum": zaken.c.publicatiedatum, "archiefactiedatum": zaken.c.archiefactiedatum,
                  "registratiedatum": zaken.c.registratiedatum, "identificatie": zaken.c.identificatie}

# (filter name, column, comparison) for the date and value filters that map straight onto a column
_COMPARISONS: list[tuple[str, Any, str]] = []
for _name, _col in (("startdatum", zaken.c.startdatum), ("registratiedatum", zaken.c.registratiedatum),
                    ("einddatum", zaken.c.einddatum), ("einddatumGepland", zaken.c.einddatum_gepland),
                    ("uiterlijkeEinddatumAfdoening", zaken.c.uiterlijke_einddatum_afdoening),
                    ("archiefactiedatum", zaken.c.archiefactiedatum)):
    _COMPARISONS += [(_name, _col, "eq"), (f"{_name}__gt", _col, "gt"), (f"{_name}__gte", _col, "gte"),
                     (f"{_name}__lt", _col, "lt"), (f"{_name}__lte", _col, "lte")]
_COMPARISONS += [("identificatie", zaken.c.identificatie, "eq"), ("bronorganisatie", zaken.c.bronorganisatie, "eq"),
                 ("archiefnominatie", zaken.c.archiefnominatie, "eq"), ("archiefstatus", zaken.c.archiefstatus, "eq"),
                 ("bronorganisatie__in", zaken.c.bronorganisatie, "in"),
                 ("archiefnominatie__in", zaken.c.archiefnominatie, "in"),
                 ("archiefstatus__in", zaken.c.archiefstatus, "in"),
                 ("einddatum__isnull", zaken.c.einddatum, "isnull"),
                 ("archiefactiedatum__isnull", zaken.c.archiefactiedatum, "isnull")]


def _zaaktype_ids(request: Request, urls: list[str]) -> Any:
    uuids = [u for u in (uuid_from_url(request, url, CATALOGI_PREFIX, "zaaktypen") for url in urls) if u]
    return select(zaaktypen.c.id).where(zaaktypen.c.uuid.in_(uuids))


def apply_filters(request: Request, stmt: Select[Any], filters: Mapping[str, Any]) -> Select[Any]:
    """``filters`` by their spec names (``startdatum__gte``, ``rol__betrokkeneType``, ...); None means absent."""
    for name, column, op in _COMPARISONS:
        value = filters.get(name)
        if value is None:
            continue
        if op == "eq":
            stmt = stmt.where(column == value)
        elif op == "gt":
            stmt = stmt.where(column > value)
        elif op == "gte":
            stmt = stmt.where(column >= value)
        elif op == "lt":
            stmt = stmt.where(column < value)
        elif op == "lte":
            stmt = stmt.where(column <= value)
        elif op == "in":
            stmt = stmt.where(column.in_(list(value)))
        elif op == "isnull":
            stmt = stmt.where(column.is_(None) if value else column.is_not(None))
    if filters.get("zaaktype") is not None:
        # The one filter the busiest list uses. Written as a one-value range and ordered by zaaktype_id first
        # (a constant here, so the order is the same) so that PostgreSQL reads ix_zaken_zaaktype_id_id backwards
        # and stops after the page. With "=" it drops zaaktype_id from the ordering and, the zaaktypen being
        # interleaved in the table, prefers a backward scan of pk_zaken that filters on the zaaktype: fine
        # for a common zaaktype's first page, but it reads the whole table (12 s on 1M zaken, cold) for a
        # zaaktype with no zaken or only old ones, and skips every newer zaak of other zaaktypen.
        found = uuid_from_url(request, filters["zaaktype"], CATALOGI_PREFIX, "zaaktypen")
        if found:
            zaaktype_id = select(zaaktypen.c.id).where(zaaktypen.c.uuid == found).scalar_subquery()
            stmt = stmt.where(zaken.c.zaaktype_id.between(zaaktype_id, zaaktype_id)).order_by(
                zaken.c.zaaktype_id.desc())
        else:
            stmt = stmt.where(false())
    if filters.get("zaaktype__in") is not None:
        stmt = stmt.where(zaken.c.zaaktype_id.in_(_zaaktype_ids(request, list(filters["zaaktype__in"]))))
    if filters.get("uuid__in") is not None:
        stmt = stmt.where(zaken.c.uuid.in_([str(u) for u in filters["uuid__in"]]))
    if filters.get("maximaleVertrouwelijkheidaanduiding") is not None:
        stmt = stmt.where(zaken.c.vertrouwelijkheid_rank
                          <= vertrouwelijkheid_rank(filters["maximaleVertrouwelijkheidaanduiding"]))
    rol_conditions = []
    if filters.get("rol__betrokkeneType") is not None:
        rol_conditions.append(rollen.c.betrokkene_type == filters["rol__betrokkeneType"])
    if filters.get("rol__betrokkene") is not None:
        rol_conditions.append(rollen.c.betrokkene == filters["rol__betrokkene"])
    if filters.get("rol__omschrijvingGeneriek") is not None:
        rol_conditions.append(rollen.c.omschrijving_generiek == filters["rol__omschrijvingGeneriek"])
    if filters.get("rol__betrokkeneIdentificatie__medewerker__identificatie") is not None:
        rol_conditions.append(rollen.c.medewerker_identificatie
                              == filters["rol__betrokkeneIdentificatie__medewerker__identificatie"])
    if filters.get("rol__betrokkeneIdentificatie__natuurlijkPersoon__inpBsn") is not None:
        rol_conditions.append(rollen.c.bsn == filters["rol__betrokkeneIdentificatie__natuurlijkPersoon__inpBsn"])
    if rol_conditions:
        # All rol conditions on the same rol, as Open Zaak reads them.
        stmt = stmt.where(exists().where(rollen.c.zaak_id == zaken.c.id, *rol_conditions))
    return stmt


def apply_ordering(stmt: Select[Any], ordering: str | None) -> Select[Any]:
    if not ordering:
        return stmt.order_by(zaken.c.id.desc())
    keys = [k.strip() for k in ordering.split(",") if k.strip()]
    bad = [k for k in keys if k not in SEARCH_ORDERING]
    if bad or len(keys) > len(_ORDER_COLUMNS):
        raise ValidatieFout.single("ordering", "invalid_choice", f"Kies uit {', '.join(SEARCH_ORDERING)}.")
    order = [(_ORDER_COLUMNS[k.lstrip("-")].desc() if k.startswith("-") else _ORDER_COLUMNS[k]) for k in keys]
    return stmt.order_by(*order, zaken.c.id.desc())


def zaak_url_filter(request: Request, value: str | None, column: Any, stmt: Select[Any]) -> Select[Any]:
    """``?zaak=<url>`` on the lists under a zaak."""
    if value is None:
        return stmt
    found = uuid_from_url(request, value, ZAKEN_PREFIX, "zaken")
    return stmt.where(column == found) if found else stmt.where(false())
