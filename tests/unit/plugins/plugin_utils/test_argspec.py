# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from pathlib import Path

import yaml

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils.argspec import check_variables

SITE = yaml.safe_load((Path(__file__).resolve().parents[4] / 'roles/site/meta/argument_specs.yml').read_text())
SITE_OPTIONS = SITE['argument_specs']['main']['options']
OPTIONS = {
    'x_port': {'type': 'int'},
    'x_flag': {'type': 'bool'},
    'x_level': {'type': 'str', 'choices': ['a', 'b']},
    'x_protocols': {'type': 'list', 'elements': 'str', 'choices': ['TLSv1.2', 'TLSv1.3']},
    'x_secret': {'type': 'str', 'no_log': True, 'choices': ['right']},
    'x_needed': {'type': 'str', 'required': True},
    'x_items': {'type': 'list', 'elements': 'dict', 'options': {
        'name': {'type': 'str', 'required': True},
        'kind': {'type': 'str', 'choices': ['u', 'v']},
        'sub': {'type': 'dict', 'options': {'port': {'type': 'int'}}},
    }},
}


def test_ansible_conversions_are_accepted():
    assert check_variables({'x_port': '8080', 'x_flag': 'yes', 'x_level': 'a', 'x_protocols': ['TLSv1.3'],
                            'x_needed': 1, 'x_items': [{'name': 'n', 'kind': 'u', 'sub': {'port': '1'}}]}, OPTIONS) == []


def test_every_problem_with_its_path():
    problems = check_variables({'x_port': 'many', 'x_flag': 'perhaps', 'x_level': 'c', 'x_protocols': ['TLSv1.1'],
                                'x_secret': 'wrong', 'x_items': [{'name': 'ok'}, {'kind': 'w', 'nmae': 'x',
                                                                                  'sub': {'port': 'p'}}, None]},
                               OPTIONS)
    assert problems == [
        'x_port (many) must be an integer.',
        'x_flag (perhaps) must be a boolean (true or false).',
        'x_level (c) must be one of a, b.',
        'x_protocols[0] (TLSv1.1) must be one of TLSv1.2, TLSv1.3.',
        'x_secret ((hidden)) must be one of right.',
        'x_needed is required.',
        'x_items[1].nmae is not an option (did you mean name?); the options are kind, name, sub.',
        'x_items[1].name is required.',
        'x_items[1].kind (w) must be one of u, v.',
        'x_items[1].sub.port (p) must be an integer.',
        'x_items[2] is empty; remove it or give it a value.',
    ]


def test_a_typo_in_a_nested_key_of_the_site_spec():
    problems = check_variables({'site_sites': [{'name': 'a', 'server_names': ['a.test'],
                                                'locations': [{'path': '/', 'kind': 'static', 'rot': '/srv'}],
                                                'tls': {'mode': 'selfsigned', 'hsst': True}}]}, SITE_OPTIONS)
    assert problems[0].startswith('site_sites[0].locations[0].rot is not an option (did you mean root?)')
    assert problems[1:] == [
        'site_sites[0].tls.hsst is not an option (did you mean hsts?); the options are cert, cert_src, chain, challenge, '
        'client_auth, hsts, http2, http3, key, key_src, key_type, listen, mode, ocsp_stapling, redirect.',
    ]
