#!/usr/bin/env bash
# `make demo`: provision one Debian 12 container with the nginx role and show
# it answering. The container is left running; the last line says how to
# remove it. Re-running converges the same container again.
set -euo pipefail
cd "$(dirname "$0")/.."

name=${DEMO_CONTAINER:-webstack-demo}
image=${DEMO_IMAGE:-webstack/debian:12}
state=.cache/demo
mkdir -p "$state"

if ! docker container inspect "$name" >/dev/null 2>&1; then
  echo ">> starting container $name from $image"
  docker run -d --name "$name" --hostname "$name" --cap-add SYS_ADMIN --cgroupns=host \
    -v /sys/fs/cgroup:/sys/fs/cgroup:rw --tmpfs /run --tmpfs /tmp "$image" /lib/systemd/systemd >/dev/null
elif [ "$(docker container inspect -f '{{.State.Running}}' "$name")" != true ]; then
  docker start "$name" >/dev/null
fi

cat >"$state/inventory.ini" <<INI
[web]
$name ansible_connection=community.docker.docker
INI
cat >"$state/demo.yml" <<'YML'
---
- name: Demo - nginx on one host
  hosts: web
  gather_facts: false
  roles:
    - role: webstack.nginx_uwsgi.nginx
YML

echo ">> ansible-playbook (nginx role)"
ansible-playbook -i "$state/inventory.ini" "$state/demo.yml"

echo ">> nginx in $name answers:"
docker exec "$name" curl -s -D - -o /dev/null http://127.0.0.1/
docker exec "$name" curl -s http://127.0.0.1/nginx_status
echo ">> remove the demo with: docker rm -f $name"
