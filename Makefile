# Two commands for a fresh machine: `make run` and `make test` (see README).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
export HF_HUB_OFFLINE ?= 1

.PHONY: run test lint install install-dev

$(VENV)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.runtime

install-dev: $(VENV)/.dev

## Serve the API on PORT (default 8000) with the shipped compact models.
run: install
	$(VENV)/bin/gunicorn -c gunicorn.conf.py service.wsgi:app

## Install test tools and run the whole suite (unit, API, real gunicorn).
test: install-dev
	$(PY) -m pytest -q tests

lint: install-dev
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .
