"""Known event sequences give exactly the expected figures; small cells are suppressed, also where they could
be found back by subtracting other cells from a total; bad input is a 400 ValidatieFout."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from typing import Any

import pytest

from sds.profiles import shipped_path
from tests.beleidsinfo.conftest import (
    Bi,
    aanvraag_ingediend,
    geescaleerd,
    lezer,
    resultaat,
    signaal,
    status_gezet,
    termijn,
    zaak_afgesloten,
    zaak_geopend,
)

JAN = date(2026, 1, 5)
RANGE = {"van": "2026-01-01", "tot": "2026-12-31"}


def cel(cellen: list[dict[str, Any]], **plaats: str) -> dict[str, Any]:
    """The one cell at ``plaats``; kolom defaults to 'alle', cluster to the kolom's own (transitie-proof)."""
    if cellen and "kolom" in cellen[0] and "kolomA" not in plaats:
        plaats.setdefault("kolom", "alle")
        plaats.setdefault("cluster", plaats["kolom"])
    [found] = [c for c in cellen if all(c.get(k) == v for k, v in plaats.items())]
    return found


async def _instroom_data(bi: Bi) -> None:
    # 12 households ask for wmo support (5 of them for jeugd as well), 2 for schuldhulp.
    events = [aanvraag_ingediend(n, n, ["wmo"], JAN) for n in range(7)]
    events += [aanvraag_ingediend(n, n, ["wmo", "jeugd"], JAN) for n in range(7, 12)]
    events += [aanvraag_ingediend(n, n, ["schuldhulp"], JAN) for n in range(12, 14)]
    await bi.deliver(*events)


async def test_instroom_counts_each_aanvraag_per_kolom_and_once_in_the_total(bi: Bi) -> None:
    await _instroom_data(bi)
    cellen = await bi.cellen("instroom", **RANGE)
    assert cel(cellen, periode="2026-01", kolom="wmo", cluster="wmo") == {
        "periode": "2026-01", "kolom": "wmo", "cluster": "wmo", "aantal": 12, "onderdrukt": False}
    assert cel(cellen, periode="2026-01", cluster="wmo")["aantal"] == 12
    assert cel(cellen, periode="2026-01")["aantal"] == 14  # 14 aanvragen, each once


async def test_a_small_cell_is_suppressed_and_cannot_be_found_back_from_the_total(bi: Bi) -> None:
    await _instroom_data(bi)
    cellen = await bi.cellen("instroom", **RANGE)
    # Primary: schuldhulp rests on 2 households.
    assert cel(cellen, kolom="schuldhulp", cluster="schuldhulp") == {
        "periode": "2026-01", "kolom": "schuldhulp", "cluster": "schuldhulp", "aantal": None, "onderdrukt": True}
    assert cel(cellen, cluster="schuldhulp")["onderdrukt"] is True
    # Secondary: total 14 minus wmo 12 minus jeugd 5 would give schuldhulp away, so jeugd (the smallest other
    # cluster) is suppressed too — and with it the kolom cell inside that cluster.
    assert cel(cellen, cluster="jeugd")["onderdrukt"] is True
    assert cel(cellen, kolom="jeugd", cluster="jeugd")["onderdrukt"] is True
    assert cel(cellen, cluster="wmo")["aantal"] == 12
    assert cel(cellen, periode="2026-01")["aantal"] == 14
    # A filter picks cells of the same, already suppressed table.
    only = await bi.cellen("instroom", kolom="jeugd", **RANGE)
    assert [c["onderdrukt"] for c in only] == [True]


async def test_an_event_that_arrives_twice_counts_once(bi: Bi) -> None:
    events = [aanvraag_ingediend(n, n, ["wmo"], JAN) for n in range(6)]
    await bi.deliver(*events)
    await bi.deliver(*events[:3])
    assert cel(await bi.cellen("instroom", **RANGE), kolom="wmo")["aantal"] == 6


async def test_doorlooptijd_median_and_p90_from_aanvraag_to_zaak_and_zaak_to_resultaat(bi: Bi) -> None:
    start = date(2026, 3, 2)
    wachttijd = [1, 2, 3, 4, 10]
    behandeltijd = [20, 30, 40, 50, 60]
    for n, (w, b) in enumerate(zip(wachttijd, behandeltijd, strict=True)):
        geopend = start + timedelta(days=w)
        await bi.deliver(aanvraag_ingediend(n, n, ["jeugd"], start),
                         zaak_geopend(n, n, ["jeugd"], geopend, aanvraag=n, cluster="jeugd"),
                         resultaat(n, n, "jeugd", geopend + timedelta(days=b)))
    # One more zaak without a resultaat yet: it counts, but not in the lead time to resultaat.
    await bi.deliver(zaak_geopend(99, 99, ["jeugd"], start, cluster="jeugd"))
    jeugd = cel(await bi.cellen("doorlooptijd", **RANGE), periode="2026-03", kolom="jeugd", cluster="jeugd")
    assert jeugd == {"periode": "2026-03", "kolom": "jeugd", "cluster": "jeugd", "aantal": 6,
                     "mediaanDagenAanvraagTotZaak": 3.0, "p90DagenAanvraagTotZaak": 10.0, "metResultaat": 5,
                     "mediaanDagenZaakTotResultaat": 40.0, "p90DagenZaakTotResultaat": 60.0, "onderdrukt": False}


async def test_open_zaken_per_status_on_the_peildatum(bi: Bi) -> None:
    for n in range(14):
        await bi.deliver(zaak_geopend(n, n, ["wmo"], JAN, cluster="wmo"))
    for n in range(8):
        await bi.deliver(status_gezet(n, "onderzoek"))
    await bi.deliver(zaak_afgesloten(13, 13, ["wmo"], date(2026, 2, 1)))
    onderzoek = "http://gemeente.test/catalogi/api/v1/statustypen/onderzoek"
    cellen = await bi.cellen("open-zaken", tot="2026-03-01")
    assert cel(cellen, statustype=onderzoek, kolom="wmo")["aantal"] == 8
    assert cel(cellen, statustype="zonder-status", kolom="wmo")["aantal"] == 5
    # Before it closed, the last zaak was open too.
    before = await bi.cellen("open-zaken", tot="2026-01-31")
    assert cel(before, statustype="zonder-status", kolom="wmo")["aantal"] == 6
    # Before any zaak, nothing is open.
    assert await bi.cellen("open-zaken", tot="2025-12-31") == []


async def test_households_in_several_kolommen(bi: Bi) -> None:
    for n in range(6):
        await bi.deliver(zaak_geopend(2 * n, n, ["wmo"], JAN), zaak_geopend(2 * n + 1, n, ["schuldhulp"], JAN))
    for n in range(6, 9):
        await bi.deliver(zaak_geopend(100 + n, n, ["wmo"], JAN))
    cellen = await bi.cellen("meerdere-kolommen", **RANGE)
    assert cel(cellen, kolomA="wmo", kolomB="schuldhulp")["huishoudens"] == 6
    assert cel(cellen, kolomA="wmo", kolomB="wmo")["huishoudens"] == 9
    assert cel(cellen, kolomA="wmo", kolomB="jeugd")["huishoudens"] == 0


async def test_signalen_and_how_many_became_an_aanvraag(bi: Bi) -> None:
    for n in range(6):
        await bi.deliver(signaal(n, n, "huurachterstand", JAN))
    # Four households file an aanvraag within the window, one only after it.
    await bi.deliver(*(aanvraag_ingediend(n, n, ["schuldhulp"], JAN + timedelta(days=10)) for n in range(4)))
    await bi.deliver(aanvraag_ingediend(5, 5, ["schuldhulp"], JAN + timedelta(days=200)))
    huur = cel(await bi.cellen("signalen", **RANGE), periode="2026-01", signaalsoort="huurachterstand")
    assert (huur["aantal"], huur["werdAanvraag"]) == (6, 4)


async def test_termijnen_and_escalaties(bi: Bi) -> None:
    for n in range(5):
        await bi.deliver(aanvraag_ingediend(n, n, ["wmo"], JAN), termijn(n, "wmo", date(2026, 3, 1)),
                         zaak_geopend(n, n, ["wmo"], JAN), geescaleerd(n, n, "wmo", date(2026, 4, 2)))
    assert cel(await bi.cellen("termijnen", **RANGE), periode="2026-03", kolom="wmo")["aantal"] == 5
    assert cel(await bi.cellen("escalaties", **RANGE), periode="2026-04", kolom="wmo")["aantal"] == 5


async def test_every_indicator_as_csv_with_the_same_figures(bi: Bi) -> None:
    await _instroom_data(bi)
    listed = (await bi.get("/indicatoren")).json()["results"]
    assert {i["naam"] for i in listed} == {"instroom", "signalen", "doorlooptijd", "termijnen", "open-zaken",
                                          "meerdere-kolommen", "escalaties", "voorzieningen",
                                          "voorzieningen-instroom", "voorzieningen-uitstroom", "verplichtingen",
                                          "realisatie", "afwijzingen", "budgetten"}
    for indicator in listed:
        as_json = await bi.cellen(indicator["naam"], **RANGE)
        response = await bi.get(f"/indicatoren/{indicator['naam']}", formaat="csv", **RANGE)
        assert response.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(response.text)))
        assert list(rows[0].keys()) if rows else True
        assert len(rows) == len(as_json)
        for row, cell in zip(rows, as_json, strict=True):
            for key, value in cell.items():
                expected = "" if value is None else str(value).lower() if isinstance(value, bool) else str(value)
                assert row[key] == expected, (indicator["naam"], key)
    by_accept = await bi.client.get("/beleidsinfo/api/v1/indicatoren/instroom", params=RANGE,
                                    headers={**(await _headers()), "accept": "text/csv"})
    assert by_accept.text.splitlines()[0] == "periode,kolom,cluster,aantal,onderdrukt"


async def _headers() -> dict[str, str]:
    from tests.beleidsinfo.conftest import headers

    return headers()


async def test_a_cluster_team_sees_only_its_own_cluster_below_the_domain(bi: Bi) -> None:
    await _instroom_data(bi)
    response = await bi.get("/indicatoren/instroom", lezer(clusters=["wmo"]), **RANGE)
    places = {(c["kolom"], c["cluster"]) for c in response.json()["results"]}
    assert places == {("wmo", "wmo"), ("alle", "wmo"), ("alle", "alle")}


async def test_clusterindeling_compares_the_active_profile_with_another(bi: Bi) -> None:
    for n in range(6):  # six households with wmo and schuldhulp, five with wmo and jeugd
        await bi.deliver(zaak_geopend(2 * n, n, ["wmo"], JAN), zaak_geopend(2 * n + 1, n, ["schuldhulp"], JAN))
    for n in range(6, 11):
        await bi.deliver(zaak_geopend(2 * n, n, ["wmo"], JAN), zaak_geopend(2 * n + 1, n, ["jeugd"], JAN))
    response = await bi.get("/clusterindeling", profiel=["geclusterd-integraal", "totaal-integraal"], **RANGE)
    assert response.status_code == 200, response.text
    by_profile = {r["profiel"]: r for r in response.json()["results"]}
    assert by_profile["transitie-proof"]["aandeelOverClustersHeen"] == 1.0
    # wmo and jeugd share a cluster there; wmo and schuldhulp do not: 6 of 11.
    assert by_profile["geclusterd-integraal"]["waarvanOverClustersHeen"] == 6
    assert by_profile["geclusterd-integraal"]["aandeelOverClustersHeen"] == round(6 / 11, 4)
    assert by_profile["totaal-integraal"]["waarvanOverClustersHeen"] == 0
    assert by_profile["totaal-integraal"]["aandeelOverClustersHeen"] == 0.0


async def test_clusterindeling_hides_a_split_that_rests_on_few_households(bi: Bi) -> None:
    # 6 households with wmo and jeugd, 3 of which also have schuldhulp: under geclusterd-integraal the 3 that
    # span clusters are few, and so are the 6 - 3 that do not once the total is known.
    for n in range(6):
        await bi.deliver(zaak_geopend(3 * n, n, ["wmo"], JAN), zaak_geopend(3 * n + 1, n, ["jeugd"], JAN))
    for n in range(3):
        await bi.deliver(zaak_geopend(3 * n + 2, n, ["schuldhulp"], JAN))
    response = await bi.get("/clusterindeling", profiel=["geclusterd-integraal"], **RANGE)
    result = {r["profiel"]: r for r in response.json()["results"]}["geclusterd-integraal"]
    assert result["onderdrukt"] is True
    assert result["waarvanOverClustersHeen"] is None and result["aandeelOverClustersHeen"] is None


async def _voorzieningen_data(bi: Bi) -> None:
    # Six wmo households get a voorziening from March; three of them end in May, one is refused.
    for n in range(6):
        eind = date(2026, 5, 31) if n < 3 else None
        await bi.deliver(zaak_geopend(n, n, ["wmo"], date(2026, 2, 1)),
                         resultaat(n, n, "wmo", date(2026, 2, 20), voorziening=(date(2026, 3, 1), eind)))
    await bi.deliver(zaak_geopend(9, 9, ["wmo"], date(2026, 2, 1)),
                     resultaat(9, 9, "wmo", date(2026, 2, 20), uitkomst="afgewezen"))


async def test_voorzieningen_running_started_and_ended_per_period(bi: Bi) -> None:
    await _voorzieningen_data(bi)
    lopend = await bi.cellen("voorzieningen", **RANGE)
    assert [c["periode"] for c in lopend if c["kolom"] == "wmo"] == ["2026-03", "2026-04", "2026-05", "2026-06",
                                                                    "2026-07", "2026-08", "2026-09", "2026-10",
                                                                    "2026-11", "2026-12"]
    assert cel(lopend, periode="2026-05", kolom="wmo")["huishoudens"] == 6
    assert cel(lopend, periode="2026-06", kolom="wmo")["onderdrukt"] is True  # three left: a small cell
    assert cel(await bi.cellen("voorzieningen-instroom", **RANGE), periode="2026-03", kolom="wmo")["huishoudens"] == 6
    uit = await bi.cellen("voorzieningen-uitstroom", **RANGE)
    assert cel(uit, periode="2026-05", kolom="wmo")["onderdrukt"] is True


async def test_the_cbs_export_has_its_documented_layout(tmp_path: Any) -> None:
    from tests.beleidsinfo.conftest import make_bi

    async for bi in make_bi(tmp_path, archetype="geclusterd-integraal", gemeentecode="GM0363"):
        await _voorzieningen_data(bi)
        response = await bi.get("/cbs/voorzieningen", periode="kwartaal", **RANGE)
        assert response.status_code == 200, response.text
        rows = list(csv.reader(io.StringIO(response.text), delimiter=";"))
        assert rows[0] == ["gemeentecode", "indicator", "periode", "periode_begin", "periode_eind", "kolom",
                           "aantal", "onderdrukt"]
        assert ["GM0363", "voorzieningen", "2026-K1", "2026-01-01", "2026-03-31", "Wmo", "6", "0"] in rows
        assert ["GM0363", "voorzieningen", "2026-K2", "2026-04-01", "2026-06-30", "Totaal sociaal domein", "6",
                "0"] in rows
        # Clusters are not the monitor's business: per kolom and the whole domain only.
        assert {r[5] for r in rows[1:]} == {"Wmo", "Totaal sociaal domein"}
        refused = await bi.get("/cbs/doorlooptijd", **RANGE)
        assert refused.status_code == 400


@pytest.mark.parametrize(("path", "params", "field"), [
    ("/indicatoren/bestaat-niet", {}, "naam"),
    ("/indicatoren/instroom", {"kolom": "onderwijs"}, "kolom"),
    ("/indicatoren/instroom", {"cluster": "zorg-en-jeugd"}, "cluster"),  # not a cluster of transitie-proof
    ("/indicatoren/instroom", {"van": "2026-05-01", "tot": "2026-04-01"}, "tot"),
    ("/indicatoren/instroom", {"periode": "week"}, "periode"),
    ("/indicatoren/instroom", {"formaat": "xml"}, "formaat"),
    ("/indicatoren/instroom", {"van": "gisteren"}, "van"),
    ("/clusterindeling", {"profiel": "/etc/passwd"}, "profiel.0"),
])
async def test_bad_input_is_a_validatiefout(bi: Bi, path: str, params: dict[str, str], field: str) -> None:
    response = await bi.get(path, **params)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert field in [p["name"] for p in response.json()["invalidParams"]]


async def test_a_profile_of_ones_own_that_does_not_validate_is_a_validatiefout(bi: Bi) -> None:
    from tests.beleidsinfo.conftest import headers

    bad = "archetype: eigen\nkolommen: [wmo]\nclusters: {a: {kolommen: [wmo, onderwijs], toegang: intern}}\n"
    response = await bi.client.post("/beleidsinfo/api/v1/clusterindeling", content=bad, params=RANGE,
                                    headers={**headers(), "content-type": "application/yaml"})
    assert response.status_code == 400, response.text
    assert response.json()["invalidParams"]
    good = shipped_path("geclusterd-integraal").read_text(encoding="utf-8")
    response = await bi.client.post("/beleidsinfo/api/v1/clusterindeling", content=good, params=RANGE,
                                    headers={**headers(), "content-type": "application/yaml"})
    assert response.status_code == 200, response.text
    assert [r["profiel"] for r in response.json()["results"]] == ["transitie-proof", "geclusterd-integraal"]


async def test_without_the_scope_nothing(bi: Bi) -> None:
    from sds.runtime.auth import AuthContext

    response = await bi.get("/indicatoren/instroom", AuthContext(client_id="ander"))
    assert response.status_code == 403


async def test_a_batch_with_an_event_about_an_unknown_zaak_keeps_nothing_and_is_retried_per_event(bi: Bi) -> None:
    from sds.runtime.consumer import HandlerFailed

    with pytest.raises(HandlerFailed):
        await bi.deliver(zaak_geopend(1, 1, ["wmo"], JAN), status_gezet(2, "onderzoek"))
    assert await bi.cellen("open-zaken", tot="2026-03-01") == []  # the whole batch rolled back
    await bi.deliver(zaak_geopend(1, 1, ["wmo"], JAN))  # the live consumer redoes it one event at a time
    assert len(await bi.cellen("open-zaken", tot="2026-03-01")) == 3
