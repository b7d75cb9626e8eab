"""The compatibility checker on small schema pairs: what breaks consumers, and what does not."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from contracts.compat import breaking_changes
from contracts.events import EVENT_TYPES

OLD: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["zaak", "kolom", "toekenningen"],
    "properties": {
        "zaak": {"type": "string", "maxLength": 1000, "pattern": "^https?://"},
        "kolom": {"enum": ["wmo", "jeugd"], "type": "string"},
        "volume": {"type": "integer", "minimum": 1},
        "einddatum": {"anyOf": [{"type": "string", "format": "date"}, {"type": "null"}], "default": None},
        "toekenningen": {"type": "array", "items": {"$ref": "#/$defs/Toekenning"}},
    },
    "$defs": {"Toekenning": {"type": "object", "additionalProperties": False, "required": ["product"],
                             "properties": {"product": {"type": "string"}, "aanbieder": {"type": "string"}}}},
}


def _changed(edit: Any) -> dict[str, Any]:
    new = copy.deepcopy(OLD)
    edit(new)
    return new


def test_an_identical_schema_is_compatible() -> None:
    assert breaking_changes(OLD, copy.deepcopy(OLD)) == []


@pytest.mark.parametrize(("edit", "expected"), [
    (lambda s: s["properties"].pop("volume"), "$.volume: property removed"),
    (lambda s: s["required"].append("volume"), "$.volume: property newly required"),
    (lambda s: s["required"].remove("kolom"), "$.kolom: property no longer required"),
    (lambda s: s["properties"]["kolom"]["enum"].remove("jeugd"), "$.kolom: enum value 'jeugd' removed"),
    (lambda s: s["properties"]["volume"].update(type="string"), "$.volume: type narrowed, integer"),
    (lambda s: s["properties"]["volume"].update(type=["integer", "string"]),
     "$.volume: type widened, string"),
    (lambda s: s["properties"].update(einddatum={"type": "string", "format": "date"}),
     "$.einddatum: type narrowed, null is no longer accepted"),
    (lambda s: s["properties"].update(zaak={"anyOf": [s["properties"]["zaak"], {"type": "null"}]}),
     "$.zaak: type widened, null is now possible"),
    (lambda s: s["properties"]["zaak"].update(maxLength=200), "$.zaak: maxLength lowered to 200"),
    (lambda s: s["properties"]["volume"].update(minimum=2), "$.volume: minimum raised to 2"),
    (lambda s: s["properties"]["volume"].update(maximum=99), "$.volume: maximum lowered to 99"),
    (lambda s: s["properties"]["zaak"].update(pattern="^https://"), "$.zaak: pattern now '^https://'"),
    (lambda s: s["properties"]["kolom"].update(format="uuid"), "$.kolom: format now 'uuid'"),
    (lambda s: s["properties"]["einddatum"]["anyOf"][0].update(format="date-time"),
     "$.einddatum: format now 'date-time'"),
    (lambda s: s["$defs"]["Toekenning"]["properties"].pop("aanbieder"),
     "$.toekenningen[].aanbieder: property removed"),
    (lambda s: s["$defs"]["Toekenning"]["required"].append("aanbieder"),
     "$.toekenningen[].aanbieder: property newly required"),
    (lambda s: s["properties"]["toekenningen"].update(minItems=1), "$.toekenningen: minItems raised to 1"),
    (lambda s: s["properties"]["toekenningen"].update(uniqueItems=True),
     "$.toekenningen: items must now be unique"),
    (lambda s: s["properties"].update(kolom={"const": "wmo"}), "$.kolom: enum value 'jeugd' removed"),
    (lambda s: s["properties"]["zaak"].update(**{"not": {"pattern": "x"}}), "$.zaak: 'not' changed"),
])
def test_a_breaking_change_is_reported(edit: Any, expected: str) -> None:
    problems = breaking_changes(OLD, _changed(edit))
    assert any(p.startswith(expected) for p in problems), problems


@pytest.mark.parametrize("edit", [
    lambda s: s["properties"].update(cluster={"type": "string"}),
    lambda s: s["$defs"]["Toekenning"]["properties"].update(omvang={"type": "integer"}),
    lambda s: s["properties"]["kolom"]["enum"].append("schuldhulp"),
    lambda s: s["properties"]["zaak"].update(maxLength=2000),
    lambda s: s["properties"]["volume"].update(minimum=0),
    lambda s: s["properties"]["volume"].update(description="uren per week", title="Volume"),
    lambda s: s["properties"]["zaak"].update(pattern=OLD["properties"]["zaak"]["pattern"]),
    lambda s: s.update({"$defs": {"Toewijzing": s["$defs"]["Toekenning"]}}) or
    s["properties"]["toekenningen"]["items"].update({"$ref": "#/$defs/Toewijzing"}),
])
def test_an_additive_or_cosmetic_change_is_compatible(edit: Any) -> None:
    assert breaking_changes(OLD, _changed(edit)) == []


def test_closing_an_open_object_is_breaking_and_opening_a_closed_one_is_not() -> None:
    opened = _changed(lambda s: s.pop("additionalProperties"))
    assert breaking_changes(OLD, opened) == []
    assert breaking_changes(opened, OLD) == ["$: additional properties are no longer accepted"]


def test_changing_a_const_is_breaking() -> None:
    old = {"type": "object", "properties": {"type": {"const": "nl.overheid.zaken.zaak-geopend"}}}
    new = {"type": "object", "properties": {"type": {"const": "nl.overheid.zaken.zaak-heropend"}}}
    assert breaking_changes(old, new) == ["$.type: enum value 'nl.overheid.zaken.zaak-geopend' removed"]
    loose = {"type": "object", "properties": {"type": {"type": "string"}}}
    assert breaking_changes(old, loose) == [
        "$.type: value no longer fixed to 'nl.overheid.zaken.zaak-geopend', consumers rely on it"]


def test_a_recursive_schema_is_compared_without_looping() -> None:
    tree = {"$ref": "#/$defs/Node", "$defs": {"Node": {"type": "object", "properties": {
        "children": {"type": "array", "items": {"$ref": "#/$defs/Node"}}, "name": {"type": "string"}}}}}
    pruned = copy.deepcopy(tree)
    del pruned["$defs"]["Node"]["properties"]["name"]
    assert breaking_changes(tree, tree) == []
    assert "$.name: property removed" in breaking_changes(tree, pruned)


def test_a_real_event_schema_gets_an_optional_field_compatibly_and_loses_one_incompatibly() -> None:
    schema = EVENT_TYPES["nl.overheid.zaken.zaak-geopend"].json_schema()
    grown = json.loads(json.dumps(schema))
    grown["$defs"]["ZaakGeopend"]["properties"]["archiefnominatie"] = {"type": "string"}
    assert breaking_changes(schema, grown) == []
    shrunk = json.loads(json.dumps(schema))
    del shrunk["$defs"]["ZaakGeopend"]["properties"]["hoofdzaak"]
    assert breaking_changes(schema, shrunk) == ["$.data.hoofdzaak: property removed"]
