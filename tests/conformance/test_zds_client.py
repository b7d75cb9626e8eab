"""VNG's own Python client (gemma-zds-client 2.0.0, unchanged) drives one zaak flow through the gateway:
catalogus, a published zaaktype with statustypen, resultaattype and roltype, a zaak, its statuses and its
resultaat, until the zaak is closed. Configured as its documentation says: ``Client(api_root,
oas_location=..., auth=ClientAuth(client_id, secret))``, the schema where Open Zaak serves it,
``{prefix}/schema/openapi.yaml``. The client reads OpenAPI 3.0.x only, finds each operation by the ZGW
standard's operationId (``zaak_create``, ``zaaktype_publish``) and joins the paths onto ``api_root``: what
the suite's documents must be for these steps to pass.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests
from zds_client import Client, ClientAuth

from tests.conformance.run import CLIENT_ID, CLIENT_SECRET, REFERENTIELIJSTEN, suite_up


@pytest.fixture(scope="module")
def gateway() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="sds-zds-client-") as tmp, suite_up(Path(tmp)) as url:
        yield url


@pytest.fixture(scope="module")
def auth() -> ClientAuth:
    return ClientAuth(client_id=CLIENT_ID, secret=CLIENT_SECRET, user_id="medewerker-1",
                      user_representation="Medewerker Eén")


@pytest.fixture(scope="module")
def ztc(gateway: str, auth: ClientAuth) -> Client:
    return Client(f"{gateway}/catalogi/api/v1/", oas_location="schema/openapi.yaml", auth=auth)


@pytest.fixture(scope="module")
def zrc(gateway: str, auth: ClientAuth) -> Client:
    return Client(f"{gateway}/zaken/api/v1/", oas_location="schema/openapi.yaml", auth=auth)


# What the steps made, for the steps after them.
made: dict[str, Any] = {}


def _selectielijst() -> dict[str, str]:
    resultaat = next(r for r in json.loads((REFERENTIELIJSTEN / "resultaten.json").read_text())["results"]
                     if r["procestermijn"] == "nihil")
    omschrijving = json.loads((REFERENTIELIJSTEN / "resultaattypeomschrijvingen.json").read_text())[0]
    return {"procestype": resultaat["procesType"], "klasse": resultaat["url"], "omschrijving": omschrijving["url"]}


def test_the_clients_jwt_zgw_token_is_accepted_by_the_gateway(gateway: str, auth: ClientAuth) -> None:
    answer = requests.get(f"{gateway}/zaken/api/v1/zaken", headers=auth.credentials(), timeout=10)
    assert answer.status_code == 200, answer.text
    wrong = ClientAuth(client_id=CLIENT_ID, secret="not-the-secret-of-this-client-0123456789")
    assert requests.get(f"{gateway}/zaken/api/v1/zaken", headers=wrong.credentials(), timeout=10).status_code \
        in (401, 403)


def test_the_client_reads_the_schemas(ztc: Client, zrc: Client) -> None:
    ztc.fetch_schema()
    zrc.fetch_schema()
    assert ztc.schema["paths"] and zrc.schema["paths"]


def test_a_catalogus(ztc: Client) -> None:
    ztc.fetch_schema()
    catalogus = ztc.create("catalogus", {"domein": "SDSZC", "rsin": "000000000",
                                          "contactpersoonBeheerNaam": "Beheerder Sociaal Domein"})
    assert catalogus["url"].startswith(ztc.api_root)
    made["catalogus"] = catalogus["url"]


def test_a_zaaktype_with_its_types_published(ztc: Client) -> None:
    ztc.fetch_schema()
    lijst = _selectielijst()
    zaaktype = ztc.create("zaaktype", {
        "identificatie": "ZDS-CLIENT-1", "omschrijving": "Wmo-maatwerkvoorziening (client)",
        "vertrouwelijkheidaanduiding": "vertrouwelijk", "doel": "Ondersteuning bieden",
        "aanleiding": "Een aanvraag", "indicatieInternOfExtern": "extern", "handelingInitiator": "aanvragen",
        "onderwerp": "Wmo-voorziening", "handelingBehandelaar": "beoordelen", "doorlooptijd": "P56D",
        "opschortingEnAanhoudingMogelijk": True, "verlengingMogelijk": True, "verlengingstermijn": "P14D",
        "publicatieIndicatie": False, "productenOfDiensten": ["https://example.org/wmo/maatwerk"],
        "selectielijstProcestype": lijst["procestype"], "referentieproces": {"naam": "Wmo", "link": ""},
        "catalogus": made["catalogus"], "besluittypen": [], "gerelateerdeZaaktypen": [],
        "beginGeldigheid": "2026-01-01", "versiedatum": "2026-01-01", "verantwoordelijke": "Team Wmo"})
    made["zaaktype"] = zaaktype["url"]
    made["begin"] = ztc.create("statustype", {"zaaktype": zaaktype["url"], "omschrijving": "Ontvangen",
                                              "volgnummer": 1})["url"]
    made["eind"] = ztc.create("statustype", {"zaaktype": zaaktype["url"], "omschrijving": "Afgehandeld",
                                             "volgnummer": 2})["url"]
    made["resultaattype"] = ztc.create("resultaattype", {
        "zaaktype": zaaktype["url"], "omschrijving": "Toegekend", "resultaattypeomschrijving": lijst["omschrijving"],
        "selectielijstklasse": lijst["klasse"],
        "brondatumArchiefprocedure": {"afleidingswijze": "afgehandeld", "procestermijn": None, "datumkenmerk": "",
                                      "einddatumBekend": False, "objecttype": "", "registratie": ""}})["url"]
    ztc.create("roltype", {"zaaktype": zaaktype["url"], "omschrijving": "Aanvrager",
                           "omschrijvingGeneriek": "initiator"})
    published = ztc.operation("zaaktype_publish", {}, uuid=zaaktype["url"].rstrip("/").rsplit("/", 1)[1])
    assert published["concept"] is False


def test_a_zaak_its_status_and_resultaat_until_closed(zrc: Client) -> None:
    zrc.fetch_schema()
    zaak = zrc.create("zaak", {"bronorganisatie": "000000000", "verantwoordelijkeOrganisatie": "000000000",
                               "zaaktype": made["zaaktype"], "omschrijving": "Maatwerkvoorziening",
                               "startdatum": "2026-12-01", "vertrouwelijkheidaanduiding": "vertrouwelijk"})
    now = datetime.now(UTC).isoformat()
    zrc.create("status", {"zaak": zaak["url"], "statustype": made["begin"], "datumStatusGezet": now})
    zrc.create("resultaat", {"zaak": zaak["url"], "resultaattype": made["resultaattype"]})
    zrc.create("status", {"zaak": zaak["url"], "statustype": made["eind"],
                          "datumStatusGezet": datetime.now(UTC).isoformat()})
    closed = zrc.retrieve("zaak", url=zaak["url"])
    assert closed["einddatum"] is not None and closed["resultaat"]


def test_the_autorisaties_api_read_by_the_client(gateway: str, auth: ClientAuth) -> None:
    ac = Client(f"{gateway}/autorisaties/api/v1/", oas_location="schema/openapi.yaml", auth=auth)
    ac.fetch_schema()
    created = ac.create("applicatie", {"clientIds": ["zds-client-lezer"], "label": "Lezer",
                                       "heeftAlleAutorisaties": True})
    assert created["url"].startswith(ac.api_root)
    applicaties = ac.list("applicatie", query_params={"clientIds": "zds-client-lezer"})
    assert [a["url"] for a in applicaties["results"]] == [created["url"]]
