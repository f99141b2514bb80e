# Set-up and everyday commands. Only Python 3.11+, pip and make are needed; everything else
# is installed into .venv from the package registry.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: eksempel test site browser egenskaber-stor benchmark clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,durable,serve]'
	touch $(STAMP)

## Vurdér den medfølgende eksempelsag (Agervang, listen pr. 1. december 2014).
eksempel: $(STAMP)
	$(BIN)/lbf-rules check cases/reelle/agervang-2014.yaml

## Regelbogen (MkDocs) bygget strengt til site/.
site: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

## Browsertestene bruger browseren i LBF_BROWSER, ellers Debians chromium eller Google Chrome
## (tests/browser.py); findes ingen, installeres Debians chromium. Playwright henter ingen browser selv.
browser: $(STAMP)
	@$(BIN)/python -m tests.browser >/dev/null || { echo "Installerer Debians chromium til browsertestene"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	@command -v node >/dev/null || { echo "Installerer Debians nodejs til selvtjekkets JavaScript-tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs >/dev/null; }

## Hele testsuiten: sitet bygget strengt, ruff (lint og format) og mypy på lbf_rules/, pytest (også browsertests og
## selvtjekkets JavaScript under node), lint af reglerne og alle sager med juridisk dækning (100 %).
test: $(STAMP) browser site
	$(BIN)/ruff check lbf_rules
	$(BIN)/ruff format --check lbf_rules
	$(BIN)/mypy
	$(BIN)/python -m pytest
	$(BIN)/lbf-rules lint
	$(BIN)/lbf-rules test --coverage --threshold 100
	$(BIN)/python benchmarks/run.py --klein

## Egenskabstestene med 5.000 eksempler hver og tilfældige frø (CI kører et fast, mindre sæt).
egenskaber-stor: $(STAMP)
	LBF_HYPOTHESIS=stor $(BIN)/python -m pytest tests/test_properties.py -q

## Benchmarks (fulde størrelser, ca. 5 minutter): udskriver en tabel; se docs/ydelse.md.
benchmark: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,durable,serve,benchmark]'
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) build site test-artifacts *.egg-info .pytest_cache
