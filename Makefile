# The HMIS in two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
VENDOR := static/vendor

.PHONY: run test install assets migrate seed serve bench lint clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e ".[dev]"
	touch $(STAMP)

assets: $(VENDOR)/.built

$(VENDOR)/.built: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf $(VENDOR) && mkdir -p $(VENDOR)/uswds $(VENDOR)/htmx
	cp -r node_modules/@uswds/uswds/dist/css node_modules/@uswds/uswds/dist/fonts \
	      node_modules/@uswds/uswds/dist/img node_modules/@uswds/uswds/dist/js $(VENDOR)/uswds/
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx/
	touch $@

migrate: install
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

# Embedded defaults: SQLite and Celery's filesystem broker under var/, plain HTTP on loopback.
run: install assets
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py seed_demo
	HTTPS=false ./scripts/serve.sh

# Tests run in parallel processes (pytest-xdist), each with its own test database; a
# test file stays on one worker so its module fixtures are built once.
# TEST_WORKERS=0 runs them in this process (for pdb).
TEST_WORKERS ?= auto
test: install assets
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

# Benchmarks on PostgreSQL (BENCH_DATABASE_URL); SIZE=small for a quick check, full for 1,000,000 clients.
# The database is reused between runs; BENCH_REBUILD=1 drops it and generates it again
# (needed when another checkout, with another PII_KEY, filled it: the run says so).
SIZE ?= full
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/hmis_bench
BENCH_REBUILD ?=
bench: install assets
	$(PY) scripts/ensure_database.py "$(BENCH_DATABASE_URL)" $(if $(filter 1 yes true,$(BENCH_REBUILD)),--rebuild)
	DATABASE_URL="$(BENCH_DATABASE_URL)" $(PY) manage.py bench --check-key
	DATABASE_URL="$(BENCH_DATABASE_URL)" $(PY) manage.py migrate --noinput -v0
	$(PY) manage.py collectstatic --noinput --verbosity 0
	DATABASE_URL="$(BENCH_DATABASE_URL)" HTTPS=false $(PY) manage.py bench --size $(SIZE)

lint: install
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var
