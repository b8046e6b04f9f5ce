# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
name: preload_plugins
short_description: Load the collection's filters and rules once in the controller's main process
version_added: 0.1.0
description:
  - Returns its input unchanged. On its first call in a process it imports every filter plugin, every
    C(module_utils) module and every C(plugin_utils) module (the controller's rules and plans the filters run on)
    of this collection, and has ansible-core load its own filter and test plugins.
  - It also parses the argument specs of the collection's roles (C(argument_spec_options)), which the roles' checks
    read on every host.
  - ansible-core runs each task of each host in a process forked from its main one, which starts without the
    plugins a template needs, so every such process imported and compiled them again (the collection loader keeps no
    bytecode), for each task and host. The collection's playbooks call this filter in the C(hosts) of their first
    play, which ansible-core templates in its main process before any task, so that every process forked after it
    starts with them loaded. On a no-op run of the fleet playbook (a load balancer and 2 app hosts over SSH) the
    controller's processes imported the collection's modules 545 times without it and 33 times with it, and spent
    12.8 s and 7.8 s compiling templates (issue 14).
  - Nothing breaks without it (a play that does not call it only loads the plugins as before).
options:
  _input:
    description: Any value, returned as it is (the play's host pattern).
    type: raw
    required: true
author:
  - webstack.nginx_uwsgi contributors (@webstack)
"""

EXAMPLES = r"""
- name: A play whose tasks start with the collection's plugins loaded
  hosts: "{{ 'webstack_appservers:webstack_loadbalancers' | webstack.nginx_uwsgi.preload_plugins }}"
  tasks: []
"""

RETURN = r"""
_value:
  description: The input, unchanged.
  type: raw
"""

import importlib
import os

_PACKAGE = 'ansible_collections.webstack.nginx_uwsgi.plugins'
_LOADED = []


def _module_names(package, directory):
    return sorted(package + '.' + name[:-3] for name in os.listdir(directory)
                  if name.endswith('.py') and name != '__init__.py')


def preload():
    """Import the collection's module_utils, plugin_utils and filters, and ansible-core's Jinja plugins; the names."""
    if _LOADED:
        return list(_LOADED)
    plugins = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    for kind in ('module_utils', 'plugin_utils', 'filter'):
        for name in _module_names('%s.%s' % (_PACKAGE, kind), os.path.join(plugins, kind)):
            importlib.import_module(name)
            _LOADED.append(name)
    # the roles' argument specs, which their checks read on every host
    from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import argument_specs
    argument_specs.warm(os.path.dirname(plugins))
    try:  # ansible-core's own filters and tests: loaded together on the first lookup of each kind
        from ansible.plugins.loader import filter_loader, test_loader
        filter_loader.get('ansible.builtin.to_json')
        test_loader.get('ansible.builtin.match')
    except Exception:  # pylint: disable=broad-exception-caught
        pass  # an ansible-core without them loads them later, as it did
    return list(_LOADED)


def preload_plugins(value):
    """value, unchanged, after preload()."""
    preload()
    return value


class FilterModule(object):
    """Preload the collection's plugins."""

    def filters(self):
        return {'preload_plugins': preload_plugins}
