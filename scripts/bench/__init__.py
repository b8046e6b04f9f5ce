# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""`make bench` (python3 -m scripts.bench): figures of the collection, printed.

A measurement, not a test: nothing passes or fails on time (a failed
playbook, or a stack that does not answer, stops the run). Plain Python 3
standard library; the containers come from scripts/fleet.sh (images of
scripts/build-images.sh) and are removed at the end, also on Ctrl-C.

Sections, run in the order of BENCH_SECTIONS (one module per kind of
measurement; what they share: settings.py, runner.py, containers.py,
playbooks.py, wrk.py and report.py):
  nginx_role  converge.py: the nginx role alone on a new Debian 12 container,
              fresh converge and no-op re-run.
  single      converge.py: site.yml on one new Debian 12 container in both
              groups (the example inventory's group_vars), fresh converge and
              no-op re-run.
  throughput  throughput.py: wrk inside that container against loopback, for
              the stacks of BENCH_STACKS (collection, seed, alone, reference
              (hand-tuned), control (the hand-tuned stack measured again:
              the noise of a round), fullpath), one stack's uWSGI at a time, in
              interleaved rounds; every round, the median round, the worst p99
              and the ratios. Converges the single host first when the single
              section did not run before it.
  fleet       converge.py: site.yml on lb1 (Debian 12), app1 (12) and app2
              (13), fresh converge and no-op re-run.
  rollout     rollout.py: on that fleet, under load through lb1
              (scripts/http_load.py): a rolling release of a new version of
              the example app, then the fleet-wide rollback. Converges the
              fleet first when the fleet section did not run before it.
  fleet_ssh   converge.py: the fleet playbook (webstack.nginx_uwsgi.site) of
              the collection built and installed from its tarball into a
              temporary directory, over SSH (webstack/debian-ssh images, a
              per-run ed25519 key, pipelining, ControlPersist, forks N+1), on
              lb1 and N app hosts (Debian 13 and 12 in turn) for each N of
              BENCH_SSH_SIZES, each on new containers removed right after:
              fresh converge and no-op re-run, ratios against the smallest N,
              tasks, SSH round trips (runs of ssh, sftp and scp, counted by a
              wrapper) and the recap per kind of host.
  scale       scale.py, only when named (make bench-scale): lb1 and
              BENCH_SCALE_BASE app hosts, then lb1 and BENCH_SCALE_HOSTS app
              hosts (webstack/debian-ssh:12, started 6 at a time), over SSH
              with the installed tarball, forks = hosts, the wheelhouse on:
              fresh converge, no-op re-run and a rolling release
              (webstack_serial [1, "10%", "25%"]) under load through lb1;
              per app host (N against the base) and the estimate for 500 app
              hosts of the controller's CPU, SSH round trips and memory.
Every timed playbook reports the controller's CPU (user + system of
ansible-playbook and all it forks and waits for, plus the SSH ControlPersist
masters' of runs over SSH, read from /proc) and the peak memory of its
process tree (procs.py).
The summary at the end has markdown tables to paste into docs/speed.md.

Settings (environment, default in brackets):
  BENCH_SECTIONS      sections to run, in order (scale too when named)
                      [nginx_role single throughput fleet rollout fleet_ssh]
  BENCH_PREFIX        name prefix of the containers; must start with
                      webstack-bench, so it never names Molecule's or the
                      demo's containers                      [webstack-bench]
  BENCH_FLEET_PREFIX  prefix of the 3-host fleet             [webstack-benchfleet]
  BENCH_SSH_PREFIX    prefix of the fleets over SSH; each size N gets
                      PREFIX-nN-lb1, PREFIX-nN-app1...     [webstack-benchssh]
  BENCH_SSH_SIZES     the numbers of app hosts of fleet_ssh, commas    [1,4,9]
  BENCH_SCALE_PREFIX  prefix of the scale fleets; each gets PREFIX-nN-lb1,
                      PREFIX-nN-app1...                [webstack-bench-scale]
  BENCH_SCALE_HOSTS   app hosts of the scale section's large fleet, 2-200 [50]
  BENCH_SCALE_BASE    app hosts of its base fleet, below BENCH_SCALE_HOSTS [1]
  BENCH_KEEP          1: keep the containers at the end; a later run reuses
                      them (its converges are then not fresh)            [0]
  BENCH_THREADS, BENCH_CONNECTIONS, BENCH_SECONDS, BENCH_WARMUP
                      wrk per measurement: threads, connections, seconds
                      measured after seconds of warm-up           [2 32 8 2]
  BENCH_ROUNDS        interleaved rounds over the stacks; each round is
                      printed, the median round by requests/s compared   [5]
  BENCH_STACKS        throughput stacks; (1) collection is always measured
                      [collection seed alone reference control fullpath]
  BENCH_WHATIF        auto (when (1) misses a target against the seed or
                      uWSGI alone), 1 or 0: measure stack (1) with other
                      settings                                        [auto]
  BENCH_WHATIF_LIST   the what-if variants, one a line:
                      "label|uWSGI options|nginx directives", options as
                      key=value,key= (empty: removed), directives separated
                      by ";"                 [stackfiles.DEFAULT_WHATIF]
  BENCH_ROLLOUT_CONNECTIONS  keep-alive connections of the load during the
                      rollouts                                           [4]
  BENCH_ROLLOUT_MAX_SECONDS  longest the load runs per rollout (the playbook
                      is not stopped)                                  [300]

Files: logs of every playbook in .cache/bench/logs; the files the throughput
section wrote in the container, copied to .cache/bench/throughput/files; the
inventories in .cache/bench and inventories/example/bench.ini (git-ignored).
"""
