#!/usr/bin/env bash
# Build webstack/controller:2.21, a Debian 13 controller with current Ansible,
# from the local webstack/debian:13 image (scripts/build-images.sh; nothing is
# pulled): ansible-core 2.21 and the `ansible` 14 package (Python 3.13 from
# Debian 13; the project's .venv has to stay on 2.19, the newest line for the
# Python 3.11 of Debian 12), ansible-lint, molecule and testinfra, in the
# virtualenv /opt/ansible, with git, the ssh client, shellcheck (for ansible-test
# sanity) and the docker CLI (for the community.docker.docker connection
# through a mounted /var/run/docker.sock).
# `make lint-current` (scripts/lint-current.sh) runs the checks in it.
# The image is rebuilt only when this recipe or the base image changes (their
# hash is stored as a label), so re-runs are cheap.
set -euo pipefail
cd "$(dirname "$0")/.."

image=webstack/controller:2.21
base=webstack/debian:13
# The newest on PyPI when this was written (2026-12): ansible 14.5.0 requires
# ansible-core ~=2.21.5; ansible-lint 26.10.1 runs on ansible-core 2.21.
pins=(ansible-core==2.21.5 ansible==14.5.0 ansible-lint==26.10.1 molecule==26.10.0
  "molecule-plugins[docker]==26.10.12" pytest-testinfra==10.2.2 pytest==9.2.0 docker==7.2.0)

base_id=$(docker image inspect --format '{{.Id}}' "$base" 2>/dev/null) \
  || { echo "$base is missing: run scripts/build-images.sh (make images) first" >&2; exit 1; }
recipe=$( (cat "$0"; echo "$base_id") | sha256sum | cut -c1-16)
if [ "$(docker image inspect --format '{{ index .Config.Labels "webstack.recipe" }}' "$image" 2>/dev/null || true)" = "$recipe" ]; then
  echo ">> $image is up to date"
  exit 0
fi

old_id=$(docker image inspect --format '{{.Id}}' "$image" 2>/dev/null || true)
echo ">> building $image from $base"
# The classic builder takes FROM from the local images; BuildKit would ask a
# registry for the base image's metadata first.
log=$(mktemp)
if ! DOCKER_BUILDKIT=0 docker build --tag "$image" --label "webstack.recipe=$recipe" - >"$log" 2>&1 <<DOCKERFILE
FROM $base
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update -qq \\
 && apt-get install -y -qq --no-install-recommends python3-venv openssh-client git docker-cli shellcheck >/dev/null \\
 && apt-get clean && rm -rf /var/lib/apt/lists/*
# pip trusts the host's CA bundle through /etc/pip.conf of the base image.
RUN python3 -m venv /opt/ansible \\
 && /opt/ansible/bin/pip install --quiet --no-cache-dir --upgrade pip \\
 && /opt/ansible/bin/pip install --quiet --no-cache-dir ${pins[*]@Q}
ENV PATH=/opt/ansible/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
ENV ANSIBLE_NOCOLOR=1 PY_COLORS=0
WORKDIR /work
CMD ["bash"]
DOCKERFILE
then
  tail -n 40 "$log" >&2
  rm -f "$log"
  exit 1
fi
rm -f "$log"
# The image this one replaces, unless a container still uses it.
if [ -n "$old_id" ] && [ "$old_id" != "$(docker image inspect --format '{{.Id}}' "$image")" ]; then
  docker rmi "$old_id" >/dev/null 2>&1 || true
fi
echo ">> built $image"
docker run --rm "$image" ansible --version | head -n 1
