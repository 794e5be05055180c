# Two commands do everything on a fresh machine: `make docs` and `make test`.
# The virtual environment is made from pyproject.toml on first use and
# re-made only when pyproject.toml changes.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
AS_OF ?=
ARGS ?=
# The journal of outgoing numbers (state/journal.sqlite): `make docs` and `make collections` issue
# their numbered letters through it. `make clean` never touches it; back it up, never delete it.
STATE ?= state

.DEFAULT_GOAL := help
.PHONY: help setup docs test check lint validate figures libreoffice clean fuzz
.PHONY: check-templates reference golden bench unoserver postgresql
.PHONY: collections typecheck wheel-check

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

setup: $(STAMP) ## create .venv and install the dependencies (automatic in other targets)

libreoffice: ## install LibreOffice and fonts from Debian when root and missing; otherwise say what to install
	@sh tools/ensure-libreoffice.sh

postgresql: ## install Debian's PostgreSQL server when root and missing (the shared-journal tests start their own)
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
		apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends postgresql >/dev/null; } || \
		echo "PostgreSQL is missing: sudo apt-get install postgresql (the shared-journal tests will be skipped)" >&2

unoserver: libreoffice ## .venv-uno: Debian's Python (it has uno) with unoserver, for the unoserver tests and the bench
	@sh tools/ensure-unoserver.sh

# A ст. 395 calculation over a key rate the Bank of Russia has not confirmed is refused. `make docs` and
# `make collections` first try to confirm the table (`pipeline rates update`, which needs the internet);
# offline they go on with --allow-unconfirmed-rates, and every letter so made names the unconfirmed rates.
RATES = @$(PY) -m pipeline rates update >/dev/null 2>&1 || echo "ставки Банка России не обновлены (нет связи): письма назовут неподтверждённые ставки" >&2

docs: $(STAMP) libreoffice ## build every document due for every case in cases/ into out/, numbered letters through the journal in state/ (AS_OF=YYYY-MM-DD to fix the date)
	$(RATES)
	@$(PY) -m pipeline build cases --state $(STATE) --allow-unconfirmed-rates $(if $(AS_OF),--as-of $(AS_OF)) $(ARGS)

collections: $(STAMP) libreoffice ## run the monthly collections batch for today on cases/ (journal in state/, output in out/batches/)
	$(RATES)
	@$(PY) -m pipeline batch cases --state $(STATE) --allow-unconfirmed-rates $(if $(AS_OF),--as-of $(AS_OF)) $(ARGS)

validate: $(STAMP) ## check shop.yaml and every case in cases/, write nothing
	@$(PY) -m pipeline validate cases $(ARGS)

figures: $(STAMP) ## print the computed figures of every case in cases/
	@for f in cases/*.yaml; do $(PY) -m pipeline figures $$f $(if $(AS_OF),--as-of $(AS_OF)) || exit $$?; echo; done

check-templates: $(STAMP) ## check the Word templates: tags, variables, a render of every example case
	@$(PY) -m pipeline check-templates $(ARGS)

reference: $(STAMP) ## rewrite docs/template-variables.md (pipeline/wording/variables.py) and docs/case-format.md (the JSON Schemas)
	@$(PY) -m pipeline check-templates --write-reference

golden: $(STAMP) ## rewrite tests/golden/*.txt from the templates, after a person has read the diff
	@$(PY) -m pytest tests/test_golden.py --update-golden -q

test: $(STAMP) unoserver postgresql ## run the whole test suite (LibreOffice, unoserver and PostgreSQL for the real tests)
	@$(PY) -m pytest

fuzz: $(STAMP) ## hostile-input fuzzing: FUZZ_EXAMPLES (default 10000) generated files of each kind
	@FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-10000} $(PY) -m pytest tests/test_fuzz.py -p no:cacheprovider

lint: $(STAMP) ## ruff: lint and formatting
	@$(PY) -m ruff check pipeline tests tools
	@$(PY) -m ruff format --check pipeline tests tools

typecheck: $(STAMP) ## mypy, strict, on the package
	@$(PY) -m mypy

check: lint typecheck test ## lint, type check, then the tests (what CI runs)

wheel-check: $(STAMP) ## build a wheel, install it into a fresh venv and build the examples from another folder
	@bash tools/check_wheel.sh

bench: $(STAMP) libreoffice unoserver ## build speed against the LibreOffice floor (200 cases); documents per hour, local and on unoserver
	@$(PY) tools/bench.py $(ARGS)

clean: ## remove generated output (out/), keep .venv, .venv-uno and the journal (state/: the numbers issued)
	rm -rf out build .pytest_cache
