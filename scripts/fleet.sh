#!/usr/bin/env bash
# Create (up) or remove (down) a fleet of systemd containers on their own
# Docker network, and write an Ansible inventory for them.
#   scripts/fleet.sh up   PREFIX INVENTORY lb1:12 app1:12 app2:13 ...
#   scripts/fleet.sh down PREFIX
# Each NAME:VERSION becomes container PREFIX-NAME from webstack/debian:VERSION;
# names starting with "lb" go to webstack_loadbalancers, the others to
# webstack_appservers. Existing containers are reused (started if stopped).
# They have NET_ADMIN: the fleet's packet filter (the firewall role, on by
# default) is loaded in each container as on a host.
# Environment of `up`:
#   FLEET_IMAGE    image repository [webstack/debian]; webstack/debian-ssh for SSH
#   FLEET_SSH_KEY  private key file (its .pub beside it): the hosts are reached
#                  over SSH as root at their address on the network; the public
#                  key becomes root's only authorized key and sshd is started
#                  (and answered) before the inventory is written
set -euo pipefail

action=$1 prefix=$2
network=$prefix
image=${FLEET_IMAGE:-webstack/debian}
ssh_key=${FLEET_SSH_KEY:-}

case $action in
  down)
    docker ps -aq --filter "label=webstack.fleet=$prefix" | xargs -r docker rm -f >/dev/null
    docker network rm "$network" >/dev/null 2>&1 || true
    exit 0
    ;;
  up) ;;
  *) echo "usage: $0 up PREFIX INVENTORY NAME:VERSION... | down PREFIX" >&2; exit 2 ;;
esac

# Root's key, host keys (sshd of the image makes them when it first starts),
# sshd (re)started once systemd has booted, then wait until it answers.
ssh_up() {
  local container=$1 address=$2 _
  # systemctl fails at once ("Failed to connect to system scope bus") while
  # PID 1 has not made its socket yet, so that socket is waited for first.
  # every step bounded: a container whose systemd never finishes booting (too
  # few inotify instances on the machine, for one) fails here, named
  if ! docker exec -i "$container" sh -ec '
    i=0; while [ ! -S /run/systemd/private ] && [ $i -lt 120 ]; do sleep 0.5; i=$((i + 1)); done
    timeout 60 systemctl is-system-running --wait >/dev/null 2>&1 || true
    mkdir -p /root/.ssh && chmod 0700 /root/.ssh
    cat >/root/.ssh/authorized_keys && chmod 0600 /root/.ssh/authorized_keys
    [ -f /etc/ssh/ssh_host_ed25519_key ] || ssh-keygen -A >/dev/null
    timeout 30 systemctl reset-failed ssh.service 2>/dev/null || true
    timeout 90 systemctl restart ssh.service' <"$ssh_key.pub"; then
    echo "$container: sshd did not start (is its systemd up? docker exec $container systemctl is-system-running)" >&2
    return 1
  fi
  for _ in $(seq 1 30); do
    ssh -i "$ssh_key" -o BatchMode=yes -o ConnectTimeout=2 -o StrictHostKeyChecking=no \
      -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR "root@$address" true 2>/dev/null && return 0
    sleep 1
  done
  echo "$container: no SSH answer at $address" >&2
  return 1
}

inventory=$3
shift 3
docker network inspect "$network" >/dev/null 2>&1 || docker network create "$network" >/dev/null

lbs=() apps=()
for spec in "$@"; do
  name=${spec%%:*} version=${spec#*:}
  container=$prefix-$name
  if ! docker container inspect "$container" >/dev/null 2>&1; then
    docker run -d --name "$container" --hostname "$name" --network "$network" --network-alias "$name" \
      --label "webstack.fleet=$prefix" --cap-add SYS_ADMIN --cap-add NET_ADMIN --cgroupns=host \
      -v /sys/fs/cgroup:/sys/fs/cgroup:rw --tmpfs /run --tmpfs /tmp \
      "$image:$version" /lib/systemd/systemd >/dev/null
  elif [ "$(docker container inspect -f '{{.State.Running}}' "$container")" != true ]; then
    docker start "$container" >/dev/null
  fi
  if [ -n "$ssh_key" ]; then
    address=$(docker container inspect -f "{{(index .NetworkSettings.Networks \"$network\").IPAddress}}" "$container")
    ssh_up "$container" "$address"
    line="$name ansible_connection=ssh ansible_host=$address ansible_user=root ansible_ssh_private_key_file=$ssh_key"
  else
    line="$name ansible_connection=community.docker.docker ansible_host=$container"
  fi
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
