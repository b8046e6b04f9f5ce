# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The input check every role runs first: spec, rules, platform (plugins/plugin_utils/role_input.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ansible.errors import AnsibleFilterError

from ansible_collections.webstack.nginx_uwsgi.plugins.filter.role_problems import role_problems
from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import argument_specs, role_input

ROLES = Path(__file__).resolve().parents[4] / 'roles'
BOOKWORM = {'distribution': 'Debian', 'distribution_release': 'bookworm', 'distribution_major_version': '12',
            'distribution_version': '12.8'}


def _defaults(role):
    return yaml.safe_load((ROLES / role / 'defaults' / 'main.yml').read_text()) or {}


def _role(tmp_path, platforms, options=None):
    role = tmp_path / 'demo'
    (role / 'meta').mkdir(parents=True)
    (role / 'meta' / 'main.yml').write_text(yaml.safe_dump({'galaxy_info': {'platforms': platforms}}))
    (role / 'meta' / 'argument_specs.yml').write_text(yaml.safe_dump({'argument_specs': {'main': {'options': options or {
        'demo_port': {'type': 'int', 'default': 80, 'description': 'A port.'}}}}}))
    return str(role)


def test_platforms_come_from_meta_main(tmp_path):
    path = _role(tmp_path, [{'name': 'Debian', 'versions': ['bookworm', 'trixie']}, {'name': 'Ubuntu'}])
    assert argument_specs.platforms(path) == [('Debian', 'bookworm'), ('Debian', 'trixie'), ('Ubuntu', 'all')]


def test_a_platform_without_a_name_is_an_error(tmp_path):
    path = _role(tmp_path, [{'versions': ['bookworm']}])
    with pytest.raises(argument_specs.ArgumentSpecError, match='needs a name'):
        argument_specs.platforms(path)


@pytest.mark.parametrize('facts', [
    BOOKWORM,
    {'distribution': 'Debian', 'distribution_release': 'trixie', 'distribution_major_version': '13'},
    # a point release names its major version only where the code name is missing
    {'distribution': 'Debian', 'distribution_release': '', 'distribution_major_version': 'bookworm'},
])
def test_a_supported_platform_has_no_problem(facts):
    assert role_input.platform_problems('nginx', [('Debian', 'bookworm'), ('Debian', 'trixie')], facts, 'h') == []


def test_another_platform_is_named_with_what_the_role_supports():
    facts = {'distribution': 'Ubuntu', 'distribution_release': 'noble', 'distribution_major_version': '24',
             'distribution_version': '24.04'}
    assert role_input.platform_problems('nginx', [('Debian', 'bookworm'), ('Debian', 'trixie')], facts, 'web1') == [
        'webstack.nginx_uwsgi.nginx supports Debian 12 (bookworm), Debian 13 (trixie); web1 runs Ubuntu 24.04.']


def test_an_older_debian_is_not_supported():
    facts = {'distribution': 'Debian', 'distribution_release': 'bullseye', 'distribution_major_version': '11',
             'distribution_version': '11.11'}
    assert role_input.platform_problems('site', [('Debian', 'bookworm')], facts, 'lb1') == [
        'webstack.nginx_uwsgi.site supports Debian 12 (bookworm); lb1 runs Debian 11.11.']


def test_facts_without_a_distribution_are_named_so():
    assert role_input.platform_problems('site', [('Debian', 'bookworm')], {}, 'lb1') == [
        'webstack.nginx_uwsgi.site supports Debian 12 (bookworm); lb1 runs a system the facts do not name.']


def test_all_versions_of_a_platform():
    assert role_input.platform_problems('x', [('Debian', 'all')], BOOKWORM, 'h') == []


def test_vars_file_of_a_platform():
    assert role_input.vars_file('Debian', 'trixie') == 'Debian-13'
    assert role_input.vars_file('Ubuntu', '24') == 'Ubuntu-24'


def test_spec_problems_come_first_and_the_platform_too(tmp_path):
    path = _role(tmp_path, [{'name': 'Debian', 'versions': ['trixie']}])
    assert role_problems({'demo_port': 'eighty'}, path, BOOKWORM, 'h') == [
        'demo_port (eighty) must be an integer.',
        'webstack.nginx_uwsgi.demo supports Debian 13 (trixie); h runs Debian 12.8.',
    ]


def test_nginx_rules_run_once_the_types_are_right():
    values = dict(_defaults('nginx'), nginx_worker_connections=4096, nginx_worker_rlimit_nofile=1024)
    problems = role_problems(values, str(ROLES / 'nginx'), BOOKWORM, 'web1')
    assert problems and all(p.startswith('nginx_worker_') for p in problems), problems
    # a type problem hides the rules, which expect the right types
    values['nginx_worker_connections'] = 'many'
    problems = role_problems(values, str(ROLES / 'nginx'), BOOKWORM, 'web1')
    assert len(problems) == 1 and problems[0].startswith('nginx_worker_connections'), problems


@pytest.mark.parametrize('role', ['nginx', 'site', 'uwsgi_app', 'keepalived'])
def test_every_role_passes_with_its_defaults_on_a_supported_host(role):
    values = _defaults(role)
    if role == 'keepalived':  # its rules need the peers: run later, apart
        assert role not in role_input.RULES
    assert role_problems(values, str(ROLES / role), BOOKWORM, 'h', context={'groups': {}, 'hostvars': {}}) == []


def test_site_messages_are_aliased():
    values = dict(_defaults('site'), site_sites=[{'name': 'x', 'server_names': ['x.test'], 'listen': ['eighty']}])
    problems = role_problems(values, str(ROLES / 'site'), BOOKWORM, 'lb1', aliases={'site_sites[0]': 'webstack_lb'},
                             context={'groups': {}, 'hostvars': {}})
    assert problems and all(p.startswith('webstack_lb') for p in problems), problems


def test_the_filter_wants_a_dict():
    with pytest.raises(AnsibleFilterError, match='expects the role variables as a dict'):
        role_problems(['x'], str(ROLES / 'nginx'), BOOKWORM, 'h')


def test_the_site_acme_dns_variables_reach_the_rules_and_the_secret_stays_out():
    sites = [{'name': 'lb', 'server_names': ['x.test', '*.x.test'], 'tls': {'mode': 'acme', 'challenge': 'dns-01'}}]
    values = dict(_defaults('site'), site_sites=sites, site_acme_dns_key_secret='c2VjcmV0LXRzaWc=')
    aliases = {'site_sites[0].tls': 'webstack_lb_tls', 'site_sites[0].server_names': 'webstack_lb_server_names'}
    problems = role_problems(values, str(ROLES / 'site'), BOOKWORM, 'lb1', aliases=aliases,
                             context={'groups': {}, 'hostvars': {}})
    assert problems == [
        'webstack_lb_tls.challenge=dns-01 needs site_acme_dns_server (the DNS server that takes the RFC 2136 updates)',
        'webstack_lb_tls.challenge=dns-01 needs site_acme_dns_key_name (the name of the TSIG key)']
    values.update(site_acme_dns_server='10.0.0.53', site_acme_dns_key_name='acme', site_acme_dns_key_algorithm='md5')
    problems = role_problems(values, str(ROLES / 'site'), BOOKWORM, 'lb1', context={'groups': {}, 'hostvars': {}})
    assert len(problems) == 1 and problems[0].startswith('site_acme_dns_key_algorithm'), problems
    values.update(site_acme_dns_key_algorithm='hmac-sha256', site_sites=[dict(sites[0], tls={'mode': 'acme'})])
    problems = role_problems(values, str(ROLES / 'site'), BOOKWORM, 'lb1', aliases=aliases,
                             context={'groups': {}, 'hostvars': {}})
    assert problems == ['webstack_lb_server_names[1] (*.x.test) is a wildcard: an ACME CA validates it only with '
                        'tls.challenge=dns-01 (this site uses http-01)']
    assert not any('c2VjcmV0' in p for p in problems)


def test_platform_values_read_the_vars_file_of_the_hosts_platform(tmp_path):
    (tmp_path / 'vars').mkdir()
    (tmp_path / 'vars' / 'Debian-12.yml').write_text('---\n__demo_binary: /usr/bin/demo\n')
    facts = {'distribution': 'Debian', 'distribution_major_version': '12'}
    assert role_input.platform_values(str(tmp_path), facts) == {'__demo_binary': '/usr/bin/demo'}
    assert role_input.platform_values(str(tmp_path), dict(facts, distribution_major_version='13')) == {}
