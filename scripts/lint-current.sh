#!/usr/bin/env bash
# The static checks under current Ansible: in webstack/controller:2.21
# (scripts/build-controller-image.sh: Debian 13, Python 3.13, ansible-core 2.21,
# the `ansible` 14 package), on a copy of the work tree's files:
#   ansible --version, ansible-lint --profile production, ansible-test sanity.
# Every step runs even when an earlier one fails; the exit status is non-zero
# when any failed. ansible-test downloads its pip bootstrap from a host this
# network cannot reach: a local stand-in (ensurepip, then pip) goes into its
# cache first, as in scripts/ansible-test-sanity.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
image=webstack/controller:2.21
scripts/build-controller-image.sh

scripts/work-tree-tar.sh | docker run --rm -i --network bridge "$image" bash -c '
set -uo pipefail
dest=/work/ansible_collections/webstack/nginx_uwsgi
mkdir -p "$dest" && tar -xf - -C "$dest" && cd "$dest" || exit 1
export ANSIBLE_COLLECTIONS_PATH=/work
failed=()
step() {
  local name=$1; shift
  echo ">> $name"
  local t0=$SECONDS
  if "$@"; then echo ">> $name: passed ($((SECONDS - t0)) s)"; else echo ">> $name: FAILED ($((SECONDS - t0)) s)"; failed+=("$name"); fi
}

step "ansible --version" ansible --version
step "ansible-lint --profile production" ansible-lint --profile production

cache=$HOME/.ansible/test/cache
mkdir -p "$cache"
pip_version=$(sed -n "s/^ *pip='"'"'\([0-9.]*\)'"'"',\{0,1\}$/\1/p" \
  /opt/ansible/lib/python3*/site-packages/ansible_test/_internal/python_requirements.py | head -n1)
[ -n "$pip_version" ] || { echo "cannot find the pip version ansible-test wants" >&2; exit 1; }
cat >"$cache/get_pip_${pip_version//./_}.py" <<PY
"""Offline stand-in for pip'"'"'s get-pip.py: ensurepip, then pip installs the rest."""
import subprocess
import sys

args = [a for a in sys.argv[1:] if a not in ("--no-setuptools", "--no-wheel")]
subprocess.check_call([sys.executable, "-m", "ensurepip", "--upgrade"])
subprocess.check_call([sys.executable, "-m", "pip", "install", "--disable-pip-version-check"] + args)
PY
python=$(python3 -c "import sys; print(\"%d.%d\" % sys.version_info[:2])")
step "ansible-test sanity (ansible-core $(ansible --version | sed -n "1s/.*core \([0-9.]*\).*/\1/p"), Python $python)" \
  ansible-test sanity --venv --python "$python" --color no

if [ ${#failed[@]} -gt 0 ]; then
  printf ">> failed: %s\n" "${failed[@]}"
  exit 1
fi
echo ">> every check passed under current Ansible"
'
