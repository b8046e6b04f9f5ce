#!/usr/bin/env bash
# `make demo`: a fleet of three systemd containers (load balancer lb1 on
# Debian 12, app hosts app1 on Debian 12 and app2 on Debian 13) on a Docker
# network of their own, provisioned with `ansible-playbook site.yml` and the
# example inventory's group_vars, then a curl loop over HTTPS through the load
# balancer. The fleet is left running; the last line says how to remove it.
# Re-running converges the same containers again (0 changed).
set -euo pipefail
cd "$(dirname "$0")/.."

prefix=${DEMO_PREFIX:-webstack-demo}
inventory=inventories/example/demo.ini   # git-ignored; group_vars/ beside it apply
requests=${DEMO_REQUESTS:-6}

echo ">> fleet $prefix: lb1 (Debian 12), app1 (Debian 12), app2 (Debian 13)"
scripts/fleet.sh up "$prefix" "$inventory" lb1:12 app1:12 app2:13

echo ">> ansible-playbook -i $inventory site.yml"
ansible-playbook -i "$inventory" site.yml

lb=$prefix-lb1
address=$(docker container inspect -f "{{(index .NetworkSettings.Networks \"$prefix\").IPAddress}}" "$lb")
echo ">> $requests requests through the load balancer $lb ($address), over HTTPS:"
for _ in $(seq "$requests"); do
  curl -sk --max-time 5 --resolve "www.example.org:443:$address" https://www.example.org/ | sed 's/^/   /'
done
echo ">> the certificate is self-signed (webstack_lb_tls in inventories/example/group_vars); try:"
echo "   curl -k --resolve www.example.org:443:$address https://www.example.org/"
echo ">> remove the demo fleet with: scripts/fleet.sh down $prefix"
