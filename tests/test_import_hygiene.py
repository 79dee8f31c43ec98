"""The core never imports Textual or litellm: checked in a fresh interpreter per module."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys

import pytest


def _core_modules() -> list[str]:
    """Every hwreview module outside the two front-end packages (found, so new ones count)."""
    import pkgutil

    import hwreview

    names = [
        info.name
        for info in pkgutil.walk_packages(hwreview.__path__, "hwreview.")
        if not info.name.startswith(("hwreview.tui", "hwreview.llm."))
        and info.name != "hwreview.llm"
    ]
    return sorted(names)


CORE = _core_modules()
FORBIDDEN = ("textual", "litellm", "openai", "tiktoken", "httpx")


def imported_after(code: str) -> list[str]:
    """Top-level module names in sys.modules after running `code` in a fresh interpreter."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}})))"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("module", CORE)
def test_core_module_imports_neither_textual_nor_litellm(module: str) -> None:
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} does not exist yet")
    loaded = imported_after(f"import {module}")
    assert not set(FORBIDDEN) & set(loaded), f"{module} pulls in {set(FORBIDDEN) & set(loaded)}"


def test_latex_conversion_stays_pure() -> None:
    loaded = imported_after(
        "from hwreview.render.latex import latex_to_unicode\n"
        "from hwreview.render.sanitize import clean_text\n"
        "latex_to_unicode(clean_text('$x^2$ and $$\\\\frac{a}{b}$$'))"
    )
    assert "textual" not in loaded and "litellm" not in loaded
