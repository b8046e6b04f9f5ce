#!/usr/bin/env bash
# Execution environment checks of `make lint`, with ansible-builder from its own
# virtualenv (.cache/venvs/ansible-builder). No image is built (no registry here):
#   1. `ansible-builder create` turns execution-environment.yml into a build
#      context in build/ee (Dockerfile, _build/requirements.yml, the collection
#      tarball), which `ansible-builder build -c build/ee` builds elsewhere.
#   2. `ansible-builder introspect` on the built and installed collection
#      (build/collections) must list exactly the lines of requirements.txt and
#      bindep.txt, which meta/execution-environment.yml names: nothing missing,
#      nothing extra.
#   3. requirements.yml asks for every dependency of galaxy.yml with the same
#      version range, and for the collection's own tarball.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
venv=${ANSIBLE_BUILDER_VENV:-$root/.cache/venvs/ansible-builder}

scripts/build-collection.sh >/dev/null
rm -rf build/ee
"$venv/bin/ansible-builder" create -f execution-environment.yml -c build/ee 2>&1 | tee build/ee-create.log
if grep -qiE 'warning|error' build/ee-create.log; then
  echo "ansible-builder create complained (above)" >&2
  exit 1
fi
"$venv/bin/ansible-builder" introspect build/collections >build/ee-introspect.yml

python3 - <<'PY'
"""Compare what ansible-builder found with what the collection declares."""
import sys
from pathlib import Path

import yaml


def lines(path):
    """Requirement lines of a requirements.txt or bindep.txt, without comments."""
    out = []
    for line in Path(path).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.append(line)
    return out


problems = []
meta = yaml.safe_load(Path("meta/execution-environment.yml").read_text())["dependencies"]
found = yaml.safe_load(Path("build/ee-introspect.yml").read_text())
for kind, declared_file in (("python", meta["python"]), ("system", meta["system"])):
    declared = lines(declared_file)
    listed = [entry.split("#", 1)[0].strip() for entry in found.get(kind) or []]
    for entry in sorted(set(declared) - set(listed)):
        problems.append(f"{kind}: {entry!r} of {declared_file} is missing from ansible-builder introspect")
    for entry in sorted(set(listed) - set(declared)):
        problems.append(f"{kind}: ansible-builder introspect lists {entry!r}, which {declared_file} does not")
    for entry in (e for e in found.get(kind) or [] if "from collection webstack.nginx_uwsgi" not in e):
        problems.append(f"{kind}: {entry!r} does not come from webstack.nginx_uwsgi")

galaxy = yaml.safe_load(Path("galaxy.yml").read_text())
ee = yaml.safe_load(Path("execution-environment.yml").read_text())
wanted = {c["name"]: c for c in yaml.safe_load(Path(ee["dependencies"]["galaxy"]).read_text())["collections"]}
for name, version in (galaxy.get("dependencies") or {}).items():
    if name not in wanted:
        problems.append(f"requirements.yml: dependency {name} of galaxy.yml is missing")
    elif str(wanted[name].get("version", "*")) != str(version):
        problems.append(f"requirements.yml: {name} {wanted[name].get('version')!r}, galaxy.yml says {version!r}")
tarballs = [n for n, c in wanted.items() if c.get("type") == "file"]
if [Path(n).name for n in tarballs] != ["webstack-nginx_uwsgi.tar.gz"]:
    problems.append(f"requirements.yml: expected the collection's tarball once, found {tarballs}")
context = Path("build/ee")
for needed in ("Dockerfile", "_build/requirements.yml", "_build/collections/webstack-nginx_uwsgi.tar.gz"):
    if not (context / needed).is_file():
        problems.append(f"build context: {needed} missing")

if problems:
    sys.exit("execution environment:\n  " + "\n  ".join(problems))
print("execution environment: context in build/ee; introspection matches requirements.txt and bindep.txt")
PY
