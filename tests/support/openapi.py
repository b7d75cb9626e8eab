"""What makes an API's OpenAPI document readable by a standard ZGW client (gemma-zds-client and the like)."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from openapi_spec_validator import OpenAPIV30SpecValidator


def assert_zgw_readable(doc: dict[str, Any], prefix: str, base_url: str) -> None:
    """A valid OpenAPI 3.0 document, paths relative to ``servers`` (which names ``prefix``), one operation per
    operationId, and none of JSON Schema 2020-12's constructs that OpenAPI 3.0 does not have."""
    assert doc["openapi"] == "3.0.3", prefix
    errors = [str(e.message) for e in OpenAPIV30SpecValidator(doc).iter_errors()]
    assert errors == [], (prefix, errors[:5])
    assert doc["servers"] == [{"url": f"{base_url.rstrip('/')}{prefix}"}]
    assert doc["paths"] and not any(path.startswith(prefix) for path in doc["paths"]), prefix
    ids = Counter(operation["operationId"] for item in doc["paths"].values() for operation in item.values())
    assert [i for i, n in ids.items() if n > 1] == [], prefix
    text = json.dumps(doc)
    for construct in ('"const":', '"examples": [', '{"type": "null"}', '"type": ["'):
        assert construct not in text, (prefix, construct)
