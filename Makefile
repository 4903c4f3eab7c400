# Arrears. `make run` starts it with demo data; `make test` runs lint and every test.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 5000

.PHONY: help venv run test bench bench-views lint clean distclean

help:
	@echo "make run     demo data into var/arrears.db, then serve on http://127.0.0.1:$(PORT)"
	@echo "make test    lint, then every test (unit, SQLite, PostgreSQL, features, browser)"
	@echo "make bench   append (1, 4, 16 writers), rebuild, projection, verify and export -> bench/results/"
	@echo "make bench-views   the pages at 10k, 100k and 1M cases, and their plot"
	@echo "make lint    ruff check"
	@echo "make venv    .venv with Arrears and its test tools (again when pyproject.toml changes)"
	@echo "make clean   caches and build files; make distclean also removes .venv and var/"

venv: $(STAMP)

# Installed again whenever pyproject.toml is newer than the stamp.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

run: venv
	@bash scripts/ensure-pdf
	$(BIN)/arrears demo
	$(BIN)/arrears serve --host 127.0.0.1 --port $(PORT)

# The PostgreSQL tests use this server unless ARREARS_TEST_POSTGRES_URL says otherwise.
test: export ARREARS_TEST_POSTGRES_URL ?= postgresql://postgres@127.0.0.1:5432/test
test: venv
	@bash scripts/ensure-browser
	@bash scripts/ensure-pdf
	@bash scripts/ensure-postgres
	$(BIN)/ruff check .
	$(BIN)/pytest $(PYTEST_ARGS)

# The figures quoted in README.md, Performance. Each run writes bench/results/NAME.{json,txt}.
# PYTHONHASHSEED is fixed because replay time depends on it (README, Performance).
bench: export PYTHONHASHSEED ?= 0
bench: venv
	$(BIN)/python bench/append.py --events 5000 --cases 100 --seed 1 --repeat 3
	$(BIN)/python -O bench/append.py --events 5000 --cases 100 --seed 1 --repeat 3 \
		--out bench/results/append-optimized.json
	for n in 1 4 16; do $(BIN)/python bench/append.py --writers $$n --commands 8000 \
		--cases 800 --seed 1 || exit 1; done
	if [ -n "$$ARREARS_TEST_POSTGRES_URL" ]; then for n in 1 4 16; do \
		$(BIN)/python bench/append.py --writers $$n --commands 8000 --cases 800 --seed 1 \
		--database postgres || exit 1; done; fi
	$(BIN)/python bench/rebuild.py --events 1000 --runs 21 --seed 1
	$(BIN)/python -O bench/rebuild.py --events 1000 --runs 21 --seed 1 \
		--out bench/results/rebuild-optimized.json
	$(BIN)/python bench/rebuild.py --events 1000 --runs 21 --seed 1 --mix contact \
		--out bench/results/rebuild-contact.json
	$(BIN)/python -O bench/rebuild.py --events 1000 --runs 21 --seed 1 --mix contact \
		--out bench/results/rebuild-contact-optimized.json
	$(BIN)/python -m bench.projection --events 1000000 --interleaved
	$(BIN)/python -m bench.projection --events 100000 --interleaved
	$(BIN)/python -m bench.verify --events 200000
	$(BIN)/python -m bench.verify --events 1000000 --name verify-1m

# The pages' cost curve (README, Projections and pages); the data sets are built the first
# time (var/bench-views/, slow), then reused.
bench-views: venv
	$(BIN)/python -m bench.views --cases 10000
	$(BIN)/python -m bench.views --cases 100000
	$(BIN)/python -m bench.views --cases 1000000
	$(BIN)/python -m bench.plot_views

lint: venv
	$(BIN)/ruff check .

clean:
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
	rm -rf .pytest_cache .ruff_cache .hypothesis build *.egg-info var/bench

# Also the virtualenv and var/, which holds the demo database (and any events you stored).
distclean: clean
	rm -rf $(VENV) var
