# Aduan: the two set-up commands are `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000
PIP    := $(PY) -m pip --disable-pip-version-check -q

.PHONY: run test bench lint fmt messages check-python clean-venv audit-deps

check-python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { \
	  echo "Aduan needs Python 3.11 or newer, and '$(PYTHON)' was not found: install Python 3.11+ (Debian/Ubuntu: apt install python3 python3-venv), or run 'make PYTHON=/path/to/python3.11 ...'."; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null || { \
	  echo "Aduan needs Python 3.11 or newer, and '$(PYTHON)' is $$($(PYTHON) -V 2>&1): install Python 3.11+, or run 'make PYTHON=python3.11 ...'."; exit 1; }

$(PY): | check-python
	@$(PYTHON) -m venv $(VENV) >/dev/null 2>&1 || { rm -rf $(VENV); \
	  echo "Could not create $(VENV) with '$(PYTHON) -m venv': install the venv module (Debian/Ubuntu: apt install python3-venv)."; exit 1; }
	@$(PIP) install --upgrade pip >/dev/null 2>&1 || true

$(VENV)/.installed: $(PY) pyproject.toml constraints.txt
	@echo "Installing Aduan into $(VENV)/ ..."
	@$(PIP) install -c constraints.txt -e . >$(VENV)/install.log 2>&1 || { cat $(VENV)/install.log; exit 1; }
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	@echo "Installing the test tools into $(VENV)/ ..."
	@$(PIP) install -c constraints.txt -e ".[test]" >$(VENV)/install.log 2>&1 || { cat $(VENV)/install.log; exit 1; }
	@touch $@

# The page checks of the suite (aduan/core/tests/test_pages_checked.py): axe-core and the
# Nu HTML checker, pinned in tools/checkers/package-lock.json, from the npm registry. Without
# npm the checks are skipped (CI requires them); the Nu checker also needs Java 11+.
CHECKERS := $(VENV)/checkers
$(CHECKERS)/.installed: tools/checkers/package.json tools/checkers/package-lock.json | $(PY)
	@if command -v npm >/dev/null 2>&1; then \
	  echo "Installing the page checkers (axe-core, Nu HTML checker) into $(CHECKERS)/ ..."; \
	  mkdir -p $(CHECKERS) && cp tools/checkers/package.json tools/checkers/package-lock.json $(CHECKERS)/ && \
	  { npm ci --prefix $(CHECKERS) --ignore-scripts --no-audit --no-fund >$(CHECKERS)/install.log 2>&1 \
	    || { cat $(CHECKERS)/install.log; exit 1; }; } && touch $@; \
	else \
	  echo "npm not found: the page checks (axe-core, Nu HTML checker) are skipped (Debian: apt install npm)."; \
	fi

# Embedded demo: SQLite (WAL) in the data folder, demo officials, worker beside the web server.
run: export ADUAN_DEMO ?= 1
run: $(VENV)/.installed
	@$(PY) manage.py migrate --noinput -v0
	@$(PY) manage.py collectstatic --noinput -v0
	@$(PY) manage.py sop_load
	@$(PY) manage.py demo_load
	@$(PY) manage.py serve --port $(PORT)

# The suite in TEST_WORKERS processes (pytest-xdist; each its own test database).
TEST_WORKERS ?= 2
test: $(VENV)/.installed-test $(CHECKERS)/.installed
	@$(VENV)/bin/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# The benchmark kit (bench/run.py): every scenario on SQLite and PostgreSQL beside
# django-helpdesk, into bench/results/. Long (an hour or more); BENCH_ARGS="--quick" for a
# smoke run of 10–20 minutes, "--db sqlite --no-peer" and the like to narrow it.
bench: $(VENV)/.installed-test
	@$(PY) bench/run.py $(BENCH_ARGS)

lint: $(VENV)/.installed-test
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .

fmt: $(VENV)/.installed-test
	@$(VENV)/bin/ruff format .
	@$(VENV)/bin/ruff check --fix .

# Needs GNU gettext (msgfmt); the compiled .mo files are committed.
messages: $(VENV)/.installed
	@$(PY) manage.py makemessages -l en --no-obsolete --ignore=.venv --ignore=.venv-audit --ignore=bench --ignore=deploy
	@$(PY) manage.py compilemessages -l en --ignore=.venv

clean-venv:
	rm -rf $(VENV)

# Known vulnerabilities in the pinned dependencies (PyPI's advisory data), with pip-audit
# in a venv of its own: it is a tool of the checks, not a dependency of Aduan.
AUDIT_VENV := .venv-audit
PIP_AUDIT_VERSION := 2.10.1

$(AUDIT_VENV)/.installed-$(PIP_AUDIT_VERSION): | check-python
	@echo "Installing pip-audit $(PIP_AUDIT_VERSION) into $(AUDIT_VENV)/ ..."
	@rm -rf $(AUDIT_VENV) && $(PYTHON) -m venv $(AUDIT_VENV)
	@$(AUDIT_VENV)/bin/python -m pip --disable-pip-version-check -q install \
	  "pip-audit==$(PIP_AUDIT_VERSION)" >$(AUDIT_VENV)/install.log 2>&1 || { cat $(AUDIT_VENV)/install.log; exit 1; }
	@touch $@

# Every package is pinned in constraints.txt (the whole tree): no resolution needed.
audit-deps: $(AUDIT_VENV)/.installed-$(PIP_AUDIT_VERSION)
	@$(AUDIT_VENV)/bin/pip-audit --strict --progress-spinner off --no-deps --disable-pip -r constraints.txt
