# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The fleet's status put together from the hosts' readings: releases, members, notes, the table, the format."""

from __future__ import annotations

import json

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.webstack.nginx_uwsgi.plugins.filter.fleet_status import fleet_status
from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import fleet_status as status

NGINX = {'installed': True, 'version': '1.22.1', 'active': True, 'state': 'active/running', 'reload_pending': False,
         'changed_file': '/etc/nginx/nginx.conf'}


def _app(current, previous='', active=True):
    return {'hello': {'current': current, 'previous': previous, 'active': active, 'workers': [],
                      'units': {'uwsgi-app-hello.service': 'active/running' if active else 'failed/failed',
                                'uwsgi-app-hello.socket': 'active/listening'},
                      'socket': '/run/uwsgi-app/hello/uwsgi.sock'}}


def _server(host, state, address):
    return {'upstream': 'webstack-app', 'address': address, 'host': host, 'down': state == 'down', 'backup': False,
            'state': state, 'detail': 'drained' if state == 'down' else 'HTTP 200'}


def _lb(states, holds=()):
    return {'nginx': NGINX, 'apps': {}, 'certificates': [{'path': '/etc/ssl/site/lb/fullchain.pem',
                                                          'names': ['shop.test'], 'days_left': 80.5}],
            'upstreams': [_server(host, state, '10.0.0.%d:8080' % (21 + i)) for i, (host, state) in enumerate(states)],
            'keepalived': {'active': True, 'state': 'active/running', 'holds': list(holds)}}


READINGS = {
    'app1': {'nginx': NGINX, 'apps': _app('v2', 'v1'), 'upstreams': [], 'certificates': [], 'keepalived': None},
    'app2': {'nginx': dict(NGINX, reload_pending=True), 'apps': _app('v2', 'v1'), 'upstreams': [], 'certificates': [],
             'keepalived': None},
    'app3': {'nginx': NGINX, 'apps': _app('v1'), 'upstreams': [], 'certificates': [], 'keepalived': None},
    'lb1': _lb([('app1', 'up'), ('app2', 'down'), ('app3', 'failing')], holds=['10.0.0.200']),
    'lb2': _lb([('app1', 'up'), ('app2', 'down'), ('app3', 'up')]),
}
GROUPS = {'app1': ['webstack_appservers'], 'app2': ['webstack_appservers'], 'app3': ['webstack_appservers', 'x'],
          'lb1': ['webstack_loadbalancers'], 'lb2': ['webstack_loadbalancers']}


def test_the_release_of_most_app_hosts_and_the_host_that_stands_out():
    out = status.report(READINGS, GROUPS)
    assert out['releases'] == {'hello': 'v2'}
    assert out['hosts']['app3']['other_release'] == ['hello']
    assert out['hosts']['app1']['other_release'] == []
    assert '! app3: hello serves release v1, most app hosts v2.' in out['notes']


def test_a_tie_takes_the_newest_id():
    readings = {'a': {'apps': _app('1aaa')}, 'b': {'apps': _app('2bbb')}}
    assert status.report(readings, {})['releases'] == {'hello': '2bbb'}


def test_each_app_host_as_the_load_balancers_see_it():
    hosts = status.report(READINGS, GROUPS)['hosts']
    assert hosts['app2']['members'] == {'lb1': 'down', 'lb2': 'down'}
    assert hosts['app3']['members'] == {'lb1': 'failing', 'lb2': 'up'}
    assert hosts['app3']['groups'] == ['webstack_appservers']


def test_notes_and_floating_address():
    out = status.report(READINGS, GROUPS)
    assert out['floating'] == {'10.0.0.200': ['lb1']}
    notes = '\n'.join(out['notes'])
    assert 'app2: nginx has not loaded /etc/nginx/nginx.conf yet' in notes
    assert 'lb1: upstream webstack-app server 10.0.0.23:8080 (app3) fails (HTTP 200)' in notes
    assert 'lb2: upstream' not in notes


def test_notes_on_units_certificates_two_holders_and_hosts_not_read():
    readings = {
        'a': {'nginx': dict(NGINX, active=False, state='failed/failed'), 'apps': _app('v1', active=False),
              'certificates': [{'path': '/c.pem', 'names': [], 'days_left': 3.2}],
              'keepalived': {'active': True, 'state': 'active/running', 'holds': ['10.0.0.200']}},
        'b': {'keepalived': {'active': True, 'state': 'active/running', 'holds': ['10.0.0.200']},
              'certificates': [{'path': '/d.pem', 'names': [], 'days_left': None}]},
    }
    notes = '\n'.join(status.report(readings, {'a': [], 'b': [], 'c': []})['notes'])
    assert 'a: the uWSGI service of hello is not active (uwsgi-app-hello.service failed/failed' in notes
    assert 'a: nginx is not active (failed/failed)' in notes
    assert 'a: certificate /c.pem has 3.2 days left' in notes
    assert 'b: certificate /d.pem has None days left' in notes
    assert '10.0.0.200 is held by a, b at once' in notes
    assert 'c: not read (unreachable' in notes


def test_the_table():
    lines = status.table(status.report(READINGS, GROUPS))
    text = '\n'.join(lines)
    assert lines[0].split() == ['HOST', 'GROUPS', 'NGINX', 'STATE', 'RELOAD', 'KEEPALIVED']
    assert [line.split()[:5] for line in lines[1:6]] == [
        ['app1', 'app', '1.22.1', 'active/running', 'done'], ['app2', 'app', '1.22.1', 'active/running', 'pending'],
        ['app3', 'app', '1.22.1', 'active/running', 'done'], ['lb1', 'lb', '1.22.1', 'active/running', 'done'],
        ['lb2', 'lb', '1.22.1', 'active/running', 'done']]
    assert 'active/running, holds 10.0.0.200' in lines[4]
    # the app rows: only app3 (another release) is marked
    marked = [line.split()[1] for line in lines if line.startswith('! ') and not line.split()[1].endswith(':')]
    assert marked == ['app3']
    assert any(line.startswith('  app1') and ' v2 ' in line for line in lines)
    assert 'down (2 lb)' in text
    assert 'failing on lb1, up on lb2' in text
    assert 'down (drained)' in text
    assert '/etc/ssl/site/lb/fullchain.pem  shop.test  80' in text
    assert 'floating 10.0.0.200: held by lb1' in text


def test_the_table_without_anything_to_note():
    readings = {'a': {'nginx': NGINX, 'apps': _app('v1')}}
    lines = status.table(status.report(readings, {'a': ['webstack_appservers']}))
    assert lines[-1].startswith('nothing to note')


def test_the_filter_gives_lines_or_data_that_json_can_carry():
    assert fleet_status(READINGS, GROUPS) == status.table(status.report(READINGS, GROUPS))
    data = fleet_status(READINGS, GROUPS, 'json')
    assert json.loads(json.dumps(data)) == data
    assert data['hosts']['app3']['other_release'] == ['hello']


def test_a_bad_format_names_the_variable():
    assert status.problems('json') == []
    with pytest.raises(AnsibleFilterError, match=r'webstack_status_format \(xml\) must be one of table, json'):
        fleet_status({}, {}, 'xml')
