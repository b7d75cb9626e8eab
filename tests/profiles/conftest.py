"""Profiles as data: the shipped files parsed to plain mappings, so a test can break one in a single place."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from sds.profiles import SHIPPED, shipped_path


def shipped_data(name: str) -> dict[str, Any]:
    return copy.deepcopy(yaml.safe_load(shipped_path(name).read_text(encoding="utf-8")))


def write(tmp_path: Path, data: Any, name: str = "profile.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(params=SHIPPED)
def shipped_name(request: pytest.FixtureRequest) -> str:
    return request.param
