# timeline — the two commands: `make serve` and `make test`. Both set everything up first.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
UV_VERSION := 0.13.9
UV := .uv/bin/uv
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# The GraphQL suites make test runs a second time on graphql-core's executor alone
# (TIMELINE_EXECUTOR=reference), so the planned executor cannot drift from it (docs/api.md).
REFERENCE_SUITES := tests/api tests/security
export UV_PROJECT_ENVIRONMENT := $(VENV)

# The local Neo4j (graph/neo4j.sh): its data lives in .neo4j/ in this checkout.
export NEO4J_HOME_DIR ?= $(CURDIR)/.neo4j
export NEO4J_PASSWORD ?= timeline-dev
export NEO4J_URI ?= bolt://127.0.0.1:7687

.PHONY: help install assets browser nginx lighthouse serve serve-neo4j test lint format pytest ingest-eval neo4j neo4j-stop neo4j-status fuzz bench bench-quick bench-peer bench-stop soak soak-uncached soak-quick soak-stop clean
ASSETS := src/timeline/api/static/vendor/.built-stamp

help: ## List the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

$(UV):
	$(PYTHON) -m venv .uv
	.uv/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(STAMP): $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --all-extras --python $(PYTHON)
	@touch $@

install: $(STAMP) ## Create .venv and install the project from the lock file

# Front-end packages from npm, pinned by package-lock.json, copied into the package's static files.
$(ASSETS): src/timeline/api/frontend/package.json src/timeline/api/frontend/package-lock.json src/timeline/api/frontend/build.sh
	src/timeline/api/frontend/build.sh
	@touch $@

assets: $(ASSETS) ## Cytoscape and GraphiQL for the pages (and TimelineJS for the browser tests), from npm

browser: ## Debian's Chromium for the browser tests (installs it with apt if missing)
	@command -v chromium >/dev/null 2>&1 || { \
	  [ "$$(id -u)" = 0 ] || { echo "chromium is missing: run 'sudo apt-get install chromium'" >&2; exit 1; }; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

nginx: ## Debian's nginx for the replica tests (installs it with apt if missing)
	@command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || { \
	  [ "$$(id -u)" = 0 ] || { echo "nginx is missing: run 'sudo apt-get install nginx-light'" >&2; exit 1; }; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light; }

serve: install assets ## Serve the embedded (memory) backend on http://127.0.0.1:8000
	$(BIN)/timeline serve

serve-neo4j: install assets neo4j ## Load the seeds into the local Neo4j and serve it
	$(BIN)/timeline migrate
	$(BIN)/timeline load seeds
	TIMELINE_BACKEND=neo4j $(BIN)/timeline serve

ingest-eval: install ## Ingest's leave-one-document-out precision and recall over the five texts (docs/ingest.md)
	$(BIN)/timeline ingest-eval

lint: install ## ruff and mypy
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

format: install ## Format the code
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

pytest: install ## The test suite only, against whatever Neo4j is running
	$(BIN)/pytest

test: install assets browser nginx ## Everything: lint, seeds, then the whole suite on both backends, in a browser too (starts Neo4j)
	$(MAKE) lint
	$(BIN)/timeline validate seeds
	$(MAKE) neo4j
	status=0; TIMELINE_REQUIRE_NEO4J=1 TIMELINE_REQUIRE_BROWSER=1 TIMELINE_REQUIRE_NODE=1 TIMELINE_REQUIRE_NGINX=1 $(BIN)/pytest || status=$$?; \
	  TIMELINE_EXECUTOR=reference TIMELINE_REQUIRE_NEO4J=1 $(BIN)/pytest $(REFERENCE_SUITES) || status=$$?; \
	  $(MAKE) neo4j-stop; exit $$status

lighthouse: install assets browser ## Lighthouse 12.2.3 (mobile) on the embed, explorer home and entity: performance >= 95, accessibility 100
	$(BIN)/python -m tests.browser.lighthouse

neo4j: ## Build and start the local Neo4j (Community 5.26) and wait until Bolt answers
	graph/neo4j.sh start

neo4j-stop: ## Stop the local Neo4j
	graph/neo4j.sh stop

neo4j-status: ## Is the local Neo4j running and answering?
	graph/neo4j.sh status

fuzz: install ## A long fuzzing run of the GraphQL API (hypothesis-graphql; TIMELINE_FUZZ_EXAMPLES, default 20000)
	TIMELINE_FUZZ_EXAMPLES=$${TIMELINE_FUZZ_EXAMPLES:-20000} $(BIN)/pytest -q tests/security/test_fuzz.py -k memory

# Benchmarks (docs/benchmarks.md): timeline vs @neo4j/graphql vs raw Cypher, on a Neo4j of their
# own (port 7690) so they never touch the test database.
BENCH_NEO4J := NEO4J_HOME_DIR=$(CURDIR)/.neo4j-bench NEO4J_BOLT_PORT=7690 NEO4J_HEAP=6g NEO4J_PAGECACHE=4g
BENCH := NEO4J_URI=bolt://127.0.0.1:7690 $(BIN)/python -m benchmarks.run
# Rounds per level and seconds per round of the full run (`make bench BENCH_ROUNDS=1` is quicker).
BENCH_ROUNDS ?= 3
BENCH_DURATION ?= 5
PEER_DEPS := graph/bench/peer/node_modules/.package-lock.json

$(PEER_DEPS): graph/bench/peer/package-lock.json
	npm ci --prefix graph/bench/peer --no-audit --no-fund

bench-peer: $(PEER_DEPS) ## Serve the @neo4j/graphql peer on http://127.0.0.1:4001/graphql (NEO4J_URI)
	NODE_ENV=production node graph/bench/peer/server.mjs

bench-quick: install assets $(PEER_DEPS) ## Benchmark on 10k events, a few minutes (after hot-path changes)
	$(BENCH_NEO4J) graph/neo4j.sh start
	$(BENCH) --sizes 10k --duration 3 --max-requests 1000 --out .bench/benchmarks-quick.md --img .bench/benchmarks-quick.png

bench: install assets $(PEER_DEPS) ## The full comparison at 10k, 100k and 1M events -> docs/benchmarks.md
	$(BENCH_NEO4J) graph/neo4j.sh start
	$(BENCH) --sizes 10k,100k,1M --rounds $(BENCH_ROUNDS) --duration $(BENCH_DURATION) --profile

bench-stop: ## Stop the benchmarks' Neo4j
	$(BENCH_NEO4J) graph/neo4j.sh stop

# Soak test (docs/benchmarks.md): a fixed-rate mixed load on timeline serve --backend neo4j, with
# a Neo4j of its own (port 7691).
SOAK_NEO4J := NEO4J_HOME_DIR=$(CURDIR)/.neo4j-soak NEO4J_BOLT_PORT=7691

soak: install assets ## 10-minute soak: 0 errors, p50/p99, resident memory growth < 10%
	$(BIN)/python -m benchmarks.soak --duration 600 --out .bench/soak.json

soak-uncached: install assets ## Issue 14's soak: no response cache, 2 workers, 10 min at half the mix's measured capacity
	$(BIN)/python -m benchmarks.soak --duration 600 --no-response-cache --workers 2 --half-capacity --max-in-flight 8 --out .bench/soak-uncached.json

soak-quick: install assets ## The soak, one minute
	$(BIN)/python -m benchmarks.soak --duration 60 --out .bench/soak-quick.json

soak-stop: ## Stop the soak's Neo4j
	$(SOAK_NEO4J) graph/neo4j.sh stop

clean: ## Remove the environment and build output (keeps .neo4j data)
	rm -rf $(VENV) .uv .pytest_cache .mypy_cache .ruff_cache graph/launcher/target \
	  src/timeline/api/frontend/node_modules src/timeline/api/static/vendor tests/browser/vendor
