"""What a part of the suite asks of a loaded profile: a kolom's cluster, a cluster's partij, an upstream."""

from __future__ import annotations

from pathlib import Path

import pytest

from sds.profiles import explain, load_profile, parse_profile
from tests.profiles.conftest import shipped_data, write


def test_upstreams_default_to_the_internal_service_and_name_a_cluster_instance() -> None:
    data = shipped_data("geclusterd-integraal")
    data["upstreams"] = {"zaken": {"url": "https://zaken.gemeente.example/", "clusters": {
        "zorg-en-jeugd": "https://zaken-zorg.gemeente.example"}}}
    profile = parse_profile(data)
    # The trailing slash goes, so the gateway can append a path without a double slash.
    assert profile.upstream("zaken") == "https://zaken.gemeente.example"
    assert profile.upstream("zaken", "zorg-en-jeugd") == "https://zaken-zorg.gemeente.example"
    assert profile.upstream("zaken", "financiele-en-inkomensondersteuning") == "https://zaken.gemeente.example"
    assert profile.upstream("intake", "zorg-en-jeugd") is None
    text = " ".join(explain(profile).split())
    assert "intake opens a zaak in cluster zorg-en-jeugd for wmo (zaken at https://zaken-zorg.gemeente.example)" in text
    assert "zaken: https://zaken.gemeente.example; cluster zorg-en-jeugd: https://zaken-zorg.gemeente.example." in text


def test_a_local_test_server_may_stand_in_for_a_party_over_plain_http(tmp_path: Path) -> None:
    data = shipped_data("geclusterd-integraal-elders")
    data["externe_partijen"]["regionale-jeugdorganisatie"]["api"] = "http://127.0.0.1:18080/v1"
    profile = load_profile(write(tmp_path, data))
    assert profile.partij_of("jeugdzorg").api == "http://127.0.0.1:18080/v1"  # type: ignore[union-attr]


def test_cluster_of_a_kolom_not_in_use_is_a_key_error() -> None:
    data = shipped_data("transitie-proof")
    data["kolommen"] = ["wmo", "jeugd", "participatie"]
    del data["clusters"]["schuldhulp"], data["termijnen"]["schuldhulp"]
    data["signalering"]["kolom_per_soort"] = {"schoolverzuim": "jeugd"}
    profile = parse_profile(data)
    assert profile.cluster_of("jeugd") == "jeugd"
    with pytest.raises(KeyError):
        profile.cluster_of("schuldhulp")


def test_escalation_under_per_cluster_access_counts_only_questions_across_clusters() -> None:
    data = shipped_data("geclusterd-integraal")
    data["escalatie"] = {"naar": "integraal-team", "bij": {"kolommen_minimaal": 2}}
    data["prioriteiten"].append("escalatie")
    text = " ".join(explain(parse_profile(data)).split())
    same = text[text.index("two kolommen of the same cluster"):text.index("two clusters")]
    across = text[text.index("two clusters"):text.index("A signal")]
    assert "integraal team" not in same
    assert "the household also goes to the integraal team" in across


def test_a_profile_without_signaalfunctie_says_signals_are_not_acted_on() -> None:
    data = shipped_data("transitie-proof")
    data["capabilities"]["signaalfunctie"] = False
    data["signalering"] = None
    data["prioriteiten"].remove("signaalfunctie")
    assert "the signaalfunctie is off, so intake does not act on signals" in explain(parse_profile(data))
