#!/usr/bin/env bash
# Build the collection tarball into build/ and install it (no dependencies,
# offline) into build/collections: what ships, as the linters and
# ansible-builder see it. Prints the tarball's path (relative to the checkout
# when it is inside it, as scripts/galaxy-importer.sh expects).
#   scripts/build-collection.sh [DIR]   DIR instead of build/ (the benchmark
#                                       uses a temporary one)
set -euo pipefail
if [ $# -gt 0 ]; then
  mkdir -p "$1"
  out=$(cd "$1" && pwd)
fi
cd "$(dirname "$0")/.."
out=${out:-$PWD/build}
mkdir -p "$out"
rm -rf "$out/collections"
rm -f "$out"/webstack-nginx_uwsgi-*.tar.gz "$out/webstack-nginx_uwsgi.tar.gz"
ansible-galaxy collection build --output-path "$out" . >/dev/null
tarball=$(ls "$out"/webstack-nginx_uwsgi-*.tar.gz)
# Only $out/collections is searched, or the .cache/collections link to the
# checkout would make it "already installed".
ANSIBLE_COLLECTIONS_PATH=$out/collections \
  ansible-galaxy collection install --offline --no-deps --force -p "$out/collections" "$tarball" >/dev/null
# The same, under a name without the version, for execution-environment.yml.
cp "$tarball" "$out/webstack-nginx_uwsgi.tar.gz"
echo "${tarball#"$PWD"/}"
