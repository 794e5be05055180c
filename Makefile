# Two commands do everything on a fresh machine: `make docs` and `make test`.
# The virtual environment is made from pyproject.toml on first use and
# re-made only when pyproject.toml changes.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
AS_OF ?=
ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help setup docs test check lint validate figures libreoffice clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

setup: $(STAMP) ## create .venv and install the dependencies (automatic in other targets)

libreoffice: ## install LibreOffice and fonts from Debian when root and missing; otherwise say what to install
	@sh tools/ensure-libreoffice.sh

docs: $(STAMP) libreoffice ## build every document due for every case in cases/ into out/ (AS_OF=YYYY-MM-DD to fix the date)
	@$(PY) -m pipeline build cases $(if $(AS_OF),--as-of $(AS_OF)) $(ARGS)

validate: $(STAMP) ## check shop.yaml and every case in cases/, write nothing
	@$(PY) -m pipeline validate cases $(ARGS)

figures: $(STAMP) ## print the computed figures of every case in cases/
	@for f in cases/*.yaml; do $(PY) -m pipeline figures $$f $(if $(AS_OF),--as-of $(AS_OF)) || exit $$?; echo; done

test: $(STAMP) ## run the whole test suite
	@$(PY) -m pytest

lint: $(STAMP) ## ruff: lint and formatting
	@$(PY) -m ruff check pipeline tests tools
	@$(PY) -m ruff format --check pipeline tests tools

check: lint test ## lint, then the tests (what CI runs)

clean: ## remove generated output (out/), keep .venv
	rm -rf out build .pytest_cache
