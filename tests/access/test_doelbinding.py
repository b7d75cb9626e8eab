"""The doelbinding mechanism itself (sds.runtime.doelbinding): a resource's declaration must name every field of
its schema, the declarations can be listed, and the three choices of zicht.andere_kolommen are honoured."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from sds.profiles import load_profile
from sds.runtime.auth import AuthContext, Autorisatie
from sds.runtime.doelbinding import Bron, OnvolledigeVorm, Zicht, bereik, bronnen, registreer
from services.intake.aanvragen.schemas import AANVRAAG, HISTORIEREGEL, Aanvraag, Triage
from services.intake.signalen.schemas import SIGNAAL


class AanvraagMetNotitie(Aanvraag):
    notitie: str | None = None  # a new field whose kolom nobody declared


class TriageMetAdvies(Triage):
    advies: str | None = None


def test_a_field_added_to_the_schema_without_its_kolom_is_refused() -> None:
    with pytest.raises(OnvolledigeVorm, match="not declared: notitie"):
        registreer(replace(AANVRAAG, naam="aanvraag-met-notitie",
                           vorm=replace(AANVRAAG.vorm, schema=AanvraagMetNotitie)))
    nested = replace(AANVRAAG.vorm, binnen={"triage": replace(AANVRAAG.vorm.binnen["triage"], schema=TriageMetAdvies)})
    with pytest.raises(OnvolledigeVorm, match=r"aanvraag-x\.triage \(TriageMetAdvies\): not declared: advies"):
        registreer(replace(AANVRAAG, naam="aanvraag-x", vorm=nested))
    assert "aanvraag-met-notitie" not in {b["bron"] for b in bronnen()}


def test_a_field_declared_twice_or_not_in_the_schema_is_refused() -> None:
    with pytest.raises(OnvolledigeVorm, match="declared twice: toelichting"):
        registreer(replace(AANVRAAG, naam="a", vorm=replace(AANVRAAG.vorm, vrij=(*AANVRAAG.vorm.vrij, "toelichting"))))
    with pytest.raises(OnvolledigeVorm, match="not in the schema: bestaatniet"):
        registreer(replace(AANVRAAG, naam="b", vorm=replace(AANVRAAG.vorm, vrij=(*AANVRAAG.vorm.vrij, "bestaatniet"))))


def test_every_resource_and_its_kolom_bearing_parts_can_be_listed() -> None:
    listed = {b["bron"]: b for b in bronnen()}
    assert {"aanvraag", "aanvraag-historieregel", "signaal"} <= set(listed)
    delen = {d["veld"]: d for d in listed["aanvraag"]["delen"]}
    assert {"vragen", "termijnen", "delegaties", "toelichting", "kolommen", "clusters", "triage.zaken",
            "triage.delegaties", "triage.redenen", "triage.integraal", "triage.regie"} == set(delen)
    assert delen["triage.redenen"]["ondeelbaar"] and delen["clusters"]["soort"] == "spoor:clusters"
    assert listed["aanvraag-historieregel"]["ondeelbaar"] is True
    assert [d["veld"] for d in listed["signaal"]["delen"]] == ["aanvraag", "kolom"]
    assert SIGNAAL.vorm.schema.__name__ == "Signaal" and HISTORIEREGEL.vorm.melding is None


def _aanvraag() -> dict[str, Any]:
    return {"url": "u", "uuid": "x", "huishouden": "h", "ingediendDoor": "medewerker", "status": "getrieerd",
            "kolommen": ["jeugd", "schuldhulp"], "clusters": ["zorg-en-jeugd", "financiele-en-inkomensondersteuning"],
            "vragen": [{"leefgebied": "opvoeden", "kolom": "jeugd", "toelichting": "opvoeden"},
                       {"leefgebied": "schulden", "kolom": "schuldhulp", "toelichting": "schulden"}],
            "registratiedatum": "2026-12-06", "ingediendOp": "2026-12-06T12:00:00Z", "toelichting": "beide",
            "triage": {"integraal": False, "regie": "per-cluster", "archetype": "geclusterd-integraal",
                       "getrieerdOp": "t", "delegaties": [],
                       "zaken": [{"kolommen": ["jeugd"], "cluster": "zorg-en-jeugd"},
                                 {"kolommen": ["schuldhulp"], "cluster": "financiele-en-inkomensondersteuning"}],
                       "redenen": [{"code": "c", "kolom": "jeugd", "tekst": "j"},
                                   {"code": "c", "kolom": "schuldhulp", "tekst": "s"}]},
            "termijnen": [{"kolom": "jeugd"}, {"kolom": "schuldhulp"}], "delegaties": [], "uitkomst": None,
            "einddatum": None, "andereKolommen": None}


@pytest.mark.parametrize(("andere", "kolommen", "clusters", "melding"), [
    ("niets", ["jeugd"], ["zorg-en-jeugd"], None),
    ("dat", ["jeugd"], ["zorg-en-jeugd"], True),
    ("welke", ["jeugd", "schuldhulp"], ["zorg-en-jeugd", "financiele-en-inkomensondersteuning"], True),
])
def test_what_a_team_learns_of_the_other_kolommen_is_the_profiles_choice(andere: Any, kolommen: list[str],
                                                                         clusters: list[str],
                                                                         melding: bool | None) -> None:
    profile = load_profile("geclusterd-integraal")
    zicht = Zicht(frozenset({"wmo", "jeugd"}), andere, False, {k: profile.cluster_of(k) for k in profile.kolommen})
    cut = zicht.snijd(AANVRAAG, _aanvraag())
    assert (cut["kolommen"], cut["clusters"], cut["andereKolommen"]) == (kolommen, clusters, melding)
    # A search on the other kolom would tell the same as the kolommen field.
    assert zicht.mag_weten("schuldhulp") is (andere == "welke") and zicht.mag_weten("jeugd")
    # Whatever the choice, the other kolom's content stays out.
    assert [v["kolom"] for v in cut["vragen"]] == ["jeugd"] and [t["kolom"] for t in cut["termijnen"]] == ["jeugd"]
    assert [r["tekst"] for r in cut["triage"]["redenen"]] == ["j"]
    assert cut["toelichting"] is None and cut["triage"]["integraal"] is None
    # The cut answer still has every field of the schema (left-out values are empty, not missing).
    assert set(cut) == {info.alias or name for name, info in Aanvraag.model_fields.items()}
    assert Zicht.alles().snijd(AANVRAAG, _aanvraag()) == _aanvraag()


def test_an_applicatie_limited_to_kolommen_reaches_no_further_than_them() -> None:
    profile = load_profile("geclusterd-integraal")
    grant = Autorisatie(component="intake", scopes=["intake.aanvragen.lezen"])
    assert bereik(AuthContext(client_id="a", autorisaties=[grant]), "intake", "intake.aanvragen.lezen",
                  profile) is None
    # A grant without kolom stays within the applicatie's kolommen (it once reached every kolom).
    assert bereik(AuthContext(client_id="a", autorisaties=[grant], kolommen=["jeugd"]), "intake",
                  "intake.aanvragen.lezen", profile) == {"jeugd"}
    assert bereik(AuthContext(client_id="a", autorisaties=[grant], clusters=["zorg-en-jeugd"]), "intake",
                  "intake.aanvragen.lezen", profile) == {"wmo", "jeugd"}
    # A cluster the profile does not know reaches nothing rather than everything.
    assert bereik(AuthContext(client_id="a", autorisaties=[grant], clusters=["elders"]), "intake",
                  "intake.aanvragen.lezen", profile) == frozenset()


def test_a_resource_without_a_kolom_is_seen_only_by_who_sees_every_kolom() -> None:
    signaal = {"kolom": None}
    assert not Zicht(frozenset({"jeugd"})).ziet_bron(SIGNAAL, signaal)
    assert Zicht.alles().ziet_bron(SIGNAAL, signaal)
    assert isinstance(SIGNAAL, Bron)
