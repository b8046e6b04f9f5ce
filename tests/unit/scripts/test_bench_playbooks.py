# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""scripts/bench/playbooks.py: PLAY RECAP parsed and formatted, log names, without Ansible."""

from __future__ import annotations

from ansible_collections.webstack.nginx_uwsgi.scripts.bench import playbooks

RECAP = """PLAY [Web stack] ***************************************************************

TASK [Check] *******************************************************************
ok: [app1]

PLAY RECAP *********************************************************************
app1                       : ok=66   changed=24   unreachable=0    failed=0    skipped=40   rescued=0    ignored=0
app2                       : ok=66   changed=24   unreachable=0    failed=0    skipped=41   rescued=0    ignored=0
lb1                        : ok=31   changed=13   unreachable=0    failed=0    skipped=20   rescued=0    ignored=0

"""


def test_parse_recap():
    recap = playbooks.parse_recap(RECAP)
    assert list(recap) == ['app1', 'app2', 'lb1']
    assert recap['app1'] == {'ok': 66, 'changed': 24, 'unreachable': 0, 'failed': 0, 'skipped': 40, 'rescued': 0,
                             'ignored': 0}
    assert recap['lb1']['changed'] == 13


def test_parse_recap_takes_the_last_recap_and_ignores_later_lines():
    text = RECAP.replace('ok=66   changed=24', 'ok=1   changed=1', 1) + RECAP + 'Some warning after the recap\n'
    assert playbooks.parse_recap(text)['app1']['ok'] == 66


def test_parse_recap_without_recap():
    assert not playbooks.parse_recap('ERROR! the playbook could not be found\n')


def test_format_recap_groups_hosts_with_the_same_counts():
    assert playbooks.format_recap(playbooks.parse_recap(RECAP)) == 'app1, app2 ok=66 changed=24, lb1 ok=31 changed=13'


def test_format_recap_shows_failures():
    recap = {'single': {'ok': 5, 'changed': 1, 'failed': 1, 'unreachable': 0}}
    assert playbooks.format_recap(recap) == 'single ok=5 changed=1, single failed=1 unreachable=0'


def test_slug():
    assert playbooks.slug('site.yml, no-op re-run-1 (Debian 12)') == 'site-yml-no-op-re-run-1-Debian-12'
