"""VNG's ZGW endpoint collection, run with newman against the suite as `sds up` starts it.

The suite starts in a fresh data directory on free ports; a small local server answers for the
Referentielijsten API (the collection reads selectielijstklassen and resultaattypeomschrijvingen from it)
with the anchor files, and another is the NRC folder's callback (``mock_url``, answering 204), so nothing leaves
the machine. newman runs the folders setUp, ZRC, ZTC, BRC, DRC, AC and NRC in one
run (setUp's variables carry over) and writes its JSON report; this module reads it per request and per
assertion.

    python -m tests.conformance.run                    # run, compare with the baseline, exit 1 on regressions
    python -m tests.conformance.run --update-baseline  # run, rewrite known-failures.json and docs/conformance.md
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.responses import JSONResponse, Response
from sqlalchemy.engine import make_url

from tests.cli.conftest import SERVICES, UpRun, embedded_env, start_up
from tests.support.anchors import REPO, ZGW
from tests.support.databases import BACKEND, POSTGRES_URL, drop_postgres_database
from tests.support.servers import serve

HERE = Path(__file__).resolve().parent
NEWMAN = HERE / "node_modules" / ".bin" / "newman"
COLLECTION = ZGW / "zgw-oas-endpoint-tests.postman_collection.json"
ENVIRONMENT = ZGW / "zgw-local.postman_environment.json"
REFERENTIELIJSTEN = ZGW / "referentielijsten"
BASELINE = HERE / "known-failures.json"
REPORT_DOC = REPO / "docs" / "conformance.md"

# Run in one newman run (BRC after ZTC, NRC last). Every folder of the collection is run.
FOLDERS = ("setUp", "ZRC", "ZTC", "BRC", "DRC", "AC", "NRC")

# The collection's own client: the suite's bootstrap applicatie (all rights) under the collection's client id.
# The suite wants a secret of at least 32 characters; the collection's "secret" is overridden.
CLIENT_ID = "zgw_api_tests"
CLIENT_SECRET = "zgw-api-tests-conformance-secret-0123456789"
# The collection signs its tokens with iat = now + 257 s (a quirk of VNG's pre-request script); the
# gateway allows 30 s of clock skew by default, so this run allows 300.
JWT_LEEWAY_SECONDS = 300

# What a ZRC or BRC request needs besides the APIs the suite has, read from the request itself (URL, body).
# A request waits on an API when its URL or body uses a variable only that API's setUp step or folder sets.
# None since the suite serves every API the collection calls (the Documenten API came last).
_WAITS_ON: tuple[tuple[str, re.Pattern[str]], ...] = ()


@dataclass
class Request:
    path: str  # folder/subfolder/name, unique in the collection
    code: int | None  # None: no answer (connection error, timeout)
    problem: str  # the problem codes of a 4xx/5xx answer, or why no request went out, for grouping
    assertions: list[tuple[str, bool]] = field(default_factory=list)

    @property
    def folder(self) -> str:
        return self.path.split("/", 1)[0]

    @property
    def passing(self) -> bool:
        """Answered, and every assertion holds; a request without assertions (setUp's) must answer 2xx."""
        if self.code is None:
            return False
        if not self.assertions:
            return 200 <= self.code < 300
        return all(passed for _, passed in self.assertions)


@dataclass
class Outcome:
    requests: list[Request]
    seconds: float

    def failures(self) -> dict[str, Request]:
        """Every failing check, by key: ``path :: assertion``, ``path :: (no answer)``, or for a request without
        assertions of its own that answered other than 2xx, ``path :: (answer 2xx)``."""
        out: dict[str, Request] = {}
        for req in self.requests:
            if req.code is None:
                out[f"{req.path} :: (no answer)"] = req
            elif not req.assertions and not req.passing:
                out[f"{req.path} :: (answer 2xx)"] = req
            for name, passed in req.assertions:
                if not passed:
                    out[f"{req.path} :: {name}"] = req
        return dict(sorted(out.items()))

    def server_errors(self) -> list[Request]:
        return [r for r in self.requests if r.code is not None and r.code >= 500]

    def per_folder(self) -> dict[str, Counter[str]]:
        counts: dict[str, Counter[str]] = {folder: Counter() for folder in FOLDERS}
        for req in self.requests:
            c = counts.setdefault(req.folder, Counter())
            c["requests"] += 1
            c["5xx"] += int(req.code is not None and req.code >= 500)
            c["assertions passed"] += sum(1 for _, p in req.assertions if p)
            c["assertions failed"] += sum(1 for _, p in req.assertions if not p) + int(req.code is None)
            c["requests passing"] += int(req.passing)
        return counts


# -- the collection -------------------------------------------------------------------------------------------

def _leaves(nodes: list[dict[str, Any]], prefix: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Each request of a collection with its path, folder/subfolder/name (whitespace runs made one space)."""
    for node in nodes:
        path = f"{prefix}{' '.join(node['name'].split())}"
        if "item" in node:
            yield from _leaves(node["item"], path + "/")
        else:
            yield path, node


def _collection_items() -> dict[str, dict[str, Any]]:
    return dict(_leaves(json.loads(COLLECTION.read_text())["item"]))


def waits_on(path: str) -> str | None:
    """The API the suite does not have (Documenten, Notificaties) a ZRC, BRC or setUp request depends on, or None."""
    if not path.startswith(("ZRC/", "BRC/", "setUp/")):
        return None
    request = _collection_items()[path]["request"]
    url = request["url"]["raw"] if isinstance(request["url"], dict) else request["url"]
    text = url + " " + str((request.get("body") or {}).get("raw") or "")
    return next((api for api, pattern in _WAITS_ON if pattern.search(text)), None)


def reason(key: str, req: Request) -> str:
    """Why a check fails, from what the suite answered (deterministic: codes only, no ids or times)."""
    api = waits_on(req.path)
    if api:
        return f"waits on the {api}"
    if req.code is None:
        return req.problem or "no answer from the suite"
    answer = f"answers {req.code}" + (f" ({req.problem})" if req.problem else "")
    return answer


# -- the local Referentielijsten API --------------------------------------------------------------------------

def referentielijsten_app() -> FastAPI:
    app = FastAPI()
    resultaten = json.loads((REFERENTIELIJSTEN / "resultaten.json").read_text())
    omschrijvingen = json.loads((REFERENTIELIJSTEN / "resultaattypeomschrijvingen.json").read_text())
    procestypen = json.loads((REFERENTIELIJSTEN / "procestypen.json").read_text())

    @app.get("/api/v1/resultaten")
    async def _resultaten(page: int = 1) -> Response:
        if page != 1:
            return JSONResponse({"detail": "Ongeldige pagina."}, status_code=404)
        return JSONResponse(resultaten)

    @app.get("/api/v1/resultaattypeomschrijvingen")
    async def _omschrijvingen() -> Response:
        return JSONResponse(omschrijvingen)

    @app.get("/api/v1/procestypen")
    async def _procestypen() -> Response:
        return JSONResponse(procestypen)

    return app


def callback_app() -> FastAPI:
    """The subscriber the NRC folder's abonnement names (``{{mock_url}}/callback``): it takes every notificatie."""
    app = FastAPI()

    @app.post("/callback")
    async def _callback() -> Response:
        return Response(status_code=204)

    return app


# -- the suite ------------------------------------------------------------------------------------------------

def _env() -> dict[str, str]:
    env = embedded_env()
    env.update({"SDS_BOOTSTRAP_CLIENT_ID": CLIENT_ID, "SDS_BOOTSTRAP_SECRET": CLIENT_SECRET,
                "SDS_JWT_LEEWAY_SECONDS": str(JWT_LEEWAY_SECONDS)})
    return env


@contextmanager
def suite_up(workdir: Path) -> Iterator[str]:
    """`sds up` in a fresh data directory, on the backend this run selects; yields the gateway's URL."""
    data_dir = workdir / "data"
    prefix = None
    env = _env()
    if BACKEND == "postgres":
        prefix = f"sdsconf_{uuid.uuid4().hex[:10]}"
        url = make_url(POSTGRES_URL).set(database=prefix).render_as_string(hide_password=False)
        env.update({"SDS_INTERNAL_SECRET": "conformance-internal-secret-0123456789",
                    "SDS_PSEUDONIEM_SLEUTEL": "conformance-pseudoniem-sleutel-0123456789",
                    "SDS_BELEIDSINFO_SLEUTEL": "conformance-beleidsinfo-sleutel-0123456789"})
        run: UpRun = start_up(data_dir, "--database-url", url, env=env)
    else:
        run = start_up(data_dir, env=env)
    try:
        run.wait_running(timeout=180)
        yield f"http://127.0.0.1:{run.port}"
    finally:
        run.kill_everything()
        if prefix:
            async def drop() -> None:
                for service in SERVICES:
                    await drop_postgres_database(f"{prefix}_{service}")
            asyncio.run(drop())


# -- newman ---------------------------------------------------------------------------------------------------

def _newman(gateway: str, referentielijsten: str, callback: str, report: Path) -> None:
    if not NEWMAN.exists():
        raise RuntimeError(f"newman is not installed at {NEWMAN}: run `npm ci --prefix tests/conformance` "
                           "(the Makefile's conformance-deps step)")
    overrides = {
        "zrc_url": f"{gateway}/zaken/api/v1", "ztc_url": f"{gateway}/catalogi/api/v1",
        "ac_url": f"{gateway}/autorisaties/api/v1",
        "brc_url": f"{gateway}/besluiten/api/v1", "drc_url": f"{gateway}/documenten/api/v1",
        "nrc_url": f"{gateway}/notificaties/api/v1",
        "referentielijst_url": f"{referentielijsten}/api/v1", "mock_url": callback,
        "client_id": CLIENT_ID, "secret": CLIENT_SECRET,
    }
    argv = [str(NEWMAN), "run", str(COLLECTION), "--environment", str(ENVIRONMENT),
            *[arg for folder in FOLDERS for arg in ("--folder", folder)],
            *[arg for k, v in overrides.items() for arg in ("--env-var", f"{k}={v}")],
            "--reporters", "json", "--reporter-json-export", str(report),
            "--timeout-request", "30000", "--color", "off", "--disable-unicode"]
    # newman exits 1 when an assertion fails; the report says which, so its exit code is not the verdict.
    done = subprocess.run(argv, capture_output=True, text=True, timeout=900)
    if not report.exists():
        raise RuntimeError(f"newman wrote no report (exit {done.returncode}):\n{done.stdout}\n{done.stderr}")


def _problem_codes(body: bytes) -> str:
    try:
        data = json.loads(body)
    except ValueError:
        return ""
    if not isinstance(data, dict):
        return ""
    codes = [f"{p.get('name')}: {p.get('code')}" for p in data.get("invalidParams") or [] if isinstance(p, dict)]
    if codes:
        return "invalidParams " + ", ".join(sorted(set(codes)))
    return str(data.get("code") or "")


def _not_sent(error: dict[str, Any]) -> str:
    """Why newman sent nothing: mostly a URL variable an earlier (failing) step should have set."""
    host = str(error.get("hostname") or "")
    if host.startswith("{{"):
        return f"not sent: {host} was never set (the step that creates it failed)"
    if host in ("null", "undefined"):
        return "not sent: an earlier step set its URL variable to null (the step that creates it failed)"
    return f"no answer from the suite ({error.get('code') or 'error'})"


def read_report(report: Path) -> list[Request]:
    data = json.loads(report.read_text())
    paths = {node["id"]: path for path, node in _leaves(data["collection"]["item"])}
    requests = []
    for execution in data["run"]["executions"]:
        response = execution.get("response") or {}
        code = response.get("code")
        body = bytes((response.get("stream") or {}).get("data") or [])
        problem = _problem_codes(body) if code and code >= 400 else ""
        if code is None:
            problem = _not_sent(execution.get("requestError") or {})
        req = Request(path=paths[execution["item"]["id"]], code=code, problem=problem)
        req.assertions = [(a["assertion"], "error" not in a) for a in execution.get("assertions") or []]
        requests.append(req)
    return requests


def run_collection(keep_report: Path | None = None) -> Outcome:
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="sds-conformance-") as tmp:
        workdir = Path(tmp)
        with (serve(referentielijsten_app()) as referentielijsten, serve(callback_app()) as callback,
              suite_up(workdir) as gateway):
            _newman(gateway, referentielijsten, callback, workdir / "newman.json")
        if keep_report:
            shutil.copyfile(workdir / "newman.json", keep_report)
        return Outcome(read_report(workdir / "newman.json"), time.monotonic() - started)


# -- baseline and report --------------------------------------------------------------------------------------

def load_baseline() -> dict[str, str]:
    return json.loads(BASELINE.read_text())  # type: ignore[no-any-return]


def compare(outcome: Outcome, baseline: dict[str, str]) -> list[str]:
    """What is wrong with this run against the baseline; empty when it holds."""
    failures = outcome.failures()
    problems = [f"{r.path} answered {r.code}" for r in outcome.server_errors()]
    problems += [f"fails, not in the baseline: {k} ({reason(k, r)})" for k, r in failures.items() if k not in baseline]
    passing = sorted(set(baseline) - set(failures))
    if passing:
        problems.append("passes now, remove from tests/conformance/known-failures.json (or run "
                        "`python -m tests.conformance.run --update-baseline`): " + "; ".join(passing))
    return problems


def baseline_text(outcome: Outcome) -> str:
    entries = {k: reason(k, r) for k, r in outcome.failures().items()}
    return json.dumps(entries, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def summary_lines(outcome: Outcome) -> list[str]:
    lines = ["| folder | requests | requests passing | assertions passed | assertions failed | 5xx |",
             "|---|---:|---:|---:|---:|---:|"]
    for folder, c in outcome.per_folder().items():
        lines.append(f"| {folder} | {c['requests']} | {c['requests passing']} | {c['assertions passed']} | "
                     f"{c['assertions failed']} | {c['5xx']} |")
    return lines


def report_text(outcome: Outcome) -> str:
    failures = outcome.failures()
    by_cause: dict[str, list[str]] = defaultdict(list)
    for key, req in failures.items():
        by_cause[reason(key, req)].append(key)
    zrc = sorted({p for p in _collection_items() if p.startswith(("ZRC/", "BRC/"))})
    waiting: dict[str, list[str]] = defaultdict(list)
    for path in zrc:
        api = waits_on(path)
        if api:
            waiting[api].append(path)
    out = [
        "# Conformance: VNG's ZGW endpoint collection",
        "",
        "Generated by `python -m tests.conformance.run --update-baseline` (do not edit by hand). The run starts the",
        "suite with `sds up` in a fresh data directory and runs VNG's collection",
        "`zgw-oas-endpoint-tests.postman_collection.json` (gemma-postman-tests, shared anchors) with newman 6.2.2,",
        f"folders {', '.join(FOLDERS)}, through the gateway. The Referentielijsten API the collection reads is",
        "served locally from the anchor files. The collection's client `zgw_api_tests` is the suite's bootstrap",
        "applicatie with a secret of the suite's minimum length; its tokens carry `iat` = now + 257 s, so the run",
        f"allows {JWT_LEEWAY_SECONDS} s of clock skew.",
        "",
        "**Not run:** tearDown (the run's data directory is thrown away instead). The Besluiten API is served by",
        "the zaken service, the Documenten API by the documenten service; `sds up` points the Zaken and Besluiten",
        "APIs at it, so a zaak- or besluitinformatieobject is registered there as an objectinformatieobject too.",
        "",
        "A check is `request path :: assertion name`; a request newman could not send (its URL variable was never",
        "set because the step that creates it failed) counts as `:: (no answer)`. setUp's requests carry no",
        "assertions of their own: each must answer 2xx (`:: (answer 2xx)`). \"requests passing\": answered, every",
        "check passing. The deletes the collection's scripts send themselves",
        "(`pm.sendRequest`, cleaning up earlier runs) are not in newman's report, so their answers are not checked.",
        "A run takes some 15-30 s, the start of the suite included.",
        "",
        "`make test` runs `tests/conformance/test_newman.py`: it fails on any 5xx answer and on any failing check",
        "that is not in `tests/conformance/known-failures.json`, and asks for an entry to be removed once it passes.",
        "",
        "## Result per folder",
        "",
        *summary_lines(outcome),
        "",
        f"5xx answers: {len(outcome.server_errors())}.",
        *[f"- `{r.path}` answered {r.code}" for r in outcome.server_errors()],
        "",
        f"## What still fails ({len(failures)} checks), by cause",
        "",
    ]
    for cause in sorted(by_cause):
        out += [f"### {cause} ({len(by_cause[cause])})", ""]
        out += [f"- `{key}`" for key in by_cause[cause]]
        out.append("")
    if _WAITS_ON:
        out += ["## ZRC and BRC requests that wait on APIs not built yet", ""]
        for api, _ in _WAITS_ON:
            paths = waiting.get(api, [])
            out.append(f"{api}: {len(paths)} request{'s' if len(paths) != 1 else ''}"
                       + (":" if paths else " (none of the ZRC and BRC folders' requests calls it)."))
            out += [f"- `{p}`" for p in paths]
            out.append("")
        out += ["A request waits on an API when its URL or body uses a variable that only that API sets.", ""]
    out += ["## What the collection does not send or check", "",
            "The NRC folder sends 5 of its 10 requests: its first request's script jumps (`setNextRequest`) to the",
            "kanalen, so the abonnement's create, update and delete (with the local callback `mock_url`, answering",
            "204) are never sent; tests/notificaties/test_api.py covers them. What the collection does not check at",
            "all: the notificaties the suite sends on its kanalen (`zaken`, `besluiten`, `documenten`, ...);",
            "tests/notificaties does.", ""]
    return "\n".join(out).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.conformance.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--update-baseline", action="store_true",
                        help="rewrite tests/conformance/known-failures.json and docs/conformance.md from this run")
    parser.add_argument("--keep-report", type=Path, metavar="FILE", help="copy newman's JSON report to FILE")
    args = parser.parse_args(argv)
    outcome = run_collection(args.keep_report)
    print("\n".join(summary_lines(outcome)))
    print(f"{len(outcome.requests)} requests in {outcome.seconds:.1f} s (suite start included)")
    if args.update_baseline:
        BASELINE.write_text(baseline_text(outcome))
        REPORT_DOC.write_text(report_text(outcome))
        print(f"wrote {BASELINE.relative_to(REPO)} and {REPORT_DOC.relative_to(REPO)}")
        servers = outcome.server_errors()
        for req in servers:
            print(f"5xx: {req.path} answered {req.code}", file=sys.stderr)
        return 1 if servers else 0
    problems = compare(outcome, load_baseline())
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    os.chdir(REPO)
    sys.exit(main())
