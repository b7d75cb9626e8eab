"""What the gateway costs: the same authenticated GET, direct to a service and through the gateway
(its proxy on aiohttp).

    .venv/bin/python -m bench.gateway_overhead [--seconds 10] [--rounds 3] [--pin-loader CPU] [--write]

One upstream process (uvicorn, one worker) and a gateway process in front of it; the load comes
from a separate process (``wrk`` when installed, otherwise an httpx load generator in a
subprocess). Direct calls carry an ``x-sds-auth`` context signed with the internal secret, calls
through the gateway a JWT-ZGW token, so the service verifies an auth context either way. Each
round runs direct, then the gateway, so drift on a noisy machine hits both sides alike; the median
round counts. Beside req/s, the CPU time per request of the process that answers (the service
direct, the gateway otherwise, from /proc/<pid>/stat) is less sensitive to what else runs on the
machine. ``--pin-loader 1`` runs the load generator under ``taskset -c 1`` (the servers stay
unpinned), to see how much of the figure is the load generator competing for the cores.
``--write`` puts the result under "## Gateway overhead" in docs/benchmarks.md.

The latency target (≤ 2 ms added at p50) is judged at one connection, where p50 is the time one
request takes; at 16 connections p50 is mostly queueing (connections / throughput), so the
difference there follows the throughput ratio and is reported alongside, not as the target.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
from fastapi import FastAPI

from bench.report import write_section
from sds.runtime.auth import Auth, AuthContext, sign_auth_context
from sds.runtime.errors import install_error_handlers
from sds.runtime.jwt_zgw import encode_jwt_zgw
from sds.runtime.logging import configure_logging
from sds.runtime.middleware import RequestContextMiddleware

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
HEADING = "## Gateway overhead"
PATH = "/intake/api/v1/metingen/1"
CLIENT_ID = "bench"
TARGET_RATIO = 0.80
TARGET_ADDED_P50_MS = 2.0
# The gateway processes measured, by the proxy client they run (aiohttp since commit d70ed5a's
# comparison with the own transport it replaced; see docs/benchmarks.md).
CLIENTS = {"aiohttp": "aiohttp"}


def create_upstream() -> FastAPI:
    """The upstream: the services' own request pipeline (auth verification, tracing, metrics,
    JSON log line) in front of one small authenticated GET.

    Not ``create_service_app``: that also needs a database and NATS, which a GET that reads
    neither would only add noise to; the per-request path is the same middleware.
    """
    configure_logging("bench-upstream", os.environ.get("SDS_LOG_LEVEL", "INFO"))
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None, redirect_slashes=False)
    install_error_handlers(app)

    @app.get("/health/live")
    async def live() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/intake/api/v1/metingen/{nummer}")
    async def meting(nummer: int, auth: Auth) -> dict[str, object]:
        return {"url": f"http://127.0.0.1:8000{PATH}", "nummer": nummer, "clientId": auth.client_id,
                "omschrijving": "een kleine resource, zoals een zaak of een aanvraag"}

    app.add_middleware(RequestContextMiddleware, service="bench-upstream", api_version="1.0.0",
                       internal_secret=os.environ["SDS_INTERNAL_SECRET"],
                       is_public={"/health/live"}.__contains__)
    return app


@dataclass
class Result:
    label: str
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def process(args: list[str], env: dict[str, str], log: Path,
            ready_url: str) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as out:
        proc = subprocess.Popen(args, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        try:
            deadline = time.monotonic() + 20
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"{args} exited: {log.read_text()[-2000:]}")
                try:
                    if httpx.get(ready_url, timeout=1, trust_env=False).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{ready_url} did not answer")
                time.sleep(0.1)
            yield proc
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def uvicorn_args(factory: str, port: int) -> list[str]:
    return [sys.executable, "-m", "uvicorn", "--factory", factory, "--host", "127.0.0.1", "--port", str(port),
            "--workers", "1", "--loop", "uvloop", "--http", "httptools", "--no-access-log",
            "--log-level", "warning"]


_WRK_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _wrk_ms(text: str, label: str) -> float:
    match = re.search(rf"^\s+{re.escape(label)}\s+([\d.]+)(us|ms|s)\s*$", text, re.MULTILINE)
    if not match:
        raise RuntimeError(f"no {label} in wrk output:\n{text}")
    return float(match.group(1)) * _WRK_UNITS[match.group(2)]


LOADER_PREFIX: list[str] = []


def run_wrk(label: str, url: str, headers: dict[str, str], connections: int, seconds: float) -> Result:
    args = [*LOADER_PREFIX, "wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency",
            "--timeout", "10s"]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    text = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout
    done = re.search(r"(\d+) requests in ([\d.]+)(ms|s)", text)
    if not done:
        raise RuntimeError(f"unexpected wrk output:\n{text}")
    elapsed = float(done.group(2)) / (1000 if done.group(3) == "ms" else 1)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    errors = int(non_2xx.group(1)) if non_2xx else 0
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return Result(label, int(done.group(1)), elapsed, _wrk_ms(text, "50%"), _wrk_ms(text, "99%"), errors)


def run_httpx(label: str, url: str, headers: dict[str, str], connections: int, seconds: float) -> Result:
    """Fallback without wrk: the load generator in a process of its own, so it does not share the
    event loop (or the GIL) with anything it measures."""
    spec = json.dumps({"url": url, "headers": headers, "connections": connections, "seconds": seconds})
    out = subprocess.run([*LOADER_PREFIX, sys.executable, "-m", "bench.gateway_overhead", "--load", spec],
                         capture_output=True, text=True, check=True, cwd=ROOT).stdout
    data = json.loads(out)
    return Result(label, data["requests"], data["seconds"], data["p50_ms"], data["p99_ms"], data["errors"])


async def _load(spec: dict) -> dict:
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=spec["connections"], max_keepalive_connections=spec["connections"])
    async with httpx.AsyncClient(limits=limits, headers=spec["headers"], trust_env=False,
                                 timeout=10) as client:
        deadline = time.perf_counter() + spec["seconds"]

        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                response = await client.get(spec["url"])
                latencies.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    errors += 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(spec["connections"])))
        elapsed = time.perf_counter() - started
    latencies.sort()
    return {"requests": len(latencies), "seconds": elapsed, "errors": errors,
            "p50_ms": latencies[len(latencies) // 2], "p99_ms": latencies[int(len(latencies) * 0.99)]}


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown cpu")
    mem_kib = int(Path("/proc/meminfo").read_text().split()[1])
    return (f"{os.cpu_count()} cores ({cpu}), {mem_kib / 2**20:.0f} GiB, shared and noisy; "
            f"Python {platform.python_version()}, {platform.system()} {platform.release()}")


def median_result(results: list[Result]) -> Result:
    return Result(results[0].label, sum(r.requests for r in results), sum(r.seconds for r in results),
                  statistics.median(r.p50_ms for r in results), statistics.median(r.p99_ms for r in results),
                  sum(r.errors for r in results))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=10.0, help="length of one measured round")
    parser.add_argument("--rounds", type=int, default=3, help="measured rounds each way, alternating")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--loader", choices=["auto", "wrk", "httpx"], default="auto")
    parser.add_argument("--pin-loader", metavar="CPUS", help="run the load generator under taskset -c CPUS")
    parser.add_argument("--write", action="store_true", help=f"write the result to {DOC.relative_to(ROOT)}")
    parser.add_argument("--load", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.load:
        print(json.dumps(asyncio.run(_load(json.loads(args.load)))))
        return

    loader = args.loader if args.loader != "auto" else ("wrk" if shutil.which("wrk") else "httpx")
    if args.pin_loader:
        LOADER_PREFIX[:] = ["taskset", "-c", args.pin_loader]
    run = run_wrk if loader == "wrk" else run_httpx
    internal_secret, client_secret = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    up_port = free_port()
    # The gateway's per-client rate limit would cap the one benchmark client: off, to measure the proxy.
    env = {**os.environ, "SDS_ENV": "bench", "SDS_INTERNAL_SECRET": internal_secret, "SDS_RATE_LIMIT_PER_SECOND": "0",
           "SDS_BOOTSTRAP_CLIENT_ID": CLIENT_ID, "SDS_BOOTSTRAP_SECRET": client_secret,
           "SDS_UPSTREAM_INTAKE": f"http://127.0.0.1:{up_port}", "SDS_LOG_LEVEL": "INFO",
           "PYTHONPATH": str(ROOT)}
    direct_url = f"http://127.0.0.1:{up_port}{PATH}"
    ports = {client: free_port() for client in CLIENTS}
    gateway_urls = {client: f"http://127.0.0.1:{port}{PATH}" for client, port in ports.items()}

    def direct_headers() -> dict[str, str]:
        # The signed context lives 120 s: sign it afresh for every round.
        ctx = AuthContext(client_id=CLIENT_ID, heeft_alle_autorisaties=True)
        return {"x-sds-auth": sign_auth_context(ctx, internal_secret)}

    def gateway_headers() -> dict[str, str]:
        return {"authorization": f"Bearer {encode_jwt_zgw(CLIENT_ID, client_secret)}"}

    with tempfile.TemporaryDirectory(prefix="sds-bench-") as tmp, contextlib.ExitStack() as servers:
        upstream_proc = servers.enter_context(process(
            uvicorn_args("bench.gateway_overhead:create_upstream", up_port), env, Path(tmp) / "upstream.log",
            f"http://127.0.0.1:{up_port}/health/live"))
        pids = {"direct": upstream_proc.pid}
        for client, port in ports.items():
            # One gateway process per proxy client, idle while the other one is measured.
            pids[f"gateway ({CLIENTS[client]})"] = servers.enter_context(process(
                uvicorn_args("gateway.app:create_app", port), env,
                Path(tmp) / f"gateway-{client}.log", f"http://127.0.0.1:{port}/health/live")).pid
        targets = [("direct", direct_url, direct_headers)] + [
            (f"gateway ({CLIENTS[client]})", url, gateway_headers) for client, url in gateway_urls.items()]
        for _label, url, headers_for in targets:
            check = httpx.get(url, headers=headers_for(), trust_env=False)
            if check.status_code != 200 or check.json()["clientId"] != CLIENT_ID:
                raise RuntimeError(f"{url} answered {check.status_code}: {check.text}")
        print(f"loader: {loader}; {args.connections} connections; "
              f"{args.rounds} x {args.seconds:g} s each way", file=sys.stderr)
        for label, url, headers_for in targets:
            run(label, url, headers_for(), args.connections, 2)  # warm-up
        rounds: dict[str, list[Result]] = {label: [] for label, _url, _h in targets}
        # CPU seconds of the process that answers (the service direct, the gateway otherwise) per request.
        cpu: dict[str, list[float]] = {label: [] for label in rounds}
        for index in range(args.rounds):
            # Direct first in every round; the gateways' order turns, so neither always follows direct.
            gateways = targets[1:]
            shift = index % len(gateways)
            for label, url, headers_for in [targets[0], *gateways[shift:], *gateways[:shift]]:
                before = cpu_seconds(pids[label])
                rounds[label].append(run(label, url, headers_for(), args.connections, args.seconds))
                cpu[label].append((cpu_seconds(pids[label]) - before) / rounds[label][-1].requests)
            print(f"round {index + 1}: " + "; ".join(
                f"{label} {results[-1].rps:.0f} req/s p50 {results[-1].p50_ms:.2f} ms"
                for label, results in rounds.items()), file=sys.stderr)
        # One connection: the latency a single caller adds, without queueing behind others.
        single = {label: run(label, url, headers_for(), 1, max(args.seconds / 2, 2))
                  for label, url, headers_for in targets}

    labels = list(rounds)
    medians = {label: median_result(results) for label, results in rounds.items()}
    rps = {label: statistics.median(r.rps for r in results) for label, results in rounds.items()}
    d_label = labels[0]
    errors = sum(m.errors for m in medians.values()) + sum(r.errors for r in single.values())

    cpu_us = {label: statistics.median(values) * 1e6 for label, values in cpu.items()}

    def row(r: Result, connections: int, req_s: float, cpu_text: str = "") -> str:
        return (f"| {r.label} | {connections} | {req_s:.0f} | {r.p50_ms:.2f} | {r.p99_ms:.2f} | "
                f"{r.requests} | {r.errors} | {cpu_text} |")

    table = "\n".join([
        "| path | connections | req/s | p50 ms | p99 ms | requests | errors | CPU µs/request |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
        *(row(medians[label], args.connections, rps[label], f"{cpu_us[label]:.0f}") for label in labels),
        *(row(single[label], 1, single[label].rps) for label in labels),
    ])
    lines = []
    for label in labels[1:]:
        ratio = rps[label] / rps[d_label]
        # Each gateway round in the same round as its direct one: the pair saw about the same machine.
        per_round = [v.rps / x.rps for x, v in zip(rounds[d_label], rounds[label], strict=True)]
        added_p50 = single[label].p50_ms - single[d_label].p50_ms
        ratio_met = "met" if ratio >= TARGET_RATIO else "missed"
        p50_met = "met" if added_p50 <= TARGET_ADDED_P50_MS else "missed"
        lines.append(
            f"- {label}: throughput {ratio:.2f} of direct (per round: {', '.join(f'{r:.2f}' for r in per_round)}; "
            f"median {statistics.median(per_round):.2f}; target ≥ {TARGET_RATIO:.2f}: {ratio_met}); added p50 at one "
            f"connection {added_p50:.2f} ms (target ≤ {TARGET_ADDED_P50_MS:g} ms: {p50_met}; at "
            f"{args.connections} connections, queueing included: "
            f"{medians[label].p50_ms - medians[d_label].p50_ms:.2f} ms)")
    pinned = f" pinned to CPU {args.pin_loader} (taskset; servers unpinned)" if args.pin_loader else ""
    report = (
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine()}; load average {load_average()}.\n"
        f"Load: {loader}{pinned}, {args.rounds} rounds of {args.seconds:g} s for each path after a warm-up; "
        f"GET `{PATH}` (small JSON) on one uvicorn worker (uvloop, httptools) running the services' request "
        f"pipeline; each gateway: one uvicorn worker.\n\n{table}\n\n" + "\n".join(lines) + "\n"
    )
    print(report)
    if errors:
        raise SystemExit(f"{errors} requests failed; the numbers above do not count")
    if args.write:
        write_section(HEADING, f"Command: `.venv/bin/python -m bench.gateway_overhead --write`\n\n{report}")
        print(f"written to {DOC.relative_to(ROOT)}", file=sys.stderr)


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far (utime and stime in /proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f} / {five:.1f} / {fifteen:.1f} (1 / 5 / 15 min)"


if __name__ == "__main__":
    main()
