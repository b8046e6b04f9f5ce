# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""wrk: one run inside a container and the figures of its output.

``parse_duration_ms`` and ``parse_wrk`` take text and return values, so that
tests/unit/scripts/test_bench_wrk.py checks them without Docker; ``wrk`` and
``run_wrk`` run it in a container (BENCH_THREADS, BENCH_CONNECTIONS,
BENCH_WARMUP, BENCH_SECONDS).
"""

from __future__ import annotations

import dataclasses
import re

from . import containers

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


def wrk(container, url, settings, seconds, latency=True) -> str:
    """wrk inside a container (BENCH_THREADS and BENCH_CONNECTIONS); its output."""
    argv = ['wrk', '-t', str(settings.threads), '-c', str(settings.connections), '-d', '%ds' % seconds,
            '--timeout', '5s'] + (['--latency'] if latency else []) + [url]
    return containers.dexec(container, *argv, timeout=seconds + 60)


def run_wrk(container, url, settings) -> WrkResult:
    """BENCH_WARMUP seconds of wrk (not counted), then BENCH_SECONDS measured."""
    if settings.warmup:
        wrk(container, url, settings, settings.warmup, latency=False)
    return parse_wrk(wrk(container, url, settings, settings.seconds))
