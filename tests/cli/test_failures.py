"""What `sds up` does when something goes wrong: it stops everything, says why, and exits non-zero."""

from __future__ import annotations

import signal
import socket
import time
from pathlib import Path

import psutil
import pytest

from sds.runtime.settings import DEV_BOOTSTRAP_SECRET
from tests.cli.conftest import FakeNats, embedded_env, free_port, production_env, sds, start_up, still_there

# The embedded default whatever the backend: the PostgreSQL pass leaves these out (tests/conftest.py).
pytestmark = pytest.mark.embedded


def test_a_child_that_dies_stops_the_rest(tmp_path: Path) -> None:
    run = start_up(tmp_path / "data")
    try:
        state = run.wait_running()
        zaken = next(p for p in state["parts"] if p["name"] == "zaken")
        run.note_children()
        children = set(run.seen_children)
        psutil.Process(zaken["pid"]).send_signal(signal.SIGKILL)
        assert run.wait_exit(timeout=60) == 1
        output = run.output()
        assert f"zaken (pid {zaken['pid']}) was killed by SIGKILL; stopping the rest" in output
        assert still_there(children) == [], output
        assert not (run.data_dir / "sds-state.json").exists()
    finally:
        run.kill_everything()


def test_a_part_that_never_gets_ready_stops_everything_and_shows_its_log(
        tmp_path: Path, fake_nats: FakeNats) -> None:
    # A NATS that greets but never completes a handshake: services start but never report ready. The timeout
    # leaves a loaded machine time to start zaken listening, so that it can answer its 503.
    run = start_up(tmp_path / "data", "--nats-url", f"nats://127.0.0.1:{fake_nats.port}", "--timeout", "15",
                   env=production_env())
    try:
        assert run.wait_exit(timeout=90) == 1
        output = run.output()
        assert "not ready within 15s" in output
        assert "zaken: HTTP 503" in output
        assert f"--- last lines of {(run.data_dir / 'logs' / 'zaken.log').resolve()} ---" in output
        assert run.seen_children, "sds up started no processes"
        assert still_there(run.seen_children) == [], output
    finally:
        run.kill_everything()


def test_a_taken_gateway_port_stops_before_starting_anything(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = int(taken.getsockname()[1])
        started = time.monotonic()
        result = sds("up", "--data-dir", str(tmp_path / "data"), "--port", str(port), env=embedded_env(), timeout=60)
    assert result.returncode == 1
    assert f"port {port} on 127.0.0.1 is already in use" in result.stderr
    assert time.monotonic() - started < 20
    assert not (tmp_path / "data" / "logs" / "nats.log").exists()


def test_a_failing_migration_stops_everything_and_says_which(tmp_path: Path) -> None:
    closed = free_port()
    url = f"postgresql://postgres@127.0.0.1:{closed}/sds"
    result = sds("up", "--data-dir", str(tmp_path / "data"), "--port", str(free_port()), "--database-url", url,
                 env=production_env(), timeout=90)
    assert result.returncode == 1
    assert "migrating intake" in result.stderr and "failed" in result.stderr
    assert "stopped: nats (stopped)" in result.stdout


@pytest.mark.parametrize(("env", "complaint"), [
    (embedded_env(), "SDS_INTERNAL_SECRET is not set"),
    (production_env(SDS_BOOTSTRAP_SECRET=DEV_BOOTSTRAP_SECRET), "SDS_BOOTSTRAP_SECRET still has the "
                                                                       "development value"),
    (production_env(SDS_INTERNAL_SECRET="short"), "SDS_INTERNAL_SECRET must be at least 16 characters"),
])
def test_outside_the_embedded_default_the_secrets_must_come_from_the_environment(
        tmp_path: Path, env: dict[str, str], complaint: str) -> None:
    result = sds("up", "--data-dir", str(tmp_path / "data"), "--port", str(free_port()),
                 "--nats-url", "nats://127.0.0.1:1", env=env, timeout=30)
    assert result.returncode == 2
    assert complaint in result.stderr
    assert not (tmp_path / "data").exists()


def test_an_archetype_profile_that_does_not_validate_stops_start_up(tmp_path: Path) -> None:
    profile = tmp_path / "eigen.yaml"
    profile.write_text("archetype: eigen\nkolommen: [wmo, ouderen]\n")
    result = sds("up", "--archetype", str(profile), "--data-dir", str(tmp_path / "data"),
                 "--port", str(free_port()), env=embedded_env(), timeout=60)
    assert result.returncode == 2
    assert f"{profile}:2: kolommen[1]: 'ouderen' is not a kolom" in result.stderr
    assert not (tmp_path / "data" / "sds-state.json").exists()
