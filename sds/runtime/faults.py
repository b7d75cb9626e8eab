"""Crash points: named places where a test can have this process killed with SIGKILL.

``SDS_CRASH_AT=relay-after-publish:3`` kills the process the third time it passes that point.
Without the variable a crash point is one dictionary look-up. The chaos tests use these to
kill at the exact moment that matters (after publishing, before marking the outbox row; after
committing an effect, before acking), which random kills would hit only by luck.
"""

from __future__ import annotations

import os
import signal

_TARGETS: dict[str, int] = {}
for _spec in filter(None, os.environ.get("SDS_CRASH_AT", "").split(",")):
    _name, _, _count = _spec.partition(":")
    _TARGETS[_name.strip()] = int(_count or 1)
_passes: dict[str, int] = {}


def crash_point(name: str) -> None:
    if name not in _TARGETS:
        return
    _passes[name] = _passes.get(name, 0) + 1
    if _passes[name] >= _TARGETS[name]:
        os.kill(os.getpid(), signal.SIGKILL)
