# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run the benchmark: python3 -m scripts.bench [--help] (settings: scripts/bench/__init__.py)."""

from __future__ import annotations

import os
import platform
import sys
import time

from . import __doc__ as DOC
from . import converge, playbooks, report, rollout, runner, scale, throughput
from .settings import REPO, BenchError, Settings

SECTIONS = {
    'nginx_role': converge.nginx_role,
    'single': converge.single,
    'throughput': throughput.section,
    'fleet': converge.fleet,
    'rollout': rollout.section,
    'fleet_ssh': converge.fleet_ssh,
    'scale': scale.section,
}
# A section that runs on what another converged runs that one first when it did not run before it.
NEEDS = {'throughput': 'single', 'rollout': 'fleet'}


def summary(bench, seconds):
    report.say('')
    report.say('== summary (%.0f s in all; figures are noisy: %d cores shared with other work, see load)'
               % (seconds, os.cpu_count() or 0))
    report.say('')
    report.say('sections: ' + ', '.join('%s %.0f s' % item for item in bench.durations))
    if bench.timing_rows:
        report.say('')
        report.say('ansible-playbook (pipelining; community.docker.docker connection unless the run says SSH), '
                   'wall time, controller CPU (user + system of ansible-playbook and what it forks, plus the SSH '
                   'masters\' of runs over SSH), peak memory (sum of the RSS of its process tree) and recap:')
        report.say('')
        for line in report.markdown_table(['run', 'hosts', 'time', 'controller CPU', 'peak memory', 'recap',
                                           'load before'], bench.timing_rows, 'llrrrll'):
            report.say(line)
    for line in bench.summary:
        report.say(line)


def run_section(bench, name):
    start = time.monotonic()
    SECTIONS[name](bench)
    bench.durations.append((name, time.monotonic() - start))


def main(argv) -> int:
    if any(arg in ('-h', '--help') for arg in argv):
        print(DOC)
        return 0
    if argv:
        report.warn('python3 -m scripts.bench takes no arguments (settings come from BENCH_* variables; see --help)')
        return 2
    try:
        settings = Settings.from_env()
    except BenchError as exc:
        report.warn(str(exc))
        return 2
    os.chdir(REPO)
    playbooks.ensure_collection_link()
    runner.install_signal_handlers()
    bench = runner.Bench(settings)
    start = time.monotonic()
    report.say('webstack.nginx_uwsgi benchmark, %s, %s, %s'
               % (time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime()), platform.machine(), bench.machine()))
    report.say(settings.describe())
    status = 0
    try:
        for name in settings.sections:
            needed = NEEDS.get(name)
            if needed and needed not in bench.state:
                report.say('>> section %s runs on what section %s converges: %s first' % (name, needed, needed))
                run_section(bench, needed)
            run_section(bench, name)
    except BenchError as exc:
        report.warn('benchmark stopped: %s' % exc)
        status = 1
    except KeyboardInterrupt:
        report.warn('benchmark interrupted')
        status = 130
    finally:
        bench.cleanup()
    summary(bench, time.monotonic() - start)
    return status


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
