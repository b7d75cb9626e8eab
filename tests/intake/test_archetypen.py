"""Issue 6: for each of the five archetypes, the same household with questions in two kolommen (wmo: hulp bij het
huishouden, jeugd: opvoeden) ends up with exactly the zaken that archetype prescribes."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from tests.intake.suite import ZAKEN, Suite, make_suite, wait_for
from tests.support.natsserver import NatsServer


async def _triaged(suite: Suite, *leefgebieden: str) -> dict[str, Any]:
    r = await suite.aanvraag(*leefgebieden)
    assert r.status_code == 201, r.text
    return r.json()


async def _settled(suite: Suite, huishouden: str, expected: int) -> list[dict[str, Any]]:
    async def count() -> bool:
        return len(await suite.zaken_van(huishouden)) >= expected

    await wait_for(count)
    await asyncio.sleep(0.3)  # anything beyond the expected would have arrived by now
    return await suite.zaken_van(huishouden)


def _types(suite: Suite, zaken: list[dict[str, Any]]) -> list[str]:
    by_url = {url: ident for ident, url in suite.zaaktypen.items()}
    return sorted(by_url[z["zaaktype"]] for z in zaken)


async def _plannen(suite: Suite, huishouden: str) -> list[dict[str, Any]]:
    page = await suite.get(f"{ZAKEN}/plannen?huishouden={huishouden}")
    return page["results"] if isinstance(page, dict) else page


async def test_transitie_proof_een_zaak_per_kolom_zonder_plan(tmp_path: Path, nats_server: NatsServer) -> None:
    async with make_suite(tmp_path, nats_server.url, "transitie-proof") as suite:
        aanvraag = await _triaged(suite, "huishouden", "opvoeden")
        zaken = await _settled(suite, aanvraag["huishouden"], 2)
        assert _types(suite, zaken) == ["JW-AMB", "WMO-HBH"]
        assert all(z["hoofdzaak"] is None for z in zaken)
        assert aanvraag["triage"]["regie"] == "geen" and not aanvraag["triage"]["integraal"]
        assert await _plannen(suite, aanvraag["huishouden"]) == []


async def test_totaal_integraal_een_integrale_zaak_een_plan(tmp_path: Path, nats_server: NatsServer) -> None:
    async with make_suite(tmp_path, nats_server.url, "totaal-integraal") as suite:
        aanvraag = await _triaged(suite, "huishouden", "opvoeden")
        zaken = await _settled(suite, aanvraag["huishouden"], 1)
        assert _types(suite, zaken) == ["INT-PLAN"]
        assert aanvraag["triage"]["integraal"] and aanvraag["triage"]["regie"] == "huishouden"

        async def plan() -> bool:
            return len(await _plannen(suite, aanvraag["huishouden"])) == 1

        await wait_for(plan)


async def test_geclusterd_integraal_een_zaak_per_cluster(tmp_path: Path, nats_server: NatsServer) -> None:
    async with make_suite(tmp_path, nats_server.url, "geclusterd-integraal") as suite:
        # wmo and jeugd share the cluster zorg-en-jeugd: one cluster zaak for both.
        aanvraag = await _triaged(suite, "huishouden", "opvoeden")
        zaken = await _settled(suite, aanvraag["huishouden"], 1)
        assert _types(suite, zaken) == ["INT-PLAN"]
        assert aanvraag["triage"]["zaken"][0]["cluster"] == "zorg-en-jeugd"
        # jeugd and schulden are in two clusters: a zaak in each.
        tweede = await _triaged(suite, "opvoeden", "schulden")
        zaken = await _settled(suite, tweede["huishouden"], 2)
        assert _types(suite, zaken) == ["JW-AMB", "SHV-SCHULDHULP"]
        assert sorted(z["cluster"] for z in tweede["triage"]["zaken"]) == [
            "financiele-en-inkomensondersteuning", "zorg-en-jeugd"]


async def test_integraal_in_tweede_instantie_escaleert(tmp_path: Path, nats_server: NatsServer) -> None:
    async with make_suite(tmp_path, nats_server.url, "integraal-in-tweede-instantie") as suite:
        aanvraag = await _triaged(suite, "huishouden", "opvoeden")
        assert aanvraag["triage"]["integraal"]
        assert [r["code"] for r in aanvraag["triage"]["redenen"]] == ["vragen-in-meerdere-kolommen"]
        zaken = await _settled(suite, aanvraag["huishouden"], 3)
        assert _types(suite, zaken) == ["INT-PLAN", "JW-AMB", "WMO-HBH"]
        hoofd = next(z for z in zaken if z["hoofdzaak"] is None)
        assert sorted(z["hoofdzaak"] for z in zaken if z is not hoofd) == [hoofd["url"], hoofd["url"]]


async def test_integraal_in_tweede_instantie_enkele_vraag_blijft_in_de_kolom(tmp_path: Path,
                                                                            nats_server: NatsServer) -> None:
    async with make_suite(tmp_path, nats_server.url, "integraal-in-tweede-instantie") as suite:
        aanvraag = await _triaged(suite, "huishouden", "begeleiding")
        zaken = await _settled(suite, aanvraag["huishouden"], 1)
        assert len(zaken) == 1 and not aanvraag["triage"]["integraal"]


async def test_geclusterd_integraal_elders_delegeert(tmp_path: Path, nats_server: NatsServer) -> None:
    async with make_suite(tmp_path, nats_server.url, "geclusterd-integraal-elders") as suite:
        aanvraag = await _triaged(suite, "huishouden", "opvoeden")
        assert aanvraag["status"] == "doorgezet"
        assert aanvraag["triage"]["zaken"] == []
        assert sorted((d["cluster"], d["partij"]) for d in aanvraag["delegaties"]) == [
            ("jeugdzorg", "regionale-jeugdorganisatie"), ("zorg", "zorgverzekeraar")]
        # The part in the municipality's own cluster opens a zaak here; jeugd goes to the external party.
        tweede = await _triaged(suite, "opvoeden", "schulden")
        zaken = await _settled(suite, tweede["huishouden"], 1)
        assert _types(suite, zaken) == ["SHV-SCHULDHULP"]
        assert [d["partij"] for d in tweede["delegaties"]] == ["regionale-jeugdorganisatie"]


async def test_zaken_open_once_zaken_is_back(tmp_path: Path, nats_server: NatsServer) -> None:
    """An aanvraag accepted with 201 while zaken is down (its catalogue unknown, its consumer not running)
    opens its zaken once zaken is back: exactly the zaken the archetype prescribes, once."""
    async with make_suite(tmp_path, nats_server.url, "transitie-proof", zaken_down=True) as suite:
        aanvraag = await _triaged(suite, "huishouden", "opvoeden")
        assert aanvraag["status"] == "ingediend" and aanvraag["triage"] is None
        await asyncio.sleep(0.5)  # the worker tries, and keeps the aanvraag
        assert (await suite.get(aanvraag["url"]))["status"] == "ingediend"
        await suite.start_zaken()
        zaken = await _settled(suite, aanvraag["huishouden"], 2)
        assert _types(suite, zaken) == ["JW-AMB", "WMO-HBH"]

        async def in_behandeling() -> bool:
            return (await suite.get(aanvraag["url"]))["status"] == "in_behandeling"

        await wait_for(in_behandeling)
