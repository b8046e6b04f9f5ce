#!/usr/bin/env bash
# Import the built collection with galaxy-importer, as Galaxy would, offline,
# and fail on any WARNING or ERROR it prints (missing role metadata, ansible-lint
# findings, a bad galaxy.yml, ...). Run by `make lint`, which puts the project's
# .venv first on PATH: the importer runs the ansible-doc and ansible-lint found
# there, with the collections of the `ansible` package (community.crypto).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
venv=${GALAXY_IMPORTER_VENV:-$root/.cache/venvs/galaxy-importer}

tarball=$(scripts/build-collection.sh)
work=$root/build/galaxy-importer
rm -rf "$work"
mkdir -p "$work/tmp" "$work/ansible"

version=$(sed -n 's/^version: *//p' galaxy.yml | tr -d "\"'")
# Galaxy's own comparison (semantic_version): 1.0.0-rc1 is not 1.0.0 or more.
v1=$("$venv/bin/python" -c 'import sys, semantic_version as s; print(s.Version(sys.argv[1]) >= s.Version("1.0.0"))' "$version")

export GALAXY_IMPORTER_CONFIG=$root/.config/galaxy-importer.cfg
export GALAXY_IMPORTER_REQUIRE_V1_OR_GREATER=$v1
export GALAXY_IMPORTER_ANSIBLE_LOCAL_TMP=$work/ansible
export GALAXY_IMPORTER_TMP_ROOT_DIR=$work/tmp
echo ">> galaxy-importer $tarball (version $version, require_v1_or_greater=$v1)"
# The importer writes importer_result.json into the current directory.
rc=0
(cd "$work" && "$venv/bin/python" -m galaxy_importer.main "$root/$tarball") >"$work/output.txt" 2>&1 || rc=$?
cat "$work/output.txt"
if [ "$rc" -ne 0 ]; then
  echo "galaxy-importer failed (exit $rc)" >&2
  exit 1
fi
if grep -qE '^(WARNING|ERROR|CRITICAL)' "$work/output.txt"; then
  echo "galaxy-importer reported problems (lines starting with WARNING or ERROR above)" >&2
  exit 1
fi
