# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Roles and playbooks talk through documented variables only.

A role's internal values start with ``__<role>`` and stay inside the role:
another role, a playbook or the collection's plugins that read them would
make a contract nobody documents or checks. What crosses a role's boundary
is public: an option of an entry point in ``meta/argument_specs.yml`` (such as
``site_validated``, ``nginx_extra_packages``) or a variable an entry point's
description says it sets (``webstack_site_sites``, ``nginx_facts_read``,
``site_member_down``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
ROLES = sorted(p.name for p in (ROOT / 'roles').iterdir() if (p / 'tasks').is_dir())
INTERNAL = re.compile(r'\b__([a-z][a-z0-9_]*)')
TEXT = ('.yml', '.yaml', '.j2')


def _owner(name: str) -> str | None:
    """The role an internal name belongs to (``site_tls`` -> ``site``), the longest prefix first."""
    for role in sorted(ROLES, key=len, reverse=True):
        if name == role or name.startswith(role + '_'):
            return role
    return None


def _uses(paths):
    for path in paths:
        if path.suffix not in TEXT or not path.is_file():
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            for name in INTERNAL.findall(line):
                yield path, number, name


def _foreign(paths, own):
    return ['%s:%d: __%s belongs to the %s role' % (path.relative_to(ROOT), number, name, _owner(name))
            for path, number, name in _uses(paths) if _owner(name) not in (None, own)]


def test_there_are_roles_to_check():
    assert {'nginx', 'site', 'uwsgi_app', 'keepalived', 'metrics', 'webstack'} <= set(ROLES)


@pytest.mark.parametrize('role', ROLES)
def test_a_role_reads_no_internal_variable_of_another_role(role):
    assert _foreign((ROOT / 'roles' / role).rglob('*'), role) == []


def test_playbooks_read_no_internal_variable_of_a_role():
    paths = list((ROOT / 'playbooks').rglob('*')) + [ROOT / 'site.yml']
    assert _foreign(paths, None) == []


def test_the_plugins_read_no_internal_variable_of_another_role():
    """A plugin of a role (``site_tls_plan``, ``keepalived_rules``) may read that role's internals of other hosts
    through hostvars; no plugin reads another role's: what it needs is public, or passed as an argument."""
    found = []
    for path in (ROOT / 'plugins').rglob('*.py'):
        own = _owner(path.stem)
        for match in re.finditer(r"""['"]__([a-z][a-z0-9_]*)['"]""", path.read_text()):
            owner = _owner(match.group(1))
            if owner not in (None, own):
                found.append('%s: __%s belongs to the %s role' % (path.relative_to(ROOT), match.group(1), owner))
    assert found == []


def test_the_check_finds_a_foreign_read(tmp_path):
    """The rule is not vacuous: a site task that reads the nginx role's internals is found."""
    role = tmp_path / 'tasks.yml'
    role.write_text('- name: X\n  ansible.builtin.debug:\n    msg: "{{ __nginx_journal }} {{ __site_journal }}"\n')
    found = [(name, _owner(name)) for _path, _number, name in _uses([role])]
    assert found == [('nginx_journal', 'nginx'), ('site_journal', 'site')]


@pytest.mark.parametrize('role', ROLES)
def test_the_public_variables_a_role_sets_for_others_are_documented(role):
    """A variable that a role registers or sets without the ``__`` prefix is for others: the argument specs (an
    option, or an entry point's description) name it."""
    specs = {path.parent.parent.name: path.read_text() for path in (ROOT / 'roles').glob('*/meta/argument_specs.yml')}
    options = {name for text in specs.values() for entry in yaml.safe_load(text)['argument_specs'].values()
               for name in (entry.get('options') or {})}
    missing = []
    for path in (ROOT / 'roles' / role / 'tasks').rglob('*.yml'):
        for task in _tasks(yaml.safe_load(path.read_text()) or []):
            names = [task['register']] if isinstance(task.get('register'), str) else []
            if isinstance(task.get('ansible.builtin.set_fact'), dict):
                names += [name for name in task['ansible.builtin.set_fact'] if name != 'cacheable']
            for name in names:
                if not name.startswith('__') and name not in options and not any(
                        'C(%s)' % name in text for text in specs.values()):
                    missing.append('%s: %s' % (path.relative_to(ROOT), name))
    assert missing == []


def _tasks(items):
    for item in items:
        if not isinstance(item, dict):
            continue
        yield item
        for key in ('block', 'rescue', 'always'):
            yield from _tasks(item.get(key) or [])
