# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
name: argument_spec_options
short_description: The options of an entry point of a role's argument specs, parsed once per process
version_added: 0.1.0
description:
  - Returns the C(options) of one entry point of C(<role_path>/meta/argument_specs.yml), the input of
    C(webstack.nginx_uwsgi.argspec_problems).
  - Each file is parsed once per process (again only when it changes), and the C(preload_plugins) filter parses the
    collection's own in ansible-core's main process, so that the processes it forks for each task of each host find
    them parsed. C(lookup('file') | from_yaml) parsed the file in every one of them.
options:
  _input:
    description: The role's directory (C(role_path)).
    type: path
    required: true
  entry_point:
    description: The entry point whose options to return.
    type: str
    default: main
author:
  - webstack.nginx_uwsgi contributors (@webstack)
"""

EXAMPLES = r"""
- name: Check the role's variables
  ansible.builtin.assert:
    that: __problems | length == 0
    fail_msg: "{{ __problems | join('\n') }}"
  vars:
    __options: "{{ role_path | webstack.nginx_uwsgi.argument_spec_options }}"
    __names: "{{ __options.keys() | list }}"
    __problems: "{{ dict(__names | zip(query('ansible.builtin.vars', *__names))) | webstack.nginx_uwsgi.argspec_problems(__options) }}"
"""

RETURN = r"""
_value:
  description: Option name to its spec (C(type), C(default), C(options), ...).
  type: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import argument_specs


def argument_spec_options(role_path, entry_point='main'):
    """The options of entry_point of the role at role_path."""
    try:
        return argument_specs.options(role_path, entry_point)
    except argument_specs.ArgumentSpecError as exc:
        raise AnsibleFilterError(str(exc)) from exc


class FilterModule(object):
    """Argument specs of the roles."""

    def filters(self):
        return {'argument_spec_options': argument_spec_options}
