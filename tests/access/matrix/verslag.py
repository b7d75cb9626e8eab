"""The outcome table of one archetype as docs/security.md shows it, and the check that the document holds the
table the matrix run measured (so the document cannot drift from the test)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from tests.access.matrix.controle import Matrix

DOC = Path(__file__).resolve().parents[3] / "docs" / "security.md"
# Set to rewrite the tables in docs/security.md from a run instead of checking them.
SCHRIJF = "SDS_MATRIX_SCHRIJF"


def tabel(matrix: Matrix) -> str:
    apps = [a.naam for a in matrix.apps]
    regels = ["| resource · operatie | " + " | ".join(f"`{a}`" for a in apps) + " |",
              "|---|" + "---|" * len(apps)]
    for rij in matrix.rijen():
        cellen = [matrix.cellen.get((rij, a), "") for a in apps]
        regels.append(f"| {rij.resource} · {rij.operatie} | " + " | ".join(cellen) + " |")
    return "\n".join(regels)


def _sectie(archetype: str) -> re.Pattern[str]:
    return re.compile(rf"(<!-- matrix:{re.escape(archetype)} -->\n)(.*?)(\n?<!-- /matrix:{re.escape(archetype)} -->)",
                      re.S)


def in_document(matrix: Matrix) -> str | None:
    """The table docs/security.md holds for this archetype; rewritten from ``matrix`` first when SCHRIJF is set."""
    text = DOC.read_text(encoding="utf-8")
    pattern = _sectie(matrix.archetype)
    if os.environ.get(SCHRIJF):
        text, n = pattern.subn(lambda m: m.group(1) + tabel(matrix) + m.group(3), text)
        assert n == 1, f"docs/security.md has no section for {matrix.archetype}"
        DOC.write_text(text, encoding="utf-8")
    found = pattern.search(text)
    return found.group(2) if found else None
