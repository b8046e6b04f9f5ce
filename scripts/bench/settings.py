# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a run of the benchmark is told and where it works: paths, sections, stacks, BENCH_* settings.

``REPO`` (the checkout), ``WORK`` and ``LOGS`` (under .cache/bench) and
``FLEET_SH``; the known sections and throughput stacks; ``BenchError``, which
every module raises when a step fails; and ``Settings``, the BENCH_*
environment variables (documented in scripts/bench/__init__.py), checked.
"""

from __future__ import annotations

import dataclasses
import os
import re

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WORK = os.path.join(REPO, '.cache', 'bench')
LOGS = os.path.join(WORK, 'logs')
FLEET_SH = os.path.join(REPO, 'scripts', 'fleet.sh')
SECTIONS = ('nginx_role', 'single', 'throughput', 'fleet', 'rollout', 'fleet_ssh', 'scale')
# scale (50 app hosts, 26-28 minutes on a 2-core machine) only when asked for: make bench-scale
DEFAULT_SECTIONS = ('nginx_role', 'single', 'throughput', 'fleet', 'rollout', 'fleet_ssh')
STACKS = ('collection', 'seed', 'alone', 'reference', 'control', 'fullpath')


class BenchError(Exception):
    """A step of the benchmark failed (a playbook, a container, a stack that does not answer)."""


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
    scale_prefix: str = 'webstack-bench-scale'
    scale_hosts: int = 50
    scale_base: int = 1

    @classmethod
    def from_env(cls, env=None) -> 'Settings':
        env = os.environ if env is None else env
        whatif = env.get('BENCH_WHATIF', '').strip() or 'auto'
        if whatif not in ('auto', '0', '1'):
            raise BenchError('BENCH_WHATIF must be auto, 1 or 0, got %r' % whatif)
        for name in ('BENCH_PREFIX', 'BENCH_FLEET_PREFIX', 'BENCH_SSH_PREFIX', 'BENCH_SCALE_PREFIX'):
            if name in env and not re.match(r'^webstack-bench[a-z0-9-]*$', env[name]):
                # fleet.sh removes every container labelled with the prefix: keep
                # it to names of the benchmark, never Molecule's or the demo's.
                raise BenchError('%s must start with webstack-bench (lower case, digits, -), got %r' % (name, env[name]))
        scale_hosts = _int(env, 'BENCH_SCALE_HOSTS', cls.scale_hosts, 2, 200)
        return cls(
            sections=_words(env, 'BENCH_SECTIONS', DEFAULT_SECTIONS, SECTIONS),
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
            scale_prefix=env.get('BENCH_SCALE_PREFIX') or cls.scale_prefix,
            scale_hosts=scale_hosts,
            scale_base=_int(env, 'BENCH_SCALE_BASE', cls.scale_base, 1, scale_hosts - 1),
        )

    def describe(self) -> str:
        return ('sections: %s; wrk -t%d -c%d, %d s after %d s of warm-up, %d round(s); stacks: %s; what-if: %s; '
                'rollout load: %d connections; app hosts over SSH: %s; scale: %d app hosts against %d; '
                'containers: %s-*, %s-*, %s-*, %s-* (kept: %s)'
                % (' '.join(self.sections), self.threads, self.connections, self.seconds, self.warmup, self.rounds,
                   ' '.join(self.stacks), self.whatif, self.rollout_connections,
                   ','.join(str(n) for n in self.ssh_sizes), self.scale_hosts, self.scale_base, self.prefix,
                   self.fleet_prefix, self.ssh_prefix, self.scale_prefix, 'yes' if self.keep else 'no'))
