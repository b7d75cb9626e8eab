"""`sds up`: the whole suite on one machine, supervised until Ctrl-C or SIGTERM.

Order: nats-server (unless one is given), migrations of every service, the reference catalogue into
zaken (on the embedded default, when zaken has none yet), then every service and the gateway as their
own uvicorn processes; it waits until each is ready and then watches them. The archetype profile is
DEFAULT_ARCHETYPE unless one is named, so a fresh start does the main job: an aanvraag becomes its zaken.
Whatever goes wrong (a migration, a taken port, a child that dies or never gets ready) stops all
of them: a half-running suite is worse than none, because its failures show up later and elsewhere.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Any

import httpx

from sds.cli.database import migrate
from sds.cli.errors import StartupFailure, UsageError
from sds.cli.nats import NATS_HOST, nats_addresses, nats_answers, nats_server_argv, nats_server_binary
from sds.cli.processes import Child, free_port, http_url, listen, log_tail, port_is_free, spawn, stop
from sds.cli.seed import seed_catalogus_argv
from sds.cli.state import read_state, remove_state, supervisor_running, write_state
from sds.cli.suite import (
    DEFAULT_ARCHETYPE,
    GATEWAY,
    GATEWAY_FACTORY,
    ONE_PROCESS_DUTIES,
    SERVICES,
    default_database_url,
    display_database,
    replica_name,
    service_database_url,
    service_factory,
)
from sds.runtime.settings import DEV_BOOTSTRAP_CLIENT_ID, DEV_BOOTSTRAP_SECRET, DEV_INTERNAL_SECRET

_SECRET_NAMES = ("SDS_INTERNAL_SECRET", "SDS_BOOTSTRAP_CLIENT_ID", "SDS_BOOTSTRAP_SECRET")
_DEV_VALUES = {
    "SDS_INTERNAL_SECRET": DEV_INTERNAL_SECRET,
    "SDS_BOOTSTRAP_CLIENT_ID": DEV_BOOTSTRAP_CLIENT_ID,
    "SDS_BOOTSTRAP_SECRET": DEV_BOOTSTRAP_SECRET,
}
_MIN_SECRET_LENGTH = 16
_TAIL_LINES = 20


@dataclass(frozen=True)
class UpOptions:
    data_dir: Path
    port: int = 8000
    host: str = "127.0.0.1"
    archetype: str | None = None
    database_url: str | None = None
    nats_url: str | None = None
    nats_port: int | None = None
    timeout: float = 60.0
    grace: float = 10.0
    seed: bool | None = None  # None: seed on the embedded default only
    replicas: int = 1  # processes of the gateway (uvicorn workers) and of every service, each on its part's socket

    @property
    def embedded(self) -> bool:
        """Nothing outside this machine is involved, so the published development secrets are safe."""
        return self.database_url is None and self.nats_url is None

    @property
    def seeds_catalogue(self) -> bool:
        """Whether the reference catalogue goes into a zaken that has none: the embedded default is there to be
        tried at once, while a deployment of its own loads (or builds) its catalogue when it chooses to."""
        return self.embedded if self.seed is None else self.seed


@dataclass(frozen=True)
class Secrets:
    internal: str
    bootstrap_client_id: str
    bootstrap_secret: str
    dev: bool


def resolve_secrets(embedded: bool, environ: Mapping[str, str]) -> Secrets:
    if embedded:
        return Secrets(
            internal=environ.get("SDS_INTERNAL_SECRET") or DEV_INTERNAL_SECRET,
            bootstrap_client_id=environ.get("SDS_BOOTSTRAP_CLIENT_ID") or DEV_BOOTSTRAP_CLIENT_ID,
            bootstrap_secret=environ.get("SDS_BOOTSTRAP_SECRET") or DEV_BOOTSTRAP_SECRET,
            dev=True,
        )
    problems = [f"{name} is not set" for name in _SECRET_NAMES if not environ.get(name)]
    if not problems and environ.get("SDS_ENV") != "dev":
        problems += [f"{name} still has the development value" for name in _SECRET_NAMES
                     if environ[name] == _DEV_VALUES[name]]
    problems += [f"{name} must be at least {_MIN_SECRET_LENGTH} characters"
                 for name in ("SDS_INTERNAL_SECRET", "SDS_BOOTSTRAP_SECRET")
                 if environ.get(name) and len(environ[name]) < _MIN_SECRET_LENGTH]
    if problems:
        raise UsageError(
            "with --database-url or --nats-url the suite is not the embedded default, so it does not use the "
            "built-in development secrets: " + "; ".join(problems) + ". Set them in the environment."
        )
    return Secrets(environ["SDS_INTERNAL_SECRET"], environ["SDS_BOOTSTRAP_CLIENT_ID"],
                   environ["SDS_BOOTSTRAP_SECRET"], dev=False)


class StopRequested(Exception):
    pass


class Supervisor:
    """The children of one `sds up` and the signals that ask it to stop them."""

    def __init__(self, grace: float) -> None:
        self.grace = grace
        self.nats: Child | None = None
        self.gateway: Child | None = None
        self.services: list[Child] = []
        self.signals: list[str] = []

    def on_signal(self, signum: int, _frame: FrameType | None) -> None:
        # Only note it: the main loop stops things in order, outside of any half-done step.
        self.signals.append(signal.Signals(signum).name)

    def check(self) -> None:
        if self.signals:
            raise StopRequested(self.signals[0])

    def sleep(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while True:
            self.check()
            left = end - time.monotonic()
            if left <= 0:
                return
            time.sleep(min(left, 0.05))

    def children(self) -> list[Child]:
        return [c for c in (self.nats, *self.services, self.gateway) if c is not None]

    def first_exited(self) -> Child | None:
        return next((c for c in self.children() if c.returncode() is not None), None)

    def stop_all(self) -> None:
        waves = [[c for c in (self.gateway,) if c], self.services, [c for c in (self.nats,) if c]]
        # A second Ctrl-C means "now": skip the grace period.
        stop(waves, self.grace, hurry=lambda: len(self.signals) > 1)


def describe_exit(returncode: int) -> str:
    if returncode < 0:
        try:
            return f"was killed by {signal.Signals(-returncode).name}"
        except ValueError:
            return f"was killed by signal {-returncode}"
    return f"exited with code {returncode}"


def describe_stop(returncode: int) -> str:
    # uvicorn re-raises SIGTERM on itself after a graceful shutdown, so that is a clean stop too.
    if returncode in (0, -signal.SIGTERM):
        return "stopped"
    if returncode == -signal.SIGKILL:
        return "killed"
    return describe_exit(returncode)


_NATS_PORT_TRIES = 3


def plan_ports(host: str, gateway_port: int) -> dict[str, socket.socket]:
    """Listening sockets: the gateway on ``gateway_port`` (0: any free port), services on the ports after it
    when free, else on any free port. The caller closes them once the apps that inherited them are gone."""
    gateway = listen(host, gateway_port)
    if gateway is None:
        raise StartupFailure(f"port {gateway_port} on {host} is already in use: stop what listens there "
                             "or choose another port with --port")
    listeners = {GATEWAY: gateway}
    port = gateway.getsockname()[1]
    for offset, service in enumerate(SERVICES, start=1):
        sock = listen(host, port + offset) if port + offset <= 65535 else None
        listeners[service] = sock or listen(host, 0) or _no_port(host)
    return listeners


def _no_port(host: str) -> socket.socket:
    raise StartupFailure(f"no free port on {host}")


def _out(line: str = "") -> None:
    print(line, flush=True)


def _err(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _show_failure(message: str, logs: list[Path]) -> None:
    _err(f"sds up: {message}")
    for log in logs:
        tail = log_tail(log, _TAIL_LINES)
        _err(f"--- last lines of {log} ---" if tail else f"--- {log} is empty ---")
        for line in tail:
            _err(f"    {line}")


def checked_archetype(archetype: str | None) -> str | None:
    """The profile every process gets, validated first: an invalid one stops start-up here."""
    if archetype is None:
        return None
    from sds.profiles import ProfileError, load_profile

    try:
        load_profile(archetype)
    except ProfileError as exc:
        raise UsageError(f"the archetype profile does not validate:\n{exc}") from exc
    path = Path(archetype)
    # A file is passed on by absolute path: the children do not share this working directory's meaning.
    return str(path.resolve()) if path.suffix in (".yaml", ".yml") or path.exists() else archetype


class Up:
    def __init__(self, options: UpOptions, environ: Mapping[str, str]) -> None:
        self.options = options
        self.environ = dict(environ)
        self.data_dir = options.data_dir.resolve()
        self.log_dir = self.data_dir / "logs"
        self.supervisor = Supervisor(options.grace)
        self.secrets = resolve_secrets(options.embedded, environ)
        self.archetype = checked_archetype(options.archetype or environ.get("SDS_ARCHETYPE") or DEFAULT_ARCHETYPE)
        self.databases = {
            service: service_database_url(options.database_url, service) if options.database_url
            else default_database_url(self.data_dir, service)
            for service in SERVICES
        }
        self.nats_url = options.nats_url
        self.listeners: dict[str, socket.socket] = {}
        self.ports: dict[str, int] = {}
        self.part_of: dict[str, str] = {GATEWAY: GATEWAY}  # process name -> the part (service) it is of
        self.catalogue = ""
        self.started_at = datetime.now(UTC).isoformat(timespec="seconds")
        if options.nats_url is not None:
            nats_addresses(options.nats_url)  # a malformed URL is a usage error, found before anything starts

    # -- steps ---------------------------------------------------------------------------------

    def start_nats(self) -> str:
        binary = nats_server_binary()
        if self.options.nats_port and not port_is_free(NATS_HOST, self.options.nats_port):
            raise StartupFailure(f"NATS port {self.options.nats_port} on {NATS_HOST} is already in use: choose "
                                 "another with --nats-port, or leave it out to get a free one")
        store = self.data_dir / "nats"
        store.mkdir(parents=True, exist_ok=True)
        # nats-server binds its port itself, so a free port can be taken between choosing it and the bind; then it
        # gets another one (its own, chosen port is tried once).
        for attempt in range(1 if self.options.nats_port else _NATS_PORT_TRIES):
            port = self.options.nats_port or free_port(NATS_HOST)
            child = spawn("nats", nats_server_argv(binary, store, port), self.environ, self.log_dir)
            self.supervisor.nats = child
            url = f"nats://{NATS_HOST}:{port}"
            deadline = time.monotonic() + min(self.options.timeout, 30.0)
            while not nats_answers(url, timeout=0.5):
                if child.returncode() is not None:
                    taken = any("address already in use" in line for line in log_tail(child.log, _TAIL_LINES))
                    if taken and attempt + 1 < _NATS_PORT_TRIES and not self.options.nats_port:
                        break
                    raise StartupFailure(f"nats-server {describe_exit(child.returncode() or 0)} before it "
                                         "accepted connections", [child.log])
                if time.monotonic() > deadline:
                    raise StartupFailure(f"nats-server did not accept connections at {url} in time", [child.log])
                self.supervisor.sleep(0.1)
            else:
                _out(f"nats-server (JetStream in {store}) at {url}")
                return url
        raise AssertionError("unreachable: the last try raises")

    def check_external_nats(self, url: str) -> None:
        deadline = time.monotonic() + min(self.options.timeout, 10.0)
        while not nats_answers(url, timeout=1.0):
            if time.monotonic() > deadline:
                raise StartupFailure(f"no NATS server answers at {url} (given with --nats-url)")
            self.supervisor.sleep(0.5)
        _out(f"NATS at {url}")

    def migrate_all(self) -> None:
        for service in SERVICES:
            self.supervisor.check()
            url = self.databases[service]
            try:
                result = migrate(service, url)
            except UsageError:
                raise
            except Exception as exc:  # any failure stops start-up; the traceback goes to the log
                log = self.log_dir / "migrate.log"
                log.write_text(f"migrating {service} ({display_database(url)})\n{traceback.format_exc()}",
                               encoding="utf-8")
                raise StartupFailure(f"migrating {service} ({display_database(url)}) failed: "
                                     f"{type(exc).__name__}: {exc}", [log]) from exc
            created = " (database created)" if result.created else ""
            _out(f"migrated {service:<14} {display_database(url)} at {result.revision}{created}")

    def seed_catalogue(self) -> str:
        """Load the reference catalogue into zaken unless it has one; returns what happened, in words."""
        if not self.options.seeds_catalogue:
            if self.options.seed is False:
                return "not loaded (--no-seed); `sds seed catalogus` loads it"
            return "not loaded: not the embedded default (--seed loads it)"
        log = self.log_dir / "seed.log"
        url = self.databases["zaken"]
        argv = seed_catalogus_argv(url, http_url(self.options.host, self.ports[GATEWAY]), if_empty=True)
        try:
            result = subprocess.run(argv, capture_output=True, text=True, env=self.environ,
                                    timeout=self.options.timeout)
        except subprocess.TimeoutExpired as exc:
            log.write_text(f"seeding the catalogue into {display_database(url)} timed out\n", encoding="utf-8")
            raise StartupFailure(f"loading the reference catalogue into zaken took over {self.options.timeout:g}s",
                                 [log]) from exc
        log.write_text(result.stdout + result.stderr, encoding="utf-8")
        self.supervisor.check()
        if result.returncode != 0:
            raise StartupFailure(f"loading the reference catalogue into zaken ({display_database(url)}) "
                                 f"{describe_exit(result.returncode)}", [log])
        lines = result.stdout.strip().splitlines()
        return lines[-1] if lines else "loaded"

    def _uvicorn_argv(self, factory: str, name: str) -> list[str]:
        # The app serves the socket `sds up` bound for it (``plan_ports``), inherited as this descriptor.
        return [sys.executable, "-m", "uvicorn", "--factory", factory, "--fd", str(self.listeners[name].fileno()),
                "--lifespan", "on",
                # Fail loudly rather than fall back to the pure-Python loop and parser (several times
                # the CPU), and trust no X-Forwarded-For from whoever connects on loopback.
                "--loop", "uvloop", "--http", "httptools", "--no-proxy-headers",
                # Shorter than our grace period, so uvicorn stops by itself before we SIGKILL it.
                "--timeout-graceful-shutdown", str(max(1, int(self.options.grace / 2)))]

    def _common_env(self, nats_url: str) -> dict[str, str]:
        env = {key: value for key, value in self.environ.items()
               if not key.startswith("SDS_UPSTREAM_") and key not in ("SDS_BOOTSTRAP_SECRET", "SDS_DATABASE_URL")}
        env.update({
            "PYTHONUNBUFFERED": "1",
            "SDS_HOST": self.options.host,
            "SDS_NATS_URL": nats_url,
            "SDS_INTERNAL_SECRET": self.secrets.internal,
            "SDS_PUBLIC_BASE_URL": http_url(self.options.host, self.ports[GATEWAY]),
            # Where each service answers inside the suite, for the REST calls services make to each other.
            **{f"SDS_{service.upper()}_URL": http_url(self.options.host, self.ports[service]) for service in SERVICES},
        })
        # The Zaken and Besluiten APIs relate zaken and besluiten to the suite's own Documenten API (unless told
        # otherwise), and the documenten service keeps its content beside the suite's other data.
        env.setdefault("SDS_DOCUMENTEN_APIS", json.dumps([f"{env['SDS_PUBLIC_BASE_URL']}/documenten/api/v1"]))
        env.setdefault("SDS_STORAGE_DIR", str(self.data_dir / "documenten"))
        if self.archetype:
            env["SDS_ARCHETYPE"] = self.archetype
        if self.secrets.dev:
            env["SDS_ENV"] = "dev"
        return env

    def start_apps(self, nats_url: str) -> None:
        common = self._common_env(nats_url)
        for service in SERVICES:
            env = {**common, "SDS_SERVICE": service, "SDS_PORT": str(self.ports[service]),
                   "SDS_DATABASE_URL": self.databases[service]}
            argv = self._uvicorn_argv(service_factory(service), service)
            # Every process of a service serves the one socket: the kernel hands each connection to one of them,
            # and a process that is not ready yet accepts none.
            for index in range(self.options.replicas):
                name = replica_name(service, index)
                extra = ONE_PROCESS_DUTIES.get(service, {}) if index else {}
                self.part_of[name] = service
                self.supervisor.services.append(spawn(name, argv, {**env, **extra}, self.log_dir,
                                                      pass_fds=[self.listeners[service].fileno()]))
        gateway_env = {
            **common,
            "SDS_SERVICE": GATEWAY,
            "SDS_PORT": str(self.ports[GATEWAY]),
            "SDS_BOOTSTRAP_CLIENT_ID": self.secrets.bootstrap_client_id,
            "SDS_BOOTSTRAP_SECRET": self.secrets.bootstrap_secret,
            # The gateway's applicaties live beside the suite's other data, not in the working directory.
            "SDS_GATEWAY_DATABASE_URL": self.environ.get("SDS_GATEWAY_DATABASE_URL")
            or default_database_url(self.data_dir, GATEWAY),
            **{f"SDS_UPSTREAM_{service.upper()}": http_url(self.options.host, self.ports[service])
               for service in SERVICES},
        }
        self.supervisor.gateway = spawn(GATEWAY, self.gateway_argv(), gateway_env, self.log_dir,
                                        pass_fds=[self.listeners[GATEWAY].fileno()])

    def gateway_argv(self) -> list[str]:
        """The gateway's uvicorn; ``--replicas`` over 1 makes it that many worker processes on the one socket."""
        argv = self._uvicorn_argv(GATEWAY_FACTORY, GATEWAY)
        return argv + ["--workers", str(self.options.replicas)] if self.options.replicas > 1 else argv

    def health_url(self, name: str) -> str:
        path = "/health/live" if name == GATEWAY else "/health/ready"
        return http_url(self.options.host, self.ports[self.part_of.get(name, name)]) + path

    def wait_ready(self) -> None:
        # One look per part: its processes share its socket. Every process must stay up meanwhile.
        pending = {child.name: child for child in [*self.supervisor.services, self.supervisor.gateway]
                   if child and self.part_of.get(child.name) == child.name}
        last: dict[str, str] = {}
        deadline = time.monotonic() + self.options.timeout
        with httpx.Client(timeout=2.0, trust_env=False) as client:
            while pending:
                exited = self.supervisor.first_exited()
                if exited is not None:
                    raise StartupFailure(f"{exited.name} {describe_exit(exited.returncode() or 0)} during start-up",
                                         [exited.log])
                for name in list(pending):
                    try:
                        response = client.get(self.health_url(name))
                    except httpx.HTTPError as exc:
                        last[name] = f"no answer ({type(exc).__name__})"
                        continue
                    if response.status_code == 200:
                        del pending[name]
                    else:
                        last[name] = f"HTTP {response.status_code} {response.text[:300]}"
                if pending and time.monotonic() > deadline:
                    reasons = "; ".join(f"{name}: {last.get(name, 'no answer')}" for name in pending)
                    raise StartupFailure(f"not ready within {self.options.timeout:g}s: {reasons}",
                                         [child.log for child in pending.values()])
                if pending:
                    self.supervisor.sleep(0.25)

    # -- what it shows and records ---------------------------------------------------------------

    def parts(self) -> list[dict[str, Any]]:
        parts = []
        for child in [self.supervisor.gateway, *self.supervisor.services]:
            if child is None:
                continue
            is_gateway = child.name == GATEWAY
            part = self.part_of[child.name]
            parts.append({
                "name": child.name,
                "kind": "gateway" if is_gateway else "service",
                "part": part,
                "url": http_url(self.options.host, self.ports[part]),
                "port": self.ports[part],
                "pid": child.pid,
                "health": self.health_url(child.name),
                "database": None if is_gateway else display_database(self.databases[part]),
                "log": str(child.log),
            })
        return parts

    def record(self, status: str, nats_url: str) -> None:
        nats = self.supervisor.nats
        write_state(self.data_dir, {
            "status": status,
            "supervisor_pid": os.getpid(),
            "started_at": self.started_at,
            "data_dir": str(self.data_dir),
            "archetype": self.archetype,
            "embedded": self.options.embedded,
            "catalogue": self.catalogue,
            "nats": {"url": nats_url, "pid": nats.pid if nats else None, "embedded": nats is not None,
                     "log": str(nats.log) if nats else None},
            "parts": self.parts(),
        })

    def show(self, nats_url: str) -> None:
        rows = [(p["name"], p["url"], str(p["pid"]), p["database"] or "-") for p in self.parts()]
        nats = self.supervisor.nats
        rows.append(("nats", nats_url, str(nats.pid) if nats else "-",
                     f"JetStream in {self.data_dir / 'nats'}" if nats else "external"))
        header = ("NAME", "URL", "PID", "DATABASE")
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(3)]
        _out()
        default = ", the default; --archetype NAME runs another" if self.archetype == DEFAULT_ARCHETYPE else ""
        _out(f"Sociaal Domein Suite is up (archetype: {self.archetype}{default})")
        for row in [header, *rows]:
            _out("  " + "  ".join(cell.ljust(widths[i]) if i < 3 else cell for i, cell in enumerate(row)))
        _out(f"NATS: {nats_url}")
        _out(f"Logs: {self.log_dir}/<name>.log   State: {self.data_dir / 'sds-state.json'}")
        if self.options.embedded:
            self._show_token_help()
        _out("Press Ctrl-C to stop.")

    def _show_token_help(self) -> None:
        client_id = self.secrets.bootstrap_client_id
        # A secret of the user's own (from the environment) is not echoed to the terminal.
        is_dev_secret = self.secrets.bootstrap_secret == DEV_BOOTSTRAP_SECRET
        secret_text = self.secrets.bootstrap_secret if is_dev_secret else "(from $SDS_BOOTSTRAP_SECRET)"
        secret_code = (repr(self.secrets.bootstrap_secret) if is_dev_secret
                       else "__import__('os').environ['SDS_BOOTSTRAP_SECRET']")
        claims = (f"{{'iss': {client_id!r}, 'client_id': {client_id!r}, 'iat': int(time.time()), "
                  "'user_id': 'dev', 'user_representation': 'Developer'}")
        _out()
        _out("Bootstrap client (development only):")
        _out(f"  client id: {client_id}")
        _out(f"  secret:    {secret_text}")
        _out("Make a token (JWT-ZGW, HS256) and call the gateway with it:")
        _out(f"  TOKEN=$({sys.executable} -c \"import jwt, time; print(jwt.encode({claims}, {secret_code}, "
             "algorithm='HS256'))\")")
        _out(f"  curl -H \"Authorization: Bearer $TOKEN\" {http_url(self.options.host, self.ports[GATEWAY])}"
             "/zaken/api/v1/zaken")
        _out("A first aanvraag and the zaak it becomes: README.md, \"Quick start\".")
        _out()

    # -- the whole run ---------------------------------------------------------------------------

    def watch(self) -> int:
        while True:
            exited = self.supervisor.first_exited()
            if exited is not None:
                _show_failure(f"{exited.name} (pid {exited.pid}) {describe_exit(exited.returncode() or 0)}; "
                              "stopping the rest", [exited.log])
                return 1
            self.supervisor.sleep(0.2)

    def run(self) -> int:
        existing = read_state(self.data_dir)
        if existing is not None and existing.get("supervisor_pid") != os.getpid() and supervisor_running(existing):
            raise UsageError(f"a suite already runs from {self.data_dir} (sds up, pid {existing['supervisor_pid']}); "
                             "stop it first or use another --data-dir")
        self.log_dir.mkdir(parents=True, exist_ok=True)
        handled = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
        previous = {sig: signal.signal(sig, self.supervisor.on_signal) for sig in handled}
        nats_url = ""
        try:
            self.listeners = plan_ports(self.options.host, self.options.port)
            self.ports = {name: int(sock.getsockname()[1]) for name, sock in self.listeners.items()}
            if self.nats_url is None:
                nats_url = self.start_nats()
            else:
                nats_url = self.nats_url
                self.check_external_nats(nats_url)
            self.migrate_all()
            self.supervisor.check()
            self.catalogue = self.seed_catalogue()
            _out(f"{'catalogue':<23} {self.catalogue}")
            self.start_apps(nats_url)
            self.record("starting", nats_url)
            self.wait_ready()
            self.record("running", nats_url)
            self.show(nats_url)
            return self.watch()
        except StopRequested as stop_signal:
            _out(f"{stop_signal.args[0]} received: stopping")
            return 0
        except StartupFailure as failure:
            _show_failure(str(failure), failure.logs)
            return 1
        finally:
            children = self.supervisor.children()
            self.supervisor.stop_all()
            for sock in self.listeners.values():
                sock.close()
            remove_state(self.data_dir, os.getpid())
            if children:
                _out("stopped: " + ", ".join(f"{c.name} ({describe_stop(c.returncode() or 0)})" for c in children))
            for sig, handler in previous.items():
                signal.signal(sig, handler)


def run_up(options: UpOptions, environ: Mapping[str, str] | None = None) -> int:
    return Up(options, os.environ if environ is None else environ).run()
