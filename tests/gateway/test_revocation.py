"""Revocation holds everywhere at once: two gateway processes on one database of applicaties; a change made
through the first (an autorisatie withdrawn, a client id taken away, the applicatie deleted) holds on the second
within 2 seconds — though the second had the applicatie and the token in its caches (30 s and 60 s)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from sds.cli.main import build_parser
from sds.cli.suite import GATEWAY
from sds.cli.up import Up, UpOptions
from tests.gateway.conftest import CLIENT_ID, CLIENT_SECRET, INTERNAL_SECRET, bearer, closed_port, token
from tests.support.databases import fresh_database_url
from tests.support.servers import listening_socket

WITHIN = 2.0
SECRET = "intrekking-secret-0123456789-abcdefghij"
APPLICATIES = "/autorisaties/api/v1/applicaties"


def _free_port() -> int:
    sock = listening_socket()
    try:
        return int(sock.getsockname()[1])
    finally:
        sock.close()


@contextmanager
def gateway_process(database_url: str, log: Path) -> Iterator[str]:
    """A gateway in a process of its own (uvicorn, as `sds up` starts it), until the block ends."""
    port, down = _free_port(), f"http://127.0.0.1:{closed_port()}"
    env = {**os.environ, "SDS_SERVICE": "gateway", "SDS_ENV": "test", "SDS_GATEWAY_DATABASE_URL": database_url,
           "SDS_INTERNAL_SECRET": INTERNAL_SECRET, "SDS_BOOTSTRAP_CLIENT_ID": CLIENT_ID,
           "SDS_BOOTSTRAP_SECRET": CLIENT_SECRET, "SDS_NATS_URL": f"nats://127.0.0.1:{closed_port()}",
           "SDS_RATE_LIMIT_PER_SECOND": "0",
           **{f"SDS_UPSTREAM_{name.upper()}": down for name in
              ("intake", "zaken", "klantgegevens", "financien", "beleidsinfo", "notificaties", "documenten")}}
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory", "gateway.app:create_app",
                                 "--host", "127.0.0.1", "--port", str(port), "--lifespan", "on"],
                                env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{url}/health/live", timeout=1, trust_env=False).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture
async def two_gateways(tmp_path: Path) -> AsyncIterator[tuple[httpx.Client, httpx.Client]]:
    async with fresh_database_url(tmp_path, "intrekking") as url:
        with ExitStack() as stack:
            # The first migrates the database; the second starts on it.
            first = stack.enter_context(gateway_process(url, tmp_path / "gateway-1.log"))
            second = stack.enter_context(gateway_process(url, tmp_path / "gateway-2.log"))
            yield (stack.enter_context(httpx.Client(base_url=first, timeout=10, trust_env=False)),
                   stack.enter_context(httpx.Client(base_url=second, timeout=10, trust_env=False)))


def _within(check: Callable[[], bool]) -> float:
    """Seconds until ``check`` holds; fails when it does not within WITHIN."""
    start = time.monotonic()
    while not check():
        assert time.monotonic() - start < WITHIN, f"not within {WITHIN} s"
        time.sleep(0.05)
    return time.monotonic() - start


def _lezer(client_id: str) -> dict[str, Any]:
    return {"clientIds": [client_id], "label": "Beheer elders", "secret": SECRET, "heeftAlleAutorisaties": False,
            "autorisaties": [{"component": "ac", "componentWeergave": "Autorisaties API",
                              "scopes": ["autorisaties.lezen"]}]}


def test_a_change_through_one_gateway_holds_on_the_other_within_two_seconds(
        two_gateways: tuple[httpx.Client, httpx.Client]) -> None:
    first, second = two_gateways
    made = first.post(APPLICATIES, json=_lezer("beheer-elders"), headers=bearer())
    assert made.status_code == 201, made.text
    # Its url names the public base url; here each process is asked on a port of its own.
    applicatie = {"url": httpx.URL(made.json()["url"]).path}
    own = {"authorization": f"Bearer {token(client_id='beheer-elders', secret=SECRET)}"}
    # The second process reads the applicatie and keeps it, and the verified token, in its caches.
    for _ in range(3):
        assert second.get(APPLICATIES, headers=own).status_code == 200

    # The autorisatie withdrawn through the first: refused on the second.
    changed = first.patch(applicatie["url"], headers=bearer(), json={"autorisaties": [
        {"component": "intake", "scopes": ["intake.aanvragen.lezen"]}]})
    assert changed.status_code == 200, changed.text
    took = _within(lambda: second.get(APPLICATIES, headers=own).status_code == 403)
    print(f"autorisatie withdrawn: {took:.2f} s")

    # Given back, then the client id taken away: that id's token is no longer anyone's.
    assert first.patch(applicatie["url"], headers=bearer(), json=_lezer("beheer-elders")).status_code == 200
    _within(lambda: second.get(APPLICATIES, headers=own).status_code == 200)
    assert first.patch(applicatie["url"], headers=bearer(),
                       json={"clientIds": ["beheer-elders-2"]}).status_code == 200
    took = _within(lambda: second.get(APPLICATIES, headers=own).status_code == 401)
    print(f"client id withdrawn: {took:.2f} s")
    renamed = {"authorization": f"Bearer {token(client_id='beheer-elders-2', secret=SECRET)}"}
    assert second.get(APPLICATIES, headers=renamed).status_code == 200

    # The applicatie deleted: its tokens answer 401 on both.
    assert first.delete(applicatie["url"], headers=bearer()).status_code == 204
    took = _within(lambda: second.get(APPLICATIES, headers=renamed).status_code == 401)
    print(f"applicatie deleted: {took:.2f} s")
    assert first.get(APPLICATIES, headers=renamed).status_code == 401


def test_sds_up_starts_the_gateway_replicas_as_uvicorn_workers_on_its_port(tmp_path: Path) -> None:
    def gateway_argv(*argv: str) -> list[str]:
        args = build_parser().parse_args(["up", *argv])
        up = Up(UpOptions(data_dir=tmp_path, replicas=args.replicas), {})
        up.listeners = {GATEWAY: sock}
        return up.gateway_argv()

    with socket.socket() as sock:
        assert "--workers" not in gateway_argv()
        three = gateway_argv("--replicas", "3")
        # The workers serve the socket `sds up` bound for the gateway, inherited by descriptor.
        assert three[three.index("--workers") + 1] == "3" and three[three.index("--fd") + 1] == str(sock.fileno())
    with pytest.raises(SystemExit):
        build_parser().parse_args(["up", "--replicas", "0"])
