# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where the controller's CPU goes, per play and per host: the rows of callbacks/controller_cpu.py, summed.

``per_play`` sums a run's rows by play (in the order the plays first ran);
``per_host`` gives, for two runs of the same playbook on fleets of different
sizes, each play's CPU seconds per added host; ``rows`` makes a table of them.
Pure functions (tests/unit/scripts/test_bench_cpu_profile.py).
"""

from __future__ import annotations

import json
import os

CALLBACKS = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'callbacks')


def environment(out: str) -> dict:
    """What ansible-playbook needs to write its per-task CPU to ``out``."""
    return {'ANSIBLE_CALLBACK_PLUGINS': CALLBACKS, 'ANSIBLE_CALLBACKS_ENABLED': 'controller_cpu',
            'BENCH_CPU_OUT': out}


def load(path: str) -> list:
    with open(path, encoding='utf-8') as handle:
        return json.load(handle)


def per_play(rows: list) -> dict:
    """{play: CPU seconds} in the order the plays first ran (rows before the first play: '(start)')."""
    out = {}
    for play, _task, seconds in rows:
        key = play or '(start)'
        out[key] = out.get(key, 0.0) + float(seconds)
    return out


def per_host(small: list, large: list, hosts_added: int) -> list:
    """[(play, small s, large s, per added host s)] for two runs whose fleets differ by ``hosts_added`` hosts."""
    if hosts_added <= 0:
        raise ValueError('hosts_added must be positive')
    low, high = per_play(small), per_play(large)
    plays = list(high) + [play for play in low if play not in high]
    return [(play, low.get(play, 0.0), high.get(play, 0.0), (high.get(play, 0.0) - low.get(play, 0.0)) / hosts_added)
            for play in plays]


def rows(entries: list, small_label: str, large_label: str) -> tuple:
    """Header and rows of a markdown table of ``per_host`` (plays with under 0.005 s per host folded into one)."""
    header = ['play', small_label, large_label, 'per added host']
    body, rest = [], [0.0, 0.0, 0.0]
    for play, low, high, each in entries:
        if abs(each) < 0.005:
            rest = [rest[0] + low, rest[1] + high, rest[2] + each]
            continue
        body.append([play, '%.2f s' % low, '%.2f s' % high, '%.3f s' % each])
    if any(rest):
        body.append(['(other plays)', '%.2f s' % rest[0], '%.2f s' % rest[1], '%.3f s' % rest[2]])
    total = [sum(e[1] for e in entries), sum(e[2] for e in entries), sum(e[3] for e in entries)]
    body.append(['all', '%.2f s' % total[0], '%.2f s' % total[1], '%.3f s' % total[2]])
    return header, body
