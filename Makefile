# Two commands do all set-up: `make run` (the dashboard) and `make test` (every test; as root it
# first installs the system packages the tests need, see .ci/prerequisites).
# `make check` is the quick loop for everyday work; `make lint` the static checks alone.
PYTHON ?= python3.11
VENV ?= .venv
PORT ?= 8501
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test check lint format bench clean prerequisites

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

bench: $(STAMP)
	$(PY) bench/accuracy.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
