#!/usr/bin/env bash
# The collection's docs site (`make docs`, and `make lint` before
# tests/docs/test_docs_site.py): the reference of every role (entry points and
# options of meta/argument_specs.yml), module and filter as Galaxy and
# Automation Hub users read it, rendered by antsibull-docs and Sphinx (from
# .cache/venvs/docs) from the built and installed collection (build/collections,
# what ships) into build/docs/html.
#   1. `antsibull-docs sphinx-init --use-current` writes the Sphinx project in
#      build/docs/src (conf.py, antsibull-docs.cfg, build.sh), one collection
#      at the root of the site (--squash-hierarchy), no error pages
#      (--fail-on-error).
#   2. conf.py gets an offline block: no intersphinx inventories (CI reaches
#      PyPI only), and references to labels of other docsites
#      (docs.ansible.com: "common return values", ansible.builtin modules) are
#      not reported; a missing label of this collection still is.
#   3. build.sh as written: antsibull-docs renders the RST, sphinx-build -W
#      turns any warning into a failure. Its output moves to build/docs/html;
#      its log is build/docs/build.log.
# The project's .venv comes first on PATH: its ansible-doc (with community.crypto)
# is the one antsibull-docs runs, as in scripts/collection-docs-lint.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
venv=${DOCS_VENV:-$root/.cache/venvs/docs}
out=$root/build/docs
collection=webstack.nginx_uwsgi

scripts/build-collection.sh >/dev/null
export ANSIBLE_COLLECTIONS_PATH=$root/build/collections
export PATH=$root/.venv/bin:$venv/bin:$PATH
rm -rf "$out"
mkdir -p "$out/src"
chmod go-w "$out/src"  # antsibull-docs writes only into a directory no one else can write to

# Each step's output goes to build/docs/build.log, printed when a step fails.
step() {
  if ! "$@" >>"$out/build.log" 2>&1; then
    cat "$out/build.log"
    echo "docs site: $1 failed (above; a Sphinx warning fails the build)" >&2
    exit 1
  fi
}

step antsibull-docs sphinx-init --use-current --squash-hierarchy --fail-on-error --dest-dir "$out/src" \
  --project "$collection" --copyright "$collection contributors" --title "$collection" "$collection"
cat >>"$out/src/conf.py" <<'PY'

# Added by scripts/docs-site.sh: built offline (no intersphinx inventory can be
# fetched), so references to labels of other docsites stay plain text without a
# warning; a reference to a missing label of this collection still fails -W.
intersphinx_mapping = {}
nitpick_ignore_regex = [('std:ref', r'(?!ansible_collections\.webstack\.nginx_uwsgi\.).*')]
PY
step "$out/src/build.sh"
mv "$out/src/build/html" "$out/html"
pages=$(find "$out/html" -maxdepth 1 -regex '.*_\(module\|filter\|role\)\.html' | wc -l)
echo "docs site: build/docs/html/index.html, $pages role, module and filter pages, no Sphinx warning"
