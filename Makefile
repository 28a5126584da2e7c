# evidens — `make run` sets everything up and serves it; `make test` runs the tests.
# uv is bootstrapped from PyPI when missing; Chromium comes from Debian's packages.

SHELL := /bin/bash
UV ?= $(shell command -v uv 2>/dev/null || echo python3 -m uv)
RUN := $(UV) run --frozen
# Serving runs in an environment of its own without the dev tools: schemathesis brings rich,
# which changes how Datasette reports errors.
SERVE := UV_PROJECT_ENVIRONMENT=.venv-serve $(UV) run --frozen --no-dev
# uv reads the machine's certificate store, as pip and curl do (needed behind a TLS proxy).
export UV_SYSTEM_CERTS ?= 1
HOST ?= 127.0.0.1
API_PORT ?= 8000
DATASETTE_PORT ?= 8001

.PHONY: install browser axe office screenshots extract validate audit build run ports serve test lint bench soak clean

install: ## Python 3.11 environment (.python-version) with the locked dependencies
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install --quiet uv \
	  || python3 -m pip install --quiet --user uv || python3 -m pip install --quiet --user --break-system-packages uv
	$(UV) sync --frozen

browser: ## Debian's chromium for the real-browser tests (no browser downloads)
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -q && $$SUDO apt-get install -y -q chromium chromium-driver; }

axe: ## axe-core from the npm registry, for the accessibility checks (package-lock.json)
	@test -f node_modules/axe-core/axe.min.js || npm ci --no-audit --no-fund

office: ## Debian's LibreOffice Calc: the tests open the exports in it (headless)
	@command -v soffice >/dev/null 2>&1 || { \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -q && $$SUDO apt-get install -y -q --no-install-recommends libreoffice-calc; }

extract: install ## regenerate data/*.csv from the review's text and data/curation/
	$(RUN) evidence extract

validate: install ## check data/ against data/schema.yml
	$(RUN) evidence validate

audit: install ## the review's own inconsistencies
	$(RUN) evidence audit

build: install ## build/evidence.db from data/ (atomic)
	$(RUN) evidence build

run: ports build ## build, then serve the site and the API on localhost (it prints the URLs)
	EVIDENCE_PUBLIC_URL=$${EVIDENCE_PUBLIC_URL:-http://$(HOST):$(API_PORT)} \
	  $(SERVE) evidence serve --host $(HOST) --port $(API_PORT) --datasette-port $(DATASETTE_PORT)

ports: ## fail at once, with what to do, when a port `make run` serves on is taken
	@for pair in API_PORT=$(API_PORT) DATASETTE_PORT=$(DATASETTE_PORT); do \
	  var=$${pair%%=*}; port=$${pair#*=}; \
	  if (exec 3<>/dev/tcp/$(HOST)/$$port) 2>/dev/null; then \
	    echo "make run: port $$port on $(HOST) is already in use (another make run?)." \
	      "Stop it, or choose another port: make run $$var=$$((port + 10))" >&2; exit 1; fi; \
	done

test: install browser axe office ## the whole test suite, browser tests included
	$(RUN) pytest -q -n 2 --dist loadfile

lint: install ## ruff (lint and format) and mypy (types, on the package)
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) mypy

bench: build ## speed, scale and answer quality; writes bench/results.json
	$(RUN) python -m bench.run

soak: build ## bounded load with rebuilds under it, then hostile SQL (loopback; not in CI)
	$(RUN) python -m bench.soak
	$(RUN) python -m bench.hostile

screenshots: build browser ## docs/screenshots/*.png: each page type of the site, in Danish and English
	$(RUN) python -m bench.screenshots

clean:
	rm -rf build .pytest_cache bench/synthetic .venv-serve
