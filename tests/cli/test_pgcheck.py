"""`python -m sds.cli.pgcheck URL`: the Makefile's question "does PostgreSQL answer?"."""

from __future__ import annotations

import socket
import subprocess
import sys
import time

import pytest

from tests.cli.conftest import free_port


def pgcheck(*args: str) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "sds.cli.pgcheck", *args], capture_output=True, text=True,
                            timeout=30)
    return result, time.monotonic() - started


@pytest.mark.postgres
def test_answers(postgres_url: str) -> None:
    result, _ = pgcheck(postgres_url)
    assert result.returncode == 0, result.stderr


def test_nothing_listening() -> None:
    result, _ = pgcheck(f"postgresql://postgres@127.0.0.1:{free_port()}/postgres")
    assert result.returncode == 1
    assert "PostgreSQL does not answer" in result.stderr


def test_a_server_that_never_answers_is_given_up_on_after_about_three_seconds() -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        result, elapsed = pgcheck(f"postgresql://postgres@127.0.0.1:{silent.getsockname()[1]}/postgres")
    # What the process costs without the wait (starting Python and its imports: seconds on a loaded machine).
    _, refused = pgcheck(f"postgresql://postgres@127.0.0.1:{free_port()}/postgres")
    assert result.returncode == 1
    assert elapsed >= 2.5 and elapsed - refused < 6, (elapsed, refused)


def test_not_a_postgres_url() -> None:
    result, _ = pgcheck("sqlite:///x.db")
    assert result.returncode == 1
    assert "not a PostgreSQL URL" in result.stderr


def test_usage() -> None:
    result, _ = pgcheck()
    assert result.returncode == 2
