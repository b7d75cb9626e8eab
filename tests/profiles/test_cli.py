"""`sds profile validate|explain`, through the parser the command registers and its handler."""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import pytest

from sds.cli.profile import add_profile_parser, run_profile
from tests.profiles.conftest import shipped_data, write


def _run(*argv: str) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="sds")
    add_profile_parser(parser.add_subparsers(dest="command", required=True))
    out, err = io.StringIO(), io.StringIO()
    code = run_profile(parser.parse_args(list(argv)), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_validate_a_shipped_name(shipped_name: str) -> None:
    assert _run("profile", "validate", shipped_name) == (0, f"{shipped_name}: valid (archetype {shipped_name})\n",
                                                        "")


def test_validate_a_file(tmp_path: Path) -> None:
    path = write(tmp_path, shipped_data("totaal-integraal"))
    code, out, err = _run("profile", "validate", str(path))
    assert (code, err) == (0, "") and out.startswith(f"{path}: valid")


def test_validate_a_broken_file_prints_the_problem_and_exits_1(tmp_path: Path) -> None:
    data = shipped_data("geclusterd-integraal-elders")
    data["clusters"]["jeugdzorg"]["partij"] = "regio-noord"
    path = write(tmp_path, data)
    code, out, err = _run("profile", "validate", str(path))
    assert (code, out) == (1, "")
    assert err.startswith(f"{path}:") and ": clusters.jeugdzorg.partij: partij regio-noord is not in " in err


def test_explain_prints_the_routing() -> None:
    code, out, err = _run("profile", "explain", "geclusterd-integraal-elders")
    assert (code, err) == (0, "")
    assert out.startswith("Archetype profile geclusterd-integraal-elders\n")
    assert "How requests are routed:" in out and "partij regionale-jeugdorganisatie" in out


@pytest.mark.parametrize(("name", "andere", "integraal"), [
    ("transitie-proof", "nothing of them, not even that there are any", "cut like any other"),
    ("geclusterd-integraal", "that another kolom is involved (andereKolommen: true), not which", "cut like any"),
    ("totaal-integraal", "which kolommen and clusters are involved, never what", "one toegang for the whole"),
    ("integraal-in-tweede-instantie", "that another kolom is involved", "once a household is escalated to it"),
])
def test_explain_says_what_a_team_sees_of_other_kolommen(name: str, andere: str, integraal: str) -> None:
    code, out, err = _run("profile", "explain", name)
    assert (code, err) == (0, "")
    section = " ".join(out.split("What a team sees:\n", 1)[1].split("\n\n", 1)[0].split())
    assert "only its own part" in section
    assert andere in section and integraal in section, section


def test_explain_of_an_unknown_profile_exits_1() -> None:
    code, out, err = _run("profile", "explain", "geclusterd-integraal-ergens")
    assert (code, out) == (1, "")
    assert "not a shipped profile" in err


def test_an_action_is_required() -> None:
    parser = argparse.ArgumentParser(prog="sds")
    add_profile_parser(parser.add_subparsers(dest="command", required=True))
    with pytest.raises(SystemExit) as exited:
        parser.parse_args(["profile"])
    assert exited.value.code == 2
