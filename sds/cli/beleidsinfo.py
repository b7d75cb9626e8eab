"""`sds beleidsinfo rebuild`: replay the event stream into beleidsinfo's projection, from the start.

Runs the service's own rebuild module in a process of its own (the CLI imports no service), with the
running suite's NATS and the beleidsinfo database: the embedded default's from its data directory, or the
one derived from ``--database-url`` as `sds up` derives it. The service's settings (its pseudonym key,
the archetype) come from the environment as they do for the service itself.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from sds.cli.errors import UsageError
from sds.cli.state import read_state
from sds.cli.suite import default_database_url, service_database_url

SERVICE = "beleidsinfo"


def add_beleidsinfo_parser(commands: argparse._SubParsersAction, default_data_dir: Path) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser(SERVICE, help="policy information: rebuild its projection from the stream")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    rebuild = actions.add_parser("rebuild", help="replay every event from the start into the projection")
    rebuild.add_argument("--data-dir", type=Path, default=default_data_dir,
                         help="data directory of the running `sds up` (default: ./.sds)")
    rebuild.add_argument("--database-url", help="the suite's database URL, as given to `sds up`")
    rebuild.add_argument("--nats-url", help="the suite's NATS (default: the one the running `sds up` uses)")


def run_beleidsinfo(args: argparse.Namespace) -> int:
    data_dir = args.data_dir.resolve()
    state = read_state(data_dir) or {}
    nats_url = args.nats_url or (state.get("nats") or {}).get("url")
    if not nats_url:
        raise UsageError(f"no running suite in {data_dir} to take NATS from; give --nats-url")
    database_url = (service_database_url(args.database_url, SERVICE) if args.database_url
                    else default_database_url(data_dir, SERVICE))
    env = dict(os.environ)
    if state.get("embedded"):
        env.setdefault("SDS_ENV", "dev")
    if state.get("archetype"):
        env.setdefault("SDS_ARCHETYPE", state["archetype"])
    argv = [sys.executable, "-m", "services.beleidsinfo.rebuild", "--database-url", database_url,
            "--nats-url", nats_url]
    return subprocess.call(argv, env=env)
