"""A standard ZGW client through the gateway: registered through the Autorisaties API with ``zaken.lezen``
(and ``audittrails.lezen``) for one zaaktype up to ``intern``, it sees exactly those zaken — in lists (filtered,
not refused), ``_zoek``, details and the audittrail — in front of the real zaken service."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from gateway.app import create_app as create_gateway
from sds.runtime.db import create_engine
from sds.runtime.jwt_zgw import encode_jwt_zgw
from services.zaken.app import create_app as create_zaken
from services.zaken.seed_catalogus import DEFAULT_RSIN
from services.zaken.seed_catalogus import run as seed_catalogus
from services.zaken.settings import ZakenSettings
from tests.gateway.conftest import INTERNAL_SECRET, bearer, gateway_settings
from tests.support.databases import fresh_database_url
from tests.support.servers import listening_socket, serve

ZAKEN = "/zaken/api/v1"
SECRET = "zaaktype-lezer-secret-0123456789-abcdef"


@dataclass
class Suite:
    client: httpx.Client
    zaaktypen: dict[str, str]

    def zaak(self, zaaktype: str, vertrouwelijkheid: str) -> dict[str, Any]:
        r = self.client.post(f"{ZAKEN}/zaken", headers=bearer(), json={
            "bronorganisatie": DEFAULT_RSIN, "verantwoordelijkeOrganisatie": DEFAULT_RSIN,
            "zaaktype": self.zaaktypen[zaaktype], "startdatum": "2026-11-01",
            "vertrouwelijkheidaanduiding": vertrouwelijkheid})
        assert r.status_code == 201, r.text
        return r.json()  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def suite(tmp_path_factory: pytest.TempPathFactory, upstream_url: str) -> Iterator[Suite]:
    tmp_path: Path = tmp_path_factory.mktemp("zaken-per-zaaktype")
    gateway_socket, zaken_socket = listening_socket(), listening_socket()
    public = f"http://127.0.0.1:{gateway_socket.getsockname()[1]}"
    loop = asyncio.new_event_loop()
    database = fresh_database_url(tmp_path, "zaakt")
    try:
        url = loop.run_until_complete(database.__aenter__())
        zaken = create_zaken(ZakenSettings(env="test", database_url=url, public_base_url=public,
                                           internal_secret=INTERNAL_SECRET, nats_url="nats://127.0.0.1:1",
                                           pseudoniem_sleutel="zaaktype-pseudoniem-sleutel-0123456789"))

        async def schema() -> dict[str, str]:
            engine = create_engine(url)
            async with engine.begin() as conn:
                await conn.run_sync(zaken.state.metadata.create_all)
            await engine.dispose()
            return await seed_catalogus(url, public, DEFAULT_RSIN)

        zaaktypen = loop.run_until_complete(schema())
        with serve(zaken, zaken_socket) as zaken_url:
            settings = gateway_settings(upstream_url, upstream_zaken=zaken_url, public_base_url=public,
                                        rate_limit_per_second=0)
            with serve(create_gateway(settings), gateway_socket), \
                    httpx.Client(base_url=public, timeout=30, trust_env=False) as client:
                yield Suite(client, zaaktypen)
    finally:
        loop.run_until_complete(database.__aexit__(None, None, None))
        loop.close()


def test_one_zaaktype_up_to_intern_sees_only_those_zaken(suite: Suite) -> None:
    visible = [suite.zaak("WMO-HBH", "openbaar"), suite.zaak("WMO-HBH", "intern")]
    hidden = [suite.zaak("WMO-HBH", "vertrouwelijk"), suite.zaak("WMO-HBH", "geheim"),
              suite.zaak("JW-AMB", "openbaar"), suite.zaak("WMO-BEG", "intern")]
    registered = suite.client.post("/autorisaties/api/v1/applicaties", headers=bearer(), json={
        "clientIds": ["hbh-lezer"], "label": "Huishoudelijke hulp, lezen", "secret": SECRET,
        "autorisaties": [{"component": "zrc", "componentWeergave": "Zaakregistratiecomponent",
                          "scopes": ["zaken.lezen", "audittrails.lezen"], "zaaktype": suite.zaaktypen["WMO-HBH"],
                          "maxVertrouwelijkheidaanduiding": "intern"}]})
    assert registered.status_code == 201, registered.text
    own = {"authorization": f"Bearer {encode_jwt_zgw('hbh-lezer', SECRET, user_id='m1')}"}
    expected = sorted(z["url"] for z in visible)

    # Lists are filtered inside the query: every page, counts included.
    for size in (1, 100):
        seen, url = [], f"{ZAKEN}/zaken?pageSize={size}"
        while url:
            page = suite.client.get(url, headers=own)
            assert page.status_code == 200, page.text
            assert page.json()["count"] == 2
            seen += [z["url"] for z in page.json()["results"]]
            url = page.json()["next"]
        assert sorted(seen) == expected
    other = suite.client.get(f"{ZAKEN}/zaken", headers=own, params={"zaaktype": suite.zaaktypen["JW-AMB"]})
    assert other.status_code == 200 and other.json()["count"] == 0

    zoek = suite.client.post(f"{ZAKEN}/zaken/_zoek", headers=own,
                             json={"uuid__in": [z["uuid"] for z in visible + hidden]})
    assert zoek.status_code == 200, zoek.text
    assert sorted(z["url"] for z in zoek.json()["results"]) == expected

    # Details and audittrails: the visible ones, nothing of the others.
    for zaak in visible:
        assert suite.client.get(zaak["url"], headers=own).status_code == 200
        trail = suite.client.get(f"{zaak['url']}/audittrail", headers=own)
        assert trail.status_code == 200 and trail.json()[0]["resourceUrl"] == zaak["url"]
    for zaak in hidden:
        # A detail outside the grants is 403, as the Zaken API answers (a list leaves it out).
        for url in (zaak["url"], f"{zaak['url']}/audittrail"):
            r = suite.client.get(url, headers=own)
            assert r.status_code == 403 and r.json()["code"] == "permission_denied", url

    # Only lezen: no write, not even on a visible zaak.
    r = suite.client.patch(visible[0]["url"], headers=own, json={"omschrijving": "x"})
    assert r.status_code == 403 and r.json()["code"] == "permission_denied"

    # With zaken.lezen alone the audittrail is refused (a scope it lacks); its list stays filtered.
    suite.client.patch(registered.json()["url"], headers=bearer(), json={"autorisaties": [
        {**registered.json()["autorisaties"][0], "scopes": ["zaken.lezen"]}]})
    assert suite.client.get(f"{visible[0]['url']}/audittrail", headers=own).status_code == 403
    assert suite.client.get(f"{ZAKEN}/zaken", headers=own).json()["count"] == 2
