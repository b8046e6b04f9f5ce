# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Rollouts under load, on the fleet the fleet section converged.

A rolling release of a new version of the example app
(playbooks/rolling_release.yml with another copy of examples/flask_app, so
another release id on every run), then the fleet-wide rollback
(playbooks/rollback.yml). Each runs while scripts/http_load.py inside lb1
keeps BENCH_ROLLOUT_CONNECTIONS keep-alive HTTPS connections busy against
https://<the load balancer site's server name>/: the name resolves to
127.0.0.1 in lb1's /etc/hosts, so the TLS handshake carries it (SNI; the load
balancer refuses a handshake without a name it serves). The load starts 2 s
before the playbook and stops 2 s after it (at most BENCH_ROLLOUT_MAX_SECONDS).
Reported: playbook time, requests, non-2xx answers, socket errors, keep-alive
retries, answers per host and per release.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import time

from . import containers, playbooks, report
from .settings import REPO, WORK, BenchError

STOP_FILE = '/tmp/http_load.stop'
HTTP_LOAD = '/root/http_load.py'


def next_release_vars(apps, src) -> dict:
    """The inventory's uwsgi_app_apps with the first app's source replaced by src (a new release)."""
    if not apps:
        raise BenchError('the fleet inventory has no uwsgi_app_apps to release')
    apps = copy.deepcopy(apps)
    apps[0]['src'] = src
    return {'uwsgi_app_apps': apps}


def format_counts(counts) -> str:
    """"app1 51000, app2 50999" (sorted by name)."""
    return ', '.join('%s %d' % item for item in sorted((counts or {}).items())) or '-'


def load_row(label, seconds, load) -> list:
    return [label, '%.1f s' % seconds, load['requests'], '%.0f' % load['requests_per_second'], load['non_2xx'],
            load['socket_errors'], load['keepalive_retries'], format_counts(load.get('hosts')),
            format_counts(load.get('releases'))]


ROW_HEADER = ['run', 'playbook time', 'requests', 'requests/s', 'non-2xx', 'socket errors', 'keep-alive retries',
              'answers per host', 'answers per release']


def inventory_apps(inventory) -> list:
    """uwsgi_app_apps of the first app host, as the inventory gives it (templates not rendered)."""
    listing = json.loads(containers.run(['ansible-inventory', '-i', inventory, '--list'], timeout=120).stdout)
    hosts = (listing.get('webstack_appservers') or {}).get('hosts') or []
    if not hosts:
        raise BenchError('%s has no webstack_appservers' % inventory)
    return ((listing.get('_meta') or {}).get('hostvars') or {}).get(hosts[0], {}).get('uwsgi_app_apps') or []


class Rollout:  # pylint: disable=too-many-instance-attributes
    """Playbooks under load through a fleet's load balancer. work: directory of the new release and the load's
    output; max_seconds: bound of the load (default BENCH_ROLLOUT_MAX_SECONDS); pause: seconds between the
    requests of a connection (http_load.py --pause); env: more environment of the playbooks."""

    def __init__(self, bench, fleet, *, work=None, max_seconds=None,  # pylint: disable=too-many-arguments
                 pause=0.0, env=None):
        self.bench = bench
        self.fleet = fleet
        self.lb = fleet['lb']
        self.work = work or os.path.join(WORK, 'rollout')
        self.max_seconds = max_seconds or bench.settings.rollout_max_seconds
        self.pause = pause
        self.env = env
        self.url = None

    def prepare(self) -> str:
        """lb1 resolves its server name to itself and has http_load.py; the extra vars of a new release."""
        name = containers.tls_server_name(self.lb)
        if not name:
            raise BenchError('%s has no TLS site' % self.lb)
        containers.add_hosts_entry(self.lb, name)
        self.url = 'https://%s/' % name
        containers.run(['docker', 'cp', os.path.join(REPO, 'scripts', 'http_load.py'), '%s:%s' % (self.lb, HTTP_LOAD)])
        shutil.rmtree(self.work, ignore_errors=True)
        source = os.path.join(self.work, 'next')
        shutil.copytree(os.path.join(REPO, 'examples', 'flask_app'), source)
        with open(os.path.join(source, 'wsgi.py'), 'a', encoding='utf-8') as handle:
            # other content, so another release id, on every run
            handle.write('# benchmark release %s\n' % time.strftime('%Y%m%dT%H%M%SZ', time.gmtime()))
        extra = os.path.join(self.work, 'next.json')
        with open(extra, 'w', encoding='utf-8') as handle:
            json.dump(next_release_vars(inventory_apps(self.fleet['inventory']), source), handle)
        return extra

    def run(self, label, playbook, extra=(), env=None) -> tuple:  # pylint: disable=too-many-locals
        """The playbook (a path, or a playbook of an installed collection) under load, with more environment
        (env, else the Rollout's); the row of the summary table, the PlaybookRun and the load's figures."""
        settings = self.bench.settings
        out_path = os.path.join(self.work, 'load-%s.json' % playbooks.slug(label))
        containers.dexec(self.lb, 'rm', '-f', STOP_FILE)
        argv = ['docker', 'exec', self.lb, 'python3', HTTP_LOAD, self.url,
                '--connections', str(settings.rollout_connections),
                '--max-seconds', str(self.max_seconds), '--stop-file', STOP_FILE]
        if self.pause:
            argv += ['--pause', str(self.pause)]
        failure = result = None
        with open(out_path, 'w', encoding='utf-8') as out:
            load = subprocess.Popen(argv, stdout=out, stderr=subprocess.PIPE, text=True)  # pylint: disable=consider-using-with
            try:
                time.sleep(2)  # the load runs before the playbook starts
                try:
                    result = self.bench.playbook('rollout ' + label, self.fleet['inventory'], playbook, extra,
                                                 env=env or self.env)
                except BenchError as exc:
                    failure = exc
                time.sleep(2)
            finally:
                containers.dexec(self.lb, 'touch', STOP_FILE, check=False)
                try:
                    stderr = load.communicate(timeout=60)[1]
                except subprocess.TimeoutExpired:
                    load.kill()
                    stderr = load.communicate()[1]
        if failure or result is None:
            raise failure or BenchError('no playbook run')
        if load.returncode != 0:
            raise BenchError('http_load.py in %s failed (rc=%d): %s' % (self.lb, load.returncode, stderr[-2000:]))
        with open(out_path, encoding='utf-8') as handle:
            figures = json.load(handle)
        report.say('   %-34s %7.1f s, controller CPU %s   %d requests (%.0f/s), %d non-2xx, %d socket errors, '
                   '%d keep-alive retries; hosts: %s; releases: %s'
                   % (label, result.seconds, playbooks.format_cpu(result), figures['requests'],
                      figures['requests_per_second'], figures['non_2xx'], figures['socket_errors'],
                      figures['keepalive_retries'], format_counts(figures.get('hosts')),
                      format_counts(figures.get('releases'))))
        if figures.get('errors'):
            report.say('      first errors: %s' % '; '.join(figures['errors'][:3]))
        return load_row(label, result.seconds, figures), result, figures


def section(bench):
    """The rollout section, on the fleet the fleet section converged (bench.state["fleet"])."""
    fleet = bench.state['fleet']
    connections = bench.settings.rollout_connections
    rollout = Rollout(bench, fleet)
    extra = rollout.prepare()
    report.say('>> rolling release and rollback on %s under load through lb1 (%s, %d connections); %s'
               % (fleet['prefix'], rollout.url, connections, bench.machine()))
    rows = [rollout.run('rolling release of a new version', os.path.join(REPO, 'playbooks', 'rolling_release.yml'),
                        ['--extra-vars', '@' + extra])[0],
            rollout.run('fleet-wide rollback', os.path.join(REPO, 'playbooks', 'rollback.yml'))[0]]
    bench.add_summary(
        '', 'Rolling releases on the 3-host fleet (webstack_serial 1) under load through lb1 (scripts/http_load.py in '
        'lb1, %d keep-alive HTTPS connections to %s, from before the playbook starts until it ends):'
        % (connections, rollout.url), '')
    bench.add_summary(*report.markdown_table(ROW_HEADER, rows, 'lrrrrrrll'))
