"""Start-up never pays for litellm; `load_litellm()` imports it offline-safe, on demand."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys

import pytest

HEAVY = ("litellm", "openai", "tiktoken", "httpx")


def run_fresh(code: str, env: dict[str, str] | None = None) -> dict:
    """Run `code` in a fresh interpreter; it must print one JSON object as its last line."""
    environ = {k: v for k, v in os.environ.items() if k != "LITELLM_LOCAL_MODEL_COST_MAP"}
    environ.update(env or {})
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=300,
        env=environ,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


HEAVY_CHECK = (
    "import json, sys\n"
    f"print(json.dumps({{'heavy': [m for m in {HEAVY!r} if m in sys.modules]}}))\n"
)


def test_importing_the_cli_is_light() -> None:
    result = run_fresh("import hwreview.cli\n" + HEAVY_CHECK)
    assert result["heavy"] == []


def test_importing_the_tui_is_light() -> None:
    if importlib.util.find_spec("hwreview.tui.app") is None:
        pytest.skip("hwreview.tui.app does not exist yet")
    result = run_fresh("import hwreview.tui.app\n" + HEAVY_CHECK)
    assert result["heavy"] == []


def test_help_is_light(tmp_path) -> None:
    code = (
        "import sys\n"
        "from hwreview.cli import main\n"
        "sys.argv = ['hwreview', '--help']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n" + HEAVY_CHECK
    )
    result = run_fresh(code, {"HWREVIEW_HOME": str(tmp_path)})
    assert result["heavy"] == []


def test_load_litellm_sets_the_local_cost_map_first() -> None:
    if importlib.util.find_spec("litellm") is None:
        pytest.skip("litellm is not installed")
    code = (
        "import json, os, sys, threading\n"
        "from hwreview.llm import loader\n"
        "assert 'litellm' not in sys.modules\n"
        "seen = {}\n"
        "class Spy:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'litellm':\n"
        "            seen['env'] = os.environ.get('LITELLM_LOCAL_MODEL_COST_MAP')\n"
        "        return None\n"
        "sys.meta_path.insert(0, Spy())\n"
        "mods = []\n"
        "threads = [threading.Thread(target=lambda: mods.append(loader.load_litellm()))\n"
        "           for _ in range(3)]\n"
        "[t.start() for t in threads]; [t.join() for t in threads]\n"
        "print(json.dumps({'env': os.environ.get('LITELLM_LOCAL_MODEL_COST_MAP'),\n"
        "                  'env_at_import': seen.get('env'),\n"
        "                  'loaded': 'litellm' in sys.modules,\n"
        "                  'same': len({id(m) for m in mods}) == 1 and len(mods) == 3}))\n"
    )
    result = run_fresh(code)
    assert result == {"env": "True", "env_at_import": "True", "loaded": True, "same": True}
