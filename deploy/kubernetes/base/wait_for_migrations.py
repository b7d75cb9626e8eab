"""Wait until a service's database is at the head revision of its migrations, then exit 0 (exit 1 on timeout).

The init container of each service's pod runs this, with the service's own SDS_DATABASE_URL, so the pod starts
only after the migration Job has brought that database to the revisions of the image it runs: a new image never
serves a schema it does not know. It only reads (the Job migrates); a database that is not there yet, or not
reachable yet, is waited for like one at an older revision.

    python wait_for_migrations.py --service intake [--timeout 600] [--interval 2]
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from alembic.script import ScriptDirectory

from sds.cli.suite import migrations_dir
from sds.runtime.migrations import alembic_config, current_revision


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--service", required=True)
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds before giving up (exit 1)")
    parser.add_argument("--interval", type=float, default=2.0, help="seconds between looks")
    args = parser.parse_args(argv)
    url = os.environ["SDS_DATABASE_URL"]
    directory = migrations_dir(args.service)
    heads = set(ScriptDirectory.from_config(alembic_config(directory, url)).get_heads())
    deadline = time.monotonic() + args.timeout
    while True:
        try:
            revision = current_revision(directory, url)
        except Exception as exc:  # not created yet, or the primary not reachable yet: the Job is not done
            revision, reason = None, f"{type(exc).__name__}: {exc}"
        else:
            reason = f"at revision {revision}"
        if revision in heads:
            print(f"{args.service}: database at head revision {revision}", flush=True)
            return 0
        if time.monotonic() >= deadline:
            print(f"{args.service}: database not at head {sorted(heads)} after {args.timeout:g}s ({reason})",
                  file=sys.stderr, flush=True)
            return 1
        print(f"{args.service}: waiting for the migration Job ({reason})", flush=True)
        time.sleep(args.interval)


if __name__ == "__main__":
    sys.exit(main())
