# Two entry points do all the set-up (see README.md): `make demo` and `make test`.
# Each installs what it needs (virtualenv, Docker engine, local base images) and
# is safe to re-run. `make test SCENARIO=nginx` runs one Molecule scenario.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV        := .venv
BIN         := $(CURDIR)/$(VENV)/bin
PYTHON      ?= python3
COLL_LINK   := .cache/collections/ansible_collections/webstack/nginx_uwsgi
SCENARIOS   := $(sort $(notdir $(patsubst %/molecule.yml,%,$(wildcard molecule/*/molecule.yml))))
SCENARIO    ?= $(SCENARIOS)
# Molecule scenarios run MOLECULE_JOBS at a time, the longest first so that the
# streams end together (their containers, networks and subnets are their own).
MOLECULE_JOBS  ?= 2
MOLECULE_ORDER := fleet default failures uwsgi_app single site nginx keepalived
MOLECULE_RUN   := $(filter $(SCENARIO),$(MOLECULE_ORDER)) $(filter-out $(MOLECULE_ORDER),$(SCENARIO))
export PATH := $(BIN):$(PATH)
export ANSIBLE_COLLECTIONS_PATH := $(CURDIR)/.cache/collections
export ANSIBLE_NOCOLOR := 1
export PY_COLORS := 0

.PHONY: help setup venv docker images demo test checks lint sanity unit install-test molecule bench bench-scale clean docs

help:
	@echo "make demo   a fleet of 3 containers (lb1, app1, app2) converged by site.yml, then curl through lb1"
	@echo "make test   lint, lint under ansible-core 2.21, sanity, unit tests, install test and every Molecule scenario"
	@echo "            ($(SCENARIOS))"
	@echo "            make test SCENARIO=nginx runs one scenario after the static checks"
	@echo "make bench  figures: converge times (nginx role, one host, the fleet), req/s and latency against the seed and a"
	@echo "            hand-tuned stack, rollouts under load, the fleet over SSH for 1, 4 and 9 app hosts"
	@echo "            (BENCH_* settings: python3 -m scripts.bench --help)"
	@echo "make bench-scale  the controller's CPU, round trips and memory for lb1 and 50 app hosts over SSH against 1,"
	@echo "            and the estimate for 500 (16-28 minutes on the 2-core machine; BENCH_SCALE_HOSTS, BENCH_SCALE_BASE)"
	@echo "make docs   the collection's reference (roles, modules, filters) as HTML in build/docs/html"

$(VENV)/.installed: requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed $(COLL_LINK)

$(COLL_LINK):
	mkdir -p $(dir $@)
	ln -sfn ../../../.. $@

docker:
	scripts/ensure-docker.sh

images: docker
	scripts/build-images.sh

setup: venv images

# Tools whose pins conflict with the project's .venv get a virtualenv each,
# from .config/requirements-<tool>.txt, under .cache/venvs/ (git-ignored).
TOOLS := .cache/venvs
$(TOOLS)/%/.installed: .config/requirements-%.txt
	rm -rf $(TOOLS)/$*
	$(PYTHON) -m venv $(TOOLS)/$*
	$(TOOLS)/$*/bin/pip install --quiet --upgrade pip
	$(TOOLS)/$*/bin/pip install --quiet -r $<
	touch $@

# requirements-docs.txt includes requirements-antsibull.txt.
$(TOOLS)/docs/.installed: .config/requirements-antsibull.txt

# The reference site as Galaxy users read it (scripts/docs-site.sh), from the
# built collection; any Sphinx warning fails it. `make lint` builds it too and
# checks with tests/docs that every role, entry point, module, filter and
# action plugin of the tree has its page.
docs: venv $(TOOLS)/docs/.installed
	scripts/docs-site.sh

lint: venv $(TOOLS)/galaxy-importer/.installed $(TOOLS)/antsibull/.installed $(TOOLS)/ansible-builder/.installed \
      $(TOOLS)/docs/.installed
	yamllint --strict .
	ansible-lint --profile production
	scripts/galaxy-importer.sh
	scripts/collection-docs-lint.sh
	scripts/docs-site.sh
	pytest -q -p no:cacheprovider tests/docs
	scripts/changelog-check.sh
	scripts/ee-check.sh

.PHONY: controller-image lint-current
# webstack/controller:2.21: Debian 13 with ansible-core 2.21 and ansible 14
# (scripts/build-controller-image.sh), rebuilt only when its recipe changes.
controller-image: images
	scripts/build-controller-image.sh

# ansible --version, ansible-lint and ansible-test sanity under ansible-core 2.21,
# in that image (scripts/lint-current.sh).
lint-current: controller-image
	scripts/lint-current.sh

.PHONY: ee-context
# The build context of the execution environment in build/ee (see docs/awx.md,
# "Running from AWX / Automation Platform"), checked as in `make lint`.
ee-context: venv $(TOOLS)/ansible-builder/.installed
	scripts/ee-check.sh

sanity: venv
	scripts/ansible-test-sanity.sh

unit: venv
	pytest -q -p no:cacheprovider tests/unit

install-test: setup
	pytest -q -p no:cacheprovider tests/integration

molecule: setup controller-image
	$(MAKE) --no-print-directory -j$(MOLECULE_JOBS) --output-sync=target $(addprefix molecule-,$(MOLECULE_RUN))

molecule-%:
	@echo ">>> molecule test -s $*"
	molecule test -s $*

# The static checks two at a time (most are single-threaded, and the image
# builds wait on the network while a linter uses a core), each target's output
# printed whole when it ends; then the Molecule scenarios, two at a time.
checks: lint lint-current sanity unit install-test

test:
	$(MAKE) --no-print-directory -j2 --output-sync=target checks
	$(MAKE) --no-print-directory molecule

demo: setup
	scripts/demo.sh

bench: setup
	python3 -m scripts.bench

bench-scale: setup
	BENCH_SECTIONS=scale python3 -m scripts.bench

clean:
	-for s in $(SCENARIOS); do molecule destroy -s $$s; done
	-scripts/fleet.sh down webstack-demo
	rm -rf build .cache tests/output
