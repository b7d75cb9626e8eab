"""`sds profile validate|explain FILE|NAME`: check an archetype profile, or say how it routes, before a start-up.

Only argparse is imported at module level, so registering the command costs the other commands nothing.
"""

from __future__ import annotations

import argparse
import sys
from typing import TextIO


def add_profile_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    profile = subparsers.add_parser(
        "profile", help="validate an archetype profile or explain how it routes requests",
        description="Check an archetype profile (a shipped name such as geclusterd-integraal-elders, or a "
                    "YAML file) or print, in plain words, how it will route each kind of request.")
    actions = profile.add_subparsers(dest="profile_action", required=True, metavar="ACTION")
    validate = actions.add_parser(
        "validate", help="exit 0 when the profile can be used; else print every problem and exit 1")
    validate.add_argument("profile", metavar="FILE|NAME", help="a profile file or the name of a shipped profile")
    explain = actions.add_parser(
        "explain", help="print how each kind of request will be routed (exit 1 when the profile is invalid)")
    explain.add_argument("profile", metavar="FILE|NAME", help="a profile file or the name of a shipped profile")
    return profile


def run_profile(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    from sds.profiles import ProfileError, explain, load_profile

    out, err = out or sys.stdout, err or sys.stderr
    try:
        profile = load_profile(args.profile)
    except ProfileError as exc:
        print(exc, file=err)
        return 1
    if args.profile_action == "validate":
        print(f"{args.profile}: valid (archetype {profile.archetype})", file=out)
    else:
        print(explain(profile), end="", file=out)
    return 0
