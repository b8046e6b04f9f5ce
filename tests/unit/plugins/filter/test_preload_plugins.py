# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import sys
from pathlib import Path

from ansible_collections.webstack.nginx_uwsgi.plugins.filter import preload_plugins as plugin

PLUGINS = Path(__file__).resolve().parents[4] / 'plugins'
PACKAGE = 'ansible_collections.webstack.nginx_uwsgi.plugins'


def test_returns_its_input_and_loads_every_filter_and_rule_module():
    assert plugin.preload_plugins('webstack_appservers:webstack_loadbalancers') == (
        'webstack_appservers:webstack_loadbalancers')
    loaded = plugin.preload()
    expected = sorted('%s.module_utils.%s' % (PACKAGE, p.stem) for p in (PLUGINS / 'module_utils').glob('*.py')
                      if p.stem != '__init__')
    expected += sorted('%s.plugin_utils.%s' % (PACKAGE, p.stem) for p in (PLUGINS / 'plugin_utils').glob('*.py')
                       if p.stem != '__init__')
    expected += sorted('%s.filter.%s' % (PACKAGE, p.stem) for p in (PLUGINS / 'filter').glob('*.py')
                       if p.stem != '__init__')
    assert loaded == expected
    # the controller's rules (plugin_utils) as well as the hosts' helpers (module_utils)
    assert PACKAGE + '.plugin_utils.uwsgi_app_rules' in loaded and PACKAGE + '.filter.site_normalize' in loaded
    assert PACKAGE + '.plugin_utils.fleet' in loaded and PACKAGE + '.module_utils.managed_files' in loaded
    assert not [name for name in loaded if name.startswith(PACKAGE + '.module_utils.') and name.endswith('_rules')]
    assert all(name in sys.modules for name in loaded)


def test_a_second_call_imports_nothing_again(monkeypatch):
    plugin.preload()

    def refuse(name):
        raise AssertionError('imported again: ' + name)

    monkeypatch.setattr(plugin.importlib, 'import_module', refuse)
    assert plugin.preload_plugins([1, 2]) == [1, 2]


def test_ansible_cores_own_jinja_plugins_are_loaded():
    from ansible.plugins.loader import filter_loader, test_loader
    plugin.preload()
    # the wrappers of the built-in filters and tests are cached once loaded (what a forked worker inherits)
    assert filter_loader._cached_non_collection_wrappers and test_loader._cached_non_collection_wrappers
    assert plugin.FilterModule().filters() == {'preload_plugins': plugin.preload_plugins}


def test_the_roles_argument_specs_and_metadata_are_parsed_before_any_fork(monkeypatch):
    from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import argument_specs
    monkeypatch.setattr(plugin, '_LOADED', [])
    monkeypatch.setattr(argument_specs, '_CACHE', {})
    plugin.preload()
    parsed = sorted(key[0] for key in argument_specs._CACHE)
    roles = PLUGINS.parent / 'roles'
    assert parsed == sorted([str(p.resolve()) for name in ('argument_specs', 'main') for p in roles.glob('*/meta/%s.yml' % name)
                             if (p.parent / 'argument_specs.yml').exists()]
                            # the defaults, which the fleet's check (webstack_check) reads for every host
                            + [str(p.resolve()) for p in roles.glob('*/defaults/main.yml')
                               if (p.parent.parent / 'meta' / 'argument_specs.yml').exists()])
    assert str((roles / 'site' / 'meta' / 'argument_specs.yml').resolve()) in parsed
