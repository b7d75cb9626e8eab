"""``<data-dir>/sds-state.json``: where a running `sds up` put each part, for `sds status` and scripts."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

STATE_FILE = "sds-state.json"


def state_path(data_dir: Path) -> Path:
    return data_dir / STATE_FILE


def write_state(data_dir: Path, state: dict[str, Any]) -> None:
    path = state_path(data_dir)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(state, indent=2) + "\n", encoding="utf-8")
    # A reader never sees half a file.
    os.replace(tmp, path)


def read_state(data_dir: Path) -> dict[str, Any] | None:
    try:
        return json.loads(state_path(data_dir).read_text(encoding="utf-8"))  # type: ignore[no-any-return]
    except FileNotFoundError:
        return None


def remove_state(data_dir: Path, owner_pid: int) -> None:
    state = read_state(data_dir)
    if state is not None and state.get("supervisor_pid") == owner_pid:
        state_path(data_dir).unlink(missing_ok=True)


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    return True


def supervisor_running(state: dict[str, Any]) -> bool:
    """True when the `sds up` that wrote ``state`` still runs (not just some process with its old pid)."""
    pid = state.get("supervisor_pid")
    if not isinstance(pid, int) or not process_alive(pid):
        return False
    cmdline = Path(f"/proc/{pid}/cmdline")
    if cmdline.exists():
        try:
            return b"sds" in cmdline.read_bytes()
        except OSError:
            return True
    return True
