"""Reading a profile: a shipped name or a YAML file, checked against the model and the cross-field rules.

Whatever is wrong comes back as one ProfileError that lists every problem with its line and dotted path,
so an operator fixes a profile in one pass instead of one error per start-up attempt.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from sds.profiles.checks import Loc, check
from sds.profiles.errors import Problem, ProfileError, dotted
from sds.profiles.model import CREDENTIALS_PATTERN, KOLOMMEN, Profile

SHIPPED_DIR = Path(__file__).resolve().parent / "shipped"
SHIPPED = (
    "transitie-proof",
    "totaal-integraal",
    "geclusterd-integraal",
    "integraal-in-tweede-instantie",
    "geclusterd-integraal-elders",
)


def shipped_path(name: str) -> Path:
    return SHIPPED_DIR / f"{name}.yaml"


def load_profile(name_or_path: str | Path) -> Profile:
    """A shipped profile by name (``transitie-proof``) or a profile file; ProfileError when it is not usable."""
    if isinstance(name_or_path, str) and name_or_path in SHIPPED:
        path = shipped_path(name_or_path)
    else:
        path = Path(name_or_path)
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ProfileError(source, [Problem("", f"no such file, and not a shipped profile "
                                                f"(shipped: {', '.join(SHIPPED)})")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(source, [Problem("", f"cannot be read: {exc}")]) from None
    return parse_profile_text(text, source)


def parse_profile_text(text: str, source: str = "<profile>") -> Profile:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" (column {mark.column + 1})" if mark else ""
        problem = " ".join(part for part in (exc.context, exc.problem) if part)
        raise ProfileError(source, [Problem("", f"YAML syntax error{where}: {problem}",
                                            mark.line + 1 if mark else None)]) from None
    except yaml.YAMLError as exc:
        raise ProfileError(source, [Problem("", f"YAML syntax error: {exc}")]) from None
    duplicates = list(_duplicate_keys(root, ()))
    if duplicates:
        raise ProfileError(source, duplicates)
    return parse_profile(data, source, root)


def parse_profile(data: Any, source: str = "<profile>", root: yaml.Node | None = None) -> Profile:
    """A profile from already parsed data (e.g. a mapping built in a test or by a deployment tool)."""
    if not isinstance(data, Mapping):
        got = "an empty document" if data is None else _describe(data)
        raise ProfileError(source, [Problem("", f"a profile is a mapping of fields (archetype, kolommen, "
                                                f"clusters, ...), got {got}")])
    try:
        profile = Profile.model_validate(data)
    except ValidationError as exc:
        raise ProfileError(source, [_problem(error, root) for error in exc.errors(include_url=False)]) from None
    findings = check(profile)
    if findings:
        raise ProfileError(source, [Problem(dotted(loc), message, _line(root, loc)) for loc, message in findings])
    return profile


def _duplicate_keys(node: yaml.Node | None, loc: Loc) -> typing.Iterator[Problem]:
    # PyYAML keeps the last of two equal keys without a word; a second cluster "zorg" would silently replace
    # the first.
    if isinstance(node, yaml.MappingNode):
        first_line: dict[str, int] = {}
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else None
            if name is not None and name in first_line:
                yield Problem(dotted((*loc, name)), f"is given twice (first on line {first_line[name]}); YAML "
                                                    f"would silently keep only the last", key.start_mark.line + 1)
            elif name is not None:
                first_line[name] = key.start_mark.line + 1
            yield from _duplicate_keys(value, (*loc, name if name is not None else "?"))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _duplicate_keys(item, (*loc, index))


def _line(root: yaml.Node | None, loc: Sequence[str | int], key: bool = False) -> int | None:
    """The line of the YAML node at ``loc`` (of its key when ``key``), or of the deepest node that exists."""
    node, line = root, (root.start_mark.line + 1 if root is not None else None)
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = next(((k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == str(part)),
                         None)
            if match is None:
                break
            line = match[0].start_mark.line + 1
            node = match[0] if key and part == loc[-1] else match[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            break
        line = node.start_mark.line + 1
    return line


# --- pydantic errors in plain words -------------------------------------------------------------------------

def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value[:60]!r}"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    return type(value).__name__


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = get_origin(annotation)
        if origin in (Union, types.UnionType):
            args = [a for a in get_args(annotation) if a is not type(None)]
            annotation = args[0] if len(args) == 1 else annotation
            if len(args) != 1:
                return annotation
        elif origin is typing.Annotated:
            annotation = get_args(annotation)[0]
        else:
            return annotation


def _model_at(loc: Sequence[str | int]) -> type[BaseModel] | None:
    """The model whose field sits at ``loc``, to list the fields it does know."""
    current: Any = Profile
    for part in loc:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part))
            if field is None:
                return None
            current = field.annotation
        elif get_origin(current) is dict:
            current = get_args(current)[1]
        elif get_origin(current) is list:
            current = get_args(current)[0]
        else:
            return None
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


_TYPE_WORDS = {
    "int_type": "a whole number", "int_parsing": "a whole number", "bool_type": "true or false",
    "bool_parsing": "true or false", "string_type": "text", "list_type": "a list", "dict_type": "a mapping",
    "model_type": "a mapping of fields", "model_attributes_type": "a mapping of fields",
    "float_type": "a number",
}


def _plain(error: ErrorDetails, loc: Sequence[str | int], is_key: bool) -> str:
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    secret_place = any(part in ("credentials", "api", "url") for part in loc if isinstance(part, str)) or (
        len(loc) >= 3 and loc[0] == "upstreams" and loc[-2] == "clusters")
    if kind == "missing":
        return "is required but missing"
    if kind == "extra_forbidden":
        model = _model_at(loc[:-1])
        known = f" (known here: {', '.join(model.model_fields)})" if model else ""
        return f"is not a known field{known}"
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        subject = "as a name " if is_key else ""
        if all(f"'{kolom}'" in expected for kolom in KOLOMMEN) and expected.count("'") == 2 * len(KOLOMMEN):
            return f"{value!r} {subject}is not a kolom; the kolommen are {', '.join(KOLOMMEN)}"
        return f"{value!r} {subject}is not allowed here; expected {expected}"
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        if pattern == CREDENTIALS_PATTERN:
            # Never repeat the value: it may be the very secret that must not be in the file.
            return ("must be a reference to where the secret is kept (env:VARIABLE or file:/path), never the "
                    "secret itself")
        if pattern.startswith("^https?://"):
            return ("must be an http(s) base URL with a host and without a user name, password, query or "
                    "fragment, e.g. https://jeugd.regio.example/api/v1")
        shown = "" if secret_place else f"{value!r} "
        subject = "as a name " if is_key else ""
        return (f"{shown}{subject}is not a valid name: use lower-case letters, digits and hyphens, starting with "
                f"a letter or digit (at most 63)")
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    if kind in _TYPE_WORDS:
        got = "something else" if secret_place else _describe(value)
        return f"must be {_TYPE_WORDS[kind]}, got {got}"
    if kind in ("too_short", "string_too_short") and ctx.get("min_length") == 1:
        return "must not be empty"
    if kind in ("too_short", "string_too_short"):
        return f"needs at least {ctx.get('min_length')} entries"
    if kind in ("too_long", "string_too_long"):
        return f"is too long (at most {ctx.get('max_length')})"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bound = {"greater_than_equal": "at least", "less_than_equal": "at most", "greater_than": "more than",
                 "less_than": "less than"}[kind]
        limit = ctx.get("ge", ctx.get("le", ctx.get("gt", ctx.get("lt"))))
        return f"must be {bound} {limit}, got {value}"
    return str(error["msg"])


def _problem(error: ErrorDetails, root: yaml.Node | None) -> Problem:
    loc = list(error["loc"])
    is_key = bool(loc) and loc[-1] == "[key]"
    if is_key:
        loc = loc[:-1]
    return Problem(dotted(loc), _plain(error, loc, is_key), _line(root, loc, key=is_key))
