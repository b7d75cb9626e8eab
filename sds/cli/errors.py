"""The two ways a command stops early, so each command decides its exit code in one place."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


class UsageError(Exception):
    """The command was asked for something it cannot do; nothing was started (exit 2)."""


class StartupFailure(Exception):
    """Something the suite needs did not come up; ``logs`` hold the reason (exit 1)."""

    def __init__(self, message: str, logs: Sequence[Path] = ()) -> None:
        super().__init__(message)
        self.logs = list(logs)
