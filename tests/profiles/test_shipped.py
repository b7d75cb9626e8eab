"""The five shipped profiles load, and each says what its archetype in the seed says."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import jsonschema

from sds.cli.suite import SERVICES as CLI_SERVICES
from sds.profiles import KOLOMMEN, SERVICES, SHIPPED, explain, load_profile, shipped_path
from sds.profiles.loading import SHIPPED_DIR
from sds.profiles.schema import SCHEMA_PATH
from tests.profiles.conftest import shipped_data


def test_each_shipped_profile_validates(shipped_name: str) -> None:
    profile = load_profile(shipped_name)
    assert profile.archetype == shipped_name
    assert load_profile(shipped_path(shipped_name)) == profile


def test_every_file_in_the_shipped_folder_is_a_shipped_name_and_back() -> None:
    assert sorted(path.stem for path in SHIPPED_DIR.glob("*.yaml")) == sorted(SHIPPED)
    assert len(SHIPPED) == 5


def test_each_shipped_profile_passes_the_checked_in_json_schema(shipped_name: str) -> None:
    # Editors and tools outside Python check profiles with the schema file; it must accept what the suite ships.
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(shipped_data(shipped_name))


def test_the_profile_knows_the_same_services_as_the_cli() -> None:
    assert SERVICES == CLI_SERVICES


def test_every_shipped_profile_keeps_every_kolom_in_use_with_the_legal_termijnen(shipped_name: str) -> None:
    profile = load_profile(shipped_name)
    assert sorted(profile.kolommen) == sorted(KOLOMMEN)
    assert profile.termijnen["wmo"].onderzoek_dagen == 42  # Wmo 2015: research within six weeks of the melding
    assert profile.termijnen["wmo"].beslissing_dagen == 14
    assert all(t.beslissing_dagen <= 84 for t in profile.termijnen.values())


def test_transitie_proof_keeps_the_kolommen_apart_without_household_plan() -> None:
    p = load_profile("transitie-proof")
    assert len(p.clusters) == 4
    assert all(len(c.kolommen) == 1 and c.toegang == "intern" for c in p.clusters.values())
    assert p.eerste_toegang == "per-kolom"
    assert p.escalatie is None
    assert p.regie.model == "geen" and p.regie.plan_per is None
    caps = p.capabilities
    assert not caps.huishoudperspectief and not caps.eigen_dossier and not caps.zelfredzaamheid
    assert caps.signaalfunctie and caps.contractbeheer and caps.beleidsinformatie
    assert p.signalering is not None and p.signalering.crisissignaal_direct
    assert p.prioriteiten[:2] == ["toegang", "signaalfunctie"]
    assert "zelfredzaamheid" not in p.prioriteiten and "regie" not in p.prioriteiten


def test_totaal_integraal_has_one_toegang_one_plan_and_the_household_leading() -> None:
    p = load_profile("totaal-integraal")
    assert len(p.clusters) == 1
    (cluster,) = p.clusters.values()
    assert sorted(cluster.kolommen) == sorted(KOLOMMEN) and cluster.toegang == "intern"
    assert p.eerste_toegang == "integraal"
    assert p.escalatie is None
    assert p.regie.model == "een-plan-een-regisseur" and p.regie.plan_per == "huishouden"
    caps = p.capabilities
    assert caps.huishoudperspectief and caps.eigen_dossier and caps.zelfredzaamheid and caps.signaalfunctie
    # "met vroegtijdige signalering erger voorkomen": a single signal is enough.
    assert p.signalering is not None and p.signalering.min_partners == 1
    assert p.prioriteiten[:2] == ["huishoudperspectief", "eigen-dossier"]


def test_geclusterd_integraal_has_toegang_and_regie_per_cluster() -> None:
    p = load_profile("geclusterd-integraal")
    assert len(p.clusters) >= 2
    assert any(len(c.kolommen) > 1 for c in p.clusters.values())
    assert all(c.toegang == "intern" for c in p.clusters.values())
    assert p.eerste_toegang == "per-cluster"
    assert p.escalatie is None
    assert p.regie.model == "per-cluster" and p.regie.plan_per == "cluster"
    assert p.capabilities.clusterinformatie and p.capabilities.beleidsinformatie
    assert p.prioriteiten[:4] == ["financiele-informatie", "beleidsinformatie", "clusterinformatie", "toegang"]
    assert sorted(p.clusters["zorg-en-jeugd"].kolommen) == ["jeugd", "wmo"]


def test_integraal_in_tweede_instantie_handles_single_questions_in_the_kolom_and_escalates() -> None:
    p = load_profile("integraal-in-tweede-instantie")
    assert all(len(c.kolommen) == 1 and c.toegang == "intern" for c in p.clusters.values())
    assert p.eerste_toegang == "per-kolom"
    assert p.escalatie is not None and p.escalatie.naar == "integraal-team"
    assert p.escalatie.bij.kolommen_minimaal == 2
    assert p.escalatie.bij.open_zaak_andere_kolom and p.escalatie.bij.doorverwijzing_vanuit_kolom
    assert p.regie.model == "geen"  # "Regievoering is daarbij geen doel"
    assert p.capabilities.huishoudperspectief and not p.capabilities.eigen_dossier
    assert p.prioriteiten[0] == "toegang" and p.prioriteiten[-1] == "escalatie"


def test_geclusterd_integraal_elders_delegates_zorg_and_jeugdzorg_to_external_parties() -> None:
    p = load_profile("geclusterd-integraal-elders")
    assert p.eerste_toegang == "per-cluster" and p.regie.model == "per-cluster"
    assert p.cluster_of("jeugd") == "jeugdzorg" and p.cluster_of("wmo") == "zorg"
    for cluster in ("zorg", "jeugdzorg"):
        assert p.clusters[cluster].toegang == "extern"
        partij = p.partij_of(cluster)
        assert partij is not None
        parts = urlsplit(partij.api)
        assert parts.scheme == "https" and parts.hostname is not None and parts.hostname.endswith(".example")
        assert partij.credentials.startswith("env:")
    assert p.clusters["zorg"].partij == "zorgverzekeraar"
    assert p.clusters["jeugdzorg"].partij == "regionale-jeugdorganisatie"
    intern = [name for name, c in p.clusters.items() if c.toegang == "intern"]
    assert intern == ["financiele-en-inkomensondersteuning"]
    assert p.partij_of("financiele-en-inkomensondersteuning") is None


def test_explain_names_every_cluster_and_every_external_party(shipped_name: str) -> None:
    p = load_profile(shipped_name)
    text = _flat(explain(p))
    for cluster in p.clusters:
        assert cluster in text
    for name, partij in p.externe_partijen.items():
        assert f"partij {name}" in text and partij.api in text and partij.credentials in text
    for kind in ("in kolom", "two kolommen of the same cluster", "two clusters", "A signal", "Regie:"):
        assert kind in text


def _flat(text: str) -> str:
    # explain wraps at 100 columns; the words matter here, not where a line breaks.
    return " ".join(text.split())


def test_explain_says_how_each_archetype_routes() -> None:
    transitie = _flat(explain(load_profile("transitie-proof")))
    assert "Nobody holds regie" in transitie and "does not occur: every cluster holds one kolom" in transitie
    assert "Delegated to external parties: - Nothing" in transitie
    totaal = _flat(explain(load_profile("totaal-integraal")))
    assert "one integral zaak for the household" in totaal and "one regisseur" in totaal
    assert "two clusters does not occur" in totaal
    tweede = _flat(explain(load_profile("integraal-in-tweede-instantie")))
    assert "goes to the integraal team" in tweede and "at least 2 kolommen" in tweede
    elders = _flat(explain(load_profile("geclusterd-integraal-elders")))
    assert "the jeugd part is delegated to partij regionale-jeugdorganisatie" in elders
    assert "the aanvraag is split" in elders
    assert "off: none." in elders


def test_no_shipped_profile_holds_a_literal_secret(shipped_name: str) -> None:
    for partij in load_profile(shipped_name).externe_partijen.values():
        assert partij.credentials.split(":", 1)[0] in ("env", "file")
