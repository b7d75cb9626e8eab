"""Authorisation of the Besluiten API: grants of component ``brc`` per besluittype. Lists are filtered in the
query (so counts and pages hold), a besluit outside the grants is 403, as ZGW answers, and so is a write."""

from __future__ import annotations

import httpx
import pytest

from sds.runtime.auth import AuthContext, Autorisatie
from services.zaken.settings import ZakenSettings
from services.zaken.zaken.documenten import Documenten
from tests.zaken.conftest import Suite, client_ctx, headers
from tests.zaken.test_besluiten import BRC, beschikking, besluit, post_besluit
from tests.zaken.test_zaken_informatieobjecten import DRC, SECRET, FakeDrc

ALLE = ["besluiten.lezen", "besluiten.aanmaken", "besluiten.bijwerken", "besluiten.verwijderen", "audittrails.lezen"]


def brc(besluittype: str, *scopes: str) -> Autorisatie:
    return Autorisatie(component="brc", scopes=list(scopes or ALLE), besluittype=besluittype)


async def _status(suite: Suite, method: str, url: str, ctx: AuthContext, **kwargs: object) -> int:
    return (await suite.client.request(method, url, headers=headers(ctx), **kwargs)).status_code  # type: ignore[arg-type]


async def test_a_grant_per_besluittype_sees_and_changes_only_those_besluiten(suite: Suite) -> None:
    wmo, jeugd = await beschikking(suite), await beschikking(suite, "JW-AMB")
    mine = [await besluit(suite, wmo, identificatie=f"WMO-{i}") for i in range(3)]
    theirs = await besluit(suite, jeugd, identificatie="JW-1")
    wmo_team = client_ctx("wmo-team", brc(wmo))

    page = await suite.get_json(f"{BRC}/besluiten?pageSize=2", wmo_team)
    assert page["count"] == 3 and [b["url"] for b in page["results"]] == [mine[0]["url"], mine[1]["url"]]
    assert (await suite.get_json(f"{BRC}/besluiten?besluittype={jeugd}", wmo_team))["count"] == 0
    assert (await suite.get_json(mine[0]["url"], wmo_team))["identificatie"] == "WMO-0"
    # Outside the grant: 403 for the detail, its audittrail and every write; nothing changed.
    assert await _status(suite, "GET", theirs["url"], wmo_team) == 403
    assert await _status(suite, "GET", f"{theirs['url']}/audittrail", wmo_team) == 403
    assert await _status(suite, "PATCH", theirs["url"], wmo_team, json={"toelichting": "x"}) == 403
    assert await _status(suite, "PUT", theirs["url"], wmo_team, json=theirs) == 403
    assert await _status(suite, "DELETE", theirs["url"], wmo_team) == 403
    assert (await post_besluit(suite, jeugd, wmo_team)).status_code == 403
    assert await suite.get_json(theirs["url"]) == theirs
    # Inside it: every action.
    assert (await post_besluit(suite, wmo, wmo_team)).status_code == 201
    assert await _status(suite, "PATCH", mine[0]["url"], wmo_team, json={"toelichting": "x"}) == 200
    assert await _status(suite, "GET", f"{mine[0]['url']}/audittrail", wmo_team) == 200
    assert await _status(suite, "DELETE", mine[1]["url"], wmo_team) == 204
    # A besluit that does not exist is 404, for every client.
    assert await _status(suite, "GET", f"{BRC}/besluiten/00000000-0000-4000-8000-000000000000", wmo_team) == 404


async def test_each_action_needs_its_own_scope(suite: Suite) -> None:
    wmo = await beschikking(suite)
    created = await besluit(suite, wmo)
    lezer = client_ctx("lezer", brc(wmo, "besluiten.lezen"))
    assert (await suite.get_json(created["url"], lezer))["url"] == created["url"]
    assert (await post_besluit(suite, wmo, lezer)).status_code == 403
    assert await _status(suite, "PATCH", created["url"], lezer, json={"toelichting": "x"}) == 403
    assert await _status(suite, "DELETE", created["url"], lezer) == 403
    assert await _status(suite, "GET", f"{created['url']}/audittrail", lezer) == 403
    # Zaken rights are not besluiten rights, nor are rights on another component.
    zaken_only = client_ctx("zaken", Autorisatie(component="zrc", scopes=["zaken.lezen"],
                                                 max_vertrouwelijkheidaanduiding="zeer_geheim"))
    assert await _status(suite, "GET", f"{BRC}/besluiten", zaken_only) == 403
    assert await _status(suite, "GET", created["url"], zaken_only) == 403
    # A grant on a besluittype URL that is not one of this catalogue's covers nothing.
    elders = client_ctx("elders", brc("https://elders.example/catalogi/api/v1/besluittypen/1"))
    assert (await suite.get_json(f"{BRC}/besluiten", elders))["count"] == 0
    assert await _status(suite, "GET", created["url"], elders) == 403


@pytest.fixture
async def drc(suite: Suite) -> FakeDrc:
    fake = FakeDrc()
    settings = ZakenSettings(env="dev", documenten_apis=[DRC], documenten_secret=SECRET)
    suite.app.state.documenten = Documenten(settings, transport=httpx.MockTransport(fake.handler))
    return fake


async def test_besluitinformatieobjecten_follow_the_grants_of_their_besluit(suite: Suite, drc: FakeDrc) -> None:
    wmo, jeugd = await beschikking(suite), await beschikking(suite, "JW-AMB")
    bios = {}
    for name, besluittype in (("wmo", wmo), ("jeugd", jeugd)):
        created = await besluit(suite, besluittype)
        iotype = (await suite.get_json(besluittype))["informatieobjecttypen"][0]
        doc = drc.add(f"6a1b2c3d-0000-4000-8000-0000000{'0c01' if name == 'wmo' else '0c02'}", iotype)
        r = await suite.client.post(f"{BRC}/besluitinformatieobjecten", headers=headers(),
                                    json={"besluit": created["url"], "informatieobject": doc})
        assert r.status_code == 201, r.text
        bios[name] = (created, doc, r.json())
    wmo_team = client_ctx("wmo-team", brc(wmo))
    assert await suite.get_json(f"{BRC}/besluitinformatieobjecten", wmo_team) == [bios["wmo"][2]]
    jeugd_besluit, jeugd_doc, jeugd_bio = bios["jeugd"]
    assert await _status(suite, "GET", jeugd_bio["url"], wmo_team) == 403
    assert await _status(suite, "DELETE", jeugd_bio["url"], wmo_team) == 403
    second = drc.add("6a1b2c3d-0000-4000-8000-000000000c03", (await suite.get_json(jeugd))["informatieobjecttypen"][0])
    r = await suite.client.post(f"{BRC}/besluitinformatieobjecten", headers=headers(wmo_team),
                                json={"besluit": jeugd_besluit["url"], "informatieobject": second})
    assert r.status_code == 403
    assert await _status(suite, "DELETE", bios["wmo"][2]["url"], wmo_team) == 204
