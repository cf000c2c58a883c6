# Two commands matter: `make demo` runs kinship on the real CDNOW sample in the
# reference host; `make test` runs the checks and the test suite.

SHELL := /bin/bash
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
CONSTRAINTS := constraints/saleor-3.24.txt
DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/kinship
export DATABASE_URL

# The first Python 3.12+ found: python3.12 or python3 on PATH, else pyenv's.
PYTHON ?= $(shell for candidate in python3.12 python3 \
	$$(ls -d $$HOME/.pyenv/versions/3.12*/bin/python3.12 2>/dev/null | sort -V | tail -n1); do \
	  "$$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' \
	    >/dev/null 2>&1 && { echo "$$candidate"; break; }; done)

.PHONY: demo test lint bench venv clean

$(VENV)/.installed: setup.cfg pyproject.toml $(CONSTRAINTS)
	@if [ -z "$(PYTHON)" ]; then echo "Python 3.12 was not found: install it, or run make PYTHON=/path/to/python3.12"; exit 1; fi
	@echo "Setting up $(VENV) with $(PYTHON) (first run only)..."
	@$(PYTHON) -m venv $(VENV)
	@{ $(BIN)/pip install --disable-pip-version-check --upgrade pip && \
	   $(BIN)/pip install --disable-pip-version-check -c $(CONSTRAINTS) -e '.[dev,bench]'; \
	 } > $(VENV)/install.log 2>&1 || { tail -n 30 $(VENV)/install.log; \
	   echo "Installing into $(VENV) failed; the whole log is $(VENV)/install.log"; exit 1; }
	@touch $@

venv: $(VENV)/.installed

demo: venv
	@$(PY) -m devhost.checkdb
	@$(PY) manage.py migrate --no-input -v0
	@$(PY) manage.py kinship_demo

lint: venv
	@$(PY) -m devhost.checkdb
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy saleor_kinship devhost
	$(PY) manage.py makemigrations --check --dry-run

test: lint
	$(PY) -m pytest

bench: venv
	@$(PY) -m devhost.checkdb
	@$(PY) manage.py migrate --no-input -v0
	$(PY) -m bench.run

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
