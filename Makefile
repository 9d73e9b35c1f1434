# SIGAP: `make demo` runs the system on its embedded default, `make test` runs every test.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
UV     := $(BIN)/uv
SIGAP  := $(BIN)/sigap
PYTEST_ARGS ?=

.PHONY: demo test setup setup-dev lint format typecheck messages bench-checkin bench-roster clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# uv is bootstrapped into the virtual environment when it is not installed.
$(UV): | $(BIN)/python
	@if command -v uv >/dev/null 2>&1; then ln -sf "$$(command -v uv)" $(UV); \
	else $(BIN)/python -m pip install --quiet --disable-pip-version-check "uv>=0.5"; fi

$(VENV)/.runtime: requirements.lock pyproject.toml | $(UV)
	$(UV) pip install --python $(BIN)/python --require-hashes -r requirements.lock
	$(UV) pip install --python $(BIN)/python --no-deps -e .
	@touch $@

$(VENV)/.dev: requirements-dev.lock pyproject.toml | $(UV)
	$(UV) pip install --python $(BIN)/python --require-hashes -r requirements-dev.lock
	$(UV) pip install --python $(BIN)/python --no-deps -e .
	@touch $@ $(VENV)/.runtime

setup: $(VENV)/.runtime
setup-dev: $(VENV)/.dev

# Outside office hours the demo clock is set to the most recent working morning.
demo: setup
	$(SIGAP) migrate --noinput -v 0
	@export SIGAP_DEMO=1 SIGAP_FROZEN_TIME="$${SIGAP_FROZEN_TIME:-$$($(SIGAP) demo_clock)}"; \
	$(SIGAP) seed_demo && $(SIGAP) rundemo

test: setup-dev
	$(BIN)/pytest $(PYTEST_ARGS)

lint: setup-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy src/sigap/core src/sigap/org/rules.py src/sigap/worktime/rules.py src/sigap/attendance/rules.py src/sigap/privacy/rules.py src/sigap/privacy/masking.py src/sigap/health/rules.py

format: setup-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: setup-dev
	$(BIN)/mypy src/sigap/core src/sigap/org/rules.py src/sigap/worktime/rules.py

messages: setup-dev
	cd src/sigap && ../../$(SIGAP) makemessages -l id --no-obsolete && ../../$(SIGAP) compilemessages -l id

bench-checkin: setup-dev
	$(SIGAP) bench_checkin

# runs on DATABASE_URL (migrated first); the bench agency is removed afterwards
bench-roster: setup-dev
	$(SIGAP) migrate --noinput -v 0
	$(SIGAP) bench_roster

# a unit of 500 with a month of reports: review queue and unit recap times (DATABASE_URL)
.PHONY: bench-reports
bench-reports: setup-dev
	$(SIGAP) migrate --noinput -v 0
	$(SIGAP) bench_reports

# 10,000 employees, 30 days: agency/OPD recap, roll-call board, monthly XLSX (DATABASE_URL)
.PHONY: bench-recap
bench-recap: setup-dev
	$(SIGAP) migrate --noinput -v 0
	$(SIGAP) bench_recap

# 10,000 employees, a month of days: every TPP statement of last month and this month
.PHONY: bench-tpp
bench-tpp: setup-dev
	$(SIGAP) migrate --noinput -v 0
	$(SIGAP) bench_tpp

# faces/s in one process, a 2,000-selfie morning burst on real Celery workers (REDIS_URL),
# check-in latency with verification on and off (DATABASE_URL; its agency is removed after)
.PHONY: bench-verify
bench-verify: setup-dev
	$(SIGAP) migrate --noinput -v 0
	$(SIGAP) bench_verify

clean:
	rm -rf $(VENV) var .pytest_cache
