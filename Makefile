# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app wsgi.py
HOST ?= 127.0.0.1
PORT ?= 5000
WORKERS ?= 2
THREADS ?= 4
# pytest-xdist workers for make test (measured on the 2-core machine: see README).
TEST_WORKERS ?= 3
STAMP := $(VENV)/.installed

.PHONY: install translations messages run test lint format clean

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

translations: install
	$(VENV)/bin/pybabel compile -d audit/translations

# After changing user-facing text: extract, merge into the catalogs, then fill the new
# Vietnamese texts (tools/po_fill.py) so the i18n test passes.
messages: install
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location -o audit/translations/messages.pot .
	$(VENV)/bin/pybabel update -i audit/translations/messages.pot -d audit/translations --no-fuzzy-matching
	$(PY) tools/po_fill.py

run: translations
	$(FLASK) db upgrade
	$(FLASK) demo load --if-empty
	$(FLASK) demo logins
	@echo "Serving on http://$(HOST):$(PORT)"
	HOST=$(HOST) PORT=$(PORT) GUNICORN_WORKERS=$(WORKERS) GUNICORN_THREADS=$(THREADS) \
		$(VENV)/bin/gunicorn -c gunicorn.conf.py wsgi:app

test: translations
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
