# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
name: keepalived_handover
short_description: The planned hand-over of a load balancer's floating address, worked out once
version_added: 0.1.0
description:
  - For the C(handover) entry point of the C(webstack.nginx_uwsgi.keepalived) role - the other hosts of
    C(keepalived_peers), the nginx check each one's keepalived runs, the floating addresses, and, given what the
    C(keepalived_handover) module read on this host (O(here)) and on each other peer (O(states)), every problem
    that forbids the hand-over (named by variable and host) and the peer expected to take the address (the
    eligible one of the highest priority).
  - The rules live in C(plugins/plugin_utils/keepalived_rules.py) (C(handover)).
options:
  _input:
    description: The role's variables on this host, name to value, C(keepalived_handover) among them.
    type: dict
    required: true
  host:
    description: The host handed over (C(inventory_hostname)).
    type: str
    required: true
  hostvars:
    description: C(hostvars).
    type: dict
    required: true
  groups:
    description: C(groups).
    type: dict
    required: true
  here:
    description: The C(keepalived_handover) module's read of this host; omit for the peers and checks only.
    type: dict
  states:
    description: The C(keepalived_handover) module's read of each other peer, by inventory name.
    type: dict
author:
  - webstack.nginx_uwsgi contributors (@webstack)
"""

EXAMPLES = r"""
- name: Work out the peers of the hand-over
  ansible.builtin.set_fact:
    plan: >-
      {{ {'keepalived_vip': ['10.0.0.100/24'], 'keepalived_handover': 'away'}
         | webstack.nginx_uwsgi.keepalived_handover(inventory_hostname, hostvars, groups) }}
"""

RETURN = r"""
_value:
  description: The plan.
  type: dict
  contains:
    others:
      description: The other peers, in the order of C(keepalived_peers).
      type: list
      elements: str
    checks:
      description: The nginx check (argv) of this host and of each other peer, by inventory name.
      type: dict
    vip_addresses:
      description: The floating addresses without their prefix length.
      type: list
      elements: str
    problems:
      description: One message per problem; empty when the hand-over may go ahead.
      type: list
      elements: str
    taker:
      description: The peer expected to hold the address after C(away) (null for C(back)).
      type: str
    reclaims:
      description:
        - For C(back) - whether this host takes the address back at once (C(keepalived_nopreempt) false and a higher
          priority than every other peer that is not handed over).
      type: bool
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import keepalived_rules


def keepalived_handover(variables, host, hostvars, groups, here=None, states=None):
    """The planned hand-over of ``host``."""
    if not isinstance(variables, dict):
        raise AnsibleFilterError('keepalived_handover: expects a dict of the keepalived_* variables')
    return keepalived_rules.handover(dict(variables), host, hostvars or {}, groups or {},
                                     None if here is None else dict(here), dict(states or {}))


class FilterModule(object):
    """The planned hand-over of the keepalived role."""

    def filters(self):
        return {"keepalived_handover": keepalived_handover}
