# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The controller's part of a wanted file (plugins/plugin_utils/controller_files.py)."""

from __future__ import annotations

import copy
import hashlib

import pytest

from ansible.errors import AnsibleActionFail
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import init_plugin_loader
from ansible.template import Templar

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils.controller_files import TemplateVars, digests, resolve


@pytest.fixture(scope='module', autouse=True)
def plugins():
    init_plugin_loader()  # ansible-core's own lookups (the template lookup renders), once


@pytest.fixture
def loader(tmp_path):
    (tmp_path / 'templates').mkdir()
    (tmp_path / 'templates' / 'unit.j2').write_text('[Service]\nUser={{ app.user }}\nPort={{ port }}\n')
    (tmp_path / 'plain.txt').write_text('as it is {{ not rendered }}\n')
    dataloader = DataLoader()
    dataloader.set_basedir(str(tmp_path))
    return dataloader


def test_a_template_is_rendered_with_the_task_variables_and_its_own(loader, tmp_path):
    templar = Templar(loader=loader)
    task_vars = {'ansible_search_path': [str(tmp_path)], 'port': 8080}
    entry = {'path': '/etc/x.service', 'mode': '0644', 'template': 'unit.j2', 'template_vars': {'app': {'user': 'shop'}}}
    assert resolve(entry, loader, templar, task_vars) == {'path': '/etc/x.service', 'mode': '0644',
                                                          'content': '[Service]\nUser=shop\nPort=8080\n'}
    assert 'template' in entry  # the caller's entry is left as it was


def test_templates_get_a_shallow_copy_of_the_variables_and_leave_them_as_they_were(loader, tmp_path):
    # the template lookup deep-copies the variables it is given; TemplateVars makes that copy shallow, as the
    # template action's own task_vars.copy()
    shared = {'user': 'shop'}
    variables = TemplateVars({'ansible_search_path': [str(tmp_path)], 'port': 8080, 'app': shared})
    copied = copy.deepcopy(variables)
    assert copied == variables and copied is not variables and copied['app'] is shared
    copied['port'] = 1
    assert variables['port'] == 8080
    templar = Templar(loader=loader)
    entries = [{'path': '/etc/%d.service' % port, 'template': 'unit.j2', 'template_vars': {'port': port}}
               for port in (81, 82)]
    assert [resolve(entry, loader, templar, variables)['content'] for entry in entries] == [
        '[Service]\nUser=shop\nPort=81\n', '[Service]\nUser=shop\nPort=82\n']
    assert set(variables) == {'ansible_search_path', 'port', 'app'}  # no template_path or template_vars left behind
    assert variables['port'] == 8080


def test_a_controller_file_is_read_as_it_is(loader, tmp_path):
    entry = {'path': '/etc/plain', 'controller_src': str(tmp_path / 'plain.txt')}
    assert resolve(entry, loader, Templar(loader=loader), {})['content'] == 'as it is {{ not rendered }}\n'


def test_a_missing_controller_file_names_the_entry(loader, tmp_path):
    with pytest.raises(AnsibleActionFail, match='/etc/plain: cannot read .*missing.txt on the controller'):
        resolve({'path': '/etc/plain', 'controller_src': str(tmp_path / 'missing.txt')}, loader, Templar(loader=loader), {})


def test_template_and_controller_src_exclude_each_other(loader):
    with pytest.raises(AnsibleActionFail, match='mutually exclusive'):
        resolve({'path': '/x', 'template': 'a.j2', 'controller_src': 'b'}, loader, Templar(loader=loader), {})


def test_other_entries_pass_unchanged(loader):
    entry = {'path': '/srv/app', 'state': 'directory'}
    assert resolve(entry, loader, Templar(loader=loader), {}) is entry


def test_digests_replace_the_content_and_drop_the_validate_command():
    out = digests([{'path': '/a', 'content': 'é\n', 'validate': 'check %s'}, {'path': '/b', 'state': 'link', 'src': '/c'}])
    assert out == [{'path': '/a', 'sha1': hashlib.sha1('é\n'.encode('utf-8')).hexdigest()},
                   {'path': '/b', 'state': 'link', 'src': '/c'}]
