"""32 concurrent creates get 32 unique identificaties; a list page costs the same number of queries at any size."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import event

from tests.zaken.conftest import ZAKEN, Suite, headers


async def test_32_concurrent_creates_have_unique_identificatie(suite: Suite) -> None:
    responses = await asyncio.gather(*(suite.zaak("WMO-HBH") for _ in range(32)))
    assert [r.status_code for r in responses] == [201] * 32, [r.text for r in responses if r.status_code != 201]
    identificaties = [r.json()["identificatie"] for r in responses]
    assert len(set(identificaties)) == 32
    numbers = sorted(int(i.rsplit("-", 1)[1]) for i in identificaties)
    assert numbers == list(range(1, 33))  # one counter, no number skipped or shared


def _count_statements(suite: Suite) -> tuple[list[str], Any]:
    statements: list[str] = []
    engine = suite.app.state.db.engine.sync_engine

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    return statements, lambda: event.remove(engine, "before_cursor_execute", before)


async def test_list_queries_do_not_grow_with_page_size(suite: Suite) -> None:
    types = await suite.types("WMO-HBH")
    for _ in range(30):
        zaak = await suite.open_zaak("WMO-HBH")
        await suite.client.post(f"{ZAKEN}/rollen", headers=headers(), json={
            "zaak": zaak["url"], "roltype": types["roltypen"]["Behandelaar"], "betrokkeneType": "medewerker",
            "roltoelichting": "behandelaar", "betrokkeneIdentificatie": {"identificatie": "mw-1"}})
        await suite.client.post(f"{ZAKEN}/statussen", headers=headers(), json={
            "zaak": zaak["url"], "statustype": types["statustypen"][0], "datumStatusGezet": "2026-11-02T10:00:00Z"})
    for expand, most in (("", 7), ("&expand=zaaktype,status.statustype,rollen.roltype,hoofdzaak", 16)):
        counts = {}
        for size in (1, 10, 30):
            statements, stop = _count_statements(suite)
            try:
                page = await suite.get_json(
                    f"{ZAKEN}/zaken?zaaktype={suite.zaaktypen['WMO-HBH']}&pageSize={size}{expand}")
            finally:
                stop()
            assert len(page["results"]) == size and all(z["rollen"] and z["status"] for z in page["results"])
            counts[size] = len(statements)
        assert counts[1] == counts[10] == counts[30], (expand, counts)
        # without expand: count, page, references, rollen, eigenschappen, zaakobjecten, deelzaken
        assert counts[1] <= most, (expand, counts)


async def test_the_kept_count_matches_the_counted_one(suite: Suite) -> None:
    from sds.runtime.auth import Autorisatie
    from tests.zaken.conftest import client_ctx

    await asyncio.gather(*(suite.zaak("WMO-HBH") for _ in range(12)))
    other = await suite.open_zaak("WMO-BEG")
    zaaktype = suite.zaaktypen["WMO-HBH"]
    alles = await suite.get_json(f"{ZAKEN}/zaken?zaaktype={zaaktype}&pageSize=5")  # from the kept counter
    beperkt = client_ctx("wmo", Autorisatie(component="zrc", kolom="wmo", scopes=["zaken.lezen"],
                                            max_vertrouwelijkheidaanduiding="zeer_geheim"))
    counted = await suite.get_json(f"{ZAKEN}/zaken?zaaktype={zaaktype}&pageSize=5", beperkt)  # from a COUNT
    assert alles["count"] == counted["count"] == 12
    assert (await suite.get_json(f"{ZAKEN}/zaken"))["count"] == 13
    assert (await suite.client.delete(other["url"], headers=headers())).status_code == 204
    assert (await suite.get_json(f"{ZAKEN}/zaken"))["count"] == 12
