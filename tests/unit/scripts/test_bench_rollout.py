# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""scripts/bench/rollout.py: the extra vars of a new release and the row of the summary."""

from __future__ import annotations

import pytest

from ansible_collections.webstack.nginx_uwsgi.scripts.bench import rollout
from ansible_collections.webstack.nginx_uwsgi.scripts.bench.settings import BenchError


def test_next_release_vars_replaces_the_first_app_source_only():
    apps = [{'name': 'hello', 'src': '{{ playbook_dir }}/../examples/flask_app', 'env': {'GREETING': 'hello'}},
            {'name': 'other', 'src': '/srv/src/other'}]
    extra = rollout.next_release_vars(apps, '/work/.cache/bench/rollout/next')
    assert extra == {'uwsgi_app_apps': [
        {'name': 'hello', 'src': '/work/.cache/bench/rollout/next', 'env': {'GREETING': 'hello'}},
        {'name': 'other', 'src': '/srv/src/other'}]}
    assert apps[0]['src'].startswith('{{')  # the inventory's list is left alone
    with pytest.raises(BenchError):
        rollout.next_release_vars([], '/x')


def test_load_row():
    load = {'requests': 111701, 'requests_per_second': 1532.4, 'non_2xx': 0, 'socket_errors': 0,
            'keepalive_retries': 6, 'hosts': {'app2': 55000, 'app1': 56701}, 'releases': {}}
    assert rollout.load_row('rolling release', 68.84, load) == [
        'rolling release', '68.8 s', 111701, '1532', 0, 0, 6, 'app1 56701, app2 55000', '-']
    assert len(rollout.ROW_HEADER) == len(rollout.load_row('x', 1, load))
