# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
name: role_problems
short_description: Every problem of a role's input on a host - argument spec, rules and platform - in one call
version_added: 0.1.0
description:
  - The input check that the C(validate) entry point of every role of the collection runs first, before anything
    changes. The variables are checked against the main entry point of the role's C(meta/argument_specs.yml) (types,
    choices, nested options, each problem named by its full path); when their types are right, against the rules a
    spec cannot express (C(nginx_problems), C(uwsgi_app_problems), C(site_problems)); and the host against the
    C(galaxy_info.platforms) of the role's C(meta/main.yml), the one list of the systems the role supports.
  - The logic lives in C(plugins/plugin_utils/role_input.py).
options:
  _input:
    description: The role's variables, name to value (every option of its main entry point).
    type: dict
    required: true
  role_path:
    description: The role's directory (C(role_path)).
    type: path
    required: true
  facts:
    description: The host's facts (C(ansible_facts)); C(distribution), C(distribution_release) and
      C(distribution_major_version) are read.
    type: dict
    required: true
  host:
    description: The host checked (C(inventory_hostname)), named by the platform message.
    type: str
    required: true
  aliases:
    description: Names to show instead of composed paths (C(site_aliases)).
    type: dict
    default: {}
  context:
    description: C(groups) and C(hostvars), for the rules that read other hosts (the site role's upstreams).
    type: dict
    default: {}
author:
  - webstack.nginx_uwsgi contributors (@webstack)
"""

EXAMPLES = r"""
- name: Check the nginx_* variables and the platform
  ansible.builtin.assert:
    that: __problems | length == 0
    fail_msg: "{{ __problems | join('\n') }}"
    quiet: true
  vars:
    __names: "{{ role_path | webstack.nginx_uwsgi.argument_spec_options | list }}"
    __problems: >-
      {{ dict(__names | zip(query('ansible.builtin.vars', *__names)))
         | webstack.nginx_uwsgi.role_problems(role_path, ansible_facts, inventory_hostname) }}
"""

RETURN = r"""
_value:
  description: One message per problem; empty when the input and the platform are right.
  type: list
  elements: str
  sample: ["webstack.nginx_uwsgi.nginx supports Debian 12 (bookworm), Debian 13 (trixie); web1 runs Ubuntu 24.04."]
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import argument_specs, role_input


def role_problems(variables, role_path, facts, host, aliases=None, context=None):
    """Messages for every problem of a role's input on ``host``."""
    if not isinstance(variables, dict):
        raise AnsibleFilterError('role_problems: expects the role variables as a dict, got %s' % type(variables).__name__)
    try:
        return role_input.problems(variables, role_path, facts or {}, host, aliases=aliases, context=context)
    except argument_specs.ArgumentSpecError as exc:
        raise AnsibleFilterError(str(exc)) from exc


class FilterModule(object):
    """The input check of every role."""

    def filters(self):
        return {"role_problems": role_problems}
