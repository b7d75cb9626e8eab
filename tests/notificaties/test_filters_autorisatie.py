"""Filters as the standard has them (kenmerken per kanaal) and the subscriber's authorisation: zaaktypen and
vertrouwelijkheid its applicatie may read, the kolommen and clusters it is limited to; no BSN in a notificatie."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from contracts.envelope import CloudEvent
from contracts.events.registry import EVENT_TYPES
from sds.runtime.auth import AuthContext, Autorisatie
from services.notificaties.abonnementen.domain import Abonnee, Bereik, Verdeling, may_receive
from services.notificaties.notificaties.bridge import ROUTES, notificatie_of
from tests.notificaties.conftest import ZAAKTYPE, Nrc, abonnee, eventually
from tests.notificaties.receiver import Receiver
from tests.notificaties.test_delivery import BRON, bridge, zaak_event
from tests.support.servers import serve

ANDER_ZAAKTYPE = "http://testserver/catalogi/api/v1/zaaktypen/0e0e0e0e-2c5e-4c57-9a4b-7f3f6c7b7a02"
BSN = "999990408"  # a BSN from the test range (11-proef holds)


def zrc(**kw: Any) -> Autorisatie:
    return Autorisatie(component="zrc", scopes=["zaken.lezen"], **kw)


KENMERKEN = {"bronorganisatie": BRON, "zaaktype": ZAAKTYPE, "vertrouwelijkheidaanduiding": "vertrouwelijk"}
WMO = Bereik(kolommen=("wmo",), cluster="zorg")


def test_fan_out_finds_every_abonnement_whose_filters_match_and_no_other() -> None:
    alles = AuthContext(client_id="a", heeft_alle_autorisaties=True)

    def ab(i: int, *kanalen: dict[str, Any], auth: AuthContext = alles) -> Abonnee:
        return Abonnee(id=i, kanalen=list(kanalen), autorisatie=auth)

    verdeling = Verdeling([
        ab(1, {"naam": "zaken", "filters": {}}),  # everything on zaken
        ab(2, {"naam": "zaken", "filters": {"zaaktype": ZAAKTYPE}}),
        ab(3, {"naam": "zaken", "filters": {"zaaktype": ZAAKTYPE, "bronorganisatie": "000000000"}}),  # one differs
        ab(4, {"naam": "zaken", "filters": {"bronorganisatie": BRON, "zaaktype": ZAAKTYPE}}),
        ab(5, {"naam": "documenten", "filters": {}}, {"naam": "zaken", "filters": {"zaaktype": ANDER_ZAAKTYPE}},
           {"naam": "zaken", "filters": {"vertrouwelijkheidaanduiding": "vertrouwelijk"}}),  # its 2nd group matches
        ab(6, {"naam": "zaken", "filters": {"zaaktype": ANDER_ZAAKTYPE}}),
        ab(7, {"naam": "besluiten", "filters": {}}),
        ab(8, {"naam": "zaken", "filters": {"zaaktype": ZAAKTYPE}}, auth=AuthContext(client_id="b")),  # no grant
    ])
    assert verdeling.recipients("zaken", KENMERKEN, WMO) == [1, 2, 4, 5]
    assert verdeling.recipients("documenten", {}, Bereik()) == [5]
    assert verdeling.recipients("aanvragen", KENMERKEN, WMO) == []


def test_the_applicaties_limits() -> None:
    assert may_receive(abonnee("a", zrc(zaaktype=ZAAKTYPE)), "zaken", KENMERKEN, WMO)
    assert not may_receive(abonnee("a", zrc(zaaktype=ANDER_ZAAKTYPE)), "zaken", KENMERKEN, WMO)
    assert may_receive(abonnee("a", zrc(max_vertrouwelijkheidaanduiding="vertrouwelijk")), "zaken", KENMERKEN, WMO)
    assert not may_receive(abonnee("a", zrc(max_vertrouwelijkheidaanduiding="zaakvertrouwelijk")), "zaken",
                           KENMERKEN, WMO)
    assert may_receive(abonnee("a", zrc(kolom="wmo")), "zaken", KENMERKEN, WMO)
    assert not may_receive(abonnee("a", zrc(kolom="jeugd")), "zaken", KENMERKEN, WMO)
    # a catalogus grant is only sure of a notificatie that names its catalogus: fail closed otherwise
    assert not may_receive(abonnee("a", zrc(catalogus="http://x.example/catalogussen/1")), "zaken", KENMERKEN, WMO)
    # without a zrc grant: no zaken at all, though the suite's own kanalen still
    nrc_only = AuthContext(client_id="a", autorisaties=[Autorisatie(component="nrc",
                                                                    scopes=["notificaties.consumeren"])])
    assert not may_receive(nrc_only, "zaken", KENMERKEN, WMO)
    assert may_receive(nrc_only, "financien", {"kolom": "wmo"}, WMO)
    # kolommen and clusters of the applicatie (an external party: its cluster)
    assert may_receive(abonnee("a", kolommen=["wmo"]), "financien", {}, WMO)
    assert may_receive(abonnee("a", clusters=["zorg"]), "financien", {}, WMO)
    assert not may_receive(abonnee("a", kolommen=["jeugd"], clusters=["jeugd"]), "financien", {}, WMO)
    assert may_receive(abonnee("a", kolommen=["jeugd"]), "klantgegevens", {}, Bereik())  # names no kolom
    # consumeren is needed, all rights do without it
    geen = AuthContext(client_id="a", autorisaties=[zrc()])
    assert not may_receive(geen, "zaken", KENMERKEN, WMO)
    assert may_receive(AuthContext(client_id="a", heeft_alle_autorisaties=True), "zaken", KENMERKEN, WMO)


async def test_filters_and_limits_decide_who_gets_what(nrc: Nrc) -> None:
    subscribers = {name: Receiver() for name in ("alles", "filter", "zaaktype", "geheim", "jeugd")}
    with (serve(subscribers["alles"].app()) as alles, serve(subscribers["filter"].app()) as filt,
          serve(subscribers["zaaktype"].app()) as zt, serve(subscribers["geheim"].app()) as geheim,
          serve(subscribers["jeugd"].app()) as jeugd):
        zaken = [{"naam": "zaken", "filters": {}}]
        await nrc.abonneer(f"{alles}/callback", zaken, abonnee("alles"))
        await nrc.abonneer(f"{filt}/callback", [{"naam": "zaken", "filters": {"zaaktype": ANDER_ZAAKTYPE}}],
                           abonnee("filter"))
        await nrc.abonneer(f"{zt}/callback", zaken, abonnee("zaaktype", zrc(zaaktype=ZAAKTYPE)))
        await nrc.abonneer(f"{geheim}/callback", zaken,
                           abonnee("geheim", zrc(max_vertrouwelijkheidaanduiding="zaakvertrouwelijk")))
        await nrc.abonneer(f"{jeugd}/callback", zaken, abonnee("jeugd", kolommen=["jeugd"]))
        await bridge(nrc, zaak_event(1), zaak_event(2, zaaktype=ANDER_ZAAKTYPE),
                     zaak_event(3, vertrouwelijkheidaanduiding="geheim"), zaak_event(4, kolommen=["jeugd"]))
        expected = {"alles": ["1", "2", "3", "4"], "filter": ["2"], "zaaktype": ["1", "3", "4"],
                    "geheim": ["1", "2", "4"], "jeugd": ["4"]}

        def zaken_van(name: str) -> list[str]:
            return sorted(b["hoofdObject"][-1] for b in subscribers[name].berichten())

        for name, zaken_nrs in expected.items():
            await eventually(lambda name=name, n=len(zaken_nrs): len(subscribers[name].received) >= n)
        await asyncio.sleep(0.3)  # and nothing more comes
        assert {name: zaken_van(name) for name in expected} == expected


def test_no_route_passes_anything_but_its_kenmerken_and_no_bsn() -> None:
    """The event types the bridge routes are those the registry (and so the AsyncAPI document) names
    notificaties a consumer of, and what an event carries beyond the kanaal's kenmerken (here a BSN slipped into
    data) never reaches the notificatie."""
    assert set(ROUTES) == {name for name, spec in EVENT_TYPES.items() if "notificaties" in spec.consumers}
    for event_type, route in ROUTES.items():
        data = {route.hoofd: "https://example.com/objecten/1", "bsn": BSN, "inpBsn": BSN, "kolom": "wmo",
                "betrokkeneIdentificatie": {"inpBsn": BSN}, "zaaktype": ZAAKTYPE}
        made = notificatie_of(CloudEvent(source="urn:nld:sociaal-domein:zaken", type=event_type,
                                         dataref="https://example.com/objecten/1", data=data))
        assert made is not None and made.kanaal == route.kanaal, event_type
        assert BSN not in json.dumps(made.bericht), event_type
        assert set(made.bericht) == {"kanaal", "hoofdObject", "resource", "resourceUrl", "actie", "aanmaakdatum",
                                     "kenmerken"}


def test_a_document_event_becomes_a_documenten_notificatie_for_who_may_read_its_type() -> None:
    drc = "http://x.example/documenten/api/v1/enkelvoudiginformatieobjecten/1"
    iotype = "http://x.example/catalogi/api/v1/informatieobjecttypen/1"
    event = CloudEvent(source="urn:nld:sociaal-domein:documenten", type=(
        "nl.overheid.documenten.enkelvoudiginformatieobject-aangemaakt"), subject="1", dataref=drc, data={
        "informatieobject": drc, "informatieobjecttype": iotype, "versie": 1, "vertrouwelijkheidaanduiding": "intern"})
    notificatie = notificatie_of(event)
    assert notificatie is not None
    assert (notificatie.kanaal, notificatie.bericht["resource"], notificatie.bericht["actie"]) == (
        "documenten", "enkelvoudiginformatieobject", "create")
    assert notificatie.bericht["kenmerken"] == {"informatieobjecttype": iotype, "vertrouwelijkheidaanduiding": "intern"}

    def lezer(**kw: Any) -> AuthContext:
        return abonnee("a", Autorisatie(component="drc", scopes=["documenten.lezen"], **kw))

    kenmerken, bereik = notificatie.bericht["kenmerken"], notificatie.bereik
    assert may_receive(lezer(informatieobjecttype=iotype, max_vertrouwelijkheidaanduiding="intern"), "documenten",
                       kenmerken, bereik)
    assert not may_receive(lezer(informatieobjecttype=iotype + "0"), "documenten", kenmerken, bereik)
    assert not may_receive(lezer(max_vertrouwelijkheidaanduiding="openbaar"), "documenten", kenmerken, bereik)
    # a zaken reader is no documenten reader
    assert not may_receive(abonnee("a", zrc()), "documenten", kenmerken, bereik)
