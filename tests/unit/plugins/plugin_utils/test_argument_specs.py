# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from ansible.errors import AnsibleFilterError

from ansible_collections.webstack.nginx_uwsgi.plugins.filter.argument_spec_options import argument_spec_options
from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import argument_specs

ROLES = Path(__file__).resolve().parents[4] / 'roles'

SPEC = """---
argument_specs:
  main:
    short_description: A role
    options: &opts
      demo_port: {type: int, default: 8080, description: A port.}
      demo_names: {type: list, elements: str, description: Names.}
  other:
    short_description: Another entry point
    options: *opts
  empty:
    short_description: Nothing
"""


@pytest.fixture(autouse=True)
def empty_cache(monkeypatch):
    monkeypatch.setattr(argument_specs, '_CACHE', {})


def role(tmp_path, text=SPEC):
    (tmp_path / 'meta').mkdir(exist_ok=True)
    (tmp_path / 'meta' / 'argument_specs.yml').write_text(text)
    return str(tmp_path)


def test_options_of_an_entry_point_anchors_included(tmp_path):
    path = role(tmp_path)
    assert argument_spec_options(path) == {'demo_port': {'type': 'int', 'default': 8080, 'description': 'A port.'},
                                           'demo_names': {'type': 'list', 'elements': 'str', 'description': 'Names.'}}
    assert argument_spec_options(path, 'other') == argument_spec_options(path)
    assert argument_spec_options(path, 'empty') == {}


def test_parsed_once_until_the_file_changes(tmp_path, monkeypatch):
    path = role(tmp_path)
    loads = []
    real_load = yaml.load

    def counting_load(stream, Loader):  # pylint: disable=invalid-name
        loads.append(1)
        return real_load(stream, Loader=Loader)

    monkeypatch.setattr(argument_specs.yaml, 'load', counting_load)
    first = argument_specs.options(path)
    first['demo_port']['default'] = 1  # a caller's change stays its own
    assert argument_specs.options(path)['demo_port']['default'] == 8080
    assert argument_specs.options(path, 'other')['demo_port']['default'] == 8080
    assert len(loads) == 1
    spec = tmp_path / 'meta' / 'argument_specs.yml'
    spec.write_text(SPEC.replace('8080', '9090') + '# changed\n')
    os.utime(spec, ns=(1, 1))
    assert argument_specs.options(path)['demo_port']['default'] == 9090
    assert len(loads) == 2


def test_the_same_file_through_a_symbolic_link_is_parsed_once(tmp_path):
    (tmp_path / 'real').mkdir()
    path = role(tmp_path / 'real')
    (tmp_path / 'link').symlink_to(tmp_path / 'real')
    argument_specs.options(path)
    argument_specs.options(str(tmp_path / 'link'))
    assert len(argument_specs._CACHE) == 1


@pytest.mark.parametrize('text, entry, message', [
    (None, 'main', 'cannot read the argument specs'),
    ('argument_specs: [1, 2\n', 'main', 'is not valid YAML'),
    ('- a list\n', 'main', 'has no argument_specs mapping'),
    (SPEC, 'nope', "has no entry point 'nope' (it has empty, main, other)"),
])
def test_errors_name_the_file_and_what_is_wrong(tmp_path, text, entry, message):
    path = role(tmp_path, text) if text is not None else str(tmp_path)
    with pytest.raises(AnsibleFilterError, match='argument_specs.yml') as excinfo:
        argument_spec_options(path, entry)
    assert message in str(excinfo.value)


def test_the_collections_roles_parse_like_ansible_parses_them():
    warmed = argument_specs.warm(str(ROLES.parent))
    assert len(warmed) == len(list(ROLES.glob('*/meta/argument_specs.yml'))) >= 5
    for spec in ROLES.glob('*/meta/argument_specs.yml'):
        data = yaml.safe_load(spec.read_text())['argument_specs']
        for entry, value in data.items():
            assert argument_spec_options(str(spec.parent.parent), entry) == (value.get('options') or {})
