"""The core never imports Textual or litellm: checked in a fresh interpreter per module.

Each module is imported in its own process, forked from one fresh interpreter that has loaded
only the standard library's and third-party modules it is allowed (checked first): what the
child adds is exactly what importing the module pulls in, as in a fresh interpreter, without
paying for the interpreter and those libraries a hundred times.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from collections.abc import Iterator

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

# A fresh interpreter that loads the allowed libraries once, then for each module name read on
# stdin forks a child that imports it and prints the top-level modules it then holds.
FORKER = r"""
import json, os, sys
for name in sys.argv[1:]:
    __import__(name)
print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})), flush=True)
for line in sys.stdin:
    module = line.strip()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        try:
            __import__(module)
            out = json.dumps(sorted({m.split('.')[0] for m in sys.modules}))
        except BaseException as exc:
            out = json.dumps({"error": f"{type(exc).__name__}: {exc}"})
        os.write(write, out.encode() + b"\n")
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        answer = pipe.read().decode().strip()
    os.waitpid(pid, 0)
    print(answer or json.dumps({"error": "the child died"}), flush=True)
"""
# Libraries the core uses, loaded before forking; the forker proves they pull in none of FORBIDDEN
# (so a module's child holds one of FORBIDDEN exactly when importing that module loads it).
PRELOAD = (
    *("dataclasses", "pathlib", "typing", "re", "enum", "inspect", "datetime", "collections"),
    *("yaml", "tinydb", "filelock", "markdown_it", "mdit_py_plugins", "ijson"),
)


class Forker:
    """One forking interpreter (see FORKER); `imported_by(module)` asks it about one module."""

    def __init__(self) -> None:
        preload = [name for name in PRELOAD if importlib.util.find_spec(name) is not None]
        self.proc = subprocess.Popen(
            [sys.executable, "-c", FORKER, *preload],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.preloaded = self._answer()

    def _answer(self) -> list[str]:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        assert line, "the forking interpreter died"
        answer = json.loads(line)
        assert isinstance(answer, list), answer["error"]
        return answer

    def imported_by(self, module: str) -> list[str]:
        """Top-level module names in sys.modules after `import module` in a fresh child."""
        assert self.proc.stdin is not None
        self.proc.stdin.write(module + "\n")
        self.proc.stdin.flush()
        return self._answer()

    def close(self) -> None:
        """End the interpreter (it ends by itself when stdin closes)."""
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


@pytest.fixture(scope="module")
def forker() -> Iterator[Forker]:
    """One forking interpreter per test module (per worker under xdist)."""
    process = Forker()
    try:
        assert not set(FORBIDDEN) & set(process.preloaded), process.preloaded
        yield process
    finally:
        process.close()


def imported_after(code: str) -> list[str]:
    """Top-level module names in sys.modules after running `code` in a fresh interpreter."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}})))"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("module", CORE)
def test_core_module_imports_neither_textual_nor_litellm(module: str, forker: Forker) -> None:
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} does not exist yet")
    loaded = forker.imported_by(module)
    assert not set(FORBIDDEN) & set(loaded), f"{module} pulls in {set(FORBIDDEN) & set(loaded)}"


def test_latex_conversion_stays_pure() -> None:
    loaded = imported_after(
        "from hwreview.render.latex import latex_to_unicode\n"
        "from hwreview.render.sanitize import clean_text\n"
        "latex_to_unicode(clean_text('$x^2$ and $$\\\\frac{a}{b}$$'))"
    )
    assert "textual" not in loaded and "litellm" not in loaded
