# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Throughput: wrk inside the single host site.yml converged, against loopback, GET / of the example app.

Stacks (BENCH_STACKS), all serving the release site.yml deployed (same code,
virtualenv and environment file, the app unit's ExecStart with another ini):
  collection  (1) what site.yml deployed: nginx :8080 (the app hosts' site) ->
              uWSGI on the unix socket systemd holds
              (uwsgi-app-<app>.socket, /run/uwsgi-app/<app>/uwsgi.sock);
  seed        (2) the seed configuration: a server on :8081 of the same nginx
              -> uWSGI on TCP 127.0.0.1:5001, 4 processes x 2 threads,
              chmod-socket 666, uWSGI's request log on;
  alone       (3) the ini of (1) under uWSGI alone (http-socket
              127.0.0.1:5002, one request per connection);
  reference   (4) hand-tuned: a second nginx with Debian's default nginx.conf
              (taken from the installed package) and one server on :8084,
              `uwsgi_pass unix:<socket>; include uwsgi_params;` -> uWSGI with
              processes = 2, no threads, master, single-interpreter,
              disable-logging;
  control     (4') stack (4) measured again, beside (4) in every round:
              (4') / (4) is what a round shows for two equal stacks, the
              noise the per-round goals of (1) against (4) stand in;
  fullpath    (5) the whole path of a single-host setup: HTTPS to the load
              balancer site (https://<its server name>/, with SNI: the name
              resolves to 127.0.0.1 in the container's /etc/hosts) -> the
              uWSGI of (1) (the only app host passes straight to its socket).
Only one stack's uWSGI runs at a time (and the second nginx only for (4)):
before each measurement the others are stopped, this one started and asked
until it answers 200. The rounds are interleaved (each round measures every
stack, starting one stack later than the round before, with (1) and (4)
side by side, in turn one and the other first), every round is printed,
and the median round by requests/s is compared. The uWSGI units of
(2)-(4) are plain units (no sandboxing): the "what if" control measures the
ini of (1) under such a unit.

What if (BENCH_WHATIF): stack (1) with other uWSGI options or nginx
directives, on copies of its ini and site (nginx :8083 -> unix socket, and
uWSGI alone on 127.0.0.1:5003), against the seed, the hand-tuned stack and
the same ini under uWSGI alone.
"""

from __future__ import annotations

import dataclasses
import os

from . import containers, report, stackfiles, wrk
from .settings import WORK, BenchError

BENCH_DIR = '/etc/webstack-bench'
REFERENCE_NGINX_CONF = '/etc/nginx/webstack-bench-reference.conf'  # beside uwsgi_params: `include uwsgi_params;`
REFERENCE_PID = '/run/webstack-bench-reference-nginx.pid'
REFERENCE_SOCKET = '/run/webstack-bench-reference/uwsgi.sock'
VARIANT_SOCKET = '/run/webstack-bench-variant/uwsgi.sock'
VARIANT_SITE = '/etc/nginx/conf.d/webstack-bench-variant.conf'
SEED_SITE = '/etc/nginx/conf.d/webstack-bench-seed.conf'
TARGET_SEED_RPS = 1.3
TARGET_ALONE_RPS = 0.9
# issue 17: the defaults against the hand-tuned stack, in every round; the full path against (1); no stall
TARGET_REFERENCE_RPS = 0.95
TARGET_FULLPATH_RPS = 0.85
SPIKE_FACTOR = 2.0


# ---------------------------------------------------------------- results (pure functions)

@dataclasses.dataclass
class Stack:
    key: str
    number: str
    label: str
    url: str
    units: tuple


@dataclasses.dataclass
class Round:
    number: int
    result: wrk.WrkResult
    load: str


def rotated(items, shift) -> list:
    """The items starting at index shift (mod their count), so that no stack is always measured first."""
    if not items:
        return []
    shift %= len(items)
    return list(items[shift:]) + list(items[:shift])


def round_order(keys, number, group=('collection', 'reference', 'control')) -> list:
    """The keys in the order round number measures them: rotated (number - 1), with the keys of group side by
    side where the first of them comes, in the group's order in odd rounds and the other way round in even ones
    (a per-round ratio of (1) or (4') to (4) then compares two measurements made seconds apart, not a minute, on a
    machine whose speed drifts)."""
    order = rotated(keys, number - 1)
    block = [key for key in group if key in order]
    if len(block) < 2:
        return order
    at = min(order.index(key) for key in block)
    rest = [key for key in order if key not in block]
    at -= sum(1 for key in order[:at] if key in block)
    return rest[:at] + (block if number % 2 else block[::-1]) + rest[at:]


def rps_of(rnd):
    return rnd.result.requests_per_second


def median_of(rounds):
    return report.median_round(rounds, rps_of)


def worst_p99(rounds):
    return max((r.result.p99 for r in rounds), default=None)


def compare(rounds_a, rounds_b) -> dict:
    """Ratios of a to b: the median rounds' req/s, each round's (paired by round), and both p99s."""
    med_a, med_b = median_of(rounds_a), median_of(rounds_b)
    if med_a is None or med_b is None:
        return {}
    return {
        'rps': report.ratio(rps_of(med_a), rps_of(med_b)),
        'per_round': [report.ratio(rps_of(a), rps_of(b)) for a, b in zip(rounds_a, rounds_b)],
        'per_round_p99': [report.ratio(a.result.p99, b.result.p99) for a, b in zip(rounds_a, rounds_b)],
        'p99': (med_a.result.p99, med_b.result.p99),
        'worst_p99': (worst_p99(rounds_a), worst_p99(rounds_b)),
    }


def yes_no(flag) -> str:
    return 'yes' if flag else '**no**'


def targets(collection, seed, alone) -> tuple:
    """The issue's targets for (1) (or a variant of it) against the seed and uWSGI alone: (met, cells)."""
    to_seed, to_alone = compare(collection, seed), compare(collection, alone)
    cells, met = [], True
    if to_seed:
        faster = to_seed['rps'] is not None and to_seed['rps'] >= TARGET_SEED_RPS
        lower = to_seed['p99'][0] < to_seed['p99'][1]
        cells += [report.fmt_ratio(to_seed['rps']), yes_no(faster),
                  '%s / %s' % (report.fmt_ms(to_seed['p99'][0]), report.fmt_ms(to_seed['p99'][1])), yes_no(lower)]
        met = met and faster and lower
    else:
        cells += ['-'] * 4
    if to_alone:
        close = to_alone['rps'] is not None and to_alone['rps'] >= TARGET_ALONE_RPS
        cells += [report.fmt_ratio(to_alone['rps']), yes_no(close)]
        met = met and close
    else:
        cells += ['-'] * 2
    return met, cells


def rounds_table(stacks, results) -> list:
    rows = []
    for stack in stacks:
        for rnd in results.get(stack.key, []):
            res = rnd.result
            rows.append([stack.number, rnd.number, report.fmt_rps(res.requests_per_second), report.fmt_ms(res.p50),
                         report.fmt_ms(res.p90), report.fmt_ms(res.p99), res.errors, rnd.load])
    return report.markdown_table(['stack', 'round', 'requests/s', 'p50', 'p90', 'p99', 'errors', 'load before'], rows,
                                 'lrrrrrrl')


def medians_table(stacks, results) -> list:
    rows = []
    for stack in stacks:
        rounds = results.get(stack.key, [])
        med = median_of(rounds)
        if med is None:
            continue
        res = med.result
        rows.append(['%s %s' % (stack.number, stack.label), report.fmt_rps(res.requests_per_second),
                     report.fmt_ms(res.p50), report.fmt_ms(res.p90), report.fmt_ms(res.p99),
                     report.fmt_ms(worst_p99(rounds)), sum(r.result.errors for r in rounds)])
    return report.markdown_table(['stack', 'requests/s', 'p50', 'p90', 'p99', 'worst round p99', 'errors (all rounds)'],
                                 rows, 'lrrrrrr')


COMPARISONS = (
    # a, b, what the ratio means
    ('collection', 'seed', 'target >= %.2f× req/s and a lower p99' % TARGET_SEED_RPS),
    ('collection', 'alone', 'target >= %.2f× req/s' % TARGET_ALONE_RPS),
    ('collection', 'reference', 'below 1.00× (or a higher p99) is what the defaults cost'),
    ('control', 'reference', 'the same stack twice: how far apart equal stacks measure'),
    ('fullpath', 'collection', 'the load balancer hop and TLS'),
)


def comparisons_table(stacks, results) -> list:
    by_key = dict((stack.key, stack) for stack in stacks)
    rows = []
    for key_a, key_b, meaning in COMPARISONS:
        if key_a not in by_key or key_b not in by_key:
            continue
        cmp = compare(results.get(key_a, []), results.get(key_b, []))
        if not cmp:
            continue
        rows.append(['%s ÷ %s' % (by_key[key_a].number, by_key[key_b].number), report.fmt_ratio(cmp['rps']),
                     report.fmt_range(cmp['per_round']),
                     '%s / %s' % (report.fmt_ms(cmp['p99'][0]), report.fmt_ms(cmp['p99'][1])),
                     '%s / %s' % (report.fmt_ms(cmp['worst_p99'][0]), report.fmt_ms(cmp['worst_p99'][1])), meaning])
    return report.markdown_table(['stacks', 'req/s ratio (median rounds)', 'per round', 'p99 (median rounds)',
                                  'worst round p99', 'meaning'], rows, 'lrrrrl')


def spike(rounds):
    """The worst round's p99 divided by the median round's (1.00× when every round is alike)."""
    med = median_of(rounds)
    return report.ratio(worst_p99(rounds), med.result.p99) if med is not None else None


def goals(stacks, results) -> list:
    """Issue 17's goals, [goal, measured, met]: (1) against the hand-tuned (4) in every round (req/s and p99),
    the full path (5) against (1), and no stall (no round's p99 above SPIKE_FACTOR times the median round's)."""
    by_key = dict((stack.key, stack) for stack in stacks)
    rows = []
    if 'reference' in by_key:
        cmp = compare(results.get('collection', []), results.get('reference', []))
        if cmp:
            low = min((r for r in cmp['per_round'] if r is not None), default=None)
            rows.append(['(1) ÷ (4) req/s >= %.2f× in every round' % TARGET_REFERENCE_RPS,
                         '%s (median %s)' % (report.fmt_range(cmp['per_round']), report.fmt_ratio(cmp['rps'])),
                         low is not None and low >= TARGET_REFERENCE_RPS])
            high = max((r for r in cmp['per_round_p99'] if r is not None), default=None)
            rows.append(['(1) p99 <= (4) p99 in every round', '%s (median rounds %s / %s)' % (
                report.fmt_range(cmp['per_round_p99']), report.fmt_ms(cmp['p99'][0]), report.fmt_ms(cmp['p99'][1])),
                high is not None and high <= 1.0])
        rows += control_goals(results)
    if 'fullpath' in by_key:
        cmp = compare(results.get('fullpath', []), results.get('collection', []))
        if cmp:
            rows.append(['(5) ÷ (1) req/s >= %.2f×' % TARGET_FULLPATH_RPS, report.fmt_ratio(cmp['rps']),
                         cmp['rps'] is not None and cmp['rps'] >= TARGET_FULLPATH_RPS])
    for stack in stacks:
        value = spike(results.get(stack.key, []))
        if value is not None:
            rows.append(['%s no stall: worst round p99 <= %.0f× the median round\'s' % (stack.number, SPIKE_FACTOR),
                         report.fmt_ratio(value), value <= SPIKE_FACTOR])
    return rows


def control_goals(results) -> list:
    """The two per-round goals of (1) against (4), asked of two equal stacks, (4') and (4), either way round: both
    hold only when every round of the two is within 0.95x-1/0.95x (req/s) and of equal p99."""
    cmp = compare(results.get('control', []), results.get('reference', []))
    if not cmp:
        return []
    rps = [r for r in cmp['per_round'] if r is not None]
    p99 = [r for r in cmp['per_round_p99'] if r is not None]
    inverse = [1 / r for r in rps if r]
    return [["(4') ÷ (4) and (4) ÷ (4') req/s >= %.2f× in every round (equal stacks)" % TARGET_REFERENCE_RPS,
             '%s and %s' % (report.fmt_range(rps), report.fmt_range(inverse)),
             bool(rps) and min(rps + inverse) >= TARGET_REFERENCE_RPS],
            ["(4') p99 <= (4) p99 and (4) p99 <= (4') p99 in every round (equal stacks)",
             "(4') ÷ (4) %s" % report.fmt_range(p99), bool(p99) and all(r == 1.0 for r in p99)]]


def goals_table(stacks, results) -> list:
    return report.markdown_table(['goal', 'measured', 'met'],
                                 [[goal, value, yes_no(met)] for goal, value, met in goals(stacks, results)], 'lrl')


def findings(stacks, results) -> list:
    """One sentence per comparison, for the summary."""
    by_key = dict((stack.key, stack) for stack in stacks)
    out = []
    for key_a, key_b, meaning in COMPARISONS:
        if key_a in by_key and key_b in by_key:
            cmp = compare(results.get(key_a, []), results.get(key_b, []))
            if cmp:
                out.append('%s serves %s the requests/s of %s (per round %s), p99 %s vs %s, worst round p99 %s vs %s '
                           '(%s).' % (by_key[key_a].number, report.fmt_ratio(cmp['rps']), by_key[key_b].number,
                                      report.fmt_range(cmp['per_round']), report.fmt_ms(cmp['p99'][0]),
                                      report.fmt_ms(cmp['p99'][1]), report.fmt_ms(cmp['worst_p99'][0]),
                                      report.fmt_ms(cmp['worst_p99'][1]), meaning))
    return out


# ---------------------------------------------------------------- the container

class Throughput:
    """The stacks in one converged container, and their measurements."""

    def __init__(self, bench, container):
        self.bench = bench
        self.settings = bench.settings
        self.container = container
        self.files = os.path.join(WORK, 'throughput', 'files')
        self.app = self.user = self.group = self.socket_group = self.server_name = None
        self.pairs, self.unit_text, self.site_text = [], '', ''
        self.socket = None
        self.stacks = {}
        self.all_units = []
        self.fresh_units = set()  # units restarted before each measurement, even when they run

    # files

    def write(self, path, text, mode='0644'):
        """A file in the container, and a copy under .cache/bench/throughput/files to read afterwards."""
        containers.write_file(self.container, path, text, mode)
        local = os.path.join(self.files, path.lstrip('/'))
        os.makedirs(os.path.dirname(local), exist_ok=True)
        with open(local, 'w', encoding='utf-8') as handle:
            handle.write(text)

    def read(self, path):
        return containers.dexec(self.container, 'cat', path)

    def uwsgi_unit(self, name, description, ini_path, pairs, runtime_directory=None):
        self.write(ini_path, stackfiles.render_ini(pairs, 'webstack bench: ' + description))
        exec_start = stackfiles.exec_start_with_ini(self.unit_text, ini_path)
        self.write('/etc/systemd/system/%s.service' % name,
                   stackfiles.bench_unit(description, exec_start, self.user, self.group, self.socket_group, runtime_directory))
        self.add_unit(name + '.service')

    def add_unit(self, unit):
        if unit not in self.all_units:
            self.all_units.append(unit)

    # set-up

    def read_app(self):
        inis = self.read_lines('ls /etc/uwsgi-app/*.ini')
        if not inis:
            raise BenchError('%s has no /etc/uwsgi-app/*.ini: did site.yml deploy an app?' % self.container)
        self.app = os.path.basename(inis[0])[:-len('.ini')]
        self.pairs = stackfiles.parse_ini(self.read(inis[0]))
        self.unit_text = self.read('/etc/systemd/system/uwsgi-app-%s.service' % self.app)
        socket_unit = self.read('/etc/systemd/system/uwsgi-app-%s.socket' % self.app)
        self.user = stackfiles.unit_value(self.unit_text, 'User', self.app)
        self.group = stackfiles.unit_value(self.unit_text, 'Group', self.app)
        self.socket_group = stackfiles.unit_value(socket_unit, 'SocketGroup', 'www-data')
        self.socket = stackfiles.ini_get(self.pairs, 'socket')
        sites = self.read_lines('grep -l "uwsgi_pass unix:%s;" /etc/nginx/sites-enabled/* || true' % self.socket)
        if not sites:
            raise BenchError('no site of %s sends requests to unix:%s' % (self.container, self.socket))
        self.site_text = self.read(sites[0])
        self.server_name = containers.tls_server_name(self.container)

    def read_lines(self, script):
        return containers.dsh(self.container, script).split()

    def debian_nginx_conf(self) -> str:
        """/etc/nginx/nginx.conf as Debian's package ships it (the nginx role replaced the one on disk)."""
        return containers.dsh(self.container, r'''
pkg=$(dpkg-query -S /etc/nginx/nginx.conf | cut -d: -f1)
version=$(dpkg-query -W -f '${Version}' "$pkg")
dir=$(mktemp -d)
cd "$dir"
chown _apt "$dir" 2>/dev/null || true
apt-get download -q "$pkg=$version" >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get download -q "$pkg=$version" >/dev/null 2>&1; }
dpkg-deb --fsys-tarfile ./*.deb | tar -xO ./etc/nginx/nginx.conf
rm -rf "$dir"
''')

    def setup(self):
        containers.apt_install(self.container, 'wrk')
        self.read_app()
        owner = '%s:%s' % (self.user, self.socket_group)
        app_units = ('uwsgi-app-%s.socket' % self.app, 'uwsgi-app-%s.service' % self.app)
        self.all_units = list(app_units)
        wanted = self.settings.stacks
        stacks = [Stack('collection', '(1)', 'this collection: nginx :8080 → uWSGI unix socket from systemd, defaults',
                        'http://127.0.0.1:8080/', app_units)]
        if 'seed' in wanted:
            self.uwsgi_unit('webstack-bench-seed', 'the seed (uWSGI TCP 127.0.0.1:5001, 4 processes x 2 threads)',
                            BENCH_DIR + '/seed.ini', stackfiles.seed_ini(self.pairs))
            self.write(SEED_SITE, '# webstack bench: the seed\'s nginx server block\n'
                       + stackfiles.uwsgi_server(8081, '127.0.0.1:5001'))
            stacks.append(Stack('seed', '(2)', 'seed: nginx :8081 → uWSGI TCP 127.0.0.1:5001, 4 processes × 2 threads, '
                                'chmod-socket 666', 'http://127.0.0.1:8081/', ('webstack-bench-seed.service',)))
        if 'alone' in wanted:
            self.uwsgi_unit('webstack-bench-alone', 'the ini of (1) under uWSGI alone (http-socket 127.0.0.1:5002)',
                            BENCH_DIR + '/alone.ini', stackfiles.alone_ini(self.pairs, '127.0.0.1:5002'))
            stacks.append(Stack('alone', '(3)', 'uWSGI alone: http-socket 127.0.0.1:5002, the ini of (1)',
                                'http://127.0.0.1:5002/', ('webstack-bench-alone.service',)))
        if 'reference' in wanted:
            self.setup_reference(owner)
            stacks.append(Stack('reference', '(4)', "hand-tuned: Debian's nginx.conf :8084 → uWSGI unix socket, "
                                '2 processes, single-interpreter, disable-logging', 'http://127.0.0.1:8084/',
                                ('webstack-bench-reference.service', 'webstack-bench-reference-nginx.service')))
        if 'control' in wanted and 'reference' in wanted:
            # (4) and (4') share their units: each measurement restarts the uWSGI, as a switch between two
            # stacks does, so that two equal stacks are measured the way (1) and (4) are
            self.fresh_units = {'webstack-bench-reference.service'}
            reference = next(stack for stack in stacks if stack.key == 'reference')
            stacks.append(Stack('control', "(4')", 'the hand-tuned stack (4) again, measured beside it',
                                reference.url, reference.units))
        if 'fullpath' in wanted:
            if not self.server_name:
                raise BenchError('%s has no TLS site: is it in webstack_loadbalancers?' % self.container)
            containers.add_hosts_entry(self.container, self.server_name)
            stacks.append(Stack('fullpath', '(5)', 'full path: HTTPS %s:443 (load balancer site) → uWSGI of (1)'
                                % self.server_name, 'https://%s:443/' % self.server_name, app_units))
        # the order of BENCH_STACKS; (1) is always measured, the others compare with it
        order = ['collection'] + [key for key in wanted if key != 'collection']
        self.stacks = dict((stack.key, stack) for stack in sorted(stacks, key=lambda s: order.index(s.key)))
        containers.dsh(self.container, 'systemctl daemon-reload; nginx -t -q; systemctl reload nginx')

    def setup_reference(self, owner):
        include = BENCH_DIR + '/reference/*.conf'
        self.write(REFERENCE_NGINX_CONF, stackfiles.reference_nginx_conf(self.debian_nginx_conf(), REFERENCE_PID, include))
        self.write(BENCH_DIR + '/reference/server.conf', stackfiles.uwsgi_server(8084, 'unix:' + REFERENCE_SOCKET))
        self.uwsgi_unit('webstack-bench-reference', 'hand-tuned uWSGI (2 processes, unix socket)',
                        BENCH_DIR + '/reference.ini', stackfiles.reference_ini(self.pairs, REFERENCE_SOCKET, owner),
                        runtime_directory='webstack-bench-reference')
        conf = REFERENCE_NGINX_CONF
        self.write('/etc/systemd/system/webstack-bench-reference-nginx.service', '\n'.join([
            '[Unit]', "Description=webstack bench: nginx with Debian's default nginx.conf (hand-tuned stack)", '',
            '[Service]', 'Type=forking', 'PIDFile=' + REFERENCE_PID,
            'ExecStartPre=/usr/sbin/nginx -t -q -c ' + conf, 'ExecStart=/usr/sbin/nginx -c ' + conf, '']))
        self.add_unit('webstack-bench-reference-nginx.service')
        containers.dexec(self.container, 'nginx', '-t', '-q', '-c', conf)

    # measurements

    def activate(self, url, units):
        """Stop every uWSGI (and nginx) of the benchmark but units, start units, wait until url answers."""
        stop = [unit for unit in self.all_units if unit not in units]
        if stop:
            containers.dexec(self.container, 'systemctl', 'stop', *stop)
        containers.dexec(self.container, 'systemctl', 'start', *[unit for unit in units if unit not in self.fresh_units])
        fresh = [unit for unit in units if unit in self.fresh_units]
        if fresh:
            containers.dexec(self.container, 'systemctl', 'restart', *fresh)
        containers.wait_http(self.container, url)

    def measure(self, round_number, entry) -> Round:
        """entry: (key, number, label, url, units)."""
        number, label, url, units = entry[1:]
        self.activate(url, units)
        load = containers.loadavg()
        result = wrk.run_wrk(self.container, url, self.settings)
        report.say('   %-4s %-12s %7.0f req/s  p50 %7.2f  p90 %7.2f  p99 %7.2f ms  errors %d  (load before: %s)'
                   % (number, label, result.requests_per_second, result.p50, result.p90, result.p99, result.errors,
                      load))
        return Round(round_number, result, load)

    def rounds(self, entries) -> dict:
        """entries: [(key, number, label, url, units)]; BENCH_ROUNDS interleaved rounds; {key: [Round]}."""
        results = dict((entry[0], []) for entry in entries)
        by_key = dict((entry[0], entry) for entry in entries)
        for number in range(1, self.settings.rounds + 1):
            report.say('   round %d' % number)
            for key in round_order(list(by_key), number):
                results[key].append(self.measure(number, by_key[key]))
        return results

    def restore(self):
        """Leave only the stack site.yml deployed running (a failure is only reported: the run stops already)."""
        collection = self.stacks['collection']
        try:
            self.activate(collection.url, collection.units)
        except BenchError as exc:
            report.warn('could not start stack (1) again: %s' % exc)

    # what if

    def whatif(self, results):
        variants = stackfiles.parse_whatif_list(self.settings.whatif_list or stackfiles.DEFAULT_WHATIF)
        report.say('>> what if: stack (1) with other settings, each also under uWSGI alone; ' + self.bench.machine())
        rows = []
        try:
            self.measure_variants(variants, results, rows)
        finally:
            containers.dsh(self.container, 'rm -f "$1"; nginx -t -q; systemctl reload nginx', VARIANT_SITE)
            self.restore()
        self.bench.add_summary(
            '', 'What if: stack (1) with other settings (copies of its ini and site, under a plain unit), each against '
            'the seed (2), the same ini under uWSGI alone and the hand-tuned stack (4) above (median of %d round(s)):'
            % self.settings.rounds, '')
        self.bench.add_summary(*report.markdown_table(
            ['configuration', 'requests/s via nginx', 'p99', 'worst round p99', 'worst ÷ median p99',
             'requests/s uWSGI alone',
             '÷ (2) req/s', '>= %.1f×' % TARGET_SEED_RPS, 'p99 vs (2)', 'lower', '÷ alone', '>= %.2f×' % TARGET_ALONE_RPS,
             '÷ (4) req/s', '÷ (4) per round'], rows, 'lrrrrrrlrlrlrr'))

    def measure_variants(self, variants, results, rows):
        owner = '%s:%s' % (self.user, self.socket_group)
        for variant in variants:
            pairs = stackfiles.set_options(self.pairs, variant.options)
            self.uwsgi_unit('webstack-bench-variant', 'what if: ' + variant.label, BENCH_DIR + '/variant.ini',
                            stackfiles.unix_socket_ini(pairs, VARIANT_SOCKET, owner), runtime_directory='webstack-bench-variant')
            self.uwsgi_unit('webstack-bench-variant-alone', 'what if: %s, uWSGI alone' % variant.label,
                            BENCH_DIR + '/variant-alone.ini', stackfiles.alone_ini(pairs, '127.0.0.1:5003'))
            self.write(VARIANT_SITE, '# webstack bench: what if %s\n' % variant.label
                       + stackfiles.variant_site(self.site_text, 8083, self.socket, VARIANT_SOCKET, variant.directives))
            containers.dsh(self.container, 'systemctl daemon-reload; nginx -t -q; systemctl reload nginx')
            report.say('   what if: %s (uWSGI %s; nginx %s)' % (
                variant.label, ', '.join('%s=%s' % kv for kv in variant.options.items()) or 'as (1)',
                ' '.join(variant.directives) or 'as (1)'))
            measured = self.rounds([
                ('via', 'v', 'via nginx', 'http://127.0.0.1:8083/', ('webstack-bench-variant.service',)),
                ('alone', 'va', 'uWSGI alone', 'http://127.0.0.1:5003/', ('webstack-bench-variant-alone.service',)),
            ])
            met, cells = targets(measured['via'], results.get('seed', []), measured['alone'])
            report.say('   targets %s: %s' % ('met' if met else 'missed', ', '.join(cells)))
            to_ref = compare(measured['via'], results.get('reference', []))
            via = median_of(measured['via']).result
            rows.append([variant.label, report.fmt_rps(via.requests_per_second), report.fmt_ms(via.p99),
                         report.fmt_ms(worst_p99(measured['via'])), report.fmt_ratio(spike(measured['via'])),
                         report.fmt_rps(rps_of(median_of(measured['alone'])))] + cells
                        + ([report.fmt_ratio(to_ref['rps']), report.fmt_range(to_ref['per_round'])] if to_ref
                           else ['-', '-']))


def section(bench):
    """The throughput section, on the host the single section converged (bench.state["single"])."""
    settings = bench.settings
    container = bench.state['single']['container']
    report.say('>> throughput in %s: wrk -t%d -c%d, %d s warm-up + %d s per stack, %d round(s), one stack\'s uWSGI '
               'running at a time; %s' % (container, settings.threads, settings.connections, settings.warmup,
                                          settings.seconds, settings.rounds, bench.machine()))
    bench_run = Throughput(bench, container)
    bench_run.setup()
    stacks = list(bench_run.stacks.values())
    for stack in stacks:
        report.say('   %s %s (%s)' % (stack.number, stack.label, stack.url))
    try:
        results = bench_run.rounds([(s.key, s.number, s.key, s.url, s.units) for s in stacks])
    finally:
        bench_run.restore()
    bench.add_summary(
        '', 'Throughput, one Debian 12 container converged by site.yml (%d cores shared with wrk), wrk -t%d -c%d -d%ds '
        'after %d s of warm-up, on loopback, GET / of examples/flask_app, one stack\'s uWSGI running at a time, '
        '%d interleaved round(s); the median round by requests/s, and the worst p99 of all rounds:'
        % (os.cpu_count() or 0, settings.threads, settings.connections, settings.seconds, settings.warmup,
           settings.rounds), '')
    bench.add_summary(*medians_table(stacks, results))
    bench.add_summary('', 'Every round:', '')
    bench.add_summary(*rounds_table(stacks, results))
    bench.add_summary('', 'Ratios:', '')
    bench.add_summary(*comparisons_table(stacks, results))
    bench.add_summary('', *findings(stacks, results))
    bench.add_summary('', 'Goals (issue 17; a regression of the defaults shows here as **no**):', '')
    bench.add_summary(*goals_table(stacks, results))
    met, cells = targets(results['collection'], results.get('seed', []), results.get('alone', []))
    bench.add_summary('', 'Targets of (1) against the seed (2) and uWSGI alone (3):', '')
    bench.add_summary(*report.markdown_table(
        ['configuration', '(1) ÷ (2) req/s', '>= %.1f×' % TARGET_SEED_RPS, 'p99 (1) / (2)', 'lower', '(1) ÷ (3) req/s',
         '>= %.2f×' % TARGET_ALONE_RPS], [['collection defaults (example inventory)'] + cells], 'lrlrlrl'))
    for line in findings(stacks, results):
        report.say('   ' + line)
    for goal, value, met in goals(stacks, results):
        report.say('   goal %s: %s, %s' % (goal, value, 'met' if met else 'MISSED'))
    if settings.whatif == '1' or (settings.whatif == 'auto' and not met and 'seed' in results):
        bench_run.whatif(results)
