# Two commands do all set-up: `make run` (the dashboard) and `make test` (every test; as root it
# first installs the system packages the tests need, see .ci/prerequisites).
# `make check` is the quick loop for everyday work; `make lint` the static checks alone.
PYTHON ?= python3.11
VENV ?= .venv
PORT ?= 8501
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test check lint format audit bench clean prerequisites

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) not found: install Python 3.11 or run make PYTHON=python3"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

run: $(STAMP)
	$(PY) cli.py init
	@echo "Full Circle is starting at http://127.0.0.1:$(PORT)"
	$(PY) -m streamlit run app.py --server.address 127.0.0.1 --server.port $(PORT) \
		--server.headless true --browser.gatherUsageStats false

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

format: $(STAMP)
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

prerequisites:
	bash .ci/prerequisites

test: prerequisites lint
	$(PY) -m pytest

check: lint
	$(PY) -m pytest -n 2 -m "not slow and not browser" -q

# Known vulnerabilities of every pinned package, from PyPI's advisory data. Fails closed:
# a package whose data cannot be fetched (no network, a mirror without the JSON API) is an
# error, not "no known vulnerabilities". pip-audit lives in its own venv, apart from the app's.
AUDIT_VENV ?= .venv-audit
audit:
	@test -x $(AUDIT_VENV)/bin/pip-audit || { $(PYTHON) -m venv $(AUDIT_VENV) && \
		$(AUDIT_VENV)/bin/python -m pip install --quiet pip-audit==2.10.1; }
	$(AUDIT_VENV)/bin/pip-audit --strict --disable-pip --no-deps -r requirements-dev.txt

bench: $(STAMP)
	$(PY) bench/accuracy.py

clean:
	rm -rf $(VENV) $(AUDIT_VENV) .pytest_cache .ruff_cache .mypy_cache
