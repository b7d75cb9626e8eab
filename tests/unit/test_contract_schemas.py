"""The checked-in contracts are what the registry generates, and no published schema breaks its consumers.

The schemas and the AsyncAPI document are regenerated in memory and compared with the files; the
published baseline in ``contracts/schemas/published/`` is what consumers were built against.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from contracts import generate
from contracts.compat import breaking_changes
from contracts.events import EVENT_TYPES

ALL_TYPES = sorted(EVENT_TYPES)


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


@pytest.mark.parametrize("type_name", ALL_TYPES)
def test_the_checked_in_schema_matches_the_model(type_name: str) -> None:
    spec = EVENT_TYPES[type_name]
    path = generate.SCHEMAS_DIR / spec.schema_filename
    assert path.exists(), f"{path.name} is missing: run `python -m contracts.generate`"
    assert json.loads(path.read_text(encoding="utf-8")) == spec.json_schema(), (
        f"{path.name} and {spec.data_model.__name__} drifted apart: run `python -m contracts.generate`")


def test_no_schema_is_checked_in_for_a_type_that_is_not_registered() -> None:
    assert generate.stale_files() == []


@pytest.mark.parametrize("type_name", ALL_TYPES)
def test_the_checked_in_schema_is_a_valid_draft_2020_12_schema_with_an_id(type_name: str) -> None:
    schema = json.loads((generate.SCHEMAS_DIR / f"{type_name}.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == EVENT_TYPES[type_name].schema_id
    assert schema["properties"]["type"] == {**schema["properties"]["type"], "const": type_name}


def test_the_asyncapi_document_matches_the_registry() -> None:
    assert generate.ASYNCAPI_PATH.read_text(encoding="utf-8") == generate.asyncapi_text(), (
        "contracts/asyncapi.yaml is out of date: run `python -m contracts.generate`")


def test_the_asyncapi_document_lists_every_channel_with_producer_consumers_and_schema() -> None:
    doc = yaml.safe_load(generate.ASYNCAPI_PATH.read_text(encoding="utf-8"))
    assert doc["asyncapi"].startswith("3.")
    by_address = {channel["address"]: channel for channel in doc["channels"].values()}
    assert set(by_address) == {spec.subject for spec in EVENT_TYPES.values()}
    for spec in EVENT_TYPES.values():
        channel = by_address[spec.subject]
        assert channel["x-producer"] == spec.producer and channel["x-consumers"] == list(spec.consumers)
        (ref,) = (m["$ref"] for m in channel["messages"].values())
        message = doc["components"]["messages"][ref.rsplit("/", 1)[-1]]
        schema_ref = message["payload"]["schema"]["$ref"]
        assert (generate.ASYNCAPI_PATH.parent / schema_ref).is_file(), schema_ref
        assert json.loads((generate.ASYNCAPI_PATH.parent / schema_ref).read_text())["$id"] == spec.schema_id
        actions = {(op["action"], op["tags"][0]["name"]) for op in doc["operations"].values()
                   if op["channel"]["$ref"].endswith("/" + next(k for k, v in doc["channels"].items()
                                                                if v is channel))}
        assert actions == {("send", spec.producer), *(("receive", c) for c in spec.consumers)}


def test_the_check_mode_of_the_generator_reports_a_drifted_file(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    schemas = tmp_path / "schemas"
    monkeypatch.setattr(generate, "SCHEMAS_DIR", schemas)
    monkeypatch.setattr(generate, "PUBLISHED_DIR", schemas / "published")
    monkeypatch.setattr(generate, "ASYNCAPI_PATH", tmp_path / "asyncapi.yaml")
    monkeypatch.setattr(generate, "CONTRACTS_DIR", tmp_path)
    assert generate.main(["--check"]) == 1
    assert generate.main([]) == 0
    assert generate.main(["--check"]) == 0
    drifted = schemas / "nl.overheid.zaken.zaak-geopend.json"
    drifted.write_text(drifted.read_text().replace('"zaaktype"', '"zaakType"'))
    assert generate.main(["--check"]) == 1
    (schemas / "nl.overheid.zaken.zaak-verdwenen.json").write_text("{}")
    assert generate.stale_files()[-1].name == "nl.overheid.zaken.zaak-verdwenen.json"


# The guard: what consumers were built against may only change compatibly.

PUBLISHED = sorted(generate.PUBLISHED_DIR.glob("*.json"))


def test_a_baseline_is_published_for_every_type() -> None:
    assert {p.name for p in PUBLISHED} == {spec.schema_filename for spec in EVENT_TYPES.values()}, (
        "publish new event types with `python -m contracts.generate --publish`")


@pytest.mark.parametrize("published", PUBLISHED, ids=lambda p: p.stem)
def test_a_published_event_type_is_not_removed_or_changed_incompatibly(published: Path) -> None:
    spec = EVENT_TYPES.get(published.stem)
    assert spec is not None, f"{published.stem} was published and consumers may listen to it: keep it"
    old = json.loads(published.read_text(encoding="utf-8"))
    new = spec.json_schema()
    problems = breaking_changes(old, new)
    assert not problems, (
        f"{spec.type} changed in a way that breaks its consumers ({', '.join(spec.consumers)}):\n  "
        + "\n  ".join(problems)
        + "\nPublish a breaking change as a new event type next to the old one.")
    strip = {"x-version"}
    if {k: v for k, v in new.items() if k not in strip} != {k: v for k, v in old.items() if k not in strip}:
        assert _version(new["x-version"]) > _version(old["x-version"]), (
            f"{spec.type} changed since it was published: raise its version in the registry")
