# gridpolicy: one command to try it, one to test it. Both install what they need.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo test lint install clean docs serve-docs bench

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,server,servertest,docs]'
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
	bash scripts/fetch-mermaid.sh
	$(PY) -m pytest

# The rule site: pages generated from rules/ into docs/rules/, then built into site/.
docs: $(STAMP)
	bash scripts/fetch-mermaid.sh
	$(VENV)/bin/gridpolicy docs rules/ --out docs/rules
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict

serve-docs: docs
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs serve --dev-addr 127.0.0.1:8000

lint: $(STAMP)
	$(VENV)/bin/ruff check gridpolicy tests
	$(VENV)/bin/mypy

# Speed beside the peer engines (installed into their own venv, benchmarks/.venv).
BENCH_VENV := benchmarks/.venv
$(BENCH_VENV)/.installed: pyproject.toml benchmarks/requirements.txt
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(BENCH_VENV)/bin/python -m pip install --quiet -e . -r benchmarks/requirements.txt
	touch $@

bench: $(BENCH_VENV)/.installed
	$(BENCH_VENV)/bin/python -m benchmarks.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
