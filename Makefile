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

platform/dugnad/translations/%/LC_MESSAGES/messages.mo: platform/dugnad/translations/%/LC_MESSAGES/messages.po $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -d platform/dugnad/translations -l $* >/dev/null

translations: $(STAMP) $(foreach l,nb nn en,platform/dugnad/translations/$(l)/LC_MESSAGES/messages.mo)

## demo: set up and serve the demo region on http://127.0.0.1:5000 (SQLite, inline jobs)
demo: translations
	$(BIN)/dugnad demo

## test: the whole suite (browser tests need /usr/bin/chromium). With DUGNAD_TEST_DATABASE_URL set
## (as CI does) it runs on PostgreSQL with row-level security, then the core tests again on SQLite.
test: translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)
ifneq ($(strip $(DUGNAD_TEST_DATABASE_URL)),)
	DUGNAD_TEST_DATABASE_URL= DUGNAD_TEST_REDIS_URL= $(BIN)/python -m pytest tests/core -q $(PYTEST_ARGS)
endif

## test-fast: everything but the browser tests
test-fast: translations
	$(BIN)/python -m pytest -m "not browser" $(PYTEST_ARGS)

## extract: refresh the translation catalogues from the code and templates
extract: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o platform/dugnad/translations/messages.pot . >/dev/null
	$(BIN)/pybabel update -i platform/dugnad/translations/messages.pot -d platform/dugnad/translations --no-fuzzy-matching >/dev/null

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
