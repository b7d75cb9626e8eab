"""HTTP routes of the Beleidsinfo API: every indicator as JSON or CSV, and whether a clustering fits.

Only aggregates leave: cells with their place and figures, suppressed per ``services.beleidsinfo.domain``.
An applicatie limited to kolommen or clusters gets the cells of its own (and the domain's totals).
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from sds.profiles import SHIPPED, ProfileError, load_profile, parse_profile_text
from sds.runtime.auth import Auth, AuthContext
from sds.runtime.errors import ValidatieFout
from services.beleidsinfo.context import COMPONENT, SCOPE_LEZEN, Beleidsinfo, indeling_van
from services.beleidsinfo.domain import ALLE, PERIODES, Cel, Indeling, Periode, perioden
from services.beleidsinfo.indicatoren import (
    INDICATOREN,
    KOLOMMEN,
    Indicator,
    Vraag,
    bereken,
    clusterindeling,
    past_bij,
)

router = APIRouter()

Van = Annotated[date | None, Query(description="first day (inclusive); default: a year before `tot`")]
Tot = Annotated[date | None, Query(description="last day (inclusive); default: today")]
PeriodeQ = Annotated[str, Query(description="maand, kwartaal, jaar or geheel (the whole range)")]
Formaat = Annotated[str | None, Query(description="json or csv; without it, the Accept header decides")]


def _context(request: Request) -> Beleidsinfo:
    ctx: Beleidsinfo = request.app.state.beleidsinfo
    return ctx


def _vraag(ctx: Beleidsinfo, van: date | None, tot: date | None, periode: str,
           indeling: Indeling | None = None) -> Vraag:
    fouten = []
    tot = tot or date.today()
    van = van or tot - timedelta(days=365)
    if van > tot:
        fouten.append({"name": "tot", "code": "date-mismatch", "reason": "`tot` ligt vóór `van`."})
    if periode not in PERIODES:
        fouten.append({"name": "periode", "code": "invalid_choice",
                       "reason": f"Kies uit {', '.join(PERIODES)}."})
    if fouten:
        raise ValidatieFout(fouten)
    p: Periode = periode  # type: ignore[assignment]
    return Vraag(van=van, tot=tot, periode=p, indeling=indeling or ctx.indeling, minimum=ctx.settings.minimum_cel,
                 signaal_venster=ctx.settings.signaal_venster_dagen)


def _filters(ctx: Beleidsinfo, kolom: str | None, cluster: str | None) -> dict[str, str]:
    fouten = []
    if kolom is not None and kolom not in KOLOMMEN:
        fouten.append({"name": "kolom", "code": "invalid_choice", "reason": f"Kies uit {', '.join(KOLOMMEN)}."})
    if cluster is not None and cluster not in ctx.indeling.clusters:
        fouten.append({"name": "cluster", "code": "invalid_choice",
                       "reason": f"Kies uit {', '.join(ctx.indeling.clusters)} (de clusters van het profiel)."})
    if fouten:
        raise ValidatieFout(fouten)
    return {k: v for k, v in (("kolom", kolom), ("cluster", cluster)) if v is not None}


def _mag_zien(auth: AuthContext, cel: Cel, indeling: Indeling) -> bool:
    """Below the whole domain, an applicatie limited to kolommen or clusters sees only its own: a cell of one of
    its kolommen, or of a cluster it serves (one of its clusters, or one whose every kolom is its own). Its
    kolommen are those the request pipeline held it to (``sds.runtime.auth.begrens``)."""
    if auth.heeft_alle_autorisaties or not (auth.kolommen or auth.clusters):
        return True
    kolom, cluster = cel.plaats.get("kolom", ALLE), cel.plaats.get("cluster", ALLE)
    if kolom != ALLE:
        return kolom in auth.kolommen
    return cluster == ALLE or cluster in auth.clusters or (
        cluster in indeling.clusters and set(indeling.clusters[cluster]) <= set(auth.kolommen))


def _wil_csv(request: Request, formaat: str | None) -> bool:
    if formaat is not None:
        if formaat not in ("json", "csv"):
            raise ValidatieFout.single("formaat", "invalid_choice", "Kies uit json, csv.")
        return formaat == "csv"
    return "text/csv" in request.headers.get("accept", "")


def _csv(indicator: Indicator, rows: list[dict[str, Any]]) -> Response:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[*indicator.plaats, *indicator.velden, "onderdrukt"],
                            extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if v is None else str(v).lower() if isinstance(v, bool) else v)
                         for k, v in row.items()})
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": f'attachment; filename="{indicator.naam}.csv"'})


@router.get("/indicatoren", summary="The indicators this service offers")
async def indicatoren(request: Request, auth: Auth) -> dict[str, Any]:
    auth.require_scope(COMPONENT, SCOPE_LEZEN)
    base = _context(request).settings.public_base_url.rstrip("/")
    return {"count": len(INDICATOREN), "results": [
        {"naam": i.naam, "omschrijving": i.omschrijving, "plaats": list(i.plaats), "velden": list(i.velden),
         "url": f"{base}/beleidsinfo/api/v1/indicatoren/{i.naam}"} for i in INDICATOREN.values()]}


@router.get("/indicatoren/{naam}", summary="One indicator's cells, as JSON or CSV",
            responses={200: {"content": {"application/json": {}, "text/csv": {}}}})
async def indicator(request: Request, auth: Auth, naam: str, van: Van = None, tot: Tot = None,
                    periode: PeriodeQ = "maand", kolom: str | None = None, cluster: str | None = None,
                    formaat: Formaat = None) -> Response:
    auth.require_scope(COMPONENT, SCOPE_LEZEN)
    ctx = _context(request)
    gekozen = INDICATOREN.get(naam)
    if gekozen is None:
        raise ValidatieFout.single("naam", "invalid_choice",
                                   f"Er is geen indicator '{naam}'; kies uit {', '.join(INDICATOREN)}.")
    vraag = _vraag(ctx, van, tot, periode)
    filters = _filters(ctx, kolom, cluster)
    csv_gevraagd = _wil_csv(request, formaat)
    async with request.app.state.db.transaction() as session:
        cellen = await bereken(session, gekozen, vraag)
    rows = [c.naar_buiten() for c in cellen if _mag_zien(auth, c, ctx.indeling) and past_bij(c, filters)]
    if csv_gevraagd:
        return _csv(gekozen, rows)
    return JSONResponse({"indicator": gekozen.naam, "omschrijving": gekozen.omschrijving,
                         "van": vraag.van.isoformat(), "tot": vraag.tot.isoformat(), "periode": vraag.periode,
                         "profiel": ctx.indeling.naam, "minimumCel": vraag.minimum, "count": len(rows),
                         "results": rows})


CBS_INDICATOREN = ("voorzieningen", "voorzieningen-instroom", "voorzieningen-uitstroom", "instroom")
CBS_KOLOMMEN = {"wmo": "Wmo", "jeugd": "Jeugdwet", "participatie": "Participatiewet",
                "schuldhulp": "Schuldhulpverlening", ALLE: "Totaal sociaal domein"}
CBS_KOPPEN = ["gemeentecode", "indicator", "periode", "periode_begin", "periode_eind", "kolom", "aantal",
                    "onderdrukt"]


@router.get("/cbs/{naam}", summary="An indicator in the CBS-style layout (docs/beleidsinfo.md)",
            responses={200: {"content": {"text/csv": {}}}})
async def cbs_export(request: Request, auth: Auth, naam: str, van: Van = None, tot: Tot = None,
                     periode: PeriodeQ = "kwartaal") -> Response:
    """The figures the municipality reports to the Monitor Sociaal Domein / Beleidsinformatie Jeugd: one row per
    period and kolom (and the whole domain), semicolon-separated, the count of households."""
    auth.require_scope(COMPONENT, SCOPE_LEZEN)
    if naam not in CBS_INDICATOREN:
        raise ValidatieFout.single("naam", "invalid_choice", f"Kies uit {', '.join(CBS_INDICATOREN)}.")
    ctx = _context(request)
    vraag = _vraag(ctx, van, tot, periode)
    async with request.app.state.db.transaction() as session:
        cellen = await bereken(session, INDICATOREN[naam], vraag)
    grenzen = {label: (begin, eind) for label, begin, eind in perioden(vraag.van, vraag.tot, vraag.periode)}
    veld = INDICATOREN[naam].velden[0]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(CBS_KOPPEN)
    for cel in cellen:
        # Per kolom and the whole domain: the monitor knows no clusters.
        if (cel.plaats["kolom"] == ALLE) != (cel.plaats["cluster"] == ALLE) or not _mag_zien(auth, cel, ctx.indeling):
            continue
        begin, eind = grenzen[cel.plaats["periode"]]
        writer.writerow([ctx.settings.gemeentecode or "", naam, cel.plaats["periode"], begin.isoformat(),
                         eind.isoformat(), CBS_KOLOMMEN[cel.plaats["kolom"]],
                         "" if cel.onderdrukt else cel.waarden[veld], int(cel.onderdrukt)])
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": f'attachment; filename="cbs-{naam}.csv"'})


@router.get("/clusterindeling", summary="Does the clustering fit? The active profile beside shipped ones")
async def clusterindeling_route(request: Request, auth: Auth, van: Van = None, tot: Tot = None,
                                profiel: Annotated[list[str] | None, Query(
                                    description="a shipped profile to compare with (repeatable)")] = None,
                                ) -> dict[str, Any]:
    auth.require_scope(COMPONENT, SCOPE_LEZEN)
    onbekend = [{"name": f"profiel.{i}", "code": "invalid_choice", "reason": f"Kies uit {', '.join(SHIPPED)}."}
                for i, naam in enumerate(profiel or []) if naam not in SHIPPED]
    if onbekend:
        raise ValidatieFout(onbekend)
    return await _vergelijk(request, van, tot, [indeling_van(load_profile(naam)) for naam in profiel or []])


@router.post("/clusterindeling", summary="Does the clustering fit? The active profile beside a profile of your own",
             openapi_extra={"requestBody": {"required": True, "description": "an archetype profile (YAML or JSON)",
                                            "content": {"application/yaml": {"schema": {"type": "string"}},
                                                        "application/json": {"schema": {"type": "object"}}}}})
async def clusterindeling_eigen_profiel(request: Request, auth: Auth, van: Van = None,
                                        tot: Tot = None) -> dict[str, Any]:
    auth.require_scope(COMPONENT, SCOPE_LEZEN)
    try:
        tekst = (await request.body()).decode()
        profile = parse_profile_text(tekst, source="profiel")
    except UnicodeDecodeError as exc:
        raise ValidatieFout.single("profiel", "invalid", "Het profiel is geen UTF-8-tekst.") from exc
    except ProfileError as exc:
        raise ValidatieFout([{"name": f"profiel.{p.path}" if p.path else "profiel", "code": "invalid",
                              "reason": p.message} for p in exc.problems],
                            detail="Het profiel valideert niet.") from exc
    return await _vergelijk(request, van, tot, [indeling_van(profile)])


async def _vergelijk(request: Request, van: date | None, tot: date | None,
                     andere: list[Indeling]) -> dict[str, Any]:
    ctx = _context(request)
    vraag = _vraag(ctx, van, tot, "geheel")
    async with request.app.state.db.transaction() as session:
        results = await clusterindeling(session, vraag, [ctx.indeling, *andere])
    return {"van": vraag.van.isoformat(), "tot": vraag.tot.isoformat(), "minimumCel": vraag.minimum,
            "results": results}
