# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The maintenance switch: the checks of webstack_maintenance* and webstack_status_format, and the site role's files."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ansible_collections.webstack.nginx_uwsgi.plugins.filter.site_maintenance_files import site_maintenance_files
from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import fleet, site_maintenance

from ansible.errors import AnsibleFilterError

ROOT = Path(__file__).resolve().parents[4]
KNOWN = list(yaml.safe_load((ROOT / 'roles/webstack/meta/argument_specs.yml').read_text())['argument_specs']['main']['options'])
PATHS = yaml.safe_load((ROOT / 'roles/site/vars/main.yml').read_text())['__site_paths']
GROUPS = {'webstack_appservers': ['app1'], 'webstack_loadbalancers': ['lb1']}
HOSTVARS = {'app1': {}, 'lb1': {'webstack_lb_address': '10.0.0.1'}}


@pytest.mark.parametrize('value, state', [('on', True), ('OFF', False), (True, True), (False, False), ('true', True),
                                          ('maybe', None), (1, None)])
def test_maintenance_state(value, state):
    assert fleet.maintenance_state(value) is state


def test_the_defaults_and_good_values_have_no_problem(tmp_path):
    page = tmp_path / '503.html'
    page.write_text('<p>back soon</p>')
    assert fleet.maintenance_problems({}) == []
    good = {'webstack_maintenance': 'on', 'webstack_maintenance_allow': ['10.0.0.9', '192.168.0.0/16', '2001:db8::/32'],
            'webstack_maintenance_page': str(page), 'webstack_maintenance_retry_after': 60,
            'webstack_status_format': 'json'}
    assert fleet.problems('lb1', good, GROUPS, HOSTVARS, KNOWN) == []


def test_problems_name_the_variables():
    bad = {'webstack_maintenance': 'maybe', 'webstack_maintenance_allow': ['10.0.0.300', 'all'],
           'webstack_maintenance_page': '/nonexistent/503.html', 'webstack_maintenance_retry_after': 0,
           'webstack_status_format': 'xml'}
    assert fleet.problems('lb1', bad, GROUPS, HOSTVARS, KNOWN) == [
        'webstack_maintenance (maybe) must be on or off.',
        'webstack_maintenance_allow[0] (10.0.0.300) must be an IPv4 or IPv6 address or a CIDR range.',
        'webstack_maintenance_allow[1] (all) must be an IPv4 or IPv6 address or a CIDR range.',
        'webstack_maintenance_retry_after (0) must be a number of seconds (1 or more).',
        'webstack_maintenance_page (/nonexistent/503.html) is not a file on the controller.',
        'webstack_status_format (xml) must be one of table, json.',
    ]


@pytest.mark.parametrize('values, message', [
    ({'webstack_maintenance_allow': '10.0.0.9'}, "webstack_maintenance_allow must be a list of addresses or CIDR ranges"),
    ({'webstack_maintenance_retry_after': True}, 'webstack_maintenance_retry_after (True) must be a number'),
    ({'webstack_maintenance_retry_after': 'soon'}, 'webstack_maintenance_retry_after (soon) must be a number'),
])
def test_more_problems(values, message):
    assert [m for m in fleet.maintenance_problems(values) if m.startswith(message)]


def test_the_files_of_on_with_the_role_page_and_with_a_page_of_the_controller():
    on = site_maintenance.files(PATHS, True)
    assert [e['path'] for e in on] == [PATHS['maintenance_dir'], PATHS['maintenance_dir'] + '/page.html',
                                       PATHS['maintenance_dir'] + '/server.conf', PATHS['maintenance_conf']]
    assert on[1]['template'] == 'etc/nginx/site-maintenance/page.html.j2' and 'controller_src' not in on[1]
    mine = site_maintenance_files(PATHS, True, '/srv/pages/503.html')
    assert mine[1]['controller_src'] == '/srv/pages/503.html' and 'template' not in mine[1]
    for entry in on[1:]:
        assert entry['mode'] == '0644'
        if 'template' in entry:
            assert (ROOT / 'roles/site/templates' / entry['template']).is_file()


def test_the_files_of_off_leave_the_page_nginx_reads_until_its_reload():
    assert site_maintenance_files(PATHS, False, '/srv/pages/503.html') == [
        {'path': PATHS['maintenance_conf'], 'state': 'absent'},
        {'path': PATHS['maintenance_dir'] + '/server.conf', 'state': 'absent'}]


def test_the_include_pattern_matches_only_the_snippet():
    assert PATHS['maintenance_include'] == PATHS['maintenance_dir'] + '/*.conf'


def test_the_filter_wants_the_role_paths():
    with pytest.raises(AnsibleFilterError, match='maintenance_dir'):
        site_maintenance_files({}, True)
