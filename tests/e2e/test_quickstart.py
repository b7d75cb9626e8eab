"""The README's quick start, run as written: the lines between its quickstart markers, against a suite started
the way its first line (`make run`) starts one. A README that drifts from the code fails here.

Two things are changed, and only these: `make run` is the `sds up` its Makefile target runs (checked below),
given a data directory and a free port of the test's own; the README's port 8000 becomes that port.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
from pathlib import Path

import pytest

from tests.cli.conftest import start_up

# The embedded default whatever the backend: the PostgreSQL pass leaves these out (tests/conftest.py).
pytestmark = pytest.mark.embedded

ROOT = Path(__file__).resolve().parents[2]
BEGIN, END = "<!-- quickstart", "<!-- /quickstart -->"
WITHIN = 10.0


def quickstart_commands(readme: str) -> list[str]:
    """The commands of the README's marked block (a line ending in a backslash goes on), comments left out."""
    assert readme.count(BEGIN) == 1 and END in readme, "the README's quick start markers are gone"
    block = readme[readme.index(BEGIN):readme.index(END)]
    fence = re.search(r"```sh\n(.*?)```", block, re.DOTALL)
    assert fence, "the quick start block has no ```sh fence"
    commands: list[str] = []
    continued = False
    for line in fence.group(1).splitlines():
        if not continued and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if continued:
            commands[-1] += "\n" + line
        else:
            commands.append(line)
        continued = line.endswith("\\")
    return commands


def _make_run_recipe() -> list[str]:
    makefile = (ROOT / "Makefile").read_text()
    target = re.search(r"^run:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    assert target, "the Makefile has no run target"
    return [line.strip() for line in target.group(1).splitlines()]


def test_the_quick_start_is_short_and_starts_with_make_run() -> None:
    commands = quickstart_commands((ROOT / "README.md").read_text())
    assert commands[0].split("#")[0].strip() == "make run"
    assert len(commands) <= 5
    # What the test runs in place of `make run`: the Makefile's own recipe, nothing more.
    assert _make_run_recipe() == ["$(BIN)/sds up"]


def test_the_readme_quick_start_gives_a_first_zaak(tmp_path: Path) -> None:
    commands = quickstart_commands((ROOT / "README.md").read_text())[1:]
    run = start_up(tmp_path / "data")
    try:
        run.wait_running()
        port = f"127.0.0.1:{run.port}"
        script = ["set -u"]
        for n, command in enumerate(commands):
            command = command.replace("127.0.0.1:8000", port)
            redirect = f">{tmp_path}/out{n} 2>{tmp_path}/err{n}"
            if n < len(commands) - 1:
                script.append(f"{{ {command}\n}} {redirect} || exit {10 + n}")
            else:
                # The last line looks at the zaken, which open from an event: it is repeated for a few seconds
                # until they are there, as a user who looks a moment later would see them.
                script.append(f"end=$((SECONDS + {int(WITHIN)}))\n"
                              f"until {{ {command}\n}} {redirect} && grep -q '\"count\":[1-9]' {tmp_path}/out{n}; do\n"
                              f"  [ $SECONDS -ge $end ] && exit {10 + n}; sleep 0.2\ndone")
        env = {k: v for k, v in os.environ.items() if not k.startswith("SDS_")}
        # Every warning shown, each time it occurs: none may appear on the README's path.
        env["PYTHONWARNINGS"] = "always"
        started = time.monotonic()
        result = subprocess.run(["bash", "-c", "\n".join(script)], cwd=ROOT, env=env, capture_output=True,
                                text=True, timeout=60)
        took = time.monotonic() - started
        outputs = [(tmp_path / f"out{n}").read_text() if (tmp_path / f"out{n}").exists() else ""
                   for n in range(len(commands))]
        errors = [(tmp_path / f"err{n}").read_text() if (tmp_path / f"err{n}").exists() else ""
                  for n in range(len(commands))]
        assert result.returncode == 0, (result.returncode, outputs, errors, run.output())
        token_line = next(n for n, c in enumerate(commands) if c.startswith("TOKEN="))
        assert errors[token_line] == "", errors[token_line]
        assert all(error == "" for error in errors), errors
        aanvraag = json.loads(outputs[-2])
        assert aanvraag["status"] == "getrieerd", aanvraag
        assert aanvraag["triage"]["archetype"] == "totaal-integraal"
        zaken = json.loads(outputs[-1])
        assert zaken["count"] == 1, zaken
        zaak = zaken["results"][0]
        assert zaak["huishouden"] == aanvraag["huishouden"]
        assert zaak["zaaktype"] == aanvraag["triage"]["zaken"][0]["zaaktype"]
        print(f"quick start: {len(commands)} commands after make run, first zaak seen {took:.2f}s after the first")
    finally:
        run.kill_everything()


@pytest.mark.parametrize(("text", "commands"), [
    ("```sh\nmake run   # here\n\n# a comment\nfoo \\\n  bar\nbaz\n```", ["make run   # here", "foo \\\n  bar", "baz"]),
])
def test_the_block_is_read_as_commands(text: str, commands: list[str]) -> None:
    readme = f"intro\n{BEGIN} (x) -->\n{text}\n{END}\n"
    assert quickstart_commands(readme) == commands
