# gridpolicy: one command to try it, one to test it. Both install what they need.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo test lint install clean docs serve-docs bench fuzz studio vsix

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,server,servertest,docs,lsp,excel,postgres,batch]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/gridpolicy check rules/
	$(VENV)/bin/gridpolicy route rules/ examples/items.json --explain

test: $(STAMP)
	$(VENV)/bin/ruff check gridpolicy tests
	$(VENV)/bin/mypy
	$(VENV)/bin/gridpolicy check rules/
	$(VENV)/bin/gridpolicy fmt --check rules/
	$(VENV)/bin/gridpolicy test rules/ --coverage --min-coverage 100
	bash scripts/install-browser.sh
	bash scripts/install-postgres.sh
	bash scripts/fetch-mermaid.sh
	$(PY) -m pytest

# The rule site: pages generated from rules/ into docs/rules/, then built into site/.
docs: $(STAMP)
	bash scripts/fetch-mermaid.sh
	$(VENV)/bin/gridpolicy docs rules/ --out docs/rules --history 12
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict

serve-docs: docs
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs serve --dev-addr 127.0.0.1:8000

# The studio's editor bundle (committed; rebuild after editing gridpolicy/studio/web/): npm + esbuild.
studio:
	bash scripts/build-studio.sh

# The VS Code extension as editors/vscode/gridpolicy.vsix (npm: vscode-languageclient, @vscode/vsce).
vsix:
	bash scripts/build-vsix.sh

lint: $(STAMP)
	$(VENV)/bin/ruff check gridpolicy tests
	$(VENV)/bin/mypy

# Speed beside the peer engines (installed into their own venv, benchmarks/.venv).
BENCH_VENV := benchmarks/.venv
$(BENCH_VENV)/.installed: pyproject.toml benchmarks/requirements.txt
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(BENCH_VENV)/bin/python -m pip install --quiet -e '.[batch]' -r benchmarks/requirements.txt
	touch $@

bench: $(BENCH_VENV)/.installed
	$(BENCH_VENV)/bin/python -m benchmarks.run $(BENCH_ARGS)
	$(BENCH_VENV)/bin/python -m benchmarks.case_step
	$(BENCH_VENV)/bin/python -m benchmarks.evaluate
	$(BENCH_VENV)/bin/python -m benchmarks.scale

# The fuzzers at full size (`make test` runs them briefly): each atheris target for FUZZ_SECONDS,
# corpora kept in fuzz/corpus/ (git-ignored), crashes saved as fuzz/crash-*; then the hypothesis
# fuzz tests with GRIDPOLICY_FUZZ_EXAMPLES examples each. See fuzz/README.md.
FUZZ_SECONDS ?= 600
fuzz: $(STAMP)
	mkdir -p fuzz/corpus/load fuzz/corpus/route fuzz/corpus/registry
	$(PY) fuzz/fuzz_load.py fuzz/corpus/load rules/ -dict=fuzz/gp.dict -max_total_time=$(FUZZ_SECONDS) \
	    -timeout=20 -rss_limit_mb=2048 -artifact_prefix=fuzz/
	$(PY) fuzz/fuzz_route.py fuzz/corpus/route -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
	    -artifact_prefix=fuzz/
	$(PY) fuzz/fuzz_registry.py fuzz/corpus/registry rules/registry/ -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
	    -rss_limit_mb=1024 -artifact_prefix=fuzz/
	GRIDPOLICY_FUZZ_EXAMPLES=20000 $(PY) -m pytest -q -p no:randomly tests/test_hardening_registry.py \
	    tests/test_hardening_log.py -k fuzz

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
