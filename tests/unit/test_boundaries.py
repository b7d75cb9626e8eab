"""A service never imports another service; the gateway imports no service; the runtime no part.

import-linter's contracts in pyproject.toml say so; these tests run them on the real tree and
show that they catch a violation in a copy of it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=tree, capture_output=True, text=True,
                          env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"}, timeout=120)


def _copy(tmp_path: Path) -> Path:
    tree = tmp_path / "tree"
    tree.mkdir()
    for name in ("sds", "services", "gateway", "contracts"):
        shutil.copytree(ROOT / name, tree / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    return tree


def test_the_tree_keeps_its_boundaries() -> None:
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_service_importing_another_service_is_caught(tmp_path: Path) -> None:
    tree = _copy(tmp_path)
    (tree / "services" / "intake" / "leak.py").write_text("from services.zaken import models  # noqa\n")
    result = _lint(tree)
    assert result.returncode != 0
    assert "Services are independent of each other" in result.stdout


def test_the_gateway_importing_a_service_is_caught(tmp_path: Path) -> None:
    tree = _copy(tmp_path)
    (tree / "gateway" / "leak.py").write_text("import services.klantgegevens.models  # noqa\n")
    result = _lint(tree)
    assert result.returncode != 0
    assert "Services and the gateway do not import each other" in result.stdout


def test_a_service_importing_the_gateway_is_caught(tmp_path: Path) -> None:
    tree = _copy(tmp_path)
    (tree / "services" / "financien" / "leak.py").write_text("import gateway  # noqa\n")
    result = _lint(tree)
    assert result.returncode != 0
    assert "Services do not import the gateway or the CLI" in result.stdout
