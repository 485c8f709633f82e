# Every target creates .venv on its own when it is missing (or when pyproject.toml changed).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench bench-board balance fuzz clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[board,test,bench]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/command-game

# both cores: each test file runs whole, in order, on one of two workers (its module
# fixtures, such as the board's private PostgreSQL, are made once); JOBS=1 runs serially
JOBS ?= 2
test: $(STAMP)
	$(BIN)/python -m pytest -q -n $(JOBS) --dist loadfile --durations=25

lint: $(STAMP)
	$(BIN)/ruff check .

# The fuzz tests of `make test` with FUZZ times as many examples, freshly random; a crash
# is kept under tests/data/fuzz/ (see tests/fuzzing.py) to become a regression test.
FUZZ ?= 20
fuzz: $(STAMP)
	KAMTIBMAS_FUZZ=$(FUZZ) $(BIN)/python -m pytest -q tests/test_fuzz_*.py \
		--hypothesis-show-statistics

bench: $(STAMP)
	$(BIN)/python -m benchmarks

bench-board: $(STAMP)
	$(BIN)/python -m benchmarks board

# the heavy balance tournament: every policy, the whole campaign, ten seeds (see
# docs/simulation.md, "Tools"); exit 1 when a balance condition does not hold
BALANCE_SEEDS ?= 10
BALANCE_JOBS ?= 2
balance: $(STAMP)
	$(BIN)/command-game balance levels/0*.json --seeds $(BALANCE_SEEDS) --jobs $(BALANCE_JOBS)

clean:
	rm -rf $(VENV) build *.egg-info
