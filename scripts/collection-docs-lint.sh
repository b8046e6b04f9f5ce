#!/usr/bin/env bash
# antsibull-docs (from .cache/venvs/antsibull) on the built and installed
# collection (build/collections, what ships): the docs of every plugin and of
# every role entry point (meta/argument_specs.yml) must validate against
# antsibull-docs' schemas, render, and use valid markup whose references
# (O(), M(), P() ...) point at existing options and plugins of this collection
# and of the collections it depends on. `make lint` puts the project's .venv
# first on PATH: its ansible-doc (with community.crypto) is the one used.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
venv=${ANTSIBULL_VENV:-$root/.cache/venvs/antsibull}

scripts/build-collection.sh >/dev/null
cd build/collections/ansible_collections/webstack/nginx_uwsgi
ANSIBLE_COLLECTIONS_PATH=$root/build/collections "$venv/bin/antsibull-docs" lint-collection-docs \
  --plugin-docs --validate-collection-refs dependent --disallow-unknown-collection-refs .
echo "antsibull-docs: no problem in the plugin and role docs"
