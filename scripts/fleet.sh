#!/usr/bin/env bash
# Create (up) or remove (down) a fleet of systemd containers on their own
# Docker network, and write an Ansible inventory for them.
#   scripts/fleet.sh up   PREFIX INVENTORY lb1:12 app1:12 app2:13 ...
#   scripts/fleet.sh down PREFIX
# Each NAME:VERSION becomes container PREFIX-NAME from webstack/debian:VERSION;
# names starting with "lb" go to webstack_loadbalancers, the others to
# webstack_appservers. Existing containers are reused (started if stopped).
set -euo pipefail

action=$1 prefix=$2
network=$prefix

case $action in
  down)
    docker ps -aq --filter "label=webstack.fleet=$prefix" | xargs -r docker rm -f >/dev/null
    docker network rm "$network" >/dev/null 2>&1 || true
    exit 0
    ;;
  up) ;;
  *) echo "usage: $0 up PREFIX INVENTORY NAME:VERSION... | down PREFIX" >&2; exit 2 ;;
esac

inventory=$3
shift 3
docker network inspect "$network" >/dev/null 2>&1 || docker network create "$network" >/dev/null

lbs=() apps=()
for spec in "$@"; do
  name=${spec%%:*} version=${spec#*:}
  container=$prefix-$name
  if ! docker container inspect "$container" >/dev/null 2>&1; then
    docker run -d --name "$container" --hostname "$name" --network "$network" --network-alias "$name" \
      --label "webstack.fleet=$prefix" --cap-add SYS_ADMIN --cgroupns=host \
      -v /sys/fs/cgroup:/sys/fs/cgroup:rw --tmpfs /run --tmpfs /tmp \
      "webstack/debian:$version" /lib/systemd/systemd >/dev/null
  elif [ "$(docker container inspect -f '{{.State.Running}}' "$container")" != true ]; then
    docker start "$container" >/dev/null
  fi
  line="$name ansible_connection=community.docker.docker ansible_host=$container"
  case $name in
    lb*) lbs+=("$line") ;;
    *) apps+=("$line") ;;
  esac
done

{
  echo "[webstack_loadbalancers]"
  printf '%s\n' "${lbs[@]}"
  echo
  echo "[webstack_appservers]"
  printf '%s\n' "${apps[@]}"
} >"$inventory"
