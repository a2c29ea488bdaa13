# The two commands of the README:
#   make run    set up (once) and start the explorer on the bundled data
#   make test   set up (once) and run every check and test
VENV ?= .venv
PYTHON ?= python3
BIN = $(VENV)/bin

.PHONY: setup run test validate bench clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

run: setup
	$(BIN)/kg stats
	$(BIN)/kg serve

validate: setup
	$(BIN)/kg validate

test: setup
	$(BIN)/kg validate
	$(BIN)/python -m pytest

bench: setup
	for f in bench/*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache
