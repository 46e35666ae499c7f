# Two commands do all set-up: `make run` starts the bot, `make test` runs the whole suite.
# Each creates the virtual environment in .venv and installs what it needs on first use.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: run test test-sqlite test-postgres lint format bench backup lock lock-check clean
PYTEST_ARGS ?=

run: $(VENV)/.run-installed
	$(BIN)/python -m bot

# The whole suite on SQLite, then on a throwaway PostgreSQL server it starts and stops itself
# (testing/pgserver.py; as root it runs the server as an unprivileged user). One engine alone:
# `make test-sqlite` or `make test-postgres`.
test: test-sqlite test-postgres

# Bytecode is written even where the environment says PYTHONDONTWRITEBYTECODE (Docker images
# and some CI set it): without its cache pytest rewrites every test module's asserts again in
# each worker (collection 12 s instead of 4.5 s), and every `python -m bot` the tests start (23
# in the SIGKILL test alone) compiles Steady again (0.15 s a start). The first run writes the
# cache; the second engine's run, and every later one, reads it.
TEST_ENV := env -u PYTHONDONTWRITEBYTECODE

test-sqlite: $(VENV)/.dev-installed
	$(TEST_ENV) -u STEADY_TEST_DATABASE_URL $(BIN)/python -m pytest $(PYTEST_ARGS)

# Four workers, not three: on PostgreSQL more of a test's time is waiting (elections, pacing
# between workers, the server), and a fourth keeps the two cores busy meanwhile.
test-postgres: $(VENV)/.dev-installed
	$(TEST_ENV) $(BIN)/python -m testing.pgserver run -- $(BIN)/python -m pytest -n 4 $(PYTEST_ARGS)

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/hadolint Dockerfile

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

# Dependencies exactly as locked (versions and hashes), then Steady itself without resolving
# anything again. The dev lock has setuptools: Steady builds without reaching the network.
$(VENV)/.run-installed: $(VENV)/.created pyproject.toml requirements.lock
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.dev-installed: $(VENV)/.created pyproject.toml requirements-dev.lock
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@ $(VENV)/.run-installed

# `make lock` refreshes the lock files from pyproject.toml, keeping the versions already locked
# where they still fit (`make lock UPGRADE=1` takes the newest). One universal lock serves every
# platform and Python; lock-check then proves a wheel exists for each one the README promises.
# uv lives in a scratch virtual environment of its own, only for this.
LOCK_VENV      ?= /var/tmp/steady-lock
UV_VERSION     := 0.13.8
LOCK_PYTHONS   := 3.11 3.12 3.13
LOCK_MACHINES  := x86_64 aarch64
UV_COMPILE      = $(LOCK_VENV)/bin/uv pip compile pyproject.toml --quiet --universal \
                  --python-version 3.11 --generate-hashes --custom-compile-command "make lock" \
                  $(if $(UPGRADE),--upgrade)

lock: $(LOCK_VENV)/.uv-$(UV_VERSION)
	$(UV_COMPILE) -o requirements.lock
	$(UV_COMPILE) --extra dev -o requirements-dev.lock
	$(MAKE) --no-print-directory lock-check

lock-check: $(LOCK_VENV)/.uv-$(UV_VERSION)
	@for py in $(LOCK_PYTHONS); do for machine in $(LOCK_MACHINES); do \
	  echo "lock-check: Python $$py on Linux $$machine"; \
	  $(LOCK_VENV)/bin/python -m pip download --quiet --no-deps --only-binary=:all: \
	    --implementation cp --python-version $$py \
	    $(foreach glibc,17 24 26 27 28 31 34 35 36,--platform manylinux_2_$(glibc)_$$machine) \
	    --platform manylinux2014_$$machine --require-hashes -r requirements-dev.lock \
	    -d $(LOCK_VENV)/wheels/$$py-$$machine || exit 1; \
	done; done

$(LOCK_VENV)/.uv-$(UV_VERSION):
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install --quiet "uv==$(UV_VERSION)"
	touch $@

clean:
	rm -rf $(VENV)
