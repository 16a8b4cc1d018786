# Two commands: `make demo` and `make test`. Each creates .venv and installs
# what it needs on first use (and again whenever pyproject.toml changes).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The demo and the tests run on the built-in emulator, never on a real account.
NO_TOKEN := env -u TIMETRACKER_API_KEY -u TIMETRACKER_BASE_URL -u MPLBACKEND

.PHONY: demo test lint typecheck pytest notebooks clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

demo: $(STAMP)
	$(NO_TOKEN) $(BIN)/python scripts/run_notebooks.py --out build

test: lint typecheck pytest

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
	$(NO_TOKEN) $(BIN)/python scripts/run_notebooks.py --inplace

clean:
	rm -rf build .pytest_cache .mypy_cache .ruff_cache
