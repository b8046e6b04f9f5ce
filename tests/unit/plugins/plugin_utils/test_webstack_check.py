# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The fleet's check of one host (the webstack_check action's decisions)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import argument_specs, firewall_rules, fleet, role_input
from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import webstack_check as check

ROLES = str(Path(__file__).resolve().parents[4] / 'roles')
FACTS = {'distribution': 'Debian', 'distribution_release': 'bookworm', 'distribution_major_version': '12',
         'nginx': {'installed': True, 'service': {'pid_file': '/run/nginx.pid'}, 'addresses': ['10.0.0.5']}}
GROUPS = {'webstack_appservers': ['app1'], 'webstack_loadbalancers': ['lb1']}
HOSTVARS = {'app1': {}, 'lb1': {'ansible_facts': {'nginx': {'addresses': ['10.0.0.1']}}}}


def lookup_of(values):
    return lambda name: values.get(name, check.MISSING)


def test_roles_dir_is_the_collections():
    assert os.path.isfile(os.path.join(check.roles_dir(), 'webstack', 'meta', 'argument_specs.yml'))
    assert os.path.realpath(check.roles_dir()) == os.path.realpath(ROLES)


def test_role_values_host_over_default_and_overrides_over_host():
    role = os.path.join(ROLES, 'metrics')
    defaults = yaml.safe_load(Path(role, 'defaults/main.yml').read_text())
    values = check.role_values(role, lookup_of({'metrics_port': 9999, 'metrics_address': '10.0.0.9', 'other': 1}),
                               {'metrics_address': '10.0.0.7'})
    assert set(values) <= set(argument_specs.options(role)) and 'other' not in values
    assert values['metrics_port'] == 9999  # the host's
    assert values['metrics_address'] == '10.0.0.7'  # the fleet's composition
    assert values['metrics_nginx_exporter_port'] == defaults['metrics_nginx_exporter_port']


def test_role_values_extra_vars_win_over_overrides():
    role = os.path.join(ROLES, 'metrics')
    values = check.role_values(role, lookup_of({'metrics_port': 'x'}), {'metrics_port': 9180}, extra_vars={'metrics_port'})
    assert values['metrics_port'] == 'x'
    assert role_input.problems(values, role, FACTS, 'app1') == ['metrics_port (x) must be an integer.']


def test_role_values_leave_out_an_option_without_any_value(tmp_path, monkeypatch):
    monkeypatch.setattr(argument_specs, '_CACHE', {})
    (tmp_path / 'meta').mkdir()
    (tmp_path / 'defaults').mkdir()
    (tmp_path / 'meta' / 'argument_specs.yml').write_text(
        'argument_specs:\n  main:\n    options:\n      demo_a: {type: int}\n      demo_b: {type: str, required: true}\n')
    (tmp_path / 'defaults' / 'main.yml').write_text('---\ndemo_a: 1\n')
    assert check.role_values(str(tmp_path), lookup_of({})) == {'demo_a': 1}


def test_every_role_default_is_plain_data():
    # role_values takes the defaults as written: a template there would reach the rules unrendered
    for role in ('nginx', 'site', 'uwsgi_app', 'metrics', 'firewall', 'webstack'):
        text = Path(ROLES, role, 'defaults', 'main.yml').read_text()
        assert '{{' not in text and '{%' not in text, role


def test_nginx_problems_name_the_pid_file_of_the_unit():
    values = check.role_values(os.path.join(ROLES, 'nginx'), lookup_of({'nginx_pid_file': '/run/other.pid'}))
    out = check.nginx_problems(values, FACTS, 'app1', ROLES)
    assert len(out) == 1 and out[0].startswith('nginx_pid_file (/run/other.pid) must be /run/nginx.pid')
    assert check.nginx_problems(check.role_values(os.path.join(ROLES, 'nginx'), lookup_of({})), FACTS, 'app1', ROLES) == []
    # nginx not installed yet: nothing to compare with
    assert check.nginx_problems(values, dict(FACTS, nginx={'installed': False}), 'app1', ROLES) == []


def test_nginx_problems_same_as_the_roles_check():
    values = check.role_values(os.path.join(ROLES, 'nginx'), lookup_of({'nginx_worker_connections': 'many'}))
    expected = role_input.problems(values, os.path.join(ROLES, 'nginx'), FACTS, 'app1')
    assert expected and check.nginx_problems(values, FACTS, 'app1', ROLES) == expected
    ubuntu = dict(FACTS, distribution='Ubuntu', distribution_release='noble', distribution_major_version='24')
    assert 'runs Ubuntu' in check.nginx_problems(check.role_values(os.path.join(ROLES, 'nginx'), lookup_of({})),
                                                 ubuntu, 'app1', ROLES)[-1]


def test_webstack_problems_spec_then_fleet_rules():
    assert check.webstack_problems({'webstack_app_port': 'x'}, 'app1', GROUPS, HOSTVARS, ROLES) == [
        'webstack_app_port (x) must be an integer.']
    out = check.webstack_problems({'webstack_lb_balance': 'random', 'webstack_tpyo': 1}, 'lb1', GROUPS, HOSTVARS, ROLES)
    assert any('webstack_lb_balance (random)' in m for m in out)


def test_site_reads_host():
    assert not check.site_reads_host([{'name': 'a', 'locations': []}], [])
    assert check.site_reads_host([{'name': 'a', 'tls': {'mode': 'paths', 'cert': '/c', 'key': '/k'}}], [])
    assert check.site_reads_host([{'name': 'a', 'tls': {'mode': 'selfsigned', 'client_auth': {'ca': '/ca'}}}], [])
    assert not check.site_reads_host([{'name': 'a', 'tls': {'mode': 'selfsigned'}}], [])
    assert check.site_reads_host([], [{'name': 'u', 'servers_from_group': {'group': 'g'}}])
    assert check.site_reads_host([], [{'name': 'u', 'servers': [{'host': 'app1', 'port': 80}]}])
    assert not check.site_reads_host([], [{'name': 'u', 'servers': [{'address': 'unix:/run/a.sock'}]}])


def test_composed_sites_of_an_app_host_need_no_host_read():
    plan = fleet.compose('app1', {'uwsgi_app_apps': [{'name': 'shop'}]}, GROUPS, HOSTVARS)
    assert not check.site_reads_host(plan['sites'], plan['upstreams'])
    plan = fleet.compose('lb1', {}, GROUPS, HOSTVARS)
    assert check.site_reads_host(plan['sites'], plan['upstreams'])  # its upstream names the app hosts


def test_site_problems_named_by_the_users_variables():
    plan = fleet.compose('app1', {'uwsgi_app_apps': [{'name': 'shop'}], 'webstack_app_port': 70000}, GROUPS, HOSTVARS)
    values = check.role_values(os.path.join(ROLES, 'site'), lookup_of({}),
                               {'site_sites': plan['sites'], 'site_upstreams': plan['upstreams'],
                                'site_aliases': plan['aliases']})
    problems, warnings = check.site_problems(values, FACTS, 'app1', GROUPS, HOSTVARS, ROLES)
    assert problems and all('site_sites[0]' not in p for p in problems)
    assert any('webstack_app_port' in p for p in problems) and warnings == []


def test_lockout_problems_defaults_and_host_read():
    firewall = fleet.firewall('app1', {'webstack_firewall_ssh_from': ['10.9.9.9']}, GROUPS, HOSTVARS)
    host = {'ssh_connection': '172.18.0.1 50000 172.18.0.2 22', 'net_admin': True}
    out = check.lockout_problems(firewall, host, 'app1', lookup_of({}))
    assert len(out) == 1 and out[0].startswith('webstack_firewall_ssh_from (10.9.9.9) does not let in the controller')
    assert check.lockout_problems(firewall, host, 'app1', lookup_of({'firewall_lockout_check': False})) == []
    assert check.lockout_problems(dict(firewall, firewall_enabled=False), {}, 'app1', lookup_of({})) == []
    assert 'CAP_NET_ADMIN' in check.lockout_problems(fleet.firewall('app1', {}, GROUPS, HOSTVARS),
                                                     dict(host, net_admin=False), 'app1', lookup_of({}))[0]


def test_the_firewall_unit_is_the_roles():
    # firewall_facts reads whether the unit is enabled: the name the firewall role installs it as
    paths = yaml.safe_load(Path(ROLES, 'firewall', 'vars', 'main.yml').read_text())['__firewall_paths']
    assert firewall_rules.UNIT == os.path.basename(paths['unit'])


@pytest.mark.parametrize('role', ['nginx', 'site'])
def test_platform_files_the_fleet_does_not_load_hold_no_values(role):
    # The fleet's check play loads the platform files of the uwsgi_app role (its platform entry point); those of
    # the nginx and site roles only their own validate entry points load, which the fleet's plays skip (the site
    # role's normalize entry point does not): a value there would be missing in site.yml. Load it there first.
    paths = list(Path(ROLES, role, 'vars').glob('*-*.yml'))
    assert paths
    for path in paths:
        assert not yaml.safe_load(path.read_text()), path


def test_app_host_packages_are_the_roles_with_its_platforms_dependencies():
    role = os.path.join(ROLES, 'uwsgi_app')
    values = check.role_values(role, lookup_of({'uwsgi_app_apps': [{'name': 'a', 'src': '/srv/a.zip'},
                                                                   {'name': 'b', 'git': {'repo': 'x'}}]}))
    dependencies = yaml.safe_load(Path(role, 'vars', 'Debian-12.yml').read_text())['__uwsgi_app_dependencies']
    assert check.app_host_packages(values, role, FACTS) == values['uwsgi_app_packages'] + dependencies + ['git', 'unzip']
    assert check.app_host_packages(dict(values, uwsgi_app_apps='nope'), role, FACTS) == []
