# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
name: argspec_problems
short_description: Check role variables against argument spec options, naming every problem by its full path
version_added: 0.1.0
description:
  - Walks the values of role variables through the options of a role's C(meta/argument_specs.yml), suboptions
    included, and returns one message per problem (wrong type, value not among the choices, required option
    missing, unknown key), each naming the full path, for example C(site_sites[2].locations[0].kind).
  - Unknown keys come with the closest option name (C(locaitons) -> C(locations)). Values of C(no_log) options are
    never shown.
  - Type conversions are Ansible's own, so whatever passes here passes the role's argument spec validation.
  - Used by the roles' C(validate) entry points, which the fleet playbooks run on every host before changing any.
options:
  _input:
    description: Variable name to value, for the variables to check.
    type: dict
    required: true
  options:
    description: The C(options) of one entry point of a role's argument specs.
    type: dict
    required: true
  aliases:
    description:
      - Prefix to name, to rename the variable a message starts with (the longest matching prefix wins), for a
        variable that a playbook composed from variables of its own.
    type: dict
    default: {}
author:
  - webstack.nginx_uwsgi contributors (@webstack)
"""

EXAMPLES = r"""
- name: Check the site role's variables
  ansible.builtin.assert:
    that: __problems | length == 0
    fail_msg: "{{ __problems | join('\n') }}"
  vars:
    __options: "{{ role_path | webstack.nginx_uwsgi.argument_spec_options }}"
    __names: "{{ __options.keys() | list }}"
    __problems: >-
      {{ dict(__names | zip(query('ansible.builtin.vars', *__names)))
         | webstack.nginx_uwsgi.argspec_problems(__options) }}
"""

RETURN = r"""
_value:
  description: One message per problem; empty when every value is right.
  type: list
  elements: str
  sample: ["site_sites[0].locaitons is not an option (did you mean locations?); the options are ..."]
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils.argspec import check_variables
from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils.rules import alias


def argspec_problems(variables, options, aliases=None):
    """Messages for every problem of ``variables`` against the argument spec ``options``."""
    if not isinstance(variables, dict) or not isinstance(options, dict):
        raise AnsibleFilterError("argspec_problems: expects a dict of variables and a dict of options")
    return alias(check_variables(variables, options), aliases or {})


class FilterModule(object):
    """Argument spec checks with full paths."""

    def filters(self):
        return {"argspec_problems": argspec_problems}
