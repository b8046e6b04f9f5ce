#!/usr/bin/env bash
# Run `ansible-test sanity --venv` offline.
# ansible-test needs the collection under ansible_collections/<ns>/<name>, so the
# tracked files are copied to build/. Its pip bootstrap script is normally
# downloaded from a host CI cannot reach; a local stand-in that uses ensurepip
# and then pip itself is put in its cache first.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
# Outside the checkout: inside it, git would mark the copy as ignored.
work=${SANITY_WORKDIR:-/var/tmp/webstack-sanity}
dest=$work/ansible_collections/webstack/nginx_uwsgi

version=$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')
rm -rf "$work"
mkdir -p "$dest"
scripts/work-tree-tar.sh | tar -xf - -C "$dest"

# ansible-test's pip bootstrap, offline. The cache file name carries the pip
# version ansible-test pins, read from ansible-test itself.
cache=$HOME/.ansible/test/cache
mkdir -p "$cache"
pip_version=$(sed -n "s/^ *pip='\([0-9.]*\)',\{0,1\}$/\1/p" \
  "$root"/.venv/lib/python*/site-packages/ansible_test/_internal/python_requirements.py | head -n1)
[ -n "$pip_version" ] || { echo "cannot find the pip version ansible-test wants" >&2; exit 1; }
cat >"$cache/get_pip_${pip_version//./_}.py" <<'PY'
"""Offline stand-in for pip's get-pip.py: ensurepip, then pip installs the rest."""
import subprocess
import sys

args = [a for a in sys.argv[1:] if a not in ("--no-setuptools", "--no-wheel")]
subprocess.check_call([sys.executable, "-m", "ensurepip", "--upgrade"])
subprocess.check_call([sys.executable, "-m", "pip", "install", "--disable-pip-version-check"] + args)
PY

# ansible-test's shellcheck test needs the program (Debian package).
if ! command -v shellcheck >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq shellcheck >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq shellcheck >/dev/null; }
fi

cd "$dest"
"$root/.venv/bin/ansible-test" sanity --venv --python "$version" --color no "$@"
