"""The dashboard at ``/beleidsinfo/``: charts and tables of every indicator, for a policy officer.

Served entirely by this service: the page, its script and stylesheet (``static/``), and plotly's own
``plotly.min.js`` from the plotly wheel, so it works without internet. The page holds no figures; its
script asks the Beleidsinfo API with the user's JWT-ZGW token (pasted, or signed in the browser from a
client id and secret with WebCrypto — the secret never leaves the browser) and shows what the API
answers, suppressed cells as "< 5".
"""

from __future__ import annotations

from pathlib import Path

import plotly
from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from sds.profiles import SHIPPED
from services.beleidsinfo.indicatoren import INDICATOREN

router = APIRouter(include_in_schema=False)

OWN = Path(__file__).parent / "static"
FILES = {
    "dashboard.js": (OWN / "dashboard.js", "text/javascript"),
    "dashboard.css": (OWN / "dashboard.css", "text/css"),
    "plotly.min.js": (Path(plotly.__file__).parent / "package_data" / "plotly.min.js", "text/javascript"),
}


@router.get("/beleidsinfo/")
async def dashboard(request: Request) -> HTMLResponse:
    ctx = request.app.state.beleidsinfo
    kolom_opties = "".join(f'<option value="{k}">{k}</option>' for k in ("wmo", "jeugd", "participatie", "schuldhulp"))
    cluster_opties = "".join(f'<option value="{c}">{c}</option>' for c in ctx.indeling.clusters)
    secties = "".join(
        f'<section class="indicator" id="sectie-{i.naam}" data-indicator="{i.naam}"><h2>{i.naam}</h2>'
        f'<p class="omschrijving">{i.omschrijving}</p><div class="grafiek" id="grafiek-{i.naam}"></div>'
        f'<table class="tabel" id="tabel-{i.naam}"></table></section>' for i in INDICATOREN.values())
    return HTMLResponse(f"""<!doctype html>
<html lang="nl">
<head><meta charset="utf-8"><title>Beleidsinformatie sociaal domein</title>
<link rel="stylesheet" href="/beleidsinfo/static/dashboard.css"></head>
<body data-profiel="{ctx.indeling.naam}" data-minimum="{ctx.settings.minimum_cel}"
      data-profielen="{" ".join(p for p in SHIPPED if p != ctx.indeling.naam)}">
<h1>Beleidsinformatie sociaal domein</h1>
<p>Profiel <strong>{ctx.indeling.naam}</strong>. Alleen totalen: een cel van minder dan {ctx.settings.minimum_cel}
huishoudens staat er als &lt; {ctx.settings.minimum_cel}, en waar een totaal hem zou verraden ook een tweede.</p>
<form id="toegang">
  <fieldset><legend>Toegang (JWT-ZGW)</legend>
  <label>Token <input name="token" id="token" size="40" autocomplete="off"></label>
  <span>of</span>
  <label>client id <input name="client_id" id="client-id" autocomplete="off"></label>
  <label>secret <input name="secret" id="secret" type="password" autocomplete="off"></label>
  </fieldset>
  <fieldset><legend>Selectie</legend>
  <label>van <input type="date" name="van" id="van"></label>
  <label>tot <input type="date" name="tot" id="tot"></label>
  <label>per <select name="periode" id="periode"><option>maand</option><option>kwartaal</option>
  <option>jaar</option><option>geheel</option></select></label>
  <label>kolom <select name="kolom" id="kolom"><option value="">alle</option>{kolom_opties}</select></label>
  <label>cluster <select name="cluster" id="cluster"><option value="">alle</option>{cluster_opties}</select></label>
  <button type="submit" id="tonen">Tonen</button>
  </fieldset>
</form>
<p id="melding" role="status"></p>
<main>{secties}
<section class="indicator" id="sectie-financien"><h2>Verplichtingen en realisatie per kolom</h2>
<p class="omschrijving">Wat de toewijzingen verplichten en wat er gedeclareerd werd (goedgekeurd en afgekeurd),
per kolom over de hele gekozen periode, in eurocent. Het budget zelf staat in financiën
(<code>/financien/api/v1/budgetmonitor</code>) en hier zodra financiën een drempel meldde.</p>
<div class="grafiek" id="grafiek-financien"></div>
<table class="tabel" id="tabel-financien"></table></section>
<section class="indicator" id="sectie-clusterindeling"><h2>Past de clustering?</h2>
<p class="omschrijving">Van de huishoudens met zaken in meer kolommen: hoeveel vallen in meer clusters, onder
het actieve profiel en de andere meegeleverde profielen.</p>
<table class="tabel" id="tabel-clusterindeling"></table></section>
</main>
<script src="/beleidsinfo/static/plotly.min.js"></script>
<script src="/beleidsinfo/static/dashboard.js"></script>
</body>
</html>
""")


@router.get("/beleidsinfo/static/{name}")
async def static(name: str) -> Response:
    if name not in FILES:
        return Response(status_code=404)
    path, media_type = FILES[name]
    return FileResponse(path, media_type=media_type, headers={"cache-control": "public, max-age=3600"})
