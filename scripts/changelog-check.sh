#!/usr/bin/env bash
# Changelog checks of `make lint`, with antsibull-changelog from its own
# virtualenv (.cache/venvs/antsibull):
#   1. `antsibull-changelog lint`: every fragment of changelogs/fragments.
#   2. `antsibull-changelog lint-changelog-yaml`: changelogs/changelog.yaml.
#   3. A release of galaxy.yml's version in a throwaway copy of the tree
#      (build/changelog-preview): the changelog it writes must record every role,
#      module and plugin of the collection as new in some release, since
#      antsibull-changelog lists only those that carry a `version_added` (the
#      roles: their `main` entry point) or an `add object.role` /
#      `add plugin.<type>` fragment.
# `make lint` puts the project's .venv first on PATH: its ansible-doc (with
# community.crypto) is the one antsibull-changelog runs.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
venv=${ANTSIBULL_VENV:-$root/.cache/venvs/antsibull}

"$venv/bin/antsibull-changelog" lint
"$venv/bin/antsibull-changelog" lint-changelog-yaml changelogs/changelog.yaml

version=$(sed -n 's/^version: *//p' galaxy.yml | tr -d "\"'")
work=$root/build/changelog-preview
dest=$work/ansible_collections/webstack/nginx_uwsgi
rm -rf "$work"
mkdir -p "$dest"
scripts/work-tree-tar.sh | tar -xf - -C "$dest"
(cd "$dest" && ANSIBLE_COLLECTIONS_PATH=$work "$venv/bin/antsibull-changelog" release --version "$version" \
  --date 2000-01-01 --update-existing >/dev/null)

python3 - "$dest" "$version" <<'PY'
"""Every role, module and plugin appears in the previewed changelog.yaml."""
import sys
from pathlib import Path

import yaml

dest, version = Path(sys.argv[1]), sys.argv[2]
releases = yaml.safe_load((dest / "changelogs/changelog.yaml").read_text())["releases"] or {}
listed = set()
for release in releases.values():
    listed |= {("module", m["name"]) for m in release.get("modules", [])}
    for kind, entries in (release.get("plugins") or {}).items():
        listed |= {(kind, p["name"]) for p in entries}
    for kind, entries in (release.get("objects") or {}).items():
        listed |= {(kind, o["name"]) for o in entries}

content = {("role", p.parent.parent.name) for p in dest.glob("roles/*/meta/argument_specs.yml")}
for path in dest.glob("plugins/*/*.py"):
    kind = path.parent.name
    if kind in ("module_utils", "plugin_utils", "doc_fragments") or path.name == "__init__.py":
        continue
    if kind == "action" and (dest / "plugins/modules" / path.name).is_file():
        continue  # the controller's part of a module of the same name, recorded with it
    content.add(("module" if kind == "modules" else kind, path.stem))

missing = sorted(content - listed)
if not content:
    sys.exit("no roles or plugins found: the check would prove nothing")
if missing:
    sys.exit(
        f"a release of {version} would not record these as new (add version_added: {version} to the"
        " plugin's DOCUMENTATION or the role's main entry point): "
        + ", ".join(f"{kind} {name}" for kind, name in missing)
    )
print(f"changelog: a release of {version} records {len(content)} roles, modules and plugins as new")
PY
