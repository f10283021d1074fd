# The two commands a newcomer needs: `make run` and `make test`. Both set everything up first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test setup system-deps lint

$(STAMP): pyproject.toml package-lock.json
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	npm ci --no-audit --no-fund --loglevel=error
	touch $(STAMP)

setup: $(STAMP)

# The site with the demo essay on the embedded default: SQLite, local disk, in-process worker.
run: setup
	$(BIN)/filmstrip migrate --no-input
	$(BIN)/filmstrip demo --if-empty
	$(BIN)/filmstrip serve --no-migrate

# Debian packages the tests drive: chromium for browser tests, PostgreSQL 15 for the second run.
system-deps:
	scripts/install-system-deps

# Style, then types (mypy with django-stubs; configured in pyproject.toml).
lint: setup
	$(BIN)/ruff check src tests benchmarks scripts/code-health
	$(BIN)/ruff format --check src tests benchmarks scripts/code-health
	$(BIN)/mypy

# Every test on SQLite, then every database test again on a throwaway PostgreSQL cluster. All but
# the browser tests run on every core (up to 4; much of a test's time is spent waiting on a
# server), a module's tests on one worker so that a site it serves is built once. The browser
# tests run in one process: in an xdist worker Django refuses the database once Playwright's
# event loop is there, and they are the tests most sensitive to a busy machine.
# The Ceph tests (s3) run in one process too, so that one gateway starts.
PARALLEL := -n auto --maxprocesses=4 --dist loadfile
test: setup system-deps lint
	$(BIN)/pytest -m "not browser and not s3" $(PARALLEL)
	$(BIN)/pytest -m "browser or s3"
	FILMSTRIP_TEST_DATABASE=postgres $(BIN)/pytest -m "django_db and not s3" $(PARALLEL)
	FILMSTRIP_TEST_DATABASE=postgres $(BIN)/pytest -m "django_db and s3"
