#!/usr/bin/env bash
# Build the local systemd base images the Molecule scenarios and the demo use:
#   webstack/debian:12 (bookworm) and webstack/debian:13 (trixie)
# and the same with an SSH server, for the scenarios reached over SSH (fleet):
#   webstack/debian-ssh:12 and webstack/debian-ssh:13
# Docker Hub is not reachable, so each image is a debootstrap chroot turned into
# an image with `docker import`. An image is rebuilt only when this recipe
# changes (its hash is stored as a label), so re-runs are cheap.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
recipe=$(sha256sum "$0" | cut -c1-16)
# What a minimal Debian host that Ansible manages has (systemd to run as a
# container, python3 and python3-apt for Ansible): no procps, curl, iproute2 or
# openssl, so a role that needs one must install it (the tests install curl
# and openssl for themselves after the first converge, never procps).
packages=systemd,systemd-sysv,dbus,python3,python3-apt,ca-certificates

# Use whatever Debian mirror the host itself is configured with.
mirror=${DEBIAN_MIRROR:-}
if [ -z "$mirror" ]; then
  mirror=$(grep -hoE '^(URIs:|deb) +[^ ]+/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null \
    | awk '{print $2}' | head -n1 || true)
fi
[ -n "$mirror" ] || { echo "no Debian mirror found; set DEBIAN_MIRROR" >&2; exit 1; }

command -v debootstrap >/dev/null 2>&1 || {
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq debootstrap >/dev/null 2>&1 || { apt-get update -qq; apt-get install -y -qq debootstrap >/dev/null; }
}

current() {
  [ "$(docker image inspect --format '{{ index .Config.Labels "webstack.recipe" }}' "$1" 2>/dev/null || true)" = "$recipe" ]
}

import_image() {
  local root=$1 image=$2
  tar -C "$root" -c . | docker import \
    --change 'ENV container=docker' \
    --change 'CMD ["/lib/systemd/systemd"]' \
    --change "LABEL webstack.recipe=$recipe" \
    - "$image" >/dev/null
  echo ">> built $image"
}

build() {
  local version=$1 suite=$2
  local image="webstack/debian:${version}" ssh_image="webstack/debian-ssh:${version}"
  if current "$image" && current "$ssh_image"; then
    echo ">> $image and $ssh_image are up to date"
    return 0
  fi
  local root
  root=$(mktemp -d "/var/tmp/webstack-${suite}.XXXXXX")
  echo ">> debootstrap $suite into $root"
  debootstrap --variant=minbase --include="$packages" "$suite" "$root" "$mirror" >"$root.log" 2>&1 \
    || { tail -n 30 "$root.log" >&2; rm -rf "$root"; return 1; }
  # Trust the same CAs as the host (pip inside containers needs them to reach
  # the package index through this network's TLS proxy).
  cp /etc/ssl/certs/ca-certificates.crt "$root/usr/local/share/ca-certificates/host-bundle.crt"
  chroot "$root" update-ca-certificates >/dev/null 2>&1 || true
  printf '[global]\ncert = /etc/ssl/certs/ca-certificates.crt\n' >"$root/etc/pip.conf"
  # Units that have nothing to do in a container.
  for unit in getty.target console-getty.service systemd-udevd.service systemd-udevd-control.socket \
      systemd-udevd-kernel.socket systemd-remount-fs.service systemd-firstboot.service; do
    ln -sf /dev/null "$root/etc/systemd/system/$unit"
  done
  : >"$root/etc/machine-id"
  chroot "$root" apt-get clean
  # apt lists stay: a fresh host in --check mode needs them to know packages.
  rm -rf "$root"/usr/share/doc/* "$root"/usr/share/man/*
  import_image "$root" "$image"

  # The SSH variant: openssh-server (which brings procps along, so the minimal
  # image stays the one without it), root logs in with a key only, and each
  # container makes its own host keys when sshd first starts.
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
  chmod 0755 "$root/usr/sbin/policy-rc.d"
  DEBIAN_FRONTEND=noninteractive chroot "$root" apt-get install -y -qq --no-install-recommends openssh-server \
    >>"$root.log" 2>&1 || { tail -n 30 "$root.log" >&2; rm -rf "$root"; return 1; }
  rm -f "$root/usr/sbin/policy-rc.d" "$root"/etc/ssh/ssh_host_*
  : >"$root/etc/resolv.conf"
  mkdir -p "$root/etc/systemd/system/ssh.service.d"
  # (keys before the unit's own `sshd -t`, which fails without them)
  printf '[Service]\nExecStartPre=\nExecStartPre=/usr/bin/ssh-keygen -A\nExecStartPre=/usr/sbin/sshd -t\n' \
    >"$root/etc/systemd/system/ssh.service.d/host-keys.conf"
  printf 'PasswordAuthentication no\nPermitRootLogin prohibit-password\n' >"$root/etc/ssh/sshd_config.d/webstack.conf"
  chroot "$root" systemctl enable ssh.service >/dev/null 2>&1
  chroot "$root" apt-get clean
  rm -rf "$root"/usr/share/doc/* "$root"/usr/share/man/*
  import_image "$root" "$ssh_image"
  rm -rf "$root" "$root.log"
}

"$here/ensure-docker.sh"
pids=()
build 12 bookworm & pids+=($!)
build 13 trixie & pids+=($!)
rc=0
for p in "${pids[@]}"; do wait "$p" || rc=1; done
exit $rc
