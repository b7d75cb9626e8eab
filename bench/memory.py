"""Memory of each process of the suite started by `sds up` (SQLite): idle, peak under load, after.

    .venv/bin/python -m bench.memory [--requests 2000] [--concurrency 32] [--write]

The suite runs as users run it (`sds up`, embedded default) in a temporary data directory on a
free port. RSS of every process (psutil) is sampled every 0.2 s. Load, in rounds over all targets:
each service's ``/health/ready`` directly (the gateway does not route it), the gateway's ``/health``
(which asks every service's ``/health/ready``), and each API's ``openapi.json`` through the gateway
with a JWT-ZGW token of the bootstrap client. Target: at most 120 MB RSS per service process.
``--write`` puts the result under "## Memory" in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import jwt
import psutil

from bench.report import write_section
from sds.runtime.settings import DEV_BOOTSTRAP_CLIENT_ID, DEV_BOOTSTRAP_SECRET

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
HEADING = "## Memory"
TARGET_MB = 120.0
API_PREFIXES = ("/intake/api/v1", "/zaken/api/v1", "/catalogi/api/v1", "/klantgegevens/api/v1",
                "/financien/api/v1", "/beleidsinfo/api/v1")
MB = 1024 * 1024


def free_port() -> int:
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        # The services take the five ports after the gateway's; keep clear of the defaults and 4222.
        if not {4222, *range(8000, 8006)} & set(range(port, port + 6)) and port + 5 <= 65535:
            return port


def token() -> str:
    # The development secret is shorter than pyjwt recommends; it is what `sds up` prints, so use it as is.
    warnings.filterwarnings("ignore", message="The HMAC key is")
    claims = {"iss": DEV_BOOTSTRAP_CLIENT_ID, "client_id": DEV_BOOTSTRAP_CLIENT_ID, "iat": int(time.time()),
              "user_id": "bench", "user_representation": "Memory benchmark"}
    return jwt.encode(claims, DEV_BOOTSTRAP_SECRET, algorithm="HS256")


class Sampler:
    """RSS of each named process, sampled in a thread while the load runs in the event loop."""

    def __init__(self, pids: dict[str, int], interval: float = 0.2) -> None:
        self.procs = {name: psutil.Process(pid) for name, pid in pids.items()}
        self.interval = interval
        self.peak = dict.fromkeys(self.procs, 0)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def now(self) -> dict[str, int]:
        return {name: proc.memory_info().rss for name, proc in self.procs.items()}

    def _run(self) -> None:
        while not self._stop.is_set():
            for name, rss in self.now().items():
                self.peak[name] = max(self.peak[name], rss)
            self._stop.wait(self.interval)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()


def start_suite(data_dir: Path, port: int) -> tuple[subprocess.Popen[bytes], dict[str, Any]]:
    log = open(data_dir.parent / "sds-up.out", "wb")  # noqa: SIM115 - lives as long as the suite
    proc = subprocess.Popen([sys.executable, "-m", "sds.cli.main", "up", "--data-dir", str(data_dir),
                             "--port", str(port)], stdout=log, stderr=subprocess.STDOUT,
                            env={k: v for k, v in os.environ.items() if not k.startswith("SDS_")})
    state_file = data_dir / "sds-state.json"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"sds up exited with {proc.returncode}:\n"
                             + (data_dir.parent / "sds-up.out").read_text(errors="replace"))
        if state_file.exists():
            state = json.loads(state_file.read_text())
            if state.get("status") == "running":
                return proc, state
        time.sleep(0.2)
    proc.send_signal(signal.SIGTERM)
    raise SystemExit("sds up was not ready within 120 s")


async def load(state: dict[str, Any], requests: int, concurrency: int) -> tuple[Counter[str], float]:
    gateway = next(p["url"] for p in state["parts"] if p["kind"] == "gateway")
    targets = [p["health"] for p in state["parts"] if p["kind"] == "service"]
    targets.append(f"{gateway}/health")
    targets += [f"{gateway}{prefix}/openapi.json" for prefix in API_PREFIXES]
    work = [url for _ in range(requests) for url in targets]  # interleaved, so every process is busy throughout
    headers = {"Authorization": f"Bearer {token()}"}
    outcomes: Counter[str] = Counter()
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    started = time.monotonic()
    async with httpx.AsyncClient(headers=headers, timeout=30, limits=limits, trust_env=False) as client:
        queue = iter(work)

        async def worker() -> None:
            for url in queue:
                response = await client.get(url)
                outcomes[f"{response.status_code}"] += 1

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return outcomes, time.monotonic() - started


def machine() -> str:
    memory = psutil.virtual_memory().total / 1024**3
    return (f"{os.cpu_count()} cores, {memory:.0f} GiB, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}; shared and noisy")


def report(rows: list[tuple[str, str, float, float, float]], outcomes: Counter[str], total: int, seconds: float,
           requests: int, concurrency: int) -> str:
    lines = [
        f"Run {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')} on {machine()}.",
        "",
        f"`sds up` (embedded default, SQLite). Load: {requests} rounds over 12 targets (each service's "
        "`/health/ready` directly, the gateway's `/health`, which asks all five, and the six "
        f"`openapi.json` through the gateway with a JWT-ZGW token), {concurrency} connections: {total} requests "
        f"in {seconds:.1f} s ({total / seconds:.0f}/s), statuses "
        + ", ".join(f"{code}: {n}" for code, n in sorted(outcomes.items())) + ".",
        "RSS sampled every 0.2 s with psutil. Target: at most "
        f"{TARGET_MB:.0f} MB per service process.",
        "",
        "| process | kind | idle MB | peak under load MB | after load MB | target |",
        "|---|---|---:|---:|---:|---|",
    ]
    for name, kind, idle, peak, after in rows:
        target = ("met" if peak <= TARGET_MB else "MISSED") if kind in ("service", "gateway") else "-"
        lines.append(f"| {name} | {kind} | {idle:.1f} | {peak:.1f} | {after:.1f} | {target} |")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=1000, help="rounds over all 12 targets (default 1000)")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--settle", type=float, default=5.0, help="seconds idle before and after the load")
    parser.add_argument("--write", action="store_true", help='write the result under "## Memory" in '
                                                              "docs/benchmarks.md")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="sds-bench-memory-") as tmp:
        proc, state = start_suite(Path(tmp) / "data", free_port())
        try:
            pids = {"sds up": proc.pid, "nats-server": state["nats"]["pid"]}
            kinds = {"sds up": "supervisor", "nats-server": "nats"}
            for part in state["parts"]:
                pids[part["name"]] = part["pid"]
                kinds[part["name"]] = part["kind"]
            sampler = Sampler(pids)
            time.sleep(args.settle)
            idle = sampler.now()
            with sampler:
                outcomes, seconds = asyncio.run(load(state, args.requests, args.concurrency))
            time.sleep(args.settle)
            after = sampler.now()
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(60)

    order = ["gateway", *(p["name"] for p in state["parts"] if p["kind"] == "service"), "nats-server", "sds up"]
    rows = [(name, kinds[name], idle[name] / MB, sampler.peak[name] / MB, after[name] / MB) for name in order]
    total = sum(outcomes.values())
    text = report(rows, outcomes, total, seconds, args.requests, args.concurrency)
    print(text)
    if args.write:
        write_section(HEADING, f"Command: `.venv/bin/python -m bench.memory --write`\n\n{text}")
        print(f"written to {DOC}")
    missed = [name for name, kind, _, peak, _ in rows if kind in ("service", "gateway") and peak > TARGET_MB]
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
