# timeline — the two commands: `make serve` and `make test`. Both set everything up first.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
UV_VERSION := 0.13.9
UV := .uv/bin/uv
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export UV_PROJECT_ENVIRONMENT := $(VENV)

# The local Neo4j (graph/neo4j.sh): its data lives in .neo4j/ in this checkout.
export NEO4J_HOME_DIR ?= $(CURDIR)/.neo4j
export NEO4J_PASSWORD ?= timeline-dev
export NEO4J_URI ?= bolt://127.0.0.1:7687

.PHONY: help install serve serve-neo4j test lint format pytest neo4j neo4j-stop neo4j-status clean

help: ## List the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

$(UV):
	$(PYTHON) -m venv .uv
	.uv/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(STAMP): $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --all-extras --python $(PYTHON)
	@touch $@

install: $(STAMP) ## Create .venv and install the project from the lock file

serve: install ## Serve the embedded (memory) backend on http://127.0.0.1:8000
	$(BIN)/timeline serve

serve-neo4j: install neo4j ## Load the seeds into the local Neo4j and serve it
	$(BIN)/timeline migrate
	$(BIN)/timeline load seeds
	TIMELINE_BACKEND=neo4j $(BIN)/timeline serve

lint: install ## ruff and mypy
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy

format: install ## Format the code
	$(BIN)/ruff format src tests
	$(BIN)/ruff check --fix src tests

pytest: install ## The test suite only, against whatever Neo4j is running
	$(BIN)/pytest

test: install ## Everything: lint, seeds, then the whole suite on both backends (starts Neo4j)
	$(MAKE) lint
	$(BIN)/timeline validate seeds
	$(MAKE) neo4j
	status=0; TIMELINE_REQUIRE_NEO4J=1 $(BIN)/pytest || status=$$?; \
	  $(MAKE) neo4j-stop; exit $$status

neo4j: ## Build and start the local Neo4j (Community 5.26) and wait until Bolt answers
	graph/neo4j.sh start

neo4j-stop: ## Stop the local Neo4j
	graph/neo4j.sh stop

neo4j-status: ## Is the local Neo4j running and answering?
	graph/neo4j.sh status

clean: ## Remove the environment and build output (keeps .neo4j data)
	rm -rf $(VENV) .uv .pytest_cache .mypy_cache .ruff_cache graph/launcher/target
