"""Aanvragen: filed, the household found or registered in klantgegevens, triaged, zaken opened, history kept."""

from __future__ import annotations

from pathlib import Path

from tests.intake.suite import INTAKE, make_suite, wait_for
from tests.support.natsserver import NatsServer


async def test_een_aanvraag_wordt_zaken_in_de_kolommen(tmp_path: Path, nats_server: NatsServer) -> None:
    async with make_suite(tmp_path, nats_server.url, "transitie-proof") as suite:
        r = await suite.aanvraag("huishouden", "opvoeden")
        assert r.status_code == 201, r.text
        aanvraag = r.json()
        assert aanvraag["kolommen"] == ["wmo", "jeugd"]
        assert aanvraag["huishouden"], aanvraag
        assert aanvraag["status"] == "getrieerd", aanvraag

        async def opened() -> bool:
            return len(await suite.zaken_van(aanvraag["huishouden"])) == 2

        await wait_for(opened)

        async def in_behandeling() -> bool:
            return (await suite.get(aanvraag["url"]))["status"] == "in_behandeling"

        await wait_for(in_behandeling)
        historie = await suite.get(f"{INTAKE}/aanvragen/{aanvraag['uuid']}/historie")
        assert [h["status"] for h in historie] == ["ingediend", "getrieerd", "in_behandeling"]
        assert "eigen zaak" in historie[1]["toelichting"]
