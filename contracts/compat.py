"""Does a new JSON Schema of an event break the consumers of the old one?

Events stay in the stream and are replayed, and consumers are deployed at their own pace, so a change
must hold in both directions:

- every event that was valid under the old schema must stay valid under the new one (no property
  removed or newly required, no type, enum, pattern, format or bound narrowed), and
- a consumer written against the old schema must be able to read every new event: a property it relies
  on stays present (required stays required) and keeps its type (no ``null`` or other type added).

Consumers read tolerantly (``contracts.events.parse_data``): they drop properties they do not know and
handle enum values they do not know. So adding an optional property or an enum value is compatible, and
so is loosening a bound. A keyword this checker does not understand counts as breaking when it changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

Schema = Mapping[str, Any]

_ANNOTATIONS = {"title", "description", "default", "examples", "$comment", "deprecated", "readOnly",
                "writeOnly", "$schema", "$id", "x-version"}
_UNDERSTOOD = _ANNOTATIONS | {
    "$ref", "$defs", "type", "enum", "const", "anyOf", "oneOf", "properties", "required",
    "additionalProperties", "items", "minItems", "maxItems", "uniqueItems", "minLength", "maxLength",
    "pattern", "format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
}
_JSON_TYPES = (("boolean", bool), ("integer", int), ("number", float), ("string", str), ("array", list),
               ("object", dict), ("null", type(None)))


def breaking_changes(old: Schema, new: Schema) -> list[str]:
    """What in ``new`` breaks consumers of ``old``, one line per problem; empty when compatible."""
    return _Comparison(old, new).compare(old, new, "$")


class _Comparison:
    def __init__(self, old_root: Schema, new_root: Schema) -> None:
        self.old_root, self.new_root = old_root, new_root
        self.active: set[tuple[str, str]] = set()

    def compare(self, old: Schema, new: Schema, path: str) -> list[str]:
        refs = (old.get("$ref"), new.get("$ref"))
        if refs[0] is None or refs[1] is None:
            return self._compare_resolved(old, new, path)
        pair = (str(refs[0]), str(refs[1]))
        if pair in self.active:  # a recursive schema: this pair is already being compared further up
            return []
        self.active.add(pair)
        try:
            return self._compare_resolved(old, new, path)
        finally:
            self.active.discard(pair)

    def _compare_resolved(self, old: Schema, new: Schema, path: str) -> list[str]:
        old, new = _resolve(self.old_root, old), _resolve(self.new_root, new)
        old_branches, new_branches = _branches(self.old_root, old), _branches(self.new_root, new)
        if len(old_branches) > 1 or len(new_branches) > 1:
            return self._compare_branches(old_branches, new_branches, path)
        problems = self._unknown_keywords(old, new, path)
        problems += _compare_types(old, new, path)
        problems += _compare_values(old, new, path)
        problems += _compare_bounds(old, new, path)
        problems += self._compare_objects(old, new, path)
        problems += self._compare_arrays(old, new, path)
        return problems

    def _compare_branches(self, old_branches: list[Schema], new_branches: list[Schema],
                          path: str) -> list[str]:
        old_by_kind = {_kind(b): b for b in old_branches}
        new_by_kind = {_kind(b): b for b in new_branches}
        problems: list[str] = []
        for kind, branch in old_by_kind.items():
            if kind not in new_by_kind:
                problems.append(f"{path}: type narrowed, {kind} is no longer accepted")
            else:
                problems += self.compare(branch, new_by_kind[kind], path)
        problems += [f"{path}: type widened, {kind} is now possible and consumers do not expect it"
                     for kind in new_by_kind if kind not in old_by_kind]
        return problems

    def _unknown_keywords(self, old: Schema, new: Schema, path: str) -> list[str]:
        return [f"{path}: '{word}' changed and its effect on consumers is not known"
                for word in sorted((set(old) | set(new)) - _UNDERSTOOD) if old.get(word) != new.get(word)]

    def _compare_objects(self, old: Schema, new: Schema, path: str) -> list[str]:
        old_props, new_props = old.get("properties", {}), new.get("properties", {})
        old_required, new_required = set(old.get("required", ())), set(new.get("required", ()))
        problems = [f"{path}.{name}: property removed" for name in old_props if name not in new_props]
        problems += [f"{path}.{name}: property newly required"
                     for name in sorted(new_required - old_required)]
        problems += [f"{path}.{name}: property no longer required, consumers rely on it"
                     for name in sorted(old_required - new_required) if name in new_props]
        for name in old_props:
            if name in new_props:
                problems += self.compare(old_props[name], new_props[name], f"{path}.{name}")
        old_extra, new_extra = old.get("additionalProperties", True), new.get("additionalProperties", True)
        for name in new_props:
            if name not in old_props and isinstance(old_extra, Mapping):
                problems += self.compare(old_extra, new_props[name], f"{path}.{name}")
        if old_extra is not False and new_extra is False:
            problems.append(f"{path}: additional properties are no longer accepted")
        elif isinstance(old_extra, Mapping) and isinstance(new_extra, Mapping):
            problems += self.compare(old_extra, new_extra, f"{path}.*")
        return problems

    def _compare_arrays(self, old: Schema, new: Schema, path: str) -> list[str]:
        old_items, new_items = old.get("items", {}), new.get("items", {})
        if isinstance(old_items, Mapping) and isinstance(new_items, Mapping) and (old_items or new_items):
            return self.compare(old_items, new_items, f"{path}[]")
        return []


def _resolve(root: Schema, schema: Schema) -> Schema:
    """Follow local ``$ref`` (``#/$defs/...``); the suite's schemas refer to nothing outside themselves."""
    seen = set()
    while "$ref" in schema:
        ref = schema["$ref"]
        if not ref.startswith("#/") or ref in seen:
            raise ValueError(f"cannot resolve $ref {ref!r}")
        seen.add(ref)
        target: Any = root
        for part in ref[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        siblings = {k: v for k, v in schema.items() if k != "$ref"}
        schema = {**target, **siblings}
    return schema


def _branches(root: Schema, schema: Schema) -> list[Schema]:
    for word in ("anyOf", "oneOf"):
        if word in schema:
            rest = {k: v for k, v in schema.items() if k != word and k not in _ANNOTATIONS}
            branches: list[Schema] = []
            for branch in schema[word]:
                branches += _branches(root, _resolve(root, {**rest, **branch}))
            return branches
    return [schema]


def _types(schema: Schema) -> set[str] | None:
    """The JSON types a schema admits, or None when it does not restrict the type."""
    if "type" in schema:
        declared = schema["type"]
        return {declared} if isinstance(declared, str) else set(declared)
    values = [schema["const"]] if "const" in schema else schema.get("enum")
    if values is not None:
        return {_json_type(v) for v in values}
    if "properties" in schema:
        return {"object"}
    if "items" in schema:
        return {"array"}
    return None


def _json_type(value: Any) -> str:
    for name, python_type in _JSON_TYPES:
        if isinstance(value, python_type) and not (python_type is int and isinstance(value, bool)):
            return name
    raise TypeError(f"not a JSON value: {value!r}")


def _kind(schema: Schema) -> str:
    types = _types(schema)
    return "any" if types is None else "|".join(sorted(types))


def _compare_types(old: Schema, new: Schema, path: str) -> list[str]:
    old_types, new_types = _types(old), _types(new)
    if old_types is None:
        return [] if new_types is None else [f"{path}: type narrowed to {sorted(new_types)}"]
    if new_types is None:
        return [f"{path}: type widened from {sorted(old_types)} to any"]

    def covered(kind: str, by: set[str]) -> bool:
        return kind in by or (kind == "integer" and "number" in by)

    problems = [f"{path}: type narrowed, {kind} is no longer accepted"
                for kind in sorted(old_types) if not covered(kind, new_types)]
    problems += [f"{path}: type widened, {kind} is now possible and consumers do not expect it"
                 for kind in sorted(new_types) if not covered(kind, old_types)]
    return problems


def _compare_values(old: Schema, new: Schema, path: str) -> list[str]:
    def allowed(schema: Schema) -> list[Any] | None:
        return list(schema["enum"]) if "enum" in schema else [schema["const"]] if "const" in schema else None

    old_values, new_values = allowed(old), allowed(new)
    problems: list[str] = []
    if new_values is not None:
        if old_values is None:
            problems.append(f"{path}: values narrowed to {new_values!r}")
        else:
            problems += [f"{path}: enum value {value!r} removed"
                         for value in old_values if value not in new_values]
    # A const is what consumers dispatch on (the envelope's type): more values than that one is a new meaning.
    if "const" in old and "const" not in new and (new_values is None or len(new_values) > 1):
        problems.append(f"{path}: value no longer fixed to {old['const']!r}, consumers rely on it")
    return problems


def _compare_bounds(old: Schema, new: Schema, path: str) -> list[str]:
    problems: list[str] = []
    for word in ("minLength", "minItems", "minimum", "exclusiveMinimum"):
        if word in new and (word not in old or new[word] > old[word]):
            problems.append(f"{path}: {word} raised to {new[word]}")
    for word in ("maxLength", "maxItems", "maximum", "exclusiveMaximum"):
        if word in new and (word not in old or new[word] < old[word]):
            problems.append(f"{path}: {word} lowered to {new[word]}")
    for word in ("pattern", "format", "multipleOf"):
        if word in new and old.get(word) != new[word]:
            problems.append(f"{path}: {word} now {new[word]!r}")
    if new.get("uniqueItems") and not old.get("uniqueItems"):
        problems.append(f"{path}: items must now be unique")
    return problems
