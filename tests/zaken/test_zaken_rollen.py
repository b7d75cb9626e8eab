"""The rollen of a zaak opened from an aanvraag, where ZGW clients look for them."""

from __future__ import annotations

from services.zaken.intake import open_triaged_zaken
from tests.zaken.conftest import ZAKEN, Suite
from tests.zaken.test_events import _decision


async def test_a_zaak_from_an_aanvraag_has_the_team_of_its_cluster_as_behandelaar(suite: Suite) -> None:
    db, settings, event = suite.app.state.db, suite.app.state.settings, _decision(suite)
    async with db.transaction() as session:
        opened = await open_triaged_zaken(session, event, settings)
    for zaak_uuid, cluster in zip(opened, ("zorg", "inkomen"), strict=True):
        zaak = await suite.get_json(f"{ZAKEN}/zaken/{zaak_uuid}")
        assert len(zaak["rollen"]) == 1
        rol = await suite.get_json(zaak["rollen"][0])
        assert rol["omschrijvingGeneriek"] == "behandelaar" and rol["betrokkeneType"] == "organisatorische_eenheid"
        assert rol["betrokkeneIdentificatie"]["identificatie"] == cluster
        # Found as a ZGW client searches for the zaken a team handles.
        found = await suite.get_json(f"{ZAKEN}/zaken?rol__betrokkeneType=organisatorische_eenheid"
                                     f"&rol__omschrijvingGeneriek=behandelaar")
        assert zaak["url"] in {z["url"] for z in found["results"]}
    # A redelivered decision adds no second rol.
    async with db.transaction() as session:
        assert await open_triaged_zaken(session, event, settings) == opened
    zaak = await suite.get_json(f"{ZAKEN}/zaken/{opened[0]}")
    assert len(zaak["rollen"]) == 1
