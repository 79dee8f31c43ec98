"""Every stored snapshot belongs to a test that still exists.

syrupy fails a run that leaves a snapshot unused, but not under pytest-xdist (`make test` runs
the suite on every core), so this test keeps that check for the one-file-per-test snapshots
(golden reports, screen SVGs) this suite stores.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def _test_names(module: Path) -> set[str]:
    tree = ast.parse(module.read_text(encoding="utf-8"))
    return {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.name.startswith("test_")
    }


def test_every_stored_snapshot_has_its_test() -> None:
    folders = sorted(TESTS.rglob("__snapshots__"))
    assert folders, "no snapshot folders found"
    orphans: list[str] = []
    for folder in folders:
        for entry in sorted(folder.iterdir()):
            shown = str(entry.relative_to(TESTS))
            if not entry.is_dir():
                orphans.append(f"{shown}: not in a test module's folder (unexpected layout)")
                continue
            module = folder.parent / f"{entry.name}.py"
            if not module.is_file():
                orphans.append(f"{shown}: no test module {module.name}")
                continue
            names = _test_names(module)
            for snapshot in sorted(entry.iterdir()):
                # syrupy names a one-file snapshot TEST[PARAMS].N.EXT (.N from the 2nd on)
                test = re.sub(r"\[.*$|\.\d+$", "", snapshot.name.split(".")[0])
                if test not in names:
                    orphans.append(f"{snapshot.relative_to(TESTS)}: no {test} in {module.name}")
    assert not orphans, "unused snapshots:\n" + "\n".join(orphans)
