"""POST /zaken/_zoek with zaakgeometrie.within (Zaken 1.5.1): the zaken whose geometry lies within the one asked,
as Open Zaak answers it with PostGIS; a geometry that cannot be read is a 400 and stores nothing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from services.zaken.zaken.models import zaken
from tests.zaken.conftest import ZAKEN, Suite, headers

CRS = {"Accept-Crs": "EPSG:4326", "Content-Crs": "EPSG:4326"}
# A square around the centre of Utrecht, and points in and outside it.
UTRECHT = {"type": "Polygon", "coordinates": [[[5.10, 52.08], [5.14, 52.08], [5.14, 52.10], [5.10, 52.10],
                                               [5.10, 52.08]]]}
DOM = {"type": "Point", "coordinates": [5.1214, 52.0907]}
STATION = {"type": "Point", "coordinates": [5.1099, 52.0894]}
AMERSFOORT = {"type": "Point", "coordinates": [5.3878, 52.1561]}
# A line with both ends inside the square's bounding box that leaves a triangle between them.
DRIEHOEK = {"type": "Polygon", "coordinates": [[[5.10, 52.08], [5.14, 52.08], [5.10, 52.10], [5.10, 52.08]]]}


def _codes(response: Any) -> list[tuple[str, str]]:
    return [(p["name"], p["code"]) for p in response.json().get("invalidParams", [])]


async def _zoek(suite: Suite, within: Any, **extra: Any) -> Any:
    return await suite.client.post(f"{ZAKEN}/zaken/_zoek", json={"zaakgeometrie": {"within": within}, **extra},
                                   headers={**headers(), **CRS})


async def _met(suite: Suite, geometrie: dict[str, Any]) -> dict[str, Any]:
    r = await suite.client.post(f"{ZAKEN}/zaken", headers={**headers(), **CRS}, json={
        "bronorganisatie": "002220647", "verantwoordelijkeOrganisatie": "002220647",
        "zaaktype": suite.zaaktypen["WMO-HBH"], "startdatum": "2026-11-01", "zaakgeometrie": geometrie})
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


async def test_zaken_within_a_polygon_and_within_a_point(suite: Suite) -> None:
    dom, station, amersfoort = await _met(suite, DOM), await _met(suite, STATION), await _met(suite, AMERSFOORT)
    await suite.open_zaak()  # no geometry: never found by a geo search
    r = await _zoek(suite, UTRECHT)
    assert r.status_code == 200, r.text
    assert {z["url"] for z in r.json()["results"]} == {dom["url"], station["url"]} and r.json()["count"] == 2
    assert r.json()["results"][0]["zaakgeometrie"] in (DOM, STATION)
    # Inside the triangle's bounding box, yet outside the triangle: the exact test after the box.
    r = await _zoek(suite, DRIEHOEK)
    assert [z["url"] for z in r.json()["results"]] == [station["url"]]
    # VNG's endpoint tests search within a point: only a zaak at exactly that point lies within it.
    r = await _zoek(suite, DOM)
    assert [z["url"] for z in r.json()["results"]] == [dom["url"]]
    r = await _zoek(suite, {"type": "Point", "coordinates": [53, 5]})
    assert r.status_code == 200 and r.json()["count"] == 0
    # Combined with the other filters of _zoek.
    r = await _zoek(suite, UTRECHT, identificatie=station["identificatie"])
    assert [z["url"] for z in r.json()["results"]] == [station["url"]]
    # A zaak that moves is found where it is now.
    r = await suite.client.patch(amersfoort["url"], json={"zaakgeometrie": DOM}, headers={**headers(), **CRS})
    assert r.status_code == 200, r.text
    r = await _zoek(suite, UTRECHT)
    assert r.json()["count"] == 3


async def test_a_geometry_that_cannot_be_read_is_a_400_and_stores_nothing(suite: Suite) -> None:
    before = await _count(suite)
    for kapot in ({"type": "Point", "coordinates": ["a", "b"]}, {"type": "Polygon", "coordinates": [[1, 2]]},
                  {"type": "Polygon", "coordinates": []}, {"type": "Cirkel", "coordinates": [1, 2]}):
        r = await suite.client.post(f"{ZAKEN}/zaken", headers={**headers(), **CRS}, json={
            "bronorganisatie": "002220647", "verantwoordelijkeOrganisatie": "002220647",
            "zaaktype": suite.zaaktypen["WMO-HBH"], "startdatum": "2026-11-01", "zaakgeometrie": kapot})
        assert r.status_code == 400 and r.headers["content-type"] == "application/problem+json", r.text
        assert _codes(r)[0][0].startswith("zaakgeometrie"), r.text
        r = await _zoek(suite, kapot)
        assert r.status_code == 400 and _codes(r)[0][0].startswith("zaakgeometrie"), r.text
    r = await suite.client.post(f"{ZAKEN}/zaken/_zoek", json={"zaakgeometrie": {"contains": DOM}},
                                headers={**headers(), **CRS})
    assert r.status_code == 400, r.text
    assert await _count(suite) == before


async def _count(suite: Suite) -> int:
    async with suite.app.state.db.transaction() as session:
        return int((await session.execute(select(func.count()).select_from(zaken))).scalar_one())
