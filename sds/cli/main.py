"""The `sds` command: `sds up`, `sds migrate`, `sds status`, `sds demo`."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from sds.cli.beleidsinfo import add_beleidsinfo_parser, run_beleidsinfo
from sds.cli.errors import UsageError
from sds.cli.profile import add_profile_parser, run_profile
from sds.cli.suite import DEFAULT_ARCHETYPE, SERVICES

DEFAULT_DATA_DIR = Path(".sds")


def _replicas(value: str) -> int:
    number = int(value)
    if not 1 <= number <= 64:
        raise argparse.ArgumentTypeError("give 1 to 64 processes per part")
    return number


def _port(text: str) -> int:
    port = int(text)
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a TCP port")
    return port


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sds", description="Run and manage the Sociaal Domein Suite.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    up = commands.add_parser(
        "up", help="start nats-server, every service and the gateway; stop them all on Ctrl-C",
        description="Start the whole suite on this machine and supervise it until Ctrl-C or SIGTERM. "
                    "Without --database-url and --nats-url (the embedded default) it uses SQLite files and "
                    "its own nats-server in the data directory and the built-in development secrets; "
                    "otherwise SDS_INTERNAL_SECRET, SDS_BOOTSTRAP_CLIENT_ID and SDS_BOOTSTRAP_SECRET must "
                    "be set in the environment.")
    up.add_argument("--archetype",
                    help="profile name or file, passed to every process as SDS_ARCHETYPE "
                         f"(default: $SDS_ARCHETYPE, else {DEFAULT_ARCHETYPE})")
    up.add_argument("--seed", action=argparse.BooleanOptionalAction, default=None,
                    help="load the reference catalogue into zaken when it has none yet (default: yes on the "
                         "embedded default, no with --database-url or --nats-url)")
    up.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR,
                    help="databases, JetStream store, logs and state file (default: ./.sds)")
    up.add_argument("--port", type=_port, default=8000,
                    help="gateway port; services take the five after it when free (default: 8000)")
    up.add_argument("--host", default="127.0.0.1", help="address the gateway and services listen on")
    up.add_argument("--database-url",
                    help="PostgreSQL server and database name prefix, e.g. postgresql://postgres@127.0.0.1/sds "
                         "gives databases sds_intake, sds_zaken, ... (created when missing)")
    up.add_argument("--nats-url", help="use this NATS server (with JetStream) instead of starting one")
    up.add_argument("--nats-port", type=_port, default=None,
                    help="port of the nats-server it starts (default: any free port)")
    up.add_argument("--timeout", type=float, default=60.0,
                    help="seconds each part may take to become ready (default: 60)")
    up.add_argument("--grace", type=float, default=10.0,
                    help="seconds a part gets to stop after SIGTERM before SIGKILL (default: 10)")
    up.add_argument("--replicas", type=_replicas, default=1,
                    help="processes of the gateway and of every service, each part's on its one port (default: 1); "
                         "the gateway's share its applicaties (a change made through one holds on every other "
                         "within a second), a service's share its database and its consumers on the bus")

    migrate = commands.add_parser(
        "migrate", help="apply the migrations of every service (or one)",
        description="Bring each service's database to the latest revision, creating a PostgreSQL database "
                    "when missing. Without --database-url: with --service and SDS_DATABASE_URL set, that URL "
                    "(the service's own database); otherwise SQLite files in the data directory.")
    migrate.add_argument("--service", choices=SERVICES, help="only this service")
    migrate.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR,
                         help="where the SQLite databases are (default: ./.sds)")
    migrate.add_argument("--database-url", help="the suite's database URL, as for `sds up`")

    status = commands.add_parser("status", help="health of each part of a running `sds up`; exit 0 when all up")
    status.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR,
                        help="data directory of the `sds up` to ask (default: ./.sds)")
    seed = commands.add_parser("seed", help="load reference data into a service's database")
    seed_what = seed.add_subparsers(dest="what", required=True, metavar="WHAT")
    catalogus = seed_what.add_parser(
        "catalogus", help="the social domain's ZGW catalogue (a catalogus per kolom, published zaaktypen) into zaken")
    catalogus.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR,
                           help="data directory of the embedded default (default: ./.sds)")
    catalogus.add_argument("--database-url", help="the suite's database URL, as given to `sds up`")
    catalogus.add_argument("--public-base-url", help="where clients reach the suite (default: http://127.0.0.1:8000)")
    catalogus.add_argument("--rsin", help="RSIN of the municipality that owns the catalogue")
    add_profile_parser(commands)
    demo = commands.add_parser(
        "demo", help="walk the main job once through a running suite, checked against its archetype",
        description="Against a running `sds up`: a household and its aanvraag with two questions, the triage and "
                    "its reasons, the zaken (or integral zaak, plan, escalation, delegated part) the active "
                    "archetype says follow, a status and a resultaat. Prints every request so it can be repeated "
                    "with curl; exits 1 with the reason when a step does not do what the archetype says.")
    demo.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR,
                      help="data directory of the `sds up` to walk through (default: ./.sds)")
    demo.add_argument("--timeout", type=float, default=30.0,
                      help="seconds to wait for each asynchronous step, e.g. the zaken to open (default: 30)")
    add_beleidsinfo_parser(commands, DEFAULT_DATA_DIR)
    return parser


def run_seed_catalogus(args: argparse.Namespace) -> int:
    from sds.cli.seed import seed_catalogus_argv
    from sds.cli.suite import default_database_url, service_database_url

    url = (service_database_url(args.database_url, "zaken") if args.database_url
           else default_database_url(args.data_dir.resolve(), "zaken"))
    return subprocess.call(seed_catalogus_argv(url, args.public_base_url, args.rsin))


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "up":
            from sds.cli.up import UpOptions, run_up

            return run_up(UpOptions(
                data_dir=args.data_dir, port=args.port, host=args.host, archetype=args.archetype,
                database_url=args.database_url, nats_url=args.nats_url, nats_port=args.nats_port,
                timeout=args.timeout, grace=args.grace, seed=args.seed, replicas=args.replicas,
            ))
        if args.command == "profile":
            return run_profile(args)
        if args.command == "seed":
            return run_seed_catalogus(args)
        if args.command == "demo":
            from sds.cli.demo import run_demo

            return run_demo(args.data_dir, args.timeout)
        if args.command == "beleidsinfo":
            return run_beleidsinfo(args)
        if args.command == "migrate":
            from sds.cli.migrate import run_migrate

            return run_migrate(args.service, args.data_dir, args.database_url)
        from sds.cli.status import run_status

        return run_status(args.data_dir)
    except UsageError as exc:
        print(f"sds {args.command}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
