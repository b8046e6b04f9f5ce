# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The scale section: what the controller spends on a fleet past the demo's size, and an estimate for 500 app hosts.

Two fleets in turn, each over SSH (webstack/debian-ssh:12 for every host, a
per-run key, pipelining, ControlPersist for the whole section, forks = hosts)
and removed right after: first lb1 and BENCH_SCALE_BASE app hosts (the base),
then lb1 and BENCH_SCALE_HOSTS app hosts. The containers of a fleet are
started PARALLEL_STARTS at a time (scripts/fleet.sh, one call per host, each
waiting for its sshd; the inventories are merged). The collection is the
installed tarball (as in fleet_ssh), with the example inventory's group_vars
and uwsgi_app_wheelhouse true: the wheels are built once (on the first app
host, kept on the controller in a directory of the fleet's own) and every
other host installs them without an index. The hosts trust the apt lists of
their image for a week (APT_LISTS_TRUSTED): the packages are installed, the
lists not fetched again on every host.

Each fleet runs, timed (wall, controller CPU with the SSH masters' apart, SSH
round trips, peak memory of ansible-playbook's process tree; runner.py and
procs.py): a fresh converge of webstack.nginx_uwsgi.site, a no-op re-run, and
a rolling release of a new version of the example app
(webstack.nginx_uwsgi.rolling_release, webstack_serial [1, "10%", "25%"])
under load through lb1 (rollout.py: scripts/http_load.py in lb1, LOAD_PAUSE s
between the requests of each connection, stopped after the playbook or after
LOAD_SECONDS). The containers' memory (their memory cgroups: anonymous memory,
the RSS, and all of it with the page cache) is read after the fresh converge
and after the release.

Per app host: (figure with N app hosts - the same figure with the base) /
(N - base); for TARGET app hosts: base + (TARGET - base) × that. The
assumption (printed with it): the controller's work grows linearly with the
app hosts, the hosts are machines of their own (their work runs in parallel,
not on the controller's cores) and forks are enough for every host at once.
Wall time is not extrapolated: on this machine the hosts share its cores.

``app_specs``, ``merge_inventories``, ``cgroup_memory``, ``per_host``,
``extrapolate`` and the row builders take values, so that
tests/unit/scripts/test_bench_scale.py checks them without Docker.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
import time

from . import containers, converge, cpu_profile, playbooks, procs, report, rollout
from .settings import FLEET_SH, WORK, BenchError

IMAGE, VERSION = 'webstack/debian-ssh', '12'
PARALLEL_STARTS = 6
START_SECONDS = 300  # the longest one container may take to start and answer over SSH
INOTIFY_EACH = 8  # inotify instances of one booted container (systemd, dbus-daemon, logind: 7 seen, 1 spare)
TARGET = 500
SERIAL = '{"webstack_serial": [1, "10%", "25%"]}'
# long enough for the whole section: a host never waits so long between two tasks that its connection goes
SSH_ARGS = converge.SSH_ARGS.replace('ControlPersist=120s', 'ControlPersist=1800s')
LOAD_SECONDS = 600  # http_load.py's own bound
LOAD_PAUSE = 0.01  # seconds between requests per connection: at most 100 requests/s each, the cores are shared
# More environment of every run: the time of each task (ansible.posix.profile_tasks, which ships with the ansible
# package: its summary only, every task), and a longer SSH connect timeout than the default 10 s, for 51
# handshakes at once on the busy shared cores.
RUN_ENV = {'ANSIBLE_CALLBACKS_ENABLED': 'ansible.posix.profile_tasks', 'PROFILE_TASKS_SUMMARY_ONLY': 'true',
           'PROFILE_TASKS_TASK_OUTPUT_LIMIT': 'all', 'ANSIBLE_TIMEOUT': '30'}
SLOWEST = 6  # tasks per run in the summary
WATCH_INTERVAL = 1.0  # seconds between two samples of the controller's process tree (procs.Watch)
RUNS = (('fresh', 'fresh converge'), ('noop', 'no-op re-run'), ('release', 'rolling release'))
ASSUMPTION = ('assumes the controller\'s work grows linearly with the app hosts, the hosts are machines of their '
              'own (their work runs in parallel, not on the controller\'s cores) and forks = hosts; wall time is not '
              'extrapolated: here the %d-core machine runs the controller and every host at once')


def app_specs(size):
    """fleet.sh specs of size app hosts, all Debian 12 (one image, no per-host difference)."""
    return ['app%d:%s' % (i, VERSION) for i in range(1, size + 1)]


def merge_inventories(texts) -> str:
    """One INI inventory of fleet.sh's inventories (each of some hosts), the hosts of each group in turn."""
    groups = {'webstack_loadbalancers': [], 'webstack_appservers': []}
    for text in texts:
        group = None
        for line in text.splitlines():
            line = line.strip()
            if line.startswith('['):
                group = line.strip('[]')
                groups.setdefault(group, [])
            elif line and group:
                groups[group].append(line)
    return '\n'.join('[%s]\n%s' % (group, ''.join(line + '\n' for line in lines)) for group, lines in groups.items())


def parse_memory_stat(text) -> dict:
    """{key: int} of a cgroup's memory.stat ("total_rss 32215040" lines)."""
    return dict((words[0], int(words[1])) for words in (line.split() for line in text.splitlines())
                if len(words) == 2 and words[1].isdigit())


def cgroup_memory(stat_text, usage_text) -> tuple:
    """(anonymous memory, all of it with the page cache) in bytes of a container's memory cgroup, from its
    memory.stat and its usage (cgroup v1: total_rss and memory.usage_in_bytes; v2: anon and memory.current)."""
    stat = parse_memory_stat(stat_text)
    anon = stat['total_rss'] if 'total_rss' in stat else stat.get('anon')
    if anon is None or not usage_text.strip().isdigit():
        raise BenchError('no anonymous memory or usage in a memory cgroup: %r, %r' % (stat_text[:200], usage_text))
    return anon, int(usage_text)


def per_host(value, base_value, size, base):
    """What each app host beyond the base adds: (value - base_value) / (size - base)."""
    return (value - base_value) / (size - base)


def extrapolate(base_value, each, base, target=TARGET):
    """The figure for target app hosts, from the base's and the per-host one: base + (target - base) × each."""
    return base_value + (target - base) * each


TASK_TIME = re.compile(r'^(.+?) ?-+ ([0-9]+\.[0-9]+)s$')
RELEASE_ID = re.compile(r'\b[0-9a-f]{12}\b')


def task_times(text) -> dict:
    """{task name: seconds} of the TASKS RECAP of ansible.posix.profile_tasks in a log (the wall time from the
    task's start to the next one's, over all hosts; tasks of the same name summed, release ids in names replaced
    by <release>)."""
    times, inside = {}, False
    for line in text.splitlines():
        if line.startswith('TASKS RECAP'):
            times, inside = {}, True
        elif inside:
            match = TASK_TIME.match(line.rstrip())
            if match:
                # a release id in a task's name differs from run to run
                name = RELEASE_ID.sub('<release>', match.group(1))
                times[name] = times.get(name, 0.0) + float(match.group(2))
    return times


def slowest_rows(base_fleet, fleet, base, size, count=SLOWEST) -> list:
    """Rows of the table of the slowest tasks of each run of the large fleet, beside the same task's time with
    the base and what each app host beyond the base added."""
    rows = []
    for key, name in RUNS:
        if key not in fleet:
            continue
        times = fleet[key].get('task_times') or {}
        low = (base_fleet.get(key) or {}).get('task_times') or {}
        for task, seconds in sorted(times.items(), key=lambda item: -item[1])[:count]:
            before = low.get(task)
            rows.append([name, task, '%.1f s' % seconds, '-' if before is None else '%.1f s' % before,
                         '-' if before is None else '%.2f s' % per_host(seconds, before, size, base)])
    return rows


def figures(run) -> dict:
    """The figures of a run (a dict of the section, see fleet_runs) that are compared across fleets."""
    return {'cpu': run['cpu'], 'masters': run['masters'], 'trips': run['trips'], 'rss': run['rss'],
            'pss': run['pss']}


def run_rows(results) -> list:
    """Rows of the table of every run: results is {size: {'forks': n, 'load': text, run key: run dict}}."""
    rows = []
    for size in sorted(results):
        fleet = results[size]
        for key, name in RUNS:
            run = fleet.get(key)
            if run:
                rows.append([name, str(size), str(fleet['forks']), '%.1f s' % run['seconds'], '%.1f s' % run['cpu'],
                             '%.1f s' % run['masters'], str(run['trips']), playbooks.format_bytes(run['rss']),
                             playbooks.format_bytes(run['pss']), str(run['tasks']), run['load']])
    return rows


RUN_HEADER = ['run', 'app hosts', 'forks', 'wall', 'controller CPU', 'of which SSH masters', 'SSH round trips',
              'peak memory (RSS sum)', 'peak PSS', 'tasks', 'load before']


def per_host_rows(base_fleet, fleet, base, size, target=TARGET) -> list:
    """Rows of the per-host table and of the estimate for target app hosts, for each run both fleets made."""
    rows = []
    for key, name in RUNS:
        if key not in base_fleet or key not in fleet:
            continue
        low, high = figures(base_fleet[key]), figures(fleet[key])
        each = dict((k, per_host(high[k], value, size, base)) for k, value in low.items())
        at = dict((k, extrapolate(value, each[k], base, target)) for k, value in low.items())
        rows.append([name, '%.2f s' % each['cpu'], '%.2f s' % each['masters'], '%.1f' % each['trips'],
                     playbooks.format_bytes(max(each['rss'], 0)), playbooks.format_bytes(max(each['pss'], 0)),
                     '%.0f s (%.1f min)' % (at['cpu'], at['cpu'] / 60), '%.0f s' % at['masters'], '%.0f' % at['trips'],
                     playbooks.format_bytes(at['rss']), playbooks.format_bytes(at['pss'])])
    return rows


def per_host_header(target=TARGET) -> list:
    return ['run', 'CPU per app host', 'masters per app host', 'round trips per app host', 'RSS per app host',
            'PSS per app host', '%d app hosts: CPU' % target, 'masters', 'round trips', 'peak RSS', 'peak PSS']


def memory_line(usage, available) -> str:
    """"load balancer 31 MiB, app hosts 95 MiB on average (at most 110 MiB); 51 containers 4.69 GiB in all, 9.10 GiB
    with their page cache; ...": usage is {name: (anonymous bytes, bytes with the page cache)} (names ending in
    -lb1 are the load balancer), available the machine's MemAvailable in bytes."""
    lbs = [value[0] for name, value in usage.items() if re.search(r'-lb[0-9]+$', name)]
    apps = [value[0] for name, value in usage.items() if not re.search(r'-lb[0-9]+$', name)]
    parts = []
    if lbs:
        parts.append('load balancer %s' % playbooks.format_bytes(max(lbs)))
    if apps:
        parts.append('app hosts %s on average (at most %s)'
                     % (playbooks.format_bytes(sum(apps) / len(apps)), playbooks.format_bytes(max(apps))))
    return '%s; %d containers %s in all, %s with their page cache; the machine has %s available' % (
        ', '.join(parts), len(usage), playbooks.format_bytes(sum(value[0] for value in usage.values())),
        playbooks.format_bytes(sum(value[1] for value in usage.values())), playbooks.format_bytes(available))


# ------------------------------------------------------------------ containers

def inotify_shortfall(limit, in_use, new_containers, each=INOTIFY_EACH) -> int:
    """How many inotify instances short the machine's limit is for new_containers more systemd containers (0: none)."""
    return max(0, in_use + new_containers * each - limit)


def inotify_in_use() -> int:
    """The inotify instances open on this machine (file descriptors "anon_inode:inotify" of every process)."""
    count = 0
    for pid in os.listdir('/proc'):
        if pid.isdigit():
            try:
                fds = os.listdir('/proc/%s/fd' % pid)
            except OSError:
                continue
            for fd in fds:
                try:
                    count += os.readlink('/proc/%s/fd/%s' % (pid, fd)) == 'anon_inode:inotify'
                except OSError:
                    pass
    return count


def check_inotify(new_containers):
    """Every container's systemd (and its dbus-daemon and logind) holds inotify instances, all of user root: past
    fs.inotify.max_user_instances (128 by default) a new container's systemd never finishes booting and fleet.sh
    waits for its sshd forever. Fail first, with what to raise it to."""
    with open('/proc/sys/fs/inotify/max_user_instances', encoding='ascii') as handle:
        limit = int(handle.read())
    in_use = inotify_in_use()
    short = inotify_shortfall(limit, in_use, new_containers)
    if short:
        raise BenchError('fs.inotify.max_user_instances is %d, %d in use; %d more systemd containers need about %d '
                         'each: raise it, e.g. sysctl -w fs.inotify.max_user_instances=%d'
                         % (limit, in_use, new_containers, INOTIFY_EACH, max(1024, 2 * (limit + short))))


def start_fleet(bench, prefix, work, size, key):  # pylint: disable=too-many-locals
    """lb1 and size app hosts, one fleet.sh call per host, PARALLEL_STARTS at a time; (state, inventory,
    seconds). A call that fails or takes more than START_SECONDS stops the section (fleet.sh waits for systemd
    and sshd without a bound of its own); the calls still running are then ended (their process groups)."""
    env = dict(os.environ, FLEET_IMAGE=IMAGE, FLEET_SSH_KEY=key)
    parts = os.path.join(work, 'parts')
    shutil.rmtree(parts, ignore_errors=True)
    os.makedirs(parts)
    start = time.monotonic()
    # the first call makes the network (and removes an old fleet of the prefix); Bench removes it at the end
    state = bench.fleet_up(prefix, os.path.join(parts, 'lb1.ini'), 'lb1:' + VERSION,
                           env={'FLEET_IMAGE': IMAGE, 'FLEET_SSH_KEY': key})
    pending, running = app_specs(size), []
    try:
        while pending or running:
            while pending and len(running) < PARALLEL_STARTS:
                spec = pending.pop(0)
                name = spec.split(':')[0]
                with open(os.path.join(parts, name + '.log'), 'w', encoding='utf-8') as log:
                    proc = subprocess.Popen(  # pylint: disable=consider-using-with
                        [FLEET_SH, 'up', prefix, os.path.join(parts, name + '.ini'), spec], stdout=log,
                        stderr=subprocess.STDOUT, env=env, start_new_session=True)
                running.append((proc, name, time.monotonic()))
            time.sleep(0.2)
            for entry in list(running):
                proc, name, began = entry
                if proc.poll() is None and time.monotonic() - began < START_SECONDS:
                    continue
                running.remove(entry)
                if proc.returncode != 0:
                    what = 'no end after %d s' % START_SECONDS if proc.returncode is None else 'rc=%d' % proc.returncode
                    _end(proc)
                    with open(os.path.join(parts, name + '.log'), encoding='utf-8') as log:
                        tail = log.read()[-2000:]
                    raise BenchError('fleet.sh up %s %s: %s%s' % (prefix, name, what, '\n' + tail if tail else ''))
    finally:
        for proc, _name, _started in running:
            _end(proc)
    texts = []
    for name in ['lb1'] + [spec.split(':')[0] for spec in app_specs(size)]:
        with open(os.path.join(parts, name + '.ini'), encoding='utf-8') as handle:
            texts.append(handle.read())
    inventory = os.path.join(work, 'hosts.ini')
    with open(inventory, 'w', encoding='utf-8') as handle:
        handle.write(merge_inventories(texts))
    return state, inventory, time.monotonic() - start


def _end(proc):
    """End a fleet.sh call and what it runs (docker exec, ssh): its process group."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()


CGROUP_DIRS = ('/sys/fs/cgroup/memory/docker/%s',  # v1, cgroupfs driver
               '/sys/fs/cgroup/memory/system.slice/docker-%s.scope',  # v1, systemd driver
               '/sys/fs/cgroup/system.slice/docker-%s.scope',  # v2, systemd driver
               '/sys/fs/cgroup/docker/%s')  # v2, cgroupfs driver


def container_memory(prefix) -> dict:
    """{container name: (anonymous memory, with the page cache)} in bytes of the fleet's containers, from their
    memory cgroups (docker stats shows 0 B on this machine's cgroup v1); {} when no cgroup is found."""
    names = containers.run(['docker', 'ps', '--filter', 'label=webstack.fleet=%s' % prefix,
                            '--format', '{{.Names}}']).stdout.split()
    if not names:
        return {}
    usage = {}
    for line in containers.run(['docker', 'inspect', '-f', '{{.Name}} {{.Id}}'] + names).stdout.splitlines():
        name, ident = line.strip().lstrip('/').split()
        for pattern in CGROUP_DIRS:
            directory = pattern % ident
            usage_file = os.path.join(directory, 'memory.usage_in_bytes' if '/memory/' in pattern else 'memory.current')
            if os.path.exists(usage_file):
                with open(os.path.join(directory, 'memory.stat'), encoding='ascii') as stat, \
                        open(usage_file, encoding='ascii') as current:
                    usage[name] = cgroup_memory(stat.read(), current.read())
                break
        else:
            report.warn('   no memory cgroup of %s found (%s)' % (name, ', '.join(p % ident for p in CGROUP_DIRS)))
            return {}
    return usage


def mem_available() -> int:
    with open('/proc/meminfo', encoding='ascii') as handle:
        return procs.parse_kib(handle.read(), 'MemAvailable') * 1024


# ------------------------------------------------------------------ the runs

# The hosts trust the apt lists of their image for a week (the roles' default is an hour): apt-get update on 50
# hosts at once is their own work, not the controller's, and on this machine it shares the controller's cores
# (about 1.7 CPU seconds per host). The apt runs that install the packages stay.
APT_LISTS_TRUSTED = 7 * 24 * 3600
APT_CACHE_VARIABLES = ('firewall_apt_cache_valid_time', 'nginx_apt_cache_valid_time', 'uwsgi_app_apt_cache_valid_time')


def _group_vars(directory, wheelhouse):
    """The example inventory's group_vars (converge._ssh_group_vars), the app hosts with the wheelhouse, every host
    trusting its image's apt lists (APT_LISTS_TRUSTED)."""
    converge._ssh_group_vars(directory)  # pylint: disable=protected-access
    with open(os.path.join(directory, 'webstack_appservers.yml'), 'a', encoding='utf-8') as handle:
        handle.write('\n# scripts/bench/scale.py: wheels built once, on the first app host, kept on the controller\n'
                     'uwsgi_app_wheelhouse: true\nuwsgi_app_wheelhouse_dir: "%s"\n' % wheelhouse)
    with open(os.path.join(directory, 'all.yml'), 'a', encoding='utf-8') as handle:
        handle.write('\n# scripts/bench/scale.py: the apt lists of the image are trusted for %d seconds\n' % APT_LISTS_TRUSTED
                     + ''.join('%s: %d\n' % (name, APT_LISTS_TRUSTED) for name in APT_CACHE_VARIABLES))


def _run_figures(played, trips_path, kind_of_address, load) -> dict:
    with open(played.log, encoding='utf-8') as handle:
        text = handle.read()
    tasks = converge.count_tasks(text)
    with open(trips_path, encoding='utf-8') as handle:
        trips = converge.count_round_trips(handle.read().splitlines(), kind_of_address)
    return {'seconds': played.seconds, 'cpu': played.cpu, 'masters': played.masters_cpu,
            'trips': sum(trips.values()), 'trips_by_kind': trips, 'rss': played.peak_rss, 'pss': played.peak_pss,
            'processes': played.peak_processes, 'masters_rss': played.masters_rss, 'watch_cpu': played.watch_cpu,
            'tasks': tasks, 'recap': played.recap, 'load': load, 'task_times': task_times(text)}


def _say_run(label, run):
    report.say('      %d tasks, %d SSH round trips (%s); masters %.1f s of the CPU, %s RSS at most; peak %d processes '
               '(the watch itself: %.1f s CPU)'
               % (run['tasks'], run['trips'], ', '.join('%s %d' % kv for kv in sorted(run['trips_by_kind'].items())),
                  run['masters'], playbooks.format_bytes(run['masters_rss']), run['processes'], run['watch_cpu']))
    failed = dict((host, c) for host, c in run['recap'].items() if c.get('failed') or c.get('unreachable'))
    if failed:
        report.say('      %s: failures in the recap: %s' % (label, failed))


class Fleet:  # pylint: disable=too-many-instance-attributes
    """lb1 and size app hosts of the section: up, fresh converge, no-op re-run, rolling release under load, down.
    The figures go to result (a dict) as they come, so that a failure keeps those of the runs before it."""

    def __init__(self, bench, tools, size, result):
        self.bench = bench
        self.tmp, self.key, self.env = tools
        self.size = size
        self.result = result
        self.prefix = '%s-n%d' % (bench.settings.scale_prefix, size)
        self.work = os.path.join(WORK, 'scale', 'n%d' % size)
        self.control_dir = os.path.join(self.tmp, 'cp-%d' % size)
        self.inventory = None
        self.kind_of_address = {}
        result.update(forks=size + 1, phases=[])

    def run_env(self, run):
        """The trips file and the environment of a run (with the controller's CPU per task, written to
        cpu_out(run) by scripts/bench/callbacks/controller_cpu.py)."""
        trips = os.path.join(self.tmp, 'trips-%d-%s' % (self.size, run))
        with open(trips, 'w', encoding='utf-8'):
            pass
        environment = dict(self.env, ANSIBLE_FORKS=str(self.size + 1), ANSIBLE_SSH_CONTROL_PATH_DIR=self.control_dir,
                           BENCH_SSH_TRIPS=trips, **RUN_ENV)
        environment.update(cpu_profile.environment(self.cpu_out(run)))
        environment['ANSIBLE_CALLBACKS_ENABLED'] = RUN_ENV['ANSIBLE_CALLBACKS_ENABLED'] + ',controller_cpu'
        return trips, environment

    def cpu_out(self, run):
        return os.path.join(self.tmp, 'cpu-%d-%s.json' % (self.size, run))

    def note_plays(self, run):
        """The controller's CPU per task of a run (cpu_profile rows), kept with its figures."""
        if os.path.exists(self.cpu_out(run)):
            self.result[run]['cpu_rows'] = cpu_profile.load(self.cpu_out(run))

    def up(self) -> str:
        """The containers, the inventory and its group_vars; "fresh" or "reused"."""
        check_inotify(self.size + 1)
        state, self.inventory, seconds = start_fleet(self.bench, self.prefix, self.work, self.size, self.key)
        self.result['phases'].append(('containers up', seconds))
        report.say('   %d containers up in %.0f s (%d at a time)' % (self.size + 1, seconds, PARALLEL_STARTS))
        _group_vars(os.path.join(self.work, 'group_vars'), os.path.join(self.tmp, 'wheelhouse-%d' % self.size))
        with open(self.inventory, encoding='utf-8') as handle:
            found = converge.inventory_hosts(handle.read())
        if len(found) != self.size + 1:
            raise BenchError('%s has %d hosts, not %d' % (self.inventory, len(found), self.size + 1))
        self.kind_of_address = dict((entry[1]['ansible_host'], 'lb' if entry[0] == 'webstack_loadbalancers'
                                     else 'app') for entry in found.values())
        return state

    def memory(self, when):
        self.result['memory_' + when] = container_memory(self.prefix)
        self.result['available_' + when] = mem_available()
        report.say('      containers\' memory after the %s (their memory cgroups): %s'
                   % ('converge' if when == 'fresh' else 'release',
                      memory_line(self.result['memory_' + when], self.result['available_' + when])))

    def converge_runs(self, state):
        hosts = '%d (lb1, %d app)' % (self.size + 1, self.size)
        for run, name in RUNS[:2]:
            trips, environment = self.run_env(run)
            load = containers.loadavg()
            what = converge._what(state, 'containers')  # pylint: disable=protected-access
            played = self.bench.time_playbook('scale, ' + (what if run == 'fresh' else name), hosts, self.inventory,
                                              'webstack.nginx_uwsgi.site', env=environment)
            self.result[run] = _run_figures(played, trips, self.kind_of_address, load)
            self.note_plays(run)
            self.result['phases'].append((name, played.seconds))
            _say_run(name, self.result[run])
            if run == 'fresh':
                self.memory('fresh')

    def release(self):
        trips, environment = self.run_env('release')
        fleet = {'prefix': self.prefix, 'inventory': self.inventory, 'lb': self.prefix + '-lb1'}
        under_load = rollout.Rollout(self.bench, fleet, work=os.path.join(self.work, 'rollout'),
                                     max_seconds=LOAD_SECONDS, pause=LOAD_PAUSE, env=environment)
        extra = under_load.prepare()
        load = containers.loadavg()
        _load, played, answers = under_load.run('rolling release %d app hosts' % self.size,
                                                'webstack.nginx_uwsgi.rolling_release',
                                                ['--extra-vars', '@' + extra, '--extra-vars', SERIAL])
        self.result['release'] = _run_figures(played, trips, self.kind_of_address, load)
        self.note_plays('release')
        self.result['release_load'] = answers
        self.result['phases'].append(('rolling release', played.seconds))
        _say_run('rolling release', self.result['release'])
        if answers.get('seconds', 0) < played.seconds:
            report.say('      the load stopped before the playbook ended (%.0f s of %.0f s)'
                       % (answers.get('seconds', 0), played.seconds))
        self.memory('release')

    def down(self):
        start = time.monotonic()
        converge._close_masters(self.control_dir)  # pylint: disable=protected-access
        self.bench.fleet_down(self.prefix)
        self.result['phases'].append(('masters closed, containers removed', time.monotonic() - start))

    def runs(self):
        report.say('>> scale, %d app host(s): %s-lb1 and %s-app1..%d (%s:%s), forks %d; %s'
                   % (self.size, self.prefix, self.prefix, self.size, IMAGE, VERSION, self.size + 1,
                      self.bench.machine()))
        os.makedirs(self.control_dir)
        try:
            self.converge_runs(self.up())
            self.release()
        finally:
            self.down()


def section(bench):
    settings = bench.settings
    base, size = settings.scale_base, settings.scale_hosts
    report.say('>> scale: webstack.nginx_uwsgi.site and rolling_release of the installed collection over SSH, lb1 and '
               '%d app hosts, against lb1 and %d' % (size, base))
    tmp = tempfile.mkdtemp(prefix='webstack-bench-scale-')
    results = {}
    start = time.monotonic()
    # 51 hosts share the controller's 2 cores: a walk of /proc every 0.25 s cost the benchmark 61-75 CPU s during a
    # fresh converge of 50 app hosts; the peak memory of a run that long is caught once a second as well
    interval, bench.watch_interval = bench.watch_interval, WATCH_INTERVAL
    try:
        key, env = converge._ssh_tools(tmp, ssh_args=SSH_ARGS)  # pylint: disable=protected-access
        for count in (base, size):
            results[count] = {}
            Fleet(bench, (tmp, key, env), count, results[count]).runs()
    finally:
        bench.watch_interval = interval
        shutil.rmtree(tmp, ignore_errors=True)
        if results:
            _summary(bench, results, base, size, time.monotonic() - start)


def play_lines(results, base, size) -> list:
    """Markdown tables of the controller's CPU per play of each run, with the base and the large fleet, and per app
    host added (scripts/bench/cpu_profile.py); none for a run that lacks either account."""
    lines = []
    for run, name in RUNS:
        small = results.get(base, {}).get(run, {}).get('cpu_rows')
        large = results.get(size, {}).get(run, {}).get('cpu_rows')
        if not small or not large or size <= base:
            continue
        header, body = cpu_profile.rows(cpu_profile.per_host(small, large, size - base), 'N=%d' % base, 'N=%d' % size)
        lines += ['', 'Controller CPU per play, %s (scripts/bench/callbacks/controller_cpu.py; a worker\'s CPU counts '
                  'when it is waited for, so some of a play\'s lands on the next):' % name, '']
        lines += report.markdown_table(header, body, 'lrrr')
    return lines


def _summary(bench, results, base, size, seconds):
    lines = ['', 'Scale: webstack.nginx_uwsgi.site (fresh converge, no-op re-run) and rolling_release (a new '
             'release of the example app, webstack_serial [1, "10%%", "25%%"], under load through lb1) of the '
             'installed tarball over SSH, lb1 and %d app hosts against lb1 and %d, all %s:%s containers on this '
             'machine; pipelining, ControlPersist, forks = hosts, uwsgi_app_wheelhouse, the apt lists of the image '
             'trusted for a week (no apt-get update on each host of an image younger); the section took %.0f s '
             '(%s):' % (size, base, IMAGE, VERSION, seconds,
                        '; '.join('%d app: %s' % (count, ', '.join('%s %.0f s' % p for p in results[count]['phases']))
                                  for count in sorted(results))), '']
    lines += report.markdown_table(RUN_HEADER, run_rows(results), 'lrrrrrrrrrl')
    each = per_host_rows(results[base], results[size], base, size) if base in results and size in results else []
    if each:
        lines += ['', 'Per app host beyond the first %d: (figure with %d app hosts - figure with %d) / %d, and the '
                  'estimate for %d app hosts: figure with %d + %d × per app host; it %s.'
                  % (base, size, base, size - base, TARGET, base, TARGET - base, ASSUMPTION % (os.cpu_count() or 0)),
                  '']
        lines += report.markdown_table(per_host_header(), each, 'lrrrrrrrrrr')
    lines += play_lines(results, base, size)
    slow = slowest_rows(results.get(base, {}), results.get(size, {}), base, size) if size in results else []
    if slow:
        lines += ['', 'The slowest tasks with N=%d app hosts (ansible.posix.profile_tasks: wall time from the task\'s '
                  'start to the next task\'s, over all hosts), beside the same task with N=%d:' % (size, base), '']
        lines += report.markdown_table(['run', 'task', 'N=%d' % size, 'N=%d' % base, 'per app host'], slow, 'llrrr')
    for count in sorted(results):
        fleet = results[count]
        if fleet.get('release_load'):
            answers = fleet['release_load']
            lines.append('')
            lines.append('The load during the rolling release, N=%d: %d requests (%.0f/s over %.0f s), %d '
                         'failed (%d non-2xx, %d socket errors), %d keep-alive retries.'
                         % (count, answers['requests'], answers['requests_per_second'], answers.get('seconds', 0),
                            answers['non_2xx'] + answers['socket_errors'], answers['non_2xx'],
                            answers['socket_errors'], answers['keepalive_retries']))
        for when in ('fresh', 'release'):
            if fleet.get('memory_' + when):
                lines.append('')
                lines.append('Containers\' memory, N=%d, after the %s (memory cgroups: anonymous memory, '
                             'and with the page cache): %s.'
                             % (count, 'fresh converge' if when == 'fresh' else 'rolling release',
                                memory_line(fleet['memory_' + when], fleet['available_' + when])))
    bench.add_summary(*lines)
