# The two set-up commands of the README: `make run` and `make test` (lint, typecheck, pytest).
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python

.PHONY: help run lint typecheck test install install-dev clean
.DEFAULT_GOAL := help

## make help: list the make targets (this text)
help:
	@grep -E '^## ' $(MAKEFILE_LIST) | sed 's/^## //'

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# An editable install writes no bytecode: compile it once here, as installing a wheel does (a CLI
# process otherwise compiles the project's modules on every start where bytecode is not written).
# It also builds the optional compiled parts in place (setup.py: the top k, index/search/_topk.c,
# Punkt's candidate loop, index/ingest/_punkt.c, and the build's chunking, index/search/_chunks.c;
# without a C compiler the install goes on and each runs its numpy or Python path): a changed
# kernel installs again.
KERNEL := setup.py index/search/_topk.c index/ingest/_punkt.c index/search/_chunks.c

$(VENV)/.installed: pyproject.toml $(KERNEL) | $(PY)
	$(PY) -m pip install --quiet -e .
	$(PY) -m compileall -q bot index
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(KERNEL) | $(PY)
	$(PY) -m pip install --quiet -e '.[dev]'
	$(PY) -m compileall -q bot index
	touch $(VENV)/.installed $@

## make install: create .venv and install Verbatim in it (done by make run)
install: $(VENV)/.installed
## make install-dev: the same with the test and lint tools (done by make test)
install-dev: $(VENV)/.installed-dev

## make run: install, build the index if needed, then the Discord bot (DISCORD_TOKEN set) or the local chat
run: install
	$(PY) -m bot run

## make lint: ruff's checks and its format check over the whole tree (config in pyproject.toml)
lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

## make typecheck: mypy over index/ and bot/ (config in pyproject.toml)
typecheck: install-dev
	$(VENV)/bin/mypy

## make test: install the dev dependencies, then lint, typecheck and the whole test suite
# Two workers (pytest-xdist; CI has 2 cores), a test file to a worker (`loadfile`: a module's
# shared bot and fake Discord start once). Safe because every test keeps to its own tmp folders,
# port-0 servers and monkeypatched environment, and the load tests bound the loop's CPU and
# Discord's own limits, not a busy machine's wall clock (docs/reliability.md, round 23).
# `pytest` alone runs serially.
test: install-dev lint typecheck
	$(PY) -m pytest -n 2 --dist loadfile

## make clean: remove .venv, the saved index, the built C parts, the install's egg-info and the test and lint caches
clean:
	rm -rf $(VENV) .index .pytest_cache .hypothesis .ruff_cache .mypy_cache *.egg-info build index/search/_topk.*.so index/search/_chunks.*.so index/ingest/_punkt.*.so
