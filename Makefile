# The two commands a new user meets first: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PG_URL ?= postgresql://postgres@127.0.0.1:5432/postgres

.PHONY: run test test-sqlite test-postgres lint bench install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Run the whole suite: nats-server, every service and the gateway (http://127.0.0.1:8000).
run: $(STAMP)
	$(BIN)/sds up

## Run all tests: lint, then the suite on SQLite, then on PostgreSQL when it answers.
test: $(STAMP) lint test-sqlite test-postgres

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy

test-sqlite: $(STAMP)
	SDS_TEST_DATABASE=sqlite $(BIN)/pytest

test-postgres: $(STAMP)
	@if $(BIN)/python -m sds.cli.pgcheck "$(PG_URL)"; then \
		SDS_TEST_DATABASE=postgres SDS_TEST_POSTGRES_URL="$(PG_URL)" $(BIN)/pytest; \
	else echo "PostgreSQL does not answer at $(PG_URL): PostgreSQL run left out"; fi

## Benchmarks (not part of the tests; results go to docs/benchmarks.md)
bench: $(STAMP)
	$(BIN)/python -m bench.event_path --db postgres
	$(BIN)/python -m bench.gateway_overhead
	$(BIN)/python -m bench.memory

clean:
	rm -rf $(VENV) .sds .pytest_cache .mypy_cache .ruff_cache
