# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
name: fleet_problems
short_description: Every problem of a host's webstack_* variables
version_added: 0.1.0
description:
  - Checks the C(webstack_*) variables of one host of the fleet (ports of the app hosts, the load balancers'
    settings, C(webstack_serial) and the other rollout settings, C(webstack_app_allow), whether the addresses of the
    load balancers are known) and reports C(webstack_*) variables the fleet does not know (a typo), with the name
    that was probably meant.
options:
  _input:
    description: The host's C(webstack_*) variables, name to value.
    type: dict
    required: true
  host:
    description: The host (C(inventory_hostname)).
    type: str
    required: true
  groups:
    description: The C(groups) magic variable.
    type: dict
    required: true
  hostvars:
    description: The C(hostvars) magic variable.
    type: dict
    required: true
  known:
    description: The names of the fleet's variables.
    type: list
    elements: str
    required: true
author:
  - webstack.nginx_uwsgi contributors (@webstack)
"""

EXAMPLES = r"""
- name: Check the fleet variables
  ansible.builtin.assert:
    that: __problems | length == 0
    fail_msg: "{{ __problems | join('\n') }}"
  vars:
    __problems: "{{ {'webstack_app_port': 70000} | webstack.nginx_uwsgi.fleet_problems(inventory_hostname, groups, hostvars, ['webstack_app_port']) }}"
"""

RETURN = r"""
_value:
  description: One message per problem, each naming its variable.
  type: list
  elements: str
"""

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import fleet


def fleet_problems(values, host, groups, hostvars, known):
    """Messages for every problem of the host's webstack_* variables."""
    return fleet.problems(host, dict(values or {}), groups or {}, hostvars or {}, list(known or []))


class FilterModule(object):
    """The fleet's checks."""

    def filters(self):
        return {"fleet_problems": fleet_problems}
