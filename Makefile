# The two commands of the README:
#   make serve  — create the environment if needed, then serve the site at http://127.0.0.1:8000/
#   make test   — create the environment if needed, then run every test (units, docs blocks, site)
# Other targets: build, pdf, bench, mutation, env, system-deps, clean.

VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed-stamp
NODE    := node_modules/.package-lock.json
PYTHON  ?= python3
ADDR    ?= 127.0.0.1:8000

export NO_MKDOCS_2_WARNING := 1
export MPLBACKEND := Agg

.PHONY: serve test build pdf bench mutation env system-deps clean

serve: env
	SITE_URL=http://$(ADDR)/ $(BIN)/mkdocs serve --dirty --dev-addr $(ADDR) --livereload

# One process. `pytest -n auto --dist loadgroup` (pytest-xdist; conftest.py groups the tests)
# ran in 21 min on 2026-12-05 with two browser-timing failures under the contention: not adopted.
test: env system-deps
	$(BIN)/python -m pytest

build: env
	$(BIN)/mkdocs build --strict

# The site, then the handbook and its 速答 sheet as PDFs in site/pdf/ (headless Chromium).
pdf: build system-deps
	$(BIN)/python scripts/pdf.py site

bench: env system-deps
	$(BIN)/python scripts/bench.py

# Test strength: the share of mutants of snippets/ the unit tests kill (slow; not in `make test`).
mutation: env $(VENV)/.mutation-stamp
	$(BIN)/python scripts/mutation.py $(ARGS)

$(VENV)/.mutation-stamp: requirements-mutation.txt $(STAMP)
	$(BIN)/python -m pip install --quiet -r requirements-mutation.txt
	touch $@

env: $(STAMP) $(NODE)

# The Python environment: every package pinned in requirements.txt (a full lock), then this
# project's snippets package in editable mode so pages, notebooks and tests import the same code.
$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

# KaTeX, at the version package-lock.json pins; the build serves it from the site itself.
$(NODE): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# Debian packages the browser tests need: Chromium and CJK fonts (for Chinese in screenshots).
system-deps:
	@bash scripts/system-deps.sh

clean:
	rm -rf site .cache bench-site
