"""`sds status` against state files that point at servers in the state the test wants."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.cli.conftest import FakeNats, free_port, sds


class _Health(BaseHTTPRequestHandler):
    status = 200

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        body = json.dumps({"status": "ok" if self.status == 200 else "unavailable",
                           "checks": {"database": "ok", "nats": "ok" if self.status == 200 else "error"}}).encode()
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def _server(status: int) -> Iterator[str]:
    handler = type("Health", (_Health,), {"status": status})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def healthy() -> Iterator[str]:
    yield from _server(200)


@pytest.fixture
def unhealthy() -> Iterator[str]:
    yield from _server(503)


def write_state(data_dir: Path, urls: dict[str, str], nats_url: str) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    parts = [{"name": name, "kind": "gateway" if name == "gateway" else "service", "url": url, "pid": os.getpid(),
              "health": url + ("/health/live" if name == "gateway" else "/health/ready")}
             for name, url in urls.items()]
    (data_dir / "sds-state.json").write_text(json.dumps({
        "status": "running", "supervisor_pid": os.getpid(), "started_at": "2026-01-01T00:00:00+00:00",
        "nats": {"url": nats_url, "pid": None}, "parts": parts,
    }))


def test_without_a_state_file_status_says_so(tmp_path: Path) -> None:
    result = sds("status", "--data-dir", str(tmp_path))
    assert result.returncode == 1
    assert "start one with `sds up`" in result.stdout


def test_all_parts_up(tmp_path: Path, healthy: str, fake_nats: FakeNats) -> None:
    write_state(tmp_path, {"gateway": healthy, "zaken": healthy}, f"nats://127.0.0.1:{fake_nats.port}")
    result = sds("status", "--data-dir", str(tmp_path))
    assert result.returncode == 0, result.stdout
    assert "all parts are up" in result.stdout


def test_a_part_that_is_not_ready_makes_status_fail(tmp_path: Path, healthy: str, unhealthy: str,
                                                    fake_nats: FakeNats) -> None:
    write_state(tmp_path, {"gateway": healthy, "zaken": unhealthy}, f"nats://127.0.0.1:{fake_nats.port}")
    result = sds("status", "--data-dir", str(tmp_path))
    assert result.returncode == 1
    zaken = next(line for line in result.stdout.splitlines() if line.split()[:1] == ["zaken"])
    assert "down (HTTP 503) database: ok, nats: error" in zaken
    assert "NOT all parts are up" in result.stdout


def test_unreachable_parts_and_nats(tmp_path: Path, healthy: str) -> None:
    closed = free_port()
    write_state(tmp_path, {"gateway": healthy, "intake": f"http://127.0.0.1:{closed}"},
                f"nats://127.0.0.1:{closed}")
    result = sds("status", "--data-dir", str(tmp_path))
    assert result.returncode == 1
    lines = {line.split()[0]: line for line in result.stdout.splitlines()[1:] if line.startswith("  ")}
    assert "unreachable" in lines["intake"]
    assert lines["nats"].rstrip().endswith("unreachable")
    assert lines["gateway"].rstrip().endswith("up")
