# Two targets a new user needs: `make serve` and `make test`. Both set up .venv on first use.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: serve test install browser

$(BIN)/minutes: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# torch==2.13.0 is pinned in pyproject.toml: the CPU build, never a CUDA one.
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/minutes

browser:
	@test -x /usr/bin/chromium || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

serve: install
	$(BIN)/minutes serve --port $(PORT)

test: install browser
	$(BIN)/pytest -q
