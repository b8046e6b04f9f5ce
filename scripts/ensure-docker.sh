#!/usr/bin/env bash
# Make sure a Docker engine answers: install Debian's docker.io when the
# daemon is missing and start dockerd in the background when none runs.
# Safe to re-run: does nothing when `docker info` already answers.
set -euo pipefail

if docker info >/dev/null 2>&1; then
  exit 0
fi

if ! command -v dockerd >/dev/null 2>&1; then
  echo ">> installing docker.io from the Debian archive"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -qq docker.io >/dev/null 2>&1; then
    apt-get update -qq
    apt-get install -y -qq docker.io >/dev/null
  fi
fi

if ! pgrep -x dockerd >/dev/null 2>&1; then
  echo ">> starting dockerd (log: /var/log/dockerd.log)"
  nohup dockerd >/var/log/dockerd.log 2>&1 &
fi

for _ in $(seq 1 60); do
  if docker info >/dev/null 2>&1; then
    exit 0
  fi
  sleep 1
done
echo "dockerd did not answer within 60 s; see /var/log/dockerd.log" >&2
exit 1
