#!/usr/bin/env bash
# Build the collection tarball into build/ and install it (no dependencies,
# offline) into build/collections: what ships, as the linters and
# ansible-builder see it. Prints the tarball's path.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf build/collections
rm -f build/webstack-nginx_uwsgi-*.tar.gz build/webstack-nginx_uwsgi.tar.gz
mkdir -p build
ansible-galaxy collection build --output-path build . >/dev/null
tarball=$(ls build/webstack-nginx_uwsgi-*.tar.gz)
# Only build/collections is searched, or the .cache/collections link to the
# checkout would make it "already installed".
ANSIBLE_COLLECTIONS_PATH=$PWD/build/collections \
  ansible-galaxy collection install --offline --no-deps --force -p build/collections "$tarball" >/dev/null
# The same, under a name without the version, for execution-environment.yml.
cp "$tarball" build/webstack-nginx_uwsgi.tar.gz
echo "$tarball"
