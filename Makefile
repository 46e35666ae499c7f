# Two commands do all set-up: `make run` starts the bot, `make test` runs the whole suite.
# Each creates the virtual environment in .venv and installs what it needs on first use.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: run test test-sqlite test-postgres lint format bench backup clean
PYTEST_ARGS ?=

run: $(VENV)/.run-installed
	$(BIN)/python -m bot

# The whole suite on SQLite, then on a throwaway PostgreSQL server it starts and stops itself
# (testing/pgserver.py; as root it runs the server as an unprivileged user). One engine alone:
# `make test-sqlite` or `make test-postgres`.
test: test-sqlite test-postgres

test-sqlite: $(VENV)/.dev-installed
	env -u STEADY_TEST_DATABASE_URL $(BIN)/python -m pytest $(PYTEST_ARGS)

test-postgres: $(VENV)/.dev-installed
	$(BIN)/python -m testing.pgserver run -- $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev-installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

backup: $(VENV)/.run-installed
	$(BIN)/python -m bot.backup

$(VENV)/.created:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Steady needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	touch $@

$(VENV)/.run-installed: $(VENV)/.created pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.dev-installed: $(VENV)/.created pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.run-installed

clean:
	rm -rf $(VENV)
