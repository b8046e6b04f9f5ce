#!/usr/bin/env bash
# A tar stream, on standard output, of the work tree's files as they are now:
# tracked and untracked-but-not-ignored files that exist (a file deleted but not
# yet committed is left out), links followed. The copies that ansible-test
# sanity, the changelog check and the checks under current Ansible work on
# (scripts/ansible-test-sanity.sh, changelog-check.sh, lint-current.sh):
#   scripts/work-tree-tar.sh | tar -xf - -C "$dest"
set -euo pipefail
cd "$(dirname "$0")/.."
git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
  [ -f "$f" ] && printf '%s\0' "$f"
done | tar --null --files-from=- --dereference -cf -
