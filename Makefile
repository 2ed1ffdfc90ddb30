# The two commands a newcomer needs: `make run` and `make test`. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium
WORKERS ?= 2

.PHONY: help run test lint format serve drill worker migrate demo messages makemessages browser python-version clean bench

help:
	@echo "make run    - set up everything and serve the portal on http://$(HOST):$(PORT)"
	@echo "make test   - run the whole test suite, browser tests included"
	@echo "make lint   - ruff check and ruff format --check"
	@echo "make serve  - production-style server (gunicorn); needs the production variables"
	@echo "make drill  - the fault drill: two web processes, two workers, a database outage (bench/drill.py)"
	@echo "make worker - run only the task worker (e-mails, escalation); make run starts it too"
	@echo "make bench  - the benchmarks in bench/ (PostgreSQL, Redis and wrk on this machine; minutes)"

python-version:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null || { \
	  echo "This project needs Python 3.12 or newer; '$(PYTHON)' is $$($(PYTHON) --version 2>&1 || echo missing)."; \
	  echo "Install Python 3.12+ (e.g. 'pyenv install 3.13', or your system's python3.13 package)"; \
	  echo "and run again, or point to it: make PYTHON=/path/to/python3.13 <target>"; exit 1; }

$(PY): | python-version
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.runtime-installed

messages: $(VENV)/.runtime-installed
	@$(VENV)/bin/pybabel compile --statistics -d locale -D django 2>&1 | grep -v '^$$' || true

makemessages: $(VENV)/.runtime-installed
	@# Extraction needs GNU gettext (apt-get install gettext); compiling does not. Every language
	@# with a locale/<lang>/ folder is refreshed, then filled from its locale/<lang>/*.json files.
	$(PY) manage.py makemessages --all --no-obsolete --ignore='.venv/*' --ignore='var/*'
	$(PY) scripts/fill_translations.py --all

migrate: $(VENV)/.runtime-installed
	@mkdir -p var
	DJANGO_DEBUG=true $(PY) manage.py migrate --no-input

demo: migrate
	DJANGO_DEBUG=true $(PY) manage.py load_demo_content
	DJANGO_DEBUG=true $(PY) manage.py create_demo_accounts

run: messages demo
	@echo "Serving on http://$(HOST):$(PORT)/ (admin: http://$(HOST):$(PORT)/admin/), with the task worker. Stop with Ctrl+C."
	@# The worker sends the e-mails and runs the periodic escalation check; it stops with the server.
	DJANGO_DEBUG=true $(PY) manage.py escalate_overdue --schedule
	@DJANGO_DEBUG=true $(PY) manage.py run_worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	  DJANGO_DEBUG=true $(PY) manage.py runserver $(HOST):$(PORT)

browser:
	@if [ ! -x "$(CHROMIUM)" ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing Debian's chromium for the browser tests..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

test: $(VENV)/.dev-installed messages browser
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

serve: $(VENV)/.runtime-installed messages
	@# Production-style: needs DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL... (README).
	@# The processes are the Procfile's (web, worker, clock), started by honcho; gunicorn reads
	@# gunicorn.conf.py. WORKERS task workers (default 2). See docs/deployment.md.
	$(PY) manage.py collectstatic --no-input --verbosity 0
	$(PY) manage.py migrate --no-input
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" HOST=$(HOST) PORT=$(PORT) \
	  $(VENV)/bin/honcho start --port $(PORT) --concurrency web=1,worker=$(WORKERS),clock=1

drill: $(VENV)/.dev-installed messages
	$(PY) bench/drill.py $(DRILL_ARGS)

bench: $(VENV)/.dev-installed messages
	@# Each benchmark builds its own databases on the local PostgreSQL; see bench/run.py.
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; } || echo "wrk missing: a Python load generator is used"
	$(PY) bench/run.py

worker: migrate
	DJANGO_DEBUG=true $(PY) manage.py run_worker

clean:
	rm -rf $(VENV) var/staticfiles test-artifacts
