"""`sds status`: asks every part recorded in the state file whether it is healthy."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

from sds.cli.nats import nats_answers
from sds.cli.state import process_alive, read_state, state_path, supervisor_running


def _http_health(url: str) -> tuple[bool, str]:
    try:
        with httpx.Client(timeout=3.0, trust_env=False) as client:
            response = client.get(url)
    except httpx.HTTPError as exc:
        return False, f"unreachable ({type(exc).__name__})"
    if response.status_code == 200:
        return True, "up"
    detail = ""
    try:
        checks = response.json().get("checks")
        if isinstance(checks, dict):
            detail = " " + ", ".join(f"{k}: {v}" for k, v in checks.items())
    except ValueError:
        pass
    return False, f"down (HTTP {response.status_code}){detail}"


def _nats_health(url: str) -> tuple[bool, str]:
    return (True, "up") if nats_answers(url, timeout=2.0) else (False, "unreachable")


def run_status(data_dir: Path) -> int:
    state = read_state(data_dir.resolve())
    if state is None:
        print(f"no suite recorded in {state_path(data_dir.resolve())}: start one with `sds up`")
        return 1
    parts: list[dict[str, Any]] = state.get("parts", [])
    nats = state.get("nats") or {}
    with ThreadPoolExecutor(max_workers=len(parts) + 1) as pool:
        part_health = list(pool.map(lambda p: _http_health(p["health"]), parts))
        nats_health = pool.submit(_nats_health, nats.get("url", "")).result()

    rows = [("NAME", "URL", "PID", "STATE")]
    for part, (_, text) in zip(parts, part_health, strict=True):
        pid = part.get("pid")
        pid_text = str(pid) if isinstance(pid, int) and process_alive(pid) else f"{pid} (gone)"
        rows.append((part["name"], part["url"], pid_text, text))
    nats_pid = nats.get("pid")
    rows.append(("nats", nats.get("url", "?"), str(nats_pid) if nats_pid else "-", nats_health[1]))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    supervisor = "running" if supervisor_running(state) else "not running"
    print(f"sds up (pid {state.get('supervisor_pid')}) {supervisor}, {state.get('status', '?')} since "
          f"{state.get('started_at', '?')}, archetype: {state.get('archetype') or 'none'}")
    for row in rows:
        print("  " + "  ".join(cell.ljust(widths[i]) if i < 3 else cell for i, cell in enumerate(row)))
    healthy = all(ok for ok, _ in part_health) and nats_health[0] and bool(parts)
    print("all parts are up" if healthy else "NOT all parts are up")
    return 0 if healthy else 1
