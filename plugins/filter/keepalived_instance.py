# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
name: keepalived_instance
short_description: The VRRP instance of one host, worked out once for the keepalived role's template
version_added: 0.1.0
description:
  - Resolves what C(keepalived.conf) says for a host - its own address (C(unicast_src_ip)), the addresses of the
    other peers (C(unicast_peer)), the interface, the priority and the floating addresses. See
    C(plugins/plugin_utils/keepalived_rules.py) for where each value comes from.
  - Expects variables that the C(keepalived_problems) filter found no problem with.
options:
  _input:
    description: The role's variables on this host, name to value.
    type: dict
    required: true
  host:
    description: The host (C(inventory_hostname)).
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
  routes:
    description: The text of the host's C(/proc/net/route).
    type: str
author:
  - webstack.nginx_uwsgi contributors (@webstack)
"""

EXAMPLES = r"""
- name: Read the routes of the host
  ansible.builtin.slurp:
    src: /proc/net/route
  register: routes

- name: Work out the VRRP instance
  ansible.builtin.set_fact:
    instance: >-
      {{ {'keepalived_vip': ['10.0.0.100/24'], 'keepalived_peers': ['lb1', 'lb2']}
         | webstack.nginx_uwsgi.keepalived_instance(inventory_hostname, hostvars, groups, routes.content | b64decode) }}
"""

RETURN = r"""
_value:
  description: The instance.
  type: dict
  contains:
    address:
      description: This host's address (C(unicast_src_ip)).
      type: str
    interface:
      description: The interface of the instance and of the floating addresses.
      type: str
    peers:
      description: The addresses of the other peers (C(unicast_peer)), in the order of C(keepalived_peers).
      type: list
      elements: str
    priority:
      description: This host's priority.
      type: int
    vips:
      description: The floating addresses with their prefix length.
      type: list
      elements: str
    vip_addresses:
      description: The floating addresses without their prefix length.
      type: list
      elements: str
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import keepalived_rules


def keepalived_instance(variables, host, hostvars, groups, routes=None):
    """The VRRP instance of ``host``."""
    if not isinstance(variables, dict):
        raise AnsibleFilterError('keepalived_instance: expects a dict of the keepalived_* variables')
    return keepalived_rules.instance(dict(variables), host, hostvars or {}, groups or {}, routes)


class FilterModule(object):
    """Values of the keepalived role."""

    def filters(self):
        return {"keepalived_instance": keepalived_instance}
