"""docker-compose.yml describes a deployment that can start: checked on its structure, since no Docker
engine runs here.

What is checked is what breaks a `docker compose up` late or silently: a service missing or pointed at
another's database, a database the init script does not create, a dependency without a healthcheck, an
unpinned image, an undeclared volume, an app module that does not exist, a secret with a default.
"""

from __future__ import annotations

import ast
import http.server
import importlib
import os
import re
import shlex
import socket
import subprocess
import sys
import threading
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("intake", "zaken", "klantgegevens", "financien", "beleidsinfo", "notificaties", "documenten")
INFRA = ("nats", "postgres")
PARTS = (*SERVICES, "gateway")
REQUIRED = re.compile(r"^\$\{(?P<name>[A-Z0-9_]+):\?[^}]+\}$")
# What an operator sets before `docker compose up`; the file must need nothing else.
OPERATOR_ENV = {"SDS_POSTGRES_PASSWORD": "pg-secret-1", "SDS_INTERNAL_SECRET": "internal-secret-0123456789",
                "SDS_BOOTSTRAP_CLIENT_ID": "gemeente-beheer",
                "SDS_BOOTSTRAP_SECRET": "bootstrap-secret-0123456789",
                "SDS_PSEUDONIEM_SLEUTEL": "pseudoniem-sleutel-0123456789",
                "SDS_BELEIDSINFO_SLEUTEL": "beleidsinfo-sleutel-0123456789"}


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, Any]:
    return compose["services"]


def _argv(command: str | list[str]) -> list[str]:
    return shlex.split(command) if isinstance(command, str) else list(command)


def _steps(command: str | list[str]) -> list[list[str]]:
    """The commands a container runs in order, unwrapping ``sh -c "a && exec b"``."""
    argv = _argv(command)
    if argv[:2] == ["sh", "-c"]:
        steps = [shlex.split(part) for part in argv[2].split("&&")]
        return [step[1:] if step[0] == "exec" else step for step in steps]
    return [argv]


def _uvicorn_target(command: str | list[str]) -> str:
    (uvicorn,) = [step for step in _steps(command) if step[0] == "uvicorn"]
    assert uvicorn[-4:] == ["--host", "0.0.0.0", "--port", "8000"], uvicorn
    return uvicorn[-5]


def _env(service: dict[str, Any]) -> dict[str, str]:
    """A service's environment as written, before compose fills in variables."""
    env = service.get("environment", {})
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {key: str(value) for key, value in env.items()}


def _interpolate(text: str, environ: dict[str, str]) -> str:
    """Compose's ``${VAR}``, ``${VAR:-default}`` and ``${VAR:?error}`` (an unset or empty VAR is an error)."""
    def substitute(match: re.Match[str]) -> str:
        name, operator, argument = match["name"], match["op"], match["arg"]
        value = environ.get(name, "")
        if operator == ":?" and not value:
            raise LookupError(f"{name}: {argument}")
        return value or (argument if operator == ":-" else "")
    return re.sub(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:[-?])(?P<arg>[^}]*))?\}", substitute, text)


def _resolved_env(service: dict[str, Any], environ: dict[str, str] | None = None) -> dict[str, str]:
    environ = OPERATOR_ENV if environ is None else environ
    return {key: _interpolate(value, environ) for key, value in _env(service).items()}


def _database_names_created_by_init_script() -> set[str]:
    sql = (ROOT / "deploy" / "postgres" / "init.sql").read_text(encoding="utf-8")
    sql = re.sub(r"--[^\n]*", "", sql)
    return set(re.findall(r"CREATE\s+DATABASE\s+\"?([a-z_][a-z0-9_]*)\"?", sql, flags=re.IGNORECASE))


def test_every_part_of_the_architecture_is_a_compose_service(services: dict[str, Any]) -> None:
    assert set(services) == {*INFRA, *PARTS}
    on_disk = {p.parent.name for p in (ROOT / "services").glob("*/app.py")}
    assert on_disk <= set(SERVICES), f"services in the repo missing from compose: {on_disk - set(SERVICES)}"


@pytest.mark.parametrize("name", SERVICES)
def test_a_service_migrates_its_own_database_and_then_serves(services: dict[str, Any], name: str) -> None:
    command = services[name]["command"]
    steps = _steps(command)
    assert steps[0] == ["sds", "migrate", "--service", name]
    assert steps[-1][0] == "uvicorn" and len(steps) == 2
    # && and not ; so a failed migration stops the container instead of serving an old schema.
    assert "&&" in _argv(command)[2] and ";" not in _argv(command)[2]
    assert _uvicorn_target(command) == f"services.{name}.app:create_app"
    assert "--factory" in steps[-1]


@pytest.mark.parametrize("name", SERVICES)
def test_a_service_uses_its_own_database_which_the_init_script_creates(services: dict[str, Any],
                                                                       name: str) -> None:
    env = _resolved_env(services[name])
    assert env["SDS_SERVICE"] == name
    url = urlsplit(env["SDS_DATABASE_URL"])
    assert (url.scheme, url.hostname, url.port, url.path) == ("postgresql", "postgres", 5432, f"/sds_{name}")
    assert (url.username, url.password) == ("sds", OPERATOR_ENV["SDS_POSTGRES_PASSWORD"])
    assert f"sds_{name}" in _database_names_created_by_init_script()


def test_the_file_needs_only_the_operator_secrets_and_refuses_to_start_without_each(
        services: dict[str, Any]) -> None:
    text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    required = set(re.findall(r"\$\{([A-Z0-9_]+):\?", text))
    assert required == set(OPERATOR_ENV)
    for name in required:
        environ = {k: v for k, v in OPERATOR_ENV.items() if k != name}
        with pytest.raises(LookupError, match=name):
            for service in services.values():
                _resolved_env(service, environ)


@pytest.mark.parametrize("name", PARTS)
def test_the_process_accepts_the_environment_compose_gives_it(services: dict[str, Any], name: str,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from gateway.settings import GatewaySettings
    from sds.runtime.settings import ServiceSettings

    for variable in [v for v in os.environ if v.startswith("SDS_")]:
        monkeypatch.delenv(variable)
    for variable, value in _resolved_env(services[name]).items():
        monkeypatch.setenv(variable, value)
    if name == "gateway":
        settings = GatewaySettings()
        assert settings.upstream_urls() == {n: f"http://{n}:8000" for n in SERVICES}
    else:
        # The service's own settings (its own required keys too), as its composition root reads them.
        app = importlib.import_module(f"services.{name}.app").create_app()
        service_settings = app.state.settings
        assert isinstance(service_settings, ServiceSettings)
        assert service_settings.service == name and service_settings.env == "production"
        assert service_settings.database_url == (
            f"postgresql+asyncpg://sds:{OPERATOR_ENV['SDS_POSTGRES_PASSWORD']}@postgres:5432/sds_{name}")


def test_no_two_services_share_a_database(services: dict[str, Any]) -> None:
    paths = [urlsplit(_resolved_env(services[name])["SDS_DATABASE_URL"]).path for name in SERVICES]
    assert len(set(paths)) == len(paths)


def test_the_init_script_is_mounted_into_postgres(services: dict[str, Any]) -> None:
    mounts = [v.split(":") for v in services["postgres"]["volumes"]]
    (init,) = [m for m in mounts if m[0] == "./deploy/postgres/init.sql"]
    assert init[1].startswith("/docker-entrypoint-initdb.d/") and init[1].endswith(".sql")
    assert _env(services["postgres"])["POSTGRES_USER"] == "sds"
    assert REQUIRED.match(_env(services["postgres"])["POSTGRES_PASSWORD"])
    assert _database_names_created_by_init_script() == {f"sds_{name}" for name in SERVICES}


@pytest.mark.parametrize("name", SERVICES)
def test_a_service_reaches_nats_and_gets_the_secret_and_public_url(services: dict[str, Any],
                                                                   name: str) -> None:
    env = _env(services[name])
    assert env["SDS_NATS_URL"] == "nats://nats:4222"
    assert REQUIRED.match(env["SDS_INTERNAL_SECRET"])["name"] == "SDS_INTERNAL_SECRET"
    assert env["SDS_PUBLIC_BASE_URL"]


def test_the_gateway_routes_to_every_service_and_is_published_on_8000(services: dict[str, Any]) -> None:
    gateway = services["gateway"]
    assert _uvicorn_target(gateway["command"]) == "gateway.app:create_app"
    env = _env(gateway)
    for name in SERVICES:
        upstream = urlsplit(env[f"SDS_UPSTREAM_{name.upper()}"])
        assert (upstream.scheme, upstream.hostname, upstream.port) == ("http", name, 8000)
    for variable in ("SDS_BOOTSTRAP_CLIENT_ID", "SDS_BOOTSTRAP_SECRET", "SDS_INTERNAL_SECRET"):
        assert REQUIRED.match(env[variable])["name"] == variable
    # The gateway signs the auth context with the secret the services verify it with.
    assert {_env(services[n])["SDS_INTERNAL_SECRET"] for n in SERVICES} == {env["SDS_INTERNAL_SECRET"]}
    assert gateway["ports"] == ["8000:8000"]
    # NATS too: the gateway consumes triage decisions to forward delegated aanvragen to external parties.
    assert set(gateway["depends_on"]) == set(SERVICES) | {"nats"}


def _host_ports(service: dict[str, Any]) -> list[str]:
    ports = []
    for entry in service.get("ports", []):
        if isinstance(entry, dict):
            ports.append(f"{entry.get('host_ip', '0.0.0.0')}:{entry['published']}")
        else:
            parts = str(entry).split(":")
            if len(parts) > 1:
                ports.append(":".join(parts[:-1]) if len(parts) == 3 else f"0.0.0.0:{parts[0]}")
    return ports


def test_no_two_services_share_a_host_port(services: dict[str, Any]) -> None:
    published = [port for service in services.values() for port in _host_ports(service)]
    assert "0.0.0.0:8000" in published
    assert len(set(published)) == len(published), published


def test_every_dependency_exists_has_a_healthcheck_and_is_waited_for(services: dict[str, Any]) -> None:
    for name, service in services.items():
        depends_on = service.get("depends_on", {})
        assert isinstance(depends_on, dict), f"{name}: depends_on must name a condition"
        for target, condition in depends_on.items():
            assert target in services, f"{name} depends on unknown {target}"
            assert "healthcheck" in services[target], f"{name} waits for {target}, which has no healthcheck"
            assert condition == {"condition": "service_healthy"}, f"{name} → {target}"
    for name in SERVICES:
        assert set(services[name]["depends_on"]) == {"nats", "postgres"}


@pytest.mark.parametrize("name", PARTS)
def test_a_part_is_healthy_when_its_ready_endpoint_answers(services: dict[str, Any], name: str) -> None:
    test = services[name]["healthcheck"]["test"]
    assert test[:3] == ["CMD", "python", "-c"]
    assert "http://127.0.0.1:8000/health/ready" in test[3]


def test_nats_runs_jetstream_on_its_volume_and_is_checked_on_its_monitoring_port(
        services: dict[str, Any]) -> None:
    nats = services["nats"]
    argv = _argv(nats["command"])
    assert "-js" in argv
    assert argv[argv.index("-sd") + 1] == "/data" and argv[argv.index("-m") + 1] == "8222"
    assert any(v.split(":")[1] == "/data" for v in nats["volumes"])
    assert "http://127.0.0.1:8222/healthz" in " ".join(nats["healthcheck"]["test"])
    assert services["postgres"]["healthcheck"]["test"][1].startswith("pg_isready")


def test_images_are_pinned_to_a_version(services: dict[str, Any]) -> None:
    for name, service in services.items():
        image = service.get("image")
        assert image or service.get("build"), name
        if image:
            repository, _, tag = image.rpartition(":")
            assert repository and "/" not in tag and re.match(r"^\d+(\.\d+)*(-[a-z0-9.]+)?$", tag), (
                f"{name}: {image} is not pinned to a version tag")
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    for base in re.findall(r"^FROM\s+(\S+)", dockerfile, flags=re.MULTILINE):
        assert ":" in base and not base.endswith(":latest"), base


def test_every_named_volume_is_declared(compose: dict[str, Any], services: dict[str, Any]) -> None:
    declared = set(compose.get("volumes") or {})
    used = set()
    for name, service in services.items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0] if isinstance(volume, str) else volume.get("source", "")
            if source.startswith((".", "/")):
                assert (ROOT / source).exists(), f"{name} mounts {source}, which is not in the repo"
            else:
                used.add(source)
    assert used == declared


def _defines(module_file: Path, attribute: str) -> bool:
    tree = ast.parse(module_file.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == attribute:
            return True
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] \
            if isinstance(node, ast.AnnAssign) else []
        if any(isinstance(t, ast.Name) and t.id == attribute for t in targets):
            return True
    return False


@pytest.mark.parametrize("name", PARTS)
def test_the_app_a_part_starts_exists_in_the_repo(services: dict[str, Any], name: str) -> None:
    module, _, attribute = _uvicorn_target(services[name]["command"]).partition(":")
    module_file = ROOT.joinpath(*module.split(".")).with_suffix(".py")
    assert module_file.is_file(), f"{name} starts {module}, but {module_file.relative_to(ROOT)} is missing"
    assert _defines(module_file, attribute), f"{module_file.relative_to(ROOT)} defines no {attribute}"


def test_the_sds_command_the_services_migrate_with_is_installed_by_the_package() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    module, _, function = pyproject["project"]["scripts"]["sds"].partition(":")
    module_file = ROOT.joinpath(*module.split(".")).with_suffix(".py")
    assert module_file.is_file() and _defines(module_file, function)
    assert '"migrate"' in module_file.read_text(encoding="utf-8")


def test_the_dockerfile_installs_the_package_and_runs_as_non_root() -> None:
    lines = [line.strip() for line in (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.lstrip().startswith("#")]
    assert lines[0] == "FROM python:3.11-slim"
    copied = {Path(word).name for line in lines if line.startswith("COPY") for word in line.split()[1:-1]}
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    packages = {p.rstrip("*") for p in pyproject["tool"]["setuptools"]["packages"]["find"]["include"]}
    assert packages | {"pyproject.toml"} <= copied, f"the image lacks {packages - copied}"
    installs = [line for line in lines if re.match(r"RUN .*\bpip install (\.|/src)(\s|$)", line)]
    assert installs, "the Dockerfile does not pip install the package"
    users = [line.split()[1] for line in lines if line.startswith("USER")]
    assert users and users[-1] not in ("root", "0") and not users[-1].startswith("0:")
    assert lines.index(next(line for line in lines if line.startswith("USER"))) > lines.index(installs[0])
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert ".venv" in ignored and ".git" in ignored


# The healthcheck is a Python one-liner run inside the container; run it here against a stand-in.

class _Ready(http.server.BaseHTTPRequestHandler):
    status = 200

    def do_GET(self) -> None:  # noqa: N802 (the name http.server looks up)
        self.send_response(self.status if self.path == "/health/ready" else 404)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def ready_server() -> Iterator[tuple[int, type[_Ready]]]:
    handler = type("Handler", (_Ready,), {})
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = http.server.HTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield port, handler
    finally:
        server.shutdown()
        server.server_close()


def test_the_healthcheck_passes_on_200_and_fails_on_503(services: dict[str, Any],
                                                       ready_server: tuple[int, type[_Ready]]) -> None:
    port, handler = ready_server
    code = services["intake"]["healthcheck"]["test"][3].replace(":8000/", f":{port}/")

    def run() -> int:
        return subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=20).returncode

    assert run() == 0
    handler.status = 503
    assert run() != 0
