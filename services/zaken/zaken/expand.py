"""``expand`` on zaken (Zaken API 1.5.1): the resources a zaak refers to, inline under ``_expand``.

Bounded on purpose: a fixed set of paths at most two levels deep, at most ten per request, and one query
per path for a whole page, so a client cannot turn one request into thousands of queries. Expanded zaken
(hoofdzaak, deelzaken) go through the same authorisation clause as any list: what the client may not
see stays out.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from sds.runtime.errors import ValidatieFout
from services.zaken.catalogi import service as catalogi
from services.zaken.catalogi.models import zaaktypen
from services.zaken.common import CATALOGI_PREFIX, ZAKEN_PREFIX, uuid_from_url
from services.zaken.zaken import reading, subresources
from services.zaken.zaken.context import Ctx, visible_zaak
from services.zaken.zaken.models import resultaten, rollen, statussen, zaken

SUPPORTED = ("zaaktype", "status", "status.statustype", "resultaat", "resultaat.resultaattype", "rollen",
             "rollen.roltype", "hoofdzaak", "deelzaken")
MAX_PATHS = 10


def parse(expand: str | None) -> set[str]:
    if not expand:
        return set()
    paths = {p.strip() for p in expand.split(",") if p.strip()}
    if len(paths) > MAX_PATHS:
        raise ValidatieFout.single("expand", "max_items", f"Ten hoogste {MAX_PATHS} paden in expand.")
    unknown = sorted(paths - set(SUPPORTED))
    if unknown:
        raise ValidatieFout.single("expand", "invalid",
                                   f"Niet ondersteund in expand: {', '.join(unknown)[:200]}; kies uit "
                                   f"{', '.join(SUPPORTED)}.")
    # "status.statustype" needs "status" itself expanded to hang under.
    return paths | {p.split(".")[0] for p in paths}


def _uuids(urls: list[str | None], ctx: Ctx, prefix: str, collection: str) -> list[str]:
    return sorted({u for u in (uuid_from_url(ctx.request, url, prefix, collection) for url in urls if url) if u})


async def apply(ctx: Ctx, items: list[dict[str, Any]], paths: set[str]) -> None:
    if not paths or not items:
        return
    for item in items:
        item["_expand"] = {}
    if "zaaktype" in paths:
        found = await _zaaktypen(ctx, _uuids([i["zaaktype"] for i in items], ctx, CATALOGI_PREFIX, "zaaktypen"))
        for item in items:
            item["_expand"]["zaaktype"] = found.get(item["zaaktype"])
    for ref, table, select_stmt, serialize, child, kind in (
        ("status", statussen, subresources.status_select(), subresources.serialize_status, "statustype", "statustypen"),
        ("resultaat", resultaten, subresources.resultaat_select(), subresources.serialize_resultaat, "resultaattype",
         "resultaattypen"),
    ):
        if ref not in paths:
            continue
        uuids = _uuids([i[ref] for i in items], ctx, ZAKEN_PREFIX, "statussen" if ref == "status" else "resultaten")
        rows = (await ctx.session.execute(select_stmt.where(table.c.uuid.in_(uuids)))).all() if uuids else []
        found = {o["url"]: o for o in (serialize(ctx, r) for r in rows)}
        if f"{ref}.{child}" in paths:
            await _expand_types(ctx, list(found.values()), child, kind)
        for item in items:
            item["_expand"][ref] = found.get(item[ref]) if item[ref] else None
    if "rollen" in paths:
        uuids = _uuids([u for i in items for u in i["rollen"]], ctx, ZAKEN_PREFIX, "rollen")
        stmt = subresources.rol_select().where(rollen.c.uuid.in_(uuids))
        rows = (await ctx.session.execute(stmt)).all() if uuids else []
        found = {o["url"]: o for o in (subresources.serialize_rol(ctx, r) for r in rows)}
        if "rollen.roltype" in paths:
            await _expand_types(ctx, list(found.values()), "roltype", "roltypen")
        for item in items:
            item["_expand"]["rollen"] = [found[u] for u in item["rollen"] if u in found]
    if "hoofdzaak" in paths or "deelzaken" in paths:
        wanted = [i["hoofdzaak"] for i in items] if "hoofdzaak" in paths else []
        wanted += [u for i in items for u in i["deelzaken"]] if "deelzaken" in paths else []
        found = await _zaken(ctx, _uuids(wanted, ctx, ZAKEN_PREFIX, "zaken"))
        for item in items:
            if "hoofdzaak" in paths:
                item["_expand"]["hoofdzaak"] = found.get(item["hoofdzaak"]) if item["hoofdzaak"] else None
            if "deelzaken" in paths:
                item["_expand"]["deelzaken"] = [found[u] for u in item["deelzaken"] if u in found]


async def _zaaktypen(ctx: Ctx, uuids: list[str]) -> dict[str, dict[str, Any]]:
    if not uuids:
        return {}
    rows = (await ctx.session.execute(catalogi.zaaktype_query().where(zaaktypen.c.uuid.in_(uuids)))).all()
    children = await catalogi.zaaktype_children(ctx.session, [r.id for r in rows])
    return {o["url"]: o for o in (catalogi.serialize_zaaktype(ctx.request, r, children[r.id]) for r in rows)}


async def _expand_types(ctx: Ctx, parents: list[dict[str, Any]], field: str, collection: str) -> None:
    kind = catalogi.SUBTYPES[collection]
    uuids = _uuids([p[field] for p in parents], ctx, CATALOGI_PREFIX, collection)
    rows = (await ctx.session.execute(catalogi.subtype_query(kind).where(kind.table.c.uuid.in_(uuids)))).all() \
        if uuids else []
    found = {o["url"]: o for o in (catalogi.serialize_subtype(ctx.request, kind, r) for r in rows)}
    for parent in parents:
        parent["_expand"] = {field: found.get(parent[field])}


async def _zaken(ctx: Ctx, uuids: list[str]) -> dict[str, dict[str, Any]]:
    if not uuids:
        return {}
    rows = (await ctx.session.execute(select(zaken).where(zaken.c.uuid.in_(uuids), visible_zaak(ctx)))).all()
    children = await reading.zaak_children(ctx.session, [r.id for r in rows])
    return {o["url"]: o for o in (reading.serialize_zaak(ctx, r, children[r.id]) for r in rows)}
