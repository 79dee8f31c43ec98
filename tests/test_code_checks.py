"""The house rules run with the suite: types (mypy, strict) and the declared layers (import-linter)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _run(tool: str, *args: str) -> subprocess.CompletedProcess[str]:
    exe = BIN / tool
    if not exe.exists():
        found = shutil.which(tool)
        if found is None:
            pytest.fail(f"{tool} is not installed: run `make test`, which installs the test extras")
        exe = Path(found)
    return subprocess.run(
        [str(exe), *args], cwd=ROOT, capture_output=True, text=True, timeout=600, check=False
    )


def test_types_check_clean() -> None:
    result = _run("mypy")
    assert result.returncode == 0, result.stdout + result.stderr


def test_declared_layers_hold() -> None:
    result = _run("lint-imports")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_every_core_module_is_under_the_layer_contract() -> None:
    import pkgutil
    import tomllib

    import hwreview

    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    core = set(contracts["contracts"][0]["source_modules"])
    faces = {"hwreview.tui", "hwreview.cli", "hwreview.llm", "hwreview.demo"}
    top = {f"hwreview.{m.name}" for m in pkgutil.iter_modules(hwreview.__path__)}
    assert top - faces - core == set(), "add new core modules to the import-linter contract"
