# newsetl: `make run` (venv + install + sample run), `make test`, `make bench`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
OUT    ?= data/out

export PREFECT_SERVER_ANALYTICS_ENABLED := false
export DO_NOT_TRACK := 1
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS := 60
export PREFECT_HOME := $(CURDIR)/.prefect

.PHONY: install run test bench eval clean

# Quiet: one line, then only errors (-qq: not the warnings of this machine's pip configuration nor setuptools' notes).
$(BIN)/.installed: pyproject.toml setup.py
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) not found: newsetl needs Python 3.11 (set PYTHON=...)"; exit 1; }
	@echo "Installing newsetl and its dependencies into $(VENV) (the first time takes a few minutes) ..."
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -qq --disable-pip-version-check --upgrade pip
	@$(BIN)/python -m pip install -qq --disable-pip-version-check -e '.[test]'
	@touch $@

install: $(BIN)/.installed

# ARGS: more options, e.g. `make run ARGS=--verbose` (Prefect's own log too), ARGS=--json
run: install
	@$(BIN)/newsetl run data/seeds --out $(OUT) $(ARGS)

test: install
	$(BIN)/python -m pytest -q

bench: export PYTHONUNBUFFERED := 1
bench: install
	$(BIN)/python -m bench.run_bench
	$(BIN)/python -m bench.startup_bench
	$(BIN)/python -m bench.dedup_bench --documents 50000
	$(BIN)/python -m bench.hostile_bench
	$(BIN)/python -m bench.reuse_bench
	$(BIN)/python -m bench.scale_bench
	$(BIN)/python -m bench.story_bench
	$(BIN)/python -m bench.e2e_scale_bench

eval: install
	$(BIN)/python -m evals.run

clean:
	if [ -x $(BIN)/newsetl ]; then $(BIN)/newsetl server stop; fi
	rm -rf $(OUT) .prefect bench/out build
