"""The failure matrix: each step of site.yml and rolling_release.yml that changes a host made to fail, under load.

Run by the Molecule scenario `failures` (molecule/failures/side_effect.yml) on
its converged fleet (a load balancer and two app hosts, Docker containers
reached with the docker connection), from the controller:

    python3 -m scripts.failure_matrix --inventory DIR --work DIR [--only NAME,...] [--json FILE]

For every case: the failure is set up from outside the collection, as it
happens in production (a wrapper that makes `nginx -t`, an nginx reload or a
`systemctl` call fail once on a host, a full disk, a typo in the inventory,
a certificate and key that do not match, the controller killed with SIGKILL
or an app host killed in the middle of its switch); the playbook runs with
it while a bounded request loop (scripts/http_load.py, 4 connections, on the
load balancer, through its HTTPS site) runs; then the fleet is checked (no
request failed, no host left out of the load balancer unless it cannot
serve, every host on files nginx and uWSGI accept); then the same playbook
runs again with good input under the same load, and a further run must
change nothing. One line per case is printed (the table of README.md's
"Failed runs" section) and the run fails when a case does not hold.

The steps of the playbooks that change a host are read from the playbooks
themselves (:func:`changing_steps`); every one must be made to fail by a case
(:func:`uncovered`), so a new step gets a case or this fails.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field

import yaml

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PLAYBOOKS = os.path.join(REPO, 'playbooks')
LB, APP1, APP2 = 'failures-lb1', 'failures-app1', 'failures-app2'
APPS = (APP1, APP2)
HOSTS = (LB,) + APPS
URL = 'https://shop.failures.test/'
# entry points that only read (the webstack role's main one is the check of
# every host), or that are the way back of a failure (restore)
READ_ONLY = {'validate', 'trial', 'compose', 'plan', 'restore', 'webstack.nginx_uwsgi.webstack:main'}
RECAP = re.compile(r'^(\S+)\s+:\s+ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)', re.M)
ANSWER = re.compile(r'host=(\S+) release=(\S+)')

# The wrapper that makes a command fail once (molecule/shared/files/fail-once),
# installed in front of nginx and systemctl; fail_once() arms it.
WRAPPER = os.path.join(REPO, 'molecule', 'shared', 'files', 'fail-once')


# ---------------------------------------------------------------- the steps of the playbooks

def _tasks(block: list):
    for task in block or []:
        yield task
        for key in ('block', 'rescue', 'always'):
            yield from _tasks(task.get(key))


def changing_steps(playbook: str, seen=None) -> list[str]:
    """``<play> / <task>`` of every role a playbook includes or imports to change hosts (imported playbooks followed)."""
    seen = set() if seen is None else seen
    path = os.path.join(PLAYBOOKS, playbook)
    if path in seen:
        return []
    seen.add(path)
    with open(path) as handle:
        plays = yaml.safe_load(handle)
    out = []
    for play in plays:
        if 'import_playbook' in play or 'ansible.builtin.import_playbook' in play:
            target = play.get('ansible.builtin.import_playbook') or play.get('import_playbook')
            out += [s for s in changing_steps(os.path.basename(target), seen) if s not in out]
            continue
        for task in _tasks(play.get('tasks')):
            # imported or included: the playbooks import a role where the play has no `when:` for it
            include = next((task[key] for key in ('ansible.builtin.include_role', 'include_role',
                                                  'ansible.builtin.import_role', 'import_role') if key in task), None)
            if not include:
                continue
            entry = include.get('tasks_from') or 'main'
            if entry in READ_ONLY or '%s:%s' % (include.get('name'), entry) in READ_ONLY:
                continue
            step = '%s / %s' % (play['name'], task['name'])
            if step not in out:
                out.append(step)
    return out


def uncovered(cases, playbooks=('site.yml', 'rolling_release.yml')) -> list[str]:
    """The changing steps that no case makes fail."""
    steps = []
    for playbook in playbooks:
        steps += [s for s in changing_steps(playbook) if s not in steps]
    covered = {s for case in cases for s in case.steps} | set(ELSEWHERE)
    return [s for s in steps if s not in covered]


# ---------------------------------------------------------------- cases

@dataclass
class Case:
    """One failure and what must hold after it and after the next good run."""

    name: str
    steps: list  # the changing steps (changing_steps) it makes fail
    playbook: str  # site.yml or rolling_release.yml
    how: str  # the failure, for the table
    bad: dict = field(default_factory=dict)  # extra vars of the failing run (over the fleet's state)
    good: dict = field(default_factory=dict)  # what the good run changes of the fleet's state
    release: str | None = None  # the release of the good run (toggled from the one served), or None
    bad_release: str | None = None  # the release of the failing run when not the good one
    inject: list = field(default_factory=list)  # (host, shell) before the failing run
    trigger: tuple | None = None  # (regex of the output, action): kill-controller, or kill:<host>
    clean: list = field(default_factory=list)  # (host, shell) after the failing run
    fails: bool = True  # the failing run ends with an error
    expect: list = field(default_factory=list)  # regexes its output must hold
    refuse: list = field(default_factory=list)  # regexes it must not hold
    left_out: list = field(default_factory=list)  # hosts that stay out of the load balancer after it
    after: list = field(default_factory=list)  # (host, shell, regex of its output) after the failing run


def fail_once(host, name, pattern, skip=0, where='any'):
    """The shell that arms the wrapper ``name`` on ``host``."""
    return (host, 'mkdir -p /run/fail && echo %s > /run/fail/%s'
            % (_quote('%s|%d|%s' % (pattern, skip, where)), name))


def _quote(text):
    return "'" + text.replace("'", "'\\''") + "'"


HEADERS = {'X-Content-Type-Options': 'nosniff', 'X-Frame-Options': 'SAMEORIGIN',
           'Referrer-Policy': 'strict-origin-when-cross-origin'}
CHECK_PLAY = 'Check every host of the fleet before changing any'
BUILD = 'Build the new releases on every app host / Install uWSGI, build and check the releases, run the once-hooks'
DIRECT = 'Deploy the app hosts where nothing that serves changes, all at once / '
ROLL = 'Roll the changes out, one batch of app hosts at a time / '
REPAIR = 'Put back the app hosts an earlier run left out of the load balancers / Put back the hosts that serve'
LB_SITES = 'Configure the load balancers\' sites / Configure the sites of the load balancer'
NGINX = 'Install and tune nginx / Install and tune nginx'
KEEPALIVED = 'Float an address between the load balancers / Run keepalived on the load balancers'
NO_DRAIN = r'Take the batch out of the load balancers'
FIREWALL = 'Guard every host with its packet filter / Load the packet filter of the host'
METRICS = 'Serve the metrics of every host to the scrapers / Serve the metrics of the host'
# Steps whose failure another scenario tests (a case needs what this fleet has not).
ELSEWHERE = {KEEPALIVED: 'molecule/keepalived (two load balancers; keepalived refuses its reload once)',
             # off in this fleet (its containers have no CAP_NET_ADMIN): molecule/fleet rejects a bad address
             # before any change and locks the controller out on purpose to see the host put its ruleset back
             FIREWALL: 'molecule/fleet (a malformed address rejected; a lock-out reverted by the host)',
             # off in this fleet (no webstack_metrics_allow). No case fails it: its nginx change goes
             # through the same managed_files check-and-put-back that the cases of NGINX and LB_SITES fail
             METRICS: 'not failed on purpose: molecule/fleet runs it; its nginx change is checked and put back as '
                      'in the NGINX and LB_SITES cases'}
# an internal error: a message of the collection that could not be made
UNDEFINED = r"is undefined"
PUT_BACK = r'FAILED - RETRYING: \[[^\]]*\]: Check the configuration and reload nginx'


def cases(work: str) -> list[Case]:
    """The matrix, in the order it runs (each case starts from the state the previous one left)."""
    tls = os.path.join(work, 'tls')
    lb_tls = {'mode': 'files', 'cert_src': tls + '/a.crt', 'key_src': tls + '/a.key'}
    put_back = r'put back|is back in the load balancers'
    return [
        Case('certificate and key that do not match', [], 'site.yml', 'webstack_lb_tls: the certificate of key A, key B',
             bad={'webstack_lb_tls': dict(lb_tls, key_src=tls + '/b.key')},
             expect=[r'webstack_lb_tls\.key_src does not match the certificate of cert_src'],
             refuse=[r'TASK \[Install and tune nginx\]']),
        Case('nginx -t fails on the load balancer\'s new sites', [LB_SITES], 'site.yml',
             'nginx -t fails once on lb1, whose sites change',
             good={'webstack_lb_server_names': ['shop.failures.test', 'www.failures.test']},
             inject=[fail_once(LB, 'nginx', '-t', where='live')],
             expect=[r'nginx -t failed \(check, rc=1\); every changed file was put back'],
             after=[(LB, 'grep -c www.failures.test /etc/nginx/sites-available/*.conf || true', r'^0$')]),
        Case('nginx -t fails on an app host\'s new nginx.conf', [NGINX], 'site.yml',
             'nginx -t fails once on app2, whose nginx.conf changes', good={'nginx_worker_connections': 2048},
             inject=[fail_once(APP2, 'nginx', '-t', where='live')],
             expect=[r'nginx -t failed \(check, rc=1\); every changed file was put back'],
             after=[(APP2, 'grep -c "worker_connections 2048" /etc/nginx/nginx.conf || true', r'^0$')]),
        Case('disk full while building the release', [BUILD], 'rolling_release.yml',
             'a full file system under /srv/hello/releases on app1', release='next',
             inject=[(APP1, 'd=/srv/hello/releases; cp -a $d /tmp/releases && '
                            'mount -t tmpfs -o size=$(( $(du -sk $d | cut -f1) + 1024 ))k,exec,mode=755 tmpfs $d && '
                            'cp -a /tmp/releases/. $d/ && rm -rf /tmp/releases')],
             clean=[(APP1, 'umount -l /srv/hello/releases')],
             expect=[r'No space left on device'], refuse=[NO_DRAIN, UNDEFINED]),
        # A wheelhouse directory with none in it: app1, the first host of the run, builds the wheelhouse
        # and fails to keep it; the build play's any_errors_fatal stops app2, which says why. The release
        # tried is one the fleet does not serve, the good run the fleet as it is (nothing to change).
        Case('the wheelhouse\'s builder fails', [BUILD], 'rolling_release.yml',
             'a file where app1 keeps the wheelhouse it builds, in a run that needs a new one', bad_release='nohealth',
             bad={'uwsgi_app_wheelhouse_dir': os.path.join(work, 'wheelhouse-new')},
             inject=[(APP1, 'rm -rf /var/cache/uwsgi-app && touch /var/cache/uwsgi-app')],
             clean=[(APP1, 'rm -f /var/cache/uwsgi-app')],
             expect=[r'mkdir: cannot create directory \S+/var/cache/uwsgi-app\S+ File exists',
                     r'It stopped there: another host of the run failed \(see its error\)'],
             refuse=[NO_DRAIN, UNDEFINED]),
        Case('a uWSGI option uWSGI rejects', [BUILD], 'rolling_release.yml', 'uwsgi_app_options: {harakri: 30}, a typo',
             release='next', bad={'uwsgi_app_options': {'harakri': 30}}, expect=[r'harakri'], refuse=[NO_DRAIN]),
        Case('the drain\'s reload fails', [ROLL + 'Take the batch out of the load balancers'], 'rolling_release.yml',
             'systemctl reload nginx fails once on lb1 (the drain)', release='next', fails=False,
             inject=[fail_once(LB, 'systemctl', 'reload nginx')], expect=[PUT_BACK]),
        Case('the switch\'s reload of uWSGI fails', [ROLL + 'Switch the apps'], 'rolling_release.yml',
             'systemctl reload of the app fails once on app1', release='next',
             inject=[fail_once(APP1, 'systemctl', 'reload uwsgi-app-hello.service')],
             expect=[r'did not come up, so its files were put back', r'No host serves the new release', put_back]),
        Case('a switch adds a worker, then the app host\'s site fails', [ROLL + 'Configure the sites of the host'],
             'rolling_release.yml', 'a new worker and header; nginx -t fails once on app2 after its switch',
             release='next', good={'uwsgi_app_workers': True, 'site_security_headers': dict(HEADERS, **{'X-Matrix': '1'})},
             inject=[fail_once(APP2, 'nginx', '-t', where='live')],
             expect=[r'The fleet serves two releases now: failures-app1 the new one, failures-app2 the one before',
                     r'--limit failures-app1', put_back],
             after=[(APP2, 'ls /etc/systemd/system/ | grep -c worker || true', r'^0$'),
                    (APP1, 'systemctl is-active uwsgi-app-hello-worker-beat.service', r'^active$')]),
        Case('the new release fails its health check', [], 'rolling_release.yml', 'a release without /healthz (404)',
             release='next', bad_release='nohealth',
             expect=[r'answered 404( \(.*\))?: the app must answer 200 at webstack_health_path \(/healthz\)',
                     r'went back to the releases it served before \(\w+\) and is back in the load balancers']),
        Case('the put-back\'s reload fails', [ROLL + 'Put the batch back into the load balancers'],
             'rolling_release.yml', 'systemctl reload nginx fails once on lb1 (the put-back)', release='next',
             fails=False, inject=[fail_once(LB, 'systemctl', 'reload nginx', skip=1)], expect=[PUT_BACK]),
        Case('an app host\'s site-only change fails', [DIRECT + 'Configure the sites of the host'],
             'rolling_release.yml', 'a new header only (nothing drained); nginx -t fails once on app1',
             good={'site_security_headers': dict(HEADERS, **{'X-Matrix': '2'})},
             inject=[fail_once(APP1, 'nginx', '-t', where='live')], refuse=[NO_DRAIN],
             expect=[r'nginx -t failed \(check, rc=1\); every changed file was put back'],
             after=[(APP1, 'cat /etc/nginx/snippets/site-*-headers.conf | grep -c "X-Matrix.*2" || true', r'^0$')]),
        Case('the controller killed after a drain', [REPAIR], 'rolling_release.yml',
             'SIGKILL to ansible-playbook when the switch of app1 starts', release='next',
             trigger=(r'TASK \[Switch the apps\]', 'kill-controller'), left_out=[APP1]),
        Case('an app host killed in its switch', [ROLL + 'Switch the apps'], 'rolling_release.yml',
             'the container of app1 killed when its switch starts', release='next',
             trigger=(r'TASK \[Switch the apps\]', 'kill:' + APP1), left_out=[APP1],
             clean=[('', 'docker start ' + APP1)]),
        Case('the first start of a new app fails', [DIRECT + 'Deploy the apps'], 'rolling_release.yml',
             'a second app; its first start fails once on app1', good={'second_app': True},
             inject=[fail_once(APP1, 'systemctl', 'restart uwsgi-app-hello2.service')],
             expect=[r'did not come up, so its files were put back'],
             after=[(APP1, 'systemctl is-active uwsgi-app-hello2.service || true', r'^(inactive|failed)$'),
                    (APP1, 'test -e /srv/hello2/current && echo yes || echo no', r'^no$')]),
    ]


# ---------------------------------------------------------------- the fleet

def sh(host: str, command: str, check=True, timeout=120) -> subprocess.CompletedProcess:
    """A shell command on a container of the fleet (or on the controller when ``host`` is empty)."""
    argv = ['bash', '-c', command] if not host else ['docker', 'exec', host, 'bash', '-c', command]
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False)
    if check and proc.returncode != 0:
        raise RuntimeError('%s: %s failed (%d): %s%s' % (host or 'controller', command, proc.returncode, proc.stdout,
                                                         proc.stderr))
    return proc


def install_wrappers():
    with open(WRAPPER) as handle:
        script = handle.read()
    for host in HOSTS:
        for path in ('/usr/local/sbin/nginx', '/usr/local/bin/systemctl'):
            subprocess.run(['docker', 'exec', '-i', host, 'bash', '-c', 'cat > %s && chmod 0755 %s' % (path, path)],
                           input=script, text=True, check=True)


def disarm():
    for host in HOSTS:
        sh(host, 'rm -rf /run/fail', check=False)


def wait_for(host: str, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if sh(host, 'systemctl is-system-running --wait >/dev/null 2>&1; '
                    'curl -fsS http://127.0.0.1:8080/healthz', check=False, timeout=60).returncode == 0:
            return
        time.sleep(1)
    raise RuntimeError('%s does not serve %d s after it started' % (host, seconds))


class Load:
    """scripts/http_load.py on the load balancer, from before a run until after it."""

    def __init__(self):
        sh(LB, 'rm -f /tmp/matrix.stop')
        self.proc = subprocess.Popen(
            ['docker', 'exec', LB, 'python3', '/root/http_load.py', URL, '--connections', '4', '--pause', '0.01',
             '--max-seconds', '540', '--stop-file', '/tmp/matrix.stop'],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def stop(self) -> dict:
        sh(LB, 'touch /tmp/matrix.stop')
        out, err = self.proc.communicate(timeout=60)
        try:
            return json.loads(out.strip().splitlines()[-1])
        except (ValueError, IndexError):
            raise RuntimeError('the load printed no summary: %s %s' % (out, err)) from None


def served(rounds: int = 4, pause: float = 4.0) -> dict:
    """host -> release of the answers through the load balancer: 20 requests, again up to ``rounds`` times
    ``pause`` seconds apart until every app host answered.

    nginx's passive check (max_fails 1, fail_timeout 10 s, the upstreams' defaults) sets an app host aside for
    10 s after one failed attempt, which its own graceful reload can cause (a keep-alive connection its old
    worker closes; the request goes to the next server, none is lost): a sample in those 10 s sees one host.
    """
    found: dict = {}
    for attempt in range(rounds):
        out = sh(LB, 'for i in $(seq 20); do curl -ks --max-time 5 %s; done' % URL, check=False).stdout
        found.update(ANSWER.findall(out))
        if len(found) >= len(APPS) or attempt == rounds - 1:
            break
        time.sleep(pause)
    return found


def left_out() -> list[str]:
    """The app hosts the load balancer's upstreams mark down."""
    out = sh(LB, 'cat /etc/nginx/conf.d/site-upstreams.conf').stdout
    return sorted(re.findall(r'\sdown;\s+# host (\S+)$', out, re.M))


def rejected() -> list[str]:
    """Hosts (and files) whose configuration nginx or uWSGI rejects."""
    bad = []
    for host in HOSTS:
        if sh(host, '/usr/sbin/nginx -t', check=False).returncode:
            bad.append('%s: nginx -t' % host)
    for host in APPS:
        if sh(host, 'python3 /usr/local/lib/uwsgi-app/uwsgi_app_ctl.py check-ini /usr/bin/uwsgi-core '
                    '/etc/uwsgi-app/hello.ini', check=False).returncode:
            bad.append('%s: uwsgi ini' % host)
    return bad


# ---------------------------------------------------------------- running

@dataclass
class Run:
    rc: int
    output: str
    seconds: float
    killed: bool = False

    @property
    def changed(self) -> int:
        return sum(int(m[2]) for m in RECAP.findall(self.output.rsplit('PLAY RECAP', 1)[-1]))


def playbook(args, name: str, extra: dict, trigger=None) -> Run:
    """ansible-playbook ``name`` with ``extra`` vars; ``trigger`` (regex, action) acts when the output shows it."""
    argv = [args.ansible_playbook, '-i', args.inventory, '--extra-vars', json.dumps(extra),
            os.path.join(PLAYBOOKS, name)]
    env = dict(os.environ, ANSIBLE_NOCOLOR='1', ANSIBLE_FORCE_COLOR='0')
    start = time.monotonic()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
                            start_new_session=True)
    lines, killed = [], False
    for line in proc.stdout:
        lines.append(line)
        if trigger and not killed and re.search(trigger[0], line):
            killed = True
            action = trigger[1]
            if action == 'kill-controller':
                os.killpg(proc.pid, signal.SIGKILL)
            elif action.startswith('kill:'):
                subprocess.run(['docker', 'kill', action.split(':', 1)[1]], capture_output=True, check=False)
    proc.wait()
    return Run(proc.returncode, ''.join(lines), round(time.monotonic() - start, 1), killed)


class Fleet:
    """What the good input is at each point: the fleet's extra vars and the release served."""

    def __init__(self, work: str):
        self.work = work
        self.release = 'v1'
        self.state: dict = {}

    def apps(self, release: str, workers: bool, second: bool) -> list:
        app = {'name': 'hello', 'src': os.path.join(self.work, 'releases', release), 'module': 'wsgi:app',
               'env': {'GREETING': 'hello'}}
        if workers:
            app['workers'] = [{'name': 'beat', 'command': 'python -c "import time; time.sleep(10 ** 6)"'}]
        other = {'name': 'hello2', 'src': os.path.join(self.work, 'releases', 'v1'), 'module': 'wsgi:app'}
        return [app] + ([other] if second else [])

    def extra(self, release: str, changes: dict) -> dict:
        """The extra vars of a run: the fleet's state with ``changes``, the apps on ``release``."""
        state = dict(self.state, **changes)
        workers, second = state.pop('uwsgi_app_workers', False), state.pop('second_app', False)
        return dict(state, uwsgi_app_apps=self.apps(release, workers, second))

    def next_release(self) -> str:
        return 'v2' if self.release == 'v1' else 'v1'


def run_case(args, fleet: Fleet, case: Case) -> dict:
    release = fleet.next_release() if case.release else fleet.release
    good = fleet.extra(release, case.good)
    bad = dict(fleet.extra(case.bad_release or release, case.good), **case.bad)
    row = {'case': case.name, 'how': case.how, 'problems': []}
    problems = row['problems']
    for host, command in case.inject:
        sh(host, command)
    load = Load()
    failed = playbook(args, case.playbook, bad, case.trigger)
    row['failed_run'] = load.stop()
    disarm()
    for host, command in case.clean:
        sh(host, command)
    if case.trigger and case.trigger[1].startswith('kill:'):
        wait_for(case.trigger[1].split(':', 1)[1])
    row['failed_rc'] = failed.rc
    if case.trigger and not failed.killed:
        problems.append('the trigger %r never showed' % case.trigger[0])
    if (failed.rc != 0) != case.fails:
        problems.append('the failing run ended with %d' % failed.rc)
    problems += ['its output lacks %r' % p for p in case.expect if not re.search(p, failed.output)]
    problems += ['its output has %r' % p for p in case.refuse if re.search(p, failed.output)]
    row['left_out'] = left_out()
    if row['left_out'] != sorted(case.left_out):
        problems.append('left out after the failed run: %s (expected %s)' % (row['left_out'], case.left_out))
    row['rejected'] = rejected()
    problems += ['after the failed run: %s' % r for r in row['rejected']]
    for host, command, pattern in case.after:
        out = sh(host, command, check=False).stdout.strip()
        if not re.search(pattern, out, re.M):
            problems.append('after the failed run, %s: %s gave %r' % (host, command, out))
    load = Load()
    repair = playbook(args, case.playbook, good)
    row['good_run'] = load.stop()
    row['good_rc'] = repair.rc
    if repair.rc != 0:
        problems.append('the good run ended with %d: %s' % (repair.rc, repair.output[-3000:]))
    fleet.release, fleet.state = release, dict(fleet.state, **case.good)
    # a good run that changed nothing (the failing run changed nothing either,
    # or did all of it) is its own further run
    again = playbook(args, case.playbook, good) if repair.changed else repair
    row['further_changed'] = again.changed
    if again.rc != 0 or again.changed:
        problems.append('a further run: rc %d, changed=%d' % (again.rc, again.changed))
    row['left_out_after'] = left_out()
    row['served'] = served()
    if row['left_out_after'] or sorted(row['served']) != sorted(h.split('-', 1)[1] for h in APPS):
        problems.append('after the good run: left out %s, answers from %s' % (row['left_out_after'], row['served']))
    for key in ('failed_run', 'good_run'):
        load_result = row[key]
        if load_result['non_2xx'] or load_result['socket_errors']:
            problems.append('%s: %d non-2xx, %d socket errors (%s)' % (key, load_result['non_2xx'],
                                                                       load_result['socket_errors'],
                                                                       load_result['errors']))
    row['seconds'] = failed.seconds + repair.seconds + (again.seconds if again is not repair else 0)
    if problems:
        row['output'] = failed.output[-6000:]
    return row


def table(rows: list) -> str:
    """The matrix as a Markdown table (README.md, "Failed runs")."""
    out = ['| case | failure | failed run | requests lost | hosts left out | next run repairs | further run |',
           '| --- | --- | --- | ---: | --- | --- | --- |']
    for row in rows:
        lost = row['failed_run']['non_2xx'] + row['failed_run']['socket_errors'] + \
            row['good_run']['non_2xx'] + row['good_run']['socket_errors']
        requests = row['failed_run']['requests'] + row['good_run']['requests']
        out.append('| %s | %s | %s | %d of %d | %s | %s | changed=%d |' % (
            row['case'], row['how'], 'rc %d' % row['failed_rc'], lost, requests,
            ', '.join(h.split('-', 1)[1] for h in row['left_out']) or 'none',
            'yes' if row['good_rc'] == 0 and not row['left_out_after'] else 'no', row['further_changed']))
    return '\n'.join(out)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--inventory', required=True)
    parser.add_argument('--work', required=True, help='the scenario\'s directory of releases and TLS files')
    parser.add_argument('--ansible-playbook', default='ansible-playbook')
    parser.add_argument('--only', default='', help='cases to run: words of their names, comma-separated (default: all)')
    parser.add_argument('--json', help='write the rows here')
    args = parser.parse_args(argv)
    matrix = cases(args.work)
    missing = uncovered(matrix)
    if missing:
        print('steps no case makes fail: %s' % '; '.join(missing))
        return 1
    install_wrappers()
    fleet = Fleet(args.work)
    rows = []
    for case in matrix:
        if args.only and not [word for word in args.only.split(',') if word.strip() and word.strip() in case.name]:
            continue
        row = run_case(args, fleet, case)
        rows.append(row)
        print('%s: %s (%.0f s)' % (case.name, 'ok' if not row['problems'] else '; '.join(row['problems']),
                                   row['seconds']), flush=True)
    print(table(rows))
    if args.json:
        with open(args.json, 'w') as handle:
            json.dump(rows, handle, indent=1)
    bad = [r for r in rows if r['problems']]
    for row in bad:
        print('\n== %s\n%s\n%s' % (row['case'], '\n'.join(row['problems']), row.get('output', '')))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
