# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""molecule/shared/filter_plugins/play_recap.py: the recap of a nested ansible-playbook run."""

from __future__ import annotations

import importlib.util
from pathlib import Path

PLUGIN = Path(__file__).resolve().parents[3] / 'molecule/shared/filter_plugins/play_recap.py'
SPEC = importlib.util.spec_from_file_location('play_recap', PLUGIN)
plugin = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(plugin)

OUTPUT = """ansible-playbook [core 2.21.5]
TASK [a task] ******
changed: [app1]
PLAY RECAP *********************************************************************
app1                       : ok=3    changed=1    unreachable=0    failed=0    skipped=2    rescued=0    ignored=0
lb1.example.org            : ok=9    changed=0    unreachable=1    failed=2    skipped=0    rescued=1    ignored=0
"""


def test_reads_every_counter_of_every_host():
    recap = plugin.play_recap(OUTPUT)
    assert recap == {
        'app1': {'ok': 3, 'changed': 1, 'unreachable': 0, 'failed': 0, 'skipped': 2, 'rescued': 0, 'ignored': 0},
        'lb1.example.org': {'ok': 9, 'changed': 0, 'unreachable': 1, 'failed': 2, 'skipped': 0, 'rescued': 1,
                            'ignored': 0},
    }
    assert plugin.recap_total(recap, 'changed') == 1 and plugin.recap_total(recap, 'failed') == 2
    assert plugin.FilterModule().filters()['play_recap'] is plugin.play_recap


def test_only_the_last_recap_counts():
    nested = 'PLAY RECAP ***\nold    : ok=1    changed=5    unreachable=0    failed=0\n' + OUTPUT
    assert sorted(plugin.play_recap(nested)) == ['app1', 'lb1.example.org']


def test_no_recap_is_an_empty_dict():
    assert plugin.play_recap('ERROR! the playbook could not be found') == {}
    assert plugin.play_recap(None) == {} and plugin.recap_total({}, 'changed') == 0
    # a line that merely looks like one before the recap is not read
    assert plugin.play_recap('msg : ok=1\nPLAY RECAP ***\n') == {}
