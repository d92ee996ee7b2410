# Every target bootstraps .venv from a bare python3.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast lint bench translations lock clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

# Translation catalogues: the core's, and one per plugin (plugins/<name>/translations),
# so a plugin never edits the core's catalogue. Compiled on every run (a second or two).
CATALOGS = platform/dugnad/translations $(wildcard plugins/*/translations) $(wildcard tests/support/*/translations)
PLUGIN_SOURCES = $(patsubst %/,%,$(dir $(wildcard plugins/*/__init__.py)))

translations: $(STAMP)
	@for catalog in $(CATALOGS); do $(BIN)/pybabel -q compile --use-fuzzy -d $$catalog || exit 1; done

## demo: set up and serve the demo region on http://127.0.0.1:5000 (SQLite, inline jobs); PORT=8080 to move it
PORT ?= 5000
demo: translations
	$(BIN)/dugnad demo --port $(PORT)

## test: the whole suite (browser tests need /usr/bin/chromium). With DUGNAD_TEST_DATABASE_URL set
## (as CI does) it runs on PostgreSQL with row-level security, then the core tests again on SQLite.
## Tests run in parallel (pytest-xdist), one process per core, each with its own database; an idle
## process takes tests queued for a busy one (--dist worksteal), so one long test does not hold up the end.
PYTEST_WORKERS ?= auto

test: translations
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_ARGS)
ifneq ($(strip $(DUGNAD_TEST_DATABASE_URL)),)
	DUGNAD_TEST_DATABASE_URL= DUGNAD_TEST_REDIS_URL= $(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist worksteal tests/core -q $(PYTEST_ARGS)
endif

## test-fast: everything but the browser tests
test-fast: translations
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist worksteal -m "not browser" $(PYTEST_ARGS)

## lint: ruff, and the import contracts (ops/lint/imports.py: the core imports no plugin, plugins
## import only dugnad.sdk and not each other, tenancy nothing of the web layer, only jobs/ imports rq,
## no import cycle between the core's packages)
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m ops.lint.imports

## extract: refresh the translation catalogues from the code and templates (core, then each plugin)
extract: $(STAMP)
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext -o platform/dugnad/translations/messages.pot .
	$(BIN)/pybabel -q update -i platform/dugnad/translations/messages.pot -d platform/dugnad/translations --no-fuzzy-matching
	@for plugin in $(PLUGIN_SOURCES); do \
	  mkdir -p $$plugin/translations; \
	  $(BIN)/pybabel -q extract -F babel-plugin.cfg -k _l -k lazy_gettext -o $$plugin/translations/messages.pot $$plugin || exit 1; \
	  for lang in nb nn en; do \
	    if [ -f $$plugin/translations/$$lang/LC_MESSAGES/messages.po ]; then \
	      $(BIN)/pybabel -q update -i $$plugin/translations/messages.pot -d $$plugin/translations -l $$lang --no-fuzzy-matching; \
	    else \
	      $(BIN)/pybabel -q init -i $$plugin/translations/messages.pot -d $$plugin/translations -l $$lang; \
	    fi; \
	  done; \
	done

## bench: performance figures, as ratios against a bare route in the same run
bench: translations
	$(BIN)/python ops/bench/run.py

## lock: re-resolve constraints.txt after changing pyproject.toml
lock:
	rm -rf /tmp/dugnad-lock && $(PYTHON) -m venv /tmp/dugnad-lock
	/tmp/dugnad-lock/bin/pip install --quiet '.[test]'
	/tmp/dugnad-lock/bin/pip freeze --exclude dugnad > constraints.txt

clean:
	rm -rf $(VENV) instance
