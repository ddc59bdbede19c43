# SciAid Online. `make run` sets up and serves the demo; `make test` installs and passes the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
HOST ?= 127.0.0.1:8000
PYTEST_ARGS ?=
# Test processes for `make test` (pytest-xdist; each has its own test database); 0 runs the suite in this process.
TEST_WORKERS ?= 2

.PHONY: install run test test-celery test-browser test-fuzz bench lint format messages clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

# Static files fingerprinted and compressed (gzip and brotli) for WhiteNoise, rebuilt when a source file or the
# installed packages change; `runserver --nostatic` leaves them to WhiteNoise, as gunicorn does in production.
STATIC_MANIFEST := $(or $(SCIAID_VAR_DIR),var)/static/staticfiles.json
STATIC_SOURCES := $(shell find sciaid -path '*/static/*' -type f)

$(STATIC_MANIFEST): $(STAMP) $(STATIC_SOURCES)
	$(BIN)/python manage.py collectstatic --noinput --clear -v0

run: install $(STATIC_MANIFEST)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver --nostatic $(HOST)

# The whole suite on the configured database (SQLite unless DATABASE_URL is set); Celery and browser tests apart.
test: install
	$(BIN)/pytest -m "not celery and not browser and not fuzz" -q -n $(TEST_WORKERS) $(PYTEST_ARGS)

test-celery: install
	$(BIN)/pytest -m celery -q $(PYTEST_ARGS)

test-browser: install
	$(BIN)/pytest -m browser -q $(PYTEST_ARGS)

# schemathesis over the whole API as four roles (sciaid/tests/test_schemathesis.py): FUZZ_CASES requests in all.
test-fuzz: install
	$(BIN)/pytest -m fuzz -q $(PYTEST_ARGS)

bench: install
	$(BIN)/python -m bench

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py spectacular --validate --fail-on-warn --file /dev/null

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Refresh the translation catalogues after changing user-facing strings (needs gettext), then translate them.
messages: install
	cd sciaid && ../$(BIN)/django-admin makemessages -l zh_Hans --no-obsolete -e html,txt,py
	cd sciaid && ../$(BIN)/django-admin compilemessages

clean:
	rm -rf $(VENV) var
