# The two set-up commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python

.PHONY: run test install install-dev clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## make run: install, build the index if needed, then the Discord bot (DISCORD_TOKEN set) or the local chat
run: install
	$(PY) -m bot run

## make test: install the dev dependencies and run the whole test suite
test: install-dev
	$(PY) -m pytest

clean:
	rm -rf $(VENV) .index .pytest_cache .hypothesis
