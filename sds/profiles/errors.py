"""A profile that is refused says where (file, line, dotted path) and what is wrong, in plain words."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    path: str  # dotted, e.g. clusters.zorg.kolommen[1]; "" for the document as a whole
    message: str
    line: int | None = None

    def text(self, source: str) -> str:
        place = f"{source}:{self.line}" if self.line else source
        return f"{place}: {self.path}: {self.message}" if self.path else f"{place}: {self.message}"


class ProfileError(Exception):
    """The profile cannot be used; ``problems`` lists every place that needs fixing."""

    def __init__(self, source: str, problems: Sequence[Problem]) -> None:
        self.source = source
        self.problems = list(problems)
        super().__init__("\n".join(problem.text(source) for problem in self.problems))


def dotted(loc: Sequence[str | int]) -> str:
    """``("clusters", "zorg", "kolommen", 1)`` -> ``clusters.zorg.kolommen[1]``."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text
