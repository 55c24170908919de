# taster: the two commands a newcomer needs are `make demo` and `make test`.
# Every target installs what it needs (Debian packages, the Python venv with the test servers,
# Swift packages), so both work on a fresh Debian machine.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
VENV := .venv
PYTHON := $(VENV)/bin/python
LINT_VENV := .venv-lint
APT_PACKAGES := pkg-config libmongoc-dev libbson-dev libcurl4-openssl-dev libyaml-dev libpq-dev
# Tests only: the headless browser that renders the verdict page; for the reliability campaign,
# faketime (a signing clock 20 minutes off) and GNU time (a run's peak memory).
CHAOS_APT_PACKAGES := faketime time
# The Pushgateway and the Prometheus that scrapes it (metrics end to end); promtool (in
# prometheus) checks and unit-tests the alert rules.
METRICS_APT_PACKAGES := prometheus-pushgateway prometheus
# The local stack's PostgreSQL (run as an unprivileged user on 127.0.0.1; testenv/pgserver.py).
STACK_APT_PACKAGES := postgresql-15
TEST_APT_PACKAGES := chromium $(STACK_APT_PACKAGES) $(CHAOS_APT_PACKAGES) $(METRICS_APT_PACKAGES)
SWIFT_TEST_FLAGS ?=

.PHONY: bench help apt venv venv-lint build release test lint test-swift test-stack test-chaos test-soak test-shipping chaos soak image-check image-clean demo stack-up stack-down clean

help:
	@echo "make demo    set up, build, run taster end to end on a local stack of its own (one from make stack-up is left running)"
	@echo "make test    set up, build, and run every test against the local stack"
	@echo "make stack-up / stack-down   start or stop the local stack (testenv/.run/stack.env)"
	@echo "make chaos   the reliability campaign: faults, bad inputs and secrets through the binary (part of make test)"
	@echo "make soak    300 syncs under random faults through the release binary, judged against the data (30 in make test)"
	@echo "make test-shipping   render, validate and lint the Dockerfile, hooks/ and kustomize/ (part of make test)"
	@echo "make image-check     build the image with podman from a debootstrapped base and run it (no Docker needed)"

apt:
	@scripts/ensure-apt.sh $(APT_PACKAGES)

# The Python venv with the local stack's servers (SecantusDB, SeaweedFS, kubectl) and test clients,
# and testenv/ itself installed editable (testenv/pyproject.toml), so tests, the campaign, bench/
# and scripts/ import its modules (harness, stack, kubeemu, chaos, ...) without sys.path edits.
venv: $(VENV)/.installed
$(VENV)/.installed: testenv/requirements.txt testenv/pyproject.toml
	@python3 -c 'import venv, ensurepip' 2>/dev/null || scripts/ensure-apt.sh python3-venv
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --disable-pip-version-check -q -r testenv/requirements.txt -e ./testenv
	touch $@

# Linters and validators for the Dockerfile and manifests, in a venv of their own (their pins
# conflict with the stack's: see testenv/requirements-lint.txt).
venv-lint: $(LINT_VENV)/.installed
$(LINT_VENV)/.installed: testenv/requirements-lint.txt
	@python3 -c 'import venv, ensurepip' 2>/dev/null || scripts/ensure-apt.sh python3-venv
	python3 -m venv $(LINT_VENV)
	$(LINT_VENV)/bin/pip install --disable-pip-version-check -q -r testenv/requirements-lint.txt
	touch $@

build: apt
	swift build

release: apt
	swift build -c release --static-swift-stdlib

# What users apply first (fast, no build), then unit tests and tests against real servers: one
# stack for the whole run.
test: apt venv venv-lint
	@scripts/ensure-apt.sh $(TEST_APT_PACKAGES)
	$(MAKE) --no-print-directory test-shipping lint
	swift build --build-tests
	scripts/with-stack.sh $(MAKE) --no-print-directory test-swift test-stack test-chaos test-soak

# The code's format and the rules of .swift-format (swift-format ships with the toolchain).
lint:
	swift format lint --strict --recursive Package.swift Sources Tests

test-swift:
	swift test --skip-build $(SWIFT_TEST_FLAGS)

test-stack:
	$(PYTHON) -m pytest -q testenv/tests

# The reliability campaign (README, "Reliability") against a running stack: prints the figures
# table, fails when a case is wrong or a secret leaked.
test-chaos:
	$(PYTHON) testenv/chaos/campaign.py

# The short soak against a running stack (make test): 30 syncs of pre-taste, a change or none,
# post-taste, under random faults, with the binary the tests use (SOAK_SEED replays one).
SHORT_SOAK_SYNCS ?= 30
test-soak:
	$(PYTHON) testenv/chaos/soak.py --syncs $(SHORT_SOAK_SYNCS)

# The soak (README, "Reliability"): SOAK_SYNCS (300) syncs through the release binary on a stack of
# its own; SOAK_SEED replays one, SOAK_JOBS sets how many apps are soaked side by side (3).
soak: apt venv release
	@scripts/ensure-apt.sh $(STACK_APT_PACKAGES)
	TASTER_BINARY=$(CURDIR)/.build/release/taster scripts/with-stack.sh $(PYTHON) testenv/chaos/soak.py

# The campaign on a stack of its own, after a build.
chaos: apt venv build
	@scripts/ensure-apt.sh $(CHAOS_APT_PACKAGES) $(STACK_APT_PACKAGES)
	scripts/with-stack.sh $(MAKE) --no-print-directory test-chaos

# kubectl kustomize, kubernetes-validate, hadolint and checkov on the Dockerfile, hooks/ and
# kustomize/, and the invariants of the rendered hooks. The Role-vs-code test is a Swift test.
test-shipping: venv venv-lint
	@scripts/ensure-apt.sh prometheus
	KUBECTL=$(VENV)/bin/kubectl $(LINT_VENV)/bin/python -m pytest -q -p no:cacheprovider testenv/shipping

# The Dockerfile's runtime stage built with podman and run against the local stack.
image-check: apt venv
	@scripts/ensure-apt.sh $(STACK_APT_PACKAGES)
	scripts/image-check.sh

image-clean:
	rm -rf .image

# Benchmarks: taster side by side with the approach it replaces (bench/results/<date>.md).
bench: venv release
	@scripts/ensure-apt.sh time binutils $(STACK_APT_PACKAGES)
	TASTER_BINARY=$(CURDIR)/.build/release/taster scripts/with-stack.sh $(PYTHON) bench/run.py

# DB=postgres plays the same two rounds on PostgreSQL (DATABASE_URL instead of MONGODB_URI).
DB ?= mongo
demo: apt venv build
	@scripts/ensure-apt.sh $(STACK_APT_PACKAGES)
	DEMO_DB=$(DB) scripts/with-stack.sh scripts/demo.sh

stack-up: venv
	@scripts/ensure-apt.sh $(STACK_APT_PACKAGES)
	$(PYTHON) testenv/stack.py up

stack-down:
	$(PYTHON) testenv/stack.py down

clean: stack-down
	rm -rf .build testenv/.run
