"""Synthetic BSNs for tests: 999xxxxxx numbers that pass the 11-proef, the range of made-up persons."""

from __future__ import annotations

from collections.abc import Iterator

from sds.runtime.bsn import is_valid_bsn


def synthetic_bsns(prefix: str) -> Iterator[str]:
    """Every valid BSN that starts with ``prefix`` (e.g. "9998"), in order; give each test module its own."""
    width = 9 - len(prefix)
    return (c for c in (f"{prefix}{n:0{width}d}" for n in range(10 ** width)) if is_valid_bsn(c))
