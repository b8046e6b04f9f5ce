# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
name: keepalived_problems
short_description: Every problem of the keepalived role's variables that its argument spec cannot express
version_added: 0.1.0
description:
  - Formats, ranges and relations of the C(webstack.nginx_uwsgi.keepalived) role's variables on one host, one
    message per problem, each naming its variable (and the host, for a value of another peer) - the floating
    addresses (IPv4 with a prefix length, not a network or broadcast address, not the address of a host, not twice), the router id
    (1-255), the priority (1-254, different on every peer), the peers (at least two, in the inventory, this host
    among them), their addresses (known, different), the PASS password (at most 8 characters, never shown), the
    values every peer must share, and the interface (found in O(routes) when not given).
  - Expects values that passed the argument spec (see the C(argspec_problems) filter); the rules live in
    C(plugins/plugin_utils/keepalived_rules.py), one function per rule.
options:
  _input:
    description: The role's variables on this host, name to value (every option of its argument spec).
    type: dict
    required: true
  host:
    description: The host checked (C(inventory_hostname)).
    type: str
    required: true
  hostvars:
    description: C(hostvars), for the peers' addresses (C(keepalived_address) or C(ansible_facts.nginx.addresses)) and values.
    type: dict
    required: true
  groups:
    description: C(groups), for the default peers (the group C(webstack_loadbalancers)).
    type: dict
    required: true
  routes:
    description: The text of the host's C(/proc/net/route), to find the interface; omit to skip that rule.
    type: str
author:
  - webstack.nginx_uwsgi contributors (@webstack)
"""

EXAMPLES = r"""
- name: Check the keepalived variables
  ansible.builtin.assert:
    that: __problems | length == 0
    fail_msg: "{{ __problems | join('\n') }}"
  vars:
    __problems: >-
      {{ {'keepalived_vip': ['10.0.0.100/24'], 'keepalived_router_id': 51}
         | webstack.nginx_uwsgi.keepalived_problems(inventory_hostname, hostvars, groups) }}
"""

RETURN = r"""
_value:
  description: One message per problem; empty when the variables are right.
  type: list
  elements: str
  sample: ["keepalived_router_id (300) must be between 1 and 255: the VRRP virtual router id, ..."]
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import keepalived_rules


def keepalived_problems(variables, host, hostvars, groups, routes=None):
    """Messages for every problem of the keepalived role's variables on ``host``."""
    if not isinstance(variables, dict):
        raise AnsibleFilterError('keepalived_problems: expects a dict of the keepalived_* variables')
    return keepalived_rules.problems(dict(variables), host, hostvars or {}, groups or {}, routes)


class FilterModule(object):
    """Rules of the keepalived role."""

    def filters(self):
        return {"keepalived_problems": keepalived_problems}
