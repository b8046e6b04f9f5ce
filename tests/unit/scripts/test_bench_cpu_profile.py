# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""scripts/bench/cpu_profile.py: the controller's CPU per play and per added host."""

from __future__ import annotations

import pytest

from ansible_collections.webstack.nginx_uwsgi.scripts.bench import cpu_profile

SMALL = [['', None, 0.9], ['Check', '', 0.1], ['Check', 'a', 1.0], ['Deploy', 'b', 0.5], ['Check', 'c', 0.2]]
LARGE = [['', None, 0.9], ['Check', '', 0.1], ['Check', 'a', 3.0], ['Deploy', 'b', 1.7], ['Check', 'c', 0.5],
         ['Put back', 'd', 0.001]]


def test_per_play_sums_in_the_order_plays_first_ran():
    assert cpu_profile.per_play(SMALL) == pytest.approx({'(start)': 0.9, 'Check': 1.3, 'Deploy': 0.5})
    assert list(cpu_profile.per_play(LARGE)) == ['(start)', 'Check', 'Deploy', 'Put back']


def test_per_host_divides_the_difference_by_the_hosts_added():
    entries = cpu_profile.per_host(SMALL, LARGE, 3)
    by_play = dict((play, (low, high, each)) for play, low, high, each in entries)
    assert by_play['Check'] == pytest.approx((1.3, 3.6, 2.3 / 3))
    assert by_play['Deploy'] == pytest.approx((0.5, 1.7, 0.4))
    assert by_play['(start)'] == pytest.approx((0.9, 0.9, 0.0))
    with pytest.raises(ValueError):
        cpu_profile.per_host(SMALL, LARGE, 0)


def test_rows_fold_the_plays_that_add_nothing_and_end_with_the_total():
    header, body = cpu_profile.rows(cpu_profile.per_host(SMALL, LARGE, 3), 'N=1', 'N=4')
    assert header == ['play', 'N=1', 'N=4', 'per added host']
    assert [row[0] for row in body] == ['Check', 'Deploy', '(other plays)', 'all']
    assert body[-1] == ['all', '2.70 s', '6.20 s', '1.167 s']


def test_environment_names_the_callback_and_the_file():
    env = cpu_profile.environment('/tmp/x.json')
    assert env['ANSIBLE_CALLBACKS_ENABLED'] == 'controller_cpu'
    assert env['BENCH_CPU_OUT'] == '/tmp/x.json'
    assert env['ANSIBLE_CALLBACK_PLUGINS'].endswith('scripts/bench/callbacks')
