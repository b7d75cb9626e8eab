"""The checked-in JSON Schema is what the model generates, and it refuses what the model refuses in shape."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from sds.profiles import schema
from tests.profiles.conftest import shipped_data


def test_the_checked_in_schema_matches_the_model() -> None:
    assert schema.SCHEMA_PATH.exists(), "run `python -m sds.profiles.schema`"
    assert json.loads(schema.SCHEMA_PATH.read_text(encoding="utf-8")) == schema.schema_document(), (
        "contracts/archetype-profile.schema.json and sds/profiles/model.py drifted apart: "
        "run `python -m sds.profiles.schema`")
    assert schema.main(["--check"]) == 0


def test_the_check_fails_when_the_file_differs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stale = json.loads(schema.SCHEMA_PATH.read_text(encoding="utf-8"))
    del stale["properties"]["termijnen"]
    target = tmp_path / "archetype-profile.schema.json"
    target.write_text(json.dumps(stale, indent=2) + "\n", encoding="utf-8")
    monkeypatch.setattr(schema, "SCHEMA_PATH", target)
    assert schema.main(["--check"]) == 1
    assert schema.main([]) == 0
    assert schema.main(["--check"]) == 0


def test_the_schema_is_a_valid_draft_2020_12_schema_with_an_id() -> None:
    document = json.loads(schema.SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(document)
    assert document["$id"] == schema.SCHEMA_ID
    assert set(document["required"]) >= {"archetype", "kolommen", "clusters", "eerste_toegang", "escalatie",
                                         "regie", "capabilities", "signalering", "termijnen", "prioriteiten"}


@pytest.mark.parametrize(("path", "value"), [
    (("clusters", "zorg", "kolommen"), ["wmo", "ouderen"]),
    (("externe_partijen", "zorgverzekeraar", "credentials"), "hunter2"),
    (("capabilities", "signaalfunctie"), "ja"),
    (("eerste_toegang",), "per-wijk"),
    (("clusters", "zorg", "loket"), "centraal"),
])
def test_the_schema_refuses_a_wrong_shape_as_the_model_does(path: tuple[str, ...], value: object) -> None:
    data = shipped_data("geclusterd-integraal-elders")
    target = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, json.loads(schema.SCHEMA_PATH.read_text(encoding="utf-8")),
                            cls=jsonschema.Draft202012Validator)
