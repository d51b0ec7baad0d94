# The two commands: `make run` (set up, migrate, demo data, serve) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export FLASK_APP := mestring

.PHONY: run test lint bench instances translations screenshots refresh-punkt clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.run-installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.run-installed

run: $(VENV)/.run-installed
	$(BIN)/flask db upgrade
	$(BIN)/flask mestring demo --if-empty
	$(BIN)/flask run --host 127.0.0.1 --port 5000

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

# Median time and SQL statements of every main page at small and Oslo scale, on SQLite (and
# PostgreSQL when MESTRING_BENCH_DATABASE_URL is set): writes tests/perf/RESULTS.md and results.json.
bench: $(VENV)/.test-installed
	$(BIN)/python -m tests.perf.bench

# Two gunicorn instances (a fresh database on the server of MESTRING_BENCH_DATABASE_URL, rate
# limits in Redis) under a bounded load of every role's pages: writes tests/perf/instances.json.
instances: $(VENV)/.test-installed
	$(BIN)/python -m tests.perf.instances

# Extract UI text into the catalog and compile it (run after changing texts).
translations: $(VENV)/.run-installed
	$(BIN)/pybabel extract -F pyproject.toml -k _l --ignore-dirs='.* *.egg-info' -o mestring/translations/messages.pot --project=Mestring --no-location --sort-output --width=100 .
	$(BIN)/pybabel update -i mestring/translations/messages.pot -d mestring/translations --no-fuzzy-matching --ignore-obsolete --width=100
	$(BIN)/pybabel compile -d mestring/translations

# Screenshots of the demo for the README (needs Debian's Chromium).
screenshots: $(VENV)/.test-installed
	$(BIN)/python -m tests.browser.screenshots

refresh-punkt:
	static/vendor/refresh-punkt.sh

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache .mypy_cache
