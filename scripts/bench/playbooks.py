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
class PlaybookRun:
    seconds: float
    recap: dict
    log: str
