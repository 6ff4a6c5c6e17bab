# Tsunagu — the README's commands: `make run`, `make test`; plus bench, lint, i18n.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# a stamp that is newer than pyproject.toml once the venv holds what it asks for
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 5000
# test processes: one per core (a test file stays in one process: its fixtures are shared)
TEST_WORKERS ?= auto

.PHONY: run test test-fast bench loadtest lint i18n translate system-deps clean help

help:
	@echo "make run    - set up, migrate, load demo data if empty, start the web site"
	@echo "make test   - install what is missing, then run every test (SQLite + PostgreSQL)"
	@echo "make bench  - benchmarks, printed as ratios to baselines measured in the same run"
	@echo "make loadtest - 50 kiosks + 200 bookings for 20 seats over HTTP: gunicorn on PostgreSQL, then SQLite with a ramp (under 4 minutes)"
	@echo "make lint   - ruff check and ruff format --check"
	@echo "make i18n   - extract, update and compile the translation catalogs"
	@echo "make manuals - retake the staff manuals' screenshots from the demo site, print one PDF per role"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip wheel setuptools
	$(BIN)/pip install --quiet -e '.[all]'
	touch $@

system-deps:
	@scripts/system-deps.sh

run: $(INSTALLED)
	$(BIN)/tsunagu db upgrade
	$(BIN)/tsunagu demo --if-empty --logins
	@scripts/start-demo-kiosk.sh $(HOST) $(PORT) &
	@echo "Starting the web site on http://$(HOST):$(PORT)/ — the public schedule; staff log in at /login with a login above. Ctrl+C stops it."
	$(BIN)/tsunagu serve --host $(HOST) --port $(PORT)

test: system-deps $(INSTALLED)
	$(BIN)/tsunagu content check
	$(BIN)/pytest -q -p no:cacheprovider -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder --durations=25 $(PYTEST_ARGS)

test-fast: $(INSTALLED)
	$(BIN)/pytest -q -x -p no:cacheprovider $(PYTEST_ARGS)

bench: system-deps $(INSTALLED)
	@for b in bench/*_bench.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

# real servers on 127.0.0.1 (free ports), a throwaway PostgreSQL schema and SQLite file;
# exits non-zero when a seat rule broke. LOADTEST_ARGS="--json PATH" keeps the figures.
loadtest: system-deps $(INSTALLED)
	$(BIN)/python bench/loadtest.py $(LOADTEST_ARGS)

# the staff manuals (docs/manual/*.md): screenshots of the demo ward on a frozen clock into
# docs/img/manual/ (committed), one A4 PDF per role into build/manual/ (not committed);
# MANUALS_ARGS="--pdf-only" prints the PDFs from the committed screenshots
.PHONY: manuals
manuals: system-deps $(INSTALLED)
	$(BIN)/python scripts/manuals.py $(MANUALS_ARGS)

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@! grep -rnE --include=*.py "fmt: (skip|off)" classroom content kiosk languages web tests bench scripts \
	  || { echo "the formatter lays out every line: no fmt: skip/off"; exit 1; }

LANGUAGES := ja en zh_Hans ko

# .mo files are compiled by this target and committed, so a kiosk or server installed
# from a checkout needs no build step; `make test` checks they are up to date
# (tests/test_i18n.py). The kiosk's strings are extracted with the message context
# "kiosk" (and "kiosk-easy", the kiosk's やさしい日本語) by scripts/babel_kiosk.py
# (babel.cfg), hence PYTHONPATH; the catalogs are the kiosk's only source of words.
# docs/translations.md explains.
i18n: $(INSTALLED)
	PYTHONPATH=$(CURDIR) $(BIN)/pybabel extract -F babel.cfg -k _l -k N_ -k lazy_gettext \
	  -o locales/messages.pot --no-location --sort-output --project tsunagu \
	  --copyright-holder "Tsunagu developers" .
	@for lang in $(LANGUAGES); do \
	  if [ -f locales/$$lang/LC_MESSAGES/messages.po ]; then \
	    $(BIN)/pybabel update -i locales/messages.pot -d locales -l $$lang --no-fuzzy-matching --ignore-obsolete; \
	  else \
	    $(BIN)/pybabel init -i locales/messages.pot -d locales -l $$lang; \
	  fi; \
	done
	$(BIN)/python scripts/fill_en_catalog.py locales/en/LC_MESSAGES/messages.po
	$(BIN)/pybabel compile -d locales --statistics

# Several people (or helpers) may add strings at once: `make translate FILE=locales/pending/x.yaml`
# extracts, applies that file's translations and compiles, holding locales/.lock meanwhile.
translate: $(INSTALLED)
	flock locales/.lock sh -c '$(MAKE) --no-print-directory i18n >/dev/null && \
	  $(BIN)/python scripts/translate.py $(FILE) && $(BIN)/pybabel compile -d locales >/dev/null'

clean:
	rm -rf $(VENV) .pytest_cache
