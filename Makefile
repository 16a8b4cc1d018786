# Two commands: `make demo` and `make test`. Each creates .venv and installs
# what it needs on first use (and again whenever pyproject.toml changes).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The demo and the tests run on the built-in emulator, never on a real account.
NO_TOKEN := env -u TIMETRACKER_API_KEY -u TIMETRACKER_BASE_URL -u MPLBACKEND

.PHONY: demo test lint typecheck pytest notebooks bench clean chromium

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

demo: $(STAMP)
	$(NO_TOKEN) $(BIN)/python scripts/run_notebooks.py --out build

test: chromium lint typecheck pytest

# The browser test drives Debian's chromium; install it when missing (CI runs
# as root on a fresh machine). Without root the test skips and says why.
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "Installing Debian's chromium for the browser test"; \
			apt-get update -qq && \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else \
			echo "/usr/bin/chromium is missing and this is not root: the browser test will skip"; \
		fi; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(NO_TOKEN) $(BIN)/python -m pytest

# Re-execute the example notebooks and store their outputs (nbval checks them).
notebooks: $(STAMP)
	$(NO_TOKEN) $(BIN)/python scripts/make_quickstart.py
	$(NO_TOKEN) $(BIN)/python scripts/make_where_the_time_went.py
	$(NO_TOKEN) $(BIN)/python scripts/make_timesheet_health.py
	$(NO_TOKEN) $(BIN)/python scripts/make_billable_hours.py
	$(NO_TOKEN) $(BIN)/python scripts/make_dashboard.py
	$(NO_TOKEN) $(BIN)/python scripts/run_notebooks.py --inplace

# The benchmark suite against the obvious script and the limit (minutes).
bench: $(STAMP)
	$(NO_TOKEN) $(BIN)/python benchmarks/run.py --out build

clean:
	rm -rf build .pytest_cache .mypy_cache .ruff_cache
