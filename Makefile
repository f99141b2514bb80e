# Set-up and everyday commands. Only Python 3.11+, pip and make are needed; everything else
# is installed into .venv from the package registry.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: eksempel test egenskaber-stor benchmark clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,durable]'
	touch $(STAMP)

## Vurdér den medfølgende eksempelsag (Agervang, listen pr. 1. december 2014).
eksempel: $(STAMP)
	$(BIN)/lbf-rules check cases/reelle/agervang-2014.yaml

## Hele testsuiten: pytest, lint af reglerne og alle sager med juridisk dækning (grænse 100 %).
test: $(STAMP)
	$(BIN)/python -m pytest
	$(BIN)/lbf-rules lint
	$(BIN)/lbf-rules test --coverage --threshold 100
	$(BIN)/python benchmarks/run.py --klein

## Egenskabstestene med 5.000 eksempler hver og tilfældige frø (CI kører et fast, mindre sæt).
egenskaber-stor: $(STAMP)
	LBF_HYPOTHESIS=stor $(BIN)/python -m pytest tests/test_properties.py -q

## Benchmarks (fulde størrelser, ca. 5 minutter): udskriver en tabel; se docs/ydelse.md.
benchmark: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
