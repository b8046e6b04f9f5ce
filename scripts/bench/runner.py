# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One run of the benchmark (``Bench``): its containers, its timed playbooks and its summary.

The containers come from scripts/fleet.sh and are removed at the end (unless
BENCH_KEEP=1), also on Ctrl-C, SIGTERM and SIGHUP (``install_signal_handlers``).
"""

from __future__ import annotations

import os
import resource
import shlex
import signal
import subprocess
import time

from . import containers, playbooks, procs
from .settings import FLEET_SH, LOGS, REPO, BenchError, Settings


class Bench:
    """One run of the benchmark: its settings, the containers it started, what the sections leave to the
    summary, and what a later section finds (``state``: "single" and "fleet" once converged)."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.started = []
        self.timing_rows = []
        self.summary = []
        self.state = {}
        self.durations = []
        # seconds between two samples of a run's process tree (procs.Watch); the scale section samples less often
        self.watch_interval = procs.INTERVAL
        os.makedirs(LOGS, exist_ok=True)

    # containers

    def others(self) -> int:
        names = containers.run(['docker', 'ps', '--format', '{{.Names}}']).stdout.split()
        ours = (self.settings.prefix + '-', self.settings.fleet_prefix + '-', self.settings.ssh_prefix + '-',
                self.settings.scale_prefix + '-')
        return len([name for name in names if not name.startswith(ours)])

    def machine(self) -> str:
        return '%d cores, load %s, %d other containers running' % (os.cpu_count() or 0, containers.loadavg(), self.others())

    def fleet_up(self, prefix, inventory, *specs, env=None) -> str:
        """New containers PREFIX-NAME (fleet.sh; an old one is removed first unless BENCH_KEEP=1, which reuses
        it). env: more environment for fleet.sh (FLEET_IMAGE, FLEET_SSH_KEY). Returns "fresh" or "reused"."""
        state = 'fresh'
        if containers.run(['docker', 'ps', '-aq', '--filter', 'label=webstack.fleet=%s' % prefix]).stdout.strip():
            if self.settings.keep:
                state = 'reused'
            else:
                containers.run([FLEET_SH, 'down', prefix])
        if prefix not in self.started:
            self.started.append(prefix)
        os.makedirs(os.path.dirname(inventory), exist_ok=True)
        containers.run([FLEET_SH, 'up', prefix, inventory] + list(specs), timeout=300 + 60 * len(specs),
                       env=dict(os.environ, **(env or {})))
        if state == 'fresh':
            time.sleep(2)  # let systemd settle in new containers
        return state

    def fleet_down(self, prefix):
        """Remove the containers and network of prefix now (not at the end of the run), unless BENCH_KEEP=1."""
        if self.settings.keep:
            return
        containers.run([FLEET_SH, 'down', prefix], check=False, timeout=120)
        if prefix in self.started:
            self.started.remove(prefix)

    def cleanup(self):
        if self.settings.keep:
            if self.started:
                print('>> kept (BENCH_KEEP=1): remove with ' + '; '.join('scripts/fleet.sh down %s' % p for p in self.started))
            return
        for prefix in self.started:
            containers.run([FLEET_SH, 'down', prefix], check=False, timeout=120)

    # playbooks

    def playbook(self, label, inventory, playbook, extra=(), env=None) -> playbooks.PlaybookRun:
        """Run ansible-playbook (env: more environment); its wall time, recap, controller CPU and memory (procs.py).
        Raises BenchError (with the end of the log) on failure."""
        # pylint: disable=too-many-locals
        log = os.path.join(LOGS, playbooks.slug(label) + '.log')
        # the SSH masters' CPU is counted for runs with their own control directory (procs.py)
        control_dir = (env or {}).get('ANSIBLE_SSH_CONTROL_PATH_DIR')
        env = dict(os.environ, ANSIBLE_NOCOLOR='1', ANSIBLE_FORCE_COLOR='0', PY_COLORS='0', **(env or {}))
        argv = ['ansible-playbook', '-i', inventory] + list(extra) + [playbook]
        masters_before = procs.master_ticks(control_dir) if control_dir else {}
        # Nothing else of this process is waited for meanwhile: the change is ansible-playbook's and its reaped
        # descendants'.
        usage_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.monotonic()
        with open(log, 'w', encoding='utf-8') as out:
            with subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, cwd=REPO, env=env) as proc:
                watch = procs.Watch(proc.pid, control_dir, interval=self.watch_interval)
                watch.start()
                try:
                    proc.wait()
                except BaseException:
                    proc.kill()
                    raise
                finally:
                    watch.stop()
        seconds = time.monotonic() - start
        usage_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        masters_after = dict(watch.masters_seen)
        masters_after.update(procs.master_ticks(control_dir) if control_dir else {})
        masters_cpu = procs.ticks_used(masters_before, masters_after) / procs.CLOCK_TICKS
        cpu = (usage_after.ru_utime - usage_before.ru_utime) + (usage_after.ru_stime - usage_before.ru_stime)
        with open(log, encoding='utf-8') as handle:
            text = handle.read()
        if proc.returncode != 0:
            raise BenchError('%s failed (rc=%d); log: %s\n%s' % (shlex.join(argv), proc.returncode, log,
                                                                 '\n'.join(text.splitlines()[-40:])))
        return playbooks.PlaybookRun(seconds, playbooks.parse_recap(text), log, cpu=cpu + masters_cpu,
                                     masters_cpu=masters_cpu, peak_rss=watch.peak_rss, peak_pss=watch.peak_pss,
                                     peak_processes=watch.peak_processes, masters_rss=watch.peak_masters_rss,
                                     watch_cpu=watch.cpu_seconds)

    def time_playbook(self, label, hosts, inventory, playbook, env=None) -> playbooks.PlaybookRun:
        """A playbook run that goes to the timing table of the summary."""
        load = containers.loadavg()
        result = self.playbook('%s-%s' % (label, hosts), inventory, playbook, env=env)
        recap = playbooks.format_recap(result.recap)
        print('   %-34s %7.1f s, controller CPU %s, peak memory %s   %s   (load before: %s)'
              % (label, result.seconds, playbooks.format_cpu(result), playbooks.format_bytes(result.peak_rss), recap,
                 load), flush=True)
        self.timing_rows.append([label, hosts, '%.1f s' % result.seconds, playbooks.format_cpu(result),
                                 playbooks.format_bytes(result.peak_rss), recap, load])
        return result

    # output

    def add_summary(self, *lines):
        self.summary.extend(lines)


def install_signal_handlers():
    """SIGTERM and SIGHUP end the run like Ctrl-C, so that the containers are removed (finally blocks run)."""
    def stop(signum, frame):  # pylint: disable=unused-argument
        raise KeyboardInterrupt('signal %d' % signum)
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, stop)
