# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The play_recap filter of the Molecule scenarios (not shipped): the PLAY RECAP of a nested ansible-playbook run.

Found through ANSIBLE_FILTER_PLUGINS (.config/molecule/config.yml). Every
scenario that runs ansible-playbook itself (check mode, bad input, the
fleet's controller containers) reads its recap with it instead of a regular
expression of its own.
"""

from __future__ import absolute_import, division, print_function

import re

__metaclass__ = type

_LINE = re.compile(r'^(\S+)\s+:\s+((?:[a-z]+=\d+\s*)+)$', re.MULTILINE)
_COUNT = re.compile(r'([a-z]+)=(\d+)')


def play_recap(output):
    """{host: {ok, changed, unreachable, failed, skipped, rescued, ignored}} from an ansible-playbook output.

    Lines after the last "PLAY RECAP" only, so a recap quoted earlier in the output (a nested run's) is not read.
    """
    text = output or ''
    start = text.rfind('PLAY RECAP')
    if start < 0:
        return {}
    recap = {}
    for host, counts in _LINE.findall(text[start:]):
        recap[host] = dict((key, int(value)) for key, value in _COUNT.findall(counts))
    return recap


def recap_total(recap, key):
    """The sum of one counter over every host of a play_recap result."""
    return sum(counts.get(key, 0) for counts in (recap or {}).values())


class FilterModule(object):
    """PLAY RECAP of a nested run."""

    def filters(self):
        return {'play_recap': play_recap, 'recap_total': recap_total}
