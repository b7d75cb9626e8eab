"""The second line of defence: a service called directly, not through the gateway, with the signed context of an
applicatie limited to one kolom (or one cluster) shows nothing of another and changes nothing of it.

The gateway narrows an applicatie's grants to its kolommen before it signs them; here no gateway runs. The
contexts carry the applicatie's limit and grants as registered: grants without a kolom, and grants naming a
zaaktype and a besluittype of the other kolom. Each service holds them to the limit itself
(``sds.runtime.auth.begrens`` in its request pipeline, and its own filters after that).

One data set, made with every right, spans two clusters of geclusterd-integraal: a jeugd aanvraag (cluster
zorg-en-jeugd) and a schuldhulp aanvraag (cluster financiele-en-inkomensondersteuning), each with its household,
the zaak triage opened for it and a besluit. Beleidsinfo gets aanvragen of both kolommen as events.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from sds.profiles import load_profile
from sds.runtime.auth import AuthContext, Autorisatie
from tests.intake.suite import INTAKE, KLANTGEGEVENS, ZAKEN, Suite, bsn, headers, make_suite, wait_for
from tests.support.natsserver import NatsServer

CATALOGI = ZAKEN.replace("/zaken/", "/catalogi/")
BESLUITEN = ZAKEN.replace("/zaken/", "/besluiten/")
ARCHETYPE = "geclusterd-integraal"
ZORG, FIN = "zorg-en-jeugd", "financiele-en-inkomensondersteuning"
# The seeded catalogus of each kolom.
DOMEIN = {"wmo": "WMO", "jeugd": "JEUGD", "participatie": "PART", "schuldhulp": "SHV"}


def _limit(ctx: AuthContext) -> set[str]:
    return set(ctx.kolommen) or {k for c in ctx.clusters for k in load_profile(ARCHETYPE).clusters[c].kolommen}


def _context(client_id: str, eigen: dict[str, str], ander: dict[str, str], **limit: list[str]) -> AuthContext:
    """An applicatie limited by ``limit``, with grants as an administrator may have given them: without a kolom,
    and on a zaaktype and a besluittype of another kolom (which its limit must still keep it from)."""
    zaken = ["zaken.lezen", "zaken.aanmaken", "zaken.bijwerken"]
    besluiten = ["besluiten.lezen", "besluiten.aanmaken", "besluiten.bijwerken"]
    return AuthContext(client_id=client_id, user_id="medewerker", autorisaties=[
        Autorisatie(component="zrc", scopes=zaken, max_vertrouwelijkheidaanduiding="zeer_geheim"),
        Autorisatie(component="zrc", scopes=zaken, zaaktype=ander["zaaktype"]),
        Autorisatie(component="ztc", scopes=["catalogi.lezen"]),
        Autorisatie(component="brc", scopes=besluiten, besluittype=eigen["besluittype"]),
        Autorisatie(component="brc", scopes=besluiten, besluittype=ander["besluittype"]),
        Autorisatie(component="intake", scopes=["intake.aanvragen.lezen", "intake.aanvragen.aanmaken",
                                                "intake.aanvragen.bijwerken"]),
        Autorisatie(component="klantgegevens", scopes=["klantgegevens.lezen", "klantgegevens.schrijven"]),
    ], **limit)


async def _json(suite: Suite, method: str, url: str, ctx: AuthContext | None = None, **kw: Any) -> Any:
    r = await suite.client.request(method, url, headers=headers(ctx), **kw)
    assert r.status_code in (200, 201), r.text
    return r.json()


async def _status(suite: Suite, method: str, url: str, ctx: AuthContext, **kw: Any) -> int:
    return (await suite.client.request(method, url, headers=headers(ctx), **kw)).status_code


async def _kolom(suite: Suite, leefgebied: str, kolom: str, zaaktype: str) -> dict[str, str]:
    """An aanvraag in one kolom, its household, the zaak triage opened and a besluit of that zaak's kolom."""
    body = {"ingediendDoor": "medewerker", "vragen": [{"leefgebied": leefgebied}],
            "aanvrager": {"burgerservicenummer": bsn(), "naam": {"geslachtsnaam": "Jansen"}}}
    aanvraag = await _json(suite, "POST", f"{INTAKE}/aanvragen", json=body)
    found: list[dict[str, Any]] = []

    async def opened() -> bool:
        found[:] = await suite.zaken_van(aanvraag["huishouden"])
        return len(found) == 1

    await wait_for(opened)
    zaak = found[0]
    assert zaak["zaaktype"] == suite.zaaktypen[zaaktype]
    besluittype = str((await _json(suite, "GET", suite.zaaktypen[zaaktype]))["besluittypen"][0])
    besluit = await _json(suite, "POST", f"{BESLUITEN}/besluiten", json={
        "verantwoordelijkeOrganisatie": zaak["bronorganisatie"], "besluittype": besluittype,
        "datum": "2026-11-20", "ingangsdatum": "2026-12-01"})
    catalogus = (await _json(suite, "GET", suite.zaaktypen[zaaktype]))["catalogus"]
    return {"kolom": kolom, "leefgebied": leefgebied, "aanvraag": aanvraag["url"],
            "huishouden": aanvraag["huishouden"], "zaak": zaak["url"], "zaaktype": suite.zaaktypen[zaaktype],
            "besluittype": besluittype, "besluit": besluit["url"], "catalogus": catalogus}


@pytest.fixture
async def suite(tmp_path: Path, nats_server: NatsServer) -> Any:
    async with make_suite(tmp_path, nats_server.url, ARCHETYPE, label="direct", every_service=True) as s:
        s.data = {"jeugd": await _kolom(s, "opvoeden", "jeugd", "JW-AMB"),  # type: ignore[attr-defined]
                  "schuldhulp": await _kolom(s, "schulden", "schuldhulp", "SHV-SCHULDHULP")}
        yield s


async def _sees_only_its_own(suite: Suite, ctx: AuthContext, eigen: dict[str, str], ander: dict[str, str]) -> None:
    # Zaken: the list, _zoek (also when asked for the other's zaaktype), the detail, and writes.
    domeinen = {DOMEIN[k] for k in _limit(ctx)}
    eigen_catalogi = {c["url"] for c in (await _json(suite, "GET", f"{CATALOGI}/catalogussen"))["results"]
                      if c["domein"] in domeinen}
    eigen_zaaktypen = {z["url"] for z in (await _json(suite, "GET", f"{CATALOGI}/zaaktypen?pageSize=100"))[
        "results"] if z["catalogus"] in eigen_catalogi}
    for zaken in (await _json(suite, "GET", f"{ZAKEN}/zaken?pageSize=100", ctx),
                  await _json(suite, "POST", f"{ZAKEN}/zaken/_zoek", ctx, json={})):
        assert eigen["zaak"] in [z["url"] for z in zaken["results"]]
        assert {z["zaaktype"] for z in zaken["results"]} <= eigen_zaaktypen
        assert zaken["count"] == len(zaken["results"])
    zoek = await _json(suite, "POST", f"{ZAKEN}/zaken/_zoek", ctx, json={"zaaktype": ander["zaaktype"]})
    assert zoek["count"] == 0 and zoek["results"] == []
    assert (await _json(suite, "GET", eigen["zaak"], ctx))["url"] == eigen["zaak"]
    assert await _status(suite, "GET", ander["zaak"], ctx) == 403
    assert await _status(suite, "PATCH", ander["zaak"], ctx, json={"omschrijving": "x"}) == 403
    zaak_body = {"bronorganisatie": "002220647", "verantwoordelijkeOrganisatie": "002220647",
                 "startdatum": "2026-11-01"}
    assert await _status(suite, "POST", f"{ZAKEN}/zaken", ctx, json={**zaak_body, "zaaktype": ander["zaaktype"]}
                         ) == 403
    assert await _status(suite, "POST", f"{ZAKEN}/zaken", ctx, json={**zaak_body, "zaaktype": eigen["zaaktype"]}
                         ) == 201

    # Catalogi: the catalogus and zaaktypen of its own kolom only.
    catalogussen = await _json(suite, "GET", f"{CATALOGI}/catalogussen", ctx)
    assert {c["domein"] for c in catalogussen["results"]} == domeinen
    assert eigen["catalogus"] in [c["url"] for c in catalogussen["results"]]
    zaaktypen = await _json(suite, "GET", f"{CATALOGI}/zaaktypen?pageSize=100", ctx)
    assert zaaktypen["count"] >= 1 and {z["catalogus"] for z in zaaktypen["results"]} == {
        c["url"] for c in catalogussen["results"]}
    assert await _status(suite, "GET", ander["zaaktype"], ctx) == 403
    assert await _status(suite, "GET", ander["catalogus"], ctx) == 403

    # Besluiten: its grant on the other kolom's besluittype reaches nothing.
    besluiten = await _json(suite, "GET", f"{BESLUITEN}/besluiten", ctx)
    assert [b["url"] for b in besluiten["results"]] == [eigen["besluit"]]  # its own writes above were zaken
    assert await _status(suite, "GET", ander["besluit"], ctx) == 403
    assert await _status(suite, "PATCH", ander["besluit"], ctx, json={"toelichting": "x"}) == 403
    assert await _status(suite, "POST", f"{BESLUITEN}/besluiten", ctx, json={
        "verantwoordelijkeOrganisatie": "002220647", "besluittype": ander["besluittype"], "datum": "2026-11-20",
        "ingangsdatum": "2026-12-01"}) == 403

    # Intake: the aanvragen of its kolom; the other's detail and history, and writes in the other kolom, refused.
    aanvragen = await _json(suite, "GET", f"{INTAKE}/aanvragen", ctx)
    assert [a["url"] for a in aanvragen["results"]] == [eigen["aanvraag"]]
    assert await _status(suite, "GET", ander["aanvraag"], ctx) == 403
    assert await _status(suite, "GET", f"{ander['aanvraag']}/historie", ctx) == 403
    assert await _status(suite, "POST", f"{ander['aanvraag']}/intrekking", ctx) == 403
    assert await _status(suite, "POST", f"{INTAKE}/aanvragen", ctx, json={
        "ingediendDoor": "medewerker", "vragen": [{"leefgebied": ander["leefgebied"]}],
        "aanvrager": {"burgerservicenummer": bsn(), "naam": {"geslachtsnaam": "Jansen"}}}) == 403

    # Klantgegevens: the household with a lawful reason in its kolom, not the other.
    assert (await _json(suite, "GET", eigen["huishouden"], ctx))["url"] == eigen["huishouden"]
    assert await _status(suite, "GET", ander["huishouden"], ctx) == 403
    assert ander["huishouden"].startswith(KLANTGEGEVENS)

    # Nothing of the other kolom changed.
    assert (await _json(suite, "GET", ander["aanvraag"]))["status"] != "ingetrokken"
    assert (await _json(suite, "GET", ander["zaak"])).get("omschrijving") != "x"


async def test_a_service_called_directly_shows_a_kolom_or_cluster_team_nothing_of_another(suite: Any) -> None:
    jeugd, schuldhulp = suite.data["jeugd"], suite.data["schuldhulp"]
    # One data set for the three teams (a suite takes seconds to start); each team's own writes add to its own
    # kolom only, which the next team does not see either.
    await _sees_only_its_own(suite, _context("jeugdteam", jeugd, schuldhulp, kolommen=["jeugd"]), jeugd, schuldhulp)
    # Limited to its cluster alone: the service finds the cluster's kolommen in its own archetype profile.
    await _sees_only_its_own(suite, _context("finteam", schuldhulp, jeugd, clusters=[FIN]), schuldhulp, jeugd)
    await _sees_only_its_own(suite, _context("zorgteam", jeugd, schuldhulp, clusters=[ZORG]), jeugd, schuldhulp)


def test_the_limit_is_the_applicaties_own_not_the_grants() -> None:
    """What every service applies to the context it verified, shown on the context itself."""
    from sds.runtime.auth import begrens

    kolommen = {ZORG: ("wmo", "jeugd"), FIN: ("participatie", "schuldhulp")}
    ctx = AuthContext(client_id="a", clusters=[FIN], autorisaties=[
        Autorisatie(component="zrc", scopes=["zaken.lezen"]),
        Autorisatie(component="zrc", scopes=["zaken.lezen"], kolom="jeugd"),
        Autorisatie(component="drc", scopes=["documenten.lezen"], informatieobjecttype="http://x/iot/1")])
    held = begrens(ctx, kolommen)
    assert held.kolommen == ["participatie", "schuldhulp"]
    assert [(g.component, g.kolom) for g in held.autorisaties] == [
        ("zrc", "participatie"), ("zrc", "schuldhulp"), ("drc", None)]
    # A cluster the service does not know (or no profile) reaches nothing of a per-kolom component.
    assert [g.component for g in begrens(ctx).autorisaties] == ["drc"]
    onbekend = AuthContext(client_id="d", clusters=["elders"], autorisaties=[
        Autorisatie(component="klantgegevens", scopes=["klantgegevens.lezen"]),
        Autorisatie(component="brc", scopes=["besluiten.lezen"], besluittype="http://x/bt/1")])
    assert begrens(onbekend, kolommen).autorisaties == [] and begrens(onbekend, kolommen).kolommen == []
    # Not limited, or every right: as it came.
    assert begrens(AuthContext(client_id="b", autorisaties=ctx.autorisaties), kolommen).autorisaties == \
        ctx.autorisaties
    alles = AuthContext(client_id="c", heeft_alle_autorisaties=True, kolommen=["jeugd"])
    assert begrens(alles, kolommen) is alles


async def test_beleidsinfo_called_directly_shows_a_limited_team_no_cell_of_another_kolom_or_cluster(
        tmp_path: Path) -> None:
    from tests.beleidsinfo.conftest import aanvraag_ingediend, lezer, make_bi

    jan = date(2026, 1, 5)
    async for bi in make_bi(tmp_path, archetype=ARCHETYPE):
        # Six households in each kolom (counts below the suppression threshold would hide the cells anyway).
        await bi.deliver(*(aanvraag_ingediend(n, n, ["jeugd"], jan) for n in range(6)),
                         *(aanvraag_ingediend(n, n, ["schuldhulp"], jan) for n in range(6, 12)))
        alles = (await bi.get("/indicatoren/instroom", van="2026-01-01", tot="2026-12-31")).json()["results"]
        assert {c["kolom"] for c in alles} >= {"jeugd", "schuldhulp"}
        profile = load_profile(ARCHETYPE)
        for ctx, kolom in ((lezer(kolommen=["jeugd"]), "jeugd"), (lezer(clusters=[FIN]), "schuldhulp")):
            response = await bi.get("/indicatoren/instroom", ctx, van="2026-01-01", tot="2026-12-31")
            assert response.status_code == 200, response.text
            cellen = response.json()["results"]
            assert any(c["kolom"] == kolom and c["aantal"] == 6 for c in cellen), cellen
            assert {c["kolom"] for c in cellen} <= {"alle", *_limit(ctx)}, cellen
            assert {c["cluster"] for c in cellen} <= {"alle", profile.cluster_of(kolom)}, cellen
