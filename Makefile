# The two commands a new user meets first: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PG_URL ?= postgresql://postgres@127.0.0.1:5432/postgres
# Test processes per pass (pytest-xdist), 0: one. Three per pass halved the SQLite pass run alone, but with both
# passes side by side on two cores they overran PostgreSQL's connections and timing-bound tests, so one by default.
TEST_WORKERS ?= 0
XDIST  := $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --dist worksteal)

.PHONY: run test test-sqlite test-postgres lint bench install clean conformance conformance-deps

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Run the whole suite: nats-server, every service and the gateway (http://127.0.0.1:8000).
run: $(STAMP)
	$(BIN)/sds up

## Walk the main job once through the running suite (`make run` in another terminal), checked
## against its archetype; DATA_DIR is the data directory of that `sds up`.
.PHONY: demo
DATA_DIR ?= .sds
demo: $(STAMP)
	$(BIN)/sds demo --data-dir $(DATA_DIR)

## Run all tests: lint, then the suite on SQLite and on PostgreSQL (when it answers) side by side; each
## run's output is shown whole when it ends.
test: $(STAMP) conformance-deps lint
	@$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy

test-sqlite: $(STAMP)
	SDS_TEST_DATABASE=sqlite $(BIN)/pytest $(XDIST) --basetemp="$${TMPDIR:-/tmp}/sds-tests-sqlite"

test-postgres: $(STAMP)
	@if $(BIN)/python -m sds.cli.pgcheck "$(PG_URL)"; then \
		SDS_TEST_DATABASE=postgres SDS_TEST_POSTGRES_URL="$(PG_URL)" $(BIN)/pytest $(XDIST) -p no:cacheprovider \
			--basetemp="$${TMPDIR:-/tmp}/sds-tests-postgres"; \
	else echo "PostgreSQL does not answer at $(PG_URL): PostgreSQL run left out"; fi

## Conformance: newman (pinned in tests/conformance/package-lock.json) runs VNG's ZGW collection; see docs/conformance.md
CONFORMANCE_STAMP := tests/conformance/node_modules/.installed

$(CONFORMANCE_STAMP): tests/conformance/package-lock.json
	npm ci --prefix tests/conformance --no-audit --no-fund --loglevel=error
	touch $(CONFORMANCE_STAMP)

conformance-deps: $(CONFORMANCE_STAMP)

conformance: $(STAMP) conformance-deps
	$(BIN)/pytest tests/conformance -q

## Benchmarks (not part of the tests; results go to docs/benchmarks.md)
bench: $(STAMP)
	$(BIN)/python -m bench.event_path --db postgres
	$(BIN)/python -m bench.gateway_overhead
	$(BIN)/python -m bench.memory

clean:
	rm -rf $(VENV) .sds .pytest_cache .mypy_cache .ruff_cache
