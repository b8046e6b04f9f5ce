# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""ansible-playbook runs: the collection link, log names, PLAY RECAP parsed and formatted, a run's result.

``parse_recap``, ``format_recap`` and ``slug`` take text and return values,
so that tests/unit/scripts/test_bench_playbooks.py checks them without
Ansible; ``Bench.playbook`` (runner.py) runs the playbooks.
"""

from __future__ import annotations

import dataclasses
import os
import re

from .settings import REPO


def ensure_collection_link():
    """.cache/collections/ansible_collections/webstack/nginx_uwsgi -> the checkout, as `make venv` makes it."""
    link = os.path.join(REPO, '.cache', 'collections', 'ansible_collections', 'webstack', 'nginx_uwsgi')
    if not os.path.lexists(link):
        os.makedirs(os.path.dirname(link), exist_ok=True)
        os.symlink('../../../..', link)


def slug(text: str) -> str:
    return re.sub(r'[^A-Za-z0-9]+', '-', text).strip('-')


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


@dataclasses.dataclass
class PlaybookRun:  # pylint: disable=too-many-instance-attributes
    """A playbook run: wall time, recap, log, and the controller's share (procs.py): CPU seconds of
    ansible-playbook and what it waited for plus the SSH masters' (masters_cpu, also apart), peak memory in
    bytes of its process tree (RSS sum, PSS sum), its peak number of processes, and the masters' peak RSS."""

    seconds: float
    recap: dict
    log: str
    cpu: float = 0.0
    masters_cpu: float = 0.0
    peak_rss: int = 0
    peak_pss: int = 0
    peak_processes: int = 0
    masters_rss: int = 0
    watch_cpu: float = 0.0  # the sampler's own CPU (this process, not in cpu)


def format_cpu(run) -> str:
    """"31.9 s" (CPU with the masters'), "31.9 s (masters 2.1 s)" when the run had SSH masters."""
    return '%.1f s' % run.cpu + (' (masters %.1f s)' % run.masters_cpu if run.masters_cpu else '')


def format_bytes(value) -> str:
    """"812 MiB", "3.21 GiB" (from 1000 MiB on), "-" for none."""
    if not value:
        return '-'
    mib = value / 1048576
    return '%.0f MiB' % mib if mib < 1000 else '%.2f GiB' % (mib / 1024)
