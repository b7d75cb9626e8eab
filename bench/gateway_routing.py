"""What the gateway costs with token check AND profile routing, against a plain pass to the same upstream.

    .venv/bin/python -m bench.gateway_routing [--seconds 8] [--rounds 5] [--write]

The issue's benchmark: the archetype profile geclusterd-integraal with zaken of cluster zorg-en-jeugd
on an instance of its own, and every request naming a zaaktype of that cluster
(``GET /zaken/api/v1/zaken?zaaktype=...``), so each one goes through the token check, the zaaktype →
kolom → cluster decision (the catalogue is asked once; then it is a cache hit) and the per-cluster
upstream. The cluster's instance is the same upstream process as the default (``127.0.0.2`` against
``127.0.0.1``, one uvicorn worker on both addresses), so "direct" and "through the gateway" reach the
same server. Direct calls carry a signed ``x-sds-auth`` context; the service verifies it either way.
Rounds alternate direct/gateway and the median counts; the load average is taken per round, since
the machine is shared. ``--write`` puts the result under "## Gateway routing" in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import httpx
import yaml
from fastapi import FastAPI

from bench.gateway_overhead import (
    TARGET_ADDED_P50_MS,
    TARGET_RATIO,
    Result,
    free_port,
    machine,
    median_result,
    process,
    run_httpx,
    run_wrk,
)
from bench.report import write_section
from sds.profiles.loading import shipped_path
from sds.runtime.auth import Auth, AuthContext, sign_auth_context
from sds.runtime.errors import install_error_handlers
from sds.runtime.jwt_zgw import encode_jwt_zgw
from sds.runtime.logging import configure_logging
from sds.runtime.middleware import RequestContextMiddleware

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
HEADING = "## Gateway routing"
CLIENT_ID = "bench"
CLUSTER = "zorg-en-jeugd"
ZAAKTYPE = "5b0e4c0e-0000-4000-8000-000000000001"
CATALOGUS = "5b0e4c0e-0000-4000-8000-0000000000c1"
ZAAKTYPE_URL = f"http://127.0.0.1:8000/catalogi/api/v1/zaaktypen/{ZAAKTYPE}"
PATH = f"/zaken/api/v1/zaken?zaaktype={ZAAKTYPE_URL}"


def create_upstream() -> FastAPI:
    """Zaken as far as this benchmark needs it: the services' request pipeline, a small list that echoes
    which address it was reached on, and the catalogue's zaaktype and catalogus for the one look-up."""
    configure_logging("bench-upstream", os.environ.get("SDS_LOG_LEVEL", "INFO"))
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None, redirect_slashes=False)
    install_error_handlers(app)

    @app.get("/health/live")
    async def live() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/catalogi/api/v1/zaaktypen/{uuid}")
    async def zaaktype(uuid: str, auth: Auth) -> dict[str, object]:
        return {"url": ZAAKTYPE_URL, "concept": False,
                "catalogus": f"http://127.0.0.1:8000/catalogi/api/v1/catalogussen/{CATALOGUS}"}

    @app.get("/catalogi/api/v1/catalogussen/{uuid}")
    async def catalogus(uuid: str, auth: Auth) -> dict[str, object]:
        return {"url": f"http://127.0.0.1:8000/catalogi/api/v1/catalogussen/{uuid}", "kolom": "jeugd"}

    @app.get("/zaken/api/v1/zaken")
    async def zaken(zaaktype: str, auth: Auth) -> dict[str, object]:
        return {"count": 1, "next": None, "previous": None, "clientId": auth.client_id,
                "results": [{"url": "http://127.0.0.1:8000/zaken/api/v1/zaken/1", "zaaktype": zaaktype,
                             "omschrijving": "een kleine resource, zoals een zaak"}]}

    app.add_middleware(RequestContextMiddleware, service="bench-upstream", api_version="1.0.0",
                       internal_secret=os.environ["SDS_INTERNAL_SECRET"],
                       is_public={"/health/live"}.__contains__)
    return app


def upstream_args(port: int) -> list[str]:
    # On every loopback address, so 127.0.0.2 (the cluster's instance) reaches the same process.
    return [sys.executable, "-m", "uvicorn", "--factory", "bench.gateway_routing:create_upstream", "--host",
            "0.0.0.0", "--port", str(port), "--workers", "1", "--loop", "uvloop", "--http", "httptools",
            "--no-access-log", "--log-level", "warning"]


def gateway_args(port: int) -> list[str]:
    return [sys.executable, "-m", "uvicorn", "--factory", "gateway.app:create_app", "--host", "127.0.0.1", "--port",
            str(port), "--workers", "1", "--loop", "uvloop", "--http", "httptools", "--no-access-log",
            "--log-level", "warning"]


def write_profile(directory: Path, instance: str) -> Path:
    data = yaml.safe_load(shipped_path("geclusterd-integraal").read_text())
    data["upstreams"] = {"zaken": {"clusters": {CLUSTER: instance}}}
    path = directory / "profiel.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def load_average() -> str:
    return Path("/proc/loadavg").read_text().split(" ", 3)[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=8.0, help="length of one measured round")
    parser.add_argument("--rounds", type=int, default=5, help="measured rounds each way, alternating")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--loader", choices=["auto", "wrk", "httpx"], default="auto")
    parser.add_argument("--write", action="store_true", help=f"write the result to {DOC.relative_to(ROOT)}")
    args = parser.parse_args()

    loader = args.loader if args.loader != "auto" else ("wrk" if shutil.which("wrk") else "httpx")
    run = run_wrk if loader == "wrk" else run_httpx
    internal_secret, client_secret = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    up_port, gw_port = free_port(), free_port()
    with tempfile.TemporaryDirectory(prefix="sds-bench-") as tmp:
        profile = write_profile(Path(tmp), f"http://127.0.0.2:{up_port}")
        env = {**os.environ, "SDS_ENV": "bench", "SDS_INTERNAL_SECRET": internal_secret,
               "SDS_RATE_LIMIT_PER_SECOND": "0", "SDS_BOOTSTRAP_CLIENT_ID": CLIENT_ID,
               "SDS_BOOTSTRAP_SECRET": client_secret, "SDS_UPSTREAM_ZAKEN": f"http://127.0.0.1:{up_port}",
               "SDS_ARCHETYPE": str(profile), "SDS_LOG_LEVEL": "INFO", "PYTHONPATH": str(ROOT),
               "SDS_GATEWAY_DATABASE_URL": f"sqlite+aiosqlite:///{tmp}/gateway.db"}
        env.pop("SDS_NATS_URL", None)
        direct_url, gateway_url = f"http://127.0.0.1:{up_port}{PATH}", f"http://127.0.0.1:{gw_port}{PATH}"

        def direct_headers() -> dict[str, str]:
            ctx = AuthContext(client_id=CLIENT_ID, heeft_alle_autorisaties=True)
            return {"x-sds-auth": sign_auth_context(ctx, internal_secret)}

        def gateway_headers() -> dict[str, str]:
            return {"authorization": f"Bearer {encode_jwt_zgw(CLIENT_ID, client_secret)}"}

        with process(upstream_args(up_port), env, Path(tmp) / "upstream.log",
                     f"http://127.0.0.1:{up_port}/health/live"), \
                process(gateway_args(gw_port), env, Path(tmp) / "gateway.log",
                        f"http://127.0.0.1:{gw_port}/health/live"):
            for url, headers in ((direct_url, direct_headers()), (gateway_url, gateway_headers())):
                check = httpx.get(url, headers=headers, trust_env=False)
                if check.status_code != 200 or check.json()["clientId"] != CLIENT_ID:
                    raise RuntimeError(f"{url} answered {check.status_code}: {check.text}")
            metrics = httpx.get(f"http://127.0.0.1:{gw_port}/metrics", trust_env=False).text
            if f'upstream="zaken@{CLUSTER}"' not in metrics:
                raise RuntimeError("the gateway did not route to the cluster's instance; the figures would not count")
            print(f"loader: {loader}; {args.connections} connections; {args.rounds} x {args.seconds:g} s each way",
                  file=sys.stderr)
            run("warm-up", direct_url, direct_headers(), args.connections, 2)
            run("warm-up", gateway_url, gateway_headers(), args.connections, 2)
            direct: list[Result] = []
            via: list[Result] = []
            loads: list[str] = []
            for index in range(args.rounds):
                loads.append(load_average())
                direct.append(run("direct", direct_url, direct_headers(), args.connections, args.seconds))
                via.append(run("gateway + routing", gateway_url, gateway_headers(), args.connections, args.seconds))
                print(f"round {index + 1} (load {loads[-1]}): direct {direct[-1].rps:.0f} req/s "
                      f"p50 {direct[-1].p50_ms:.2f} ms; gateway {via[-1].rps:.0f} req/s p50 {via[-1].p50_ms:.2f} ms",
                      file=sys.stderr)
            singles_direct: list[Result] = []
            singles_via: list[Result] = []
            for _ in range(3):
                singles_direct.append(run("direct", direct_url, direct_headers(), 1, max(args.seconds / 2, 2)))
                singles_via.append(run("gateway + routing", gateway_url, gateway_headers(), 1,
                                       max(args.seconds / 2, 2)))
            routed = httpx.get(f"http://127.0.0.1:{gw_port}/metrics", trust_env=False).text
        uptime = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()

    d, g = median_result(direct), median_result(via)
    sd, sg = median_result(singles_direct), median_result(singles_via)
    d_rps, g_rps = statistics.median(r.rps for r in direct), statistics.median(r.rps for r in via)
    round_ratios = [v.rps / x.rps for x, v in zip(direct, via, strict=True)]
    ratio = statistics.median(round_ratios)
    added = [v.p50_ms - x.p50_ms for x, v in zip(singles_direct, singles_via, strict=True)]
    added_p50 = statistics.median(added)
    errors = sum(r.errors for r in [*direct, *via, *singles_direct, *singles_via])
    verdict = (f"throughput {ratio:.0%} of direct (target ≥ {TARGET_RATIO:.0%}): "
               f"{'met' if ratio >= TARGET_RATIO else 'missed'}; added p50 at one connection {added_p50:.2f} ms "
               f"(target ≤ {TARGET_ADDED_P50_MS:g} ms): {'met' if added_p50 <= TARGET_ADDED_P50_MS else 'missed'}")
    instance_requests = sum(float(line.rsplit(" ", 1)[1]) for line in routed.splitlines()
                            if line.startswith("sds_gateway_upstream_requests_total")
                            and f'upstream="zaken@{CLUSTER}"' in line) if "sds_gateway_upstream_requests_total" \
        in routed else None

    def row(r: Result, connections: int, rps: float) -> str:
        return (f"| {r.label} | {connections} | {rps:.0f} | {r.p50_ms:.2f} | {r.p99_ms:.2f} | {r.requests} | "
                f"{r.errors} |")

    table = "\n".join([
        "| path | connections | req/s (median) | p50 ms | p99 ms | requests | errors |",
        "|---|---:|---:|---:|---:|---:|---:|",
        row(d, args.connections, d_rps), row(g, args.connections, g_rps),
        row(sd, 1, statistics.median(r.rps for r in singles_direct)),
        row(sg, 1, statistics.median(r.rps for r in singles_via)),
    ])
    routed_line = (f" The gateway's metrics count {instance_requests:.0f} requests to `zaken@{CLUSTER}`, the "
                   f"cluster's instance." if instance_requests else "")
    report = (
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine()}; other sessions were running tests "
        f"alongside. `uptime` after the run: `{uptime}`; load average (1 min) at the start of each round: "
        f"{', '.join(loads)}.\n"
        f"Load: {loader}, {args.rounds} alternating rounds of {args.seconds:g} s each way after a warm-up, then 3 "
        f"rounds each way at one connection. Request: GET `/zaken/api/v1/zaken?zaaktype=…` naming a zaaktype of "
        f"cluster {CLUSTER}; profile geclusterd-integraal with `upstreams.zaken.clusters.{CLUSTER}` on its own "
        f"address (the same uvicorn worker as the default, uvloop + httptools); gateway: one uvicorn worker, token "
        f"check (JWT-ZGW, cached), zaaktype → kolom → cluster (cached after the first look-up), per-cluster "
        f"upstream.{routed_line}\n\n{table}\n\n"
        f"Ratio gateway/direct at {args.connections} connections, per round: "
        f"{', '.join(f'{r:.2f}' for r in round_ratios)}; median {ratio:.2f}. Added p50 at one connection, per round: "
        f"{', '.join(f'{a:.2f}' for a in added)} ms; median {added_p50:.2f} ms.\n"
        f"Result: {verdict}.\n"
    )
    if loader == "httpx":
        report += ("\nNo wrk on this machine: the load comes from the httpx generator in a process of its own, on "
                   "the same two cores. It costs about as much CPU per request as the server it measures, so "
                   "both sides are partly loader-bound and the ratio reads kinder than with wrk; the one-connection "
                   "p50 difference is the cleaner figure.\n")
    print(report)
    if errors:
        raise SystemExit(f"{errors} requests failed; the numbers above do not count")
    if args.write:
        write_section(HEADING, f"Command: `.venv/bin/python -m bench.gateway_routing --write`\n\n{report}")
        print(f"written to {DOC.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
