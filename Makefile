# Wegwijzer: everything a fresh machine needs is installed from here.
#
#   make run        install what is missing, train when stale, start the assistant
#   make test       install, train when stale, run every check and test
#   make test-fast  the tests that need no Rasa server, browser or PostgreSQL (~1 min)
#   make lint       ruff (lint and format) and mypy
#   make train      train the Rasa model (only when config, domain or data changed)
#   make bench      benchmarks (parse latency, training, memory, cold start, load and faults, ...)
#   make test-scale the production topology (PostgreSQL, Redis, two Rasa servers) and its faults
#   make audit      pip-audit on both locked environments (needs PyPI's vulnerability data)
#
# Two environments, both from lock files: the application (.venv, Python 3.12)
# and the Rasa server (nlu/.venv, Python 3.10, Rasa Open Source 3.6).

SHELL := /bin/bash
.DEFAULT_GOAL := help

UV_VERSION := 0.13.9
PYENV_ROOT ?= $(shell pyenv root 2>/dev/null || echo $(HOME)/.pyenv)
# The newest pyenv build of a minor version, else one on PATH.
find_python = $(or $(lastword $(sort $(wildcard $(PYENV_ROOT)/versions/$(1).*/bin/python$(1)))),$(shell command -v python$(1) 2>/dev/null))
PY310 := $(call find_python,3.10)
PY312 := $(call find_python,3.12)
BOOTSTRAP_PY := $(or $(shell command -v python3 2>/dev/null),$(PY312))

TOOLS := .tools
UV := $(TOOLS)/bin/uv
export UV_PYTHON_DOWNLOADS := never
export UV_LINK_MODE := copy
export PYTHONPATH := $(CURDIR)
export TF_CPP_MIN_LOG_LEVEL := 3

APP_PY := .venv/bin/python
RASA_PY := nlu/.venv/bin/python
SPACY_PIPELINE := build/spacy_nl
# The team's contract checker; a copy in nlu/contract/ when ../shared is absent.
CONTRACT_CHECK := $(firstword $(wildcard ../shared/tools/check_nlu_contract.py) nlu/contract/check_nlu_contract.py)

.PHONY: audit help install run train test test-fast test-scale lint bench bench-load eval eval-fresh check-python clean services review

help:
	@sed -n '3,10p' Makefile | sed 's/^# //'

check-python:
	@test -n "$(PY310)" || { echo "Python 3.10 niet gevonden (pyenv install 3.10)"; exit 1; }
	@test -n "$(PY312)" || { echo "Python 3.12 niet gevonden (pyenv install 3.12)"; exit 1; }

$(UV):
	$(BOOTSTRAP_PY) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet "uv==$(UV_VERSION)"

.venv/.synced: pyproject.toml uv.lock $(UV) | check-python
	$(UV) sync --frozen --python $(PY312) < /dev/null
	@# The de-identifier (deduce) builds its lookup cache once, here, not in the first message.
	PYTHONPATH=$(CURDIR) $(APP_PY) -c "from wegwijzer.privacy import warm_up; warm_up().join()" < /dev/null
	@touch $@

nlu/.venv/.synced: nlu/pyproject.toml nlu/uv.lock $(UV) | check-python
	cd nlu && ../$(UV) sync --frozen --python $(PY310) < /dev/null
	@touch $@

install: .venv/.synced nlu/.venv/.synced

# Real services for the tests, from Debian's packages: Chromium and ChromeDriver
# (the review page in a browser), PostgreSQL (the database at scale) and the
# DejaVu fonts (handover cards as PDF). The tests start and stop the
# services themselves, on 127.0.0.1 with throw-away data.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
services:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null \
	  && ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 && command -v redis-server >/dev/null \
	  && test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf || \
	  { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq \
	    --no-install-recommends chromium chromium-driver postgresql redis-server fonts-dejavu-core; }

# The Dutch spaCy pipeline: spacy.blank("nl"), lookup lemmas and an entity
# ruler generated from the place and organisation data.
$(SPACY_PIPELINE)/.built: nlu/build_pipeline.py wegwijzer/placenames.py $(wildcard wegwijzer/data/*) nlu/.venv/.synced
	$(RASA_PY) nlu/build_pipeline.py $(SPACY_PIPELINE) < /dev/null
	@touch $@

# Trains only when the hash of config, domain, data, pipeline and add-ons changed.
train: install $(SPACY_PIPELINE)/.built
	$(RASA_PY) nlu/train.py < /dev/null

run: train
	$(APP_PY) -m bot

# The staff review page alone (make run starts it too).
review: install
	$(APP_PY) -m review

eval: train
	PYTHONWARNINGS=ignore $(RASA_PY) nlu/evaluate.py

# The fresh held-out set, per language (measured once the training data is final).
eval-fresh: train
	$(APP_PY) tests/bench/fresh_eval.py

# Lint, format and types (configured in pyproject.toml; nlu/ruff.toml for the
# Rasa project).
lint: .venv/.synced
	$(APP_PY) -m ruff check .
	$(APP_PY) -m ruff format --check .
	$(APP_PY) -m mypy

# pytest exit code 5 (no tests collected) is not a failure.
FAST = not stack and not browser and not postgres and not scale

test-fast: .venv/.synced
	$(APP_PY) -m pytest -q -m "$(FAST)" < /dev/null; rc=$$?; [ $$rc -eq 0 ] || [ $$rc -eq 5 ]

test: lint train services
	$(RASA_PY) $(CONTRACT_CHECK) nlu/data --test tests/nlu/test_nlu.yml < /dev/null
	@# The fresh held-out sets stay out of the training data too (no near-copies).
	$(RASA_PY) $(CONTRACT_CHECK) nlu/data --test tests/nlu/fresh_nlu.yml < /dev/null
	$(RASA_PY) $(CONTRACT_CHECK) nlu/data --test tests/nlu/fresh_crisis.yml < /dev/null
	cd nlu && PYTHONWARNINGS=ignore .venv/bin/rasa data validate --domain domain --data data --config ../config.yml < /dev/null 2>&1 | grep -v -i "warning\|deprecat\|declare_namespace\|^\s" ; exit $${PIPESTATUS[0]}
	PYTHONWARNINGS=ignore $(RASA_PY) nlu/evaluate.py --check < /dev/null
	$(APP_PY) -m pytest -q < /dev/null; rc=$$?; [ $$rc -eq 0 ] || [ $$rc -eq 5 ]

# The production topology on this machine: PostgreSQL and Redis from Debian's
# packages, started by the tests on 127.0.0.1 with throw-away data; two Rasa
# servers, the action server and the bot (tests/scaleout/test_topology.py).
# `make test` runs these tests too.
test-scale: .venv/.synced train services
	$(APP_PY) -m pytest -q -m scale < /dev/null

# Benchmarks; BENCH_ARGS=--no-baseline skips training Rasa's default pipeline.
bench: train services
	$(APP_PY) tests/bench/places_bench.py
	$(RASA_PY) tests/bench/nlu_bench.py $(BENCH_ARGS)
	$(APP_PY) tests/bench/load_bench.py

# Load, soak (30 msg/s for 5 minutes) and faults, on SQLite + one Rasa server
# and on PostgreSQL + Redis + two Rasa servers (about 25 minutes; --quick: 10).
bench-load: train services
	$(APP_PY) tests/bench/load_bench.py $(LOAD_ARGS)

clean:
	rm -rf build models var .pytest_cache

# Known vulnerabilities in both locked environments (the app and the Rasa
# server), from PyPI's advisory data. --strict: a package that could not be
# checked fails the audit, so "no findings" is never claimed for it.
# Findings and their triage: README, "Audit of dependencies".
AUDIT_DIR := build/audit
audit: .venv/.synced
	@mkdir -p $(AUDIT_DIR)
	$(UV) export --frozen --no-hashes --no-emit-project --format requirements-txt -q -o $(AUDIT_DIR)/app.txt
	cd nlu && ../$(UV) export --frozen --no-hashes --no-emit-project --format requirements-txt -q -o ../$(AUDIT_DIR)/rasa.txt
	@rc=0; for env in app rasa; do echo "== pip-audit: $$env environment"; \
	  $(APP_PY) -m pip_audit -r $(AUDIT_DIR)/$$env.txt --no-deps --disable-pip --strict --progress-spinner off \
	    < /dev/null || rc=1; done; exit $$rc
