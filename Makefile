# The two set-up commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python

.PHONY: help run test install install-dev clean
.DEFAULT_GOAL := help

## make help: list the make targets (this text)
help:
	@grep -E '^## ' $(MAKEFILE_LIST) | sed 's/^## //'

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

## make install: create .venv and install Verbatim in it (done by make run)
install: $(VENV)/.installed
## make install-dev: the same with the test and lint tools (done by make test)
install-dev: $(VENV)/.installed-dev

## make run: install, build the index if needed, then the Discord bot (DISCORD_TOKEN set) or the local chat
run: install
	$(PY) -m bot run

## make test: install the dev dependencies and run the whole test suite
test: install-dev
	$(PY) -m pytest

## make clean: remove .venv, the saved index and test caches
clean:
	rm -rf $(VENV) .index .pytest_cache .hypothesis
