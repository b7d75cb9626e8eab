"""The pure parts of the CLI: database URLs per service, ports, and what it must not import."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from sds.cli.errors import StartupFailure, UsageError
from sds.cli.processes import free_port, port_is_free
from sds.cli.suite import SERVICES, migrations_dir, service_database_url
from sds.cli.up import describe_exit, plan_ports


def test_each_service_gets_its_own_postgres_database() -> None:
    base = "postgresql://postgres:pw@127.0.0.1:5432/sds?application_name=x"
    assert service_database_url(base, "zaken") == (
        "postgresql://postgres:pw@127.0.0.1:5432/sds_zaken?application_name=x")
    assert service_database_url("postgresql+asyncpg://db/sds", "intake") == "postgresql+asyncpg://db/sds_intake"


def test_each_service_gets_its_own_sqlite_file(tmp_path: Path) -> None:
    assert service_database_url(f"sqlite:///{tmp_path}/suite.db", "financien") == (
        f"sqlite:///{tmp_path}/suite_financien.db")


@pytest.mark.parametrize("url", ["postgresql://127.0.0.1:5432", "sqlite://", "mysql://db/sds", "nonsense"])
def test_database_urls_it_cannot_split(url: str) -> None:
    with pytest.raises(UsageError):
        service_database_url(url, "zaken")


def test_every_service_has_migrations() -> None:
    for service in SERVICES:
        assert (migrations_dir(service) / "versions").is_dir()


def test_services_take_the_ports_after_the_gateway_unless_taken() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        gateway = int(taken.getsockname()[1]) - 2
        try:
            listeners = plan_ports("127.0.0.1", gateway)
        except StartupFailure:
            pytest.skip("the port before the taken one is taken too")
    try:
        ports = {name: sock.getsockname()[1] for name, sock in listeners.items()}
        assert ports["gateway"] == gateway
        assert ports["intake"] == gateway + 1
        assert ports["zaken"] != gateway + 2  # the taken one
        assert len(set(ports.values())) == len(ports)
        # The ports are held from the moment they are planned: nobody else can bind them before the apps start.
        for port in ports.values():
            assert not port_is_free("127.0.0.1", port)
    finally:
        for sock in listeners.values():
            sock.close()


def test_describe_exit() -> None:
    assert describe_exit(3) == "exited with code 3"
    assert describe_exit(-9) == "was killed by SIGKILL"


def test_the_cli_does_not_import_services_or_the_gateway() -> None:
    code = ("import sys, sds.cli.main, sds.cli.up, sds.cli.status, sds.cli.migrate, sds.cli.pgcheck; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('services', 'gateway')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_nats_server_gets_another_port_when_its_chosen_one_is_taken_before_it_binds(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import sds.cli.up as up

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        picks = iter([int(taken.getsockname()[1]), free_port("127.0.0.1")])
        monkeypatch.setattr(up, "free_port", lambda host: next(picks))
        runner = up.Up(up.UpOptions(data_dir=tmp_path), {"PATH": os.environ.get("PATH", "")})
        runner.log_dir.mkdir(parents=True)
        try:
            url = runner.start_nats()
            assert url != f"nats://127.0.0.1:{taken.getsockname()[1]}"
            assert runner.supervisor.nats is not None and runner.supervisor.nats.returncode() is None
        finally:
            runner.supervisor.stop_all()
