"""The gateway's landing page at ``/``: what runs and how it is, the active archetype, where each API's
contract is, and (on the embedded default only) the development client to make a token with.

Rendered on the server from what the gateway already knows — the health of its upstreams
(gateway.health), the profile and its explanation (sds.profiles.explain, the text of
``sds profile explain``), the routed APIs — so the page needs no script and nothing from outside.
"""

from __future__ import annotations

import html
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from gateway.health import suite_parts
from gateway.routing import SEGMENTS
from sds.profiles import explain
from sds.runtime.apidocs import schema_paths
from sds.runtime.jwt_zgw import ALGORITHM
from sds.runtime.settings import DEV_BOOTSTRAP_SECRET

router = APIRouter(include_in_schema=False)

API_TITLES = {
    "intake": "Intake API (aanvragen, signalen, triage)",
    "zaken": "Zaken API (ZGW)",
    "catalogi": "Catalogi API (ZGW)",
    "besluiten": "Besluiten API (ZGW)",
    "documenten": "Documenten API (ZGW)",
    "klantgegevens": "Klantgegevens API (personen, huishoudens)",
    "financien": "Financiën API",
    "beleidsinfo": "Beleidsinformatie API",
    "notificaties": "Notificaties API (ZGW)",
    "autorisaties": "Autorisaties API (ZGW)",
}

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #1a1a1a; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: .3rem .6rem; }
tr:nth-child(even) { background: #f4f4f4; } .ok { color: #11692c; } .down { color: #a31515; font-weight: bold; }
pre { background: #f4f4f4; padding: 1rem; overflow-x: auto; font-size: .85rem; } code { background: #f4f4f4; }
"""


@router.get("/")
async def landing(request: Request) -> HTMLResponse:
    state = request.app.state
    parts = await suite_parts(state)
    sections = [_health_section(parts), _archetype_section(state.profile), _apis_section(request),
                _development_client_section(state.settings)]
    body = "\n".join(s for s in sections if s)
    return HTMLResponse(f"""<!doctype html>
<html lang="nl">
<head><meta charset="utf-8"><title>Sociaal Domein Suite</title><style>{STYLE}</style></head>
<body>
<h1>Sociaal Domein Suite</h1>
{body}
</body>
</html>
""")


def _health_section(parts: dict[str, dict[str, Any]]) -> str:
    rows = []
    for name, part in parts.items():
        ok = part["status"] == "ok"
        detail = part.get("error") or ", ".join(f"{k}: {v}" for k, v in part.get("checks", {}).items())
        rows.append(f'<tr data-part="{html.escape(name)}"><td>{html.escape(name)}</td>'
                    f'<td class="{"ok" if ok else "down"}" data-status="{html.escape(part["status"])}">'
                    f'{"in orde" if ok else "niet beschikbaar"}</td><td>{html.escape(detail)}</td>'
                    f'<td>{html.escape(part["url"])}</td></tr>')
    return ('<h2 id="onderdelen">Wat draait</h2>\n<table><tr><th>Onderdeel</th><th>Toestand</th><th>Details</th>'
            f'<th>Adres</th></tr>{"".join(rows)}</table>\n<p>Als JSON: <a href="/health">/health</a></p>')


def _archetype_section(profile: Any) -> str:
    if profile is None:
        return ('<h2 id="archetype">Archetype</h2>\n<p id="archetype-naam">Geen archetype actief: elk verzoek gaat '
                "naar de standaardinstantie van zijn dienst.</p>")
    return (f'<h2 id="archetype">Archetype: <span id="archetype-naam">{html.escape(profile.archetype)}</span></h2>\n'
            f'<pre id="archetype-uitleg">{html.escape(explain(profile))}</pre>')


def _apis_section(request: Request) -> str:
    served = {getattr(route, "path", "") for route in request.app.router.routes}
    prefixes = [(segment, f"/{segment}/api/v1") for segment in SEGMENTS]
    if "/autorisaties/api/v1/openapi.json" in served:
        prefixes.append(("autorisaties", "/autorisaties/api/v1"))
    rows = []
    for segment, prefix in prefixes:
        json_doc, page, yaml_doc = schema_paths(prefix)[:3]
        rows.append(f'<tr data-api="{segment}"><td>{html.escape(API_TITLES[segment])}</td>'
                    f'<td><code>{prefix}</code></td><td><a class="docs" href="{page}">documentatie</a></td>'
                    f'<td><a class="openapi-json" href="{json_doc}">openapi.json</a></td>'
                    f'<td><a class="openapi-yaml" href="{yaml_doc}">openapi.yaml</a></td></tr>')
    return ('<h2 id="apis">API\'s</h2>\n<table><tr><th>API</th><th>Pad</th><th>Leesbaar</th>'
            f'<th colspan="2">OpenAPI</th></tr>{"".join(rows)}</table>\n'
            "<p>Elke aanroep (behalve deze pagina, de contracten en /health) vraagt een "
            f'JWT-ZGW-token ({ALGORITHM}, ondertekend met het secret van de client).</p>')


def _development_client_section(settings: Any) -> str:
    # Only the published development client of the embedded default is shown; a secret of the operator's own never.
    if settings.env != "dev" or settings.bootstrap_secret != DEV_BOOTSTRAP_SECRET:
        return ""
    claims = ('{"iss": CLIENT_ID, "client_id": CLIENT_ID, "iat": nu, "user_id": "dev", '
              '"user_representation": "Developer"}')
    client_id = html.escape(settings.bootstrap_client_id)
    secret = html.escape(settings.bootstrap_secret)
    return ('<h2 id="ontwikkelclient">Ontwikkelclient</h2>\n<p>Alleen voor de ingebouwde standaard (SQLite en de '
            "eigen nats-server); nooit in productie.</p>\n<table>"
            f'<tr><th>client id</th><td><code id="client-id">{client_id}</code></td></tr>'
            f'<tr><th>secret</th><td><code id="client-secret">{secret}</code></td></tr>'
            f"</table>\n<p>Een token: de claims <code>{html.escape(claims)}</code>, {ALGORITHM}-ondertekend met het "
            "secret; de README geeft de regel die het maakt.</p>")
