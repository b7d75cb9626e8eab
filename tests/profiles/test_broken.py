"""Broken profiles are refused, each with a message that names the file, the place and the problem."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sds.profiles import ProfileError, load_profile, parse_profile_text, shipped_path
from tests.profiles.conftest import shipped_data, write

Mutation = Callable[[dict[str, Any]], None]
ELDERS, TWEEDE, TOTAAL, TRANSITIE = ("geclusterd-integraal-elders", "integraal-in-tweede-instantie",
                                     "totaal-integraal", "transitie-proof")
INKOMEN = "financiele-en-inkomensondersteuning"


def _set(path: str, value: Any) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target = data
        for part in parents:
            target = target[part]
        target[last] = value
    return mutate


def _delete(path: str) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target = data
        for part in parents:
            target = target[part]
        del target[last]
    return mutate


def _all(*mutations: Mutation) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        for mutation in mutations:
            mutation(data)
    return mutate


# (base profile, mutation, dotted place, words of the problem)
CASES: dict[str, tuple[str, Mutation, str, str]] = {
    "unknown kolom": (ELDERS, _set("clusters.zorg.kolommen", ["wmo", "ouderen"]),
                      "clusters.zorg.kolommen[1]", "'ouderen' is not a kolom; the kolommen are wmo, jeugd"),
    "unknown kolom in use": (TRANSITIE, _set("kolommen", ["wmo", "jeugd", "zorg"]),
                             "kolommen[2]", "'zorg' is not a kolom"),
    "kolom in two clusters": (ELDERS, _set(f"clusters.{INKOMEN}.kolommen", ["participatie", "schuldhulp", "wmo"]),
                              f"clusters.{INKOMEN}.kolommen[2]", "kolom wmo is already in cluster zorg"),
    "kolom in use in no cluster": (TRANSITIE, _delete("clusters.jeugd"), "kolommen[1]",
                                   "kolom jeugd is in use but in no cluster"),
    "cluster kolom not in use": (TRANSITIE, _all(_set("kolommen", ["wmo", "participatie", "schuldhulp"]),
                                                 _delete("termijnen.jeugd")),
                                 "clusters.jeugd.kolommen[0]", "kolom jeugd is not in use"),
    "extern cluster without partij": (ELDERS, _delete("clusters.jeugdzorg.partij"), "clusters.jeugdzorg.toegang",
                                      "has toegang extern but names no partij"),
    "partij not in externe_partijen": (ELDERS, _set("clusters.jeugdzorg.partij", "regio-noord"),
                                       "clusters.jeugdzorg.partij",
                                       "partij regio-noord is not in externe_partijen, so there is no api"),
    "partij without api": (ELDERS, _delete("externe_partijen.regionale-jeugdorganisatie.api"),
                           "externe_partijen.regionale-jeugdorganisatie.api", "is required but missing"),
    "partij that runs no cluster": (ELDERS, _set("clusters.jeugdzorg", {"kolommen": ["jeugd"], "toegang": "intern"}),
                                    "externe_partijen.regionale-jeugdorganisatie", "runs the access of no cluster"),
    "intern cluster with a partij": (TRANSITIE, _set("clusters.jeugd.partij", "regio"), "clusters.jeugd.partij",
                                     "has toegang intern, so it delegates to no partij"),
    "plain http to a remote party": (ELDERS, _set("externe_partijen.zorgverzekeraar.api", "http://api.zv.example/v1"),
                                     "externe_partijen.zorgverzekeraar.api", "must use https"),
    "literal secret": (ELDERS, _set("externe_partijen.zorgverzekeraar.credentials", "hunter2-Geheim!"),
                       "externe_partijen.zorgverzekeraar.credentials", "never the secret itself"),
    "secret in the api url": (ELDERS, _set("externe_partijen.zorgverzekeraar.api",
                                           "https://zv:hunter2@api.zv.example/v1"),
                              "externe_partijen.zorgverzekeraar.api", "without a user name, password"),
    "escalation under integral access": (TOTAAL, _set("escalatie", {"naar": "integraal-team",
                                                                    "bij": {"kolommen_minimaal": 2}}),
                                         "escalatie", "eerste_toegang is integraal"),
    "escalation without a trigger": (TWEEDE, _set("escalatie.bij", {}), "escalatie.bij", "names no trigger"),
    "escalation threshold above the kolommen": (TWEEDE, _set("escalatie.bij.kolommen_minimaal", 5),
                                                "escalatie.bij.kolommen_minimaal", "must be at most 4, got 5"),
    "escalation threshold above the kolommen in use": (TWEEDE, _all(
        _set("kolommen", ["wmo", "jeugd"]), _delete("clusters.participatie"), _delete("clusters.schuldhulp"),
        _delete("termijnen.participatie"), _delete("termijnen.schuldhulp"),
        _set("signalering.kolom_per_soort", {"schoolverzuim": "jeugd"}), _set("escalatie.bij.kolommen_minimaal", 3)),
        "escalatie.bij.kolommen_minimaal", "is 3 but only 2 kolommen are in use"),
    "open zaak trigger without household": (TWEEDE, _set("capabilities.huishoudperspectief", False),
                                            "escalatie.bij.open_zaak_andere_kolom", "needs capabilities."),
    "per-kolom access with a cluster of two": (TRANSITIE, _all(_delete("clusters.jeugd"),
                                                               _set("clusters.wmo.kolommen", ["wmo", "jeugd"])),
                                               "clusters.wmo.kolommen", "eerste_toegang is per-kolom"),
    "one plan without household perspective": (TRANSITIE, _set("regie", {"model": "een-plan-een-regisseur",
                                                                         "plan_per": "huishouden"}),
                                               "regie.model", "needs capabilities.huishoudperspectief"),
    "plan per that does not fit the regie": (TOTAAL, _set("regie.plan_per", "cluster"), "regie.plan_per",
                                             "means a plan per huishouden, not cluster"),
    "own dossier without household perspective": (TRANSITIE, _set("capabilities.eigen_dossier", True),
                                                   "capabilities.eigen_dossier", "needs capabilities.huishoud"),
    "clusterinformatie with one cluster": (TOTAAL, _set("capabilities.clusterinformatie", True),
                                           "capabilities.clusterinformatie", "this profile has one"),
    "signalering while the signaalfunctie is off": (TRANSITIE, _set("capabilities.signaalfunctie", False),
                                                    "signalering", "while capabilities.signaalfunctie is off"),
    "signaalfunctie without a rule": (TRANSITIE, _set("signalering", None), "signalering",
                                      "say when signals make a proactive aanvraag"),
    "signal kind to a kolom not in use": (TRANSITIE, _all(_set("kolommen", ["wmo", "jeugd", "participatie"]),
                                                          _delete("clusters.schuldhulp"),
                                                          _delete("termijnen.schuldhulp")),
                                          "signalering.kolom_per_soort.huurachterstand", "kolom schuldhulp"),
    "unknown signal kind": (TRANSITIE, _set("signalering.kolom_per_soort.boete", "schuldhulp"),
                            "signalering.kolom_per_soort.boete", "'boete' as a name is not allowed here"),
    "kolom without termijnen": (TRANSITIE, _delete("termijnen.wmo"), "kolommen[0]", "has no termijnen"),
    "upstream for an unknown service": (TRANSITIE, _set("upstreams", {"gateway": {"url": "https://gw.example"}}),
                                        "upstreams.gateway", "'gateway' as a name is not allowed here"),
    "upstream for an unknown cluster": (TRANSITIE, _set("upstreams", {"zaken": {"clusters": {
        "zorg": "https://zaken-zorg.example"}}}), "upstreams.zaken.clusters.zorg", "there is no cluster zorg"),
    "upstream for an extern cluster": (ELDERS, _set("upstreams", {"zaken": {"clusters": {
        "jeugdzorg": "https://zaken-jeugd.example"}}}), "upstreams.zaken.clusters.jeugdzorg",
        "cluster jeugdzorg is extern"),
    "priority that is switched off": (TRANSITIE, _set("prioriteiten", ["toegang", "zelfredzaamheid"]),
                                      "prioriteiten[1]", "zelfredzaamheid is a priority but this profile switches it"),
    "wrong type: text for a number": (TWEEDE, _set("escalatie.bij.kolommen_minimaal", "twee"),
                                      "escalatie.bij.kolommen_minimaal", "must be a whole number, got the text 'twee'"),
    "wrong type: text for a boolean": (TRANSITIE, _set("capabilities.signaalfunctie", "ja"),
                                       "capabilities.signaalfunctie", "must be true or false, got the text 'ja'"),
    "wrong type: a list for a cluster": (TRANSITIE, _set("clusters.wmo", ["wmo"]), "clusters.wmo",
                                         "must be a mapping of fields, got a list"),
    "missing field": (TRANSITIE, _delete("capabilities"), "capabilities", "is required but missing"),
    "unknown field": (TRANSITIE, _set("clusters.wmo.loket", "centraal"), "clusters.wmo.loket",
                      "is not a known field (known here: kolommen, toegang, partij)"),
    "cluster name that is no code": (TRANSITIE, _set("clusters.Zorg Team", {"kolommen": ["wmo"],
                                                                            "toegang": "intern"}),
                                     "clusters.Zorg Team", "'Zorg Team' as a name is not a valid name"),
    "kolom listed twice": (TRANSITIE, _set("clusters.wmo.kolommen", ["wmo", "wmo"]), "clusters.wmo.kolommen[1]",
                           "kolom wmo is listed twice"),
    "whole integral view without integral work": (TRANSITIE, _set("zicht.integraal", "geheel"), "zicht.integraal",
                                                  "no aanvraag is ever integral here"),
    "unknown view of other kolommen": (TRANSITIE, _set("zicht.andere_kolommen", "alles"),
                                       "zicht.andere_kolommen", "alles"),
    "zero days": (TRANSITIE, _set("termijnen.wmo.beslissing_dagen", 0), "termijnen.wmo.beslissing_dagen",
                  "must be at least 1, got 0"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_broken_profile_is_refused_with_place_and_problem(case: str, tmp_path: Path) -> None:
    base, mutate, place, words = CASES[case]
    data = shipped_data(base)
    mutate(data)
    path = write(tmp_path, data)
    with pytest.raises(ProfileError) as refused:
        load_profile(str(path))
    message = str(refused.value)
    matching = [line for line in message.splitlines() if f": {place}: " in line]
    assert matching, f"no problem at {place}:\n{message}"
    assert any(words in line for line in matching), message
    assert all(line.startswith(f"{path}:") for line in message.splitlines()), message
    assert "hunter2" not in message, "a refused secret must not be repeated where logs keep it"


def test_the_unbroken_base_of_every_case_loads(tmp_path: Path) -> None:
    # Otherwise a case could pass on a problem the mutation did not make.
    for base in {base for base, *_ in CASES.values()}:
        load_profile(str(write(tmp_path, shipped_data(base), f"{base}.yaml")))


def _elders_text() -> str:
    return shipped_path(ELDERS).read_text(encoding="utf-8")


def _line_of(text: str, fragment: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), 1) if fragment in line)


def test_the_message_names_the_line_of_the_place(tmp_path: Path) -> None:
    text = _elders_text().replace("kolommen: [wmo], toegang: extern", "kolommen: [wmo, ouderen], toegang: extern")
    path = tmp_path / "elders.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProfileError) as refused:
        load_profile(path)
    line = _line_of(text, "ouderen")
    assert str(refused.value) == (f"{path}:{line}: clusters.zorg.kolommen[1]: 'ouderen' is not a kolom; the "
                                  f"kolommen are wmo, jeugd, participatie, schuldhulp")
    assert refused.value.problems[0].path == "clusters.zorg.kolommen[1]"


def test_a_yaml_syntax_error_is_refused_with_its_line(tmp_path: Path) -> None:
    text = _elders_text().replace("kolommen: [wmo], toegang: extern", "kolommen: [wmo, toegang: extern")
    with pytest.raises(ProfileError) as refused:
        parse_profile_text(text, "elders.yaml")
    message = str(refused.value)
    assert message.startswith("elders.yaml:") and "YAML syntax error" in message
    reported = int(message.split(":")[1])
    assert abs(reported - _line_of(text, "kolommen: [wmo, toegang")) <= 1


def test_a_key_given_twice_is_refused_rather_than_silently_dropped() -> None:
    text = _elders_text().replace("  jeugdzorg: {kolommen: [jeugd]",
                                  "  zorg: {kolommen: [jeugd]")
    with pytest.raises(ProfileError) as refused:
        parse_profile_text(text, "elders.yaml")
    line = _line_of(text, "zorg: {kolommen: [jeugd]")
    assert f"elders.yaml:{line}: clusters.zorg: is given twice" in str(refused.value)


@pytest.mark.parametrize(("text", "words"), [
    ("", "got an empty document"),
    ("- wmo\n- jeugd\n", "a profile is a mapping of fields (archetype, kolommen, clusters, ...), got a list"),
])
def test_a_document_that_is_no_mapping_is_refused(text: str, words: str) -> None:
    with pytest.raises(ProfileError, match=r"^p\.yaml: ") as refused:
        parse_profile_text(text, "p.yaml")
    assert words in str(refused.value)


def test_a_name_that_is_neither_shipped_nor_a_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ProfileError) as refused:
        load_profile(str(tmp_path / "geclusterd.yaml"))
    assert "no such file, and not a shipped profile (shipped: transitie-proof, " in str(refused.value)


def test_every_problem_is_listed_not_only_the_first(tmp_path: Path) -> None:
    data = shipped_data(ELDERS)
    data["clusters"]["jeugdzorg"]["partij"] = "regio-noord"
    data["externe_partijen"]["zorgverzekeraar"]["credentials"] = "hunter2"
    data["escalatie"] = {"naar": "integraal-team", "bij": {}}
    with pytest.raises(ProfileError) as refused:
        load_profile(write(tmp_path, data))
    # The credentials fail the shape; the shape is fixed first, so only that one is reported ...
    assert [p.path for p in refused.value.problems] == ["externe_partijen.zorgverzekeraar.credentials"]
    data["externe_partijen"]["zorgverzekeraar"]["credentials"] = "env:ZV"
    with pytest.raises(ProfileError) as refused:
        load_profile(write(tmp_path, data))
    # ... and then every cross-field problem at once.
    assert {p.path for p in refused.value.problems} >= {"clusters.jeugdzorg.partij", "escalatie.bij",
                                                        "externe_partijen.regionale-jeugdorganisatie"}
