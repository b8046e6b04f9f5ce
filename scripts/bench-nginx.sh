#!/usr/bin/env bash
# `make bench`: time a fresh converge and a no-op re-run of the nginx role on
# one new Debian 12 container, and print the figures. A measurement, not a
# test: nothing here passes or fails on time.
set -euo pipefail
cd "$(dirname "$0")/.."

image=${BENCH_IMAGE:-webstack/debian:12}
name=webstack-bench-$$
work=$(mktemp -d)
trap 'docker rm -f "$name" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

docker run -d --name "$name" --cap-add SYS_ADMIN --cgroupns=host -v /sys/fs/cgroup:/sys/fs/cgroup:rw \
  --tmpfs /run --tmpfs /tmp "$image" /lib/systemd/systemd >/dev/null
echo "$name ansible_connection=community.docker.docker" >"$work/inventory.ini"
cat >"$work/play.yml" <<'YML'
---
- name: Benchmark - nginx role
  hosts: all
  gather_facts: false
  roles:
    - role: webstack.nginx_uwsgi.nginx
YML
sleep 2  # let systemd settle in the new container

run() {
  local label=$1 start end recap
  start=$(date +%s.%N)
  recap=$(ansible-playbook -i "$work/inventory.ini" "$work/play.yml" | grep -E '^\S+ +: ok=')
  end=$(date +%s.%N)
  printf '%-22s %6.1f s   %s\n' "$label" "$(echo "$end - $start" | bc)" "$(echo "$recap" | awk '{print $3, $4}')"
}

echo "nginx role on one $image container ($(nproc) cores, $(docker exec "$name" sh -c 'nproc') in the container)"
run "fresh converge" 
run "no-op re-run"
echo "reference: geerlingguy.nginx with one vhost, measured on this kind of machine: ~19 s fresh, ~10 s no-op"
