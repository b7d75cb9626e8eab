"""The development client of the embedded default: its token line, as `sds up` prints it, runs without a warning."""

from __future__ import annotations

import subprocess
from pathlib import Path

import jwt
import pytest

from sds.cli.suite import GATEWAY
from sds.cli.up import Up, UpOptions
from sds.runtime.settings import DEV_BOOTSTRAP_CLIENT_ID, DEV_BOOTSTRAP_SECRET, DEV_INTERNAL_SECRET

# The embedded default whatever the backend: the PostgreSQL pass leaves these out (tests/conftest.py).
pytestmark = pytest.mark.embedded


@pytest.mark.parametrize("secret", [DEV_BOOTSTRAP_SECRET, DEV_INTERNAL_SECRET])
def test_the_development_secrets_are_long_enough_for_hs256(secret: str) -> None:
    # RFC 7518 section 3.2: an HS256 key has at least 256 bits; PyJWT warns below that.
    assert len(secret.encode()) >= 32


def test_the_printed_token_line_makes_a_valid_token_and_prints_no_warning(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    up = Up(UpOptions(data_dir=tmp_path), environ={})
    up.ports = {GATEWAY: 8000}
    up._show_token_help()
    line = next(row.strip() for row in capsys.readouterr().out.splitlines() if row.strip().startswith("TOKEN=$("))
    # Warnings shown however often they occur, so one printed on import or per call is not hidden.
    result = subprocess.run(["bash", "-c", f"{line}\nprintf %s \"$TOKEN\""], capture_output=True, text=True,
                            timeout=30, env={"PATH": "/usr/bin:/bin", "PYTHONWARNINGS": "always"})
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    claims = jwt.decode(result.stdout, DEV_BOOTSTRAP_SECRET, algorithms=["HS256"])
    assert claims["client_id"] == DEV_BOOTSTRAP_CLIENT_ID and claims["iss"] == DEV_BOOTSTRAP_CLIENT_ID
