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


# A stand-in for litellm on the import path, so the check below needs no real import of it
# (~8 s of CPU here; the model tests import the real one through the same loader). It records
# the environment at import and is slow to import, so three threads asking at once race.
FAKE_LITELLM = """
import os, time
env_at_import = os.environ.get("LITELLM_LOCAL_MODEL_COST_MAP")
imports = int(os.environ.get("FAKE_LITELLM_IMPORTS", "0")) + 1
os.environ["FAKE_LITELLM_IMPORTS"] = str(imports)
time.sleep(0.3)
suppress_debug_info = turn_off_message_logging = disable_streaming_logging = False
"""


def test_load_litellm_sets_the_local_cost_map_first(tmp_path) -> None:
    (tmp_path / "litellm").mkdir()
    (tmp_path / "litellm" / "__init__.py").write_text(FAKE_LITELLM, encoding="utf-8")
    code = (
        "import json, os, sys, threading\n"
        "from hwreview.llm import loader\n"
        "assert 'litellm' not in sys.modules\n"
        "mods = []\n"
        "threads = [threading.Thread(target=lambda: mods.append(loader.load_litellm()))\n"
        "           for _ in range(3)]\n"
        "[t.start() for t in threads]; [t.join() for t in threads]\n"
        "m = mods[0]\n"
        "print(json.dumps({'env': os.environ.get('LITELLM_LOCAL_MODEL_COST_MAP'),\n"
        "                  'env_at_import': m.env_at_import,\n"
        "                  'imports': m.imports, 'file': m.__file__,\n"
        "                  'quiet': [m.suppress_debug_info, m.turn_off_message_logging,\n"
        "                            m.disable_streaming_logging],\n"
        "                  'same': len({id(m) for m in mods}) == 1 and len(mods) == 3}))\n"
    )
    path = os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    result = run_fresh(code, {"PYTHONPATH": path})
    assert result["file"].startswith(str(tmp_path))  # the stand-in, not the installed one
    assert result["env"] == result["env_at_import"] == "True"  # set before the import ran
    assert result["imports"] == 1 and result["same"]  # once, whichever thread asked first
    assert result["quiet"] == [True, True, True]
