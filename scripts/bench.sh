#!/usr/bin/env bash
# `make bench`: figures of the collection, printed. A measurement, not a test:
# nothing here passes or fails on time (a failed playbook or an unreachable
# stack still stops the script).
#
# Sections, run in the order of BENCH_SECTIONS (default "nginx_role single fleet rollout"):
#   nginx_role  the nginx role alone on a new Debian 12 container: fresh
#               converge and no-op re-run.
#   single      `ansible-playbook site.yml` on one new Debian 12 container that
#               is in both groups (the example inventory's group_vars): fresh
#               converge and no-op re-run, then throughput, with wrk inside that
#               container against loopback, of
#                 (1) the stack as site.yml deployed it: nginx on
#                     webstack_app_port -> uWSGI unix socket -> example app,
#                 (2) the seed configuration: nginx -> uWSGI on TCP
#                     127.0.0.1:5001, 4 processes x 2 threads,
#                 (3) the same app under uWSGI alone (http-socket, the ini of
#                     (1) otherwise),
#               one at a time (the others' uWSGI stopped), and the issue's
#               targets. When a target is missed, the same stack is measured
#               with other settings (BENCH_WHATIF) to show which defaults would
#               meet it.
#   fleet       `ansible-playbook site.yml` on lb1 (Debian 12), app1 (12) and
#               app2 (13): fresh converge and no-op re-run.
#   rollout     on that fleet, under load through lb1: a rolling release of a
#               new version of the example app, then the fleet-wide rollback:
#               requests during each, errors, playbook time.
#
# Adding a section: define section_NAME before the "main" part
# and add NAME to BENCH_SECTIONS (the default list below). Containers live
# until the script exits, so a section after `fleet` finds the converged fleet
# ($fleet_prefix, inventory $fleet_inventory) and one after `single` the single
# host ($single_container, inventory $single_inventory). Helpers: time_playbook
# (runs and times a playbook, adds a row to the timing table), wrk_run (wrk in a
# container), summary_add (lines of the summary printed at the end), cexec.
#
# Settings (environment):
#   BENCH_SECTIONS      sections to run, in order            (nginx_role single fleet rollout)
#   BENCH_ROLLOUT_CONNECTIONS  connections of the load during the rollouts  (4)
#   BENCH_PREFIX        name prefix of the containers        (webstack-bench)
#   BENCH_FLEET_PREFIX  prefix of the 3-host fleet           (webstack-benchfleet)
#   BENCH_KEEP          1: keep the containers at the end; a later run reuses
#                       them (its converges are then not fresh)  (0)
#   BENCH_THREADS, BENCH_CONNECTIONS, BENCH_SECONDS, BENCH_WARMUP
#                       wrk settings per measurement          (2, 32, 8, 2)
#   BENCH_ROUNDS        rounds over the stacks; the median round by requests/s
#                       is reported                            (3)
#   BENCH_WHATIF        auto (when a target is missed), 1 or 0  (auto)
set -euo pipefail
cd "$(dirname "$0")/.."

sections=${BENCH_SECTIONS:-nginx_role single fleet rollout}
prefix=${BENCH_PREFIX:-webstack-bench}
fleet_prefix=${BENCH_FLEET_PREFIX:-webstack-benchfleet}
keep=${BENCH_KEEP:-0}
wrk_threads=${BENCH_THREADS:-2}
wrk_connections=${BENCH_CONNECTIONS:-32}
wrk_seconds=${BENCH_SECONDS:-8}
wrk_warmup=${BENCH_WARMUP:-2}
rounds=${BENCH_ROUNDS:-3}
whatif=${BENCH_WHATIF:-auto}

work=.cache/bench
logdir=$work/logs
mkdir -p "$logdir"

nginx_role_prefix=$prefix-nginxrole
single_prefix=$prefix
single_container=$single_prefix-single
single_inventory=$work/single/hosts.ini
fleet_inventory=inventories/example/bench.ini   # git-ignored; group_vars/ beside it apply
started_prefixes=()
summary=()

# ---------------------------------------------------------------- helpers

cleanup() {
  local p
  [ "$keep" = 1 ] && return 0
  for p in "${started_prefixes[@]}"; do
    scripts/fleet.sh down "$p" || true
  done
}
trap cleanup EXIT

summary_add() { summary+=("$@"); }

cexec() { docker exec "$@"; }

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# Containers running on this machine that are not this script's.
others() {
  docker ps --format '{{.Names}}' | grep -cv -e "^$prefix-" -e "^$fleet_prefix-" || true
}

machine() {
  echo "$(nproc) cores, load $(loadavg), $(others) other containers running"
}

# fleet_up PREFIX INVENTORY NAME:VERSION...: new containers (an old one is
# removed first unless BENCH_KEEP=1, which reuses it); echoes "fresh" or "reused".
fleet_up() {
  local p=$1 inventory=$2 state=fresh
  shift 2
  if [ -n "$(docker ps -aq --filter "label=webstack.fleet=$p")" ]; then
    if [ "$keep" = 1 ]; then state=reused; else scripts/fleet.sh down "$p"; fi
  fi
  started_prefixes+=("$p")
  scripts/fleet.sh up "$p" "$inventory" "$@"
  [ "$state" = reused ] || sleep 2   # let systemd settle in new containers
  fleet_state=$state
}

# time_playbook LABEL HOSTS INVENTORY PLAYBOOK: run ansible-playbook, print the
# wall time and the recap, and add a row to the timing table.
time_playbook() {
  local label=$1 hosts=$2 inventory=$3 playbook=$4 log start end rc=0 secs recap load
  log=$logdir/$(printf '%s' "$label-$hosts" | tr -c 'A-Za-z0-9' '-').log
  load=$(loadavg)
  start=$(date +%s.%N)
  ansible-playbook -i "$inventory" "$playbook" >"$log" 2>&1 || rc=$?
  end=$(date +%s.%N)
  if [ "$rc" -ne 0 ]; then
    tail -n 40 "$log" >&2
    echo "ansible-playbook -i $inventory $playbook failed (rc=$rc); log: $log" >&2
    return 1
  fi
  secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
  recap=$(awk '
    /^PLAY RECAP/ { on = 1; next }
    on && / : ok=/ {
      for (i = 3; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
      printf "%s%s ok=%s changed=%s", sep, $1, v["ok"], v["changed"]; sep = ", "
    }' "$log")
  printf '   %-34s %7s s   %s   (load before: %s)\n' "$label" "$secs" "$recap" "$load"
  timing_rows+=("| $label | $hosts | $secs s | $recap | $load |")
}
timing_rows=()

# wrk_run CONTAINER URL SECONDS: wrk inside CONTAINER; sets W_RPS, W_P50, W_P90,
# W_P99 (ms), W_REQUESTS and W_ERRORS (non-2xx/3xx + socket errors).
wrk_run() {
  local out
  out=$(cexec "$1" wrk -t "$wrk_threads" -c "$wrk_connections" -d "$3s" --timeout 5s --latency "$2")
  read -r W_RPS W_P50 W_P90 W_P99 W_REQUESTS W_ERRORS < <(awk '
    function ms(v,  n, u) {
      n = v; sub(/[a-z]+$/, "", n); u = v; sub(/^[0-9.]+/, "", u)
      return u == "us" ? n / 1000 : u == "ms" ? n + 0 : u == "s" ? n * 1000 : u == "m" ? n * 60000 : n
    }
    /^ +50%/ { p50 = ms($2) } /^ +90%/ { p90 = ms($2) } /^ +99%/ { p99 = ms($2) }
    / requests in / { requests = $1 }
    /^Requests\/sec:/ { rps = $2 }
    /Non-2xx or 3xx responses:/ { errors += $NF }
    /Socket errors:/ { gsub(",", ""); errors += $4 + $6 + $8 + $10 }
    END { printf "%.0f %.2f %.2f %.2f %d %d\n", rps, p50, p90, p99, requests, errors }' <<<"$out")
}

# wait_http CONTAINER URL: until the URL answers 200 (at most 60 s).
wait_http() {
  cexec -i "$1" python3 - "$2" <<'PY'
import sys, time, urllib.request
deadline = time.time() + 60
while True:
    try:
        if urllib.request.urlopen(sys.argv[1], timeout=2).status == 200:
            break
    except Exception:
        pass
    if time.time() > deadline:
        sys.exit("no 200 from %s after 60 s" % sys.argv[1])
    time.sleep(0.2)
PY
}

# ---------------------------------------------------------------- nginx_role

section_nginx_role() {
  local inventory=$work/nginx_role/hosts.ini play=$work/nginx_role/play.yml container=$nginx_role_prefix-nginx
  mkdir -p "$work/nginx_role"
  echo ">> nginx role alone on $container (Debian 12)"
  fleet_up "$nginx_role_prefix" "$inventory" nginx:12
  cat >"$play" <<'YML'
---
- name: Benchmark - nginx role
  hosts: all
  gather_facts: false
  roles:
    - role: webstack.nginx_uwsgi.nginx
YML
  local what="fresh converge"
  [ "$fleet_state" = fresh ] || what="re-converge (reused container)"
  time_playbook "nginx role, $what" "1 (Debian 12)" "$inventory" "$play"
  time_playbook "nginx role, no-op re-run" "1 (Debian 12)" "$inventory" "$play"
}

# ---------------------------------------------------------------- single

section_single() {
  local what="fresh converge"
  mkdir -p "$work/single"
  echo ">> site.yml on $single_container (Debian 12, in webstack_appservers and webstack_loadbalancers)"
  fleet_up "$single_prefix" "$work/single/fleet.ini" single:12
  # One host in both groups; the example inventory's group_vars beside it.
  ln -sfn "$PWD/inventories/example/group_vars" "$work/single/group_vars"
  cat >"$single_inventory" <<INI
[webstack_appservers]
single ansible_connection=community.docker.docker ansible_host=$single_container

[webstack_loadbalancers]
single
INI
  [ "$fleet_state" = fresh ] || what="re-converge (reused container)"
  time_playbook "site.yml, $what" "1 (Debian 12, both groups)" "$single_inventory" site.yml
  time_playbook "site.yml, no-op re-run" "1 (Debian 12, both groups)" "$single_inventory" site.yml
  throughput "$single_container"
}

# Stacks of the throughput comparison: systemd unit of the uWSGI, URL for wrk.
declare -A stack_unit stack_url stack_name
stack_ids=(1 2 3)
stack_name[1]="(1) collection defaults: nginx :8080 -> uWSGI unix socket"
stack_name[2]="(2) seed: nginx :8081 -> uWSGI TCP 127.0.0.1:5001, 4 proc x 2 thr"
stack_name[3]="(3) uWSGI alone: http-socket 127.0.0.1:5002, Connection: close"
stack_url[1]=http://127.0.0.1:8080/
stack_url[2]=http://127.0.0.1:8081/
stack_url[3]=http://127.0.0.1:5002/

# setup_stacks CONTAINER: wrk, and the seed and uWSGI-alone stacks next to the
# one site.yml deployed, from the same release directory (same code and venv).
setup_stacks() {
  local c=$1 ini app
  cexec "$c" sh -c 'DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends wrk >/dev/null 2>&1 ||
    { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends wrk >/dev/null; }'
  ini=$(cexec "$c" sh -c 'ls /etc/uwsgi-app/*.ini | head -n 1')
  app=$(basename "$ini" .ini)
  stack_unit[1]=uwsgi-app-$app.service
  stack_unit[2]=webstack-bench-seed.service
  stack_unit[3]=webstack-bench-alone.service
  cexec -i "$c" bash -s "$app" "$ini" <<'SH'
set -euo pipefail
app=$1 ini=$2
install -d /etc/webstack-bench
get() { sed -n "s/^$1 = //p" "$ini" | head -n 1; }
# (2) The seed: uWSGI over TCP, 4 processes x 2 threads, chmod-socket 666,
# per-request logging on (uWSGI's default), same release, venv and env.
{
  echo "[uwsgi]"
  echo "plugin = python3"
  echo "master = true"
  echo "processes = 4"
  echo "threads = 2"
  echo "socket = 127.0.0.1:5001"
  echo "chmod-socket = 666"
  echo "vacuum = true"
  echo "die-on-term = true"
  echo "chdir = $(get chdir)"
  echo "virtualenv = $(get virtualenv)"
  echo "module = $(get module)"
  grep '^env = APP_' "$ini"
} >/etc/webstack-bench/seed.ini
cat >/etc/nginx/conf.d/webstack-bench-seed.conf <<'NGINX'
# webstack bench: the seed's nginx server block
server {
    listen 8081;
    location / {
        uwsgi_pass 127.0.0.1:5001;
        include uwsgi_params;
    }
}
NGINX
# (3) uWSGI alone: the ini site.yml rendered, with an HTTP socket on loopback
# instead of the unix socket (same processes, threads, logging and options).
# http-socket closes the connection after each response (uWSGI 2.0 keeps a
# connection only with http11-socket, which ties a sync worker to one client
# and starves the other 30 connections of wrk): say so in a header, or wrk
# counts every close as a read error.
sed -e 's|^socket = .*|http-socket = 127.0.0.1:5002|' -e '/^chmod-socket = /d' -e '/^chown-socket = /d' \
  -e '/^stats = /d' -e 's|^\[uwsgi\]$|&\nadd-header = Connection: close|' "$ini" >/etc/webstack-bench/alone.ini
unit() {  # unit NAME INI
  cat >"/etc/systemd/system/$1.service" <<UNIT
[Unit]
Description=webstack bench: $1
[Service]
User=$app
Group=$app
SupplementaryGroups=www-data
RuntimeDirectory=$1
ExecStart=/usr/bin/uwsgi-core --ini $2
KillSignal=SIGTERM
UNIT
}
unit webstack-bench-seed /etc/webstack-bench/seed.ini
unit webstack-bench-alone /etc/webstack-bench/alone.ini
unit webstack-bench-variant /etc/webstack-bench/variant.ini
unit webstack-bench-variant-alone /etc/webstack-bench/variant-alone.ini
systemctl daemon-reload
nginx -t -q
systemctl reload nginx
SH
}

# activate CONTAINER UNIT URL: stop every uWSGI of the bench but UNIT, start
# UNIT, wait until URL answers.
activate() {
  local c=$1 unit=$2 url=$3 u
  for u in "${stack_unit[@]}" webstack-bench-variant.service webstack-bench-variant-alone.service; do
    [ "$u" = "$unit" ] || cexec "$c" systemctl stop "$u"
  done
  cexec "$c" systemctl start "$unit"
  wait_http "$c" "$url"
}

# measure CONTAINER KEY UNIT URL: warm-up, then BENCH_SECONDS of wrk; the
# figures go to the result arrays under KEY, one entry per round.
declare -A res
measure() {
  local c=$1 key=$2 unit=$3 url=$4
  activate "$c" "$unit" "$url"
  local load
  load=$(loadavg)
  cexec "$c" wrk -t "$wrk_threads" -c "$wrk_connections" -d "${wrk_warmup}s" "$url" >/dev/null
  wrk_run "$c" "$url" "$wrk_seconds"
  res[$key]+="$W_RPS $W_P50 $W_P90 $W_P99 $W_REQUESTS $W_ERRORS $load;"
  printf '   %-8s %-68s %7s req/s  p50 %6s  p90 %6s  p99 %7s ms  errors %s  (load before: %s)\n' \
    "$key" "${stack_label[$key]}" "$W_RPS" "$W_P50" "$W_P90" "$W_P99" "$W_ERRORS" "$load"
}
declare -A stack_label

# median KEY: the round with the median requests/s, as "rps p50 p90 p99 requests errors".
median() {
  tr ';' '\n' <<<"${res[$1]}" | awk 'NF' | sort -n -k1,1 | awk '{ l[NR] = $0 } END { print l[int((NR + 1) / 2)] }'
}

field() { awk -v n="$2" '{ print $n }' <<<"$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
yesno() { awk "BEGIN { print (($1) ? \"yes\" : \"**no**\") }" </dev/null; }

# targets KEY1 KEY2 KEY3 TITLE: check the issue's targets on measured figures;
# prints them, adds a table to the summary, sets targets_met (0/1).
targets() {
  local m1 m2 m3 r12 r13 p1 p2 t1 t2 t3
  m1=$(median "$1") m2=$(median "$2") m3=$(median "$3")
  r12=$(ratio "$(field "$m1" 1)" "$(field "$m2" 1)")
  r13=$(ratio "$(field "$m1" 1)" "$(field "$m3" 1)")
  p1=$(field "$m1" 4) p2=$(field "$m2" 4)
  t1=$(yesno "$r12 >= 1.3") t2=$(yesno "$p1 < $p2") t3=$(yesno "$r13 >= 0.9")
  echo "   $4: (1)/(2) = ${r12}x req/s (target >= 1.3: $t1), p99 $p1 vs $p2 ms (lower: $t2), (1)/(3) = $r13 (target >= 0.90: $t3)"
  targets_row="| ${r12}x | $t1 | $p1 / $p2 ms | $t2 | $r13 | $t3 |"
  targets_met=0
  [ "$t1$t2$t3" = yesyesyes ] && targets_met=1
  return 0
}

throughput() {
  local c=$1 round i m
  echo ">> throughput in $c: wrk -t$wrk_threads -c$wrk_connections, ${wrk_warmup} s warm-up + ${wrk_seconds} s per stack," \
    "$rounds round(s), one stack's uWSGI running at a time; $(machine)"
  setup_stacks "$c"
  for i in "${stack_ids[@]}"; do stack_label[$i]=${stack_name[$i]}; done
  for round in $(seq "$rounds"); do
    echo "   round $round"
    for i in "${stack_ids[@]}"; do
      measure "$c" "$i" "${stack_unit[$i]}" "${stack_url[$i]}"
    done
  done
  # leave the stack site.yml deployed running, and only it
  activate "$c" "${stack_unit[1]}" "${stack_url[1]}"
  summary_add "" "Throughput, one Debian 12 container ($(nproc) cores shared with wrk), wrk -t$wrk_threads" \
    "-c$wrk_connections -d${wrk_seconds}s after ${wrk_warmup} s of warm-up, on loopback, GET / of examples/flask_app;" \
    "median of $rounds round(s) by requests/s:" "" \
    "| stack | requests/s | p50 | p90 | p99 | errors | load before |" "| --- | ---: | ---: | ---: | ---: | ---: | --- |"
  for i in "${stack_ids[@]}"; do
    m=$(median "$i")
    summary_add "| ${stack_name[$i]} | $(field "$m" 1) | $(field "$m" 2) ms | $(field "$m" 3) ms | $(field "$m" 4) ms | $(field "$m" 6) | $(field "$m" 7) $(field "$m" 8) $(field "$m" 9) |"
  done
  targets 1 2 3 "targets (defaults)"
  summary_add "" "| configuration | (1)/(2) req/s | >= 1.3x | p99 (1) / (2) | lower | (1)/(3) | >= 0.90 |" \
    "| --- | ---: | --- | ---: | --- | ---: | --- |" "| collection defaults (example inventory) $targets_row"
  if [ "$whatif" = 1 ] || { [ "$whatif" = auto ] && [ "$targets_met" = 0 ]; }; then
    whatif_variants "$c"
  fi
}

# ---------------------------------------------------------------- what if

# Variants of stack (1): "label|uWSGI options (key=value, comma-separated)|sed
# expression for the app site of nginx". Each is measured through nginx and
# under uWSGI alone (the same ini with an http-socket), against the seed's
# figures above. They run beside site.yml's stack, on copies of its ini and
# site file: nothing of what the roles deployed is changed.
whatif_list=(
  "same as (1), control||"
  "uWSGI disable-logging|disable-logging=true|"
  "nginx access_log off (app site)||s#^    server_name .*#&\n    access_log off;#"
  "disable-logging + access_log off|disable-logging=true|s#^    server_name .*#&\n    access_log off;#"
  "disable-logging + access_log off + threads 2|disable-logging=true,threads=2|s#^    server_name .*#&\n    access_log off;#"
  "disable-logging + access_log off + processes 4|disable-logging=true,processes=4|s#^    server_name .*#&\n    access_log off;#"
)
[ -z "${BENCH_WHATIF_LIST:-}" ] || mapfile -t whatif_list <<<"$BENCH_WHATIF_LIST"

whatif_variants() {
  local c=$1 n=0 spec label opts nginx_sed round key
  echo ">> what if: stack (1) with other settings, each also under uWSGI alone; $(machine)"
  summary_add "" "What would meet the targets: stack (1) with other settings (copies of its ini and site), each against" \
    "the seed above and against the same ini under uWSGI alone (median of $rounds round(s)):" "" \
    "| configuration | requests/s via nginx | p99 | requests/s uWSGI alone | (1)/(2) req/s | >= 1.3x | p99 (1) / (2) | lower | (1)/(3) | >= 0.90 |" \
    "| --- | ---: | ---: | ---: | ---: | --- | ---: | --- | ---: | --- |"
  for spec in "${whatif_list[@]}"; do
    n=$((n + 1))
    IFS='|' read -r label opts nginx_sed <<<"$spec"
    whatif_setup "$c" "$opts" "$nginx_sed"
    stack_label[v$n]="what if: $label"
    stack_label[v${n}a]="what if: $label, uWSGI alone"
    for round in $(seq "$rounds"); do
      measure "$c" "v$n" webstack-bench-variant.service http://127.0.0.1:8083/
      measure "$c" "v${n}a" webstack-bench-variant-alone.service http://127.0.0.1:5003/
    done
    targets "v$n" 2 "v${n}a" "targets ($label)"
    key=$(median "v$n")
    summary_add "| $label | $(field "$key" 1) | $(field "$key" 4) ms | $(field "$(median "v${n}a")" 1) $targets_row"
  done
  cexec "$c" systemctl stop webstack-bench-variant.service webstack-bench-variant-alone.service
  cexec "$c" sh -c 'rm -f /etc/nginx/conf.d/webstack-bench-variant.conf && systemctl reload nginx'
  activate "$c" "${stack_unit[1]}" "${stack_url[1]}"
}

# whatif_setup CONTAINER OPTIONS NGINX_SED: variant.ini (unix socket, nginx on
# 8083) and variant-alone.ini (http-socket 127.0.0.1:5003) from site.yml's ini.
whatif_setup() {
  cexec -i "$1" bash -s "$2" "$3" <<'SH'
set -euo pipefail
opts=$1 nginx_sed=$2
ini=$(ls /etc/uwsgi-app/*.ini | head -n 1)
app=$(basename "$ini" .ini)
sock=$(sed -n 's/^socket = //p' "$ini")
site=$(grep -l "uwsgi_pass unix:$sock;" /etc/nginx/sites-enabled/* | head -n 1)
cp "$ini" /tmp/variant.ini
IFS=, read -ra kvs <<<"$opts"
for kv in "${kvs[@]}"; do
  key=${kv%%=*} value=${kv#*=}
  sed -i -e "/^$key = /d" -e "s|^\[uwsgi\]\$|&\n$key = $value|" /tmp/variant.ini
done
sed -e "s|^socket = .*|socket = /run/webstack-bench-variant/uwsgi.sock|" -e '/^stats = /d' \
  /tmp/variant.ini >/etc/webstack-bench/variant.ini
sed -e 's|^socket = .*|http-socket = 127.0.0.1:5003|' -e '/^chmod-socket = /d' -e '/^chown-socket = /d' \
  -e '/^stats = /d' -e 's|^\[uwsgi\]$|&\nadd-header = Connection: close|' /tmp/variant.ini >/etc/webstack-bench/variant-alone.ini
sed -e 's|^\(    listen \)[0-9]*\( default_server\)\?;|\18083;|' \
  -e "s|uwsgi_pass unix:$sock;|uwsgi_pass unix:/run/webstack-bench-variant/uwsgi.sock;|" \
  ${nginx_sed:+-e "$nginx_sed"} "$site" >/etc/nginx/conf.d/webstack-bench-variant.conf
nginx -t -q
systemctl reload nginx
SH
}

# ---------------------------------------------------------------- fleet

section_fleet() {
  local what="fresh converge" hosts="3 (lb1 Debian 12, app1 Debian 12, app2 Debian 13)"
  echo ">> site.yml on the fleet $fleet_prefix: lb1 (Debian 12), app1 (Debian 12), app2 (Debian 13)"
  fleet_up "$fleet_prefix" "$fleet_inventory" lb1:12 app1:12 app2:13
  [ "$fleet_state" = fresh ] || what="re-converge (reused containers)"
  time_playbook "site.yml, $what" "$hosts" "$fleet_inventory" site.yml
  time_playbook "site.yml, no-op re-run" "$hosts" "$fleet_inventory" site.yml
}

# ---------------------------------------------------------------- rollout

# A rolling release (playbooks/rolling_release.yml) of a new version of the
# example app on the converged fleet, then playbooks/rollback.yml, each under a
# bounded load through lb1 (scripts/http_load.py inside lb1, HTTPS to itself,
# BENCH_ROLLOUT_CONNECTIONS keep-alive connections, stopped when the playbook
# ends, at most 300 s): requests during the rollout, errors, rollout time.
section_rollout() {
  local lb=$fleet_prefix-lb1 dir=$work/rollout connections=${BENCH_ROLLOUT_CONNECTIONS:-4}
  if ! docker container inspect "$lb" >/dev/null 2>&1; then
    echo "section rollout needs the fleet: run it after the section fleet" >&2
    return 1
  fi
  echo ">> rolling release and rollback on $fleet_prefix under load through lb1 ($connections connections); $(machine)"
  rm -rf "$dir"
  mkdir -p "$dir"
  cp -r examples/flask_app "$dir/next"
  # Other content, so another release id, on every run.
  echo "# benchmark release $(date -u +%Y%m%dT%H%M%SZ)" >>"$dir/next/wsgi.py"
  python3 - "$dir" <<'PY'
import json, os, sys
d = os.path.abspath(sys.argv[1])
apps = [{"name": "hello", "src": d + "/next", "module": "wsgi:app", "env": {"GREETING": "hello"}}]
json.dump({"uwsgi_app_apps": apps}, open(d + "/next.json", "w"))
PY
  docker cp scripts/http_load.py "$lb:/root/http_load.py" >/dev/null
  summary_add "" "Rolling releases on the 3-host fleet (webstack_serial 1) under load through lb1 (scripts/http_load.py in lb1," \
    "$connections keep-alive HTTPS connections, from before the playbook starts until it ends):" "" \
    "| run | playbook time | requests | requests/s | non-2xx | socket errors | keep-alive retries | answers per host | answers per release |" \
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |"
  rollout_run "rolling release of a new version" "$dir/next.json" playbooks/rolling_release.yml
  rollout_run "fleet-wide rollback" "" playbooks/rollback.yml
}

# rollout_run LABEL EXTRA_VARS_FILE PLAYBOOK
rollout_run() {
  local label=$1 extra=$2 playbook=$3 lb=$fleet_prefix-lb1 log load_out pid start end rc=0 secs figures
  log=$logdir/rollout-$(printf '%s' "$label" | tr -c 'A-Za-z0-9' '-').log
  load_out=$work/rollout/load-$(printf '%s' "$label" | tr -c 'A-Za-z0-9' '-').json
  cexec "$lb" rm -f /tmp/http_load.stop
  cexec "$lb" python3 /root/http_load.py https://127.0.0.1/ --host www.example.org \
    --connections "${BENCH_ROLLOUT_CONNECTIONS:-4}" --max-seconds 300 --stop-file /tmp/http_load.stop >"$load_out" &
  pid=$!
  sleep 2   # the load is running before the playbook starts
  start=$(date +%s.%N)
  ansible-playbook -i "$fleet_inventory" ${extra:+--extra-vars "@$extra"} "$playbook" >"$log" 2>&1 || rc=$?
  end=$(date +%s.%N)
  sleep 2
  cexec "$lb" touch /tmp/http_load.stop
  wait "$pid"
  if [ "$rc" -ne 0 ]; then
    tail -n 40 "$log" >&2
    echo "ansible-playbook $playbook failed (rc=$rc); log: $log" >&2
    return 1
  fi
  secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
  figures=$(python3 - "$load_out" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
fmt = lambda d: ", ".join("%s %d" % kv for kv in sorted(d.items()))
print("%d|%s|%d|%d|%d|%s|%s" % (r["requests"], r["requests_per_second"], r["non_2xx"], r["socket_errors"],
                               r["keepalive_retries"], fmt(r["hosts"]), fmt(r["releases"])))
PY
)
  IFS='|' read -r requests rps non2xx sockerr retries hosts releases <<<"$figures"
  printf '   %-34s %7s s   %s requests (%s/s), %s non-2xx, %s socket errors, %s keep-alive retries; hosts: %s; releases: %s\n' \
    "$label" "$secs" "$requests" "$rps" "$non2xx" "$sockerr" "$retries" "$hosts" "$releases"
  summary_add "| $label | $secs s | $requests | $rps | $non2xx | $sockerr | $retries | $hosts | $releases |"
}

# ---------------------------------------------------------------- main

bench_start=$(date +%s)
echo "webstack.nginx_uwsgi benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -m), $(machine)"
echo "sections: $sections"
for section in $sections; do
  if [ "$(type -t "section_$section")" != function ]; then
    echo "unknown section: $section" >&2
    exit 2
  fi
  "section_$section"
done

echo
echo "== summary ($(( $(date +%s) - bench_start )) s in all; figures are noisy: 2 cores shared with other work, see load)"
if [ "${#timing_rows[@]}" -gt 0 ]; then
  echo
  echo "ansible-playbook (community.docker.docker connection, pipelining), wall time and recap:"
  echo
  echo "| run | hosts | time | recap | load before |"
  echo "| --- | --- | ---: | --- | --- |"
  printf '%s\n' "${timing_rows[@]}"
fi
[ "${#summary[@]}" -eq 0 ] || printf '%s\n' "${summary[@]}"
