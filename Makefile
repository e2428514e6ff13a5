# Two commands: `make site` builds the sample branch's site, `make test` runs the whole suite.
# Each creates .venv on first use; only Python 3.10+ is needed beforehand.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: site test serve check clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

site: $(STAMP)
	$(BIN)/dangjian build .

check: $(STAMP)
	$(BIN)/dangjian check .

serve: $(STAMP)
	$(BIN)/dangjian serve .

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest

clean:
	rm -rf site .pytest_cache
