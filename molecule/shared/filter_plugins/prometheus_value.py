# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters of the Molecule scenarios (not shipped) that read a Prometheus scrape (the metrics role's endpoints).

``text | prometheus_value('name', app='hello')``: the sum of the samples of
``name`` whose labels include the given ones (None when there is none);
``text | prometheus_labels('name')``: the label sets of its samples.
"""

from __future__ import absolute_import, division, print_function

import re

__metaclass__ = type

_SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$')
_LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def samples(text):
    """[(name, {label: value}, value)] of an exposition text."""
    out = []
    for line in (text or '').splitlines():
        if not line or line.startswith('#'):
            continue
        match = _SAMPLE.match(line.strip())
        if match:
            out.append((match.group(1), dict(_LABEL.findall(match.group(2) or '')), float(match.group(3))))
    return out


def prometheus_value(text, name, **labels):
    found = [value for sample, have, value in samples(text)
             if sample == name and all(have.get(k) == str(v) for k, v in labels.items())]
    return sum(found) if found else None


def prometheus_labels(text, name):
    return [have for sample, have, value in samples(text) if sample == name]


class FilterModule(object):
    def filters(self):
        return {'prometheus_value': prometheus_value, 'prometheus_labels': prometheus_labels}
