# The README's two commands are `make demo` and `make test`; each installs what it needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
PYTEST_ARGS ?=
# make bench BENCH_ARGS="--units 5 --kpis 40 --months 24" (or --small, --only engine, ...);
# the database is DATABASE_URL (make bench DATABASE_URL=postgres://...) or a SQLite file.
BENCH_ARGS ?=

.PHONY: demo test pytest lint format install install-dev clean bench messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamps record which lock file was installed, so a changed lock reinstalls.
$(VENV)/.base-installed: requirements/base.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements/base.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.dev-installed: requirements/dev.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements/dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(VENV)/.base-installed $@

install: $(VENV)/.base-installed
install-dev: $(VENV)/.dev-installed

## make demo: create the SQLite database, load the demo company, serve on http://127.0.0.1:8000
demo: install
	DEBUG=1 SECURE_COOKIES=0 $(BIN)/scorecard demo --serve --addr $(HOST):$(PORT)

## make test: lint, type-check and run the whole test suite
test: lint pytest

pytest: install-dev
	$(BIN)/pytest -n 2 --dist worksteal $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check src tests scripts bench
	$(BIN)/ruff format --check src tests scripts bench
	$(BIN)/mypy
	$(BIN)/mypy --strict src/scorecard/engine
	$(BIN)/lint-imports

format: install-dev
	$(BIN)/ruff format src tests scripts bench
	$(BIN)/ruff check --fix src tests scripts bench

## make bench: generate an organization (default 50 units x 200 KPIs x 60 months) and print
## the benchmark table, each figure against its floor (docs/performance.md). Not a test.
bench: install-dev
	PYTHONPATH=src:. $(BIN)/python -m bench $(BENCH_ARGS)

## make messages: collect the texts to translate into the .po files of every shipped
## language and compile the .mo files (needs GNU gettext; docs/languages.md). Commit both.
messages: install-dev
	cd src/scorecard && DJANGO_SETTINGS_MODULE=scorecard.settings ../../$(BIN)/python -m django \
		makemessages --all --no-location --no-wrap --ignore "static/*"
	cd src/scorecard && DJANGO_SETTINGS_MODULE=scorecard.settings ../../$(BIN)/python -m django \
		compilemessages --ignore "static/*"

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
