# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the sections of the benchmark share: settings, containers, playbook runs, wrk, medians and tables.

The parsing and formatting functions (``parse_wrk``, ``parse_duration_ms``,
``parse_recap``, ``format_recap``, ``median``, ``median_round``, ``ratio``,
``markdown_table``...) take text and return values, so that
tests/unit/scripts/test_bench_common.py checks them without Docker.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shlex
import signal
import statistics
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WORK = os.path.join(REPO, '.cache', 'bench')
LOGS = os.path.join(WORK, 'logs')
FLEET_SH = os.path.join(REPO, 'scripts', 'fleet.sh')
SECTIONS = ('nginx_role', 'single', 'throughput', 'fleet', 'rollout', 'fleet_ssh')
STACKS = ('collection', 'seed', 'alone', 'reference', 'control', 'fullpath')


class BenchError(Exception):
    """A step of the benchmark failed (a playbook, a container, a stack that does not answer)."""


# ---------------------------------------------------------------- settings

def _int(env, name, default, low, high):
    raw = env.get(name, '')
    if raw.strip() == '':
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BenchError('%s must be a whole number, got %r' % (name, raw)) from None
    if not low <= value <= high:
        raise BenchError('%s must be between %d and %d, got %d' % (name, low, high, value))
    return value


def _sizes(env, name, default, low, high):
    """A comma-separated list of whole numbers ("1,4,9"), each between low and high, without repeats."""
    raw = env.get(name, '').strip()
    if not raw:
        return list(default)
    try:
        values = [int(word) for word in raw.split(',')]
    except ValueError:
        raise BenchError('%s must be whole numbers separated by commas, got %r' % (name, raw)) from None
    if any(not low <= value <= high for value in values) or len(set(values)) != len(values):
        raise BenchError('%s: each between %d and %d, none twice, got %r' % (name, low, high, raw))
    return values


def _words(env, name, default, allowed):
    words = env.get(name, '').split() or list(default)
    unknown = [word for word in words if word not in allowed]
    if unknown:
        raise BenchError('%s: unknown %s (known: %s)' % (name, ', '.join(unknown), ' '.join(allowed)))
    return words


@dataclasses.dataclass
class Settings:  # pylint: disable=too-many-instance-attributes
    """The BENCH_* environment variables (documented in scripts/bench/__init__.py)."""

    sections: list
    prefix: str = 'webstack-bench'
    fleet_prefix: str = 'webstack-benchfleet'
    keep: bool = False
    threads: int = 2
    connections: int = 32
    seconds: int = 8
    warmup: int = 2
    rounds: int = 5
    stacks: list = dataclasses.field(default_factory=lambda: list(STACKS))
    whatif: str = 'auto'
    whatif_list: str = ''
    rollout_connections: int = 4
    rollout_max_seconds: int = 300
    ssh_prefix: str = 'webstack-benchssh'
    ssh_sizes: list = dataclasses.field(default_factory=lambda: [1, 4, 9])

    @classmethod
    def from_env(cls, env=None) -> 'Settings':
        env = os.environ if env is None else env
        whatif = env.get('BENCH_WHATIF', '').strip() or 'auto'
        if whatif not in ('auto', '0', '1'):
            raise BenchError('BENCH_WHATIF must be auto, 1 or 0, got %r' % whatif)
        for name in ('BENCH_PREFIX', 'BENCH_FLEET_PREFIX', 'BENCH_SSH_PREFIX'):
            if name in env and not re.match(r'^webstack-bench[a-z0-9-]*$', env[name]):
                # fleet.sh removes every container labelled with the prefix: keep
                # it to names of the benchmark, never Molecule's or the demo's.
                raise BenchError('%s must start with webstack-bench (lower case, digits, -), got %r' % (name, env[name]))
        return cls(
            sections=_words(env, 'BENCH_SECTIONS', SECTIONS, SECTIONS),
            prefix=env.get('BENCH_PREFIX') or cls.prefix,
            fleet_prefix=env.get('BENCH_FLEET_PREFIX') or cls.fleet_prefix,
            keep=env.get('BENCH_KEEP', '0').strip() == '1',
            threads=_int(env, 'BENCH_THREADS', cls.threads, 1, 64),
            connections=_int(env, 'BENCH_CONNECTIONS', cls.connections, 1, 1024),
            seconds=_int(env, 'BENCH_SECONDS', cls.seconds, 1, 300),
            warmup=_int(env, 'BENCH_WARMUP', cls.warmup, 0, 60),
            rounds=_int(env, 'BENCH_ROUNDS', cls.rounds, 1, 50),
            stacks=_words(env, 'BENCH_STACKS', STACKS, STACKS),
            whatif=whatif,
            whatif_list=env.get('BENCH_WHATIF_LIST', ''),
            rollout_connections=_int(env, 'BENCH_ROLLOUT_CONNECTIONS', cls.rollout_connections, 1, 64),
            rollout_max_seconds=_int(env, 'BENCH_ROLLOUT_MAX_SECONDS', cls.rollout_max_seconds, 10, 600),
            ssh_prefix=env.get('BENCH_SSH_PREFIX') or cls.ssh_prefix,
            ssh_sizes=_sizes(env, 'BENCH_SSH_SIZES', [1, 4, 9], 1, 50),
        )

    def describe(self) -> str:
        return ('sections: %s; wrk -t%d -c%d, %d s after %d s of warm-up, %d round(s); stacks: %s; what-if: %s; '
                'rollout load: %d connections; app hosts over SSH: %s; containers: %s-*, %s-*, %s-* (kept: %s)'
                % (' '.join(self.sections), self.threads, self.connections, self.seconds, self.warmup, self.rounds,
                   ' '.join(self.stacks), self.whatif, self.rollout_connections,
                   ','.join(str(n) for n in self.ssh_sizes), self.prefix, self.fleet_prefix, self.ssh_prefix,
                   'yes' if self.keep else 'no'))


# ---------------------------------------------------------------- parsing

UNIT_MS = {'us': 0.001, 'ms': 1.0, 's': 1000.0, 'm': 60000.0, 'h': 3600000.0}
DURATION_RE = re.compile(r'^([0-9]+(?:\.[0-9]+)?)(us|ms|s|m|h)$')


def parse_duration_ms(text: str) -> float:
    """A wrk latency ("812.00us", "4.07ms", "1.20s", "2.00m") in milliseconds."""
    match = DURATION_RE.match(text.strip())
    if not match:
        raise ValueError('not a wrk duration: %r' % text)
    return float(match.group(1)) * UNIT_MS[match.group(2)]


@dataclasses.dataclass
class WrkResult:
    """What one wrk run measured (latencies in milliseconds)."""

    requests_per_second: float
    p50: float
    p90: float
    p99: float
    requests: int
    non_2xx: int = 0
    socket_errors: int = 0

    @property
    def errors(self) -> int:
        return self.non_2xx + self.socket_errors


def parse_wrk(text: str) -> WrkResult:
    """The figures of `wrk --latency` output; raises ValueError when a figure is missing."""
    percentiles, values = {}, {}
    non_2xx = socket_errors = 0
    for line in text.splitlines():
        words = line.split()
        if len(words) == 2 and words[0] in ('50%', '75%', '90%', '99%'):
            percentiles[words[0]] = parse_duration_ms(words[1])
        elif len(words) > 3 and words[1:3] == ['requests', 'in']:
            values['requests'] = int(words[0])
        elif line.startswith('Requests/sec:'):
            values['rps'] = float(words[1])
        elif line.strip().startswith('Non-2xx or 3xx responses:'):
            non_2xx += int(words[-1])
        elif line.strip().startswith('Socket errors:'):
            # Socket errors: connect 0, read 12, write 0, timeout 3
            socket_errors += sum(int(n) for n in re.findall(r'[a-z]+ ([0-9]+)', line.split(':', 1)[1]))
    missing = [key for key in ('50%', '90%', '99%') if key not in percentiles]
    missing += [key for key in ('requests', 'rps') if key not in values]
    if missing:
        raise ValueError('wrk output without %s (was --latency given?):\n%s' % (', '.join(missing), text))
    return WrkResult(values['rps'], percentiles['50%'], percentiles['90%'], percentiles['99%'], values['requests'],
                     non_2xx, socket_errors)


RECAP_LINE = re.compile(r'^(\S+)\s+:\s+((?:\w+=-?[0-9]+\s*)+)$')


def parse_recap(text: str) -> dict:
    """{host: {"ok": n, "changed": n, ...}} from the PLAY RECAP of ansible-playbook output (the last one)."""
    recap, inside = {}, False
    for line in text.splitlines():
        if line.startswith('PLAY RECAP'):
            recap, inside = {}, True
            continue
        if not inside:
            continue
        match = RECAP_LINE.match(line.strip())
        if match:
            recap[match.group(1)] = dict((key, int(value)) for key, value in
                                         (pair.split('=') for pair in match.group(2).split()))
        elif line.strip():
            inside = False
    return recap


def format_recap(recap: dict) -> str:
    """"app1, app2 ok=66 changed=24, lb1 ok=31 changed=13": hosts with the same ok and changed share an entry."""
    groups = {}
    for host, counts in recap.items():
        groups.setdefault((counts.get('ok', 0), counts.get('changed', 0)), []).append(host)
    parts = ['%s ok=%d changed=%d' % (', '.join(hosts), ok, changed) for (ok, changed), hosts in groups.items()]
    failed = ['%s failed=%d unreachable=%d' % (host, c.get('failed', 0), c.get('unreachable', 0))
              for host, c in recap.items() if c.get('failed') or c.get('unreachable')]
    return ', '.join(parts + failed)


# ---------------------------------------------------------------- statistics and tables

def median(values):
    """The median of numbers (the mean of the two middle ones for an even count); None when empty."""
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def median_round(rounds, key):
    """The round whose key is the median one (the lower of the two middle ones for an even count).

    Reporting one real round keeps its figures consistent with each other
    (the req/s and the p99 of the same run), as the benchmark always did.
    """
    ordered = sorted(rounds, key=key)
    return ordered[(len(ordered) - 1) // 2] if ordered else None


def ratio(numerator, denominator):
    """numerator / denominator, or None when either is missing or the denominator is 0."""
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def fmt_ratio(value) -> str:
    return '-' if value is None else '%.2f×' % value


def fmt_range(values) -> str:
    """"1.26× to 1.53×" (or one value) for per-round ratios."""
    values = [v for v in values if v is not None]
    if not values:
        return '-'
    low, high = min(values), max(values)
    return fmt_ratio(low) if '%.2f' % low == '%.2f' % high else '%s to %s' % (fmt_ratio(low), fmt_ratio(high))


def fmt_ms(value) -> str:
    return '-' if value is None else '%.2f ms' % value


def fmt_rps(value) -> str:
    return '-' if value is None else '%.0f' % value


def markdown_table(header, rows, align=None) -> list:
    """Lines of a markdown table; align is one letter per column, "l" or "r" (default: all "l")."""
    align = align or 'l' * len(header)
    if len(align) != len(header) or any(len(row) != len(header) for row in rows):
        raise ValueError('every row and the alignment need %d columns' % len(header))

    def line(cells):
        return '| ' + ' | '.join(str(cell).replace('|', '\\|') for cell in cells) + ' |'

    rule = '| ' + ' | '.join('---:' if letter == 'r' else '---' for letter in align) + ' |'
    return [line(header), rule] + [line(row) for row in rows]


def tls_server_names(conf_text) -> list:
    """The server names of the first server block of an nginx file that listens with ssl."""
    for block in re.split(r'^\s*server\s*\{', conf_text, flags=re.M)[1:]:
        if re.search(r'^\s*listen\s+[^;]*\bssl\b', block, flags=re.M):
            match = re.search(r'^\s*server_name\s+([^;]+);', block, flags=re.M)
            if match:
                return match.group(1).split()
    return []


def slug(text: str) -> str:
    return re.sub(r'[^A-Za-z0-9]+', '-', text).strip('-')


# ---------------------------------------------------------------- machine and containers

def loadavg() -> str:
    try:
        with open('/proc/loadavg', encoding='ascii') as handle:
            return ' '.join(handle.read().split()[:3])
    except OSError:
        return '?'


def run(argv, check=True, input_text=None, timeout=None, env=None) -> subprocess.CompletedProcess:
    """Run a command on this machine; raises BenchError with its output when it fails and check is true."""
    try:
        proc = subprocess.run(argv, input=input_text, capture_output=True, text=True, timeout=timeout, env=env,
                              check=False)
    except subprocess.TimeoutExpired as exc:
        raise BenchError('%s: no end after %s s' % (shlex.join(argv), timeout)) from exc
    if check and proc.returncode != 0:
        raise BenchError('%s failed (rc=%d):\n%s%s'
                         % (shlex.join(argv), proc.returncode, proc.stdout[-3000:], proc.stderr[-3000:]))
    return proc


def dexec(container, *argv, input_text=None, check=True, timeout=600) -> str:
    """Run argv in a container (docker exec); its standard output."""
    prefix = ['docker', 'exec'] + (['-i'] if input_text is not None else []) + [container]
    return run(prefix + list(argv), check=check, input_text=input_text, timeout=timeout).stdout


def dsh(container, script, *args, input_text=None, timeout=600) -> str:
    """A POSIX shell script in a container, with positional arguments."""
    return dexec(container, 'sh', '-ec', script, 'sh', *args, input_text=input_text, timeout=timeout)


def write_file(container, path, text, mode='0644'):
    """Write a file in a container (its directory is created)."""
    dsh(container, 'mkdir -p "$(dirname "$1")"; cat >"$1"; chmod "$2" "$1"', path, mode, input_text=text)


def exists(container) -> bool:
    return run(['docker', 'container', 'inspect', container], check=False).returncode == 0


def apt_install(container, *packages):
    """Install Debian packages in a container, refreshing the package lists only when needed."""
    dsh(container, 'export DEBIAN_FRONTEND=noninteractive; '
                   'apt-get install -y -q --no-install-recommends "$@" >/dev/null 2>&1 || '
                   '{ apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends "$@" >/dev/null; }',
        *packages)


def add_hosts_entry(container, name, address='127.0.0.1'):
    """Resolve name to address in a container, in /etc/hosts itself: Docker bind-mounts that file, so it is
    appended to in place (a tool that writes a new file and renames it, like sed -i, fails there)."""
    dsh(container, 'grep -Eq "^$2[[:space:]]+$1([[:space:]]|\\$)" /etc/hosts || echo "$2 $1" >>/etc/hosts', name, address)


def tls_server_name(container):
    """The first server name of the first TLS site nginx serves in a container (a load balancer's), or None."""
    for name in dsh(container, 'ls /etc/nginx/sites-enabled/').split():
        names = tls_server_names(dexec(container, 'cat', '/etc/nginx/sites-enabled/' + name))
        if names:
            return names[0]
    return None


WAIT_HTTP = r'''
import ssl, sys, time, urllib.request
url, seconds = sys.argv[1], float(sys.argv[2])
context = ssl.create_default_context()
context.check_hostname = False
context.verify_mode = ssl.CERT_NONE  # the fleet's own (self-signed) certificate
deadline, last = time.time() + seconds, None
while time.time() < deadline:
    try:
        if urllib.request.urlopen(url, timeout=2, context=context).status == 200:
            sys.exit(0)
    except Exception as exc:  # pylint: disable=broad-except
        last = exc
    time.sleep(0.2)
sys.exit('no 200 from %s after %.0f s: %r' % (url, seconds, last))
'''


def wait_http(container, url, seconds=60):
    """Wait until url answers 200 inside the container (python3: the images have no curl)."""
    dexec(container, 'python3', '-c', WAIT_HTTP, url, str(seconds), timeout=seconds + 30)


def wrk(container, url, settings, seconds, latency=True) -> str:
    """wrk inside a container (BENCH_THREADS and BENCH_CONNECTIONS); its output."""
    argv = ['wrk', '-t', str(settings.threads), '-c', str(settings.connections), '-d', '%ds' % seconds,
            '--timeout', '5s'] + (['--latency'] if latency else []) + [url]
    return dexec(container, *argv, timeout=seconds + 60)


def run_wrk(container, url, settings) -> WrkResult:
    """BENCH_WARMUP seconds of wrk (not counted), then BENCH_SECONDS measured."""
    if settings.warmup:
        wrk(container, url, settings, settings.warmup, latency=False)
    return parse_wrk(wrk(container, url, settings, settings.seconds))


def ensure_collection_link():
    """.cache/collections/ansible_collections/webstack/nginx_uwsgi -> the checkout, as `make venv` makes it."""
    link = os.path.join(REPO, '.cache', 'collections', 'ansible_collections', 'webstack', 'nginx_uwsgi')
    if not os.path.lexists(link):
        os.makedirs(os.path.dirname(link), exist_ok=True)
        os.symlink('../../../..', link)


# ---------------------------------------------------------------- the run

@dataclasses.dataclass
class PlaybookRun:
    seconds: float
    recap: dict
    log: str


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
        os.makedirs(LOGS, exist_ok=True)

    # containers

    def others(self) -> int:
        names = run(['docker', 'ps', '--format', '{{.Names}}']).stdout.split()
        ours = (self.settings.prefix + '-', self.settings.fleet_prefix + '-', self.settings.ssh_prefix + '-')
        return len([name for name in names if not name.startswith(ours)])

    def machine(self) -> str:
        return '%d cores, load %s, %d other containers running' % (os.cpu_count() or 0, loadavg(), self.others())

    def fleet_up(self, prefix, inventory, *specs, env=None) -> str:
        """New containers PREFIX-NAME (fleet.sh; an old one is removed first unless BENCH_KEEP=1, which reuses
        it). env: more environment for fleet.sh (FLEET_IMAGE, FLEET_SSH_KEY). Returns "fresh" or "reused"."""
        state = 'fresh'
        if run(['docker', 'ps', '-aq', '--filter', 'label=webstack.fleet=%s' % prefix]).stdout.strip():
            if self.settings.keep:
                state = 'reused'
            else:
                run([FLEET_SH, 'down', prefix])
        if prefix not in self.started:
            self.started.append(prefix)
        os.makedirs(os.path.dirname(inventory), exist_ok=True)
        run([FLEET_SH, 'up', prefix, inventory] + list(specs), timeout=300 + 60 * len(specs),
            env=dict(os.environ, **(env or {})))
        if state == 'fresh':
            time.sleep(2)  # let systemd settle in new containers
        return state

    def fleet_down(self, prefix):
        """Remove the containers and network of prefix now (not at the end of the run), unless BENCH_KEEP=1."""
        if self.settings.keep:
            return
        run([FLEET_SH, 'down', prefix], check=False, timeout=120)
        if prefix in self.started:
            self.started.remove(prefix)

    def cleanup(self):
        if self.settings.keep:
            if self.started:
                print('>> kept (BENCH_KEEP=1): remove with ' + '; '.join('scripts/fleet.sh down %s' % p for p in self.started))
            return
        for prefix in self.started:
            run([FLEET_SH, 'down', prefix], check=False, timeout=120)

    # playbooks

    def playbook(self, label, inventory, playbook, extra=(), env=None) -> PlaybookRun:
        """Run ansible-playbook (env: more environment); its wall time and recap. Raises BenchError (with the end
        of the log) on failure."""
        log = os.path.join(LOGS, slug(label) + '.log')
        env = dict(os.environ, ANSIBLE_NOCOLOR='1', ANSIBLE_FORCE_COLOR='0', PY_COLORS='0', **(env or {}))
        argv = ['ansible-playbook', '-i', inventory] + list(extra) + [playbook]
        start = time.monotonic()
        with open(log, 'w', encoding='utf-8') as out:
            proc = subprocess.run(argv, stdout=out, stderr=subprocess.STDOUT, cwd=REPO, env=env, check=False)
        seconds = time.monotonic() - start
        with open(log, encoding='utf-8') as handle:
            text = handle.read()
        if proc.returncode != 0:
            raise BenchError('%s failed (rc=%d); log: %s\n%s' % (shlex.join(argv), proc.returncode, log,
                                                                 '\n'.join(text.splitlines()[-40:])))
        return PlaybookRun(seconds, parse_recap(text), log)

    def time_playbook(self, label, hosts, inventory, playbook, env=None) -> PlaybookRun:
        """A playbook run that goes to the timing table of the summary."""
        load = loadavg()
        result = self.playbook('%s-%s' % (label, hosts), inventory, playbook, env=env)
        recap = format_recap(result.recap)
        print('   %-34s %7.1f s   %s   (load before: %s)' % (label, result.seconds, recap, load), flush=True)
        self.timing_rows.append([label, hosts, '%.1f s' % result.seconds, recap, load])
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


def say(text):
    print(text, flush=True)


def warn(text):
    print(text, file=sys.stderr, flush=True)
