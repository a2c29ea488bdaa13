# The two commands of the README:
#   make run    set up (once) and start the explorer on the bundled data (PORT=8000, HOST=127.0.0.1)
#   make test   set up (once) and run every check and test
VENV ?= .venv
PYTHON ?= python3
BIN = $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
# Debian packages: Graphviz, a CJK font and pango (WeasyPrint prints the booklet with it) for the exports;
# Chromium (the browser tests), poppler (pdftotext), OCR (tesseract, reading the slides) and LibreOffice
# Impress (rendering the decks) for the tests.
RUN_PACKAGES = graphviz fonts-noto-cjk fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0
TEST_PACKAGES = $(RUN_PACKAGES) chromium poppler-utils tesseract-ocr tesseract-ocr-chi-sim libreoffice-impress
SUDO = $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup run test validate bench clean system-run system-test install-check

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# apt-get only what is missing (nothing to do on a machine that has them)
define apt_install
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends $$missing; \
	fi
endef

system-run:
	$(call apt_install,$(RUN_PACKAGES))

system-test:
	$(call apt_install,$(TEST_PACKAGES))

run: setup system-run
	$(BIN)/kg stats
	$(BIN)/kg serve --host $(HOST) --port $(PORT)

validate: setup
	$(BIN)/kg validate

test: setup system-test
	$(BIN)/kg validate
	KG_REQUIRE_SYSTEM=1 $(BIN)/python -m pytest
	$(MAKE) --no-print-directory install-check

# The project as a user installs it: build the wheel, install it into a fresh virtualenv in a temporary
# folder, and run kg stats, dump, validate, export and a short serve from an empty folder (tests/support/install_check.py).
install-check: system-run
	$(PYTHON) tests/support/install_check.py

bench: setup system-run
	for f in bench/run.py bench/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache

# Scale benchmarks on synthetic SKOS graphs (bench/README.md); not part of `make test`.
# Several minutes at 1M triples; SCALE_SIZES=10k,100k for a quick run, SCALE_ARGS for more options.
SCALE_SIZES ?= 10k,100k,1m
SCALE_ARGS ?=
.PHONY: bench-scale
bench-scale: setup system-run
	$(BIN)/python -m pip install --quiet 'oxigraph==0.5.13'
	$(BIN)/python bench/scale.py --sizes $(SCALE_SIZES) $(SCALE_ARGS)
