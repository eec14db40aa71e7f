# Set-up is part of each target: on a fresh machine `make serve` or `make test` installs what it needs.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: serve test test-fast system-deps bench plotly-bundle

$(VENV)/.stamp-app: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.stamp-test: requirements-test.txt $(VENV)/.stamp-app
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-test.txt
	touch $@

# Debian's Chromium and CJK fonts for the browser tests and image exports (no browser download);
# nginx for the deployment test and benchmarks (deploy/, docs/deployment.md; not started as a service).
system-deps:
	@if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -q "Noto Sans CJK" \
	    || { ! command -v nginx >/dev/null && ! test -x /usr/sbin/nginx; }; then \
	  echo "installing chromium, fonts and nginx (apt)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-noto-cjk fonts-noto-color-emoji nginx >/dev/null; \
	fi

serve: $(VENV)/.stamp-app
	$(VENV)/bin/streamlit run app.py --server.address 127.0.0.1 --server.port $(PORT)

test: $(VENV)/.stamp-test system-deps
	$(PY) -m pytest

test-fast: $(VENV)/.stamp-test
	$(PY) -m pytest -m "not browser"

bench: $(VENV)/.stamp-test system-deps
	$(PY) -m bench

# Rebuild static/plotly-perfeval.min.js (the app's own plotly.js, committed; perfeval/ui/plot.py) after
# changing the trace types in frontend/plotly/entry.js. Needs Node.js and the npm registry; the app,
# the tests and CI use the committed file and need neither.
plotly-bundle:
	cd frontend/plotly && npm ci --no-audit --no-fund && sh build.sh
