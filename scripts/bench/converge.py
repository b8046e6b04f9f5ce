# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Converge times: wall time and PLAY RECAP of a fresh converge and of a no-op re-run.

Sections:
  nginx_role  the nginx role alone on a new Debian 12 container;
  single      site.yml on one new Debian 12 container in both groups (the
              example inventory's group_vars); the throughput section runs
              on that converged host;
  fleet       site.yml on lb1 (Debian 12), app1 (12) and app2 (13); the
              rollout section runs on that converged fleet.
  fleet_ssh   the fleet playbook (webstack.nginx_uwsgi.site) of the collection
              installed from its tarball, over SSH, on lb1 and N app hosts
              (Debian 13 and 12 in turn) for each N of BENCH_SSH_SIZES: fresh
              converge and no-op re-run, the ratios against the smallest N,
              the tasks and the SSH round trips (a wrapper around ssh, sftp
              and scp counts their runs).
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import tempfile

from . import containers, playbooks, report
from .settings import REPO, WORK, BenchError

NGINX_ROLE_PLAY = '''---
- name: Benchmark - nginx role
  hosts: all
  gather_facts: false
  roles:
    - role: webstack.nginx_uwsgi.nginx
'''

FLEET_HOSTS = '3 (lb1 Debian 12, app1 Debian 12, app2 Debian 13)'
FLEET_INVENTORY = os.path.join(REPO, 'inventories', 'example', 'bench.ini')  # git-ignored; group_vars beside it


def _what(state, containers):
    return 'fresh converge' if state == 'fresh' else 're-converge (reused %s)' % containers


def nginx_role(bench):
    prefix = bench.settings.prefix + '-nginxrole'
    work = os.path.join(WORK, 'nginx_role')
    inventory, play = os.path.join(work, 'hosts.ini'), os.path.join(work, 'play.yml')
    report.say('>> nginx role alone on %s-nginx (Debian 12)' % prefix)
    state = bench.fleet_up(prefix, inventory, 'nginx:12')
    with open(play, 'w', encoding='utf-8') as handle:
        handle.write(NGINX_ROLE_PLAY)
    bench.time_playbook('nginx role, ' + _what(state, 'container'), '1 (Debian 12)', inventory, play)
    bench.time_playbook('nginx role, no-op re-run', '1 (Debian 12)', inventory, play)


def single(bench):
    prefix = bench.settings.prefix
    container = prefix + '-single'
    work = os.path.join(WORK, 'single')
    inventory = os.path.join(work, 'hosts.ini')
    hosts = '1 (Debian 12, both groups)'
    report.say('>> site.yml on %s (Debian 12, in webstack_appservers and webstack_loadbalancers)' % container)
    state = bench.fleet_up(prefix, os.path.join(work, 'fleet.ini'), 'single:12')
    # One host in both groups; the example inventory's group_vars beside it.
    group_vars = os.path.join(work, 'group_vars')
    if os.path.lexists(group_vars):
        os.unlink(group_vars)
    os.symlink(os.path.join(REPO, 'inventories', 'example', 'group_vars'), group_vars)
    with open(inventory, 'w', encoding='utf-8') as handle:
        handle.write('[webstack_appservers]\nsingle ansible_connection=community.docker.docker ansible_host=%s\n\n'
                     '[webstack_loadbalancers]\nsingle\n' % container)
    site = os.path.join(REPO, 'site.yml')
    bench.time_playbook('site.yml, ' + _what(state, 'container'), hosts, inventory, site)
    bench.time_playbook('site.yml, no-op re-run', hosts, inventory, site)
    bench.state['single'] = {'container': container, 'inventory': inventory}


def fleet(bench):
    prefix = bench.settings.fleet_prefix
    report.say('>> site.yml on the fleet %s: lb1 (Debian 12), app1 (Debian 12), app2 (Debian 13)' % prefix)
    state = bench.fleet_up(prefix, FLEET_INVENTORY, 'lb1:12', 'app1:12', 'app2:13')
    site = os.path.join(REPO, 'site.yml')
    bench.time_playbook('site.yml, ' + _what(state, 'containers'), FLEET_HOSTS, FLEET_INVENTORY, site)
    bench.time_playbook('site.yml, no-op re-run', FLEET_HOSTS, FLEET_INVENTORY, site)
    bench.state['fleet'] = {'prefix': prefix, 'inventory': FLEET_INVENTORY, 'lb': prefix + '-lb1'}


# ---------------------------------------------------------------- fleet over SSH

SSH_ARGS = ('-o ControlMaster=auto -o ControlPersist=120s -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null '
            '-o LogLevel=ERROR')
SSH_CFG = """# written by python3 -m scripts.bench (sections fleet_ssh and scale)
[defaults]
interpreter_python = auto_silent
callback_result_format = yaml
host_key_checking = False

[ssh_connection]
pipelining = True
ssh_args = %(ssh_args)s
ssh_executable = %(bin)s/ssh
sftp_executable = %(bin)s/sftp
scp_executable = %(bin)s/scp
"""
# One line a run of ssh, sftp or scp (to the file $BENCH_SSH_TRIPS), then the real one.
TRIP_WRAPPER = """#!/bin/sh
[ -z "$BENCH_SSH_TRIPS" ] || printf '%%s %%s\\n' "${0##*/}" "$*" >>"$BENCH_SSH_TRIPS"
exec %s "$@"
"""
TARGETS = {'fresh': 3.0, 'noop': 2.5}  # issue 14: 10 hosts against 2 (N=9 against N=1)


def ssh_specs(size):
    """fleet.sh specs of one load balancer and size app hosts, Debian 13 and 12 in turn (app1 on 13, so that every
    size has both)."""
    return ['lb1:12'] + ['app%d:%s' % (i, '13' if i % 2 else '12') for i in range(1, size + 1)]


def inventory_hosts(text):
    """{name: (group, vars)} of an INI inventory as fleet.sh writes it (one host a line, key=value vars)."""
    hosts, group = {}, None
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith(('#', ';')):
            continue
        if line.startswith('['):
            group = line.strip('[]')
            continue
        words = line.split()
        hosts[words[0]] = (group, dict(word.split('=', 1) for word in words[1:] if '=' in word))
    return hosts


def count_tasks(text):
    """How many tasks (and handlers) the default callback announced in an ansible-playbook log."""
    return len(re.findall(r'^(?:TASK|RUNNING HANDLER) \[', text, flags=re.M))


def count_round_trips(lines, kind_of_address):
    """{kind: runs} of ssh, sftp and scp (wrapper lines "ssh ARGS"), by the kind of the host whose address the
    arguments name; "ssh -O" (ControlMaster control commands) does not reach the host and is left out."""
    counts = {}
    for line in lines:
        words = line.split()
        if not words or words[0] not in ('ssh', 'sftp', 'scp') or (words[0] == 'ssh' and '-O' in words):
            continue
        kind = next((kind_of_address[word] for word in words[1:] if word in kind_of_address), '?')
        # scp and sftp name the host inside a spec ("[10.0.0.2]:/path"), sftp a batch on stdin
        if kind == '?':
            kind = next((kind for address, kind in kind_of_address.items()
                         if re.search(r'(^|[\s@\[])%s([\]:\s]|$)' % re.escape(address), line)), '?')
        counts[kind] = counts.get(kind, 0) + 1
    return counts


def recap_by_kind(recap, kind_of_host, keys=('ok', 'changed', 'skipped')):
    """{kind: {key: (lowest, highest)}} over the hosts of each kind of a parsed PLAY RECAP."""
    kinds = {}
    for host, counts in recap.items():
        kind = kind_of_host.get(host, '?')
        for key in keys:
            value = counts.get(key, 0)
            low, high = kinds.setdefault(kind, {}).get(key, (value, value))
            kinds[kind][key] = (min(low, value), max(high, value))
    return kinds


def format_kind_recap(counts):
    """"ok=66 changed=24 skipped=30" (a range "ok=66-67" where the hosts of a kind differ)."""
    return ' '.join('%s=%s' % (key, low if low == high else '%d-%d' % (low, high))
                    for key, (low, high) in counts.items())


def scaling_rows(results):
    """Rows of the timing table: results are dicts (size, hosts, forks, fresh and noop wall seconds, fresh_cpu
    and noop_cpu controller CPU seconds, load), the ratios (of wall time) are against the first (smallest) size."""
    base = results[0] if results else None
    rows = []
    for r in results:
        row = [str(r['size']), str(r['hosts']), str(r['forks'])]
        for run in ('fresh', 'noop'):
            row += ['%.1f s' % r[run], '%.1f s' % r[run + '_cpu'], report.fmt_ratio(report.ratio(r[run], base[run]))]
        rows.append(row + [r['load']])
    return rows


SCALING_HEADER = ['N', 'hosts', 'forks', 'fresh converge', 'controller CPU', '× N=%d', 'no-op re-run',
                  'controller CPU', '× N=%d', 'load before']


def work_rows(results):
    """Rows of the table of what each run did: tasks, round trips (all, per host), the SSH masters' share of the
    controller CPU, the peak memory of ansible-playbook's process tree and the recap by kind."""
    rows = []
    for r in results:
        for run in ('fresh', 'noop'):
            trips = r[run + '_trips']
            total = sum(trips.values())
            rows.append([str(r['size']), 'fresh converge' if run == 'fresh' else 'no-op re-run',
                         str(r[run + '_tasks']), str(total), '%.1f' % (total / r['hosts']),
                         '%.1f s' % r[run + '_masters'], playbooks.format_bytes(r[run + '_rss']),
                         format_kind_recap(r[run + '_recap'].get('lb', {})),
                         format_kind_recap(r[run + '_recap'].get('app', {}))])
    return rows


WORK_HEADER = ['N', 'run', 'tasks', 'SSH round trips', 'per host', 'SSH masters CPU', 'peak memory', 'lb1 recap',
               'app hosts recap']


def target_lines(results):
    """Issue 14's targets (10 hosts against 2: N=9 against N=1), met or not; none when those sizes were not run."""
    by_size = dict((r['size'], r) for r in results)
    if 1 not in by_size or 9 not in by_size:
        return []
    lines = []
    for run, name in (('noop', 'no-op re-run'), ('fresh', 'fresh converge')):
        value = report.ratio(by_size[9][run], by_size[1][run])
        lines.append('%s of 10 hosts: %s the time of 2 hosts (target: at most %.1f×): %s'
                     % (name, report.fmt_ratio(value), TARGETS[run], 'met' if value <= TARGETS[run] else 'MISSED'))
    return lines


def _ssh_tools(tmp, ssh_args=SSH_ARGS):
    """The per-run key, the collection installed from its tarball, an ansible.cfg (with ssh_args) and the counting
    wrappers."""
    key = os.path.join(tmp, 'id_ed25519')
    containers.run(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', 'webstack-bench', '-f', key])
    tarball = containers.run([os.path.join(REPO, 'scripts', 'build-collection.sh'),
                              os.path.join(tmp, 'build')], timeout=300).stdout.strip()
    collections = os.path.join(tmp, 'build', 'collections')
    wrappers = os.path.join(tmp, 'bin')
    os.makedirs(wrappers)
    for tool in ('ssh', 'sftp', 'scp'):
        real = shutil.which(tool)
        if not real:
            raise BenchError('no %s on this machine' % tool)
        path = os.path.join(wrappers, tool)
        with open(path, 'w', encoding='utf-8') as handle:
            handle.write(TRIP_WRAPPER % real)
        os.chmod(path, 0o755)
    cfg = os.path.join(tmp, 'ansible.cfg')
    with open(cfg, 'w', encoding='utf-8') as handle:
        handle.write(SSH_CFG % {'ssh_args': ssh_args, 'bin': wrappers})
    env = {'ANSIBLE_CONFIG': cfg, 'ANSIBLE_COLLECTIONS_PATH': collections}
    # The playbook must come from the installed tarball, never from the checkout.
    listed = containers.run(['ansible-galaxy', 'collection', 'list', 'webstack.nginx_uwsgi'],
                            env=dict(os.environ, **env)).stdout
    paths = re.findall(r'^# (\S+)$', listed, flags=re.M)
    if paths != [os.path.join(collections, 'ansible_collections')]:
        raise BenchError('webstack.nginx_uwsgi is not (only) the installed tarball: %s' % listed)
    report.say('   collection %s installed in %s' % (os.path.basename(tarball), collections))
    return key, env


def _ssh_group_vars(directory):
    """The example inventory's group_vars, with the app's src an absolute path (playbook_dir is inside the
    installed collection)."""
    example = os.path.join(REPO, 'inventories', 'example', 'group_vars')
    os.makedirs(directory, exist_ok=True)
    for name in os.listdir(example):
        with open(os.path.join(example, name), encoding='utf-8') as handle:
            text = handle.read()
        if name == 'webstack_appservers.yml':
            old = '"{{ playbook_dir }}/../examples/flask_app"'
            if old not in text:
                raise BenchError('%s: no %s to replace' % (name, old))
            text = text.replace(old, '"%s"' % os.path.join(REPO, 'examples', 'flask_app'))
        with open(os.path.join(directory, name), 'w', encoding='utf-8') as handle:
            handle.write(text)


def _close_masters(control_dir):
    """End the ControlPersist masters of a size (their hosts are about to go)."""
    for path in glob.glob(os.path.join(control_dir, '*')):
        subprocess.run(['ssh', '-o', 'ControlPath=' + path, '-O', 'exit', 'bench'], capture_output=True,
                       timeout=30, check=False)


def _ssh_size(bench, tmp, key, env, size):
    prefix = '%s-n%d' % (bench.settings.ssh_prefix, size)
    work = os.path.join(WORK, 'fleet_ssh', 'n%d' % size)
    inventory = os.path.join(work, 'hosts.ini')
    control_dir = os.path.join(tmp, 'cp-%d' % size)
    os.makedirs(control_dir)
    hosts = size + 1
    forks = size + 1
    report.say('>> fleet over SSH, N=%d: %s-lb1 and %d app host(s), forks %d' % (size, prefix, size, forks))
    try:
        state = bench.fleet_up(prefix, inventory, *ssh_specs(size),
                               env={'FLEET_IMAGE': 'webstack/debian-ssh', 'FLEET_SSH_KEY': key})
        _ssh_group_vars(os.path.join(work, 'group_vars'))
        with open(inventory, encoding='utf-8') as handle:
            found = inventory_hosts(handle.read())
        kind_of_host = dict((name, 'lb' if entry[0] == 'webstack_loadbalancers' else 'app')
                            for name, entry in found.items())
        kind_of_address = dict((entry[1]['ansible_host'], kind_of_host[name]) for name, entry in found.items())
        result = {'size': size, 'hosts': hosts, 'forks': forks, 'load': containers.loadavg()}
        for run in ('fresh', 'noop'):
            trips = os.path.join(tmp, 'trips-%d-%s' % (size, run))
            open(trips, 'w', encoding='utf-8').close()
            what = _what(state, 'containers') if run == 'fresh' else 'no-op re-run'
            run_env = dict(env, ANSIBLE_FORKS=str(forks), ANSIBLE_SSH_CONTROL_PATH_DIR=control_dir,
                           BENCH_SSH_TRIPS=trips)
            played = bench.time_playbook('fleet over SSH, ' + what, '%d (lb1, %d app)' % (hosts, size), inventory,
                                         'webstack.nginx_uwsgi.site', env=run_env)
            with open(played.log, encoding='utf-8') as handle:
                result[run + '_tasks'] = count_tasks(handle.read())
            with open(trips, encoding='utf-8') as handle:
                result[run + '_trips'] = count_round_trips(handle.read().splitlines(), kind_of_address)
            result[run] = played.seconds
            result[run + '_cpu'] = played.cpu
            result[run + '_masters'] = played.masters_cpu
            result[run + '_rss'] = played.peak_rss
            result[run + '_recap'] = recap_by_kind(played.recap, kind_of_host)
            report.say('   %d tasks, %d SSH round trips (%s)'
                       % (result[run + '_tasks'], sum(result[run + '_trips'].values()),
                          ', '.join('%s %d' % item for item in sorted(result[run + '_trips'].items()))))
        return result
    finally:
        _close_masters(control_dir)
        bench.fleet_down(prefix)


def fleet_ssh(bench):
    sizes = sorted(bench.settings.ssh_sizes)
    report.say('>> fleet playbook of the installed collection over SSH, lb1 and N app hosts, N = %s'
               % ', '.join(str(n) for n in sizes))
    tmp = tempfile.mkdtemp(prefix='webstack-bench-ssh-')
    results = []
    try:
        key, env = _ssh_tools(tmp)
        for size in sizes:
            results.append(_ssh_size(bench, tmp, key, env, size))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if results:
            base = results[0]['size']
            bench.add_summary(
                '', 'Over SSH, as the fleet grows: webstack.nginx_uwsgi.site of the installed tarball, lb1 and N app '
                'hosts, pipelining, ControlPersist, forks N+1 (wall time, controller CPU with the SSH masters\', '
                'ratios of wall time against N=%d):' % base, '',
                *report.markdown_table([h.replace('%d', str(base)) for h in SCALING_HEADER], scaling_rows(results),
                                       'rrrrrrrrrl'))
            bench.add_summary('', *report.markdown_table(WORK_HEADER, work_rows(results), 'rlrrrrrll'))
            targets = target_lines(results)
            if targets:
                bench.add_summary('', *targets)
