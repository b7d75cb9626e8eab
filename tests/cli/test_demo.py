"""`sds demo` against a real `sds up` per archetype, and the clear failures when the suite cannot do its job.

Each suite starts with an explicit ``--archetype`` and gets the catalogue from `sds seed catalogus` (loading it
twice changes nothing, so this holds whether or not `sds up` seeds it itself).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml

from sds.cli.demo import NEEDED, demo_kolommen, expectation
from sds.profiles import SHIPPED, load_profile, parse_profile_text, shipped_path
from tests.cli.conftest import SDS, UpRun, embedded_env, running, sds
from tests.support.databases import BACKEND


def _seed(run: UpRun, env: dict[str, str], where: list[str]) -> None:
    result = sds("seed", "catalogus", *where, "--public-base-url", f"http://127.0.0.1:{run.port}", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def _demo(run: UpRun, env: dict[str, str]) -> Any:
    return sds("demo", "--data-dir", str(run.data_dir), env=env, timeout=120)


# What each archetype shows in the demo, besides passing: the zaaktypen it opens and what is special to it.
SHOWS = {
    "transitie-proof": ["(WMO-HBH,", "(JW-AMB,", "0 plan(s)"],
    "totaal-integraal": ["(INT-PLAN,", "plan (the household, 1 zaak/zaken", "1 plan(s)"],
    "geclusterd-integraal": ["(INT-PLAN,", "plan (cluster zorg-en-jeugd", "1 plan(s)"],
    "integraal-in-tweede-instantie": ["(WMO-HBH,", "(JW-AMB,", "(INT-PLAN,", "hang under hoofdzaak"],
    "geclusterd-integraal-elders": ["part is doorgezet to partij regionale-jeugdorganisatie", "(SHV-SCHULDHULP,",
                                    "plan (cluster financiele-en-inkomensondersteuning"],
}


# On PostgreSQL, the deployment's own backend, each part runs as two processes (`sds up --replicas 2`).
REPLICAS = ("--replicas", "2") if BACKEND == "postgres" else ()


@pytest.mark.parametrize("archetype", SHIPPED)
def test_the_demo_passes_under_each_archetype(tmp_path: Path, archetype: str) -> None:
    with running(tmp_path, archetype, *REPLICAS) as (run, env, where):
        _seed(run, env, where)
        result = _demo(run, env)
        assert result.returncode == 0, result.stdout + result.stderr
        out = result.stdout
        assert f"Every step did what {archetype} says." in out
        for shown in SHOWS[archetype]:
            assert shown in out, out
        # Every request is printed with its full URL, and what it made with its own, to repeat with curl.
        gateway = f"http://127.0.0.1:{run.port}"
        assert f"POST {gateway}/intake/api/v1/aanvragen  {{" in out
        assert f"→ aanvraag: {gateway}/intake/api/v1/aanvragen/" in out
        assert f"POST {gateway}/zaken/api/v1/resultaten" in out and "→ resultaat Toegekend: " in out
        assert "Traceback" not in out + result.stderr
        # Financien: bought in, the toekenning became a toewijzing with its verplichting to the cent, and the
        # aanbieder's own applicatie started care and declared its first week.
        assert f"POST {gateway}/financien/api/v1/aanbieders  {{" in out
        assert f"→ toewijzing (toegewezen, verplichting € 1592.16): {gateway}/financien/api/v1/toewijzingen/" in out
        assert "its line is accepted (325, retourcode 0200): € 132.68" in out
        assert "the budgetmonitor counts the verplichting and the realisatie" in out
        # Beleidsinfo counted the aanvraag.
        assert f"GET {gateway}/beleidsinfo/api/v1/indicatoren/instroom?" in out
        assert "the aanvraag is counted in the beleidsinformatie of each of its kolommen" in out

        if archetype == "transitie-proof":
            # The demo checks against the archetype the suite says it runs: told another, it fails on triage.
            state_file = run.data_dir / "sds-state.json"
            state = json.loads(state_file.read_text())
            state_file.write_text(json.dumps({**state, "archetype": "totaal-integraal"}))
            try:
                wrong = _demo(run, env)
            finally:
                state_file.write_text(json.dumps(state))
            assert wrong.returncode == 1
            assert ("sds demo: intake triaged under archetype 'transitie-proof', but the suite was started with "
                    "'totaal-integraal'") in wrong.stderr
            assert "Traceback" not in wrong.stdout + wrong.stderr


def test_the_demo_fails_clearly_when_zaken_is_stopped(tmp_path: Path) -> None:
    with running(tmp_path, "transitie-proof") as (run, env, where):
        _seed(run, env, where)
        state = run.state()
        assert state is not None
        zaken = next(p["pid"] for p in state["parts"] if p["name"] == "zaken")
        os.kill(zaken, signal.SIGSTOP)
        try:
            result = _demo(run, env)
        finally:
            os.kill(zaken, signal.SIGCONT)
        assert result.returncode == 1, result.stdout
        assert "sds demo: the suite is not whole: zaken" in result.stderr
        assert "does not answer" in result.stderr and "sds status" in result.stderr
        assert "Traceback" not in result.stdout + result.stderr
        # Nothing was filed: the demo stops before its first aanvraag.
        assert "/intake/api/v1/aanvragen" not in result.stdout

        # Financien is as much a part of the main job.
        financien = next(p["pid"] for p in state["parts"] if p["name"] == "financien")
        os.kill(financien, signal.SIGSTOP)
        try:
            result = _demo(run, env)
        finally:
            os.kill(financien, signal.SIGCONT)
        assert result.returncode == 1, result.stdout
        assert "sds demo: the suite is not whole: financien" in result.stderr, result.stderr
        assert "Traceback" not in result.stdout + result.stderr

        # Stopped half-way, once the aanvraag is filed: the step that needs zaken says so and the demo stops.
        demo = subprocess.Popen([*SDS, "demo", "--data-dir", str(run.data_dir), "--timeout", "5"], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert demo.stdout is not None
        seen = []
        try:
            for line in demo.stdout:
                seen.append(line)
                if line.startswith("  → aanvraag: "):
                    os.kill(zaken, signal.SIGSTOP)
                    break
            rest, err = demo.communicate(timeout=90)
        finally:
            os.kill(zaken, signal.SIGCONT)
            if demo.poll() is None:
                demo.kill()
        out = "".join(seen) + rest
        assert demo.returncode == 1, out + err
        assert "→ aanvraag: " in out and "Every step did" not in out
        assert err.startswith("sds demo: ") and "zaken" in err and "sds status --data-dir" in err, err
        assert "Traceback" not in out + err


def test_without_a_running_suite_the_demo_says_so(tmp_path: Path) -> None:
    result = sds("demo", "--data-dir", str(tmp_path), env=embedded_env())
    assert result.returncode == 1
    assert "no suite recorded in" in result.stderr and "start one with `sds up`" in result.stderr
    assert "Traceback" not in result.stderr


class _Gateway(BaseHTTPRequestHandler):
    """A gateway whose suite is whole but whose catalogue holds no zaaktype."""

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        if self.path == "/health":
            body: dict[str, Any] = {"status": "ok", "parts": {n: {"status": "ok"} for n in NEEDED}}
        else:
            body = {"count": 0, "next": None, "previous": None, "results": []}
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


def test_an_empty_catalogue_is_named_with_the_command_that_fills_it(tmp_path: Path) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Gateway)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    # The state file's supervisor must be a live process with "sds" on its command line, as `sds up` is.
    supervisor = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)", "sds-up-stand-in"])
    try:
        (tmp_path / "sds-state.json").write_text(json.dumps({
            "status": "running", "supervisor_pid": supervisor.pid, "archetype": "transitie-proof", "embedded": True,
            "parts": [{"name": "gateway", "url": url}]}))
        result = sds("demo", "--data-dir", str(tmp_path), env=embedded_env())
    finally:
        supervisor.kill()
        supervisor.wait()
        server.shutdown()
        server.server_close()
    assert result.returncode == 1, result.stdout
    assert f"the catalogue is empty, so triage can open no zaak: load it with `sds seed catalogus --data-dir " \
           f"{tmp_path.resolve()} --public-base-url {url}`" in result.stderr
    assert "/intake/api/v1/aanvragen" not in result.stdout


@pytest.mark.parametrize(("archetype", "kolommen", "zaken", "delegaties", "hoofdzaak", "plannen"), [
    ("transitie-proof", ("wmo", "jeugd"), [("jeugd",), ("wmo",)], {}, False, 0),
    ("totaal-integraal", ("wmo", "jeugd"), [("wmo", "jeugd")], {}, False, 1),
    ("geclusterd-integraal", ("wmo", "jeugd"), [("wmo", "jeugd")], {}, False, 1),
    ("integraal-in-tweede-instantie", ("wmo", "jeugd"), [("jeugd",), ("wmo",)], {}, True, 0),
    ("geclusterd-integraal-elders", ("jeugd", "schuldhulp"), [("schuldhulp",)],
     {"regionale-jeugdorganisatie": ("jeugd",)}, False, 1),
])
def test_what_each_shipped_archetype_says_for_the_demo_aanvraag(
        archetype: str, kolommen: tuple[str, ...], zaken: list[tuple[str, ...]],
        delegaties: dict[str, tuple[str, ...]], hoofdzaak: bool, plannen: int) -> None:
    """The README's table of what two questions lead to, read from the profiles themselves."""
    profile = load_profile(archetype)
    assert demo_kolommen(profile) == kolommen
    said = expectation(profile, kolommen)
    assert sorted(said.zaken) == zaken
    assert (said.delegaties, said.hoofdzaak, said.plannen) == (delegaties, hoofdzaak, plannen)


def test_a_profile_of_its_own_gets_two_of_its_kolommen_and_an_integral_zaak_under_one_toegang() -> None:
    data = yaml.safe_load(shipped_path("totaal-integraal").read_text(encoding="utf-8"))
    data["kolommen"] = ["wmo", "participatie"]
    data["clusters"]["sociaal-domein"]["kolommen"] = ["wmo", "participatie"]
    data["termijnen"] = {k: v for k, v in data["termijnen"].items() if k in data["kolommen"]}
    data["signalering"]["kolom_per_soort"] = {"gezondheid": "wmo"}
    profile = parse_profile_text(yaml.safe_dump(data), "eigen.yaml")
    assert demo_kolommen(profile) == ("wmo", "participatie")
    said = expectation(profile, ("wmo",))
    assert said.zaak_kolommen() == ["integraal"] and said.plannen == 1
