# gridpolicy: one command to try it, one to test it. Both install what they need.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo test lint install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,server,servertest]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/gridpolicy check rules/
	$(VENV)/bin/gridpolicy route rules/ examples/items.json --explain

test: $(STAMP)
	$(VENV)/bin/ruff check gridpolicy tests
	$(VENV)/bin/gridpolicy check rules/
	$(VENV)/bin/gridpolicy test rules/
	$(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check gridpolicy tests

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
