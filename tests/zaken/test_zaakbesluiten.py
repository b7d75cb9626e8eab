"""Zaakbesluiten (Zaken API 1.5.1): the Besluiten API registers a besluit with its zaak and removes it; clients
read them under /zaken/{uuid}/besluiten, within what their applicatie may see."""

from __future__ import annotations

from typing import Any

from sds.runtime.auth import Autorisatie
from tests.zaken.conftest import ZAKEN, Suite, client_ctx, headers

BESLUIT = "https://besluiten.example.nl/besluiten/api/v1/besluiten/7d2a0c1e-0000-4000-8000-000000000001"


def _codes(response: Any) -> list[tuple[str, str]]:
    return [(p["name"], p["code"]) for p in response.json().get("invalidParams", [])]


async def test_the_besluiten_api_registers_and_removes_a_besluit_of_a_zaak(suite: Suite) -> None:
    zaak = await suite.open_zaak()
    path = f"{zaak['url']}/besluiten"
    assert (await suite.get_json(path)) == []
    r = await suite.client.post(path, json={"besluit": BESLUIT}, headers=headers())
    assert r.status_code == 201, r.text
    zaakbesluit = r.json()
    assert zaakbesluit["besluit"] == BESLUIT and r.headers["Location"] == zaakbesluit["url"]
    assert zaakbesluit["url"] == f"{path}/{zaakbesluit['uuid']}"
    assert await suite.get_json(path) == [zaakbesluit]
    assert await suite.get_json(zaakbesluit["url"]) == zaakbesluit
    # A besluit is registered with a zaak once.
    r = await suite.client.post(path, json={"besluit": BESLUIT}, headers=headers())
    assert r.status_code == 400 and _codes(r) == [("besluit", "unique")]
    r = await suite.client.post(path, json={}, headers=headers())
    assert r.status_code == 400 and _codes(r) == [("besluit", "required")]
    r = await suite.client.post(f"{ZAKEN}/zaken/00000000-0000-4000-8000-000000000000/besluiten",
                                json={"besluit": BESLUIT}, headers=headers())
    assert r.status_code == 400 and _codes(r) == [("zaak", "bad-url")]
    trail = await suite.get_json(f"{zaak['url']}/audittrail")
    assert [(t["resource"], t["actie"]) for t in trail if t["resource"] == "zaakbesluit"] == [("zaakbesluit", "create")]

    r = await suite.client.delete(zaakbesluit["url"], headers=headers())
    assert r.status_code == 204
    assert await suite.get_json(path) == []
    assert (await suite.client.get(zaakbesluit["url"], headers=headers())).status_code == 404


async def test_zaakbesluiten_are_read_and_written_within_the_applicaties_reach(suite: Suite) -> None:
    hbh, jeugd = await suite.open_zaak("WMO-HBH"), await suite.open_zaak("JW-AMB")
    for zaak in (hbh, jeugd):
        r = await suite.client.post(f"{zaak['url']}/besluiten", json={"besluit": BESLUIT}, headers=headers())
        assert r.status_code == 201, r.text
    lezer = client_ctx("hbh-lezer", Autorisatie(component="zrc", zaaktype=suite.zaaktypen["WMO-HBH"],
                                                scopes=["zaken.lezen"], max_vertrouwelijkheidaanduiding="geheim"))
    r = await suite.client.get(f"{hbh['url']}/besluiten", headers=headers(lezer))
    assert r.status_code == 200 and [b["besluit"] for b in r.json()] == [BESLUIT]
    # Another zaaktype's zaak and its besluiten are outside this applicatie's autorisaties: 403.
    assert (await suite.client.get(f"{jeugd['url']}/besluiten", headers=headers(lezer))).status_code == 403
    detail = (await suite.get_json(f"{jeugd['url']}/besluiten"))[0]["url"]
    assert (await suite.client.get(detail, headers=headers(lezer))).status_code == 403
    # Reading is not writing.
    r = await suite.client.post(f"{hbh['url']}/besluiten", json={"besluit": BESLUIT + "0"}, headers=headers(lezer))
    assert r.status_code == 403
    r = await suite.client.delete((await suite.get_json(f"{hbh['url']}/besluiten"))[0]["url"], headers=headers(lezer))
    assert r.status_code == 403
    assert len(await suite.get_json(f"{hbh['url']}/besluiten")) == 1
